// The audit log and change feed across processes: a government system follows the coordinator's
// changes over HTTP, the coordinator is killed and restarted on the same database between two
// reads, and the reader resumes from its last sequence with nothing missed and nothing repeated;
// WatchChanges streams over gRPC and as NDJSON through the gateway; and a row edited in the
// database behind the running service's back makes `auditEvents:verify` name the broken link.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "services/common/audit_log.h"
#include "services/common/auth.h"
#include "services/common/idempotency.h"
#include "services/common/sha256.h"
#include "services/common/storage.h"
#include "services/common/testing/test_support.h"
#include "tests/http_client.h"
#include "tests/process.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::testing {
namespace {

using json = nlohmann::json;

class ChangeFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.File("key"), TestKey() + "\n");
    StartCoordinatorAndGateway();
  }

  void StartCoordinatorAndGateway() {
    gateway_.reset();
    StartedService s =
        StartService(THB_COORDINATOR_BIN, dir_.File("coordinator.db"), dir_.File("key"));
    coordinator_ = std::move(s.process);
    ASSERT_TRUE(s.listening.has_value()) << coordinator_->Output();
    coordinator_address_ = AddressOf(*s.listening);
    gateway_ = std::make_unique<ChildProcess>(
        THB_GATEWAY_BIN, std::vector<std::string>{
                             "--listen=127.0.0.1:0", "--coordinator_target=" + coordinator_address_,
                             "--commission_target=127.0.0.1:1", "--rapporteur_target=127.0.0.1:1"});
    auto line = gateway_->WaitForListening();
    ASSERT_TRUE(line.has_value()) << gateway_->Output();
    gateway_address_ = AddressOf(*line);
  }

  HttpResult Http(const std::string& method, const std::string& target,
                  const std::string& body = "", std::map<std::string, std::string> headers = {}) {
    headers["authorization"] =
        "Bearer " + Token({roles::kCoordinatorOffice}, "", absl::Hours(1), "office-1");
    return HttpCall(gateway_address_, method, target, body, headers);
  }

  void CreateInstitution(const std::string& id) {
    HttpResult r = Http("POST", "/v1/coordinator/institutions?institutionId=" + id,
                        json{{"displayName", id},
                             {"sector", "SECTOR_CIVIL_SOCIETY"},
                             {"kind", "INSTITUTION_KIND_CIVIL_SOCIETY"}}
                            .dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // sequence -> resource of a list of events (64-bit sequences arrive as JSON strings).
  static std::vector<std::pair<std::string, std::string>> Events(const json& events) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const json& e : events) out.emplace_back(e["sequence"], e["resource"]);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<ChildProcess> coordinator_;
  std::unique_ptr<ChildProcess> gateway_;
  std::string coordinator_address_;
  std::string gateway_address_;
};

using Seq = std::vector<std::pair<std::string, std::string>>;

TEST_F(ChangeFeedTest, AReaderResumesAfterACrashAndRestartWithNothingMissedOrRepeated) {
  for (const char* id : {"a", "b", "c"}) CreateInstitution(id);
  HttpResult page = Http("GET", "/v1/coordinator/changes?afterSequence=0&pageSize=2");
  ASSERT_EQ(page.status, 200) << page.body;
  json first = json::parse(page.body);
  EXPECT_EQ(Events(first["events"]), (Seq{{"1", "institutions/a"}, {"2", "institutions/b"}}));
  EXPECT_EQ(first["lastSequence"], "2");
  EXPECT_EQ(first["events"][0]["actor"], "office-1");
  EXPECT_EQ(first["events"][0]["role"], "coordinator_office");

  // The coordinator dies without a chance to flush anything, and comes back on the same file.
  EXPECT_EQ(coordinator_->Stop(SIGKILL), 128 + SIGKILL);
  StartCoordinatorAndGateway();
  CreateInstitution("d");

  page = Http("GET",
              "/v1/coordinator/changes?afterSequence=" + first["lastSequence"].get<std::string>());
  ASSERT_EQ(page.status, 200) << page.body;
  json second = json::parse(page.body);
  EXPECT_EQ(Events(second["events"]), (Seq{{"3", "institutions/c"}, {"4", "institutions/d"}}));
  EXPECT_EQ(second["lastSequence"], "4");
  // The chain continues across the restart.
  EXPECT_EQ(second["events"][0]["previousHash"], first["events"][1]["hash"]);

  HttpResult verified = Http("POST", "/v1/coordinator/auditEvents:verify", "{}");
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(json::parse(verified.body)["intact"], true);
  EXPECT_EQ(json::parse(verified.body)["eventsChecked"], "4");
}

TEST_F(ChangeFeedTest, WatchStreamsOverGrpcAndAsNdjsonThroughTheGateway) {
  for (const char* id : {"a", "b", "c"}) CreateInstitution(id);

  // gRPC: history after 1, then an event committed while the stream is open.
  auto stub = coordinator::v1::CoordinatorService::NewStub(
      grpc::CreateChannel(coordinator_address_, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + Token({roles::kServiceCommission}));
  type::v1::WatchChangesRequest from;
  from.set_after_sequence(1);
  auto stream = stub->WatchChanges(&ctx, from);
  type::v1::AuditEvent e;
  ASSERT_TRUE(stream->Read(&e));
  EXPECT_EQ(e.sequence(), 2);
  ASSERT_TRUE(stream->Read(&e));
  EXPECT_EQ(e.sequence(), 3);
  CreateInstitution("d");
  ASSERT_TRUE(stream->Read(&e));
  EXPECT_EQ(e.sequence(), 4);
  EXPECT_EQ(e.resource(), "institutions/d");
  ctx.TryCancel();
  stream->Finish();

  // HTTP: the same feed as NDJSON; the caller's deadline ends the open stream with an error line.
  HttpResult watched =
      Http("GET", "/v1/coordinator/changes:watch?afterSequence=2", "", {{"grpc-timeout", "1S"}});
  ASSERT_EQ(watched.status, 200) << watched.body;
  EXPECT_EQ(watched.headers["content-type"], "application/x-ndjson");
  std::vector<std::string> lines = absl::StrSplit(watched.body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << watched.body;
  EXPECT_EQ(json::parse(lines[0])["sequence"], "3");
  EXPECT_EQ(json::parse(lines[1])["sequence"], "4");
  EXPECT_EQ(json::parse(lines[2])["error"]["code"], 4);  // DEADLINE_EXCEEDED
}

// Issue 15: the Rapporteur's service principal reads the coordinator's change feed (the audit
// log) and draft plans, but not the office's internal notes. With an unkeyed digest it could hash
// candidate notes until one matched; with the keyed digest even the right guess does not.
TEST_F(ChangeFeedTest, AReaderWithoutTheInternalNotesCannotTestAGuessAgainstTheDigest) {
  const std::string notes = "The finance ministry will cut the shelter budget.";
  HttpResult created = Http("POST", "/v1/coordinator/plans?planId=nap",
                            json{{"title", "NAP 2026-2028"},
                                 {"periodStart", {{"year", 2026}, {"month", 1}, {"day", 1}}},
                                 {"periodEnd", {{"year", 2028}, {"month", 12}, {"day", 31}}},
                                 {"currencyCode", "EUR"},
                                 {"internalNotes", notes}}
                                .dump());
  ASSERT_EQ(created.status, 200) << created.body;
  const std::map<std::string, std::string> reader = {
      {"authorization", "Bearer " + Token({roles::kServiceRapporteur})}};
  HttpResult feed =
      HttpCall(gateway_address_, "GET", "/v1/coordinator/changes?afterSequence=0", "", reader);
  ASSERT_EQ(feed.status, 200) << feed.body;
  const std::string digest = json::parse(feed.body)["events"][0]["changeDigest"];
  ASSERT_EQ(digest.substr(0, 12), kKeyedDigestPrefix) << digest;
  HttpResult seen = HttpCall(gateway_address_, "GET", "/v1/coordinator/plans/nap", "", reader);
  ASSERT_EQ(seen.status, 200) << seen.body;
  ASSERT_FALSE(json::parse(seen.body).contains("internalNotes")) << seen.body;

  // The curious reader rebuilds the stored record from what it may read, plus the right guess.
  coordinator::v1::ActionPlan rebuilt;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(seen.body, &rebuilt).ok());
  rebuilt.set_internal_notes(notes);
  const std::string guess = RequestFingerprint(rebuilt);  // hex SHA-256, deterministic bytes
  EXPECT_NE(digest, guess);
  EXPECT_EQ(digest.find(guess), std::string::npos);
  // The rebuilt record is exact: under the coordinator's own key it gives the digest. So the
  // only thing between the reader and a confirmed guess is that key.
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(dir_.File("coordinator.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  std::string key;
  ASSERT_TRUE((*db)
                  ->RunReadOnly([&](Transaction& tx) -> absl::Status {
                    absl::StatusOr<std::vector<Row>> rows =
                        tx.Query("SELECT secret FROM audit_digest_key");
                    if (!rows.ok()) return rows.status();
                    if (!rows->empty()) key = (*rows)[0].Text(0);
                    return absl::OkStatus();
                  })
                  .ok());
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    rebuilt.SerializeToCodedStream(&coded);
  }
  EXPECT_EQ(digest.substr(12), HmacSha256Hex(key, bytes));
}

TEST_F(ChangeFeedTest, AnEditBehindTheRunningServicesBackBreaksTheChain) {
  for (const char* id : {"a", "b", "c"}) CreateInstitution(id);
  HttpResult verified = Http("POST", "/v1/coordinator/auditEvents:verify", "{}");
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(json::parse(verified.body)["intact"], true);

  // Someone with access to the database file rewrites who created institution b.
  {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(dir_.File("coordinator.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)
                    ->RunInTransaction([](Transaction& tx) {
                      return tx
                          .Execute(
                              "UPDATE audit_events SET actor = 'someone-else' "
                              "WHERE sequence = 2")
                          .status();
                    })
                    .ok());
  }
  verified = Http("POST", "/v1/coordinator/auditEvents:verify", "{}");
  ASSERT_EQ(verified.status, 200) << verified.body;
  json verdict = json::parse(verified.body);
  EXPECT_FALSE(verdict.value("intact", false)) << verified.body;  // proto3 JSON omits false
  EXPECT_EQ(verdict["firstBrokenSequence"], "2");
  EXPECT_EQ(verdict["eventsChecked"], "2");

  // The log itself shows the edit, and new changes still append (after the broken link).
  HttpResult listed = Http("GET", "/v1/coordinator/auditEvents?resource=institutions/b");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(json::parse(listed.body)["auditEvents"][0]["actor"], "someone-else");
  CreateInstitution("d");
  EXPECT_EQ(
      json::parse(
          Http("POST", "/v1/coordinator/auditEvents:verify", "{}").body)["firstBrokenSequence"],
      "2");
}

// Issue 15: a hash chain cannot see its own tail cut off. A monitor records the head from an
// intact verification; the newest event is then deleted from the file behind the running
// service's back; the chain alone still looks intact, the recorded head does not.
TEST_F(ChangeFeedTest, DeletingTheNewestEventIsReportedAgainstTheHeadAMonitorRecorded) {
  for (const char* id : {"a", "b", "c"}) CreateInstitution(id);
  HttpResult verified = Http("POST", "/v1/coordinator/auditEvents:verify", "{}");
  ASSERT_EQ(verified.status, 200) << verified.body;
  const json head = json::parse(verified.body);
  ASSERT_EQ(head["headSequence"], "3") << verified.body;
  ASSERT_EQ(head["headHash"].get<std::string>().size(), 64u);
  {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(dir_.File("coordinator.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)
                    ->RunInTransaction([](Transaction& tx) {
                      return tx.Execute("DELETE FROM audit_events WHERE sequence = 3").status();
                    })
                    .ok());
  }
  json alone = json::parse(Http("POST", "/v1/coordinator/auditEvents:verify", "{}").body);
  EXPECT_EQ(alone["intact"], true);  // the blind spot the head closes
  EXPECT_EQ(alone["headSequence"], "2");

  const json expected = {{"expectedHeadSequence", head["headSequence"]},
                         {"expectedHeadHash", head["headHash"]}};
  HttpResult checked = Http("POST", "/v1/coordinator/auditEvents:verify", expected.dump());
  ASSERT_EQ(checked.status, 200) << checked.body;
  json verdict = json::parse(checked.body);
  EXPECT_FALSE(verdict.value("intact", false)) << checked.body;
  EXPECT_EQ(verdict["problem"], "AUDIT_CHAIN_PROBLEM_TRUNCATED");
  EXPECT_EQ(verdict["firstBrokenSequence"], "3");

  // Writing new events over the gap does not hide it: the event now at 3 is not the recorded one.
  CreateInstitution("d");
  verdict = json::parse(Http("POST", "/v1/coordinator/auditEvents:verify", expected.dump()).body);
  EXPECT_FALSE(verdict.value("intact", false));
  EXPECT_EQ(verdict["problem"], "AUDIT_CHAIN_PROBLEM_HEAD_MISMATCH");
  EXPECT_EQ(verdict["firstBrokenSequence"], "3");
}

}  // namespace
}  // namespace thb::testing
