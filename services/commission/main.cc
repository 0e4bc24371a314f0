// thb-commission: the multi-agency Anti-Trafficking Commission service.
#include "absl/flags/flag.h"
#include "services/commission/commission_service.h"
#include "services/common/flags.h"
#include "services/common/service_runtime.h"

int main(int argc, char** argv) {
  std::unique_ptr<thb::commission::CommissionServer> server;
  return thb::RunServiceMain(
      argc, argv,
      {"thb-commission",
       "THB Suite: the Anti-Trafficking Commission (gRPC). Reads the coordinator.", "commission",
       "0.0.0.0:50052", "0.0.0.0:9452", "thb-commission.db"},
      [&](thb::ServiceRuntime& runtime, const google::protobuf::ServiceDescriptor** descriptor)
          -> absl::StatusOr<grpc::Service*> {
        auto created = thb::commission::CommissionServer::Create(
            runtime,
            thb::NewCoordinatorDirectory(runtime, absl::GetFlag(FLAGS_coordinator_target)));
        if (!created.ok()) return created.status();
        server = std::move(*created);
        *descriptor = &thb::commission::CommissionServer::Descriptor();
        return &server->handler();
      });
}
