// thb-coordinator: the National Anti-Trafficking Co-ordinator service.
#include "services/common/service_runtime.h"
#include "services/common/status_macros.h"
#include "services/coordinator/coordinator_service.h"

int main(int argc, char** argv) {
  std::unique_ptr<thb::coordinator::CoordinatorServer> server;
  thb::ServiceMainOptions pillar;
  pillar.program = "thb-coordinator";
  pillar.description = "THB Suite: the National Anti-Trafficking Co-ordinator (gRPC).";
  pillar.service = "coordinator";
  pillar.default_listen = "0.0.0.0:50051";
  pillar.default_admin_listen = "0.0.0.0:9451";
  pillar.default_db = "thb-coordinator.db";
  return thb::RunServiceMain(
      argc, argv, pillar,
      [&](thb::ServiceRuntime& runtime, const google::protobuf::ServiceDescriptor** descriptor)
          -> absl::StatusOr<grpc::Service*> {
        THB_ASSIGN_OR_RETURN(server, thb::coordinator::CoordinatorServer::Create(runtime));
        *descriptor = &thb::coordinator::CoordinatorServer::Descriptor();
        return &server->handler();
      });
}
