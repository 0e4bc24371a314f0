#include "services/rapporteur/rapporteur_service.h"

#include "services/rapporteur/rapporteur_policy.h"

namespace thb::rapporteur {

RapporteurServer::RapporteurServer(ServiceRuntime& runtime,
                                   std::unique_ptr<InstitutionDirectory> institutions)
    : institutions_(std::move(institutions)),
      dispatcher_(&runtime.authenticator(), &RapporteurPolicy(), &runtime.workers()),
      statistics_(runtime.db(), Clock::Real(), *institutions_),
      handler_(dispatcher_, statistics_) {}

absl::StatusOr<std::unique_ptr<RapporteurServer>> RapporteurServer::Create(
    ServiceRuntime& runtime, std::unique_ptr<InstitutionDirectory> institutions) {
  if (absl::Status s = runtime.db().ApplyMigrations("rapporteur", StatisticsLedger::Migrations());
      !s.ok()) {
    return s;
  }
  return std::unique_ptr<RapporteurServer>(new RapporteurServer(runtime, std::move(institutions)));
}

const google::protobuf::ServiceDescriptor& RapporteurServer::Descriptor() {
  return *v1::StatisticsSubmission::descriptor()->file()->FindServiceByName("RapporteurService");
}

}  // namespace thb::rapporteur
