// Prometheus metrics for gRPC, in the names and labels of go-grpc-prometheus so existing
// dashboards work: grpc_server_{started,handled}_total, grpc_server_handling_seconds and the
// grpc_client_* equivalents for calls to other services. Series are pre-created at zero for
// every method (and every code on the counters), so rates and absent-alerts work from start.
#pragma once

#include <google/protobuf/descriptor.h>
#include <grpcpp/support/client_interceptor.h>
#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace thb {

class GrpcMetrics {
 public:
  explicit GrpcMetrics(std::shared_ptr<prometheus::Registry> registry);

  void PrecreateServerSeries(const google::protobuf::ServiceDescriptor& service);
  void PrecreateClientSeries(const google::protobuf::ServiceDescriptor& service);

  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> ServerInterceptors();
  std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> ClientInterceptors();

  // full_method: "/package.Service/Method".
  void ServerStarted(const std::string& full_method, const char* type);
  void ServerHandled(const std::string& full_method, const char* type, int code, double seconds);
  void ClientStarted(const std::string& full_method, const char* type);
  void ClientHandled(const std::string& full_method, const char* type, int code, double seconds);

  prometheus::Registry& registry() { return *registry_; }

 private:
  void Precreate(const google::protobuf::ServiceDescriptor& service, bool server);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& server_started_;
  prometheus::Family<prometheus::Counter>& server_handled_;
  prometheus::Family<prometheus::Histogram>& server_seconds_;
  prometheus::Family<prometheus::Counter>& client_started_;
  prometheus::Family<prometheus::Counter>& client_handled_;
  prometheus::Family<prometheus::Histogram>& client_seconds_;
};

// Latency histogram buckets (seconds) shared by the gRPC and HTTP request histograms.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

// "OK", "INVALID_ARGUMENT", ... as gRPC spells them.
const char* GrpcCodeName(int code);

}  // namespace thb
