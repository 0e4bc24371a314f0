// Policy documents beyond the National Action Plan: strategies, standard operating procedures
// (e.g. the National Referral Mechanism's), guidelines, laws and regulations, each with an owner
// institution, the lifecycle DRAFT -> IN_CONSULTATION -> ADOPTED -> SUPERSEDED, a review date and
// the NAP measures that implement it. Who sees a document follows its state as for plans
// (PlanAudience): drafts the office, the secretariat and the services; documents in consultation
// also the Commission and civil society; adopted and superseded ones everyone.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "services/coordinator/plan_audience.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

// Whether `audience` may see a policy document in `state`.
bool CanSee(const PlanAudience& audience, v1::PolicyDocument::State state);

class PolicyDocuments {
 public:
  PolicyDocuments(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::PolicyDocument> Create(const AuditActor& actor,
                                            const v1::CreatePolicyDocumentRequest& request);
  // NOT_FOUND for a document the audience may not see, as for one that does not exist.
  absl::StatusOr<v1::PolicyDocument> Get(const PlanAudience& audience, const std::string& name);
  // filter: `kind`, `state`, `owner_institution`, `linked_measure`, `review_overdue`; documents
  // the audience may not see are left out before the filter applies.
  absl::StatusOr<v1::ListPolicyDocumentsResponse> List(
      const PlanAudience& audience, const v1::ListPolicyDocumentsRequest& request);
  absl::StatusOr<v1::PolicyDocument> Update(const AuditActor& actor,
                                            const v1::UpdatePolicyDocumentRequest& request);
  absl::Status Delete(const AuditActor& actor, const v1::DeletePolicyDocumentRequest& request);
  absl::StatusOr<v1::PolicyDocument> SubmitForConsultation(
      const AuditActor& actor, const v1::SubmitPolicyDocumentForConsultationRequest& request);
  absl::StatusOr<v1::PolicyDocument> Adopt(const AuditActor& actor,
                                           const v1::AdoptPolicyDocumentRequest& request);
  absl::StatusOr<v1::PolicyDocument> Supersede(const AuditActor& actor,
                                               const v1::SupersedePolicyDocumentRequest& request);

 private:
  // Moves `name` from one of `from` to `to`; `change` completes the document.
  absl::StatusOr<v1::PolicyDocument> Transition(
      const AuditActor& actor, const char* method, const std::string& name, const std::string& etag,
      const std::string& request_id, std::initializer_list<v1::PolicyDocument::State> from,
      v1::PolicyDocument::State to,
      absl::FunctionRef<absl::Status(Transaction&, v1::PolicyDocument&)> change);

  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::coordinator
