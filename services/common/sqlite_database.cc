#include "services/common/sqlite_database.h"

#include <sqlite3.h>

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/status_macros.h"

namespace thb {
namespace {

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  const int primary = rc & 0xff;
  std::string msg = absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
    return absl::AlreadyExistsError(msg);
  }
  if (primary == SQLITE_CONSTRAINT) return absl::FailedPreconditionError(msg);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

// One SQLite connection with its prepared-statement cache.
class Connection {
 public:
  ~Connection() {
    for (auto& [sql, prepared] : statements_) sqlite3_finalize(prepared.stmt);
    sqlite3_close_v2(db_);
  }

  static absl::StatusOr<std::unique_ptr<Connection>> Open(const SqliteOptions& options,
                                                          bool read_only) {
    auto conn = std::unique_ptr<Connection>(new Connection());
    int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(options.path.c_str(), &conn->db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      return absl::UnavailableError(
          absl::StrCat("cannot open SQLite database ", options.path, ": ", sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(conn->db_, 1);
    sqlite3_busy_timeout(conn->db_, options.busy_timeout_ms);
    const char* pragmas = read_only ? "PRAGMA foreign_keys=ON;"
                                    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                      "PRAGMA foreign_keys=ON;";
    if (absl::Status s = conn->ExecScript(pragmas); !s.ok()) {
      return absl::UnavailableError(
          absl::StrCat("cannot use SQLite database ", options.path, ": ", s.message()));
    }
    return conn;
  }

  absl::Status ExecScript(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      absl::Status s = SqliteError(nullptr, rc, "exec");
      return absl::Status(s.code(), msg);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql, absl::Span<const Value> params) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) {
      sqlite3_reset(it->second.stmt);
      sqlite3_clear_bindings(it->second.stmt);
    } else {
      Prepared prepared;
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &prepared.stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
      // $N placeholders bind by number, whatever their order in the text: map each N to its
      // index once per statement (looking names up per bind is quadratic in the parameters).
      for (int index = 1; index <= sqlite3_bind_parameter_count(prepared.stmt); ++index) {
        const char* name = sqlite3_bind_parameter_name(prepared.stmt, index);
        int n = 0;
        if (name == nullptr || name[0] != '$' || !absl::SimpleAtoi(name + 1, &n) || n < 1) continue;
        if (prepared.index_of.size() < static_cast<size_t>(n)) prepared.index_of.resize(n, 0);
        prepared.index_of[n - 1] = index;
      }
      it = statements_.emplace(std::string(sql), prepared).first;
    }
    sqlite3_stmt* stmt = it->second.stmt;
    const std::vector<int>& index_of = it->second.index_of;
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = i < index_of.size() ? index_of[i] : 0;
      if (index == 0) continue;  // parameter unused by this statement
      int rc = SQLITE_OK;
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else if (auto* b = std::get_if<Blob>(&v)) {
        rc = sqlite3_bind_blob64(stmt, index, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    if (sqlite3_bind_parameter_count(stmt) > static_cast<int>(params.size())) {
      return absl::InternalError(absl::StrCat("statement needs ",
                                              sqlite3_bind_parameter_count(stmt),
                                              " parameters, got ", params.size()));
    }
    return stmt;
  }

  sqlite3* db() { return db_; }

 private:
  Connection() = default;
  sqlite3* db_ = nullptr;
  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> index_of;  // SQLite's index of $N at [N - 1]; 0 when unused
  };
  absl::flat_hash_map<std::string, Prepared> statements_;
};

class SqliteTransaction : public Transaction {
 public:
  explicit SqliteTransaction(Connection& conn) : conn_(conn) {}

  absl::StatusOr<int64_t> Execute(absl::string_view sql, absl::Span<const Value> params) override {
    THB_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, conn_.Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return SqliteError(conn_.db(), rc, "execute");
    return static_cast<int64_t>(sqlite3_changes64(conn_.db()));
  }

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                         absl::Span<const Value> params) override {
    std::vector<Row> rows;
    THB_RETURN_IF_ERROR(ForEachRow(sql, params, [&](const Row& row) {
      rows.push_back(row);
      return absl::OkStatus();
    }));
    return rows;
  }

  absl::Status ForEachRow(absl::string_view sql, absl::Span<const Value> params,
                          absl::FunctionRef<absl::Status(const Row&)> fn) override {
    THB_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, conn_.Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (absl::Status s = fn(ReadRow(stmt)); !s.ok()) {
        sqlite3_reset(stmt);
        return s;
      }
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return SqliteError(conn_.db(), rc, "query");
    return absl::OkStatus();
  }

 private:
  static Row ReadRow(sqlite3_stmt* stmt) {
    const int n = sqlite3_column_count(stmt);
    std::vector<Value> values;
    values.reserve(n);
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(stmt, i));
          break;
        case SQLITE_TEXT:
          values.emplace_back(
              std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                          sqlite3_column_bytes(stmt, i)));
          break;
        case SQLITE_BLOB: {
          const void* data = sqlite3_column_blob(stmt, i);
          values.emplace_back(
              Blob{std::string(static_cast<const char*>(data), sqlite3_column_bytes(stmt, i))});
          break;
        }
        default:
          values.emplace_back(std::monostate{});
      }
    }
    return Row(std::move(values));
  }

  Connection& conn_;
};

class SqliteDatabase : public Database {
 public:
  explicit SqliteDatabase(SqliteOptions options) : options_(std::move(options)) {}

  absl::Status Init() {
    THB_ASSIGN_OR_RETURN(writer_, Connection::Open(options_, false));
    return writer_->ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (track TEXT NOT NULL, version INTEGER NOT "
        "NULL, description TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (track, "
        "version));");
  }

  absl::Status ApplyMigrations(absl::string_view track,
                               absl::Span<const Migration> migrations) override {
    absl::MutexLock lock(&writer_mu_);
    for (const Migration& m : migrations) {
      THB_RETURN_IF_ERROR(WriteLocked([&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(
            std::vector<Row> rows,
            tx.Query("SELECT 1 FROM schema_migrations WHERE track = $1 AND version = $2",
                     {std::string(track), static_cast<int64_t>(m.version)}));
        if (!rows.empty()) return absl::OkStatus();
        if (absl::Status e = writer_->ExecScript(m.sql); !e.ok()) {
          return absl::Status(e.code(), absl::StrCat("migration ", track, "/", m.version, " (",
                                                     m.description, "): ", e.message()));
        }
        return tx
            .Execute(
                "INSERT INTO schema_migrations (track, version, description, applied_at) "
                "VALUES ($1, $2, $3, $4)",
                {std::string(track), static_cast<int64_t>(m.version), m.description,
                 absl::FormatTime(absl::Now())})
            .status();
      }));
    }
    return absl::OkStatus();
  }

  absl::Status RunInTransaction(absl::FunctionRef<absl::Status(Transaction&)> fn) override {
    absl::MutexLock lock(&writer_mu_);
    return WriteLocked(fn);
  }

  absl::Status RunReadOnly(absl::FunctionRef<absl::Status(Transaction&)> fn) override {
    std::unique_ptr<Connection> conn;
    {
      absl::MutexLock lock(&readers_mu_);
      if (!readers_.empty()) {
        conn = std::move(readers_.back());
        readers_.pop_back();
      }
    }
    if (conn == nullptr) {
      THB_ASSIGN_OR_RETURN(conn, Connection::Open(options_, true));
    }
    absl::Status s = conn->ExecScript("BEGIN DEFERRED");
    if (s.ok()) {
      SqliteTransaction tx(*conn);
      s = fn(tx);
      absl::Status end = conn->ExecScript("COMMIT");
      if (s.ok()) s = end;
    }
    absl::MutexLock lock(&readers_mu_);
    if (static_cast<int>(readers_.size()) < options_.reader_connections) {
      readers_.push_back(std::move(conn));
    }
    return s;
  }

  absl::string_view dialect() const override { return "sqlite"; }

 private:
  absl::Status WriteLocked(absl::FunctionRef<absl::Status(Transaction&)> fn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_) {
    THB_RETURN_IF_ERROR(writer_->ExecScript("BEGIN IMMEDIATE"));
    SqliteTransaction tx(*writer_);
    absl::Status s = fn(tx);
    if (!s.ok()) {
      writer_->ExecScript("ROLLBACK").IgnoreError();
      return s;
    }
    if (absl::Status c = writer_->ExecScript("COMMIT"); !c.ok()) {
      writer_->ExecScript("ROLLBACK").IgnoreError();
      return c;
    }
    return absl::OkStatus();
  }

  SqliteOptions options_;
  absl::Mutex writer_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(writer_mu_);
  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> readers_ ABSL_GUARDED_BY(readers_mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenSqliteDatabase(const SqliteOptions& options) {
  auto db = std::make_unique<SqliteDatabase>(options);
  THB_RETURN_IF_ERROR(db->Init());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace thb
