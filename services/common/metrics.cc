#include "services/common/metrics.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace thb {
namespace {

std::pair<std::string, std::string> SplitMethod(const std::string& full_method) {
  // "/pkg.Service/Method" -> ("pkg.Service", "Method")
  std::vector<std::string> parts = absl::StrSplit(full_method, '/', absl::SkipEmpty());
  if (parts.size() != 2) return {"unknown", full_method};
  return {parts[0], parts[1]};
}

std::map<std::string, std::string> Labels(const std::string& full_method, const char* type) {
  auto [service, method] = SplitMethod(full_method);
  return {{"grpc_type", type}, {"grpc_service", service}, {"grpc_method", method}};
}

const char* MethodType(const google::protobuf::MethodDescriptor& m) {
  if (m.client_streaming() && m.server_streaming()) return "bidi_stream";
  if (m.client_streaming()) return "client_stream";
  if (m.server_streaming()) return "server_stream";
  return "unary";
}

// Both interceptor APIs spell the four kinds the same way, in different enums.
template <typename TypeEnum>
const char* RpcTypeName(TypeEnum t) {
  switch (t) {
    case TypeEnum::UNARY:
      return "unary";
    case TypeEnum::CLIENT_STREAMING:
      return "client_stream";
    case TypeEnum::SERVER_STREAMING:
      return "server_stream";
    case TypeEnum::BIDI_STREAMING:
      return "bidi_stream";
    default:
      return "unary";
  }
}

using Clock = std::chrono::steady_clock;
using grpc::experimental::InterceptionHookPoints;

class ServerInterceptor : public grpc::experimental::Interceptor {
 public:
  ServerInterceptor(GrpcMetrics* metrics, grpc::experimental::ServerRpcInfo* info)
      : metrics_(metrics),
        method_(info->method()),
        type_(RpcTypeName(info->type())),
        start_(Clock::now()) {
    metrics_->ServerStarted(method_, type_);
  }
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
      metrics_->ServerHandled(method_, type_, status.error_code(), seconds);
    }
    methods->Proceed();
  }

 private:
  GrpcMetrics* metrics_;
  std::string method_;
  const char* type_;
  Clock::time_point start_;
};

class ServerFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ServerFactory(GrpcMetrics* m) : metrics_(m) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ServerInterceptor(metrics_, info);
  }

 private:
  GrpcMetrics* metrics_;
};

class ClientInterceptor : public grpc::experimental::Interceptor {
 public:
  ClientInterceptor(GrpcMetrics* metrics, grpc::experimental::ClientRpcInfo* info)
      : metrics_(metrics), method_(info->method()), type_(RpcTypeName(info->type())) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      start_ = Clock::now();
      metrics_->ClientStarted(method_, type_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_STATUS)) {
      grpc::Status* status = methods->GetRecvStatus();
      double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
      metrics_->ClientHandled(method_, type_, status ? status->error_code() : 2, seconds);
    }
    methods->Proceed();
  }

 private:
  GrpcMetrics* metrics_;
  std::string method_;
  const char* type_;
  Clock::time_point start_ = Clock::now();
};

class ClientFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit ClientFactory(GrpcMetrics* m) : metrics_(m) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new ClientInterceptor(metrics_, info);
  }

 private:
  GrpcMetrics* metrics_;
};

}  // namespace

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* b = new prometheus::Histogram::BucketBoundaries{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *b;
}

const char* GrpcCodeName(int code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  if (code < 0 || code > 16) return "UNKNOWN";
  return kNames[code];
}

GrpcMetrics::GrpcMetrics(std::shared_ptr<prometheus::Registry> registry)
    : registry_(std::move(registry)),
      server_started_(prometheus::BuildCounter()
                          .Name("grpc_server_started_total")
                          .Help("Total number of RPCs started on the server.")
                          .Register(*registry_)),
      server_handled_(prometheus::BuildCounter()
                          .Name("grpc_server_handled_total")
                          .Help("Total number of RPCs completed on the server, regardless of "
                                "success or failure.")
                          .Register(*registry_)),
      server_seconds_(prometheus::BuildHistogram()
                          .Name("grpc_server_handling_seconds")
                          .Help("Histogram of response latency (seconds) of gRPC that had been "
                                "application-level handled by the server.")
                          .Register(*registry_)),
      client_started_(prometheus::BuildCounter()
                          .Name("grpc_client_started_total")
                          .Help("Total number of RPCs started on the client.")
                          .Register(*registry_)),
      client_handled_(prometheus::BuildCounter()
                          .Name("grpc_client_handled_total")
                          .Help("Total number of RPCs completed by the client, regardless of "
                                "success or failure.")
                          .Register(*registry_)),
      client_seconds_(prometheus::BuildHistogram()
                          .Name("grpc_client_handling_seconds")
                          .Help("Histogram of response latency (seconds) of the gRPC until it "
                                "is finished by the application.")
                          .Register(*registry_)) {}

void GrpcMetrics::Precreate(const google::protobuf::ServiceDescriptor& service, bool server) {
  for (int i = 0; i < service.method_count(); ++i) {
    const auto& m = *service.method(i);
    std::string full = absl::StrCat("/", service.full_name(), "/", m.name());
    auto labels = Labels(full, MethodType(m));
    (server ? server_started_ : client_started_).Add(labels);
    for (int code = 0; code <= 16; ++code) {
      auto with_code = labels;
      with_code["grpc_code"] = GrpcCodeName(code);
      (server ? server_handled_ : client_handled_).Add(with_code);
    }
    auto ok_labels = labels;
    ok_labels["grpc_code"] = "OK";
    (server ? server_seconds_ : client_seconds_).Add(ok_labels, LatencyBuckets());
  }
}

void GrpcMetrics::PrecreateServerSeries(const google::protobuf::ServiceDescriptor& s) {
  Precreate(s, true);
}
void GrpcMetrics::PrecreateClientSeries(const google::protobuf::ServiceDescriptor& s) {
  Precreate(s, false);
}

void GrpcMetrics::ServerStarted(const std::string& full_method, const char* type) {
  server_started_.Add(Labels(full_method, type)).Increment();
}

void GrpcMetrics::ServerHandled(const std::string& full_method, const char* type, int code,
                                double seconds) {
  auto labels = Labels(full_method, type);
  labels["grpc_code"] = GrpcCodeName(code);
  server_handled_.Add(labels).Increment();
  server_seconds_.Add(labels, LatencyBuckets()).Observe(seconds);
}

void GrpcMetrics::ClientStarted(const std::string& full_method, const char* type) {
  client_started_.Add(Labels(full_method, type)).Increment();
}

void GrpcMetrics::ClientHandled(const std::string& full_method, const char* type, int code,
                                double seconds) {
  auto labels = Labels(full_method, type);
  labels["grpc_code"] = GrpcCodeName(code);
  client_handled_.Add(labels).Increment();
  client_seconds_.Add(labels, LatencyBuckets()).Observe(seconds);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
GrpcMetrics::ServerInterceptors() {
  return std::make_unique<ServerFactory>(this);
}

std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>
GrpcMetrics::ClientInterceptors() {
  return std::make_unique<ClientFactory>(this);
}

}  // namespace thb
