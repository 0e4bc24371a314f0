// The register of recommendations from international and regional monitoring bodies (the
// National Rapporteur's own stay in the rapporteur service): intake with source, themes, pillar,
// forms, responsible institutions and SDG targets; responses by a responsible institution or the
// office, linked to NAP measures and kept as the follow-up history; the clustering summary; and
// the draft of the State's report for a reporting cycle, compiled from that follow-up (as
// OHCHR's National Recommendations Tracking Database does). Everyone may read the register; the
// office's internal notes on a response reach the office only (declared in the contract).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

class ExternalRecommendations {
 public:
  ExternalRecommendations(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::ExternalRecommendation> Create(
      const AuditActor& actor, const v1::CreateExternalRecommendationRequest& request);
  absl::StatusOr<v1::ExternalRecommendation> Get(const std::string& name);
  // filter: `source`, `obligation`, `theme`, `pillar`, `status`, `sdg_target`,
  // `responsible_institution` (AIP-160 subset, AND).
  absl::StatusOr<v1::ListExternalRecommendationsResponse> List(
      const v1::ListExternalRecommendationsRequest& request);
  // The intake fields; the follow-up changes only through Respond.
  absl::StatusOr<v1::ExternalRecommendation> Update(
      const AuditActor& actor, const v1::UpdateExternalRecommendationRequest& request);
  // Only a recommendation nobody has responded to.
  absl::Status Delete(const AuditActor& actor,
                      const v1::DeleteExternalRecommendationRequest& request);
  // Appends a response. The office may respond to any recommendation; a reporting institution
  // only to one it is responsible for (PERMISSION_DENIED NOT_RESPONSIBLE_INSTITUTION otherwise).
  absl::StatusOr<v1::ExternalRecommendation> Respond(
      const AuditActor& actor, const Principal& caller,
      const v1::RespondToExternalRecommendationRequest& request);

  absl::StatusOr<v1::ExternalRecommendationSummary> Summarize(
      const v1::SummarizeExternalRecommendationsRequest& request);
  // The draft of the State's report for cycle `name`: the recommendations issued under its
  // obligation, with their follow-up (no internal notes) and linked measures as they stand.
  absl::StatusOr<v1::ObligationReportDraft> DraftReport(const std::string& name);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::coordinator
