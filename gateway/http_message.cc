#include "gateway/http_message.h"

namespace thb::gateway {

void SetSecurityHeaders(ResponseHeader& header) {
  header.set("X-Content-Type-Options", "nosniff");
  // An answer with a policy of its own (the web UI's) keeps it.
  if (header.find("Content-Security-Policy") == header.end()) {
    header.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
  header.set("Referrer-Policy", "no-referrer");
}

HttpResponse JsonResponse(http::status status, std::string body) {
  HttpResponse res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

}  // namespace thb::gateway
