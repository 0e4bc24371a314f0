#include "services/common/testing/postgres_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace thb::testing {
namespace {

// The newest installed server's binaries, e.g. /usr/lib/postgresql/15/bin.
std::string FindServerBinaries() {
  std::string best;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string bin = entry.path().string() + "/bin";
    if (std::filesystem::exists(bin + "/initdb") && bin > best) best = bin;
  }
  return best;
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// Runs `command` as the server's user: postgres when we are root.
int RunAsServerUser(const std::string& command) {
  const std::string full =
      geteuid() == 0 ? absl::StrCat("runuser -u postgres -- ", command) : command;
  return std::system(full.c_str());
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->bin_ = FindServerBinaries();
  if (server->bin_.empty()) {
    return absl::FailedPreconditionError(
        "no PostgreSQL server under /usr/lib/postgresql (Debian package postgresql-15)");
  }
  std::string tmpl = "/tmp/thb-pg-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  server->dir_ = tmpl;
  if (geteuid() == 0) {
    passwd* pw = getpwnam("postgres");
    if (pw == nullptr) return absl::FailedPreconditionError("running as root but no postgres user");
    if (chown(server->dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return absl::InternalError("cannot hand the data directory to postgres");
    }
  }
  server->port_ = FreeLoopbackPort();
  const std::string log = server->dir_ + "/initdb.log";
  if (RunAsServerUser(absl::StrCat(server->bin_, "/initdb -D ", server->dir_,
                                   "/data -U postgres -A trust -E UTF8 --no-sync > ", log,
                                   " 2>&1")) != 0) {
    return absl::InternalError(absl::StrCat("initdb failed; see ", log));
  }
  THB_RETURN_IF_ERROR(server->StartAgain());
  return server;
}

absl::Status PostgresServer::PgCtl(const std::string& args) const {
  const std::string log = dir_ + "/pg_ctl.log";
  if (RunAsServerUser(absl::StrCat(bin_ + "/pg_ctl", " -D ", dir_, "/data -l ", dir_,
                                   "/server.log -w -t 60 ", args, " >> ", log, " 2>&1")) != 0) {
    return absl::InternalError(
        absl::StrCat("pg_ctl ", args, " failed; see ", log, " and ", dir_, "/server.log"));
  }
  return absl::OkStatus();
}

absl::Status PostgresServer::StartAgain() {
  absl::Status s = PgCtl(absl::StrCat("-o \"-p ", port_, " -k ", dir_,
                                      " -c listen_addresses=127.0.0.1 -c fsync=off\" start"));
  running_ = s.ok();
  return s;
}

absl::Status PostgresServer::Stop() {
  absl::Status s = PgCtl("-m fast stop");
  if (s.ok()) running_ = false;
  return s;
}

PostgresServer::~PostgresServer() {
  if (running_) PgCtl("-m immediate stop").IgnoreError();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

std::string PostgresServer::Url(const std::string& database) const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/", database);
}

absl::StatusOr<PostgresServer::WithDatabase> PostgresServer::StartWithDatabase() {
  THB_ASSIGN_OR_RETURN(std::unique_ptr<PostgresServer> server, Start());
  THB_ASSIGN_OR_RETURN(std::string url, server->NewDatabase());
  return WithDatabase{std::move(server), std::move(url)};
}

absl::StatusOr<std::string> PostgresServer::NewDatabase() {
  const std::string name = absl::StrCat("thb_test_", ++databases_);
  try {
    pqxx::connection c(Url("postgres"));
    pqxx::nontransaction n(c);
    n.exec("CREATE DATABASE " + n.quote_name(name));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("CREATE DATABASE ", name, ": ", e.what()));
  }
  return Url(name);
}

}  // namespace thb::testing
