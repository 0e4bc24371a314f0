// What every answer carries, whoever writes it: the security headers; and the JSON answer's shape.
#include "gateway/http_message.h"

#include <gtest/gtest.h>

namespace thb::gateway {
namespace {

TEST(HttpMessage, SecurityHeadersForbidSniffingFramingLoadingAndReferers) {
  ResponseHeader header;
  SetSecurityHeaders(header);
  EXPECT_EQ(header["x-content-type-options"], "nosniff");
  EXPECT_EQ(header["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(header["referrer-policy"], "no-referrer");
}

TEST(HttpMessage, JsonResponseIsHttp11WithItsContentType) {
  HttpResponse res = JsonResponse(http::status::service_unavailable, R"({"ready":false})");
  EXPECT_EQ(res.result_int(), 503u);
  EXPECT_EQ(res.version(), 11u);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res.body(), R"({"ready":false})");
}

}  // namespace
}  // namespace thb::gateway
