#include "services/common/sqlite_database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/idempotency.h"
#include "services/common/testing/test_support.h"
#include "google/rpc/status.pb.h"

namespace thb {
namespace {

using ::testing::HasSubstr;

const Migration kNotes[] = {
    {1, "notes", "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL, n INTEGER);"},
    {2, "note blobs", "ALTER TABLE notes ADD COLUMN raw BLOB;"},
};

class SqliteTest : public ::testing::Test {
 protected:
  std::unique_ptr<Database> Open() {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(dir_.File("t.db"));
    EXPECT_TRUE(db.ok()) << db.status();
    EXPECT_TRUE((*db)->ApplyMigrations("test", kNotes).ok());
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
};

TEST_F(SqliteTest, MigrationsApplyOnceAndAreRecorded) {
  { Open(); }
  std::unique_ptr<Database> db = Open();  // second open: nothing re-applied, no error
  int64_t applied = 0;
  ASSERT_TRUE(db->RunReadOnly([&](Transaction& tx) -> absl::Status {
                  applied = tx.Query("SELECT COUNT(*) FROM schema_migrations WHERE track = $1",
                                     {std::string("test")})
                                ->at(0)
                                .Int(0);
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(applied, 2);
}

TEST_F(SqliteTest, FailingMigrationNamesItselfAndLeavesNoTrace) {
  std::unique_ptr<Database> db = Open();
  const Migration bad[] = {{1, "broken", "CREATE TABLE x (a INT); CREATE TABLE notes (b INT);"}};
  absl::Status s = db->ApplyMigrations("other", bad);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("other/1 (broken)"));
  // The half-applied script rolled back: table x does not exist.
  absl::Status probe = db->RunReadOnly([](Transaction& tx) { return tx.Query("SELECT * FROM x").status(); });
  EXPECT_FALSE(probe.ok());
}

TEST_F(SqliteTest, WalAndFullSyncAreOn) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(db->RunInTransaction([](Transaction& tx) -> absl::Status {
                  EXPECT_EQ(tx.Query("PRAGMA journal_mode")->at(0).Text(0), "wal");
                  EXPECT_EQ(tx.Query("PRAGMA synchronous")->at(0).Int(0), 2);  // FULL
                  return absl::OkStatus();
                }).ok());
}

TEST_F(SqliteTest, ErrorInTransactionRollsBackEverything) {
  std::unique_ptr<Database> db = Open();
  absl::Status s = db->RunInTransaction([](Transaction& tx) -> absl::Status {
    EXPECT_TRUE(tx.Execute("INSERT INTO notes (id, body) VALUES ($1, $2)",
                           {std::string("a"), std::string("first")}).ok());
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Count(*db), 0);
}

TEST_F(SqliteTest, DuplicateKeyIsAlreadyExists) {
  std::unique_ptr<Database> db = Open();
  auto insert = [&] {
    return db->RunInTransaction([](Transaction& tx) {
      return tx.Execute("INSERT INTO notes (id, body) VALUES ($1, $2)",
                        {std::string("a"), std::string("x")}).status();
    });
  };
  ASSERT_TRUE(insert().ok());
  EXPECT_EQ(insert().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(*db), 1);
}

TEST_F(SqliteTest, PlaceholdersBindByNumberAndValuesRoundTrip) {
  std::unique_ptr<Database> db = Open();
  const std::string bytes("\0\1\2binary\xff", 10);
  ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) {
                  // $3 before $1 in the text: binding follows the numbers, not the order.
                  return tx.Execute("INSERT INTO notes (n, id, body, raw) VALUES ($3, $1, $2, $4)",
                                    {std::string("k"), std::string("it's; DROP TABLE notes;"),
                                     int64_t{42}, Blob{bytes}})
                      .status();
                }).ok());
  ASSERT_TRUE(db->RunReadOnly([&](Transaction& tx) -> absl::Status {
                  auto rows = tx.Query("SELECT id, body, n, raw FROM notes WHERE n = $1", {int64_t{42}});
                  EXPECT_TRUE(rows.ok());
                  EXPECT_EQ(rows->size(), 1u);
                  EXPECT_EQ(rows->at(0).Text(0), "k");
                  EXPECT_EQ(rows->at(0).Text(1), "it's; DROP TABLE notes;");
                  EXPECT_EQ(rows->at(0).Int(2), 42);
                  EXPECT_EQ(rows->at(0).Text(3), bytes);
                  return absl::OkStatus();
                }).ok());
}

TEST_F(SqliteTest, MissingParameterIsAnError) {
  std::unique_ptr<Database> db = Open();
  absl::Status s = db->RunInTransaction([](Transaction& tx) {
    return tx.Execute("INSERT INTO notes (id, body) VALUES ($1, $2)", {std::string("a")}).status();
  });
  EXPECT_FALSE(s.ok());
}

TEST_F(SqliteTest, CommittedWritesSurviveReopen) {
  {
    std::unique_ptr<Database> db = Open();
    ASSERT_TRUE(db->RunInTransaction([](Transaction& tx) {
                    return tx.Execute("INSERT INTO notes (id, body) VALUES ('a', 'b')").status();
                  }).ok());
  }
  EXPECT_EQ(Count(*Open()), 1);
}

TEST_F(SqliteTest, UnopenableDatabaseIsAClearError) {
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase("/nonexistent-dir/x.db");
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.status().message(), HasSubstr("/nonexistent-dir/x.db"));
  EXPECT_EQ(OpenDatabase("postgres://localhost/thb").status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(SqliteTest, IdempotencyKeysRememberTheFirstResponse) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(db->ApplyMigrations("common", CommonMigrations()).ok());
  google::rpc::Status first;
  first.set_message("first");
  ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) {
                  return RememberResponse(tx, "M", "req-1", first);
                }).ok());
  ASSERT_TRUE(db->RunInTransaction([&](Transaction& tx) -> absl::Status {
                  google::rpc::Status got;
                  EXPECT_TRUE(*FindPriorResponse(tx, "M", "req-1", &got));
                  EXPECT_EQ(got.message(), "first");
                  EXPECT_FALSE(*FindPriorResponse(tx, "Other", "req-1", &got));
                  EXPECT_FALSE(*FindPriorResponse(tx, "M", "", &got));
                  return absl::OkStatus();
                }).ok());
}

}  // namespace
}  // namespace thb
