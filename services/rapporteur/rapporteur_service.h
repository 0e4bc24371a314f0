// Assembles the rapporteur from the shared runtime: migrations, the coordinator and commission
// readers, domain objects and handler. Used by main() and by in-process tests.
#pragma once

#include <memory>

#include "services/common/coordinator_client.h"
#include "services/common/service_runtime.h"
#include "services/rapporteur/commission_reader.h"
#include "services/rapporteur/rapporteur_gauges.h"
#include "services/rapporteur/rapporteur_handler.h"
#include "services/rapporteur/statistics_ledger.h"

namespace thb::rapporteur {

// The rapporteur's own settings (flags of thb-rapporteur).
struct RapporteurOptions {
  StatisticsConfig statistics;
  std::string rapporteur_institution;  // institutions/{id} of the Rapporteur at the coordinator
};

class RapporteurServer {
 public:
  static absl::StatusOr<std::unique_ptr<RapporteurServer>> Create(
      ServiceRuntime& runtime, std::unique_ptr<CoordinatorClient> coordinator,
      std::unique_ptr<CommissionReader> commission, const RapporteurOptions& options);
  RapporteurHandler& handler() { return handler_; }
  static const google::protobuf::ServiceDescriptor& Descriptor();

 private:
  RapporteurServer(ServiceRuntime& runtime, std::unique_ptr<CoordinatorClient> coordinator,
                   std::unique_ptr<CommissionReader> commission, const RapporteurOptions& options);
  std::unique_ptr<CoordinatorClient> coordinator_;
  std::unique_ptr<CommissionReader> commission_;
  RpcDispatcher dispatcher_;
  AuditLog audit_;
  StatisticsLedger statistics_;
  StatisticsQueries queries_;
  PopulationTables population_tables_;
  RecommendationBook recommendations_;
  ReportShelf reports_;
  Evaluations evaluations_;
  Assessments assessments_;
  RapporteurHandler handler_;
  std::shared_ptr<RapporteurGauges> gauges_;
};

}  // namespace thb::rapporteur
