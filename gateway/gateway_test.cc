// The gateway in-process against a fake coordinator gRPC server: the canonical code mapping for
// every gRPC status through a real call, BadRequest details surviving the trip, WWW-Authenticate,
// an unreachable upstream failing only its own routes, CORS and the per-client rate limit.
#include "gateway/gateway.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "services/common/errors.h"
#include "thb/commission/v1/commission.grpc.pb.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::gateway {
namespace {

using ::testing::HasSubstr;
namespace co = thb::coordinator::v1;
using json = nlohmann::json;

// GetInstitution answers "institutions/code-N" with gRPC status N (OK: an institution).
class FakeCoordinator final : public co::CoordinatorService::CallbackService {
  grpc::ServerUnaryReactor* GetInstitution(grpc::CallbackServerContext* ctx, const co::GetInstitutionRequest* req,
                                           co::Institution* resp) override {
    auto* reactor = ctx->DefaultReactor();
    int code = 0;
    absl::SimpleAtoi(absl::StripPrefix(req->name(), "institutions/code-"), &code);
    if (code == 0) {
      resp->set_name(req->name());
      reactor->Finish(grpc::Status::OK);
    } else if (code == grpc::StatusCode::INVALID_ARGUMENT) {
      FieldViolations v;
      v.Add("institution.display_name", "is required");
      reactor->Finish(ToGrpcStatus(v.ToStatus()));
    } else {
      reactor->Finish(grpc::Status(static_cast<grpc::StatusCode>(code), "as asked"));
    }
    return reactor;
  }
};

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    coordinator_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<Gateway> Make(GatewayOptions options) {
    // The commission points at a port nobody listens on (port 1 is reserved, never ours).
    std::vector<Upstream> upstreams = {
        {"coordinator", co::Institution::descriptor()->file()->FindServiceByName("CoordinatorService"), coordinator_},
        {"commission",
         thb::commission::v1::Member::descriptor()->file()->FindServiceByName("CommissionService"),
         grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials())}};
    options.default_deadline = absl::Seconds(5);
    return *Gateway::Create(std::move(upstreams), options);
  }

  static HttpResponse Call(Gateway& gw, http::verb verb, const std::string& target,
                           std::vector<std::pair<http::field, std::string>> headers = {},
                           const std::string& peer = "10.0.0.1") {
    HttpRequest req{verb, target, 11};
    for (auto& [f, v] : headers) req.set(f, v);
    absl::Notification done;
    HttpResponse out;
    gw.Handle(std::move(req), peer, [&](HttpResponse res) {
      out = std::move(res);
      done.Notify();
    });
    done.WaitForNotification();
    return out;
  }

  FakeCoordinator fake_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> coordinator_;
};

TEST_F(GatewayTest, EveryGrpcCodeMapsToItsCanonicalHttpStatusThroughARealCall) {
  // google/rpc/code.proto's HTTP mapping.
  const std::vector<std::pair<int, int>> table = {
      {0, 200},  {1, 499},  {2, 500}, {3, 400}, {4, 504}, {5, 404},  {6, 409},  {7, 403},
      {8, 429},  {9, 400},  {10, 409}, {11, 400}, {12, 501}, {13, 500}, {14, 503}, {15, 500},
      {16, 401}};
  auto gw = Make({});
  for (const auto& [code, status] : table) {
    HttpResponse res = Call(*gw, http::verb::get, "/v1/coordinator/institutions/code-" + std::to_string(code));
    EXPECT_EQ(res.result_int(), static_cast<unsigned>(status)) << "gRPC code " << code << ": " << res.body();
    if (code == 0) continue;
    json body = json::parse(res.body());
    EXPECT_EQ(body["code"], code);
    EXPECT_FALSE(res["x-request-id"].empty());
    if (code == 16) EXPECT_THAT(std::string(res[http::field::www_authenticate]), HasSubstr("Bearer"));
    if (code == 3) {
      ASSERT_EQ(body["details"].size(), 1u) << res.body();
      EXPECT_EQ(body["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
      EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "institution.display_name");
    }
  }
}

TEST_F(GatewayTest, AnUnreachableUpstreamFailsOnlyItsOwnRoutes) {
  auto gw = Make({});
  HttpResponse down = Call(*gw, http::verb::get, "/v1/commission/members/m1");
  EXPECT_EQ(down.result_int(), 503u) << down.body();
  HttpResponse up = Call(*gw, http::verb::get, "/v1/coordinator/institutions/fine");
  EXPECT_EQ(up.result_int(), 200u) << up.body();
}

TEST_F(GatewayTest, CorsForConfiguredOriginsOnly) {
  GatewayOptions options;
  options.cors_origins = {"https://dashboard.gov.example"};
  auto gw = Make(options);
  HttpResponse allowed = Call(*gw, http::verb::get, "/v1/coordinator/institutions/x",
                              {{http::field::origin, "https://dashboard.gov.example"}});
  EXPECT_EQ(allowed[http::field::access_control_allow_origin], "https://dashboard.gov.example");
  EXPECT_THAT(std::string(allowed[http::field::access_control_expose_headers]), HasSubstr("x-request-id"));
  HttpResponse other = Call(*gw, http::verb::get, "/v1/coordinator/institutions/x",
                            {{http::field::origin, "https://evil.example"}});
  EXPECT_EQ(other.result_int(), 200u);
  EXPECT_TRUE(other[http::field::access_control_allow_origin].empty());

  HttpResponse preflight = Call(*gw, http::verb::options, "/v1/coordinator/institutions/x",
                                {{http::field::origin, "https://dashboard.gov.example"},
                                 {http::field::access_control_request_method, "PATCH"}});
  EXPECT_EQ(preflight.result_int(), 204u);
  EXPECT_EQ(preflight[http::field::access_control_allow_methods], "PATCH");
  EXPECT_THAT(std::string(preflight[http::field::access_control_allow_headers]), HasSubstr("authorization"));
  HttpResponse refused = Call(*gw, http::verb::options, "/v1/coordinator/institutions/x",
                              {{http::field::origin, "https://evil.example"},
                               {http::field::access_control_request_method, "GET"}});
  EXPECT_EQ(refused.result_int(), 403u);

  auto any = Make([] {
    GatewayOptions o;
    o.cors_origins = {"*"};
    return o;
  }());
  EXPECT_EQ(Call(*any, http::verb::get, "/v1/coordinator/institutions/x", {{http::field::origin, "http://localhost:3000"}})
                [http::field::access_control_allow_origin],
            "http://localhost:3000");
  EXPECT_TRUE(Call(*gw, http::verb::get, "/v1/coordinator/institutions/x")[http::field::access_control_allow_origin].empty());
}

TEST_F(GatewayTest, RateLimitPerClientAnswers429WithRetryAfter) {
  GatewayOptions options;
  options.rate_limit = 0.001;  // one token per 1000 s: the burst is all a client gets in this test
  options.rate_burst = 2;
  auto gw = Make(options);
  const auto token_a = std::make_pair(http::field::authorization, std::string("Bearer a"));
  EXPECT_EQ(Call(*gw, http::verb::get, "/v1/coordinator/institutions/x", {token_a}).result_int(), 200u);
  EXPECT_EQ(Call(*gw, http::verb::get, "/v1/coordinator/institutions/x", {token_a}).result_int(), 200u);
  HttpResponse limited = Call(*gw, http::verb::get, "/v1/coordinator/institutions/x", {token_a});
  EXPECT_EQ(limited.result_int(), 429u);
  int retry = 0;
  ASSERT_TRUE(absl::SimpleAtoi(std::string(limited[http::field::retry_after]), &retry));
  EXPECT_GT(retry, 900);
  EXPECT_LE(retry, 1000);
  EXPECT_EQ(json::parse(limited.body())["code"], 8);
  // Another token, and an anonymous client by its address, have their own buckets.
  EXPECT_EQ(Call(*gw, http::verb::get, "/v1/coordinator/institutions/x",
                 {{http::field::authorization, "Bearer b"}}).result_int(), 200u);
  EXPECT_EQ(Call(*gw, http::verb::get, "/v1/coordinator/institutions/x", {}, "10.0.0.9").result_int(), 200u);
}

}  // namespace
}  // namespace thb::gateway
