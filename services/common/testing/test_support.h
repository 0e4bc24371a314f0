// Helpers for hermetic tests: temporary directories, a test signing key and tokens, and
// runtime configurations that bind port 0 and keep their database in a temp dir.
#pragma once

#include <prometheus/collectable.h>

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/common/service_runtime.h"

namespace thb::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The HS256 key the test runtimes verify with.
const std::string& TestKey();

// A token signed with TestKey().
std::string Token(const std::vector<std::string>& roles, const std::string& institution = "",
                  absl::Duration ttl = absl::Hours(1), const std::string& subject = "tester");

// Config for an in-process service: 127.0.0.1:0, no admin port, SQLite in `dir`.
RuntimeConfig TestConfig(const std::string& service, const TempDir& dir);

// The request fields named by the field violations of `status`, in order.
std::vector<std::string> ViolatedFields(const absl::Status& status);

// The structured details of a refusal that came over gRPC (grpc-status-details-bin).
struct RefusalDetails {
  std::string domain;                // ErrorInfo.domain
  std::string reason;                // ErrorInfo.reason
  std::string precondition_type;     // the first PreconditionFailure violation's type
  std::string precondition_subject;  // ... and subject
  std::string resource_type;         // ResourceInfo.resource_type
  std::string resource_name;         // ResourceInfo.resource_name
};
RefusalDetails DecodeRefusal(const grpc::Status& status);

// The values a collectable reports, keyed "name{label values...}", e.g. "thb_measures{PLANNED}".
std::map<std::string, double> GaugeValues(const prometheus::Collectable& collectable);

// Writes `contents` to `path` (test fixtures such as key files).
void WriteFile(const std::string& path, const std::string& contents);

// Makes, with the openssl command, in `dir`: ca.pem/ca.key, server.pem/.key (for 127.0.0.1 and
// localhost, from ca), client.pem/.key (from ca), rogue.pem/.key (another CA) and
// intruder.pem/.key (from rogue). False (openssl.log explains) when openssl fails.
bool MakeTestCertificates(const TempDir& dir);

}  // namespace thb::testing
