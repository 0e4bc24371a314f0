// What the audit append costs a mutation, in one run on one SQLite file: N transactions that
// store a resource and remember the response (the write path before the audit log) against N
// that store it and end with RecordMutation (remember + chained audit event), alternating in
// rounds so drift of the disk affects both alike.
// Usage: thb_audit_bench [N, default 2000] [dir for the SQLite file | postgresql:// URL]
// With a PostgreSQL URL the bench works in the schema "audit_bench", dropped first.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/rpc/status.pb.h"
#include "services/common/audit_log.h"
#include "services/common/idempotency.h"
#include "services/common/storage.h"

namespace {

const thb::Migration kTable[] = {
    {1, "bench resources", "CREATE TABLE things (id TEXT PRIMARY KEY, data BLOB NOT NULL);"}};

double RunRound(thb::Database& db, int n, bool audited, int* serial) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    const std::string id = absl::StrCat("t", (*serial)++);
    google::rpc::Status stored;
    stored.set_message(std::string(200, 'x'));
    absl::Status s = db.RunInTransaction([&](thb::Transaction& tx) -> absl::Status {
      absl::StatusOr<int64_t> n = tx.Execute("INSERT INTO things (id, data) VALUES ($1, $2)",
                                             {id, thb::Blob{stored.SerializeAsString()}});
      if (!n.ok()) return n.status();
      const thb::AuditActor internal = thb::AuditActor::Internal();
      return audited ? thb::RecordMutation(tx, internal, "Create", id, "things/" + id, stored)
                     : thb::RememberResponse(tx, internal, "Create", id, stored);
    });
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      std::exit(1);
    }
  }
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
             .count() /
         n;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp";
  const bool postgres = dir.rfind("postgres", 0) == 0;
  const std::string path = postgres ? dir : dir + "/thb_audit_bench.db";
  if (postgres) {
    auto admin = thb::OpenDatabase(path, "public");
    if (!admin.ok() ||
        !(*admin)
             ->RunInTransaction([](thb::Transaction& tx) {
               return tx.Execute("DROP SCHEMA IF EXISTS audit_bench CASCADE").status();
             })
             .ok()) {
      std::fprintf(stderr, "cannot reach %s\n", path.c_str());
      return 1;
    }
  } else {
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
  }
  auto db = thb::OpenDatabase(path, "audit_bench");
  if (!db.ok() || !(*db)->ApplyMigrations("common", thb::CommonMigrations()).ok() ||
      !(*db)->ApplyMigrations("bench", kTable).ok()) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    return 1;
  }
  constexpr int kRounds = 5;
  double plain = 0, audited = 0;
  int serial = 0;
  for (int r = 0; r < kRounds; ++r) {
    plain += RunRound(**db, n / kRounds, false, &serial);
    audited += RunRound(**db, n / kRounds, true, &serial);
  }
  plain /= kRounds;
  audited /= kRounds;
  std::printf("transactions per variant: %d (%s)\n", n,
              postgres ? "PostgreSQL, schema audit_bench"
                       : absl::StrCat("SQLite, WAL, synchronous=FULL, ", dir).c_str());
  std::printf("store + remember response:      %8.1f us/transaction\n", plain);
  std::printf("store + RecordMutation (audit): %8.1f us/transaction\n", audited);
  std::printf("ratio audited / plain:          %8.2f\n", audited / plain);
  auto verify_start = std::chrono::steady_clock::now();
  absl::StatusOr<thb::type::v1::AuditVerification> v = thb::AuditLog(**db).Verify();
  const double verify_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - verify_start)
          .count();
  if (!v.ok() || !v->intact()) return 1;
  std::printf("VerifyAuditChain over %lld events: %.1f ms\n",
              static_cast<long long>(v->events_checked()), verify_ms);
  return 0;
}
