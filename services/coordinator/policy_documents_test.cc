// Policy documents: the lifecycle with its refusals, who sees a document in each state, links to
// measures and the owner, the review-overdue filter, and supersession.
#include "services/coordinator/policy_documents.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

class PolicyDocumentsTest : public ActionPlansTest {
 protected:
  PolicyDocumentsTest() : documents_(*db_, clock_) {
    MakePlanWithOneMeasure();
    Adopt();
  }

  v1::PolicyDocument Make(const std::string& id) {
    v1::CreatePolicyDocumentRequest r;
    r.set_policy_document_id(id);
    v1::PolicyDocument* d = r.mutable_policy_document();
    d->set_title("National Referral Mechanism SOPs " + id);
    d->set_kind(v1::PolicyDocument::KIND_STANDARD_OPERATING_PROCEDURE);
    d->set_owner_institution("institutions/labour");
    d->add_linked_measures("plans/nap/measures/shelter");
    *d->mutable_review_due_date() = ToDate(absl::CivilDay(2025, 2, 1));  // a month ago
    d->set_internal_notes("waiting for the ministry's lawyers");
    absl::StatusOr<v1::PolicyDocument> made = documents_.Create(AuditActor::Internal(), r);
    EXPECT_TRUE(made.ok()) << made.status();
    return *made;
  }

  absl::StatusOr<v1::PolicyDocument> AdoptDocument(const std::string& name) {
    v1::AdoptPolicyDocumentRequest r;
    r.set_name(name);
    return documents_.Adopt(AuditActor::Internal(), r);
  }

  PolicyDocuments documents_;
};

TEST_F(PolicyDocumentsTest, BadInputAndBadReferencesWriteNothing) {
  v1::CreatePolicyDocumentRequest r;
  r.mutable_policy_document()->set_document_uri("javascript:alert(1)");
  absl::StatusOr<v1::PolicyDocument> bad = documents_.Create(AuditActor::Internal(), r);
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(bad.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre(
                          "policy_document.title", "policy_document.kind",
                          "policy_document.owner_institution", "policy_document.document_uri"));
  r = {};
  r.set_policy_document_id("orphan");
  r.mutable_policy_document()->set_title("SOP");
  r.mutable_policy_document()->set_kind(v1::PolicyDocument::KIND_GUIDELINE);
  r.mutable_policy_document()->set_owner_institution("institutions/labour");
  r.mutable_policy_document()->add_linked_measures("plans/nap/measures/ghost");
  EXPECT_EQ(documents_.Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(documents_.Get(PlanAudience::Everything(), "policyDocuments/orphan").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PolicyDocumentsTest, TheLifecycleAndWhoSeesEachState) {
  const v1::PolicyDocument draft = Make("nrm-sops");
  EXPECT_EQ(draft.state(), v1::PolicyDocument::STATE_DRAFT);
  const PlanAudience public_ = PlanAudience::For(Principal::Anonymous());
  const PlanAudience office = PlanAudience::For(office_);
  EXPECT_EQ(documents_.Get(public_, draft.name()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(documents_.Get(office, draft.name()).ok());
  EXPECT_EQ(documents_.List(public_, {})->policy_documents_size(), 0);
  // A filter cannot probe a hidden draft either.
  v1::ListPolicyDocumentsRequest by_state;
  by_state.set_filter("state = DRAFT");
  EXPECT_EQ(documents_.List(public_, by_state)->policy_documents_size(), 0);
  EXPECT_EQ(documents_.List(office, by_state)->policy_documents_size(), 1);

  v1::SubmitPolicyDocumentForConsultationRequest submit;
  submit.set_name(draft.name());
  ASSERT_TRUE(documents_.SubmitForConsultation(AuditActor::Internal(), submit).ok());
  EXPECT_EQ(ReasonOf(documents_.SubmitForConsultation(AuditActor::Internal(), submit).status()),
            "POLICY_DOCUMENT_TRANSITION_NOT_ALLOWED");
  Principal member;
  member.authenticated = true;
  member.roles = {roles::kCommissionMember};
  EXPECT_TRUE(documents_.Get(PlanAudience::For(member), draft.name()).ok());
  EXPECT_EQ(documents_.Get(public_, draft.name()).status().code(), absl::StatusCode::kNotFound);

  v1::AdoptPolicyDocumentRequest future;
  future.set_name(draft.name());
  *future.mutable_adopted_on() = ToDate(absl::CivilDay(2025, 3, 2));
  EXPECT_EQ(documents_.Adopt(AuditActor::Internal(), future).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::PolicyDocument> adopted = AdoptDocument(draft.name());
  ASSERT_TRUE(adopted.ok()) << adopted.status();
  EXPECT_EQ(ToCivilDay(adopted->adopted_on()), absl::CivilDay(2025, 3, 1));
  EXPECT_TRUE(documents_.Get(public_, draft.name()).ok());
  v1::DeletePolicyDocumentRequest del;
  del.set_name(draft.name());
  EXPECT_EQ(ReasonOf(documents_.Delete(AuditActor::Internal(), del)), "POLICY_DOCUMENT_NOT_DRAFT");

  // The review date has passed: the filter finds it.
  v1::ListPolicyDocumentsRequest overdue;
  overdue.set_filter("review_overdue = true AND kind = STANDARD_OPERATING_PROCEDURE");
  EXPECT_EQ(documents_.List(public_, overdue)->policy_documents_size(), 1);
  overdue.set_filter("linked_measure = \"plans/nap/measures/shelter\"");
  EXPECT_EQ(documents_.List(public_, overdue)->policy_documents_size(), 1);
  overdue.set_filter("review_overdue = maybe");
  EXPECT_EQ(documents_.List(public_, overdue).status().code(), absl::StatusCode::kInvalidArgument);

  // A newer version supersedes it; then nothing changes the old one.
  const v1::PolicyDocument next = Make("nrm-sops-2");
  v1::SupersedePolicyDocumentRequest supersede;
  supersede.set_name(draft.name());
  supersede.set_superseded_by("policyDocuments/none");
  EXPECT_EQ(documents_.Supersede(AuditActor::Internal(), supersede).status().code(),
            absl::StatusCode::kInvalidArgument);
  supersede.set_superseded_by(next.name());  // still a draft: not the version in force
  EXPECT_EQ(documents_.Supersede(AuditActor::Internal(), supersede).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(AdoptDocument(next.name()).ok());
  absl::StatusOr<v1::PolicyDocument> old = documents_.Supersede(AuditActor::Internal(), supersede);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->state(), v1::PolicyDocument::STATE_SUPERSEDED);
  EXPECT_EQ(old->superseded_by(), next.name());
  v1::UpdatePolicyDocumentRequest edit;
  edit.mutable_policy_document()->set_name(draft.name());
  edit.mutable_policy_document()->set_title("rewritten");
  edit.mutable_update_mask()->add_paths("title");
  EXPECT_EQ(ReasonOf(documents_.Update(AuditActor::Internal(), edit).status()),
            "POLICY_DOCUMENT_SUPERSEDED");
  // The newer one cannot be superseded by the old, SUPERSEDED one: no cycles.
  v1::SupersedePolicyDocumentRequest back;
  back.set_name(next.name());
  back.set_superseded_by(draft.name());
  EXPECT_EQ(documents_.Supersede(AuditActor::Internal(), back).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Their measure is named by both.
  v1::DeleteMeasureRequest dm;
  dm.set_name("plans/nap/measures/shelter");
  dm.set_revision_reason("merged");
  EXPECT_EQ(ReasonOf(plans_->DeleteMeasure(AuditActor::Internal(), office_, dm)),
            "RESOURCE_REFERENCED");
}

}  // namespace
}  // namespace thb::coordinator
