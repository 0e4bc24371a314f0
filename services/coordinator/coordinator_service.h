// Assembles the coordinator from the shared runtime: migrations, domain objects, handler.
// Used by main() and by tests that run the real service in-process.
#pragma once

#include <memory>

#include "services/common/rpc_dispatcher.h"
#include "services/common/service_runtime.h"
#include "services/coordinator/coordinator_gauges.h"
#include "services/coordinator/coordinator_handler.h"
#include "services/coordinator/institution_registry.h"

namespace thb::coordinator {

class CoordinatorServer {
 public:
  // `clock` is the real clock except in tests.
  static absl::StatusOr<std::unique_ptr<CoordinatorServer>> Create(
      ServiceRuntime& runtime, const Clock& clock = Clock::Real());
  CoordinatorHandler& handler() { return handler_; }
  const CoordinatorGauges& gauges() const { return *gauges_; }
  static const google::protobuf::ServiceDescriptor& Descriptor();

 private:
  CoordinatorServer(ServiceRuntime& runtime, const Clock& clock);
  RpcDispatcher dispatcher_;
  AuditLog audit_;
  InstitutionRegistry registry_;
  MandateRegistry mandate_;
  ActionPlans plans_;
  Engagements engagements_;
  ReportingObligations obligations_;
  ExternalRecommendations recommendations_;
  PolicyDocuments documents_;
  BudgetLines budget_lines_;
  std::shared_ptr<CoordinatorGauges> gauges_;
  CoordinatorHandler handler_;
};

}  // namespace thb::coordinator
