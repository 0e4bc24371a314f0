// The storage interface, one suite run against both stores: embedded SQLite and a real
// PostgreSQL server that the test starts itself (initdb + pg_ctl on a free loopback port). Then
// what only a shared server has: two replicas (two Database objects on one database) writing
// at once, schemas keeping services apart, and recovery from a server restart.
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
#include "services/common/testing/test_support.h"

namespace thb {
namespace {

using ::testing::HasSubstr;

const Migration kNotes[] = {
    {1, "notes", "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL, n INTEGER);"},
    {2, "note blobs", "ALTER TABLE notes ADD COLUMN raw BLOB;"},
};

// One PostgreSQL server per test process, started on first use and stopped after the last test.
class PostgresEnvironment : public ::testing::Environment {
 public:
  static testing::PostgresServer& Server() {
    if (server_ == nullptr) {
      absl::StatusOr<std::unique_ptr<testing::PostgresServer>> s = testing::PostgresServer::Start();
      if (!s.ok()) {
        std::fprintf(stderr, "cannot start PostgreSQL: %s\n",
                     std::string(s.status().message()).c_str());
        std::abort();
      }
      server_ = *std::move(s);
    }
    return *server_;
  }
  void TearDown() override { server_.reset(); }

 private:
  static std::unique_ptr<testing::PostgresServer> server_;
};
std::unique_ptr<testing::PostgresServer> PostgresEnvironment::server_;
const auto* const kPostgresEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment());

testing::PostgresServer& SharedPostgres() { return PostgresEnvironment::Server(); }

class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      absl::StatusOr<std::string> url = SharedPostgres().NewDatabase();
      ASSERT_TRUE(url.ok()) << url.status();
      url_ = *url;
    } else {
      url_ = dir_.File("t.db");
    }
  }

  // Another handle on the same database: a reopened process, or a second replica.
  std::unique_ptr<Database> Open(const std::string& service = "notes_service") {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(url_, service);
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return nullptr;
    absl::Status migrated = (*db)->ApplyMigrations("test", kNotes);
    EXPECT_TRUE(migrated.ok()) << migrated;
    return *std::move(db);
  }

  int64_t Count(Database& db) {
    int64_t n = -1;
    EXPECT_TRUE(db.RunReadOnly([&](Transaction& tx) -> absl::Status {
                    n = tx.Query("SELECT COUNT(*) FROM notes")->at(0).Int(0);
                    return absl::OkStatus();
                  }).ok());
    return n;
  }

  testing::TempDir dir_;
  std::string url_;
};

INSTANTIATE_TEST_SUITE_P(Stores, StorageTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

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

// The caller of an RPC as the dispatcher builds it: subject, institution and the request served.
AuditActor Caller(const std::string& subject, const std::string& institution,
                  const google::protobuf::Message* request) {
  return {subject, "reporting_institution", "/thb.Svc/Create", institution, request};
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

// --- Only a shared server has replicas -------------------------------------------------------

class ReplicaTest : public StorageTest {};
INSTANTIATE_TEST_SUITE_P(Stores, ReplicaTest, ::testing::Values("postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST_P(ReplicaTest, SchemasKeepServicesApart) {
  std::unique_ptr<Database> a = Open("coordinator");
  std::unique_ptr<Database> b = Open("commission");  // its own "notes" table
  ASSERT_TRUE(a->RunInTransaction([](Transaction& tx) {
                 return tx.Execute("INSERT INTO notes (id, body) VALUES ('a', 'b')").status();
               }).ok());
  EXPECT_EQ(Count(*a), 1);
  EXPECT_EQ(Count(*b), 0);
  EXPECT_EQ(OpenDatabase(url_, "Bad-Name").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenDatabase(url_).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(ReplicaTest, TwoReplicasMigratingAtOnceApplyEachMigrationOnce) {
  std::atomic<int> ok{0};
  std::vector<std::thread> replicas;
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&] {
      absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(url_, "svc");
      if (db.ok() && (*db)->ApplyMigrations("test", kNotes).ok()) ++ok;
    });
  }
  for (auto& t : replicas) t.join();
  EXPECT_EQ(ok, 4);
  std::unique_ptr<Database> db = Open("svc");
  ASSERT_TRUE(db->RunReadOnly([](Transaction& tx) -> absl::Status {
                  EXPECT_EQ(tx.Query("SELECT COUNT(*) FROM schema_migrations")->at(0).Int(0), 2);
                  return absl::OkStatus();
                }).ok());
}

// The etag check as the services do it: read the version, refuse a stale one, write version+1.
absl::Status UpdateIfVersion(Database& db, int64_t expected, const std::string& body) {
  return db.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query("SELECT n FROM notes WHERE id = 'doc'");
    if (!rows.ok()) return rows.status();
    if (rows->at(0).Int(0) != expected) return absl::AbortedError("stale etag");
    return tx.Execute("UPDATE notes SET n = $1, body = $2 WHERE id = 'doc'", {expected + 1, body})
        .status();
  });
}

TEST_P(ReplicaTest, ConcurrentConflictingWritesOnTwoReplicasExactlyOneWins) {
  std::unique_ptr<Database> r1 = Open();
  std::unique_ptr<Database> r2 = Open();
  ASSERT_TRUE(
      r1->RunInTransaction([](Transaction& tx) {
          return tx.Execute("INSERT INTO notes (id, body, n) VALUES ('doc', '', 1)").status();
        }).ok());
  for (int64_t version = 1; version <= 30; ++version) {
    absl::Status s1, s2;
    std::thread t1([&] { s1 = UpdateIfVersion(*r1, version, "one"); });
    std::thread t2([&] { s2 = UpdateIfVersion(*r2, version, "two"); });
    t1.join();
    t2.join();
    ASSERT_NE(s1.ok(), s2.ok()) << "round " << version << ": " << s1 << " / " << s2;
    const absl::Status& loser = s1.ok() ? s2 : s1;
    EXPECT_EQ(loser.code(), absl::StatusCode::kAborted) << loser;
  }
  ASSERT_TRUE(r1->RunReadOnly([](Transaction& tx) -> absl::Status {
                  EXPECT_EQ(tx.Query("SELECT n FROM notes WHERE id = 'doc'")->at(0).Int(0), 31);
                  return absl::OkStatus();
                }).ok());
}

TEST_P(ReplicaTest, ARetriedCreateOnTwoReplicasAtOnceStoresOneAndAnswersBothAlike) {
  std::unique_ptr<Database> r1 = Open();
  std::unique_ptr<Database> r2 = Open();
  ASSERT_TRUE(r1->ApplyMigrations("common", CommonMigrations()).ok());
  for (int round = 0; round < 20; ++round) {
    const std::string request_id = absl::StrCat("req-", round);
    auto create = [&](Database& db, std::string* answer) {
      return db.RunInTransaction([&](Transaction& tx) -> absl::Status {
        google::rpc::Status response;
        const AuditActor internal = AuditActor::Internal();
        absl::StatusOr<bool> prior =
            FindPriorResponse(tx, internal, "Create", request_id, &response);
        if (!prior.ok()) return prior.status();
        if (!*prior) {
          response.set_message(NewResourceId());
          absl::StatusOr<int64_t> n = tx.Execute("INSERT INTO notes (id, body) VALUES ($1, $2)",
                                                 {response.message(), request_id});
          if (!n.ok()) return n.status();
          if (absl::Status s = RecordMutation(tx, internal, "Create", request_id,
                                              "notes/" + response.message(), response);
              !s.ok()) {
            return s;
          }
        }
        *answer = response.message();
        return absl::OkStatus();
      });
    };
    std::string a1, a2;
    absl::Status s1, s2;
    std::thread t1([&] { s1 = create(*r1, &a1); });
    std::thread t2([&] { s2 = create(*r2, &a2); });
    t1.join();
    t2.join();
    ASSERT_TRUE(s1.ok()) << s1;
    ASSERT_TRUE(s2.ok()) << s2;
    EXPECT_EQ(a1, a2) << "round " << round;
  }
  EXPECT_EQ(Count(*r1), 20);
  absl::StatusOr<type::v1::AuditVerification> v = AuditLog(*r2).Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact()) << v->detail();
  EXPECT_EQ(v->events_checked(), 20);
}

TEST_P(ReplicaTest, TwoCallersWithOneRequestIdOnTwoReplicasAtOnceEachStoreTheirOwn) {
  std::unique_ptr<Database> r1 = Open();
  std::unique_ptr<Database> r2 = Open();
  ASSERT_TRUE(r1->ApplyMigrations("common", CommonMigrations()).ok());
  for (int round = 0; round < 10; ++round) {
    const std::string request_id = absl::StrCat("stats-", round);
    auto create = [&](Database& db, const std::string& subject, std::string* answer) {
      google::rpc::Status request;
      request.set_message(subject);
      const AuditActor caller = Caller(subject, "institutions/" + subject, &request);
      return db.RunInTransaction([&](Transaction& tx) -> absl::Status {
        google::rpc::Status response;
        absl::StatusOr<bool> prior = FindPriorResponse(tx, caller, "Create", request_id, &response);
        if (!prior.ok()) return prior.status();
        if (!*prior) {
          response.set_message(NewResourceId());
          absl::StatusOr<int64_t> n = tx.Execute("INSERT INTO notes (id, body) VALUES ($1, $2)",
                                                 {response.message(), subject});
          if (!n.ok()) return n.status();
          if (absl::Status s = RecordMutation(tx, caller, "Create", request_id,
                                              "notes/" + response.message(), response);
              !s.ok()) {
            return s;
          }
        }
        *answer = response.message();
        return absl::OkStatus();
      });
    };
    std::string police, ngo;
    absl::Status s1, s2;
    std::thread t1([&] { s1 = create(*r1, "police", &police); });
    std::thread t2([&] { s2 = create(*r2, "ngo", &ngo); });
    t1.join();
    t2.join();
    ASSERT_TRUE(s1.ok()) << s1;
    ASSERT_TRUE(s2.ok()) << s2;
    EXPECT_NE(police, ngo) << "round " << round;
  }
  EXPECT_EQ(Count(*r1), 20);
}

TEST_P(ReplicaTest, TheAuditChainStaysLinearUnderConcurrentAppendsFromTwoReplicas) {
  std::unique_ptr<Database> r1 = Open();
  std::unique_ptr<Database> r2 = Open();
  ASSERT_TRUE(r1->ApplyMigrations("common", CommonMigrations()).ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 6; ++w) {
    Database& db = w % 2 == 0 ? *r1 : *r2;
    writers.emplace_back([&db, &failures, w] {
      for (int i = 0; i < 25; ++i) {
        absl::Status s = db.RunInTransaction([&](Transaction& tx) {
          return RecordMutation(tx, AuditActor::Internal(), "Touch", "",
                                absl::StrCat("things/", w, "-", i), google::protobuf::Empty());
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failures, 0);
  absl::StatusOr<type::v1::AuditVerification> v = AuditLog(*r1).Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact()) << v->detail();
  EXPECT_EQ(v->events_checked(), 150);
}

TEST_P(ReplicaTest, ARestartedServerIsUnavailableWhileDownThenServesTheSameObject) {
  std::unique_ptr<Database> db = Open();
  auto insert = [&](const std::string& id) {
    return db->RunInTransaction([&](Transaction& tx) {
      return tx.Execute("INSERT INTO notes (id, body) VALUES ($1, 'x')", {id}).status();
    });
  };
  ASSERT_TRUE(insert("before").ok());
  ASSERT_TRUE(SharedPostgres().Stop().ok());
  absl::Status down = insert("while-down");
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable) << down;
  EXPECT_EQ(db->RunReadOnly([](Transaction& tx) { return tx.Query("SELECT 1").status(); }).code(),
            absl::StatusCode::kUnavailable);
  ASSERT_TRUE(SharedPostgres().StartAgain().ok());
  absl::Status after = insert("after");
  EXPECT_TRUE(after.ok()) << after;
  EXPECT_EQ(Count(*db), 2);
}

// A commit on one replica wakes the other's listener (LISTEN/NOTIFY; PostgreSQL sends the
// notification only when the writer commits). SQLite never calls the callback.
TEST_P(ReplicaTest, ACommitOnOneReplicaWakesTheOthersListener) {
  std::unique_ptr<Database> writer = Open();
  std::unique_ptr<Database> watcher = Open();
  absl::Mutex mu;
  int heard = 0;
  watcher->OnCommitsElsewhere([&] {
    absl::MutexLock lock(&mu);
    ++heard;
  });
  for (int n = 1; n <= 3; ++n) {
    ASSERT_TRUE(writer
                    ->RunInTransaction([&](Transaction& tx) {
                      return tx
                          .Execute("INSERT INTO notes (id, body) VALUES ($1, 'b')",
                                   {absl::StrCat("note-", n)})
                          .status();
                    })
                    .ok());
    absl::MutexLock lock(&mu);
    auto heard_it = [&] { return heard >= n; };
    EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(&heard_it), absl::Seconds(30)))
        << "commit " << n << " was not heard";
  }
}

// --db_pool_size bounds the connections a process holds: a transaction that needs a second
// connection while it holds the only one waits for the acquire deadline and is UNAVAILABLE; with
// two it gets one.
TEST_P(ReplicaTest, ThePoolSizeBoundsTheConnectionsAProcessHolds) {
  for (int pool_size : {2, 1}) {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(url_, "pooled", pool_size);
    ASSERT_TRUE(db.ok()) << db.status();
    absl::Status inner;
    ASSERT_TRUE((*db)
                    ->RunInTransaction([&](Transaction&) {
                      inner = (*db)->RunReadOnly(
                          [](Transaction& tx) { return tx.Query("SELECT 1").status(); });
                      return absl::OkStatus();
                    })
                    .ok());
    if (pool_size == 2) {
      EXPECT_TRUE(inner.ok()) << inner;
    } else {
      EXPECT_EQ(inner.code(), absl::StatusCode::kUnavailable) << inner;
      EXPECT_THAT(inner.message(), HasSubstr("all 1 "));
    }
  }
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

TEST(PostgresDdl, MapsSqliteTypeNamesAsWholeWords) {
  EXPECT_EQ(PostgresDdl("CREATE TABLE t (a INTEGER, b BLOB, c REAL, integers TEXT)"),
            "CREATE TABLE t (a BIGINT, b BYTEA, c DOUBLE PRECISION, integers TEXT)");
}

}  // namespace
}  // namespace thb
