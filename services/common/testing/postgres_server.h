// A PostgreSQL server of the test's own: `initdb` into a fresh directory and `pg_ctl start` on a
// free loopback port, stopped and removed with the object. initdb refuses to run as root, so
// under root (as in CI) the server runs as the `postgres` user.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace thb::testing {

class PostgresServer {
 public:
  // FAILED_PRECONDITION when no PostgreSQL server binaries are installed.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start();
  // A started server with one fresh database, for tests that need just one.
  struct WithDatabase;
  static absl::StatusOr<WithDatabase> StartWithDatabase();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A URL for `database` on this server, as user postgres.
  std::string Url(const std::string& database) const;
  // Creates a database with a fresh name and returns its URL.
  absl::StatusOr<std::string> NewDatabase();
  // Stops the server (fast shutdown) and starts it again on the same port and data.
  absl::Status Stop();
  absl::Status StartAgain();
  int port() const { return port_; }

 private:
  PostgresServer() = default;
  absl::Status PgCtl(const std::string& args) const;

  std::string bin_;  // directory of initdb / pg_ctl
  std::string dir_;  // owned by the server's user
  int port_ = 0;
  bool running_ = false;
  int databases_ = 0;
};

struct PostgresServer::WithDatabase {
  std::unique_ptr<PostgresServer> server;
  std::string url;  // of the database
};

}  // namespace thb::testing
