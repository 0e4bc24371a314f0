#include "services/commission/consultations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/commission/commission_schema.h"
#include "services/commission/meetings.h"
#include "services/commission/member_roster.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/testing/fake_coordinator_client.h"
#include "services/common/testing/test_support.h"

namespace thb::commission {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Plan = thb::coordinator::v1::ActionPlan;

class ConsultationsTest : public ::testing::Test {
 protected:
  ConsultationsTest() : clock_(absl::FromCivil(absl::CivilDay(2025, 3, 10), absl::UTCTimeZone())) {
    db_ = *OpenDatabase(dir_.File("m.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("commission", CommissionMigrations()).ok());
    for (const char* i : {"ngo", "survivors", "police"})
      coordinator_.Add(std::string("institutions/") + i);
    coordinator_.AddPlan("plans/draft", Plan::STATE_DRAFT);
    coordinator_.AddPlan("plans/adopted", Plan::STATE_ADOPTED);
    MemberRoster roster(*db_, clock_, coordinator_);
    for (auto [inst, seat] : {std::pair{"ngo", v1::SEAT_CIVIL_SOCIETY},
                              std::pair{"survivors", v1::SEAT_SURVIVOR_LEADER},
                              std::pair{"police", v1::SEAT_GOVERNMENT}}) {
      v1::CreateMemberRequest r;
      r.set_member_id(inst);
      r.mutable_member()->set_institution(std::string("institutions/") + inst);
      r.mutable_member()->set_seat(seat);
      r.mutable_member()->set_role(v1::MEMBER_ROLE_MEMBER);
      EXPECT_TRUE(roster.Create(AuditActor::Internal(), r).ok());
    }
    desk_ = std::make_unique<Consultations>(*db_, clock_, coordinator_);
  }

  v1::CreateConsultationRequest On(const std::string& plan) {
    v1::CreateConsultationRequest r;
    r.set_consultation_id("c1");
    r.mutable_consultation()->set_plan(plan);
    r.mutable_consultation()->set_title("Consultation on the NAP draft");
    *r.mutable_consultation()->mutable_open_date() = ToDate(absl::CivilDay(2025, 3, 1));
    *r.mutable_consultation()->mutable_close_date() = ToDate(absl::CivilDay(2025, 3, 31));
    return r;
  }
  Principal From(const std::string& institution) {
    Principal p;
    p.authenticated = true;
    p.roles = {roles::kCommissionMember};
    p.institution = "institutions/" + institution;
    return p;
  }
  v1::CreateSubmissionRequest Text(const std::string& text) {
    v1::CreateSubmissionRequest r;
    r.set_parent("consultations/c1");
    r.mutable_submission()->set_text(text);
    return r;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  testing::FakeCoordinatorClient coordinator_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Consultations> desk_;
};

// A consultation may be on a policy document instead of a plan (exactly one of the two), checked
// at the coordinator the same way: it exists and is a draft or in consultation.
TEST_F(ConsultationsTest, APolicyDocumentMayBeConsultedOnInsteadOfAPlan) {
  using Document = thb::coordinator::v1::PolicyDocument;
  coordinator_.AddPolicyDocument("policyDocuments/sops", Document::STATE_IN_CONSULTATION);
  coordinator_.AddPolicyDocument("policyDocuments/old", Document::STATE_ADOPTED);
  v1::CreateConsultationRequest both = On("plans/draft");
  both.mutable_consultation()->set_policy_document("policyDocuments/sops");
  EXPECT_EQ(desk_->Create(AuditActor::Internal(), both).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::CreateConsultationRequest neither = On("");
  EXPECT_EQ(desk_->Create(AuditActor::Internal(), neither).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::CreateConsultationRequest r = On("");
  r.mutable_consultation()->set_policy_document("policyDocuments/none");
  EXPECT_EQ(ReasonOf(desk_->Create(AuditActor::Internal(), r).status()),
            "POLICY_DOCUMENT_NOT_FOUND");
  r.mutable_consultation()->set_policy_document("policyDocuments/old");
  EXPECT_EQ(ReasonOf(desk_->Create(AuditActor::Internal(), r).status()),
            "POLICY_DOCUMENT_NOT_IN_CONSULTATION");
  r.mutable_consultation()->set_policy_document("plans/draft");
  EXPECT_EQ(desk_->Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  r.mutable_consultation()->set_policy_document("policyDocuments/sops");
  absl::StatusOr<v1::Consultation> c = desk_->Create(AuditActor::Internal(), r);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->policy_document(), "policyDocuments/sops");
  EXPECT_TRUE(c->plan().empty());
  // Members submit to it as to any consultation; the target does not change.
  ASSERT_TRUE(desk_->Submit(AuditActor::Internal(), From("ngo"), Text("Add labour cases.")).ok());
  v1::UpdateConsultationRequest u;
  u.mutable_consultation()->set_name("consultations/c1");
  u.mutable_consultation()->set_policy_document("policyDocuments/old");
  u.mutable_update_mask()->add_paths("policy_document");
  EXPECT_EQ(desk_->Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ConsultationsTest, OnlyOnDraftOrConsultationPlansThatExist) {
  EXPECT_EQ(desk_->Create(AuditActor::Internal(), On("plans/adopted")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(desk_->Create(AuditActor::Internal(), On("plans/missing")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  coordinator_.SetUnavailable(true);
  EXPECT_EQ(desk_->Create(AuditActor::Internal(), On("plans/draft")).status().code(),
            absl::StatusCode::kUnavailable);
  coordinator_.SetUnavailable(false);
  absl::StatusOr<v1::Consultation> c = desk_->Create(AuditActor::Internal(), On("plans/draft"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->open());
}

TEST_F(ConsultationsTest, CivilSocietyAndSurvivorLeadersSubmitWhileOpen) {
  ASSERT_TRUE(desk_->Create(AuditActor::Internal(), On("plans/draft")).ok());
  absl::StatusOr<v1::Submission> s = desk_->Submit(AuditActor::Internal(), From("ngo"),
                                                   Text("Add a measure on labour recruiters."));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->member(), "members/ngo");
  EXPECT_TRUE(
      desk_->Submit(AuditActor::Internal(), From("survivors"), Text("Peer support must be funded."))
          .ok());
  absl::Status gov = desk_->Submit(AuditActor::Internal(), From("police"), Text("x")).status();
  EXPECT_EQ(gov.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(desk_->Submit(AuditActor::Internal(), From("stranger"), Text("x")).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Closing early: the secretariat moves the close date.
  v1::UpdateConsultationRequest u;
  u.mutable_consultation()->set_name("consultations/c1");
  *u.mutable_consultation()->mutable_close_date() = ToDate(absl::CivilDay(2025, 3, 9));
  u.mutable_update_mask()->add_paths("close_date");
  absl::StatusOr<v1::Consultation> closed = desk_->Update(AuditActor::Internal(), u);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_FALSE(closed->open());
  *u.mutable_consultation()->mutable_close_date() = ToDate(absl::CivilDay(2025, 3, 31));
  ASSERT_TRUE(desk_->Update(AuditActor::Internal(), u).ok());
  u.mutable_update_mask()->add_paths("plan");
  EXPECT_EQ(desk_->Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kInvalidArgument);
  clock_.Set(absl::FromCivil(absl::CivilDay(2025, 4, 1), absl::UTCTimeZone()));
  absl::Status late = desk_->Submit(AuditActor::Internal(), From("ngo"), Text("late")).status();
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(late.message(), HasSubstr("2025-03-31"));
  EXPECT_FALSE(desk_->Get("consultations/c1")->open());
  v1::ListSubmissionsRequest lr;
  lr.set_parent("consultations/c1");
  EXPECT_EQ(desk_->ListSubmissions(Viewer::Internal(), lr)->submissions_size(), 2);
}

TEST_F(ConsultationsTest, ASubmissionMayNameItsId) {
  ASSERT_TRUE(desk_->Create(AuditActor::Internal(), On("plans/draft")).ok());
  v1::CreateSubmissionRequest r = Text("Shelters for men too.");
  r.set_submission_id("shelters-for-men");
  absl::StatusOr<v1::Submission> s = desk_->Submit(AuditActor::Internal(), From("ngo"), r);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->name(), "consultations/c1/submissions/shelters-for-men");
  EXPECT_EQ(desk_->Submit(AuditActor::Internal(), From("ngo"), r).status().code(),
            absl::StatusCode::kAlreadyExists);
  r.set_submission_id("Not an id!");
  EXPECT_THAT(
      testing::ViolatedFields(desk_->Submit(AuditActor::Internal(), From("ngo"), r).status()),
      ElementsAre("submission_id"));
}

// The secretariat's answer publishes a submission: before it, the public finds nothing (not even
// that it exists); members, civil society and the coordinator's office read them all.
TEST_F(ConsultationsTest, ThePublicReadsAnsweredSubmissionsOnly) {
  ASSERT_TRUE(desk_->Create(AuditActor::Internal(), On("plans/draft")).ok());
  v1::Submission first = *desk_->Submit(AuditActor::Internal(), From("ngo"), Text("first"));
  v1::Submission second = *desk_->Submit(AuditActor::Internal(), From("survivors"), Text("second"));
  v1::Submission third = *desk_->Submit(AuditActor::Internal(), From("ngo"), Text("third"));
  v1::RespondToSubmissionRequest r;
  r.set_name(second.name());
  r.set_outcome(v1::RESPONSE_OUTCOME_ACCEPTED);
  ASSERT_TRUE(desk_->Respond(AuditActor::Internal(), r).ok());

  v1::ListSubmissionsRequest lr;
  lr.set_parent("consultations/c1");
  lr.set_page_size(1);  // the filter reads on past unanswered rows to fill the page
  absl::StatusOr<v1::ListSubmissionsResponse> page = desk_->ListSubmissions(Viewer::Public(), lr);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->submissions_size(), 1);
  EXPECT_EQ(page->submissions(0).name(), second.name());
  EXPECT_EQ(page->submissions(0).text(), "second");
  if (!page->next_page_token().empty()) {
    lr.set_page_token(page->next_page_token());
    EXPECT_EQ(desk_->ListSubmissions(Viewer::Public(), lr)->submissions_size(), 0);
  }
  absl::Status hidden = desk_->GetSubmission(Viewer::Public(), first.name()).status();
  EXPECT_EQ(hidden.code(), absl::StatusCode::kNotFound);
  // Worded as for a submission that does not exist.
  EXPECT_EQ(hidden.message(), "submission " + first.name() + " does not exist");
  EXPECT_EQ(desk_->GetSubmission(Viewer::Public(), "consultations/c1/submissions/nope")
                .status()
                .message(),
            "submission consultations/c1/submissions/nope does not exist");
  EXPECT_TRUE(desk_->GetSubmission(Viewer::Public(), second.name()).ok());

  for (const char* role : {roles::kCommissionMember, roles::kCivilSociety,
                           roles::kCommissionSecretariat, roles::kCoordinatorOffice}) {
    Principal p;
    p.authenticated = true;
    p.roles = {role};
    const Viewer viewer(p);
    lr.clear_page_token();
    lr.set_page_size(10);
    EXPECT_EQ(desk_->ListSubmissions(viewer, lr)->submissions_size(), 3) << role;
    EXPECT_TRUE(desk_->GetSubmission(viewer, third.name()).ok()) << role;
  }
  Principal analyst;
  analyst.authenticated = true;
  analyst.roles = {roles::kRapporteurAnalyst};
  EXPECT_EQ(desk_->ListSubmissions(Viewer(analyst), lr)->submissions_size(), 1);
}

TEST_F(ConsultationsTest, EveryAnswerButAcceptanceNeedsAReasonAndFeedsParticipation) {
  ASSERT_TRUE(desk_->Create(AuditActor::Internal(), On("plans/draft")).ok());
  v1::Submission s1 = *desk_->Submit(AuditActor::Internal(), From("ngo"), Text("one"));
  v1::Submission s2 = *desk_->Submit(AuditActor::Internal(), From("survivors"), Text("two"));
  v1::RespondToSubmissionRequest r;
  r.set_name(s2.name());
  r.set_outcome(v1::RESPONSE_OUTCOME_NOT_ACCEPTED);
  std::vector<std::string> fields =
      testing::ViolatedFields(desk_->Respond(AuditActor::Internal(), r).status());
  EXPECT_THAT(fields, ElementsAre("reason"));
  r.set_reason("Outside the plan's scope; referred to the Ministry of Labour.");
  ASSERT_TRUE(desk_->Respond(AuditActor::Internal(), r).ok());
  r.set_name(s1.name());
  r.set_outcome(v1::RESPONSE_OUTCOME_ACCEPTED);
  r.clear_reason();
  absl::StatusOr<v1::Submission> answered = desk_->Respond(AuditActor::Internal(), r);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->outcome(), v1::RESPONSE_OUTCOME_ACCEPTED);

  Meetings meetings(*db_, clock_, coordinator_);
  absl::StatusOr<v1::ParticipationAnalysis> p = meetings.AnalyzeParticipation("commission");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_DOUBLE_EQ(p->acceptance_rate(), 0.5);
}

}  // namespace
}  // namespace thb::commission
