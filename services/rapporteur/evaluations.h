// Evaluations of a NAP: what the coordinator's coverage, progress and funding analyses of a plan
// said on the day the Rapporteur read them, kept as read. Immutable once stored.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/storage.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

class Evaluations {
 public:
  Evaluations(Database& db, const Clock& clock, CoordinatorClient& coordinator)
      : db_(db), clock_(clock), coordinator_(coordinator) {}

  // Reads the plan's analyses from the coordinator; UNAVAILABLE (nothing stored) when it
  // cannot, FAILED_PRECONDITION when the plan does not exist.
  absl::StatusOr<v1::Evaluation> Create(const AuditActor& actor,
                                        const v1::CreateEvaluationRequest& request);
  absl::StatusOr<v1::Evaluation> Get(const std::string& name);
  absl::StatusOr<v1::ListEvaluationsResponse> List(const v1::ListEvaluationsRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
  CoordinatorClient& coordinator_;
};

}  // namespace thb::rapporteur
