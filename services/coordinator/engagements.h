// International engagements of the Co-ordinator's office: fora, bilateral and multilateral
// meetings, delegations, meetings of National Co-ordinators and Rapporteurs, with the
// institutions represented, outcomes and follow-up actions. Everyone may read them; the office's
// internal notes reach the office only (declared in the contract).
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

// The AIP-160 subset ListEngagements understands: `kind = BILATERAL_MEETING`, `forum = "..."`,
// `partner = "AUT"` (a partner State or organisation, exactly) and
// `institution = "institutions/x"`, joined by AND.
class EngagementFilter {
 public:
  static absl::StatusOr<EngagementFilter> Parse(const std::string& text);
  bool Matches(const v1::Engagement& e) const;

 private:
  std::optional<int> kind_;
  std::optional<std::string> forum_;
  std::optional<std::string> partner_;
  std::optional<std::string> institution_;
};

class Engagements {
 public:
  Engagements(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::Engagement> Create(const AuditActor& actor,
                                        const v1::CreateEngagementRequest& request);
  absl::StatusOr<v1::Engagement> Get(const std::string& name);
  // Engagements overlapping [period_start, period_end] (either end open), then the filter.
  absl::StatusOr<v1::ListEngagementsResponse> List(const v1::ListEngagementsRequest& request);
  absl::StatusOr<v1::Engagement> Update(const AuditActor& actor,
                                        const v1::UpdateEngagementRequest& request);
  absl::Status Delete(const AuditActor& actor, const v1::DeleteEngagementRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::coordinator
