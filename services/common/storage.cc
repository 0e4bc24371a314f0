#include "services/common/storage.h"

#include <algorithm>

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
                                                       absl::string_view service, int pool_size) {
  if (url.empty()) return absl::InvalidArgumentError("--db is empty");
  if (IsPostgresUrl(url)) {
    if (service.empty()) {
      return absl::InvalidArgumentError("a PostgreSQL database needs the service's schema name");
    }
    PostgresOptions options;
    options.url = std::string(url);
    options.schema = std::string(service);
    options.max_connections = pool_size;
    return OpenPostgresDatabase(options);
  }
  std::string path(url);
  if (absl::StartsWith(path, "sqlite://")) path = path.substr(9);
  return OpenSqliteDatabase(SqliteOptions{path});
}

std::string RedactDatabaseUrl(absl::string_view url) {
  std::string out(url);
  // URL userinfo: scheme://user:password@host
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t at = out.find('@', start);
    const size_t slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... as a URL parameter (up to & or the end) or a libpq keyword (a word, or quoted).
  for (size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    const size_t begin = pos + 9;
    size_t end = begin;
    if (end < out.size() && out[end] == '\'') {
      for (++end; end < out.size() && out[end] != '\''; ++end) {
        if (out[end] == '\\') ++end;
      }
      end = std::min(out.size(), end + 1);
    } else {
      while (end < out.size() && out[end] != '&' && out[end] != ' ') ++end;
    }
    out.replace(begin, end - begin, "***");
  }
  return out;
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
      // Request ids belong to their caller, and a retry must repeat its request (fingerprint).
      // Ids remembered before this migration are dropped: their caller was never recorded, and
      // answering them for anyone would keep the cross-caller leak this migration closes.
      {3, "request ids scoped to the caller, with the request's fingerprint",
       "DROP TABLE request_ids;"
       "CREATE TABLE request_ids ("
       "  subject TEXT NOT NULL,"
       "  institution TEXT NOT NULL,"
       "  method TEXT NOT NULL,"
       "  request_id TEXT NOT NULL,"
       "  fingerprint TEXT NOT NULL,"
       "  response BLOB NOT NULL,"
       "  create_time TEXT NOT NULL,"
       "  PRIMARY KEY (subject, institution, method, request_id));"},
      // The secret that keys audit change digests (one row, made by the first mutation after
      // this migration; see AuditDigest in audit_log.cc).
      {4, "audit digest key",
       "CREATE TABLE audit_digest_key ("
       "  id INTEGER PRIMARY KEY,"
       "  secret BLOB NOT NULL,"
       "  create_time TEXT NOT NULL);"},
  };
  return *migrations;
}

}  // namespace thb
