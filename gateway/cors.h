// Cross-origin requests from browsers (CORS) for the origins --cors_origins allows: which origin
// an answer names, the headers that let a browser read it, and the answer to a preflight.
#pragma once

#include <string>
#include <vector>

#include "gateway/http_message.h"
#include "gateway/route_table.h"

namespace thb::gateway {

// The request's Origin when `allowed` lists it (or holds "*"), else empty (no CORS headers).
std::string AllowedOrigin(const std::vector<std::string>& allowed, const HttpRequest& req);

// The headers that let a browser on `origin` read an answer; none when `origin` is empty.
void SetCorsHeaders(ResponseHeader& header, const std::string& origin);

// Whether `req` is a browser's preflight (OPTIONS with Access-Control-Request-Method).
bool IsPreflight(const HttpRequest& req);

// The answer to a preflight for `path` from `origin` (AllowedOrigin's): 204 with the methods the
// path takes and the headers a browser may send; 403 for an origin not allowed; 404 for a path
// no route serves.
HttpResponse AnswerPreflight(const RouteTable& routes, const HttpRequest& req,
                             const std::string& path, const std::string& origin);

}  // namespace thb::gateway
