// CORS on its own: which origin an answer names, the headers that let a browser read it, and the
// preflight's answer for a path of the coordinator's routes.
#include "gateway/cors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::gateway {
namespace {

using ::testing::HasSubstr;

HttpRequest FromOrigin(const std::string& origin, http::verb verb = http::verb::get) {
  HttpRequest req{verb, "/v1/coordinator/institutions/x", 11};
  if (!origin.empty()) req.set(http::field::origin, origin);
  return req;
}

HttpRequest Preflight(const std::string& origin, const std::string& method) {
  HttpRequest req = FromOrigin(origin, http::verb::options);
  req.set(http::field::access_control_request_method, method);
  return req;
}

RouteTable CoordinatorRoutes() {
  return *RouteTable::Build(
      {thb::coordinator::v1::Institution::descriptor()->file()->FindServiceByName(
          "CoordinatorService")});
}

TEST(Cors, OnlyAListedOriginOrAnyWithAStarIsNamed) {
  const std::vector<std::string> listed = {"https://dashboard.gov.example"};
  EXPECT_EQ(AllowedOrigin(listed, FromOrigin("https://dashboard.gov.example")),
            "https://dashboard.gov.example");
  EXPECT_EQ(AllowedOrigin(listed, FromOrigin("https://evil.example")), "");
  EXPECT_EQ(AllowedOrigin(listed, FromOrigin("")), "");
  EXPECT_EQ(AllowedOrigin({"*"}, FromOrigin("http://localhost:3000")), "http://localhost:3000");
  EXPECT_EQ(AllowedOrigin({}, FromOrigin("http://localhost:3000")), "");  // CORS off
}

TEST(Cors, HeadersLetTheOriginReadTheAnswerAndItsIdAndNothingWithoutAnOrigin) {
  ResponseHeader header;
  SetCorsHeaders(header, "https://dashboard.gov.example");
  EXPECT_EQ(header[http::field::access_control_allow_origin], "https://dashboard.gov.example");
  EXPECT_EQ(header[http::field::vary], "Origin");
  EXPECT_EQ(header[http::field::access_control_expose_headers],
            "x-request-id, retry-after, www-authenticate");
  ResponseHeader none;
  SetCorsHeaders(none, "");
  EXPECT_EQ(none.begin(), none.end());
}

TEST(Cors, APreflightIsAnOptionsRequestNamingAMethod) {
  EXPECT_TRUE(IsPreflight(Preflight("https://a.example", "PATCH")));
  EXPECT_FALSE(IsPreflight(FromOrigin("https://a.example", http::verb::options)));
  HttpRequest get = FromOrigin("https://a.example");
  get.set(http::field::access_control_request_method, "GET");
  EXPECT_FALSE(IsPreflight(get));
}

TEST(Cors, PreflightNamesTheMethodOrTheMethodsThePathTakes) {
  const RouteTable routes = CoordinatorRoutes();
  HttpResponse patch = AnswerPreflight(routes, Preflight("https://a.example", "PATCH"),
                                       "/v1/coordinator/institutions/x", "https://a.example");
  EXPECT_EQ(patch.result_int(), 204u);
  EXPECT_EQ(patch[http::field::access_control_allow_methods], "PATCH");
  EXPECT_EQ(patch[http::field::access_control_allow_headers],
            "authorization, content-type, x-request-id, traceparent, grpc-timeout");
  EXPECT_EQ(patch[http::field::access_control_max_age], "600");
  HttpResponse put = AnswerPreflight(routes, Preflight("https://a.example", "PUT"),
                                     "/v1/coordinator/institutions/x", "https://a.example");
  EXPECT_EQ(put.result_int(), 204u);
  EXPECT_THAT(std::string(put[http::field::access_control_allow_methods]), HasSubstr("GET"));
  EXPECT_THAT(std::string(put[http::field::access_control_allow_methods]), HasSubstr("PATCH"));
}

TEST(Cors, PreflightFromAnOriginNotAllowedIs403AndForNoRoute404) {
  const RouteTable routes = CoordinatorRoutes();
  HttpResponse refused = AnswerPreflight(routes, Preflight("https://evil.example", "GET"),
                                         "/v1/coordinator/institutions/x", "");
  EXPECT_EQ(refused.result_int(), 403u);
  EXPECT_EQ(refused.body(), R"({"code":7,"message":"origin not allowed; see --cors_origins"})");
  HttpResponse nowhere = AnswerPreflight(routes, Preflight("https://a.example", "GET"), "/nowhere",
                                         "https://a.example");
  EXPECT_EQ(nowhere.result_int(), 404u);
  EXPECT_EQ(nowhere.body(), R"({"code":5,"message":"no route for /nowhere"})");
}

}  // namespace
}  // namespace thb::gateway
