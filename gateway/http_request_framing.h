// What the HTTP server refuses about a request as it reads it, before any handler sees it: the
// head's version, target length and body framing (two ways to frame one body are a
// request-smuggling vector), and what the parser could not read, each answered with its status
// code and a message that names what was wrong (holding no client bytes but a header's name).
#pragma once

#include <boost/beast/core/error.hpp>
#include <optional>

#include "absl/strings/string_view.h"
#include "gateway/http_server.h"

namespace thb::gateway {

using RequestParser = http::request_parser<http::string_body>;

// Sets the body and head limits of `parser`, before it reads.
void SetParserLimits(RequestParser& parser, const HttpLimits& limits);

// The answer refusing a request whose head `parser` has read, or nullopt when the request may go
// on: 505 for an HTTP version other than 1.0 and 1.1, 414 for a target over the limit, 400 for
// Content-Length with Transfer-Encoding or a Transfer-Encoding other than chunked. The connection
// closes after a refusal.
std::optional<HttpResponse> RefuseRequestHead(const RequestParser& parser,
                                              const HttpLimits& limits);

// The answer to a request `parser` could not read (`ec`), or nullopt when nobody is left to
// answer (the client closed, reset or went quiet) and the connection just closes: 413, 414 or
// 431 over a limit, 505 for a well-formed request line with a version not served, 400 for
// malformed framing. `unparsed` is what the parser left unconsumed: the head from the offending
// line on.
std::optional<HttpResponse> RefuseUnreadableRequest(const boost::beast::error_code& ec,
                                                    const RequestParser& parser,
                                                    absl::string_view unparsed,
                                                    const HttpLimits& limits);

}  // namespace thb::gateway
