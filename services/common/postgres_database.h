// The store for replicas: PostgreSQL through libpqxx. Each service keeps its tables in a schema
// of its own; its read-write transactions queue on one advisory lock across replicas (as SQLite
// serialises its writer), so etag checks, request-id idempotency and the audit chain hold with
// several replicas on one database; reads run concurrently on REPEATABLE READ snapshots.
// Connections come from a bounded pool; a broken one is dropped and replaced on the next request,
// so the service recovers from a PostgreSQL restart by itself.
#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "services/common/storage.h"

namespace thb {

struct PostgresOptions {
  std::string url;          // postgres://... URL or a libpq "key=value" connection string
  std::string schema;       // [a-z_][a-z0-9_]*, created when missing
  int max_connections = 8;  // the pool's bound
  absl::Duration acquire_timeout =
      absl::Seconds(5);  // wait for a free connection, then UNAVAILABLE
  int max_attempts = 3;  // runs of a transaction after a conflict or a lost connection
};

// Connects once to check the server and prepares the schema; UNAVAILABLE when it cannot connect.
absl::StatusOr<std::unique_ptr<Database>> OpenPostgresDatabase(const PostgresOptions& options);

// The DDL of a migration for PostgreSQL: migrations are written once in SQL both stores accept,
// with SQLite's type names, which map as BLOB -> BYTEA, INTEGER -> BIGINT, REAL -> DOUBLE
// PRECISION.
std::string PostgresDdl(absl::string_view sql);

}  // namespace thb
