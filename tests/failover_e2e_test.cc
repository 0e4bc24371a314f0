// The multi-replica shape of a Kubernetes deployment, on one machine: two replicas of the
// coordinator on one PostgreSQL database, on one port of two loopback addresses (127.0.0.1 and
// 127.0.0.2, as two pods), the commission and the rapporteur on the same server (a schema each),
// and the gateway. The gateway, the commission and the rapporteur reach the coordinator through a
// DNS name that resolves to both addresses (a test DNS server standing in for a headless
// Service's name, resolved by gRPC's own DNS resolver) and balance over it with round_robin.
//
// A client keeps writing through the gateway (institutions at the coordinator; Commission members,
// which the commission checks at the coordinator) while one replica is SIGKILLed. A write that
// fails is retried with the same request id, as clients are told to. The test shows that both
// replicas carried load before the kill, that every request sent after the failover deadline
// succeeded at once, and that no acknowledged write was lost or stored twice.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/auth.h"
#include "services/common/testing/postgres_server.h"
#include "services/common/testing/test_support.h"
#include "tests/fake_dns.h"
#include "tests/http_client.h"
#include "tests/process.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::testing {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

// Requests sent this long after the kill must all succeed at the first attempt.
constexpr absl::Duration kFailoverDeadline = absl::Seconds(5);
// Requests sent after the deadline before the run ends.
constexpr int kRequestsAfterDeadline = 60;

// grpc_server_handled_total summed over a /metrics page, for one service's methods.
double HandledCalls(const std::string& admin_address) {
  HttpResult page = HttpCall(admin_address, "GET", "/metrics");
  double total = 0;
  size_t pos = 0;
  while ((pos = page.body.find("\ngrpc_server_handled_total{", pos)) != std::string::npos) {
    size_t end = page.body.find('\n', pos + 1);
    std::string line = page.body.substr(pos + 1, end - pos - 1);
    total += std::stod(line.substr(line.rfind(' ') + 1));
    pos = end;
  }
  return total;
}

class FailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<PostgresServer::WithDatabase> pg = PostgresServer::StartWithDatabase();
    ASSERT_TRUE(pg.ok()) << pg.status();
    postgres_ = std::move(pg->server);
    url_ = pg->url;
    WriteFile(dir_.File("key"), TestKey() + "\n");

    // Two replicas on one port of two addresses, as two pods behind a headless Service, and a
    // DNS name that resolves to both; callers resolve it with gRPC's own DNS resolver.
    coordinators_.push_back(Start(THB_COORDINATOR_BIN, {}));
    ASSERT_FALSE(HasFatalFailure());
    const std::string port = addresses_.back().substr(addresses_.back().rfind(':') + 1);
    coordinators_.push_back(Start(THB_COORDINATOR_BIN, {"--listen=127.0.0.2:" + port}));
    ASSERT_FALSE(HasFatalFailure());
    coordinator_addresses_ = {addresses_[0], addresses_[1]};
    coordinator_admin_ = {admin_[0], admin_[1]};
    dns_ = std::make_unique<FakeDns>("thb-coordinator.thb.test",
                                     std::vector<std::string>{"127.0.0.1", "127.0.0.2"});
    const std::string both =
        absl::StrCat("dns://127.0.0.1:", dns_->port(), "/thb-coordinator.thb.test:", port);
    commission_ = Start(THB_COMMISSION_BIN, {"--coordinator_target=" + both});
    ASSERT_FALSE(HasFatalFailure());
    const std::string commission_address = addresses_.back();
    rapporteur_ = Start(THB_RAPPORTEUR_BIN, {"--coordinator_target=" + both,
                                             "--commission_target=" + commission_address});
    ASSERT_FALSE(HasFatalFailure());
    gateway_ = std::make_unique<ChildProcess>(
        THB_GATEWAY_BIN, std::vector<std::string>{
                             "--listen=127.0.0.1:0", "--coordinator_target=" + both,
                             "--commission_target=" + commission_address,
                             "--rapporteur_target=" + addresses_.back(), "--request_timeout=10s"});
    auto line = gateway_->WaitForListening();
    ASSERT_TRUE(line.has_value()) << gateway_->Output();
    gateway_address_ = AddressOf(*line);
  }

  void TearDown() override {
    gateway_.reset();
    rapporteur_.reset();
    commission_.reset();
    coordinators_.clear();
    postgres_.reset();  // the services stop before their database does
  }

  std::unique_ptr<ChildProcess> Start(const std::string& binary, std::vector<std::string> extra) {
    extra.insert(extra.begin(), "--db_pool_size=4");
    StartedService s = StartService(binary, url_, dir_.File("key"), std::move(extra));
    EXPECT_TRUE(s.listening.has_value()) << s.process->Output();
    if (!s.listening) return std::move(s.process);
    addresses_.push_back(AddressOf(*s.listening));
    admin_.push_back(s.listening->value("admin_address", ""));
    return std::move(s.process);
  }

  HttpResult Http(const std::string& method, const std::string& target, const std::string& body,
                  const std::string& role) {
    return HttpCall(
        gateway_address_, method, target, body,
        {{"authorization", "Bearer " + Token({role}, "", absl::Hours(1), "failover-client")},
         {"content-type", "application/json"}});
  }

  HttpResult CreateInstitution(int n) {
    const std::string id = absl::StrCat("body-", n);
    return Http(
        "POST",
        absl::StrCat("/v1/coordinator/institutions?institutionId=", id, "&requestId=inst-", n),
        json{{"displayName", absl::StrCat("Body ", n)},
             {"sector", "SECTOR_CIVIL_SOCIETY"},
             {"kind", "INSTITUTION_KIND_CIVIL_SOCIETY"}}
            .dump(),
        roles::kCoordinatorOffice);
  }

  // A member for institution body-<n> (the commission asks the coordinator whether it exists).
  HttpResult CreateMember(int n) {
    return Http("POST", absl::StrCat("/v1/commission/members?requestId=member-", n),
                json{{"institution", absl::StrCat("institutions/body-", n)},
                     {"seat", "SEAT_CIVIL_SOCIETY"},
                     {"role", "MEMBER_ROLE_MEMBER"},
                     {"voting", true}}
                    .dump(),
                roles::kCommissionSecretariat);
  }

  // The names of every resource of a collection, page by page.
  void ListAll(const std::string& collection, const std::string& field, const std::string& role,
               std::multiset<std::string>* names) {
    std::string token;
    do {
      HttpResult page = Http("GET", collection + "?pageSize=100&pageToken=" + token, "", role);
      ASSERT_EQ(page.status, 200) << page.body;
      json body = json::parse(page.body);
      for (const json& r : body.value(field, json::array())) names->insert(r["name"]);
      token = body.value("nextPageToken", "");
    } while (!token.empty());
  }

  TempDir dir_;
  std::unique_ptr<PostgresServer> postgres_;
  std::string url_;
  std::vector<std::string> addresses_, admin_;
  std::vector<std::unique_ptr<ChildProcess>> coordinators_;
  std::vector<std::string> coordinator_addresses_, coordinator_admin_;
  std::unique_ptr<ChildProcess> commission_, rapporteur_, gateway_;
  std::unique_ptr<FakeDns> dns_;
  std::string gateway_address_;
};

struct Attempt {
  absl::Time sent;
  int status;
  std::string body;
};

TEST_F(FailoverTest, EveryRequestAfterTheFailoverDeadlineSucceedsAndNoWriteIsLost) {
  absl::Mutex mu;
  std::map<int, std::string> members;  // n -> member name, of acknowledged creates
  std::vector<Attempt> attempts;       // every attempt, in the order the clients finished them
  int units_done = 0;
  int failed_attempts = 0;
  absl::Time killed_at = absl::InfiniteFuture();
  bool stop = false;
  std::string fatal;  // set by a client that saw something other than success or UNAVAILABLE

  // One unit of work: an institution, then a member for it; each retried with its request id
  // until acknowledged (a failure must be UNAVAILABLE, the caller's cue to retry).
  auto work = [&](int n) {
    for (int step = 0; step < 2; ++step) {
      for (int attempt = 0;; ++attempt) {
        const absl::Time sent = absl::Now();
        HttpResult r = step == 0 ? CreateInstitution(n) : CreateMember(n);
        absl::MutexLock lock(&mu);
        attempts.push_back({sent, r.status, r.body});
        if (r.status == 200) {
          if (step == 1) members[n] = json::parse(r.body)["name"];
          break;
        }
        ++failed_attempts;
        if (r.status != 503 || attempt >= 100) {
          fatal = absl::StrCat("unit ", n, " step ", step, ": ", r.status, " ", r.body);
          stop = true;
          return;
        }
      }
    }
    absl::MutexLock lock(&mu);
    ++units_done;
  };

  // Before the kill: both replicas carry the load.
  for (int n = 0; n < 20; ++n) work(n);
  ASSERT_EQ(fatal, "");
  const double handled_before[2] = {HandledCalls(coordinator_admin_[0]),
                                    HandledCalls(coordinator_admin_[1])};
  EXPECT_GT(handled_before[0], 5) << "replica 0 received no load";
  EXPECT_GT(handled_before[1], 5) << "replica 1 received no load";
  EXPECT_EQ(failed_attempts, 0);
  EXPECT_GT(dns_->answered(), 0) << "the callers did not resolve the name";

  // Four clients keep writing; replica 0 is killed without warning (no drain) while their
  // requests are in flight, and they go on until 60 requests were sent after the deadline.
  std::atomic<int> next{20};
  std::vector<std::thread> clients;
  clients.reserve(4);
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      while (true) {
        {
          absl::MutexLock lock(&mu);
          if (stop) return;
        }
        work(next++);
      }
    });
  }
  auto sent_after_deadline = [&] {
    int count = 0;
    for (const Attempt& a : attempts) count += a.sent > killed_at + kFailoverDeadline;
    return count;
  };
  {
    absl::MutexLock lock(&mu);
    auto warmed_up = [&] { return stop || units_done >= 60; };
    mu.Await(absl::Condition(&warmed_up));
    killed_at = absl::Now();
  }
  EXPECT_EQ(coordinators_[0]->Stop(SIGKILL), 128 + SIGKILL);
  {
    absl::MutexLock lock(&mu);
    auto enough = [&] { return stop || sent_after_deadline() >= kRequestsAfterDeadline; };
    mu.Await(absl::Condition(&enough));
    stop = true;
  }
  for (auto& c : clients) c.join();
  ASSERT_EQ(fatal, "");
  const int n = next;  // units 0..n-1, every one acknowledged

  // Every request sent after the deadline succeeded at the first attempt.
  absl::Time last_failure = killed_at;
  int late = 0, after_kill = 0;
  for (const Attempt& a : attempts) {
    after_kill += a.sent > killed_at;
    if (a.status != 200) last_failure = std::max(last_failure, a.sent);
    if (a.sent > killed_at + kFailoverDeadline) {
      ++late;
      EXPECT_EQ(a.status, 200) << "sent " << absl::FormatDuration(a.sent - killed_at)
                               << " after the kill: " << a.body;
    }
  }
  EXPECT_GE(late, kRequestsAfterDeadline);
  std::printf(
      "failover: %d failed attempts (each retried to success), the last sent %s after the "
      "kill; %d attempts after the kill, %d after the %s deadline, all succeeded\n",
      failed_attempts, absl::FormatDuration(last_failure - killed_at).c_str(), after_kill, late,
      absl::FormatDuration(kFailoverDeadline).c_str());
  EXPECT_GT(HandledCalls(coordinator_admin_[1]), handled_before[1] + kRequestsAfterDeadline / 2.0)
      << "the surviving replica did not take the load";

  // No acknowledged write lost, none stored twice: every institution and member is there once.
  std::multiset<std::string> names;
  ListAll("/v1/coordinator/institutions", "institutions", roles::kCoordinatorOffice, &names);
  EXPECT_EQ(names.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    EXPECT_EQ(names.count(absl::StrCat("institutions/body-", i)), 1u) << i;

  std::multiset<std::string> member_names;
  ListAll("/v1/commission/members", "members", roles::kCommissionSecretariat, &member_names);
  EXPECT_EQ(member_names.size(), static_cast<size_t>(n));
  ASSERT_EQ(members.size(), static_cast<size_t>(n));
  for (const auto& [i, name] : members) EXPECT_EQ(member_names.count(name), 1u) << name;

  // The chain both replicas appended to is whole: one event per institution, in order.
  HttpResult verified =
      Http("POST", "/v1/coordinator/auditEvents:verify", "{}", roles::kCoordinatorOffice);
  ASSERT_EQ(verified.status, 200) << verified.body;
  json verdict = json::parse(verified.body);
  EXPECT_EQ(verdict.value("intact", false), true) << verified.body;
  EXPECT_EQ(verdict["eventsChecked"], absl::StrCat(n));  // int64: a JSON string

  // The rapporteur, balancing over the same two addresses, checks a reporting institution at the
  // surviving replica.
  HttpResult submitted = HttpCall(
      gateway_address_, "POST", "/v1/rapporteur/statisticsSubmissions",
      R"({"reportingInstitution":"institutions/body-0","period":{"year":2025},
          "rows":[{"indicator":"STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED","form":"FORM_OF_EXPLOITATION_FORCED_LABOUR","count":"3"}]})",
      {{"authorization", "Bearer " + Token({roles::kReportingInstitution}, "institutions/body-0")},
       {"content-type", "application/json"}});
  EXPECT_EQ(submitted.status, 200) << submitted.body;

  // The killed replica comes back on the same database and serves what the other one wrote.
  coordinators_[0] = Start(THB_COORDINATOR_BIN, {"--listen=" + coordinator_addresses_[0]});
  ASSERT_FALSE(HasFatalFailure());
  auto stub = coordinator::v1::CoordinatorService::NewStub(
      grpc::CreateChannel(addresses_.back(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + Token({roles::kCoordinatorOffice}));
  coordinator::v1::GetInstitutionRequest get;
  get.set_name(absl::StrCat("institutions/body-", n - 1));  // the last one, written by replica 1
  coordinator::v1::Institution last;
  grpc::Status got = stub->GetInstitution(&ctx, get, &last);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(last.display_name(), absl::StrCat("Body ", n - 1));
}

TEST_F(FailoverTest, ABadPoolSizeIsOneClearLine) {
  ChildProcess bad(THB_COORDINATOR_BIN,
                   {"--listen=127.0.0.1:0", "--db=" + url_,
                    "--jwt_hs256_key_file=" + dir_.File("key"), "--db_pool_size=0"});
  EXPECT_NE(bad.Wait(), 0);
  EXPECT_THAT(bad.Output(), HasSubstr("--db_pool_size must be between 1 and 1000"));
}

}  // namespace
}  // namespace thb::testing
