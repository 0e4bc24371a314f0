#include "services/common/service_runtime.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/support/channel_arguments.h>
#include <signal.h>

#include <algorithm>
#include <boost/asio/thread_pool.hpp>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/flags.h"
#include "services/common/logging.h"
#include "services/common/signals.h"
#include "services/common/status_macros.h"

namespace thb {

absl::StatusOr<RuntimeConfig> RuntimeConfig::FromFlags(std::string service) {
  RuntimeConfig c;
  c.service = std::move(service);
  c.listen = absl::GetFlag(FLAGS_listen);
  c.admin_listen = absl::GetFlag(FLAGS_admin_listen);
  c.db = absl::GetFlag(FLAGS_db);
  c.log_level = absl::GetFlag(FLAGS_log_level);
  c.dev_insecure = absl::GetFlag(FLAGS_dev_insecure);
  c.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  c.upstream_timeout = absl::GetFlag(FLAGS_upstream_timeout);
  THB_ASSIGN_OR_RETURN(c.upstream_max_backoff, UpstreamMaxBackoffFromFlags());
  c.worker_threads = absl::GetFlag(FLAGS_worker_threads);
  c.db_pool_size = absl::GetFlag(FLAGS_db_pool_size);
  c.token.issuer = absl::GetFlag(FLAGS_jwt_issuer);
  c.token.audience = absl::GetFlag(FLAGS_jwt_audience);
  if (std::string f = absl::GetFlag(FLAGS_jwt_hs256_key_file); !f.empty()) {
    std::string key;
    THB_RETURN_IF_ERROR(ReadFlagFile("jwt_hs256_key_file", f, &key));
    c.token.hs256_key = std::string(absl::StripTrailingAsciiWhitespace(key));
    if (c.token.hs256_key.size() < 32) {
      return absl::InvalidArgumentError("--jwt_hs256_key_file: key must be at least 32 bytes");
    }
  }
  THB_RETURN_IF_ERROR(ReadFlagFile("jwt_public_key_file", absl::GetFlag(FLAGS_jwt_public_key_file),
                                   &c.token.rs256_public_key));
  THB_RETURN_IF_ERROR(
      ReadFlagFile("jwt_jwks_file", absl::GetFlag(FLAGS_jwt_jwks_file), &c.token.jwks));
  std::string token;
  THB_RETURN_IF_ERROR(
      ReadFlagFile("service_token_file", absl::GetFlag(FLAGS_service_token_file), &token));
  c.service_token = std::string(absl::StripAsciiWhitespace(token));
  THB_ASSIGN_OR_RETURN(c.tls, TlsConfig::FromFlags());
  if (c.worker_threads < 1) return absl::InvalidArgumentError("--worker_threads must be >= 1");
  if (c.db_pool_size < 1 || c.db_pool_size > 1000) {
    return absl::InvalidArgumentError("--db_pool_size must be between 1 and 1000");
  }
  return c;
}

ServiceRuntime::ServiceRuntime(RuntimeConfig config) : config_(std::move(config)) {}

ServiceRuntime::~ServiceRuntime() {
  if (server_) server_->Shutdown(std::chrono::system_clock::now());
  if (workers_) workers_->join();
}

absl::StatusOr<std::unique_ptr<ServiceRuntime>> ServiceRuntime::Create(RuntimeConfig config) {
  THB_ASSIGN_OR_RETURN(LogLevel level, ParseLogLevel(config.log_level));
  InitLogging(config.service, level);

  THB_RETURN_IF_ERROR(config.tls.Validate());
  auto rt = std::unique_ptr<ServiceRuntime>(new ServiceRuntime(std::move(config)));
  RuntimeConfig& c = rt->config_;
  if (!c.token.hs256_key.empty() || !c.token.rs256_public_key.empty() || !c.token.jwks.empty()) {
    THB_ASSIGN_OR_RETURN(rt->verifier_, TokenVerifier::Create(c.token));
  } else if (!c.dev_insecure) {
    return absl::InvalidArgumentError(
        "no token key configured: pass --jwt_jwks_file, --jwt_public_key_file or "
        "--jwt_hs256_key_file "
        "(or --dev_insecure for a local experiment)");
  }
  if (c.dev_insecure) {
    Log(LogLevel::kWarning,
        "INSECURE DEVELOPMENT MODE: requests without a token act with EVERY role. "
        "Never run like this with real data.",
        {{"flag", "--dev_insecure"}});
  }
  rt->authenticator_ = Authenticator{rt->verifier_.get(), c.dev_insecure};

  THB_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, OpenDatabase(c.db, c.service, c.db_pool_size));
  rt->db_ = std::make_unique<NotifyingDatabase>(std::move(db), &rt->commits_);
  THB_RETURN_IF_ERROR(rt->db_->ApplyMigrations("common", CommonMigrations()));

  rt->registry_ = std::make_shared<prometheus::Registry>();
  rt->metrics_ = std::make_unique<GrpcMetrics>(rt->registry_);
  if (!c.admin_listen.empty()) {
    try {
      rt->exposer_ = std::make_unique<prometheus::Exposer>(c.admin_listen);
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen on admin address ", c.admin_listen, ": ", e.what()));
    }
    rt->exposer_->RegisterCollectable(rt->registry_);
  }
  rt->workers_ = std::make_unique<boost::asio::thread_pool>(c.worker_threads);
  return rt;
}

std::shared_ptr<grpc::Channel> ServiceRuntime::UpstreamChannel(
    const std::string& target, const google::protobuf::ServiceDescriptor& service) {
  metrics_->PrecreateClientSeries(service);
  grpc::ChannelArguments args = UpstreamChannelArguments(config_.upstream_max_backoff);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  factories.push_back(metrics_->ClientInterceptors());
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      target, ChannelCredentials(config_.tls), args, std::move(factories));
}

void ServiceRuntime::RegisterCollectable(
    const std::weak_ptr<prometheus::Collectable>& collectable) {
  if (exposer_) exposer_->RegisterCollectable(collectable);
}

void ServiceRuntime::PrepareUpstreamCall(grpc::ClientContext& ctx) {
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + config_.upstream_timeout));
  std::string token = config_.service_token;
  if (token.empty() && !config_.token.hs256_key.empty()) {
    absl::MutexLock lock(&token_mu_);
    const absl::Time now = absl::Now();
    if (minted_expiry_ - now < absl::Minutes(5)) {
      nlohmann::json claims = {{"sub", absl::StrCat("service:", config_.service)},
                               {"roles", {absl::StrCat("service_", config_.service)}},
                               {"iat", absl::ToUnixSeconds(now)},
                               {"exp", absl::ToUnixSeconds(now + absl::Hours(1))}};
      if (!config_.token.issuer.empty()) claims["iss"] = config_.token.issuer;
      if (!config_.token.audience.empty()) claims["aud"] = config_.token.audience;
      absl::StatusOr<std::string> minted = MintHs256Token(config_.token.hs256_key, claims);
      if (minted.ok()) {
        minted_token_ = *minted;
        minted_expiry_ = now + absl::Hours(1);
      }
    }
    token = minted_token_;
  }
  if (!token.empty()) ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

absl::Status ServiceRuntime::Start(grpc::Service* service,
                                   const google::protobuf::ServiceDescriptor& descriptor) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  metrics_->PrecreateServerSeries(descriptor);

  grpc::ServerBuilder builder;
  builder.AddListeningPort(config_.listen, ServerCredentials(config_.tls), &port_);
  builder.RegisterService(service);
  // Reflection v1 beside gRPC's built-in v1alpha, listing the same services.
  reflection_v1_ = std::make_unique<ReflectionV1>(std::vector<std::string>{
      descriptor.full_name(), "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection"});
  builder.RegisterService(reflection_v1_.get());
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(config_.max_connection_age)));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30000);
  builder.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(metrics_->ServerInterceptors());
  builder.experimental().SetInterceptorCreators(std::move(factories));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config_.listen));
  }
  host_ = config_.listen.substr(0, config_.listen.rfind(':'));
  auto* health = server_->GetHealthCheckService();
  health->SetServingStatus("", true);
  health->SetServingStatus(descriptor.full_name(), true);
  nlohmann::json fields = {{"address", address()},
                           {"grpc_service", descriptor.full_name()},
                           {"db", RedactDatabaseUrl(config_.db)},
                           {"transport", config_.tls.cert.empty()        ? "plaintext"
                                         : config_.tls.client_ca.empty() ? "tls"
                                                                         : "mutual tls"}};
  if (exposer_) fields["admin_address"] = admin_address();
  Log(LogLevel::kInfo, "listening", fields);
  return absl::OkStatus();
}

std::string ServiceRuntime::address() const { return absl::StrCat(host_, ":", port_); }

std::string ServiceRuntime::admin_address() const {
  if (!exposer_) return "";
  std::vector<int> ports = exposer_->GetListeningPorts();
  std::string host = config_.admin_listen.substr(0, config_.admin_listen.rfind(':'));
  return absl::StrCat(host, ":", ports.empty() ? 0 : ports[0]);
}

void ServiceRuntime::Shutdown(absl::Duration drain) {
  if (!server_) return;
  server_->GetHealthCheckService()->Shutdown();  // every service name -> NOT_SERVING
  commits_.Close();  // change-feed streams end now (UNAVAILABLE) instead of at the drain deadline
  Log(LogLevel::kInfo, "draining", {{"deadline_seconds", absl::ToDoubleSeconds(drain)}});
  server_->Shutdown(absl::ToChronoTime(absl::Now() + drain));
  server_->Wait();
  server_.reset();
  workers_->join();
  Log(LogLevel::kInfo, "stopped");
}

int RunServiceMain(
    int argc, char** argv, const ServiceMainOptions& options,
    const std::function<absl::StatusOr<grpc::Service*>(
        ServiceRuntime&, const google::protobuf::ServiceDescriptor**)>& make_service) {
  BlockTerminationSignals();
  ParseFlags(argc, argv,
             FlagDefaults{options.program, options.description, options.default_listen,
                          options.default_admin_listen, options.default_db});
  auto fail = [&](const absl::Status& s) {
    std::fprintf(stderr, "%s: %s\n", options.program.c_str(), std::string(s.message()).c_str());
    return 1;
  };
  absl::StatusOr<RuntimeConfig> config = RuntimeConfig::FromFlags(options.service);
  if (!config.ok()) return fail(config.status());
  absl::StatusOr<std::unique_ptr<ServiceRuntime>> runtime = ServiceRuntime::Create(*config);
  if (!runtime.ok()) return fail(runtime.status());
  const google::protobuf::ServiceDescriptor* descriptor = nullptr;
  absl::StatusOr<grpc::Service*> service = make_service(**runtime, &descriptor);
  if (!service.ok()) return fail(service.status());
  if (absl::Status s = (*runtime)->Start(*service, *descriptor); !s.ok()) return fail(s);
  int sig = WaitForTerminationSignal();
  Log(LogLevel::kInfo, "signal received", {{"signal", sig}});
  (*runtime)->Shutdown(absl::GetFlag(FLAGS_drain_timeout));
  return 0;
}

}  // namespace thb
