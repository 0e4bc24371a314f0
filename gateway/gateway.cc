#include "gateway/gateway.h"

#include <grpcpp/impl/codegen/proto_utils.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "gateway/forwarded_headers.h"
#include "gateway/openapi.h"
#include "gateway/transcoder.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/errors.h"
#include "services/common/metrics.h"

namespace thb::gateway {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return absl::StrFormat("%016x%016x", rng(), rng());
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

HttpResponse ErrorResponse(const grpc::Status& status) {
  HttpResponse res = JsonResponse(HttpStatusForCode(status.error_code()), ErrorBody(status));
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    res.set(http::field::www_authenticate, "Bearer realm=\"thb\"");
  }
  return res;
}

// Messages to and from gRPC byte buffers with gRPC's own protobuf serialization.
grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& m) {
  grpc::ByteBuffer buffer;
  bool own_buffer;
  (void)grpc::SerializationTraits<google::protobuf::Message>::Serialize(m, &buffer, &own_buffer);
  return buffer;
}

// Consumes `buffer`.
bool FromByteBuffer(grpc::ByteBuffer* buffer, google::protobuf::Message* m) {
  return grpc::SerializationTraits<google::protobuf::Message>::Deserialize(buffer, m).ok();
}

// Headers every answer carries, streamed or not: the request id; security headers (no MIME
// sniffing, a Content-Security-Policy that lets a browser run, load or frame nothing from an
// answer, no Referer; no-store when the request carried credentials, so no cache keeps one
// principal's data); and the CORS headers when the request came from an allowed origin.
void SetCommonHeaders(ResponseHeader& header, const std::string& request_id, bool authenticated,
                      const std::string& origin) {
  header.set("x-request-id", request_id);
  SetSecurityHeaders(header);
  if (authenticated) header.set(http::field::cache_control, "no-store");
  if (origin.empty()) return;
  header.set(http::field::access_control_allow_origin, origin);
  header.set(http::field::vary, "Origin");
  header.set(http::field::access_control_expose_headers,
             "x-request-id, retry-after, www-authenticate");
}

// One HTTP request's call to an upstream; deletes itself when done.
struct UpstreamCall {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  const Route* route;
  Responder respond;
};

// Cancels a call on behalf of someone who may outlive it (the HTTP session noticing the client
// left): once the call is done, Detach makes Cancel a no-op.
class CallCanceller {
 public:
  explicit CallCanceller(grpc::ClientContext* context) : context_(context) {}
  void Cancel() {
    absl::MutexLock lock(&mu_);
    if (context_ != nullptr) context_->TryCancel();
  }
  void Detach() {
    absl::MutexLock lock(&mu_);
    context_ = nullptr;
  }

 private:
  absl::Mutex mu_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_);
};

// One HTTP request's server-streaming call, as newline-delimited JSON: one JSON object per line,
// and, when the stream fails after it started, a last line {"error": google.rpc.Status}. The
// HTTP status is decided by the first event: a message (200, then streaming) or the end (an
// error status as for unary calls, or 200 with an empty body). Each message is read only after
// the previous line is on the wire, so a slow client slows the upstream instead of filling
// memory; a client that goes away cancels the call. Deletes itself when done.
class StreamCall : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamCall(const Route* route, Responder respond, StreamOpener open,
             std::function<void(int)> observe)
      : route_(route),
        respond_(std::move(respond)),
        open_(std::move(open)),
        observe_(std::move(observe)) {}

  grpc::ClientContext context;
  grpc::ByteBuffer request;

  void Start(grpc::GenericStub& stub) {
    stub.PrepareBidiStreamingCall(&context, route_->full_method, grpc::StubOptions(), this);
    StartWriteLast(&request, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the end: OnDone follows with the status
    const auto* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(
        route_->method->output_type());
    std::unique_ptr<google::protobuf::Message> message(prototype->New());
    absl::StatusOr<std::string> line = FromByteBuffer(&response_, message.get())
                                           ? ResponseToJson(*route_, *message)
                                           : absl::InternalError("upstream message does not parse");
    if (!line.ok()) {
      context.TryCancel();
      return;
    }
    OpenIfNeeded();
    AddHold();  // no OnDone before the next read is started
    writer_->Write(*line + "\n", [this](bool written) {
      if (!written) context.TryCancel();  // the client left: the read below ends at once
      StartRead(&response_);
      RemoveHold();
    });
  }

  void OnDone(const grpc::Status& status) override {
    std::unique_ptr<StreamCall> owned(this);
    canceller_->Detach();
    if (writer_ == nullptr) {
      if (!status.ok()) {
        respond_(ErrorResponse(status));
        return;
      }
      OpenIfNeeded();
    } else if (!status.ok()) {
      const std::string body = ErrorBody(status);
      writer_->Write(absl::StrCat(R"({"error":)", body, "}\n"), nullptr);
    }
    writer_->Finish();
  }

 private:
  void OpenIfNeeded() {
    if (writer_ != nullptr) return;
    ResponseHeader header;
    header.result(http::status::ok);
    header.set(http::field::content_type, "application/x-ndjson");
    header.set(http::field::cache_control, "no-store");
    writer_ = open_(std::move(header));
    // A client that leaves an idle stream ends the upstream call at once (it would otherwise
    // hold the call, and the connection under the client's cap, until the next event).
    writer_->OnClientGone([canceller = canceller_] { canceller->Cancel(); });
    observe_(200);
  }

  const Route* route_;
  Responder respond_;  // adds the request id and CORS headers
  StreamOpener open_;  // ditto, for the streamed header
  std::function<void(int)> observe_;
  grpc::ByteBuffer response_;
  std::shared_ptr<ChunkedResponse> writer_;
  std::shared_ptr<CallCanceller> canceller_ = std::make_shared<CallCanceller>(&context);
};

}  // namespace

Gateway::Gateway(std::vector<Upstream> upstreams, RouteTable routes, GatewayOptions options)
    : upstreams_(std::move(upstreams)),
      routes_(std::move(routes)),
      options_(options),
      limiter_(options.rate_limit, options.rate_burst),
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
  for (const Upstream& u : upstreams) services.push_back(u.service);
  absl::StatusOr<RouteTable> routes = RouteTable::Build(services);
  if (!routes.ok()) return routes.status();
  absl::StatusOr<std::string> openapi = BuildOpenApi(*routes, EmbeddedDescriptorSet());
  if (!openapi.ok()) return openapi.status();
  auto gateway =
      std::unique_ptr<Gateway>(new Gateway(std::move(upstreams), *std::move(routes), options));
  gateway->openapi_ = *std::move(openapi);
  return gateway;
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

std::string Gateway::AllowedOrigin(const HttpRequest& req) const {
  auto it = req.find(http::field::origin);
  if (it == req.end() || options_.cors_origins.empty()) return "";
  const std::string origin(it->value());
  for (const std::string& allowed : options_.cors_origins) {
    if (allowed == "*" || allowed == origin) return origin;
  }
  return "";
}

void Gateway::Handle(HttpRequest&& req, const std::string& peer, Responder respond,
                     StreamOpener open_stream) {
  const auto start = SteadyClock::now();
  const std::string target(req.target());
  const size_t qpos = target.find('?');
  const std::string path = target.substr(0, qpos);
  const std::string query = qpos == std::string::npos ? "" : target.substr(qpos + 1);
  const std::string method(req.method_string());

  // The headers that reach the services, checked against gRPC's metadata rules first: a bad one
  // is answered here (with a fresh request id, since the client's may be the bad header).
  absl::StatusOr<ForwardedHeaders> forwarded = ExtractForwardedHeaders(req);
  const std::string request_id =
      forwarded.ok() && !forwarded->request_id.empty() ? forwarded->request_id : NewRequestId();

  // Every answer carries the request id, the security headers (and the CORS headers for an
  // allowed origin) and is counted under its route template.
  const std::string origin = AllowedOrigin(req);
  const bool authenticated = req.find(http::field::authorization) != req.end();
  auto finish = [this, respond, request_id, method, start, origin, authenticated](
                    const std::string& route, HttpResponse res) {
    SetCommonHeaders(res.base(), request_id, authenticated, origin);
    Observe(route, method, static_cast<int>(res.result_int()),
            std::chrono::duration<double>(SteadyClock::now() - start).count());
    respond(std::move(res));
  };
  if (!forwarded.ok()) {
    finish("bad_header", ErrorResponse(ToGrpcStatus(forwarded.status())));
    return;
  }

  if (method == "GET" && path == "/healthz") {
    finish("/healthz", JsonResponse(200, R"({"status":"ok"})"));
    return;
  }
  if (method == "GET" && path == "/metrics") {
    HttpResponse res{http::status::ok, 11};
    res.set(http::field::content_type, "text/plain; version=0.0.4");
    res.body() = prometheus::TextSerializer().Serialize(registry_->Collect());
    finish("/metrics", std::move(res));
    return;
  }
  if (method == "GET" && path == "/openapi.json") {
    finish("/openapi.json", JsonResponse(200, openapi_));
    return;
  }
  if (method == "GET" && path == "/readyz") {
    HandleReady([finish](HttpResponse res) { finish("/readyz", std::move(res)); });
    return;
  }

  // CORS preflight: which methods the path accepts and which headers a browser may send.
  if (method == "OPTIONS" && req.find(http::field::access_control_request_method) != req.end()) {
    if (origin.empty()) {
      finish("preflight", ErrorResponse(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                                     "origin not allowed; see --cors_origins")));
      return;
    }
    RouteMatch probe =
        routes_.Find(std::string(req[http::field::access_control_request_method]), path);
    if (probe.result == RouteMatch::kNotFound) {
      finish("preflight", ErrorResponse(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                                     absl::StrCat("no route for ", path))));
      return;
    }
    HttpResponse res{http::status::no_content, 11};
    res.set(http::field::access_control_allow_methods,
            probe.result == RouteMatch::kFound
                ? std::string(req[http::field::access_control_request_method])
                : absl::StrJoin(probe.allowed_methods, ", "));
    res.set(http::field::access_control_allow_headers,
            "authorization, content-type, x-request-id, traceparent, grpc-timeout");
    res.set(http::field::access_control_max_age, "600");
    finish("preflight", std::move(res));
    return;
  }

  // Per-client rate limit (the bearer token identifies a client better than an address
  // shared behind a NAT).
  if (limiter_.enabled()) {
    const std::string client =
        !forwarded->authorization.empty() ? forwarded->authorization : absl::StrCat("peer:", peer);
    RateLimiter::Decision d = limiter_.Take(client, absl::Now());
    if (!d.allowed) {
      HttpResponse res =
          ErrorResponse(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                     "rate limit exceeded; retry after the time in Retry-After"));
      res.set(http::field::retry_after,
              absl::StrCat(static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(d.retry_after)))));
      finish("rate_limited", std::move(res));
      return;
    }
  }

  RouteMatch match = routes_.Find(method, path);
  if (match.result == RouteMatch::kNotFound) {
    finish("unmatched", ErrorResponse(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                                   absl::StrCat("no route for ", path))));
    return;
  }
  if (match.result == RouteMatch::kMethodNotAllowed) {
    HttpResponse res = JsonResponse(
        405, ErrorBody(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                    absl::StrCat("method ", method, " is not allowed here"))));
    res.set(http::field::allow, absl::StrJoin(match.allowed_methods, ", "));
    finish("unmatched", std::move(res));
    return;
  }
  const Route* route = match.route;
  if (route->method->client_streaming() ||
      (route->method->server_streaming() && open_stream == nullptr)) {
    finish(route->path.text(),
           ErrorResponse(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                      "client-streaming methods are not served over HTTP")));
    return;
  }
  if (!req.body().empty()) {
    const std::string ct(req[http::field::content_type]);
    if (!absl::StartsWithIgnoreCase(ct, "application/json")) {
      finish(route->path.text(),
             JsonResponse(415, ErrorBody(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                                      "request body must be application/json"))));
      return;
    }
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message = BuildRequestMessage(
      *route, match.bindings, query, req.body(), options_.ignore_unknown_fields);
  if (!message.ok()) {
    finish(route->path.text(), ErrorResponse(ToGrpcStatus(message.status())));
    return;
  }

  // Deadline: the client's grpc-timeout, else the default for unary calls; a stream (a change
  // feed) runs until the client leaves unless the client set a timeout.
  std::optional<absl::Duration> timeout = forwarded->timeout;
  if (!timeout && !route->method->server_streaming()) timeout = options_.default_deadline;
  auto prepare = [&](grpc::ClientContext& context) {
    if (timeout) context.set_deadline(absl::ToChronoTime(absl::Now() + *timeout));
    context.AddMetadata("x-request-id", request_id);
    if (!forwarded->authorization.empty())
      context.AddMetadata("authorization", forwarded->authorization);
    if (!forwarded->traceparent.empty()) context.AddMetadata("traceparent", forwarded->traceparent);
    for (const auto& [name, value] : forwarded->custom) context.AddMetadata(name, value);
  };

  if (route->method->server_streaming()) {
    auto* stream = new StreamCall(
        route, [finish, route](HttpResponse res) { finish(route->path.text(), std::move(res)); },
        [open_stream, request_id, origin, authenticated](ResponseHeader header) {
          SetCommonHeaders(header, request_id, authenticated, origin);
          return open_stream(std::move(header));
        },
        [this, route, method, start](int status) {
          Observe(route->path.text(), method, status,
                  std::chrono::duration<double>(SteadyClock::now() - start).count());
        });
    stream->request = ToByteBuffer(**message);
    prepare(stream->context);
    stream->Start(*stubs_[route->upstream]);
    return;
  }

  auto* call = new UpstreamCall();
  call->route = route;
  call->request = ToByteBuffer(**message);
  call->respond = [finish, route](HttpResponse res) { finish(route->path.text(), std::move(res)); };
  prepare(call->context);
  stubs_[route->upstream]->UnaryCall(
      &call->context, route->full_method, grpc::StubOptions(), &call->request, &call->response,
      [call](grpc::Status status) {
        std::unique_ptr<UpstreamCall> owned(call);
        if (!status.ok()) {
          owned->respond(ErrorResponse(status));
          return;
        }
        const auto* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            owned->route->method->output_type());
        std::unique_ptr<google::protobuf::Message> response(prototype->New());
        if (!FromByteBuffer(&owned->response, response.get())) {
          owned->respond(ErrorResponse(
              grpc::Status(grpc::StatusCode::INTERNAL, "upstream response does not parse")));
          return;
        }
        absl::StatusOr<std::string> json = ResponseToJson(*owned->route, *response);
        if (!json.ok()) {
          owned->respond(ErrorResponse(
              grpc::Status(grpc::StatusCode::INTERNAL, std::string(json.status().message()))));
          return;
        }
        owned->respond(JsonResponse(200, *std::move(json)));
      });
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
        [probe, round, name = u.name](grpc::Status status) {
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
            round->respond(JsonResponse(round->all_serving ? 200 : 503, body.dump()));
          }
        });
  }
}

}  // namespace thb::gateway
