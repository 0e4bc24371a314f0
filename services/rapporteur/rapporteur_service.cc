#include "services/rapporteur/rapporteur_service.h"

#include "services/common/status_macros.h"
#include "services/rapporteur/rapporteur_policy.h"
#include "services/rapporteur/rapporteur_schema.h"

namespace thb::rapporteur {

RapporteurServer::RapporteurServer(ServiceRuntime& runtime,
                                   std::unique_ptr<CoordinatorClient> coordinator,
                                   std::unique_ptr<CommissionReader> commission,
                                   const RapporteurOptions& options)
    : coordinator_(std::move(coordinator)),
      commission_(std::move(commission)),
      dispatcher_(&runtime.authenticator(), &RapporteurPolicy(), &runtime.workers(),
                  Descriptor().full_name()),
      audit_(runtime.db()),
      statistics_(runtime.db(), Clock::Real(), *coordinator_),
      queries_(runtime.db(), options.statistics),
      population_tables_(runtime.db(), Clock::Real()),
      recommendations_(runtime.db(), Clock::Real(), *coordinator_),
      reports_(runtime.db(), Clock::Real()),
      evaluations_(runtime.db(), Clock::Real(), *coordinator_),
      assessments_(runtime.db(), Clock::Real(), *coordinator_, *commission_,
                   options.rapporteur_institution),
      handler_(dispatcher_, audit_, runtime.commits(), statistics_, queries_, population_tables_,
               recommendations_, reports_, evaluations_, assessments_),
      gauges_(std::make_shared<RapporteurGauges>(runtime.db(), Clock::Real())) {
  runtime.RegisterCollectable(gauges_);
}

absl::StatusOr<std::unique_ptr<RapporteurServer>> RapporteurServer::Create(
    ServiceRuntime& runtime, std::unique_ptr<CoordinatorClient> coordinator,
    std::unique_ptr<CommissionReader> commission, const RapporteurOptions& options) {
  if (options.statistics.disclosure_threshold < 1) {
    return absl::InvalidArgumentError("--disclosure_threshold must be at least 1");
  }
  if (options.statistics.country_code.size() != 3) {
    return absl::InvalidArgumentError("--statistics_country must be an ISO 3166-1 alpha-3 code");
  }
  THB_RETURN_IF_ERROR(runtime.db().ApplyMigrations("rapporteur", RapporteurMigrations()));
  std::unique_ptr<RapporteurServer> server(
      new RapporteurServer(runtime, std::move(coordinator), std::move(commission), options));
  THB_RETURN_IF_ERROR(server->statistics_.IndexStoredSubmissions());
  return server;
}

const google::protobuf::ServiceDescriptor& RapporteurServer::Descriptor() {
  return *v1::StatisticsSubmission::descriptor()->file()->FindServiceByName("RapporteurService");
}

}  // namespace thb::rapporteur
