#include "services/rapporteur/rapporteur_service.h"

#include "services/rapporteur/rapporteur_policy.h"
#include "services/rapporteur/rapporteur_schema.h"

namespace thb::rapporteur {

RapporteurServer::RapporteurServer(ServiceRuntime& runtime,
                                   std::unique_ptr<InstitutionDirectory> institutions)
    : institutions_(std::move(institutions)),
      dispatcher_(&runtime.authenticator(), &RapporteurPolicy(), &runtime.workers()),
      statistics_(runtime.db(), Clock::Real(), *institutions_),
      handler_(dispatcher_, statistics_) {}

absl::StatusOr<std::unique_ptr<RapporteurServer>> RapporteurServer::Create(
    ServiceRuntime& runtime, std::unique_ptr<InstitutionDirectory> institutions) {
  if (absl::Status s = runtime.db().ApplyMigrations("rapporteur", RapporteurMigrations()); !s.ok()) {
    return s;
  }
  std::unique_ptr<RapporteurServer> server(new RapporteurServer(runtime, std::move(institutions)));
  if (absl::Status s = server->statistics_.IndexStoredSubmissions(); !s.ok()) return s;
  return server;
}

const google::protobuf::ServiceDescriptor& RapporteurServer::Descriptor() {
  return *v1::StatisticsSubmission::descriptor()->file()->FindServiceByName("RapporteurService");
}

}  // namespace thb::rapporteur
