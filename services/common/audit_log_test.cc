// The audit log on a real SQLite store: appends in the mutation's transaction, pages, filters,
// and a chain that detects every kind of edit made behind the service's back.
#include "services/common/audit_log.h"

#include <gmock/gmock.h>
#include <google/protobuf/empty.pb.h>
#include <gtest/gtest.h>

#include "google/rpc/status.pb.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/sha256.h"
#include "services/common/testing/test_support.h"

namespace thb {
namespace {

using ::testing::ElementsAre;
using type::v1::AuditEvent;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = *OpenDatabase(dir_.File("audit.db"));
    ASSERT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
  }

  // One mutation of `resource`, committed, as `subject`.
  void Mutate(const std::string& resource, const std::string& request_id = "",
              const std::string& subject = "alice") {
    const AuditActor actor{subject, "coordinator_office", "/thb.Svc/Update"};
    google::rpc::Status stored;
    stored.set_message(resource);
    ASSERT_TRUE(db_->RunInTransaction([&](Transaction& tx) {
                     return RecordMutation(tx, actor, "Update", request_id, resource, stored);
                   })
                    .ok());
  }

  void Tamper(const std::string& sql) {
    ASSERT_TRUE(
        db_->RunInTransaction([&](Transaction& tx) { return tx.Execute(sql).status(); }).ok());
  }

  std::vector<int64_t> Sequences(const google::protobuf::RepeatedPtrField<AuditEvent>& events) {
    std::vector<int64_t> out;
    for (const AuditEvent& e : events) out.push_back(e.sequence());
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST(AuditEventHash, MatchesTheDocumentedEncoding) {
  // Expected value computed independently (Python hashlib) from docs/SECURITY.md's encoding.
  AuditEvent e;
  e.set_sequence(1);
  *e.mutable_time() = ToProtoTimestamp(absl::FromUnixMicros(1700000000123456));
  e.set_actor("alice");
  e.set_role("coordinator_office");
  e.set_method("/thb.coordinator.v1.CoordinatorService/CreateInstitution");
  e.set_resource("institutions/ngo");
  e.set_request_id("r-1");
  EXPECT_EQ(AuditEventHash(e), "8caf1615cccda02e220981f94c31dc38b744913c04526561c0f8b9131e99fa7c");
  e.set_actor("alicf");
  EXPECT_NE(AuditEventHash(e), "8caf1615cccda02e220981f94c31dc38b744913c04526561c0f8b9131e99fa7c");
}

TEST_F(AuditLogTest, EachMutationAppendsAChainedEventWithTheActor) {
  Mutate("institutions/a", "req-1");
  Mutate("institutions/b", "", "bob");
  AuditLog log(*db_);
  absl::StatusOr<type::v1::ListAuditEventsResponse> list = log.List({});
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->audit_events_size(), 2);
  const AuditEvent& first = list->audit_events(0);
  const AuditEvent& second = list->audit_events(1);
  EXPECT_EQ(first.sequence(), 1);
  EXPECT_EQ(first.actor(), "alice");
  EXPECT_EQ(first.role(), "coordinator_office");
  EXPECT_EQ(first.method(), "/thb.Svc/Update");
  EXPECT_EQ(first.resource(), "institutions/a");
  EXPECT_EQ(first.request_id(), "req-1");
  EXPECT_EQ(first.change_digest().size(), 12u + 64u);
  EXPECT_EQ(first.change_digest().substr(0, 12), kKeyedDigestPrefix);
  EXPECT_EQ(first.previous_hash(), "");
  EXPECT_EQ(first.hash(), AuditEventHash(first));
  EXPECT_GT(first.time().seconds(), 0);
  EXPECT_EQ(second.actor(), "bob");
  EXPECT_EQ(second.previous_hash(), first.hash());
  EXPECT_NE(second.change_digest(), first.change_digest());

  absl::StatusOr<type::v1::AuditVerification> v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact());
  EXPECT_EQ(v->events_checked(), 2);
  EXPECT_EQ(v->first_broken_sequence(), 0);
}

// A record holding a restricted field (a survivor leader's legal name, a contact e-mail).
google::rpc::Status MemberWithLegalName(const std::string& legal_name) {
  google::rpc::Status member;
  member.set_code(7);
  member.set_message("members/m1 pseudonym=Maya legal_name=" + legal_name);
  return member;
}

TEST_F(AuditLogTest, AChangeDigestCannotBeTestedWithoutTheServicesSecret) {
  const google::rpc::Status stored = MemberWithLegalName("Jane Roe");
  ASSERT_TRUE(db_->RunInTransaction([&](Transaction& tx) {
                   return RecordMutation(tx, AuditActor::Internal(), "CreateMember", "",
                                         "members/m1", stored);
                 })
                  .ok());
  const std::string digest = (*AuditLog(*db_).EventsAfter(0, 1))[0].change_digest();
  // A reader who knows every other field and guesses the legal name right cannot confirm the
  // guess: the digest is neither the SHA-256 of the record nor anything else computable from it.
  const std::string guess = RequestFingerprint(MemberWithLegalName("Jane Roe"));
  EXPECT_NE(digest, guess);
  EXPECT_NE(digest, kKeyedDigestPrefix + guess);
  EXPECT_NE(digest.substr(12), guess);
  // The service itself (the one holder of the key, in its own database) can.
  std::string key;
  ASSERT_TRUE(db_->RunReadOnly([&](Transaction& tx) -> absl::Status {
                   absl::StatusOr<std::vector<Row>> rows =
                       tx.Query("SELECT secret FROM audit_digest_key");
                   if (!rows.ok()) return rows.status();
                   EXPECT_EQ(rows->size(), 1u);
                   key = (*rows)[0].Text(0);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(key.size(), 32u);
  std::string bytes;
  ASSERT_TRUE(stored.SerializeToString(&bytes));
  EXPECT_EQ(digest, kKeyedDigestPrefix + HmacSha256Hex(key, bytes));
  // The same record in another service's database digests differently (a key per service), and
  // the same record again in this one digests the same (the key is kept).
  std::unique_ptr<Database> other = *OpenDatabase(dir_.File("other.db"));
  ASSERT_TRUE(other->ApplyMigrations("common", CommonMigrations()).ok());
  for (Database* db : {other.get(), db_.get()}) {
    ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) {
                    return RecordMutation(tx, AuditActor::Internal(), "CreateMember", "",
                                          "members/m1", stored);
                  }).ok());
  }
  EXPECT_NE((*AuditLog(*other).EventsAfter(0, 1))[0].change_digest(), digest);
  EXPECT_EQ((*AuditLog(*db_).EventsAfter(1, 1))[0].change_digest(), digest);
}

TEST_F(AuditLogTest, EventsWrittenBeforeDigestsWereKeyedStillVerify) {
  // Two events as the previous version wrote them: bare SHA-256 digests, chained.
  std::string previous_hash;
  for (int64_t sequence : {1, 2}) {
    AuditEvent legacy;
    legacy.set_sequence(sequence);
    *legacy.mutable_time() = ToProtoTimestamp(absl::FromUnixMicros(1700000000000000 + sequence));
    legacy.set_actor("secretariat-1");
    legacy.set_role("commission_secretariat");
    legacy.set_method("/thb.commission.v1.CommissionService/CreateMember");
    legacy.set_resource(absl::StrCat("members/m", sequence));
    legacy.set_change_digest(RequestFingerprint(MemberWithLegalName("Jane Roe")));
    legacy.set_previous_hash(previous_hash);
    legacy.set_hash(AuditEventHash(legacy));
    previous_hash = legacy.hash();
    ASSERT_TRUE(db_->RunInTransaction([&](Transaction& tx) {
                     return tx
                         .Execute(
                             "INSERT INTO audit_events (sequence, time_micros, actor, "
                             "role, method, resource, request_id, change_digest, "
                             "previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, '', "
                             "$7, $8, $9)",
                             {legacy.sequence(), 1700000000000000 + sequence, legacy.actor(),
                              legacy.role(), legacy.method(), legacy.resource(),
                              legacy.change_digest(), legacy.previous_hash(), legacy.hash()})
                         .status();
                   })
                    .ok());
  }
  Mutate("members/m3");
  AuditLog log(*db_);
  absl::StatusOr<std::vector<AuditEvent>> events = log.EventsAfter(0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].change_digest().size(), 64u);
  EXPECT_EQ((*events)[2].change_digest().substr(0, 12), kKeyedDigestPrefix);
  EXPECT_EQ((*events)[2].previous_hash(), previous_hash);
  absl::StatusOr<type::v1::AuditVerification> v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact()) << v->detail();
  EXPECT_EQ(v->events_checked(), 3);
}

TEST_F(AuditLogTest, OutsideAnRpcTheActorIsInternalAndADeletionHasNoDigest) {
  ASSERT_TRUE(db_->RunInTransaction([&](Transaction& tx) {
                   return RecordMutation(tx, AuditActor::Internal(), "DeleteThing", "", "things/x",
                                         google::protobuf::Empty());
                 })
                  .ok());
  absl::StatusOr<std::vector<AuditEvent>> events = AuditLog(*db_).EventsAfter(0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].actor(), "internal");
  EXPECT_EQ((*events)[0].role(), "");
  EXPECT_EQ((*events)[0].method(), "DeleteThing");
  EXPECT_EQ((*events)[0].change_digest(), "");
}

TEST_F(AuditLogTest, AFailedMutationLeavesNoEvent) {
  absl::Status s = db_->RunInTransaction([&](Transaction& tx) -> absl::Status {
    google::rpc::Status r;
    if (absl::Status e =
            RecordMutation(tx, AuditActor::Internal(), "Update", "", "institutions/a", r);
        !e.ok()) {
      return e;
    }
    return absl::FailedPreconditionError("the change failed after the audit append");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  Mutate("institutions/b");
  absl::StatusOr<std::vector<AuditEvent>> events = AuditLog(*db_).EventsAfter(0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].sequence(), 1);
  EXPECT_EQ((*events)[0].resource(), "institutions/b");
}

TEST_F(AuditLogTest, ListPagesAndFiltersByResourceSubtree) {
  for (const char* r : {"plans/p1", "plans/p1/measures/m1", "plans/p10", "institutions/a",
                        "plans/p1/objectives/o1"}) {
    Mutate(r);
  }
  AuditLog log(*db_);
  type::v1::ListAuditEventsRequest req;
  req.set_resource("plans/p1");
  req.set_page_size(2);
  absl::StatusOr<type::v1::ListAuditEventsResponse> page = log.List(req);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(Sequences(page->audit_events()), ElementsAre(1, 2));
  ASSERT_FALSE(page->next_page_token().empty());
  req.set_page_token(page->next_page_token());
  page = log.List(req);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Sequences(page->audit_events()), ElementsAre(5));  // not plans/p10
  EXPECT_EQ(page->next_page_token(), "");

  req.set_page_token("garbage");
  EXPECT_THAT(testing::ViolatedFields(log.List(req).status()), ElementsAre("page_token"));
  req.set_page_token("");
  req.set_page_size(-1);
  EXPECT_THAT(testing::ViolatedFields(log.List(req).status()), ElementsAre("page_size"));
}

TEST_F(AuditLogTest, ListChangesPagesBySequence) {
  for (int i = 0; i < 5; ++i) Mutate("institutions/a");
  AuditLog log(*db_);
  type::v1::ListChangesRequest req;
  req.set_after_sequence(1);
  req.set_page_size(3);
  absl::StatusOr<type::v1::ListChangesResponse> page = log.ListChanges(req);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Sequences(page->events()), ElementsAre(2, 3, 4));
  EXPECT_EQ(page->last_sequence(), 4);
  req.set_after_sequence(page->last_sequence());
  page = log.ListChanges(req);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Sequences(page->events()), ElementsAre(5));
  req.set_after_sequence(5);
  page = log.ListChanges(req);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->events().empty());
  EXPECT_EQ(page->last_sequence(), 5);  // nothing new: resume from the same place
  req.set_after_sequence(-1);
  EXPECT_THAT(testing::ViolatedFields(log.ListChanges(req).status()),
              ElementsAre("after_sequence"));
}

type::v1::VerifyAuditChainRequest ExpectHead(int64_t sequence, const std::string& hash) {
  type::v1::VerifyAuditChainRequest request;
  request.set_expected_head_sequence(sequence);
  request.set_expected_head_hash(hash);
  return request;
}

TEST_F(AuditLogTest, VerifyReportsTheHeadAndAnEmptyLogHasNone) {
  AuditLog log(*db_);
  absl::StatusOr<type::v1::AuditVerification> v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact());
  EXPECT_EQ(v->head_sequence(), 0);
  EXPECT_EQ(v->head_hash(), "");
  for (int i = 0; i < 3; ++i) Mutate("institutions/a");
  v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->head_sequence(), 3);
  EXPECT_EQ(v->head_hash(), (*log.EventsAfter(2, 1))[0].hash());
  // The recorded head, checked again after more changes: still intact.
  Mutate("institutions/b");
  v = log.Verify(ExpectHead(3, v->head_hash()));
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact()) << v->detail();
  EXPECT_EQ(v->problem(), type::v1::AUDIT_CHAIN_PROBLEM_UNSPECIFIED);
  EXPECT_EQ(v->head_sequence(), 4);
}

TEST_F(AuditLogTest, DeletingTheNewestEventsIsReportedAgainstTheExpectedHead) {
  for (int i = 0; i < 5; ++i) Mutate("institutions/a");
  AuditLog log(*db_);
  const type::v1::AuditVerification recorded = *log.Verify();
  Tamper("DELETE FROM audit_events WHERE sequence >= 4");
  // The chain alone cannot see its tail cut off...
  absl::StatusOr<type::v1::AuditVerification> v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact());
  EXPECT_EQ(v->head_sequence(), 3);
  // ...the head recorded outside the service can.
  for (const std::string& hash : {recorded.head_hash(), std::string()}) {
    v = log.Verify(ExpectHead(recorded.head_sequence(), hash));
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->intact());
    EXPECT_EQ(v->problem(), type::v1::AUDIT_CHAIN_PROBLEM_TRUNCATED);
    EXPECT_EQ(v->first_broken_sequence(), 4);
    EXPECT_THAT(v->detail(), ::testing::HasSubstr("events 4 to 5 were deleted"));
    EXPECT_EQ(v->events_checked(), 3);
  }
}

TEST_F(AuditLogTest, ATruncatedLogWrittenAgainPastTheHeadIsAMismatch) {
  for (int i = 0; i < 5; ++i) Mutate("institutions/a");
  AuditLog log(*db_);
  const type::v1::AuditVerification recorded = *log.Verify();
  Tamper("DELETE FROM audit_events WHERE sequence >= 4");
  for (int i = 0; i < 3; ++i) Mutate("institutions/forged");
  absl::StatusOr<type::v1::AuditVerification> v =
      log.Verify(ExpectHead(recorded.head_sequence(), recorded.head_hash()));
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact());
  EXPECT_EQ(v->problem(), type::v1::AUDIT_CHAIN_PROBLEM_HEAD_MISMATCH);
  EXPECT_EQ(v->first_broken_sequence(), 5);
  EXPECT_EQ(v->head_sequence(), 6);
}

TEST_F(AuditLogTest, AMalformedExpectedHeadIsInvalid) {
  AuditLog log(*db_);
  EXPECT_THAT(testing::ViolatedFields(log.Verify(ExpectHead(-1, "")).status()),
              ElementsAre("expected_head_sequence"));
  EXPECT_THAT(testing::ViolatedFields(log.Verify(ExpectHead(0, std::string(64, 'a'))).status()),
              ElementsAre("expected_head_sequence"));
  // A hash not as verify reports it (upper case, a prefix, padded, not hex) is the monitor's
  // mistake, not a rewritten history.
  Mutate("institutions/a");
  const std::string head = (*log.EventsAfter(0, 1))[0].hash();
  std::string upper = head;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad :
       {upper, head.substr(0, 10), " " + head.substr(1), head + "0", std::string(64, 'g')}) {
    EXPECT_THAT(testing::ViolatedFields(log.Verify(ExpectHead(1, bad)).status()),
                ElementsAre("expected_head_hash"))
        << bad;
  }
  EXPECT_TRUE(log.Verify(ExpectHead(1, head))->intact());
}

TEST_F(AuditLogTest, VerifyFindsAnEditedEvent) {
  for (int i = 0; i < 4; ++i) Mutate("institutions/a");
  Tamper("UPDATE audit_events SET actor = 'mallory' WHERE sequence = 3");
  absl::StatusOr<type::v1::AuditVerification> v = AuditLog(*db_).Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact());
  EXPECT_EQ(v->first_broken_sequence(), 3);
  EXPECT_THAT(v->detail(), ::testing::HasSubstr("content was changed"));
  EXPECT_EQ(v->problem(), type::v1::AUDIT_CHAIN_PROBLEM_EDITED);
  EXPECT_EQ(v->events_checked(), 3);
}

TEST_F(AuditLogTest, VerifyFindsAnEditWhoseOwnHashWasRecomputed) {
  for (int i = 0; i < 4; ++i) Mutate("institutions/a");
  // A careful forger rewrites event 2 and its hash; event 3 still names the old hash.
  AuditLog log(*db_);
  AuditEvent forged = (*log.EventsAfter(1, 1))[0];
  forged.set_resource("institutions/b");
  Tamper("UPDATE audit_events SET resource = 'institutions/b', hash = '" + AuditEventHash(forged) +
         "' WHERE sequence = 2");
  absl::StatusOr<type::v1::AuditVerification> v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact());
  EXPECT_EQ(v->first_broken_sequence(), 3);
  EXPECT_THAT(v->detail(), ::testing::HasSubstr("hash of the event before it"));
}

TEST_F(AuditLogTest, VerifyFindsADeletedEvent) {
  for (int i = 0; i < 4; ++i) Mutate("institutions/a");
  Tamper("DELETE FROM audit_events WHERE sequence = 2");
  absl::StatusOr<type::v1::AuditVerification> v = AuditLog(*db_).Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact());
  EXPECT_EQ(v->first_broken_sequence(), 3);
  EXPECT_THAT(v->detail(), ::testing::HasSubstr("missing"));
}

TEST_F(AuditLogTest, AnEmptyLogIsIntact) {
  absl::StatusOr<type::v1::AuditVerification> v = AuditLog(*db_).Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact());
  EXPECT_EQ(v->events_checked(), 0);
}

}  // namespace
}  // namespace thb
