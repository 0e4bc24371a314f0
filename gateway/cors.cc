#include "gateway/cors.h"

#include "absl/strings/str_join.h"
#include "gateway/http_errors.h"

namespace thb::gateway {

std::string AllowedOrigin(const std::vector<std::string>& allowed, const HttpRequest& req) {
  auto it = req.find(http::field::origin);
  if (it == req.end() || allowed.empty()) return "";
  std::string origin(it->value());
  for (const std::string& one : allowed) {
    if (one == "*" || one == origin) return origin;
  }
  return "";
}

void SetCorsHeaders(ResponseHeader& header, const std::string& origin) {
  if (origin.empty()) return;
  header.set(http::field::access_control_allow_origin, origin);
  header.set(http::field::vary, "Origin");
  header.set(http::field::access_control_expose_headers,
             "x-request-id, retry-after, www-authenticate");
}

bool IsPreflight(const HttpRequest& req) {
  return req.method_string() == "OPTIONS" &&
         req.find(http::field::access_control_request_method) != req.end();
}

HttpResponse AnswerPreflight(const RouteTable& routes, const HttpRequest& req,
                             const std::string& path, const std::string& origin) {
  if (origin.empty()) {
    return ErrorResponse(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                      "origin not allowed; see --cors_origins"));
  }
  const std::string requested(req[http::field::access_control_request_method]);
  RouteMatch probe = routes.Find(requested, path);
  if (probe.result == RouteMatch::kNotFound) return NoRouteFor(path);
  HttpResponse res{http::status::no_content, 11};
  res.set(
      http::field::access_control_allow_methods,
      probe.result == RouteMatch::kFound ? requested : absl::StrJoin(probe.allowed_methods, ", "));
  res.set(http::field::access_control_allow_headers,
          "authorization, content-type, x-request-id, traceparent, grpc-timeout");
  res.set(http::field::access_control_max_age, "600");
  return res;
}

}  // namespace thb::gateway
