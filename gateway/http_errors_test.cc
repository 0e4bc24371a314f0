// Every gRPC code's HTTP status, the google.rpc.Status body (details kept, or dropped when their
// type is unknown; messages kept valid UTF-8), and the answers built from them: the gateway's,
// with an explicit HTTP status, the server's own, and the error line of a failed stream.
#include "gateway/http_errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "google/rpc/status.pb.h"
#include "services/common/errors.h"

namespace thb::gateway {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

TEST(ErrorMapping, CanonicalHttpCodes) {
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::INVALID_ARGUMENT), 400);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::FAILED_PRECONDITION), 400);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::OUT_OF_RANGE), 400);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::UNAUTHENTICATED), 401);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::PERMISSION_DENIED), 403);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::ALREADY_EXISTS), 409);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::ABORTED), 409);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::CANCELLED), 499);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::UNIMPLEMENTED), 501);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::DEADLINE_EXCEEDED), 504);
  EXPECT_EQ(HttpStatusForCode(grpc::StatusCode::INTERNAL), 500);
}

// google/rpc/code.proto's table, code by code, through the answer the gateway sends.
TEST(ErrorMapping, EveryGrpcCodeHasItsHttpStatusAndBody) {
  const std::vector<std::pair<int, int>> table = {
      {0, 200},  {1, 499},  {2, 500},  {3, 400},  {4, 504},  {5, 404},
      {6, 409},  {7, 403},  {8, 429},  {9, 400},  {10, 409}, {11, 400},
      {12, 501}, {13, 500}, {14, 503}, {15, 500}, {16, 401}};
  for (const auto& [code, status] : table) {
    const auto grpc_code = static_cast<grpc::StatusCode>(code);
    EXPECT_EQ(HttpStatusForCode(grpc_code), status) << "gRPC code " << code;
    if (code == 0) continue;
    HttpResponse res = ErrorResponse(grpc::Status(grpc_code, "as asked"));
    EXPECT_EQ(res.result_int(), static_cast<unsigned>(status)) << "gRPC code " << code;
    EXPECT_EQ(res[http::field::content_type], "application/json");
    EXPECT_EQ(res.body(), absl::StrCat(R"({"code":)", code, R"(,"message":"as asked"})"));
    EXPECT_EQ(res.count(http::field::www_authenticate), code == 16 ? 1u : 0u) << code;
  }
  EXPECT_EQ(HttpStatusForCode(static_cast<grpc::StatusCode>(42)), 500);  // a code from the future
}

TEST(ErrorMapping, BodyIsGoogleRpcStatusWithFieldViolations) {
  grpc::Status g = thb::ToGrpcStatus(thb::InvalidField("institution.display_name", "is required"));
  nlohmann::json body = nlohmann::json::parse(ErrorBody(g));
  EXPECT_EQ(body["code"], 3);
  EXPECT_EQ(body["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "institution.display_name");
  nlohmann::json plain =
      nlohmann::json::parse(ErrorBody(grpc::Status(grpc::StatusCode::NOT_FOUND, "gone")));
  EXPECT_EQ(plain["code"], 5);
  EXPECT_EQ(plain["message"], "gone");
}

TEST(ErrorBody, ExactShapeWithADetail) {
  const grpc::Status g = ToGrpcStatus(InvalidField("display_name", "is required"));
  EXPECT_EQ(
      ErrorBody(g),
      R"({"code":3,"message":"invalid request: display_name: is required","details":[{"@type":)"
      R"("type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":)"
      R"("display_name","description":"is required"}]}]})");
}

TEST(ErrorBody, ADetailOfAnUnknownTypeIsDroppedAndTheRestKept) {
  google::rpc::Status rpc_status;
  rpc_status.set_code(9);
  auto* any = rpc_status.add_details();
  any->set_type_url("type.googleapis.com/thb.unknown.v1.Secret");
  any->set_value("\x08\x01");
  const grpc::Status g(grpc::StatusCode::FAILED_PRECONDITION, "plan is closed",
                       rpc_status.SerializeAsString());
  EXPECT_EQ(ErrorBody(g), R"({"code":9,"message":"plan is closed"})");
}

TEST(ErrorBody, IllFormedUtf8InTheMessageKeepsTheJsonValid) {
  const std::string body =
      ErrorBody(grpc::Status(grpc::StatusCode::NOT_FOUND, "no route for /a\xff\xfe"));
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(parsed.is_discarded()) << body;
  EXPECT_THAT(parsed["message"].get<std::string>(), HasSubstr("no route for /a"));
}

TEST(ErrorResponse, AnAbslStatusKeepsItsDetails) {
  HttpResponse res = ErrorResponse(InvalidField("grpc-timeout", "must be 1 to 8 digits"));
  EXPECT_EQ(res.result_int(), 400u);
  EXPECT_EQ(res.body(),
            ErrorBody(ToGrpcStatus(InvalidField("grpc-timeout", "must be 1 to 8 digits"))));
  EXPECT_EQ(json::parse(res.body())["details"][0]["fieldViolations"][0]["field"], "grpc-timeout");
}

TEST(ErrorResponse, AnExplicitHttpStatusKeepsTheCodeInTheBody) {
  HttpResponse res = ErrorResponse(
      http::status::unsupported_media_type,
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "request body must be application/json"));
  EXPECT_EQ(res.result_int(), 415u);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res.body(), R"({"code":3,"message":"request body must be application/json"})");
  EXPECT_TRUE(res.keep_alive());
}

TEST(ErrorResponse, UnauthenticatedAsksForABearerToken) {
  HttpResponse res = ErrorResponse(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token"));
  EXPECT_EQ(res.result_int(), 401u);
  EXPECT_EQ(res[http::field::www_authenticate], "Bearer realm=\"thb\"");
}

TEST(ServerError, CarriesTheSecurityHeadersAndClosesTheConnection) {
  HttpResponse res = ServerError(http::status::uri_too_long, grpc::StatusCode::INVALID_ARGUMENT,
                                 "request target longer than 8 bytes");
  EXPECT_EQ(res.result_int(), 414u);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res["x-content-type-options"], "nosniff");
  EXPECT_EQ(res["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(res["referrer-policy"], "no-referrer");
  EXPECT_EQ(res.body(), R"({"code":3,"message":"request target longer than 8 bytes"})");
}

TEST(StreamErrorLine, IsOneJsonObjectWithTheStatusUnderErrorAndANewline) {
  EXPECT_EQ(StreamErrorLine(grpc::Status(grpc::StatusCode::ABORTED, "log rotated")),
            "{\"error\":{\"code\":10,\"message\":\"log rotated\"}}\n");
}

}  // namespace
}  // namespace thb::gateway
