#include "gateway/gateway.h"

#include <prometheus/text_serializer.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "gateway/cors.h"
#include "gateway/http_errors.h"
#include "gateway/openapi.h"
#include "gateway/transcoder.h"
#include "gateway/upstream_call.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/metrics.h"
#include "services/common/status_macros.h"

namespace thb::gateway {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return absl::StrFormat("%016x%016x", rng(), rng());
}

// A request target's path and query (without the "?").
struct Target {
  std::string path;
  std::string query;
};
Target SplitTarget(const std::string& target) {
  const size_t qpos = target.find('?');
  if (qpos == std::string::npos) return {target, ""};
  return {target.substr(0, qpos), target.substr(qpos + 1)};
}

// The answer for a request no route takes: 404 for the path, 405 with Allow for the method.
HttpResponse NoRoute(const RouteMatch& match, const std::string& method, const std::string& path) {
  if (match.result == RouteMatch::kNotFound) return NoRouteFor(path);
  HttpResponse res =
      ErrorResponse(http::status::method_not_allowed,
                    grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                 absl::StrCat("method ", method, " is not allowed here")));
  res.set(http::field::allow, absl::StrJoin(match.allowed_methods, ", "));
  return res;
}

// What a matched route cannot take over HTTP: a client-streaming method (a server-streaming one
// too when the server cannot stream), and a body that is not JSON.
std::optional<HttpResponse> RefuseUnservable(const Route& route, const HttpRequest& req,
                                             bool can_stream) {
  if (route.method->client_streaming() || (route.method->server_streaming() && !can_stream)) {
    return ErrorResponse(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                      "client-streaming methods are not served over HTTP"));
  }
  if (!req.body().empty() && !absl::StartsWithIgnoreCase(
                                 std::string(req[http::field::content_type]), "application/json")) {
    return ErrorResponse(
        http::status::unsupported_media_type,
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "request body must be application/json"));
  }
  return std::nullopt;
}

}  // namespace

// Every answer to one request carries the request id, the security headers (no-store when the
// request carried credentials, so no cache keeps one principal's data) and the CORS headers for
// an allowed origin, and is counted under its route template. Copies share one request's state.
class Gateway::Reply {
 public:
  Reply(Gateway* gateway, const HttpRequest& req, std::string method,
        const std::string& client_request_id, Responder respond)
      : state_(std::make_shared<const State>(
            State{gateway, std::move(respond), std::move(method),
                  client_request_id.empty() ? NewRequestId() : client_request_id,
                  AllowedOrigin(gateway->options_.cors_origins, req),
                  req.find(http::field::authorization) != req.end(), SteadyClock::now()})) {}

  const std::string& request_id() const { return state_->request_id; }
  const std::string& origin() const { return state_->origin; }

  // Answers now, counted under `route`.
  void Send(const std::string& route, HttpResponse res) const {
    SetCommonHeaders(res.base());
    Count(route, static_cast<int>(res.result_int()));
    state_->respond(std::move(res));
  }
  // Answers later, counted under `route`.
  Responder Later(std::string route) const {
    return [reply = *this, route = std::move(route)](HttpResponse res) {
      reply.Send(route, std::move(res));
    };
  }
  // Streams the answer through `open`, counted as a 200 under `route` once it opens.
  StreamOpener Streamed(std::string route, StreamOpener open) const {
    return
        [reply = *this, route = std::move(route), open = std::move(open)](ResponseHeader header) {
          reply.SetCommonHeaders(header);
          std::shared_ptr<ChunkedResponse> stream = open(std::move(header));
          reply.Count(route, 200);
          return stream;
        };
  }

 private:
  struct State {
    Gateway* gateway;
    Responder respond;
    std::string method;
    std::string request_id;
    std::string origin;  // empty: no CORS headers
    bool authenticated;
    SteadyClock::time_point start;
  };

  void SetCommonHeaders(ResponseHeader& header) const {
    header.set("x-request-id", state_->request_id);
    SetSecurityHeaders(header);
    if (state_->authenticated) header.set(http::field::cache_control, "no-store");
    SetCorsHeaders(header, state_->origin);
  }
  void Count(const std::string& route, int status) const {
    state_->gateway->Observe(
        route, state_->method, status,
        std::chrono::duration<double>(SteadyClock::now() - state_->start).count());
  }

  std::shared_ptr<const State> state_;
};

Gateway::Gateway(std::vector<Upstream> upstreams, RouteTable routes, GatewayOptions options)
    : upstreams_(std::move(upstreams)),
      routes_(std::move(routes)),
      options_(std::move(options)),
      limiter_(options_.rate_limit, options_.rate_burst),
      registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("http_requests_total")
                    .Help("HTTP requests by route template, method and status code.")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("http_request_duration_seconds")
                     .Help("HTTP request latency by route template and method.")
                     .Register(*registry_)) {
  for (const Upstream& u : upstreams_)
    stubs_.push_back(std::make_unique<grpc::GenericStub>(u.channel));
}

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Create(std::vector<Upstream> upstreams,
                                                         GatewayOptions options) {
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  services.reserve(upstreams.size());
  for (const Upstream& u : upstreams) services.push_back(u.service);
  THB_ASSIGN_OR_RETURN(RouteTable routes, RouteTable::Build(services));
  THB_ASSIGN_OR_RETURN(std::string openapi, BuildOpenApi(routes, EmbeddedDescriptorSet()));
  auto gateway = std::unique_ptr<Gateway>(
      new Gateway(std::move(upstreams), std::move(routes), std::move(options)));
  gateway->openapi_ = std::move(openapi);
  return gateway;
}

void Gateway::Handle(HttpRequest&& req, const std::string& peer, Responder respond,
                     StreamOpener open_stream) {
  const std::string method(req.method_string());
  const Target target = SplitTarget(std::string(req.target()));
  // The headers that reach the services, checked against gRPC's metadata rules first: a bad one
  // is answered here (with a fresh request id, since the client's may be the bad header).
  absl::StatusOr<ForwardedHeaders> forwarded = ExtractForwardedHeaders(req);
  const Reply reply(this, req, method, forwarded.ok() ? forwarded->request_id : "",
                    std::move(respond));
  if (!forwarded.ok()) return reply.Send("bad_header", ErrorResponse(forwarded.status()));
  if (ServeAdmin(method, target.path, reply)) return;
  if (options_.web_ui != nullptr) {
    if (std::optional<HttpResponse> page = options_.web_ui->Serve(req, target.path)) {
      return reply.Send("ui", *std::move(page));
    }
  }
  if (IsPreflight(req)) {
    return reply.Send("preflight", AnswerPreflight(routes_, req, target.path, reply.origin()));
  }
  if (std::optional<HttpResponse> limited = RateLimit(*forwarded, peer)) {
    return reply.Send("rate_limited", *std::move(limited));
  }
  const RouteMatch match = routes_.Find(method, target.path);
  if (match.result != RouteMatch::kFound) {
    return reply.Send("unmatched", NoRoute(match, method, target.path));
  }
  const Route& route = *match.route;
  if (std::optional<HttpResponse> refused = RefuseUnservable(route, req, open_stream != nullptr)) {
    return reply.Send(route.path.text(), *std::move(refused));
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message = BuildRequestMessage(
      route, match.bindings, target.query, req.body(), options_.ignore_unknown_fields);
  if (!message.ok()) return reply.Send(route.path.text(), ErrorResponse(message.status()));
  CallUpstream(route, **message, *forwarded, reply, std::move(open_stream));
}

bool Gateway::ServeAdmin(const std::string& method, const std::string& path, const Reply& reply) {
  if (method != "GET") return false;
  if (path == "/healthz") {
    reply.Send(path, JsonResponse(http::status::ok, R"({"status":"ok"})"));
  } else if (path == "/metrics") {
    reply.Send(path, Metrics());
  } else if (path == "/openapi.json") {
    reply.Send(path, JsonResponse(http::status::ok, openapi_));
  } else if (path == "/readyz") {
    HandleReady(reply.Later(path));
  } else {
    return false;
  }
  return true;
}

// Per client: the bearer token identifies a client better than an address shared behind a NAT.
std::optional<HttpResponse> Gateway::RateLimit(const ForwardedHeaders& forwarded,
                                               const std::string& peer) {
  if (!limiter_.enabled()) return std::nullopt;
  const std::string client =
      !forwarded.authorization.empty() ? forwarded.authorization : absl::StrCat("peer:", peer);
  RateLimiter::Decision d = limiter_.Take(client, absl::Now());
  if (d.allowed) return std::nullopt;
  HttpResponse res =
      ErrorResponse(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "rate limit exceeded; retry after the time in Retry-After"));
  res.set(http::field::retry_after,
          absl::StrCat(static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(d.retry_after)))));
  return res;
}

void Gateway::CallUpstream(const Route& route, const google::protobuf::Message& message,
                           const ForwardedHeaders& forwarded, const Reply& reply,
                           StreamOpener open_stream) {
  // Deadline: the client's grpc-timeout, else the default for unary calls; a stream (a change
  // feed) runs until the client leaves unless the client set a timeout.
  const bool streaming = route.method->server_streaming();
  std::optional<absl::Duration> timeout = forwarded.timeout;
  if (!timeout && !streaming) timeout = options_.default_deadline;
  const UpstreamRequest request{route, message, reply.request_id(), forwarded, timeout};
  grpc::GenericStub& stub = *stubs_[route.upstream];
  const std::string& label = route.path.text();
  if (streaming) {
    StartStreamingCall(stub, request, reply.Later(label),
                       reply.Streamed(label, std::move(open_stream)));
  } else {
    StartUnaryCall(stub, request, reply.Later(label));
  }
}

HttpResponse Gateway::Metrics() const {
  HttpResponse res{http::status::ok, 11};
  res.set(http::field::content_type, "text/plain; version=0.0.4");
  res.body() = prometheus::TextSerializer().Serialize(registry_->Collect());
  return res;
}

void Gateway::Observe(const std::string& route, const std::string& method, int status,
                      double seconds) {
  // Label values come from a fixed set only: a client inventing methods must not create series
  // (each new label value is a counter and a histogram, kept forever and sent on every scrape).
  static const auto* const kKnownMethods = new absl::flat_hash_set<std::string>(
      {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"});
  static const auto* const kOther = new std::string("other");
  const std::string& label = kKnownMethods->contains(method) ? method : *kOther;
  requests_.Add({{"route", route}, {"method", label}, {"code", absl::StrCat(status)}}).Increment();
  durations_.Add({{"route", route}, {"method", label}}, LatencyBuckets()).Observe(seconds);
}

void Gateway::HandleReady(Responder respond) {
  // Ready when every upstream's health service answers SERVING within a short deadline.
  struct Probe {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    std::unique_ptr<grpc::health::v1::Health::Stub> stub;
  };
  struct Round {
    absl::Mutex mu;
    int remaining;
    bool all_serving = true;
    nlohmann::json upstreams = nlohmann::json::object();
    Responder respond;
  };
  auto round = std::make_shared<Round>();
  round->remaining = static_cast<int>(upstreams_.size());
  round->respond = std::move(respond);
  for (const Upstream& u : upstreams_) {
    auto probe = std::make_shared<Probe>();
    probe->stub = grpc::health::v1::Health::NewStub(u.channel);
    probe->context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    probe->stub->async()->Check(
        &probe->context, &probe->request, &probe->response,
        [probe, round, name = u.name](const grpc::Status& status) {
          absl::MutexLock lock(&round->mu);
          const bool serving = status.ok() && probe->response.status() ==
                                                  grpc::health::v1::HealthCheckResponse::SERVING;
          round->upstreams[name] = status.ok()
                                       ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                                             probe->response.status())
                                       : absl::StrCat("UNREACHABLE: ", status.error_message());
          round->all_serving = round->all_serving && serving;
          if (--round->remaining == 0) {
            nlohmann::json body = {{"ready", round->all_serving}, {"upstreams", round->upstreams}};
            round->respond(JsonResponse(
                round->all_serving ? http::status::ok : http::status::service_unavailable,
                body.dump()));
          }
        });
  }
}

}  // namespace thb::gateway
