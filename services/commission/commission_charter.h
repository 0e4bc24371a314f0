// The Commission itself (a singleton): name, legal basis, chair, meeting cadence and quorum
// rule. The chair must be the National Co-ordinator's institution as the coordinator's mandate
// says (the brief: the Co-ordinator chairs the Commission), read over gRPC when it changes.
#pragma once

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/storage.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {

class CommissionCharter {
 public:
  CommissionCharter(Database& db, const Clock& clock, CoordinatorClient& coordinator)
      : db_(db), clock_(clock), coordinator_(coordinator) {}

  // The Commission; only the name is set until the secretariat first describes it.
  absl::StatusOr<v1::Commission> Get(const std::string& name);
  // A new chair is checked against the coordinator's mandate (FAILED_PRECONDITION when it is not
  // the Co-ordinator's institution, UNAVAILABLE when the coordinator cannot be reached); changes
  // that keep the chair need no coordinator.
  absl::StatusOr<v1::Commission> Update(const AuditActor& actor,
                                        const v1::UpdateCommissionRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
  CoordinatorClient& coordinator_;
};

}  // namespace thb::commission
