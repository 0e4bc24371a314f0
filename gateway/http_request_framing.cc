#include "gateway/http_request_framing.h"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/http_errors.h"

namespace thb::gateway {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;

// The name of the first header whose value holds a byte HTTP forbids (a control character other
// than tab, or DEL), read from the raw request head; empty when none is found or the name is not
// a plain token (so nothing odd is echoed).
std::string HeaderWithIllegalValue(absl::string_view head) {
  // The parser keeps what it has not consumed: the head from the offending line on.
  size_t line_start = 0;
  while (line_start != absl::string_view::npos && line_start < head.size()) {
    size_t line_end = head.find('\n', line_start);
    absl::string_view line =
        head.substr(line_start, line_end == absl::string_view::npos ? absl::string_view::npos
                                                                    : line_end - line_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the end of the head
    if (line_end != absl::string_view::npos) ++line_end;
    const size_t colon = line.find(':');
    if (colon != absl::string_view::npos) {
      const absl::string_view name = line.substr(0, colon);
      const absl::string_view value = line.substr(colon + 1);
      const bool illegal = std::any_of(value.begin(), value.end(), [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return (b < 0x20 && b != '\t') || b == 0x7f;
      });
      const bool token =
          !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                   c == '.';
          });
      if (illegal) return token ? std::string(name) : std::string();
    }
    line_start = line_end;
  }
  return "";
}

// Whether `head` starts with a request line "METHOD target HTTP/d.d" (any version digits), so a
// version the parser refused is one it does not serve rather than a malformed line.
bool IsWellFormedRequestLine(absl::string_view head) {
  const size_t end = head.find('\n');
  if (end == absl::string_view::npos) return false;
  absl::string_view line = head.substr(0, end);
  if (line.empty() || line.back() != '\r') return false;
  line.remove_suffix(1);
  const size_t space = line.rfind(' ');
  if (space == absl::string_view::npos || line.find(' ') == space) return false;
  const absl::string_view version = line.substr(space + 1);
  return version.size() == 8 && absl::StartsWith(version, "HTTP/") &&
         absl::ascii_isdigit(version[5]) && version[6] == '.' && absl::ascii_isdigit(version[7]) &&
         version != "HTTP/1.0" && version != "HTTP/1.1";
}

// What a parse error means for the client, in words (the messages hold no client bytes).
std::string DescribeParseError(const beast::error_code& ec) {
  static constexpr std::pair<http::error, const char*> kWords[] = {
      {http::error::bad_field, "malformed header line (each header must be name: value)"},
      {http::error::bad_value, "a header value holds a character HTTP does not allow"},
      {http::error::bad_content_length,
       "Content-Length is malformed, given twice with different values, or combined with "
       "Transfer-Encoding"},
      {http::error::bad_transfer_encoding,
       "Transfer-Encoding is repeated or combined with Content-Length"},
      {http::error::bad_method, "malformed request method"},
      {http::error::bad_target, "malformed request target"},
      {http::error::bad_version, "malformed HTTP version"},
      {http::error::bad_line_ending, "malformed line ending (lines end with CRLF)"},
      {http::error::bad_chunk, "malformed chunked body"},
      {http::error::bad_chunk_extension, "malformed chunked body"},
      {http::error::bad_obs_fold, "obsolete header line folding is not accepted"},
      {http::error::partial_message, "the connection ended before the request was complete"},
  };
  for (const auto& [error, words] : kWords) {
    if (ec == error) return words;
  }
  return "malformed request";
}

HttpResponse BadRequest(const std::string& message) {
  return ServerError(http::status::bad_request, grpc::StatusCode::INVALID_ARGUMENT, message);
}

HttpResponse VersionNotSupported() {
  return ServerError(http::status::http_version_not_supported, grpc::StatusCode::INVALID_ARGUMENT,
                     "only HTTP/1.0 and HTTP/1.1 are served here");
}

HttpResponse UriTooLong(const HttpLimits& limits) {
  return ServerError(http::status::uri_too_long, grpc::StatusCode::INVALID_ARGUMENT,
                     absl::StrCat("request target longer than ", limits.uri_bytes, " bytes"));
}

// The client left or went quiet: nobody to answer.
bool ClientGone(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == beast::error::timeout ||
         ec == net::error::connection_reset || ec == net::error::eof ||
         ec == net::error::operation_aborted;
}

}  // namespace

void SetParserLimits(RequestParser& parser, const HttpLimits& limits) {
  parser.body_limit(limits.body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
}

std::optional<HttpResponse> RefuseRequestHead(const RequestParser& parser,
                                              const HttpLimits& limits) {
  const HttpRequest& req = parser.get();
  if (req.version() != 10 && req.version() != 11) return VersionNotSupported();
  if (req.target().size() > limits.uri_bytes) return UriTooLong(limits);
  const bool has_length = req.find(http::field::content_length) != req.end();
  const bool has_encoding = req.find(http::field::transfer_encoding) != req.end();
  if (has_length && has_encoding) {
    return BadRequest("Content-Length and Transfer-Encoding together are not accepted");
  }
  if (has_encoding && !parser.chunked()) {
    return BadRequest("the only Transfer-Encoding accepted is chunked");
  }
  return std::nullopt;
}

std::optional<HttpResponse> RefuseUnreadableRequest(const beast::error_code& ec,
                                                    const RequestParser& parser,
                                                    absl::string_view unparsed,
                                                    const HttpLimits& limits) {
  if (ClientGone(ec)) return std::nullopt;
  if (ec == http::error::body_limit) {
    return ServerError(http::status::payload_too_large, grpc::StatusCode::INVALID_ARGUMENT,
                       absl::StrCat("request body larger than ", limits.body_bytes, " bytes"));
  }
  if (ec == http::error::header_limit) {
    // Over the limit before the headers ended: when the request line itself never ended (the
    // parser got no target), the URI is too long, else the headers are.
    if (parser.get().target().empty()) return UriTooLong(limits);
    return ServerError(http::status::request_header_fields_too_large,
                       grpc::StatusCode::INVALID_ARGUMENT,
                       absl::StrCat("request headers larger than ", limits.header_bytes, " bytes"));
  }
  if (ec == http::error::bad_version && IsWellFormedRequestLine(unparsed)) {
    return VersionNotSupported();
  }
  if (ec.category() == http::make_error_code(http::error::bad_field).category()) {
    std::string message = DescribeParseError(ec);
    if (ec == http::error::bad_value) {
      const std::string header = HeaderWithIllegalValue(unparsed);
      if (!header.empty()) message = absl::StrCat("header ", header, ": ", message);
    }
    return BadRequest(message);
  }
  return std::nullopt;
}

}  // namespace thb::gateway
