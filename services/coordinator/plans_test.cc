// ActionPlans' plans, their lifecycle and revisions (plans.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/resources.h"
#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace t = thb::type::v1;

using PlansTest = ActionPlansTest;

TEST_F(PlansTest, PlanValidationListsEveryProblem) {
  v1::CreatePlanRequest r;
  r.mutable_plan()->set_currency_code("euro");
  *r.mutable_plan()->mutable_period_start() = ToDate(absl::CivilDay(2025, 1, 1));
  *r.mutable_plan()->mutable_period_end() = ToDate(absl::CivilDay(2024, 1, 1));
  EXPECT_THAT(
      testing::ViolatedFields(plans_->CreatePlan(AuditActor::Internal(), office_, r).status()),
      ElementsAre("plan.title", "plan.period_end", "plan.currency_code"));
}

TEST_F(PlansTest, AdoptingNeedsMeasuresAndIllegalTransitionsNameTheState) {
  MakePlan();
  absl::Status empty = plans_
                           ->Transition(AuditActor::Internal(), "AdoptPlan", "plans/nap", "", "",
                                        PlanTransition::kAdopt, {})
                           .status();
  EXPECT_EQ(empty.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(empty.message(), HasSubstr("no measures"));
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
  ASSERT_TRUE(plans_
                  ->Transition(AuditActor::Internal(), "SubmitPlanForConsultation", "plans/nap", "",
                               "", PlanTransition::kSubmitForConsultation, {})
                  .ok());
  v1::ActionPlan adopted = Adopt();
  EXPECT_EQ(adopted.state(), v1::ActionPlan::STATE_ADOPTED);
  EXPECT_EQ(adopted.adopted_on().year(), 2025);
  EXPECT_EQ(adopted.adopted_on().month(), 3);
  absl::Status again = plans_
                           ->Transition(AuditActor::Internal(), "AdoptPlan", "plans/nap", "", "",
                                        PlanTransition::kAdopt, {})
                           .status();
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.message(), HasSubstr("is ADOPTED"));
  // A stale etag is refused before the state is looked at.
  EXPECT_EQ(plans_
                ->Transition(AuditActor::Internal(), "ClosePlan", "plans/nap", "\"v1\"", "",
                             PlanTransition::kClose, {})
                .status()
                .code(),
            absl::StatusCode::kAborted);
}

TEST_F(PlansTest, AdoptedStructureChangesOnlyThroughRecordedRevisions) {
  MakePlanWithOneMeasure();
  Adopt();
  // A new objective without a reason is refused; with one it is recorded.
  v1::CreateObjectiveRequest r;
  r.set_parent("plans/nap");
  r.mutable_objective()->set_title("Prosecute");
  r.mutable_objective()->set_pillar(t::PILLAR_PROSECUTION);
  EXPECT_THAT(
      testing::ViolatedFields(plans_->CreateObjective(AuditActor::Internal(), office_, r).status()),
      ElementsAre("revision_reason"));
  MakeObjective("prosecute", t::PILLAR_PROSECUTION, "mid-term review");

  // Changing the lead is structural; changing the status is not.
  v1::UpdateMeasureRequest u;
  u.mutable_measure()->set_name("plans/nap/measures/shelter");
  u.mutable_measure()->set_lead_institution("institutions/labour");
  u.mutable_update_mask()->add_paths("lead_institution");
  EXPECT_THAT(
      testing::ViolatedFields(plans_->UpdateMeasure(AuditActor::Internal(), office_, u).status()),
      ElementsAre("revision_reason"));
  u.set_revision_reason("police unit reorganised");
  ASSERT_TRUE(plans_->UpdateMeasure(AuditActor::Internal(), office_, u).ok());
  v1::UpdateMeasureRequest status;
  status.mutable_measure()->set_name("plans/nap/measures/shelter");
  status.mutable_measure()->set_status(v1::MEASURE_STATUS_DELAYED);
  status.mutable_update_mask()->add_paths("status");
  ASSERT_TRUE(plans_->UpdateMeasure(AuditActor::Internal(), office_, status).ok());

  v1::ListPlanRevisionsRequest lr;
  lr.set_parent("plans/nap");
  absl::StatusOr<v1::ListPlanRevisionsResponse> revs =
      plans_->ListRevisions(PlanAudience::For(office_), lr);
  ASSERT_TRUE(revs.ok()) << revs.status();
  ASSERT_EQ(revs->revisions_size(), 2);
  EXPECT_EQ(revs->revisions(0).reason(), "mid-term review");
  EXPECT_EQ(revs->revisions(1).method(), "UpdateMeasure");
  EXPECT_EQ(revs->revisions(1).actor(), "office");
  EXPECT_EQ(plans_->GetPlan(PlanAudience::For(office_), "plans/nap")->revision(), 2);

  ASSERT_TRUE(plans_
                  ->Transition(AuditActor::Internal(), "ClosePlan", "plans/nap", "", "",
                               PlanTransition::kClose, {})
                  .ok());
  u.mutable_measure()->set_lead_institution("institutions/police");
  EXPECT_EQ(plans_->UpdateMeasure(AuditActor::Internal(), office_, u).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(PlansTest, OnlyDraftPlansAreDeletedWithEverythingUnderThem) {
  MakePlanWithOneMeasure();
  v1::DeletePlanRequest d;
  d.set_name("plans/nap");
  ASSERT_TRUE(plans_->DeletePlan(AuditActor::Internal(), office_, d).ok());
  EXPECT_EQ(plans_->GetPlan(PlanAudience::Everything(), "plans/nap").status().code(),
            absl::StatusCode::kNotFound);
  v1::DeleteInstitutionRequest del;
  del.set_name("institutions/ngo");
  EXPECT_TRUE(registry_->Delete(AuditActor::Internal(), del).ok());  // no longer referenced
}

TEST_F(PlansTest, ListsShowWhatTheAudienceMaySeeInPagesAndRevisionsInOrder) {
  MakePlan("archive");
  MakePlanWithOneMeasure();
  Adopt();
  v1::ListPlansRequest lr;
  absl::StatusOr<v1::ListPlansResponse> seen =
      plans_->ListPlans(PlanAudience::For(Principal::Anonymous()), lr);
  ASSERT_TRUE(seen.ok()) << seen.status();
  ASSERT_EQ(seen->plans_size(), 1);
  EXPECT_EQ(seen->plans(0).name(), "plans/nap");
  lr.set_page_size(1);
  std::vector<std::string> names;
  do {
    absl::StatusOr<v1::ListPlansResponse> page = plans_->ListPlans(PlanAudience::For(office_), lr);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& p : page->plans()) names.push_back(p.name());
    lr.set_page_token(page->next_page_token());
  } while (!lr.page_token().empty());
  EXPECT_THAT(names, ElementsAre("plans/archive", "plans/nap"));
  lr.set_page_size(0);
  lr.set_state(v1::ActionPlan::STATE_DRAFT);
  seen = plans_->ListPlans(PlanAudience::For(office_), lr);
  ASSERT_EQ(seen->plans_size(), 1);
  EXPECT_EQ(seen->plans(0).name(), "plans/archive");

  for (const std::string id : {"prosecute", "partner", "prevent"}) {
    MakeObjective(id, t::PILLAR_PROSECUTION, "review " + id);
  }
  v1::ListPlanRevisionsRequest rr;
  rr.set_parent("plans/nap");
  rr.set_page_size(2);
  std::vector<int> numbers;
  do {
    absl::StatusOr<v1::ListPlanRevisionsResponse> page =
        plans_->ListRevisions(PlanAudience::Everything(), rr);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& rev : page->revisions()) numbers.push_back(rev.number());
    rr.set_page_token(page->next_page_token());
  } while (!rr.page_token().empty());
  EXPECT_THAT(numbers, ElementsAre(1, 2, 3));
  rr.set_page_token(PageRequest{0, "", RequestBinding(rr)}.Token("not-a-number"));
  EXPECT_THAT(
      testing::ViolatedFields(plans_->ListRevisions(PlanAudience::Everything(), rr).status()),
      ElementsAre("page_token"));
}

}  // namespace
}  // namespace thb::coordinator
