// thb-commission: the multi-agency Anti-Trafficking Commission service.
#include "absl/flags/flag.h"
#include "services/commission/commission_service.h"
#include "services/common/flags.h"
#include "services/common/service_runtime.h"
#include "services/common/status_macros.h"

int main(int argc, char** argv) {
  std::unique_ptr<thb::commission::CommissionServer> server;
  thb::ServiceMainOptions pillar;
  pillar.program = "thb-commission";
  pillar.description = "THB Suite: the Anti-Trafficking Commission (gRPC). Reads the coordinator.";
  pillar.service = "commission";
  pillar.default_listen = "0.0.0.0:50052";
  pillar.default_admin_listen = "0.0.0.0:9452";
  pillar.default_db = "thb-commission.db";
  return thb::RunServiceMain(
      argc, argv, pillar,
      [&](thb::ServiceRuntime& runtime, const google::protobuf::ServiceDescriptor** descriptor)
          -> absl::StatusOr<grpc::Service*> {
        THB_ASSIGN_OR_RETURN(server,
                             thb::commission::CommissionServer::Create(
                                 runtime, thb::NewCoordinatorClient(
                                              runtime, absl::GetFlag(FLAGS_coordinator_target))));
        *descriptor = &thb::commission::CommissionServer::Descriptor();
        return &server->handler();
      });
}
