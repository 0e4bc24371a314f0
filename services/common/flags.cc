#include "services/common/flags.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

ABSL_FLAG(std::string, listen, "",
          "gRPC (or HTTP, for the gateway) listen address host:port; "
          "port 0 picks a free port, logged in the first \"listening\" line");
ABSL_FLAG(std::string, admin_listen, "",
          "admin (Prometheus /metrics) listen address host:port; empty disables it");
ABSL_FLAG(std::string, db, "", "SQLite database file path (or a postgres:// URL)");
ABSL_FLAG(std::string, log_level, "info", "lowest log level written: debug, info, warning, error");
ABSL_FLAG(std::string, jwt_hs256_key_file, "",
          "file with the HS256 shared secret that signs bearer tokens (local development)");
ABSL_FLAG(std::string, jwt_public_key_file, "",
          "PEM file with the RS256 public key of the identity provider");
ABSL_FLAG(std::string, jwt_jwks_file, "",
          "JWKS file with the identity provider's signing keys (RS256, ES256; chosen by the "
          "token's kid), e.g. saved from Keycloak's .../protocol/openid-connect/certs");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain of this process: its gRPC listener then accepts TLS only, and it "
          "is shown to upstream services that require client certificates");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA: the gRPC listener requires client certificates signed by it (mutual TLS)");
ABSL_FLAG(std::string, upstream_ca_file, "",
          "PEM CA: calls to other services use TLS and trust servers signed by it");
ABSL_FLAG(std::string, jwt_issuer, "", "required token issuer (iss), when set");
ABSL_FLAG(std::string, jwt_audience, "", "required token audience (aud), when set");
ABSL_FLAG(std::string, service_token_file, "",
          "bearer token this service presents to upstream services; minted from the HS256 key "
          "when empty and a key is configured");
ABSL_FLAG(bool, dev_insecure, false,
          "DEVELOPMENT ONLY: requests without a token act with every role. Never in production.");
ABSL_FLAG(std::string, coordinator_target, "127.0.0.1:50051",
          "gRPC target of the coordinator service (e.g. dns:///thb-coordinator:50051)");
ABSL_FLAG(std::string, commission_target, "127.0.0.1:50052",
          "gRPC target of the commission service");
ABSL_FLAG(std::string, rapporteur_target, "127.0.0.1:50053",
          "gRPC target of the rapporteur service");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(20),
          "how long in-flight RPCs may finish after SIGTERM before they are cancelled");
ABSL_FLAG(absl::Duration, upstream_timeout, absl::Seconds(5),
          "deadline of every call to another service");
ABSL_FLAG(absl::Duration, upstream_max_backoff, absl::Seconds(2),
          "longest wait between two attempts to reconnect to a service that is down (gRPC's own "
          "default climbs to 120 s); callers reach a service at most about this long after it "
          "is back");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(5),
          "clients reconnect after this long, so new replicas receive load");
ABSL_FLAG(int, worker_threads, 8, "threads that run request handlers (storage and upstream I/O)");
ABSL_FLAG(int, db_pool_size, 8,
          "PostgreSQL connections this process keeps at most (a request waits up to 5 s for one, "
          "then fails with UNAVAILABLE); size it with --worker_threads and the server's "
          "max_connections divided by the replicas");

namespace thb {

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read file ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
namespace {

void ApplyEnvironmentFallbacks() {
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    std::string env_name = absl::StrCat("THB_", absl::AsciiStrToUpper(name));
    const char* value = std::getenv(env_name.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      std::fprintf(stderr, "%s: invalid value for %s: %s\n", "thb", env_name.c_str(),
                   error.c_str());
      std::exit(2);
    }
  }
}

}  // namespace

std::vector<char*> ParseFlags(int argc, char** argv, const FlagDefaults& defaults) {
  // Abseil's mutex deadlock detector (on in Debian's build) records every mutex in a global
  // graph; gRPC creates and destroys one per call, which showed up at a few percent of the
  // gateway's CPU. It is a debugging aid; the sanitizer builds find lock-order problems instead.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::FlagsUsageConfig config;
  config.contains_helpshort_flags = [](absl::string_view file) {
    return absl::StrContains(file, "services/") || absl::StrContains(file, "gateway/");
  };
  config.contains_help_flags = config.contains_helpshort_flags;
  config.normalize_filename = [](absl::string_view f) {
    size_t at = f.rfind("services/");
    if (at == absl::string_view::npos) at = f.rfind("gateway/");
    return std::string(at == absl::string_view::npos ? f : f.substr(at));
  };
  absl::SetFlagsUsageConfig(config);
  absl::SetProgramUsageMessage(absl::StrCat(
      defaults.description, "\n\nUsage: ", defaults.program,
      " [flags]\nEvery flag --name may also be set as environment variable THB_NAME."));
  absl::SetFlag(&FLAGS_listen, defaults.listen);
  absl::SetFlag(&FLAGS_admin_listen, defaults.admin_listen);
  absl::SetFlag(&FLAGS_db, defaults.db);
  ApplyEnvironmentFallbacks();
  return absl::ParseCommandLine(argc, argv);
}

absl::Status ReadFlagFile(absl::string_view flag, const std::string& path, std::string* out) {
  if (path.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> contents = ReadFileToString(path);
  if (!contents.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", contents.status().message()));
  }
  *out = *std::move(contents);
  return absl::OkStatus();
}

}  // namespace thb
