// The server's refusals of what it reads, without a socket: the bytes go through a Beast parser
// as a session reads them (head, then body), and each refusal is checked for its status code,
// its message, and the connection closing after it.
#include "gateway/http_request_framing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace thb::gateway {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using ::testing::HasSubstr;
using json = nlohmann::json;

// Small limits, so short requests reach them.
HttpLimits SmallLimits() {
  HttpLimits limits;
  limits.body_bytes = 16;
  limits.uri_bytes = 32;
  limits.header_bytes = 256;
  return limits;
}

// What a session makes of `bytes` (followed by the end of the stream when `eof`): the parser's
// error or the head's refusal, else the body's error; nullopt when the request reaches the
// handler, or when the connection just closes (`*closed` then says which).
struct Outcome {
  std::optional<HttpResponse> refusal;
  bool closed = false;  // nobody to answer: no refusal, and no request for the handler
};

Outcome Read(absl::string_view bytes, bool eof = false, HttpLimits limits = SmallLimits()) {
  RequestParser parser;
  SetParserLimits(parser, limits);
  beast::error_code ec;
  size_t used = 0;
  bool head_checked = false;
  Outcome out;
  while (!parser.is_done()) {
    const size_t n = parser.put(net::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == http::error::need_more) {
      ec = {};
      if (n > 0 && used < bytes.size()) continue;
      if (eof) parser.put_eof(ec);
      if (!ec) ec = beast::error::timeout;  // the client went quiet
    }
    if (ec) {
      out.refusal = RefuseUnreadableRequest(ec, parser, bytes.substr(used), limits);
      out.closed = !out.refusal.has_value();
      return out;
    }
    if (parser.is_header_done() && !head_checked) {
      head_checked = true;
      out.refusal = RefuseRequestHead(parser, limits);
      if (out.refusal) return out;
    }
  }
  return out;
}

// The refusal's status, after checking what every refusal shares: a google.rpc.Status body with
// INVALID_ARGUMENT, the security headers, and the connection closing.
int RefusedWith(const Outcome& outcome, std::string* message = nullptr) {
  if (!outcome.refusal) return 0;
  const HttpResponse& res = *outcome.refusal;
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(res["x-content-type-options"], "nosniff");
  const json body = json::parse(res.body(), nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(body.is_object() && body["code"] == 3) << res.body();
  if (message != nullptr && body.is_object()) *message = body["message"];
  return static_cast<int>(res.result_int());
}

TEST(RequestFraming, AWellFramedRequestReachesTheHandler) {
  for (const std::string bytes :
       {"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "GET /healthz HTTP/1.0\r\n\r\n",
        "POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
        "POST /v1/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
        "chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"}) {
    Outcome outcome = Read(bytes);
    EXPECT_FALSE(outcome.refusal) << bytes << ": " << outcome.refusal->body();
    EXPECT_FALSE(outcome.closed) << bytes;
  }
}

TEST(RequestFraming, ATargetOverTheLimitIs414) {
  std::string message;
  EXPECT_EQ(
      RefusedWith(Read(absl::StrCat("GET /", std::string(40, 'a'), " HTTP/1.1\r\n\r\n")), &message),
      414);
  EXPECT_EQ(message, "request target longer than 32 bytes");
  // A request line longer than the whole head limit: still the URI's fault.
  EXPECT_EQ(RefusedWith(Read(absl::StrCat("GET /", std::string(400, 'a'), " HTTP/1.1\r\n\r\n"))),
            414);
}

TEST(RequestFraming, HeadersOverTheLimitAre431) {
  std::string message;
  EXPECT_EQ(RefusedWith(Read(absl::StrCat("GET / HTTP/1.1\r\nX-Padding: ", std::string(300, 'p'),
                                          "\r\n\r\n")),
                        &message),
            431);
  EXPECT_EQ(message, "request headers larger than 256 bytes");
}

TEST(RequestFraming, ABodyOverTheLimitIs413) {
  std::string message;
  EXPECT_EQ(RefusedWith(Read(absl::StrCat("POST /v1/x HTTP/1.1\r\nContent-Length: 17\r\n\r\n",
                                          std::string(17, 'b'))),
                        &message),
            413);
  EXPECT_EQ(message, "request body larger than 16 bytes");
}

TEST(RequestFraming, TwoWaysToFrameABodyAre400) {
  for (const std::string bytes :
       {"POST /v1/x HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        "POST /v1/x HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x"}) {
    EXPECT_EQ(RefusedWith(Read(bytes)), 400) << bytes;
  }
  std::string message;
  EXPECT_EQ(RefusedWith(Read("POST /v1/x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n{}"), &message),
            400);
  EXPECT_EQ(message, "the only Transfer-Encoding accepted is chunked");
}

TEST(RequestFraming, VersionsOtherThan10And11Are505AndMalformedOnesAre400) {
  for (const std::string version : {"HTTP/9.9", "HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTP/3.0"}) {
    std::string message;
    EXPECT_EQ(
        RefusedWith(Read(absl::StrCat("GET /healthz ", version, "\r\nHost: x\r\n\r\n")), &message),
        505)
        << version;
    EXPECT_EQ(message, "only HTTP/1.0 and HTTP/1.1 are served here");
  }
  std::string message;
  EXPECT_EQ(RefusedWith(Read("GET /healthz HTTP/1.x\r\nHost: x\r\n\r\n"), &message), 400);
  EXPECT_EQ(message, "malformed HTTP version");
}

TEST(RequestFraming, MalformedHeadsAre400InWordsThatHoldNoClientBytes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n",
       "malformed header line (each header must be name: value)"},
      // A bare LF ends the request line inside what must be the version.
      {"GET /healthz HTTP/1.1\nHost: x\n\n", "malformed HTTP version"},
      {"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunked body"},
  };
  for (const auto& [bytes, expected] : cases) {
    std::string message;
    EXPECT_EQ(RefusedWith(Read(bytes), &message), 400) << bytes;
    EXPECT_EQ(message, expected) << bytes;
  }
}

TEST(RequestFraming, AControlByteInAHeaderValueNamesTheHeaderWhenItIsAPlainToken) {
  std::string message;
  EXPECT_EQ(RefusedWith(Read("GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01z\r\n\r\n"), &message), 400);
  EXPECT_EQ(message, "header X-Bad: a header value holds a character HTTP does not allow");
  EXPECT_EQ(RefusedWith(Read("GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\x7fz\r\n\r\n"), &message), 400);
  EXPECT_THAT(message, HasSubstr("X-Bad"));
  // A name too long to be a header anyone means is not echoed.
  EXPECT_EQ(RefusedWith(
                Read(absl::StrCat("GET / HTTP/1.1\r\n", std::string(70, 'X'), ": a\x01z\r\n\r\n")),
                &message),
            400);
  EXPECT_EQ(message, "a header value holds a character HTTP does not allow");
}

TEST(RequestFraming, AClientThatLeavesMidRequestIsAnsweredAndOneThatGoesQuietIsClosed) {
  std::string message;
  EXPECT_EQ(RefusedWith(Read("GET /healthz HTTP/1.1\r\nHost: x\r\n", /*eof=*/true), &message), 400);
  EXPECT_EQ(message, "the connection ended before the request was complete");
  EXPECT_TRUE(Read("GET /healthz HTTP/1.1\r\nHost: x\r\n").closed);
  RequestParser parser;
  for (const beast::error_code& ec :
       {beast::error_code(http::error::end_of_stream), beast::error_code(beast::error::timeout),
        beast::error_code(net::error::connection_reset), beast::error_code(net::error::eof),
        beast::error_code(net::error::operation_aborted)}) {
    EXPECT_FALSE(RefuseUnreadableRequest(ec, parser, "", SmallLimits())) << ec.message();
  }
}

}  // namespace
}  // namespace thb::gateway
