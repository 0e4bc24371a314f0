// thb-gateway: HTTP/JSON for every RPC of the three services, by their google.api.http
// annotations.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "gateway/gateway.h"
#include "services/common/channels.h"
#include "services/common/flags.h"
#include "services/common/logging.h"
#include "services/common/tls.h"
#include "thb/commission/v1/commission.grpc.pb.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"
#include "thb/rapporteur/v1/rapporteur.grpc.pb.h"

ABSL_FLAG(int, http_threads, 2, "threads serving HTTP connections");
ABSL_FLAG(
    int64_t, max_body_bytes, 32 * 1024 * 1024,
    "largest accepted request body (413 above); 100,000 statistics rows are about 17 MB of JSON");
ABSL_FLAG(int, max_connections_per_client, 256,
          "open connections one client address may hold (429 for more); 0: no cap");
ABSL_FLAG(int64_t, max_uri_bytes, 8 * 1024, "longest accepted request target (414 above)");
ABSL_FLAG(int64_t, max_header_bytes, 64 * 1024,
          "largest accepted request line and headers together (431 above)");
ABSL_FLAG(std::vector<std::string>, cors_origins, {},
          "origins allowed to call from browsers (comma-separated; * for any); empty: no CORS");
ABSL_FLAG(double, rate_limit, 0,
          "requests per second per client (bearer token, else address); 0: unlimited");
ABSL_FLAG(double, rate_burst, 20, "requests a client may make at once before --rate_limit applies");
ABSL_FLAG(bool, ignore_unknown_fields, false,
          "drop JSON members and query parameters that name no field of the request (default: 400 "
          "naming the field, so a misspelt field is not silently ignored)");
ABSL_FLAG(absl::Duration, request_timeout, absl::Seconds(30),
          "deadline of an upstream call when the client sends no grpc-timeout");
ABSL_FLAG(std::string, ui_dir, "",
          "the built web application (ui/build.mjs output: index.html and assets/) to serve at /; "
          "empty: no web application");
ABSL_FLAG(std::string, oidc_issuer, "",
          "OpenID Connect issuer the web application signs in with (authorization code + PKCE), "
          "e.g. https://keycloak.example/realms/thb; empty: no sign-in");
ABSL_FLAG(std::string, oidc_client_id, "", "the web application's public OIDC client id");
ABSL_FLAG(std::string, oidc_redirect_uri, "",
          "the redirect URI registered for the client; empty: the page's origin + \"/\"");
ABSL_FLAG(std::string, oidc_scope, "openid", "scopes the web application asks the issuer for");
ABSL_FLAG(bool, ui_dev_sign_in, false,
          "let the web application take a development token from its URL (#dev-token=...), as "
          "scripts/run.sh prints; only for suites that verify the development HS256 key");

namespace {

const google::protobuf::ServiceDescriptor* ServiceOf(
    const google::protobuf::Descriptor* any_message, const char* service) {
  return any_message->file()->FindServiceByName(service);
}

std::shared_ptr<grpc::Channel> UpstreamChannel(const std::string& target, const thb::TlsConfig& tls,
                                               absl::Duration max_backoff) {
  return grpc::CreateCustomChannel(target, thb::ChannelCredentials(tls),
                                   thb::UpstreamChannelArguments(max_backoff));
}

}  // namespace

// An exception no handler caught (out of memory) ends the process with the runtime's message, and
// the orchestrator restarts it: nothing is held that a restart would lose.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) {
  thb::ParseFlags(argc, argv,
                  {"thb-gateway",
                   "THB Suite: HTTP/JSON gateway for the coordinator, commission and rapporteur.",
                   "0.0.0.0:8080", "", ""});
  auto level = thb::ParseLogLevel(absl::GetFlag(FLAGS_log_level));
  if (!level.ok()) {
    std::fprintf(stderr, "thb-gateway: %s\n", std::string(level.status().message()).c_str());
    return 1;
  }
  thb::InitLogging("gateway", *level);

  // TLS towards the services (--upstream_ca_file), with this gateway's certificate for mutual TLS.
  absl::StatusOr<thb::TlsConfig> tls = thb::TlsConfig::FromFlags();
  if (!tls.ok()) {
    std::fprintf(stderr, "thb-gateway: %s\n", std::string(tls.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<absl::Duration> backoff = thb::UpstreamMaxBackoffFromFlags();
  if (!backoff.ok()) {
    std::fprintf(stderr, "thb-gateway: %s\n", std::string(backoff.status().message()).c_str());
    return 1;
  }
  std::vector<thb::gateway::Upstream> upstreams = {
      {"coordinator",
       ServiceOf(thb::coordinator::v1::Institution::descriptor(), "CoordinatorService"),
       UpstreamChannel(absl::GetFlag(FLAGS_coordinator_target), *tls, *backoff)},
      {"commission", ServiceOf(thb::commission::v1::Member::descriptor(), "CommissionService"),
       UpstreamChannel(absl::GetFlag(FLAGS_commission_target), *tls, *backoff)},
      {"rapporteur",
       ServiceOf(thb::rapporteur::v1::StatisticsSubmission::descriptor(), "RapporteurService"),
       UpstreamChannel(absl::GetFlag(FLAGS_rapporteur_target), *tls, *backoff)},
  };
  thb::gateway::GatewayOptions options;
  options.default_deadline = absl::GetFlag(FLAGS_request_timeout);
  options.ignore_unknown_fields = absl::GetFlag(FLAGS_ignore_unknown_fields);
  options.cors_origins = absl::GetFlag(FLAGS_cors_origins);
  options.rate_limit = absl::GetFlag(FLAGS_rate_limit);
  options.rate_burst = absl::GetFlag(FLAGS_rate_burst);
  if (!absl::GetFlag(FLAGS_ui_dir).empty()) {
    thb::gateway::WebUiOptions ui;
    ui.dir = absl::GetFlag(FLAGS_ui_dir);
    ui.oidc_issuer = absl::GetFlag(FLAGS_oidc_issuer);
    ui.oidc_client_id = absl::GetFlag(FLAGS_oidc_client_id);
    ui.oidc_redirect_uri = absl::GetFlag(FLAGS_oidc_redirect_uri);
    ui.oidc_scope = absl::GetFlag(FLAGS_oidc_scope);
    ui.dev_sign_in = absl::GetFlag(FLAGS_ui_dev_sign_in);
    absl::StatusOr<std::unique_ptr<thb::gateway::WebUi>> web_ui = thb::gateway::WebUi::Load(ui);
    if (!web_ui.ok()) {
      std::fprintf(stderr, "thb-gateway: %s\n", std::string(web_ui.status().message()).c_str());
      return 1;
    }
    options.web_ui = *std::move(web_ui);
  } else if (!absl::GetFlag(FLAGS_oidc_issuer).empty() || absl::GetFlag(FLAGS_ui_dev_sign_in)) {
    std::fprintf(stderr, "thb-gateway: --oidc_issuer and --ui_dev_sign_in need --ui_dir\n");
    return 1;
  }
  auto gateway = thb::gateway::Gateway::Create(std::move(upstreams), options);
  if (!gateway.ok()) {
    std::fprintf(stderr, "thb-gateway: %s\n", std::string(gateway.status().message()).c_str());
    return 1;
  }

  const int threads = std::max(1, absl::GetFlag(FLAGS_http_threads));
  boost::asio::io_context ioc(threads);
  thb::gateway::HttpLimits limits;
  limits.body_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_body_bytes));
  limits.uri_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_uri_bytes));
  limits.header_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_header_bytes));
  limits.connections_per_client = absl::GetFlag(FLAGS_max_connections_per_client);
  if (absl::GetFlag(FLAGS_max_body_bytes) < 1 || absl::GetFlag(FLAGS_max_uri_bytes) < 64 ||
      absl::GetFlag(FLAGS_max_header_bytes) < 1024 || limits.connections_per_client < 0) {
    std::fprintf(stderr,
                 "thb-gateway: --max_body_bytes must be >= 1, --max_uri_bytes >= 64, "
                 "--max_header_bytes >= 1024 and --max_connections_per_client >= 0\n");
    return 1;
  }
  auto server = thb::gateway::HttpServer::Start(
      ioc, absl::GetFlag(FLAGS_listen),
      [gw = gateway->get()](thb::gateway::HttpRequest&& req, const std::string& peer,
                            thb::gateway::Responder respond,
                            thb::gateway::StreamOpener open_stream) {
        gw->Handle(std::move(req), peer, std::move(respond), std::move(open_stream));
      },
      limits);
  if (!server.ok()) {
    std::fprintf(stderr, "thb-gateway: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  const std::string listen = absl::GetFlag(FLAGS_listen);
  thb::Log(thb::LogLevel::kInfo, "listening",
           {{"address", absl::StrCat(listen.substr(0, listen.rfind(':')), ":", (*server)->port())},
            {"routes", (*gateway)->routes().routes().size()},
            {"coordinator_target", absl::GetFlag(FLAGS_coordinator_target)},
            {"commission_target", absl::GetFlag(FLAGS_commission_target)},
            {"rapporteur_target", absl::GetFlag(FLAGS_rapporteur_target)}});

  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    // Stop accepting, answer what was received (those connections then close), then stop: by
    // then a load balancer or Kubernetes Service has stopped sending (preStop) and nothing in
    // flight is cut short, except what outlasts --drain_timeout (a change feed, say).
    const absl::Duration drain = absl::GetFlag(FLAGS_drain_timeout);
    thb::Log(thb::LogLevel::kInfo, "signal received; draining",
             {{"signal", sig}, {"drain_timeout", absl::FormatDuration(drain)}});
    (*server)->Drain(drain, [&ioc] {
      thb::Log(thb::LogLevel::kInfo, "drained");
      ioc.stop();
    });
  });
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  thb::Log(thb::LogLevel::kInfo, "stopped");
  return 0;
}
