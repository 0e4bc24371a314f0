// The storage tests' fixture, shared by storage_test.cc (the interface, against both stores) and
// postgres_database_test.cc (what only a shared server has): a test-scoped database on embedded
// SQLite or on one PostgreSQL server per test process, started on first use.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "services/common/audit_actor.h"
#include "services/common/storage.h"
#include "services/common/testing/postgres_server.h"
#include "services/common/testing/test_support.h"

namespace thb {

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
  inline static std::unique_ptr<testing::PostgresServer> server_;
};
inline const auto* const kPostgresEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment());

inline testing::PostgresServer& SharedPostgres() { return PostgresEnvironment::Server(); }

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

// The caller of an RPC as the dispatcher builds it: subject, institution and the request served.
inline AuditActor Caller(const std::string& subject, const std::string& institution,
                         const google::protobuf::Message* request) {
  return {subject, "reporting_institution", "/thb.Svc/Create", institution, request};
}

inline std::string StoreName(const ::testing::TestParamInfo<std::string>& p) { return p.param; }

}  // namespace thb
