// The bodies under the Commission: thematic working groups, local (regional) commissions and the
// National Referral Mechanism (one per State), each with a lead and member institutions checked
// at the coordinator, and their periodic status reports to the Commission.
#pragma once

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/storage.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {

class CommissionBodies {
 public:
  CommissionBodies(Database& db, const Clock& clock, CoordinatorClient& institutions)
      : db_(db), clock_(clock), institutions_(institutions) {}

  absl::StatusOr<v1::Body> Create(const AuditActor& actor, const v1::CreateBodyRequest& request);
  absl::StatusOr<v1::Body> Get(const std::string& name);
  absl::StatusOr<v1::ListBodiesResponse> List(const v1::ListBodiesRequest& request);
  absl::StatusOr<v1::Body> Update(const AuditActor& actor, const v1::UpdateBodyRequest& request);

  absl::StatusOr<v1::StatusReport> Report(const AuditActor& actor, const Principal& caller,
                                          const v1::CreateStatusReportRequest& request);
  // Newest first.
  absl::StatusOr<v1::ListStatusReportsResponse> ListReports(
      const v1::ListStatusReportsRequest& request);

 private:
  // Field checks, then the lead and members at the coordinator.
  absl::Status Validate(const v1::Body& body);

  Database& db_;
  const Clock& clock_;
  CoordinatorClient& institutions_;
};

}  // namespace thb::commission
