// What only a shared PostgreSQL server has: two replicas (two Database objects on one
// database) writing at once, schemas keeping services apart, recovery from a server restart,
// the commit listener and the connection pool. The test starts the server itself.
#include "services/common/postgres_database.h"

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
#include "services/common/resources.h"
#include "services/common/testing/postgres_server.h"
#include "services/common/testing/storage_fixture.h"
#include "services/common/testing/test_support.h"

namespace thb {
namespace {

using ::testing::HasSubstr;

class ReplicaTest : public StorageTest {};
INSTANTIATE_TEST_SUITE_P(Stores, ReplicaTest, ::testing::Values("postgres"), StoreName);

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
  replicas.reserve(4);
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

TEST(PostgresDdl, MapsSqliteTypeNamesAsWholeWords) {
  EXPECT_EQ(PostgresDdl("CREATE TABLE t (a INTEGER, b BLOB, c REAL, integers TEXT)"),
            "CREATE TABLE t (a BIGINT, b BYTEA, c DOUBLE PRECISION, integers TEXT)");
}

}  // namespace
}  // namespace thb
