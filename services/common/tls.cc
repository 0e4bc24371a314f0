#include "services/common/tls.h"

#include <grpcpp/security/server_credentials.h>

#include "absl/flags/flag.h"
#include "services/common/flags.h"
#include "services/common/status_macros.h"

namespace thb {

absl::StatusOr<TlsConfig> TlsConfig::FromFlags() {
  TlsConfig tls;
  for (auto [flag, path, out] :
       {std::make_tuple("tls_cert_file", absl::GetFlag(FLAGS_tls_cert_file), &tls.cert),
        std::make_tuple("tls_key_file", absl::GetFlag(FLAGS_tls_key_file), &tls.key),
        std::make_tuple("tls_client_ca_file", absl::GetFlag(FLAGS_tls_client_ca_file),
                        &tls.client_ca),
        std::make_tuple("upstream_ca_file", absl::GetFlag(FLAGS_upstream_ca_file),
                        &tls.upstream_ca)}) {
    THB_RETURN_IF_ERROR(ReadFlagFile(flag, path, out));
  }
  THB_RETURN_IF_ERROR(tls.Validate());
  return tls;
}

absl::Status TlsConfig::Validate() const {
  if (cert.empty() != key.empty()) {
    return absl::InvalidArgumentError("--tls_cert_file and --tls_key_file go together");
  }
  if (!client_ca.empty() && cert.empty()) {
    return absl::InvalidArgumentError(
        "--tls_client_ca_file (mutual TLS) needs --tls_cert_file and --tls_key_file");
  }
  return absl::OkStatus();
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const TlsConfig& tls) {
  if (tls.cert.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      tls.client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                            : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = tls.client_ca;
  options.pem_key_cert_pairs.push_back({tls.key, tls.cert});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(const TlsConfig& tls) {
  if (tls.upstream_ca.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = tls.upstream_ca;
  options.pem_private_key = tls.key;
  options.pem_cert_chain = tls.cert;
  return grpc::SslCredentials(options);
}

}  // namespace thb
