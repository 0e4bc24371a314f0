// Storage behind one interface, so a pillar's store runs on embedded SQLite (one machine) or on
// PostgreSQL (replicas). SQL uses $1..$N placeholders in both dialects; values are always bound,
// never spliced into SQL text. Work happens inside transactions: all of it commits or none.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace thb {

// Binary data (a serialized proto), distinct from text so each store can bind it natively.
struct Blob {
  std::string bytes;
};

using Value = std::variant<std::monostate, int64_t, double, std::string, Blob>;

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  int64_t Int(size_t i) const;
  double Double(size_t i) const;
  // Text or blob contents as bytes; empty for NULL.
  std::string Text(size_t i) const;

 private:
  std::vector<Value> values_;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  // Runs a statement; returns the number of rows changed.
  virtual absl::StatusOr<int64_t> Execute(absl::string_view sql,
                                          absl::Span<const Value> params = {}) = 0;
  virtual absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                                 absl::Span<const Value> params = {}) = 0;
  // Calls `fn` with each row as the store produces it, without holding the whole result (for
  // aggregating large tables); stops at the first error `fn` returns.
  virtual absl::Status ForEachRow(absl::string_view sql, absl::Span<const Value> params,
                                  absl::FunctionRef<absl::Status(const Row&)> fn) = 0;
};

// A versioned schema change. `sql` may hold several statements; it runs in one transaction.
struct Migration {
  int version;
  std::string description;
  std::string sql;
};

class Database {
 public:
  virtual ~Database() = default;

  // Applies, in order, the migrations of `track` (e.g. "common", "coordinator") not yet applied.
  virtual absl::Status ApplyMigrations(absl::string_view track,
                                       absl::Span<const Migration> migrations) = 0;

  // Runs `fn` in a read-write transaction; commits when it returns OK, rolls back otherwise.
  // Constraint violations surface as ALREADY_EXISTS / FAILED_PRECONDITION, a busy store as
  // UNAVAILABLE.
  virtual absl::Status RunInTransaction(absl::FunctionRef<absl::Status(Transaction&)> fn) = 0;

  // Runs `fn` in a read-only transaction (a consistent snapshot).
  virtual absl::Status RunReadOnly(absl::FunctionRef<absl::Status(Transaction&)> fn) = 0;

  // "sqlite" or "postgres".
  virtual absl::string_view dialect() const = 0;

  // Calls `committed` (on a thread of the store's, possibly more than once per commit) when a
  // write may have been committed to this database by another process: replicas of a service
  // learn of each other's writes without polling. Best effort, a hint to look, not a delivery
  // guarantee. Call at most once. SQLite (one process per file) never calls it.
  // By value: an implementation keeps the callback (moves it into its listener).
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  virtual void OnCommitsElsewhere(std::function<void()> /*committed*/) {}
};

// Opens the database named by the --db flag: a SQLite file path, or a postgres:// URL (or a
// libpq "host=... dbname=..." string) whose tables live in the schema `service` (required for
// PostgreSQL, so no two services ever share tables; ignored for SQLite, a file per service).
// `pool_size` bounds a PostgreSQL store's connections (SQLite has one writer and opens a
// connection per reader).
absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(absl::string_view url,
                                                       absl::string_view service = "",
                                                       int pool_size = 8);

// The --db value as it may be logged: a password in a postgres:// URL (user:password@, or a
// password= parameter) or in a libpq "password=..." string is replaced by "***".
std::string RedactDatabaseUrl(absl::string_view url);

// The migrations every service gets (idempotency keys); track "common".
absl::Span<const Migration> CommonMigrations();

}  // namespace thb
