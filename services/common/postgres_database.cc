#include "services/common/postgres_database.h"

#include <functional>
#include <pqxx/pqxx>
#include <random>
#include <regex>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/status_macros.h"

namespace thb {
namespace {

// SQLSTATEs after which running the whole transaction again can succeed: a serialization
// failure or a deadlock. (Writers of one service queue on a lock, so neither should occur; the
// retry is a safety net, not the mechanism.)
bool Retryable(const std::string& state) { return state == "40001" || state == "40P01"; }

std::string Message(const std::exception& e) {
  return std::string(absl::StripTrailingAsciiWhitespace(e.what()));
}

constexpr char kOutcomeUnknown[] = "08007";  // transaction_resolution_unknown

// Takes, until the transaction ends, the advisory lock named by $1 ("<purpose>:<schema>").
constexpr char kTakeLock[] = "SELECT pg_advisory_xact_lock(hashtext($1))";
// A writer's first statement: the service's write lock, and a notification to the other replicas'
// listeners, which PostgreSQL delivers only if the transaction commits.
constexpr char kTakeWriteLock[] = "SELECT pg_advisory_xact_lock(hashtext($1)), pg_notify($2, '')";

absl::Status StatusForState(const std::string& state, const std::string& msg) {
  if (state == "23505") return absl::AlreadyExistsError(msg);
  if (absl::StartsWith(state, "23")) return absl::FailedPreconditionError(msg);
  if (state == "40001" || state == "40P01") {
    return absl::AbortedError(absl::StrCat("a concurrent change conflicted; try again: ", msg));
  }
  if (state == kOutcomeUnknown) {
    return absl::UnavailableError(absl::StrCat(
        "the connection was lost while committing; the change may or may not have been stored "
        "(retry with the same request_id): ",
        msg));
  }
  if ((absl::StartsWith(state, "08") && state != "08P01") || absl::StartsWith(state, "57P") ||
      state == "53300") {
    return absl::UnavailableError(absl::StrCat("PostgreSQL is unavailable: ", msg));
  }
  return absl::InternalError(msg);
}

// The status for anything libpqxx throws, with the SQLSTATE it stands for and whether the
// connection is gone. (In libpqxx 6 the rollback errors are not sql_errors, hence the casts.)
absl::Status Classify(const std::exception& e, std::string* state, bool* broken) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr ||
      dynamic_cast<const pqxx::statement_completion_unknown*>(&e) != nullptr) {
    *broken = true;
    *state = kOutcomeUnknown;
  } else if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    *broken = true;
    *state = "08006";
  } else if (dynamic_cast<const pqxx::serialization_failure*>(&e) != nullptr) {
    *state = "40001";
  } else if (dynamic_cast<const pqxx::deadlock_detected*>(&e) != nullptr) {
    *state = "40P01";
  } else if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    *state = sql->sqlstate().empty() ? "XX000" : sql->sqlstate();
  } else if (dynamic_cast<const pqxx::transaction_rollback*>(&e) != nullptr) {
    *state = "40000";
  } else {
    *state = "XX000";
  }
  return StatusForState(*state, Message(e));
}

// Parameter values as text (bytea in its hex input form), with nullptr for NULL.
class TextParams {
 public:
  explicit TextParams(absl::Span<const Value> values) {
    text_.reserve(values.size());
    for (const Value& v : values) {
      if (std::holds_alternative<std::monostate>(v)) {
        text_.emplace_back();
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        text_.push_back(absl::StrCat(*n));
      } else if (const auto* d = std::get_if<double>(&v)) {
        text_.push_back(absl::StrFormat("%.17g", *d));
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        text_.push_back(*s);
      } else {
        text_.push_back(absl::StrCat("\\x", absl::BytesToHexString(std::get<Blob>(v).bytes)));
      }
    }
    for (size_t i = 0; i < values.size(); ++i) {
      pointers_.push_back(std::holds_alternative<std::monostate>(values[i]) ? nullptr
                                                                            : text_[i].c_str());
    }
  }
  const std::vector<const char*>& pointers() const { return pointers_; }

 private:
  std::vector<std::string> text_;
  std::vector<const char*> pointers_;
};

Row ReadRow(const pqxx::row& r) {
  std::vector<Value> values;
  values.reserve(r.size());
  for (const pqxx::field& f : r) {
    if (f.is_null()) {
      values.emplace_back(std::monostate{});
      continue;
    }
    switch (f.type()) {
      case 16:  // bool
        values.emplace_back(int64_t{f.c_str()[0] == 't'});
        break;
      case 20:  // int8
      case 21:  // int2
      case 23:  // int4
        values.emplace_back(f.as<int64_t>());
        break;
      case 700:  // float4
      case 701:  // float8
        values.emplace_back(f.as<double>());
        break;
      case 1700: {  // numeric (e.g. SUM of bigint): whole numbers stay integers
        int64_t n = 0;
        if (absl::SimpleAtoi(f.c_str(), &n)) {
          values.emplace_back(n);
        } else {
          values.emplace_back(f.as<double>());
        }
        break;
      }
      case 17:  // bytea
        values.emplace_back(Blob{pqxx::binarystring(f).str()});
        break;
      default:
        values.emplace_back(std::string(f.c_str(), f.size()));
    }
  }
  return Row(std::move(values));
}

class PostgresTransaction : public Transaction {
 public:
  explicit PostgresTransaction(pqxx::transaction_base& tx) : tx_(tx) {}

  absl::StatusOr<int64_t> Execute(absl::string_view sql, absl::Span<const Value> params) override {
    THB_ASSIGN_OR_RETURN(pqxx::result r, Exec(sql, params));
    return static_cast<int64_t>(r.affected_rows());
  }

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                         absl::Span<const Value> params) override {
    THB_ASSIGN_OR_RETURN(pqxx::result r, Exec(sql, params));
    std::vector<Row> rows;
    rows.reserve(r.size());
    for (const pqxx::row& row : r) rows.push_back(ReadRow(row));
    return rows;
  }

  // A server-side cursor, so a large table is read in slices.
  absl::Status ForEachRow(absl::string_view sql, absl::Span<const Value> params,
                          absl::FunctionRef<absl::Status(const Row&)> fn) override {
    const std::string cursor = absl::StrCat("thb_rows_", ++cursors_);
    THB_RETURN_IF_ERROR(
        Exec(absl::StrCat("DECLARE ", cursor, " NO SCROLL CURSOR FOR ", sql), params));
    while (true) {
      THB_ASSIGN_OR_RETURN(pqxx::result slice,
                           Exec(absl::StrCat("FETCH FORWARD 500 FROM ", cursor), {}));
      if (slice.empty()) break;
      for (const pqxx::row& row : slice) THB_RETURN_IF_ERROR(fn(ReadRow(row)));
    }
    return Exec(absl::StrCat("CLOSE ", cursor), {}).status();
  }

  // The SQLSTATE of the first statement that failed ("" when none did): after a failure the
  // server refuses everything until the transaction ends, whatever the caller made of it.
  const std::string& failed_state() const { return failed_state_; }
  bool broken() const { return broken_; }

 private:
  absl::StatusOr<pqxx::result> Exec(absl::string_view sql, absl::Span<const Value> params) {
    try {
      TextParams text(params);
      return tx_.exec_params(std::string(sql), pqxx::prepare::make_dynamic_params(text.pointers()));
    } catch (const std::exception& e) {
      std::string state;
      absl::Status s = Classify(e, &state, &broken_);
      if (failed_state_.empty()) failed_state_ = state;
      return s;
    }
  }

  pqxx::transaction_base& tx_;
  std::string failed_state_;
  bool broken_ = false;
  int cursors_ = 0;
};

bool IsValidSchemaName(absl::string_view s) {
  if (s.empty() || s.size() > 63 || !(absl::ascii_islower(s[0]) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_')) return false;
  }
  return true;
}

class PostgresDatabase : public Database {
 public:
  explicit PostgresDatabase(PostgresOptions options) : options_(std::move(options)) {}

  // Prepares the schema and the migration ledger, serialized between replicas by a lock.
  absl::Status Init() {
    return Locked("thb-schema", [&](pqxx::work& tx) {
      tx.exec("CREATE SCHEMA IF NOT EXISTS " + tx.quote_name(options_.schema));
      tx.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (track TEXT NOT NULL, version BIGINT NOT "
          "NULL, description TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (track, "
          "version))");
    });
  }

  absl::Status ApplyMigrations(absl::string_view track,
                               absl::Span<const Migration> migrations) override {
    for (const Migration& m : migrations) {
      absl::Status s = Locked("thb-migrations", [&](pqxx::work& tx) {
        pqxx::result applied =
            tx.exec_params("SELECT 1 FROM schema_migrations WHERE track = $1 AND version = $2",
                           std::string(track), m.version);
        if (!applied.empty()) return;
        tx.exec(PostgresDdl(m.sql));
        tx.exec_params(
            "INSERT INTO schema_migrations (track, version, description, applied_at) "
            "VALUES ($1, $2, $3, $4)",
            std::string(track), m.version, m.description, absl::FormatTime(absl::Now()));
      });
      if (!s.ok()) {
        return absl::Status(s.code(), absl::StrCat("migration ", track, "/", m.version, " (",
                                                   m.description, "): ", s.message()));
      }
    }
    return absl::OkStatus();
  }

  // Writers of one service queue on a transaction-level advisory lock, across replicas, the way
  // SQLite serialises its writer: each then reads the latest committed state (READ COMMITTED
  // takes a snapshot per statement), so etag checks, request-id lookups and the audit chain's
  // tail are never stale and conflicting writes cannot both pass.
  absl::Status RunInTransaction(absl::FunctionRef<absl::Status(Transaction&)> fn) override {
    return Run<pqxx::transaction<pqxx::read_committed, pqxx::read_write>>(
        [&](Transaction& tx) -> absl::Status {
          THB_RETURN_IF_ERROR(
              tx.Query(kTakeWriteLock, {absl::StrCat("thb-writes:", options_.schema), Channel()}));
          return fn(tx);
        },
        options_.max_attempts);
  }

  absl::Status RunReadOnly(absl::FunctionRef<absl::Status(Transaction&)> fn) override {
    return Run<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(fn, 2);
  }

  absl::string_view dialect() const override { return "postgres"; }

  // A connection of its own LISTENs on the service's channel; a thread waits for notifications
  // and reconnects (once a second) when the connection breaks. The first LISTEN happens before
  // this returns, so every commit after it is heard while the connection holds.
  void OnCommitsElsewhere(std::function<void()> committed) override {
    auto listener = std::make_unique<Listener>(options_.url, Channel(), std::move(committed));
    listener->Connect();
    listener_thread_ = std::thread([l = listener.get()] { l->Run(); });
    listener_ = std::move(listener);
  }

  ~PostgresDatabase() override {
    if (listener_) {
      listener_->Stop();
      listener_thread_.join();
    }
  }

 private:
  std::string Channel() const { return absl::StrCat("thb_changes_", options_.schema); }

  class Listener {
   public:
    Listener(std::string url, std::string channel, std::function<void()> committed)
        : url_(std::move(url)), channel_(std::move(channel)), committed_(std::move(committed)) {}

    // Connects and LISTENs; false (and still no connection) when the server cannot be reached.
    bool Connect() {
      try {
        auto conn = std::make_unique<pqxx::connection>(url_);
        receiver_ = std::make_unique<Receiver>(*conn, channel_, committed_);
        conn_ = std::move(conn);
        return true;
      } catch (const std::exception&) {
        return false;
      }
    }

    void Run() {
      while (!stopping()) {
        if (!conn_ && !Connect()) {
          absl::MutexLock lock(&mu_);
          mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::Seconds(1));
          continue;
        }
        try {
          conn_->await_notification(0, 200000);  // wakes at least every 0.2 s to see Stop
        } catch (const std::exception&) {
          receiver_.reset();
          conn_.reset();
        }
      }
      receiver_.reset();
      conn_.reset();
    }

    void Stop() {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }

   private:
    class Receiver : public pqxx::notification_receiver {
     public:
      Receiver(pqxx::connection_base& c, const std::string& channel,
               const std::function<void()>& committed)
          : pqxx::notification_receiver(c, channel), committed_(committed) {}
      void operator()(const std::string&, int) override { committed_(); }

     private:
      const std::function<void()>& committed_;
    };

    bool stopping() {
      absl::MutexLock lock(&mu_);
      return stop_;
    }

    const std::string url_;
    const std::string channel_;
    const std::function<void()> committed_;
    std::unique_ptr<pqxx::connection> conn_;  // the listener thread's (Connect before it starts)
    std::unique_ptr<Receiver> receiver_;
    absl::Mutex mu_;
    bool stop_ ABSL_GUARDED_BY(mu_) = false;
  };

  // Runs `fn` in a transaction of type Tx, again (up to `attempts` times) after a conflict with
  // another transaction or on a fresh connection after a broken one.
  template <typename Tx>
  absl::Status Run(absl::FunctionRef<absl::Status(Transaction&)> fn, int attempts) {
    for (int attempt = 1;; ++attempt) {
      THB_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> conn, Acquire());
      std::string state;
      bool broken = false;
      absl::Status s;
      try {
        Tx tx(*conn);
        PostgresTransaction t(tx);
        s = fn(t);
        state = t.failed_state();
        broken = t.broken();
        if (s.ok() && !state.empty()) {
          s = absl::InternalError(absl::StrCat("a statement failed (SQLSTATE ", state,
                                               ") but the transaction went on"));
        }
        if (s.ok()) tx.commit();
      } catch (const std::exception& e) {
        s = Classify(e, &state, &broken);
      }
      Release(std::move(conn), !broken);
      if (s.ok() || attempt >= attempts || state == kOutcomeUnknown) return s;
      if (broken) continue;  // a fresh connection; fails fast while the server is down
      if (!Retryable(state)) return s;
      Backoff(attempt);
    }
  }

  static void Backoff(int attempt) {
    thread_local std::mt19937 rng(std::random_device{}());
    const int max_us = 500 << std::min(attempt, 6);
    absl::SleepFor(absl::Microseconds(std::uniform_int_distribution<int>(0, max_us)(rng)));
  }

  // Runs `body` in a plain transaction holding the advisory lock named `what` for the schema.
  absl::Status Locked(const std::string& what, const std::function<void(pqxx::work&)>& body) {
    THB_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> conn, Acquire());
    absl::Status s;
    bool broken = false;
    try {
      pqxx::work tx(*conn);
      tx.exec_params(kTakeLock, absl::StrCat(what, ":", options_.schema));
      body(tx);
      tx.commit();
    } catch (const std::exception& e) {
      std::string state;
      s = Classify(e, &state, &broken);
    }
    Release(std::move(conn), !broken);
    return s;
  }

  bool Available() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !idle_.empty() || open_ < options_.max_connections;
  }

  absl::StatusOr<std::unique_ptr<pqxx::connection>> Acquire() {
    {
      absl::MutexLock lock(&mu_);
      if (!mu_.AwaitWithTimeout(absl::Condition(this, &PostgresDatabase::Available),
                                options_.acquire_timeout)) {
        return absl::UnavailableError(absl::StrCat("all ", options_.max_connections,
                                                   " PostgreSQL connections stayed busy for ",
                                                   absl::FormatDuration(options_.acquire_timeout)));
      }
      if (!idle_.empty()) {
        std::unique_ptr<pqxx::connection> c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
      ++open_;
    }
    try {
      auto c = std::make_unique<pqxx::connection>(options_.url);
      pqxx::nontransaction setup(*c);
      setup.exec("SET search_path TO " + setup.quote_name(options_.schema));
      return c;
    } catch (const std::exception& e) {
      absl::MutexLock lock(&mu_);
      --open_;
      return absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL: ", Message(e)));
    }
  }

  void Release(std::unique_ptr<pqxx::connection> c, bool healthy) {
    absl::MutexLock lock(&mu_);
    if (healthy && c->is_open()) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
    }
  }

  PostgresOptions options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  std::unique_ptr<Listener> listener_;
  std::thread listener_thread_;
};

}  // namespace

std::string PostgresDdl(absl::string_view sql) {
  static const std::regex* blob = new std::regex(R"(\bBLOB\b)");
  static const std::regex* integer = new std::regex(R"(\bINTEGER\b)");
  static const std::regex* real = new std::regex(R"(\bREAL\b)");
  std::string out = std::regex_replace(std::string(sql), *blob, "BYTEA");
  out = std::regex_replace(out, *integer, "BIGINT");
  return std::regex_replace(out, *real, "DOUBLE PRECISION");
}

absl::StatusOr<std::unique_ptr<Database>> OpenPostgresDatabase(const PostgresOptions& options) {
  if (!IsValidSchemaName(options.schema)) {
    return absl::InvalidArgumentError(
        absl::StrCat("PostgreSQL schema \"", options.schema, "\" must match [a-z_][a-z0-9_]*"));
  }
  if (options.max_connections < 1) {
    return absl::InvalidArgumentError("the PostgreSQL pool needs at least one connection");
  }
  auto db = std::make_unique<PostgresDatabase>(options);
  THB_RETURN_IF_ERROR(db->Init());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace thb
