// Recommendations of the Rapporteur and their follow-up cycle: issued (and edited) by the
// Rapporteur's office only; answered by their addressee only (`:respond`, stored as the
// addressee's words); assessed by the Rapporteur only (`:assessFollowUp`). Every response and
// assessment is kept, oldest first. Overdue = past the due date without IMPLEMENTED.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/mutation.h"
#include "services/common/resource_table.h"
#include "services/common/storage.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

class RecommendationBook {
 public:
  RecommendationBook(Database& db, const Clock& clock, CoordinatorClient& coordinator)
      : db_(db), clock_(clock), coordinator_(coordinator) {}

  absl::StatusOr<v1::Recommendation> Create(const AuditActor& actor,
                                            const v1::CreateRecommendationRequest& request);
  absl::StatusOr<v1::Recommendation> Get(const std::string& name);
  // Filter: AIP-160 subset over addressee.kind, addressee.institution, pillar, priority,
  // follow_up.status and overdue, joined by AND.
  absl::StatusOr<v1::ListRecommendationsResponse> List(
      const v1::ListRecommendationsRequest& request);
  absl::StatusOr<v1::Recommendation> Update(const AuditActor& actor,
                                            const v1::UpdateRecommendationRequest& request);
  // PERMISSION_DENIED unless `caller` is the addressee; the linked measure is checked at the
  // coordinator.
  absl::StatusOr<v1::Recommendation> Respond(const AuditActor& actor, const Principal& caller,
                                             const v1::RespondToRecommendationRequest& request);
  absl::StatusOr<v1::Recommendation> AssessFollowUp(
      const AuditActor& actor, const Principal& caller,
      const v1::AssessRecommendationFollowUpRequest& request);

 private:
  absl::Status Validate(const v1::Recommendation& r, const std::string& prefix, Transaction& tx);
  // UpdateResource of the recommendation `name` (request field "name"), decorated.
  absl::StatusOr<v1::Recommendation> Change(const MutationCall& call, const std::string& name,
                                            const std::string& etag,
                                            ResourceChange<v1::Recommendation> change);
  void Decorate(v1::Recommendation& r) const;
  // PriorResponse, decorated: what a retry of `call` answers, before any remote call.
  absl::StatusOr<std::optional<v1::Recommendation>> DecoratedPrior(const MutationCall& call);

  Database& db_;
  const Clock& clock_;
  CoordinatorClient& coordinator_;
};

}  // namespace thb::rapporteur
