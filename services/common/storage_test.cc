// The storage interface, one suite run against both stores: embedded SQLite and a real
// PostgreSQL server that the test starts itself (initdb + pg_ctl on a free loopback port). What
// only a shared server has (replicas, schemas, restarts) is in postgres_database_test.cc.
#include "services/common/storage.h"

#include <gmock/gmock.h>
#include <google/protobuf/empty.pb.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/rpc/status.pb.h"
#include "services/common/audit_log.h"
#include "services/common/idempotency.h"
#include "services/common/postgres_database.h"
#include "services/common/resources.h"
#include "services/common/testing/postgres_server.h"
#include "services/common/testing/storage_fixture.h"
#include "services/common/testing/test_support.h"

namespace thb {
namespace {

using ::testing::HasSubstr;

INSTANTIATE_TEST_SUITE_P(Stores, StorageTest, ::testing::Values("sqlite", "postgres"), StoreName);

TEST_P(StorageTest, MigrationsApplyOnceAndAreRecorded) {
  { Open(); }
  std::unique_ptr<Database> db = Open();  // second open: nothing re-applied, no error
  ASSERT_TRUE(db->RunReadOnly([](Transaction& tx) -> absl::Status {
                  auto rows = tx.Query(
                      "SELECT version, description FROM schema_migrations WHERE track = $1 "
                      "ORDER BY version",
                      {std::string("test")});
                  EXPECT_TRUE(rows.ok()) << rows.status();
                  EXPECT_EQ(rows->size(), 2u);
                  EXPECT_EQ(rows->at(1).Text(1), "note blobs");
                  return absl::OkStatus();
                }).ok());
}

TEST_P(StorageTest, FailingMigrationNamesItselfAndLeavesNoTrace) {
  std::unique_ptr<Database> db = Open();
  const Migration bad[] = {{1, "broken", "CREATE TABLE x (a INT); CREATE TABLE notes (b INT);"}};
  absl::Status s = db->ApplyMigrations("other", bad);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("other/1 (broken)"));
  // The half-applied script rolled back: table x does not exist.
  absl::Status probe =
      db->RunReadOnly([](Transaction& tx) { return tx.Query("SELECT * FROM x").status(); });
  EXPECT_FALSE(probe.ok());
}

TEST_P(StorageTest, ErrorInTransactionRollsBackEverything) {
  std::unique_ptr<Database> db = Open();
  absl::Status s = db->RunInTransaction([](Transaction& tx) -> absl::Status {
    EXPECT_TRUE(tx.Execute("INSERT INTO notes (id, body) VALUES ($1, $2)",
                           {std::string("a"), std::string("first")})
                    .ok());
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Count(*db), 0);
}

TEST_P(StorageTest, DuplicateKeyIsAlreadyExists) {
  std::unique_ptr<Database> db = Open();
  auto insert = [&] {
    return db->RunInTransaction([](Transaction& tx) {
      return tx
          .Execute("INSERT INTO notes (id, body) VALUES ($1, $2)",
                   {std::string("a"), std::string("x")})
          .status();
    });
  };
  ASSERT_TRUE(insert().ok());
  EXPECT_EQ(insert().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(*db), 1);
}

TEST_P(StorageTest, PlaceholdersBindByNumberAndValuesRoundTrip) {
  std::unique_ptr<Database> db = Open();
  const std::string bytes("\0\1\2binary\xff", 10);
  ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) {
                  // $3 before $1 in the text: binding follows the numbers, not the order.
                  return tx
                      .Execute("INSERT INTO notes (n, id, body, raw) VALUES ($3, $1, $2, $4)",
                               {std::string("k"), std::string("it's; DROP TABLE notes;"),
                                int64_t{9007199254740993}, Blob{bytes}})
                      .status();
                }).ok());
  ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) {
                  return tx
                      .Execute("INSERT INTO notes (id, body, n, raw) VALUES ($1, $2, $3, $4)",
                               {std::string("null"), std::string(""), Value{}, Value{}})
                      .status();
                }).ok());
  ASSERT_TRUE(db->RunReadOnly([&](Transaction& tx) -> absl::Status {
                  auto rows = tx.Query("SELECT id, body, n, raw FROM notes WHERE n = $1",
                                       {int64_t{9007199254740993}});
                  EXPECT_TRUE(rows.ok()) << rows.status();
                  EXPECT_EQ(rows->size(), 1u);
                  EXPECT_EQ(rows->at(0).Text(0), "k");
                  EXPECT_EQ(rows->at(0).Text(1), "it's; DROP TABLE notes;");
                  EXPECT_EQ(rows->at(0).Int(2), 9007199254740993);
                  EXPECT_EQ(rows->at(0).Text(3), bytes);
                  auto nulls = tx.Query("SELECT n, raw FROM notes WHERE id = 'null'");
                  EXPECT_TRUE(nulls->at(0).IsNull(0));
                  EXPECT_TRUE(nulls->at(0).IsNull(1));
                  return absl::OkStatus();
                }).ok());
}

TEST_P(StorageTest, MissingParameterIsAnError) {
  std::unique_ptr<Database> db = Open();
  absl::Status s = db->RunInTransaction([](Transaction& tx) {
    return tx.Execute("INSERT INTO notes (id, body) VALUES ($1, $2)", {std::string("a")}).status();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count(*db), 0);
}

TEST_P(StorageTest, CommittedWritesSurviveReopen) {
  {
    std::unique_ptr<Database> db = Open();
    ASSERT_TRUE(db->RunInTransaction([](Transaction& tx) {
                    return tx.Execute("INSERT INTO notes (id, body) VALUES ('a', 'b')").status();
                  }).ok());
  }
  EXPECT_EQ(Count(*Open()), 1);
}

TEST_P(StorageTest, ForEachRowVisitsEveryRowInOrder) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(db->RunInTransaction([](Transaction& tx) -> absl::Status {
                  for (int i = 0; i < 1234; ++i) {
                    absl::StatusOr<int64_t> n =
                        tx.Execute("INSERT INTO notes (id, body, n) VALUES ($1, 'x', $2)",
                                   {absl::StrCat("id", i), int64_t{i}});
                    if (!n.ok()) return n.status();
                  }
                  return absl::OkStatus();
                }).ok());
  int64_t seen = 0;
  int64_t sum = 0;
  ASSERT_TRUE(db->RunReadOnly([&](Transaction& tx) {
                  return tx.ForEachRow("SELECT n FROM notes WHERE n >= $1 ORDER BY n", {int64_t{0}},
                                       [&](const Row& row) {
                                         EXPECT_EQ(row.Int(0), seen);
                                         ++seen;
                                         sum += row.Int(0);
                                         return absl::OkStatus();
                                       });
                }).ok());
  EXPECT_EQ(seen, 1234);
  EXPECT_EQ(sum, 1233 * 1234 / 2);
}

TEST_P(StorageTest, IdempotencyKeysRememberTheFirstResponse) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(db->ApplyMigrations("common", CommonMigrations()).ok());
  google::rpc::Status first;
  first.set_message("first");
  ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) {
                  return RememberResponse(tx, AuditActor::Internal(), "M", "req-1", first);
                }).ok());
  ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) -> absl::Status {
                  google::rpc::Status got;
                  const AuditActor internal = AuditActor::Internal();
                  EXPECT_TRUE(*FindPriorResponse(tx, internal, "M", "req-1", &got));
                  EXPECT_EQ(got.message(), "first");
                  EXPECT_FALSE(*FindPriorResponse(tx, internal, "Other", "req-1", &got));
                  EXPECT_FALSE(*FindPriorResponse(tx, internal, "M", "", &got));
                  return absl::OkStatus();
                }).ok());
}

// Issue 15: the police and an NGO both send requestId "stats-2024-annual"; each must get its
// own answer, and the police reusing the id for a different request must be told so.
TEST_P(StorageTest, RequestIdsBelongToTheirCallerAndARetryMustRepeatItsRequest) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(db->ApplyMigrations("common", CommonMigrations()).ok());
  google::rpc::Status police_request, ngo_request;
  police_request.set_message("police 2024: 3");
  ngo_request.set_message("ngo 2024: 41");
  google::rpc::Status police_answer;
  police_answer.set_message("statistics/police-2024");
  const std::string id = "stats-2024-annual";
  const AuditActor police = Caller("alice", "institutions/police", &police_request);
  ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) {
                  return RememberResponse(tx, police, "Create", id, police_answer);
                }).ok());
  auto find = [&](const AuditActor& actor, google::rpc::Status* got) {
    absl::StatusOr<bool> found = false;
    EXPECT_TRUE(db->RunReadOnly([&](Transaction& tx) {
                    found = FindPriorResponse(tx, actor, "Create", id, got);
                    return absl::OkStatus();
                  }).ok());
    return found;
  };
  google::rpc::Status got;
  // Another institution, the same subject in another institution, another subject of the same
  // institution, the subject with no institution, and work outside any RPC: none of them sees
  // the police's answer.
  for (const AuditActor& other : {Caller("ngo-user", "institutions/ngo", &ngo_request),
                                  Caller("alice", "institutions/ngo", &police_request),
                                  Caller("bob", "institutions/police", &police_request),
                                  Caller("alice", "", nullptr), AuditActor::Internal()}) {
    absl::StatusOr<bool> found = find(other, &got);
    ASSERT_TRUE(found.ok()) << other.subject << " " << found.status();
    EXPECT_FALSE(*found) << other.subject << " of " << other.institution;
  }
  // The police retrying the same request get their first answer.
  absl::StatusOr<bool> retry = find(Caller("alice", "institutions/police", &police_request), &got);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(*retry);
  EXPECT_EQ(got.message(), "statistics/police-2024");
  // The police reusing the id for a different request: INVALID_ARGUMENT naming request_id.
  google::rpc::Status changed = police_request;
  changed.set_code(1);
  absl::StatusOr<bool> reused = find(Caller("alice", "institutions/police", &changed), &got);
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(reused.status().message(), HasSubstr("request_id"));
  // The NGO's own request under the same id is stored next to the police's.
  {
    const AuditActor ngo = Caller("ngo-user", "institutions/ngo", &ngo_request);
    google::rpc::Status ngo_answer;
    ngo_answer.set_message("statistics/ngo-2024");
    ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) {
                    return RememberResponse(tx, ngo, "Create", id, ngo_answer);
                  }).ok());
  }
  retry = find(Caller("ngo-user", "institutions/ngo", &ngo_request), &got);
  ASSERT_TRUE(retry.ok() && *retry);
  EXPECT_EQ(got.message(), "statistics/ngo-2024");
}

TEST_P(StorageTest, RequestIdsRememberedBeforeScopingAreForgottenByTheMigration) {
  std::unique_ptr<Database> db = Open();
  const Migration* common = CommonMigrations().data();
  ASSERT_TRUE(db->ApplyMigrations("common", absl::MakeConstSpan(common, 2)).ok());
  ASSERT_TRUE(db->RunInTransaction([](Transaction& tx) {
                  return tx
                      .Execute(
                          "INSERT INTO request_ids (method, request_id, response, "
                          "create_time) VALUES ('Create', 'old', $1, 'then')",
                          {Blob{"x"}})
                      .status();
                }).ok());
  ASSERT_TRUE(db->ApplyMigrations("common", CommonMigrations()).ok());
  google::rpc::Status got;
  const AuditActor anyone = Caller("alice", "", nullptr);
  ASSERT_TRUE(db->RunReadOnly([&](Transaction& tx) {
                  EXPECT_FALSE(*FindPriorResponse(tx, anyone, "Create", "old", &got));
                  return absl::OkStatus();
                }).ok());
}

TEST_P(StorageTest, AuditLogChainsListsAndVerifies) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(db->ApplyMigrations("common", CommonMigrations()).ok());
  for (const char* r : {"plans/p1", "plans/p1/measures/m1", "plans/p10"}) {
    ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) {
                    return RecordMutation(tx, AuditActor::Internal(), "Update", "", r,
                                          google::rpc::Status());
                  }).ok());
  }
  AuditLog log(*db);
  type::v1::ListAuditEventsRequest req;
  req.set_resource("plans/p1");
  absl::StatusOr<type::v1::ListAuditEventsResponse> page = log.List(req);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->audit_events_size(), 2);
  absl::StatusOr<type::v1::AuditVerification> v = log.Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->intact());
  EXPECT_EQ(v->events_checked(), 3);
}

TEST(SqliteStore, WalAndFullSyncAreOn) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = *OpenDatabase(dir.File("t.db"));
  ASSERT_TRUE(db->RunInTransaction([](Transaction& tx) -> absl::Status {
                  EXPECT_EQ(tx.Query("PRAGMA journal_mode")->at(0).Text(0), "wal");
                  EXPECT_EQ(tx.Query("PRAGMA synchronous")->at(0).Int(0), 2);  // FULL
                  return absl::OkStatus();
                }).ok());
}

TEST(OpenDatabase, UnopenableDatabasesAreClearErrors) {
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase("/nonexistent-dir/x.db");
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.status().message(), HasSubstr("/nonexistent-dir/x.db"));
  EXPECT_EQ(OpenDatabase("postgres://localhost/thb").status().code(),
            absl::StatusCode::kInvalidArgument);  // no schema named
  db = OpenDatabase("postgresql://postgres@127.0.0.1:1/thb", "coordinator");
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(db.status().message(), HasSubstr("cannot connect to PostgreSQL"));
}

TEST(RedactDatabaseUrl, HidesPasswordsOnly) {
  EXPECT_EQ(RedactDatabaseUrl("postgres://thb:s3cr3t@db.example:5432/thb?sslmode=require"),
            "postgres://thb:***@db.example:5432/thb?sslmode=require");
  EXPECT_EQ(RedactDatabaseUrl("postgresql://db/thb?user=thb&password=s3cr3t&sslmode=verify-full"),
            "postgresql://db/thb?user=thb&password=***&sslmode=verify-full");
  EXPECT_EQ(RedactDatabaseUrl("host=db dbname=thb password='a b\\'c' user=thb"),
            "host=db dbname=thb password=*** user=thb");
  EXPECT_EQ(RedactDatabaseUrl("host=db password=s3cr3t"), "host=db password=***");
  EXPECT_EQ(RedactDatabaseUrl("postgres://thb@db/thb"), "postgres://thb@db/thb");
  EXPECT_EQ(RedactDatabaseUrl("/var/lib/thb/coordinator.db"), "/var/lib/thb/coordinator.db");
}

}  // namespace
}  // namespace thb
