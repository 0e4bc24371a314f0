#include "services/common/storage.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/postgres_database.h"
#include "services/common/sqlite_database.h"

namespace thb {

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* n = std::get_if<int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  return 0;
}

double Row::Double(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* b = std::get_if<Blob>(&v)) return b->bytes;
  if (auto* n = std::get_if<int64_t>(&v)) return absl::StrCat(*n);
  return "";
}

namespace {

bool IsPostgresUrl(absl::string_view url) {
  return absl::StartsWith(url, "postgres://") || absl::StartsWith(url, "postgresql://") ||
         absl::StrContains(url, "dbname=") || absl::StartsWith(url, "host=");
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(absl::string_view url,
                                                       absl::string_view service) {
  if (url.empty()) return absl::InvalidArgumentError("--db is empty");
  if (IsPostgresUrl(url)) {
    if (service.empty()) {
      return absl::InvalidArgumentError("a PostgreSQL database needs the service's schema name");
    }
    PostgresOptions options;
    options.url = std::string(url);
    options.schema = std::string(service);
    return OpenPostgresDatabase(options);
  }
  std::string path(url);
  if (absl::StartsWith(path, "sqlite://")) path = path.substr(9);
  return OpenSqliteDatabase(SqliteOptions{path});
}

absl::Span<const Migration> CommonMigrations() {
  static const auto* migrations = new std::vector<Migration>{
      {1, "idempotency keys (AIP-155)",
       "CREATE TABLE request_ids ("
       "  method TEXT NOT NULL,"
       "  request_id TEXT NOT NULL,"
       "  response BLOB NOT NULL,"
       "  create_time TEXT NOT NULL,"
       "  PRIMARY KEY (method, request_id));"},
      {2, "tamper-evident audit log and change feed",
       "CREATE TABLE audit_events ("
       "  sequence BIGINT PRIMARY KEY,"
       "  time_micros BIGINT NOT NULL,"
       "  actor TEXT NOT NULL,"
       "  role TEXT NOT NULL,"
       "  method TEXT NOT NULL,"
       "  resource TEXT NOT NULL,"
       "  request_id TEXT NOT NULL,"
       "  change_digest TEXT NOT NULL,"
       "  previous_hash TEXT NOT NULL,"
       "  hash TEXT NOT NULL);"
       "CREATE INDEX audit_events_by_resource ON audit_events (resource, sequence);"},
  };
  return *migrations;
}

}  // namespace thb
