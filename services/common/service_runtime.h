// Everything a pillar's binary needs besides its own logic, written once: configuration from
// flags, JSON logs, the database with migrations applied, token verification, the worker pool,
// the gRPC server (callback API, health, reflection, keepalive, max connection age, metrics
// interceptor), the Prometheus admin endpoint, upstream channels, and graceful shutdown.
#pragma once

#include <google/protobuf/descriptor.h>
#include <grpcpp/grpcpp.h>
#include <prometheus/exposer.h>

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/auth.h"
#include "services/common/change_feed.h"
#include "services/common/channels.h"
#include "services/common/metrics.h"
#include "services/common/reflection_v1.h"
#include "services/common/rpc_dispatcher.h"
#include "services/common/storage.h"
#include "services/common/tls.h"

namespace thb {

struct RuntimeConfig {
  std::string service;  // "coordinator", "commission", "rapporteur"
  std::string listen = "127.0.0.1:0";
  std::string admin_listen;  // empty: no admin endpoint
  std::string db;
  std::string log_level = "info";
  TokenVerifierOptions token;  // keys empty + dev_insecure: no verification
  TlsConfig tls;               // empty: plaintext listener and upstream channels
  std::string service_token;   // presented upstream; minted from the HS256 key when empty
  bool dev_insecure = false;
  absl::Duration max_connection_age = absl::Minutes(5);
  absl::Duration upstream_timeout = absl::Seconds(5);
  absl::Duration upstream_max_backoff = kUpstreamMaxBackoff;
  int worker_threads = 8;
  int db_pool_size = 8;  // PostgreSQL connections per process

  // Reads the common flags (after ParseFlags). Fails with a clear message on bad files.
  static absl::StatusOr<RuntimeConfig> FromFlags(std::string service);
};

class ServiceRuntime {
 public:
  // Opens the database (common migrations applied), prepares verification and metrics.
  static absl::StatusOr<std::unique_ptr<ServiceRuntime>> Create(RuntimeConfig config);
  ~ServiceRuntime();

  // The database; every committed write transaction is signalled on commits().
  Database& db() { return *db_; }
  CommitSignal& commits() { return commits_; }
  GrpcMetrics& metrics() { return *metrics_; }
  const Authenticator& authenticator() const { return authenticator_; }
  boost::asio::thread_pool& workers() { return *workers_; }
  const RuntimeConfig& config() const { return config_; }

  // A channel to another service: round_robin over the resolved addresses, with the client
  // metrics interceptor; series pre-created for `service`.
  std::shared_ptr<grpc::Channel> UpstreamChannel(
      const std::string& target, const google::protobuf::ServiceDescriptor& service);
  // Adds domain metrics (read at scrape time) to the admin endpoint.
  void RegisterCollectable(const std::weak_ptr<prometheus::Collectable>& collectable);

  // Sets the deadline and this service's bearer token on an outgoing call.
  void PrepareUpstreamCall(grpc::ClientContext& ctx);

  // Starts serving `service` (whose descriptor is `descriptor`); logs the "listening" line.
  absl::Status Start(grpc::Service* service, const google::protobuf::ServiceDescriptor& descriptor);

  int port() const { return port_; }
  std::string address() const;
  std::string admin_address() const;

  // Health NOT_SERVING, then drain in-flight RPCs for up to `drain`, then stop.
  void Shutdown(absl::Duration drain);

 private:
  explicit ServiceRuntime(RuntimeConfig config);

  RuntimeConfig config_;
  CommitSignal commits_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<TokenVerifier> verifier_;
  Authenticator authenticator_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<GrpcMetrics> metrics_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::unique_ptr<boost::asio::thread_pool> workers_;
  std::unique_ptr<ReflectionV1> reflection_v1_;  // outlives server_
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string host_;

  absl::Mutex token_mu_;
  std::string minted_token_ ABSL_GUARDED_BY(token_mu_);
  absl::Time minted_expiry_ ABSL_GUARDED_BY(token_mu_) = absl::InfinitePast();
};

// What distinguishes one pillar's main() from another's, each by name.
struct ServiceMainOptions {
  std::string program;               // the binary, e.g. "thb-coordinator"
  std::string description;           // one line for --help
  std::string service;               // short name: "coordinator", "commission", "rapporteur"
  std::string default_listen;        // default of --listen
  std::string default_admin_listen;  // default of --admin_listen
  std::string default_db;            // default of --db
};

// main() of a pillar: parse flags, build the runtime, let `make_service` create the handler
// (it may migrate the database and open upstream channels; the caller keeps it alive),
// serve until SIGTERM, drain. Returns the process exit code.
int RunServiceMain(
    int argc, char** argv, const ServiceMainOptions& options,
    const std::function<absl::StatusOr<grpc::Service*>(
        ServiceRuntime&, const google::protobuf::ServiceDescriptor**)>& make_service);

}  // namespace thb
