// The annotation shapes of the test-only contract (testdata/thb/gatewaytest/v1/shapes.proto)
// end to end: an HTTP client, the gateway behind its HTTP server, and a gRPC server for
// ShapesService that answers every call with the request it received (as JSON in Thing.name), so
// each test sees exactly what the gateway sent upstream: additional_bindings, a scalar
// response_body, "**", and well-known, wrapper, nested, repeated, enum and 64-bit query
// parameters.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gateway/gateway.h"
#include "gateway/testing_http.h"
#include "thb/gatewaytest/v1/shapes.pb.h"

namespace thb::gateway {
namespace {

namespace gt = thb::gatewaytest::v1;
using json = nlohmann::json;

const google::protobuf::ServiceDescriptor* Shapes() {
  return gt::Thing::descriptor()->file()->FindServiceByName("ShapesService");
}

// Answers /thb.gatewaytest.v1.ShapesService/<Method> with Thing{name: the request as JSON,
// title: "title of " + that JSON}.
class EchoReactor : public grpc::ServerGenericBidiReactor {
 public:
  explicit EchoReactor(const std::string& method) {
    const std::string name = method.substr(method.rfind('/') + 1);
    const auto* m = Shapes()->FindMethodByName(name);
    if (m == nullptr) {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method));
      return;
    }
    request_.reset(google::protobuf::MessageFactory::generated_factory()
                       ->GetPrototype(m->input_type())
                       ->New());
    StartRead(&in_);
  }
  void OnReadDone(bool ok) override {
    using Serialization = grpc::SerializationTraits<google::protobuf::Message>;
    if (!ok) return Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
    if (!Serialization::Deserialize(&in_, request_.get()).ok()) {
      return Finish(grpc::Status(grpc::StatusCode::INTERNAL, "bad request"));
    }
    gt::Thing thing;
    (void)google::protobuf::util::MessageToJsonString(*request_, thing.mutable_name());
    thing.set_title("title of " + thing.name());
    bool own_buffer;
    (void)Serialization::Serialize(thing, &out_, &own_buffer);
    StartWriteAndFinish(&out_, grpc::WriteOptions(), grpc::Status::OK);
  }
  void OnDone() override { delete this; }

 private:
  std::unique_ptr<google::protobuf::Message> request_;
  grpc::ByteBuffer in_;
  grpc::ByteBuffer out_;
};

class EchoService : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new EchoReactor(ctx->method());
  }
};

class ShapesEndToEndTest : public ::testing::Test {
 protected:
  ShapesEndToEndTest() {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&echo_);
    server_ = builder.BuildAndStart();
    std::vector<Upstream> upstreams = {{"shapes", Shapes(),
                                        grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                            grpc::InsecureChannelCredentials())}};
    gateway_ = *Gateway::Create(std::move(upstreams), GatewayOptions());
    served_ = std::make_unique<ServedGateway>(gateway_.get());
  }
  ~ShapesEndToEndTest() override {
    served_.reset();
    server_->Shutdown();
  }

  // What the upstream received, for a 200 answer.
  json Sent(const std::string& target) {
    auto res = served_->Get(target);
    EXPECT_EQ(res.result_int(), 200u) << target << ": " << res.body();
    if (res.result_int() != 200) return json();
    return json::parse(json::parse(res.body())["name"].get<std::string>());
  }

  EchoService echo_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<ServedGateway> served_;
};

TEST_F(ShapesEndToEndTest, BothBindingsOfAMethodReachIt) {
  EXPECT_EQ(Sent("/v1/things/t1"), json({{"name", "things/t1"}}));
  EXPECT_EQ(Sent("/v1/legacy/things/t2"), json({{"name", "things/t2"}}));
}

TEST_F(ShapesEndToEndTest, ScalarResponseBodyIsTheFieldAlone) {
  auto res = served_->Get("/v1/things/t1:title");
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  EXPECT_EQ(json::parse(res.body()), json("title of {\"name\":\"things/t1\"}"));
}

TEST_F(ShapesEndToEndTest, DoubleStarTakesTheRestOfThePathDecodedPerSegment) {
  EXPECT_EQ(Sent("/v1/files/reports/2026/annual%20report.pdf"),
            json({{"path", "reports/2026/annual report.pdf"}}));
}

TEST_F(ShapesEndToEndTest, QueryParametersOfEveryKind) {
  json sent = Sent(
      "/v1/things:find?since=2026-01-02T03:04:05.5Z&within=90s&limit=7&mask=a.b,c"
      "&filter.tag=x%20y&filter.codes=1&filter.codes=2&filter.colour=COLOUR_RED&big="
      "9007199254740993");
  EXPECT_EQ(sent, json({{"since", "2026-01-02T03:04:05.500Z"},
                        {"within", "90s"},
                        {"limit", 7},
                        {"mask", "a.b,c"},
                        {"filter", {{"tag", "x y"}, {"codes", {1, 2}}, {"colour", "COLOUR_RED"}}},
                        {"big", "9007199254740993"}}));
  EXPECT_EQ(Sent("/v1/things:find?filter.colour=1")["filter"]["colour"],
            "COLOUR_RED");  // by number
}

TEST_F(ShapesEndToEndTest, BadQueryValueIs400NamingTheParameter) {
  auto res = served_->Get("/v1/things:find?within=soon");
  EXPECT_EQ(res.result_int(), 400u);
  EXPECT_NE(res.body().find("within"), std::string::npos) << res.body();
}

}  // namespace
}  // namespace thb::gateway
