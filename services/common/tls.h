// Transport security between the pillars: optional TLS on every gRPC listener, mutual TLS when a
// client CA is configured (only callers holding a certificate from that CA get through the
// handshake), and TLS on the channels a service or the gateway opens to the others. Plaintext
// stays the default for one machine; a listener with a certificate accepts TLS only.
#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace thb {

// PEM contents (not file names).
struct TlsConfig {
  std::string cert;         // this process's certificate chain: served, and shown upstream for mTLS
  std::string key;          // its private key
  std::string client_ca;    // listeners require client certificates signed by this CA (mTLS)
  std::string upstream_ca;  // upstream channels use TLS and trust servers signed by this CA

  // From --tls_cert_file, --tls_key_file, --tls_client_ca_file, --upstream_ca_file;
  // INVALID_ARGUMENT naming the flag for an unreadable file or an incomplete combination.
  static absl::StatusOr<TlsConfig> FromFlags();
  // The same checks for a config built in code.
  absl::Status Validate() const;
};

// Insecure without a certificate; TLS with one; TLS requiring client certificates with a client CA.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const TlsConfig& tls);
// Insecure without an upstream CA; TLS verifying the server with it, presenting this process's
// certificate when one is configured.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(const TlsConfig& tls);

}  // namespace thb
