// Command-line flags shared by every THB binary. Each flag falls back to an environment
// variable THB_<NAME> (e.g. --db <- THB_DB) when not given on the command line, so the same
// binary is configured by flags locally and by ConfigMaps on Kubernetes.
#pragma once

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, admin_listen);
ABSL_DECLARE_FLAG(std::string, db);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(std::string, jwt_hs256_key_file);
ABSL_DECLARE_FLAG(std::string, jwt_public_key_file);
ABSL_DECLARE_FLAG(std::string, jwt_jwks_file);
ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, tls_client_ca_file);
ABSL_DECLARE_FLAG(std::string, upstream_ca_file);
ABSL_DECLARE_FLAG(std::string, jwt_issuer);
ABSL_DECLARE_FLAG(std::string, jwt_audience);
ABSL_DECLARE_FLAG(std::string, service_token_file);
ABSL_DECLARE_FLAG(bool, dev_insecure);
ABSL_DECLARE_FLAG(std::string, coordinator_target);
ABSL_DECLARE_FLAG(std::string, commission_target);
ABSL_DECLARE_FLAG(std::string, rapporteur_target);
ABSL_DECLARE_FLAG(absl::Duration, drain_timeout);
ABSL_DECLARE_FLAG(absl::Duration, upstream_timeout);
ABSL_DECLARE_FLAG(absl::Duration, upstream_max_backoff);
ABSL_DECLARE_FLAG(absl::Duration, max_connection_age);
ABSL_DECLARE_FLAG(int, worker_threads);
ABSL_DECLARE_FLAG(int, db_pool_size);

namespace thb {

struct FlagDefaults {
  std::string program;       // e.g. "thb-coordinator"
  std::string description;   // one line for --help
  std::string listen;        // default --listen
  std::string admin_listen;  // default --admin_listen
  std::string db;            // default --db
};

// Sets the per-binary defaults, applies THB_* environment fallbacks, then parses the command
// line (which wins). On a bad flag or environment value, prints one line and exits with 2.
// Returns the positional arguments.
std::vector<char*> ParseFlags(int argc, char** argv, const FlagDefaults& defaults);

// Reads a whole file (keys, tokens); NOT_FOUND with the path when it cannot be read.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// Reads the file a flag names into `*out` (left alone when `path` is empty); INVALID_ARGUMENT
// "--<flag>: <reason>" when it cannot be read.
absl::Status ReadFlagFile(absl::string_view flag, const std::string& path, std::string* out);

}  // namespace thb
