// thb-rapporteur: the independent National Rapporteur service.
#include "absl/flags/flag.h"
#include "services/common/flags.h"
#include "services/common/service_runtime.h"
#include "services/rapporteur/rapporteur_service.h"

int main(int argc, char** argv) {
  std::unique_ptr<thb::rapporteur::RapporteurServer> server;
  return thb::RunServiceMain(
      argc, argv,
      {"thb-rapporteur",
       "THB Suite: the independent National Rapporteur (gRPC). Reads the coordinator and commission.",
       "rapporteur", "0.0.0.0:50053", "0.0.0.0:9453", "thb-rapporteur.db"},
      [&](thb::ServiceRuntime& runtime, const google::protobuf::ServiceDescriptor** descriptor)
          -> absl::StatusOr<grpc::Service*> {
        auto created = thb::rapporteur::RapporteurServer::Create(
            runtime, thb::NewCoordinatorDirectory(runtime, absl::GetFlag(FLAGS_coordinator_target)));
        if (!created.ok()) return created.status();
        server = std::move(*created);
        *descriptor = &thb::rapporteur::RapporteurServer::Descriptor();
        return &server->handler();
      });
}
