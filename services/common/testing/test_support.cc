#include "services/common/testing/test_support.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/errors.h"

namespace thb::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/thb-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

const std::string& TestKey() {
  static const auto* key = new std::string("test-hs256-key-0123456789-abcdefghijklmnopqrstuv");
  return *key;
}

std::string Token(const std::vector<std::string>& roles, const std::string& institution,
                  absl::Duration ttl, const std::string& subject) {
  const absl::Time now = absl::Now();
  nlohmann::json claims = {{"sub", subject},
                           {"roles", roles},
                           {"iat", absl::ToUnixSeconds(now)},
                           {"exp", absl::ToUnixSeconds(now + ttl)}};
  if (!institution.empty()) claims["institution"] = institution;
  absl::StatusOr<std::string> token = MintHs256Token(TestKey(), claims);
  if (!token.ok()) throw std::runtime_error(std::string(token.status().message()));
  return *token;
}

RuntimeConfig TestConfig(const std::string& service, const TempDir& dir) {
  RuntimeConfig c;
  c.service = service;
  c.listen = "127.0.0.1:0";
  c.admin_listen = "";
  c.db = dir.File(service + ".db");
  c.log_level = "error";
  c.token.hs256_key = TestKey();
  c.worker_threads = 2;
  c.upstream_timeout = absl::Seconds(2);
  return c;
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const auto& v : GetFieldViolations(status)) out.push_back(v.field);
  return out;
}

RefusalDetails DecodeRefusal(const grpc::Status& status) {
  RefusalDetails out;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return out;
  for (const auto& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::PreconditionFailure failure;
    google::rpc::ResourceInfo resource;
    if (any.UnpackTo(&info)) {
      out.domain = info.domain();
      out.reason = info.reason();
    } else if (any.UnpackTo(&failure) && failure.violations_size() > 0) {
      out.precondition_type = failure.violations(0).type();
      out.precondition_subject = failure.violations(0).subject();
    } else if (any.UnpackTo(&resource)) {
      out.resource_type = resource.resource_type();
      out.resource_name = resource.resource_name();
    }
  }
  return out;
}

std::map<std::string, double> GaugeValues(const prometheus::Collectable& collectable) {
  std::map<std::string, double> values;
  for (const auto& family : collectable.Collect()) {
    for (const auto& m : family.metric) {
      std::string key = family.name;
      for (const auto& l : m.label) key += "{" + l.value + "}";
      values[key] = m.gauge.value;
    }
  }
  return values;
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary);
  out << contents;
  if (!out) throw std::runtime_error("cannot write " + path);
}

bool MakeTestCertificates(const TempDir& dir) {
  const std::string script = absl::StrCat(
      "(set -e; cd '", dir.path(), "';",
      "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > server.ext;",
      "for ca in ca rogue; do openssl req -x509 -newkey rsa:2048 -nodes -keyout $ca.key -out "
      "$ca.pem "
      "-days 1 -subj /CN=$ca; done;",
      "issue() { openssl req -newkey rsa:2048 -nodes -keyout $1.key -out $1.csr -subj /CN=$1;"
      " openssl x509 -req -in $1.csr -CA $2.pem -CAkey $2.key -CAcreateserial -out $1.pem -days 1 "
      "$3; };",
      "issue server ca '-extfile server.ext'; issue client ca ''; issue intruder rogue ''", ") > '",
      dir.File("openssl.log"), "' 2>&1");
  return std::system(script.c_str()) == 0;
}

}  // namespace thb::testing
