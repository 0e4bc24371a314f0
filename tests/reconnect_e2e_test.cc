// Recovery after an upstream outage, through the real binaries (issue 15). The coordinator is
// killed and stays down for about ten seconds, long enough for gRPC's default reconnect backoff
// to have climbed past 6 s; it then comes back on the same address and database. With the
// default --upstream_max_backoff, the gateway (gateway -> coordinator) and the commission
// (commission -> coordinator, exercised by creating a member) must reach it again within that
// backoff plus its jitter and a margin, measured from its "listening" line on a monotonic clock.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/auth.h"
#include "services/common/service_runtime.h"
#include "services/common/testing/test_support.h"
#include "tests/http_client.h"
#include "tests/process.h"

namespace thb::testing {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

class ReconnectTest : public ::testing::Test {
 protected:
  void SetUp() override { WriteFile(dir_.File("key"), TestKey() + "\n"); }

  // The coordinator on `listen` (its first start picks a free port).
  void StartCoordinator(const std::string& listen) {
    StartedService s = StartService(THB_COORDINATOR_BIN, dir_.File("coordinator.db"),
                                    dir_.File("key"), {"--listen=" + listen});
    coordinator_ = std::move(s.process);
    ASSERT_TRUE(s.listening.has_value()) << coordinator_->Output();
    coordinator_address_ = AddressOf(*s.listening);
  }

  HttpResult Http(const std::string& method, const std::string& target, const std::string& body,
                  const std::string& role) {
    return HttpCall(gateway_address_, method, target, body,
                    {{"authorization", "Bearer " + Token({role})}, {"grpc-timeout", "2S"}});
  }

  HttpResult ListInstitutions() {
    return Http("GET", "/v1/coordinator/institutions", "", roles::kCoordinatorOffice);
  }
  HttpResult CreateMember() {  // the commission asks the coordinator whether the institution exists
    return Http("POST", "/v1/commission/members?requestId=member-1",
                json{{"institution", "institutions/ngo"},
                     {"seat", "SEAT_CIVIL_SOCIETY"},
                     {"role", "MEMBER_ROLE_MEMBER"}}
                    .dump(),
                roles::kCommissionSecretariat);
  }

  // Seconds from `since` until `call` first answers 200, calling every 50 ms (at most 30 s).
  template <typename Call>
  static double SecondsUntilOk(Clock::time_point since, Call call) {
    const Clock::time_point give_up = since + std::chrono::seconds(30);
    while (Clock::now() < give_up) {
      if (call().status == 200) return std::chrono::duration<double>(Clock::now() - since).count();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 1e9;
  }

  TempDir dir_;
  std::unique_ptr<ChildProcess> coordinator_;
  std::unique_ptr<ChildProcess> commission_;
  std::unique_ptr<ChildProcess> gateway_;
  std::string coordinator_address_;
  std::string gateway_address_;
};

TEST_F(ReconnectTest, CallersReachARecoveredUpstreamWithinTheMaximumBackoff) {
  StartCoordinator("127.0.0.1:0");
  StartedService commission =
      StartService(THB_COMMISSION_BIN, dir_.File("commission.db"), dir_.File("key"),
                   {"--coordinator_target=" + coordinator_address_, "--upstream_timeout=2s"});
  commission_ = std::move(commission.process);
  ASSERT_TRUE(commission.listening.has_value()) << commission_->Output();
  gateway_ = std::make_unique<ChildProcess>(
      THB_GATEWAY_BIN, std::vector<std::string>{
                           "--listen=127.0.0.1:0", "--coordinator_target=" + coordinator_address_,
                           "--commission_target=" + AddressOf(*commission.listening),
                           "--rapporteur_target=127.0.0.1:1"});
  auto line = gateway_->WaitForListening();
  ASSERT_TRUE(line.has_value()) << gateway_->Output();
  gateway_address_ = AddressOf(*line);
  HttpResult created = Http("POST", "/v1/coordinator/institutions?institutionId=ngo",
                            json{{"displayName", "NGO"},
                                 {"sector", "SECTOR_CIVIL_SOCIETY"},
                                 {"kind", "INSTITUTION_KIND_CIVIL_SOCIETY"}}
                                .dump(),
                            roles::kCoordinatorOffice);
  ASSERT_EQ(created.status, 200) << created.body;

  // The outage: both callers fail while the coordinator is down, and their channels keep
  // trying to reconnect, each wait longer than the one before.
  ASSERT_EQ(coordinator_->Stop(SIGKILL), 128 + SIGKILL);
  const Clock::time_point down = Clock::now();
  EXPECT_EQ(ListInstitutions().status, 503);
  EXPECT_EQ(CreateMember().status, 503);
  std::this_thread::sleep_until(down + std::chrono::seconds(10));  // the outage itself

  StartCoordinator(coordinator_address_);
  const Clock::time_point up = Clock::now();
  double gateway_seconds = 0, commission_seconds = 0;
  std::thread gateway_caller(
      [&] { gateway_seconds = SecondsUntilOk(up, [&] { return ListInstitutions(); }); });
  std::thread commission_caller(
      [&] { commission_seconds = SecondsUntilOk(up, [&] { return CreateMember(); }); });
  gateway_caller.join();
  commission_caller.join();
  const double outage = std::chrono::duration<double>(up - down).count();
  RecordProperty("outage_seconds", absl::StrCat(outage));
  RecordProperty("gateway_recovery_seconds", absl::StrCat(gateway_seconds));
  RecordProperty("commission_recovery_seconds", absl::StrCat(commission_seconds));
  std::printf("outage %.2f s; back to OK after: gateway %.2f s, commission %.2f s\n", outage,
              gateway_seconds, commission_seconds);

  // gRPC adds up to 20 % jitter to each wait; one second more for the call itself.
  const double bound = absl::ToDoubleSeconds(kUpstreamMaxBackoff) * 1.2 + 1.0;
  EXPECT_LT(gateway_seconds, bound);
  EXPECT_LT(commission_seconds, bound);
}

}  // namespace
}  // namespace thb::testing
