// The gateway in-process against a fake coordinator gRPC server: the canonical code mapping for
// every gRPC status through a real call, BadRequest details surviving the trip, WWW-Authenticate,
// an unreachable upstream failing only its own routes, CORS and the per-client rate limit.
#include "gateway/gateway.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "gateway/testing_http.h"
#include "services/common/channels.h"
#include "services/common/errors.h"
#include "services/common/testing/fake_upstream.h"
#include "thb/commission/v1/commission.grpc.pb.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::gateway {
namespace {

using ::testing::HasSubstr;
namespace co = thb::coordinator::v1;
using json = nlohmann::json;

// Streams events after_sequence+1 .. 3 (none when after_sequence >= 3), then ends OK; after
// 49 it streams one event then fails ABORTED; after 99 it fails PERMISSION_DENIED at once.
class EventWriter : public grpc::ServerWriteReactor<thb::type::v1::AuditEvent> {
 public:
  explicit EventWriter(int64_t after) : next_(after + 1) {
    if (after == 99) {
      Finish(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not for you"));
      return;
    }
    last_ = after == 49 ? 50 : 3;
    Next();
  }
  void OnWriteDone(bool ok) override {
    if (!ok) return Finish(grpc::Status::CANCELLED);
    Next();
  }
  void OnDone() override { delete this; }

 private:
  void Next() {
    if (next_ > last_) {
      Finish(last_ == 50 ? grpc::Status(grpc::StatusCode::ABORTED, "log rotated")
                         : grpc::Status::OK);
      return;
    }
    event_.set_sequence(next_++);
    event_.set_actor("someone");
    StartWrite(&event_);
  }
  int64_t next_;
  int64_t last_ = 0;
  thb::type::v1::AuditEvent event_;
};

// GetInstitution answers "institutions/code-N" with gRPC status N (OK: an institution).
class FakeCoordinator final : public co::CoordinatorService::CallbackService {
  grpc::ServerWriteReactor<thb::type::v1::AuditEvent>* WatchChanges(
      grpc::CallbackServerContext*, const thb::type::v1::WatchChangesRequest* req) override {
    return new EventWriter(req->after_sequence());
  }
  grpc::ServerUnaryReactor* GetInstitution(grpc::CallbackServerContext* ctx,
                                           const co::GetInstitutionRequest* req,
                                           co::Institution* resp) override {
    ++calls;
    auto* reactor = ctx->DefaultReactor();
    int code = 0;
    if (!absl::SimpleAtoi(absl::StripPrefix(req->name(), "institutions/code-"), &code)) code = 0;
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

 public:
  std::atomic<int> calls{0};
};

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::ServeOnFreePort(&fake_, &address_);
    ASSERT_FALSE(address_.empty());
    coordinator_ = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<Gateway> Make(GatewayOptions options) {
    // The commission points at a port nobody listens on (port 1 is reserved, never ours).
    std::vector<Upstream> upstreams = {
        {"coordinator",
         co::Institution::descriptor()->file()->FindServiceByName("CoordinatorService"),
         coordinator_},
        {"commission",
         thb::commission::v1::Member::descriptor()->file()->FindServiceByName("CommissionService"),
         grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials())}};
    options.default_deadline = absl::Seconds(5);
    return *Gateway::Create(std::move(upstreams), options);
  }

  static HttpResponse Call(Gateway& gw, http::verb verb, const std::string& target,
                           const std::vector<std::pair<http::field, std::string>>& headers = {},
                           const std::string& peer = "10.0.0.1") {
    HttpRequest req{verb, target, 11};
    for (const auto& [f, v] : headers) req.set(f, v);
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
  std::string address_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> coordinator_;
};

TEST_F(GatewayTest, EveryGrpcCodeMapsToItsCanonicalHttpStatusThroughARealCall) {
  // google/rpc/code.proto's HTTP mapping.
  const std::vector<std::pair<int, int>> table = {
      {0, 200},  {1, 499},  {2, 500},  {3, 400},  {4, 504},  {5, 404},
      {6, 409},  {7, 403},  {8, 429},  {9, 400},  {10, 409}, {11, 400},
      {12, 501}, {13, 500}, {14, 503}, {15, 500}, {16, 401}};
  auto gw = Make({});
  for (const auto& [code, status] : table) {
    HttpResponse res =
        Call(*gw, http::verb::get, "/v1/coordinator/institutions/code-" + std::to_string(code));
    EXPECT_EQ(res.result_int(), static_cast<unsigned>(status))
        << "gRPC code " << code << ": " << res.body();
    if (code == 0) continue;
    json body = json::parse(res.body());
    EXPECT_EQ(body["code"], code);
    EXPECT_FALSE(res["x-request-id"].empty());
    if (code == 16) {
      EXPECT_THAT(std::string(res[http::field::www_authenticate]), HasSubstr("Bearer"));
    }
    if (code == 3) {
      ASSERT_EQ(body["details"].size(), 1u) << res.body();
      EXPECT_EQ(body["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
      EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "institution.display_name");
    }
  }
}

// The gateway's upstream channel arguments (round_robin) over a name that resolves to two
// servers, as a Kubernetes headless service's DNS name resolves to every ready pod: both serve.
TEST_F(GatewayTest, UpstreamCallsAreBalancedOverEveryAddressOfTheTarget) {
  FakeCoordinator second;
  std::string second_address;
  auto second_server = testing::ServeOnFreePort(&second, &second_address);
  ASSERT_FALSE(second_address.empty());
  coordinator_ =
      grpc::CreateCustomChannel("ipv4:" + address_ + "," + second_address,
                                grpc::InsecureChannelCredentials(), UpstreamChannelArguments());
  auto gw = Make({});
  // round_robin picks among the connected addresses, so the first calls may all go to whichever
  // connected first; within a few hundred calls both must have served (pick_first never would).
  int made = 0;
  while (made < 500 && (fake_.calls < 5 || second.calls < 5)) {
    ASSERT_EQ(Call(*gw, http::verb::get, "/v1/coordinator/institutions/i" + std::to_string(made))
                  .result_int(),
              200u);
    ++made;
  }
  EXPECT_EQ(fake_.calls + second.calls, made);
  EXPECT_GE(fake_.calls, 5);
  EXPECT_GE(second.calls, 5);
  second_server->Shutdown();
}

TEST_F(GatewayTest, AnUnreachableUpstreamFailsOnlyItsOwnRoutes) {
  auto gw = Make({});
  HttpResponse down = Call(*gw, http::verb::get, "/v1/commission/members/m1");
  EXPECT_EQ(down.result_int(), 503u) << down.body();
  HttpResponse up = Call(*gw, http::verb::get, "/v1/coordinator/institutions/fine");
  EXPECT_EQ(up.result_int(), 200u) << up.body();
}

TEST_F(GatewayTest, SecurityHeadersOnEveryAnswerAndNoStoreWhenAuthenticated) {
  auto gw = Make({});
  HttpResponse anonymous = Call(*gw, http::verb::get, "/v1/coordinator/institutions/ngo");
  HttpResponse with_token = Call(*gw, http::verb::get, "/v1/coordinator/institutions/ngo",
                                 {{http::field::authorization, "Bearer t"}});
  HttpResponse not_found =
      Call(*gw, http::verb::get, "/nowhere", {{http::field::authorization, "Bearer t"}});
  for (const HttpResponse* res : {&anonymous, &with_token, &not_found}) {
    EXPECT_EQ((*res)["x-content-type-options"], "nosniff");
    EXPECT_EQ((*res)["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ((*res)["referrer-policy"], "no-referrer");
  }
  EXPECT_EQ(anonymous.result_int(), 200u);
  EXPECT_EQ(anonymous.count(http::field::cache_control), 0u);  // public data may be cached
  EXPECT_EQ(with_token[http::field::cache_control], "no-store");
  EXPECT_EQ(not_found[http::field::cache_control], "no-store");
}

TEST_F(GatewayTest, CorsForConfiguredOriginsOnly) {
  GatewayOptions options;
  options.cors_origins = {"https://dashboard.gov.example"};
  auto gw = Make(options);
  HttpResponse allowed = Call(*gw, http::verb::get, "/v1/coordinator/institutions/x",
                              {{http::field::origin, "https://dashboard.gov.example"}});
  EXPECT_EQ(allowed[http::field::access_control_allow_origin], "https://dashboard.gov.example");
  EXPECT_THAT(std::string(allowed[http::field::access_control_expose_headers]),
              HasSubstr("x-request-id"));
  HttpResponse other = Call(*gw, http::verb::get, "/v1/coordinator/institutions/x",
                            {{http::field::origin, "https://evil.example"}});
  EXPECT_EQ(other.result_int(), 200u);
  EXPECT_TRUE(other[http::field::access_control_allow_origin].empty());

  HttpResponse preflight = Call(*gw, http::verb::options, "/v1/coordinator/institutions/x",
                                {{http::field::origin, "https://dashboard.gov.example"},
                                 {http::field::access_control_request_method, "PATCH"}});
  EXPECT_EQ(preflight.result_int(), 204u);
  EXPECT_EQ(preflight[http::field::access_control_allow_methods], "PATCH");
  EXPECT_THAT(std::string(preflight[http::field::access_control_allow_headers]),
              HasSubstr("authorization"));
  HttpResponse refused = Call(*gw, http::verb::options, "/v1/coordinator/institutions/x",
                              {{http::field::origin, "https://evil.example"},
                               {http::field::access_control_request_method, "GET"}});
  EXPECT_EQ(refused.result_int(), 403u);

  auto any = Make([] {
    GatewayOptions o;
    o.cors_origins = {"*"};
    return o;
  }());
  EXPECT_EQ(Call(*any, http::verb::get, "/v1/coordinator/institutions/x",
                 {{http::field::origin,
                   "http://localhost:3000"}})[http::field::access_control_allow_origin],
            "http://localhost:3000");
  EXPECT_TRUE(Call(*gw, http::verb::get,
                   "/v1/coordinator/institutions/x")[http::field::access_control_allow_origin]
                  .empty());
}

TEST_F(GatewayTest, RateLimitPerClientAnswers429WithRetryAfter) {
  GatewayOptions options;
  options.rate_limit = 0.001;  // one token per 1000 s: the burst is all a client gets in this test
  options.rate_burst = 2;
  auto gw = Make(options);
  const auto token_a = std::make_pair(http::field::authorization, std::string("Bearer a"));
  EXPECT_EQ(Call(*gw, http::verb::get, "/v1/coordinator/institutions/x", {token_a}).result_int(),
            200u);
  EXPECT_EQ(Call(*gw, http::verb::get, "/v1/coordinator/institutions/x", {token_a}).result_int(),
            200u);
  HttpResponse limited = Call(*gw, http::verb::get, "/v1/coordinator/institutions/x", {token_a});
  EXPECT_EQ(limited.result_int(), 429u);
  int retry = 0;
  ASSERT_TRUE(absl::SimpleAtoi(std::string(limited[http::field::retry_after]), &retry));
  EXPECT_GT(retry, 900);
  EXPECT_LE(retry, 1000);
  EXPECT_EQ(json::parse(limited.body())["code"], 8);
  // Another token, and an anonymous client by its address, have their own buckets.
  EXPECT_EQ(Call(*gw, http::verb::get, "/v1/coordinator/institutions/x",
                 {{http::field::authorization, "Bearer b"}})
                .result_int(),
            200u);
  EXPECT_EQ(
      Call(*gw, http::verb::get, "/v1/coordinator/institutions/x", {}, "10.0.0.9").result_int(),
      200u);
}

TEST_F(GatewayTest, OpenApiDocumentCoversEveryRouteAndEveryReferenceResolves) {
  auto gw = Make({});
  HttpResponse res = Call(*gw, http::verb::get, "/openapi.json");
  ASSERT_EQ(res.result_int(), 200u);
  json doc = json::parse(res.body());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  size_t operations = 0;
  for (const auto& [path, item] : doc["paths"].items()) operations += item.size();
  EXPECT_EQ(operations, gw->routes().routes().size());
  // Variables are expanded into plain segments, with the comment as summary.
  const json& get = doc["paths"]["/v1/coordinator/institutions/{institution}"]["get"];
  EXPECT_EQ(get["parameters"][0]["name"], "institution");
  EXPECT_EQ(get["parameters"][0]["in"], "path");
  EXPECT_FALSE(get["summary"].get<std::string>().empty());
  EXPECT_TRUE(doc["paths"].contains("/v1/coordinator/plans/{plan}:adopt"));
  EXPECT_EQ(doc["paths"]["/v1/coordinator/changes:watch"]["get"]["responses"]["200"]["content"]
                .begin()
                .key(),
            "application/x-ndjson");
  // 64-bit integers are strings, enums are names.
  const json& schemas = doc["components"]["schemas"];
  EXPECT_EQ(schemas["thb.type.v1.AuditEvent"]["properties"]["sequence"]["type"], "string");
  EXPECT_EQ(schemas["thb.coordinator.v1.Institution"]["properties"]["sector"]["$ref"],
            "#/components/schemas/thb.type.v1.Sector");
  // Every $ref points at a component that exists.
  std::function<void(const json&)> check = [&](const json& node) {
    if (node.is_object()) {
      if (node.contains("$ref")) {
        const std::string ref = node["$ref"];
        const std::string prefix = "#/components/schemas/";
        if (ref.rfind(prefix, 0) == 0) {
          EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(prefix.size()))) << ref;
        }
      }
      for (const auto& [k, v] : node.items()) check(v);
    } else if (node.is_array()) {
      for (const auto& v : node) check(v);
    }
  };
  check(doc);
}

// Over a real HTTP server (chunked transfer), as a client sees it.
TEST_F(GatewayTest, ServerStreamingIsNewlineDelimitedJson) {
  auto gw = Make({});
  ServedGateway served(gw.get());
  auto get = [&](const std::string& target) { return served.Get(target); };
  auto full = get("/v1/coordinator/changes:watch?afterSequence=0");
  EXPECT_EQ(full.result_int(), 200u);
  EXPECT_EQ(full[http::field::content_type], "application/x-ndjson");
  EXPECT_TRUE(full.chunked());
  EXPECT_FALSE(full["x-request-id"].empty());
  EXPECT_EQ(full["x-content-type-options"], "nosniff");
  EXPECT_EQ(
      full.body(),
      "{\"sequence\":\"1\",\"actor\":\"someone\"}\n{\"sequence\":\"2\",\"actor\":\"someone\"}\n"
      "{\"sequence\":\"3\",\"actor\":\"someone\"}\n");
  auto empty = get("/v1/coordinator/changes:watch?afterSequence=3");
  EXPECT_EQ(empty.result_int(), 200u);
  EXPECT_EQ(empty.body(), "");
  auto denied = get("/v1/coordinator/changes:watch?afterSequence=99");  // fails before any event
  EXPECT_EQ(denied.result_int(), 403u);
  EXPECT_EQ(json::parse(denied.body())["code"], 7);
  auto broken = get("/v1/coordinator/changes:watch?afterSequence=49");  // fails mid-stream
  EXPECT_EQ(broken.result_int(), 200u);
  const std::string body = broken.body();
  ASSERT_EQ(std::count(body.begin(), body.end(), '\n'), 2) << body;
  json last = json::parse(body.substr(body.find('\n') + 1));
  EXPECT_EQ(last["error"]["code"], 10);
  EXPECT_EQ(last["error"]["message"], "log rotated");
}

}  // namespace
}  // namespace thb::gateway
