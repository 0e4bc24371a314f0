// The embedded default store: SQLite in WAL mode with synchronous=FULL, so an acknowledged
// write survives a crash. One writer connection (SQLite serialises writers anyway) and a small
// pool of reader connections that read concurrently from WAL snapshots.
#pragma once

#include <memory>
#include <string>

#include "services/common/storage.h"

namespace thb {

struct SqliteOptions {
  std::string path;
  int busy_timeout_ms = 5000;
  int reader_connections = 4;
};

absl::StatusOr<std::unique_ptr<Database>> OpenSqliteDatabase(const SqliteOptions& options);

}  // namespace thb
