// TLS and mutual TLS on a real gRPC listener, with certificates made at test time by the openssl
// command: a CA, a server certificate for 127.0.0.1, a client certificate from the same CA, and
// a client certificate from another CA. The health service answers when the handshake succeeds.
#include "services/common/tls.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/flags.h"
#include "services/common/testing/test_support.h"

namespace thb {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    ok_ = testing::MakeTestCertificates(*dir_);
  }
  static void TearDownTestSuite() { delete dir_; }

  void SetUp() override { ASSERT_TRUE(ok_) << "openssl failed; see " << dir_->File("openssl.log"); }

  static std::string Pem(const std::string& name) { return *ReadFileToString(dir_->File(name)); }

  // Serves the health service with `server_tls`; returns the address.
  std::string Serve(const TlsConfig& server_tls) {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", ServerCredentials(server_tls), &port);
    builder.RegisterCallbackGenericService(&unimplemented_);  // a server needs one service
    server_ = builder.BuildAndStart();
    return absl::StrCat("127.0.0.1:", port);
  }

  // A health check over a channel with `client_tls`: OK when the handshake succeeded.
  grpc::Status Check(const std::string& address, const TlsConfig& client_tls) {
    auto channel = grpc::CreateChannel(address, ChannelCredentials(client_tls));
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse res;
    return stub->Check(&ctx, req, &res);
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  static testing::TempDir* dir_;
  static bool ok_;
  grpc::CallbackGenericService unimplemented_;
  std::unique_ptr<grpc::Server> server_;
};
testing::TempDir* TlsTest::dir_ = nullptr;
bool TlsTest::ok_ = false;

TEST_F(TlsTest, TlsListenerServesTlsClientsAndRefusesPlaintext) {
  TlsConfig server{Pem("server.pem"), Pem("server.key"), "", ""};
  const std::string address = Serve(server);
  TlsConfig client{"", "", "", Pem("ca.pem")};
  EXPECT_TRUE(Check(address, client).ok()) << Check(address, client).error_message();
  EXPECT_EQ(Check(address, TlsConfig()).error_code(), grpc::StatusCode::UNAVAILABLE);  // plaintext
  TlsConfig wrong_trust{"", "", "", Pem("rogue.pem")};  // does not trust the server's CA
  EXPECT_EQ(Check(address, wrong_trust).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsAdmitsOnlyClientsWithACertificateFromTheClientCa) {
  TlsConfig server{Pem("server.pem"), Pem("server.key"), Pem("ca.pem"), ""};
  const std::string address = Serve(server);
  TlsConfig with_cert{Pem("client.pem"), Pem("client.key"), "", Pem("ca.pem")};
  EXPECT_TRUE(Check(address, with_cert).ok()) << Check(address, with_cert).error_message();
  TlsConfig without_cert{"", "", "", Pem("ca.pem")};
  EXPECT_EQ(Check(address, without_cert).error_code(), grpc::StatusCode::UNAVAILABLE);
  TlsConfig intruder{Pem("intruder.pem"), Pem("intruder.key"), "", Pem("ca.pem")};
  EXPECT_EQ(Check(address, intruder).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Check(address, TlsConfig()).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(TlsConfigTest, IncompleteCombinationsAreRefused) {
  EXPECT_FALSE((TlsConfig{"cert", "", "", ""}).Validate().ok());
  EXPECT_FALSE((TlsConfig{"", "key", "", ""}).Validate().ok());
  EXPECT_FALSE((TlsConfig{"", "", "ca", ""}).Validate().ok());  // mTLS needs a server certificate
  EXPECT_TRUE((TlsConfig{"cert", "key", "ca", "ca"}).Validate().ok());
  EXPECT_TRUE(TlsConfig().Validate().ok());
}

}  // namespace
}  // namespace thb
