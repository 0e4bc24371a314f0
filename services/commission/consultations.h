// Consultations on a National Action Plan draft: the secretariat opens one on a plan that is
// DRAFT or IN_CONSULTATION at the coordinator; civil-society and survivor-leader members submit
// while it is open; every submission gets the secretariat's reasoned answer, which publishes it:
// the public reads answered submissions (text, section, member, answer), the Commission's members,
// civil society, the secretariat and the coordinator's office read them all.
#pragma once

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/storage.h"
#include "services/common/viewer.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {

class Consultations {
 public:
  Consultations(Database& db, const Clock& clock, CoordinatorClient& coordinator)
      : db_(db), clock_(clock), coordinator_(coordinator) {}

  absl::StatusOr<v1::Consultation> Create(const AuditActor& actor,
                                          const v1::CreateConsultationRequest& request);
  absl::StatusOr<v1::Consultation> Get(const std::string& name);
  absl::StatusOr<v1::ListConsultationsResponse> List(const v1::ListConsultationsRequest& request);
  // Title, description and dates; the plan consulted on does not change.
  absl::StatusOr<v1::Consultation> Update(const AuditActor& actor,
                                          const v1::UpdateConsultationRequest& request);

  // Only while open, only by a civil-society or survivor-leader member (the caller's institution
  // holds such a seat); PERMISSION_DENIED otherwise.
  absl::StatusOr<v1::Submission> Submit(const AuditActor& actor, const Principal& caller,
                                        const v1::CreateSubmissionRequest& request);
  // An unanswered submission is NOT_FOUND for a viewer who may not see it (the public).
  absl::StatusOr<v1::Submission> GetSubmission(const Viewer& viewer, const std::string& name);
  absl::StatusOr<v1::ListSubmissionsResponse> ListSubmissions(
      const Viewer& viewer, const v1::ListSubmissionsRequest& request);
  // Whether `viewer` reads submissions before they are answered.
  static bool SeesUnanswered(const Viewer& viewer);
  // A reason is required unless the submission is ACCEPTED.
  absl::StatusOr<v1::Submission> Respond(const AuditActor& actor,
                                         const v1::RespondToSubmissionRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
  CoordinatorClient& coordinator_;
};

}  // namespace thb::commission
