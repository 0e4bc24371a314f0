// thb-coordinator: the National Anti-Trafficking Co-ordinator service.
#include "services/common/service_runtime.h"
#include "services/common/status_macros.h"
#include "services/coordinator/coordinator_service.h"

int main(int argc, char** argv) {
  std::unique_ptr<thb::coordinator::CoordinatorServer> server;
  return thb::RunServiceMain(
      argc, argv,
      {"thb-coordinator", "THB Suite: the National Anti-Trafficking Co-ordinator (gRPC).",
       "coordinator", "0.0.0.0:50051", "0.0.0.0:9451", "thb-coordinator.db"},
      [&](thb::ServiceRuntime& runtime, const google::protobuf::ServiceDescriptor** descriptor)
          -> absl::StatusOr<grpc::Service*> {
        THB_ASSIGN_OR_RETURN(server, thb::coordinator::CoordinatorServer::Create(runtime));
        *descriptor = &thb::coordinator::CoordinatorServer::Descriptor();
        return &server->handler();
      });
}
