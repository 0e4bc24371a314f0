// The HTTP/JSON front of the suite: routes each request by the google.api.http annotations to
// the owning service over a gRPC callback call, and answers with proto3 JSON or a
// google.rpc.Status error. Also serves /healthz, /readyz and /metrics, and the web application.
#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gateway/forwarded_headers.h"
#include "gateway/http_server.h"
#include "gateway/rate_limiter.h"
#include "gateway/route_table.h"
#include "gateway/web_ui.h"

namespace thb::gateway {

struct Upstream {
  std::string name;  // "coordinator"
  const google::protobuf::ServiceDescriptor* service = nullptr;
  std::shared_ptr<grpc::Channel> channel;
};

struct GatewayOptions {
  absl::Duration default_deadline = absl::Seconds(30);
  // Drop JSON members and query parameters that name no field instead of answering 400.
  bool ignore_unknown_fields = false;
  // Origins allowed to call from a browser (CORS); "*" allows any; empty turns CORS off.
  std::vector<std::string> cors_origins;
  // Requests per second per client (bearer token, else peer address); 0 = unlimited.
  double rate_limit = 0;
  double rate_burst = 20;
  // The web application at "/" (index.html, /assets/..., /ui-config.json); null: none.
  std::shared_ptr<const WebUi> web_ui;
};

class Gateway {
 public:
  static absl::StatusOr<std::unique_ptr<Gateway>> Create(std::vector<Upstream> upstreams,
                                                         GatewayOptions options);

  // The HttpHandler: answers through `respond`, possibly from a gRPC thread.
  // `open_stream` serves server-streaming routes as newline-delimited JSON.
  void Handle(HttpRequest&& request, const std::string& peer, Responder respond,
              StreamOpener open_stream = nullptr);

  const RouteTable& routes() const { return routes_; }
  const std::string& openapi() const { return openapi_; }

 private:
  // How one request is answered (gateway.cc).
  class Reply;

  Gateway(std::vector<Upstream> upstreams, RouteTable routes, GatewayOptions options);

  // The steps of a request's path through Handle, in order.
  // /healthz, /readyz, /metrics, /openapi.json; false for any other request.
  bool ServeAdmin(const std::string& method, const std::string& path, const Reply& reply);
  // 429 with Retry-After for a client over its rate, else nullopt.
  std::optional<HttpResponse> RateLimit(const ForwardedHeaders& forwarded, const std::string& peer);
  void CallUpstream(const Route& route, const google::protobuf::Message& message,
                    const ForwardedHeaders& forwarded, const Reply& reply,
                    StreamOpener open_stream);

  void HandleReady(Responder respond);
  HttpResponse Metrics() const;
  void Observe(const std::string& route, const std::string& method, int status, double seconds);

  std::vector<Upstream> upstreams_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  RouteTable routes_;
  GatewayOptions options_;
  RateLimiter limiter_;
  std::string openapi_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
};

}  // namespace thb::gateway
