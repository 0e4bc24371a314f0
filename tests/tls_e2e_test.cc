// Mutual TLS between the processes, configured only by flags: the coordinator's listener requires
// a client certificate from the suite's CA; the gateway presents one (--tls_cert_file/--key,
// trusting the server with --upstream_ca_file) and serves an institution over HTTP; a gateway
// without a certificate, and a plaintext gRPC client, are refused. Certificates are made at test
// time by the openssl command.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/testing/test_support.h"
#include "tests/http_client.h"
#include "tests/process.h"

namespace thb::testing {
namespace {

class MutualTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(MakeTestCertificates(dir_)) << "see " << dir_.File("openssl.log");
    WriteFile(dir_.File("key"), TestKey() + "\n");
    coordinator_ = std::make_unique<ChildProcess>(
        THB_COORDINATOR_BIN,
        std::vector<std::string>{"--listen=127.0.0.1:0", "--db=" + dir_.File("c.db"),
                                 "--jwt_hs256_key_file=" + dir_.File("key"),
                                 "--tls_cert_file=" + dir_.File("server.pem"),
                                 "--tls_key_file=" + dir_.File("server.key"),
                                 "--tls_client_ca_file=" + dir_.File("ca.pem")});
    auto line = coordinator_->WaitForListening();
    ASSERT_TRUE(line.has_value()) << coordinator_->Output();
    EXPECT_EQ((*line)["transport"], "mutual tls");
    coordinator_address_ = AddressOf(*line);
  }

  std::unique_ptr<ChildProcess> Gateway(bool with_certificate) {
    std::vector<std::string> args = {"--listen=127.0.0.1:0",
                                     "--coordinator_target=" + coordinator_address_,
                                     "--commission_target=127.0.0.1:1",
                                     "--rapporteur_target=127.0.0.1:1",
                                     "--upstream_ca_file=" + dir_.File("ca.pem"),
                                     "--request_timeout=3s"};
    if (with_certificate) {
      args.push_back("--tls_cert_file=" + dir_.File("client.pem"));
      args.push_back("--tls_key_file=" + dir_.File("client.key"));
    }
    auto gateway = std::make_unique<ChildProcess>(THB_GATEWAY_BIN, args);
    auto line = gateway->WaitForListening();
    EXPECT_TRUE(line.has_value()) << gateway->Output();
    if (line) gateway_addresses_[gateway.get()] = AddressOf(*line);
    return gateway;
  }

  TempDir dir_;
  std::unique_ptr<ChildProcess> coordinator_;
  std::string coordinator_address_;
  std::map<ChildProcess*, std::string> gateway_addresses_;
};

TEST_F(MutualTlsTest, OnlyCallersWithACertificateFromTheSuiteCaGetThrough) {
  auto trusted = Gateway(true);
  const std::string office = Token({roles::kCoordinatorOffice});
  HttpResult created = HttpCall(gateway_addresses_[trusted.get()], "POST",
                                "/v1/coordinator/institutions?institutionId=ngo",
                                R"({"displayName":"NGO","sector":"SECTOR_CIVIL_SOCIETY",
                                    "kind":"INSTITUTION_KIND_CIVIL_SOCIETY"})",
                                {{"authorization", "Bearer " + office}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(
      HttpCall(gateway_addresses_[trusted.get()], "GET", "/v1/coordinator/institutions/ngo").status,
      200);

  auto untrusted = Gateway(false);  // trusts the server, shows no certificate
  HttpResult refused =
      HttpCall(gateway_addresses_[untrusted.get()], "GET", "/v1/coordinator/institutions/ngo");
  EXPECT_EQ(refused.status, 503) << refused.body;

  // Plaintext gRPC straight to the listener.
  auto channel = grpc::CreateChannel(coordinator_address_, grpc::InsecureChannelCredentials());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse res;
  EXPECT_EQ(grpc::health::v1::Health::NewStub(channel)->Check(&ctx, req, &res).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace thb::testing
