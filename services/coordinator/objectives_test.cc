// ActionPlans' objectives (objectives.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace t = thb::type::v1;

using ObjectivesTest = ActionPlansTest;

TEST_F(ObjectivesTest, ObjectivesAreReadAndListedWhereThePlanIsVisible) {
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeObjective("prevent", t::PILLAR_PREVENTION);
  absl::StatusOr<v1::Objective> got =
      plans_->GetObjective(PlanAudience::Everything(), "plans/nap/objectives/protect");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->title(), "Objective protect");
  EXPECT_EQ(got->pillar(), t::PILLAR_PROTECTION);
  // A draft's objectives are as hidden as the draft.
  const PlanAudience public_audience = PlanAudience::For(Principal::Anonymous());
  absl::Status hidden =
      plans_->GetObjective(public_audience, "plans/nap/objectives/protect").status();
  EXPECT_EQ(hidden.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hidden.message(), "plan plans/nap does not exist");
  absl::Status missing =
      plans_->GetObjective(PlanAudience::Everything(), "plans/nap/objectives/missing").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "objective plans/nap/objectives/missing does not exist");

  v1::ListObjectivesRequest lr;
  lr.set_parent("plans/nap");
  lr.set_page_size(1);
  std::vector<std::string> names;
  do {
    absl::StatusOr<v1::ListObjectivesResponse> page =
        plans_->ListObjectives(PlanAudience::Everything(), lr);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_EQ(page->objectives_size(), 1);
    names.push_back(page->objectives(0).name());
    lr.set_page_token(page->next_page_token());
  } while (!lr.page_token().empty());
  EXPECT_THAT(names, ElementsAre("plans/nap/objectives/prevent", "plans/nap/objectives/protect"));
  EXPECT_EQ(plans_->ListObjectives(public_audience, lr).status().code(),
            absl::StatusCode::kNotFound);

  v1::CreateObjectiveRequest again;
  again.set_parent("plans/nap");
  again.set_objective_id("protect");
  again.mutable_objective()->set_title("Protect, again");
  again.mutable_objective()->set_pillar(t::PILLAR_PROTECTION);
  absl::Status taken = plans_->CreateObjective(AuditActor::Internal(), office_, again).status();
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(taken.message(), "objective plans/nap/objectives/protect already exists");
}

TEST_F(ObjectivesTest, PillarChangeOfAnAdoptedPlanIsARevisionATitleChangeIsNot) {
  MakePlan();
  v1::Objective created = MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
  Adopt();
  v1::UpdateObjectiveRequest u;
  u.mutable_objective()->set_name("plans/nap/objectives/protect");
  u.mutable_objective()->set_title("Protect and assist");
  u.mutable_objective()->set_etag(created.etag());
  u.mutable_update_mask()->add_paths("title");
  absl::StatusOr<v1::Objective> renamed =
      plans_->UpdateObjective(AuditActor::Internal(), office_, u);
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->title(), "Protect and assist");
  EXPECT_NE(renamed->etag(), created.etag());
  EXPECT_EQ(plans_->GetPlan(PlanAudience::Everything(), "plans/nap")->revision(), 0);
  // The etag the caller saw is now stale.
  EXPECT_EQ(plans_->UpdateObjective(AuditActor::Internal(), office_, u).status().code(),
            absl::StatusCode::kAborted);

  v1::UpdateObjectiveRequest pillar;
  pillar.mutable_objective()->set_name("plans/nap/objectives/protect");
  pillar.mutable_objective()->set_pillar(t::PILLAR_PARTNERSHIP);
  pillar.mutable_update_mask()->add_paths("pillar");
  EXPECT_THAT(testing::ViolatedFields(
                  plans_->UpdateObjective(AuditActor::Internal(), office_, pillar).status()),
              ElementsAre("revision_reason"));
  pillar.set_revision_reason("partnership pillar added");
  ASSERT_TRUE(plans_->UpdateObjective(AuditActor::Internal(), office_, pillar).ok());
  v1::ListPlanRevisionsRequest lr;
  lr.set_parent("plans/nap");
  absl::StatusOr<v1::ListPlanRevisionsResponse> revs =
      plans_->ListRevisions(PlanAudience::Everything(), lr);
  ASSERT_TRUE(revs.ok()) << revs.status();
  ASSERT_EQ(revs->revisions_size(), 1);
  EXPECT_EQ(revs->revisions(0).method(), "UpdateObjective");
  EXPECT_EQ(revs->revisions(0).resource(), "plans/nap/objectives/protect");
  EXPECT_EQ(revs->revisions(0).reason(), "partnership pillar added");
}

TEST_F(ObjectivesTest, AnObjectiveWithMeasuresIsNotDeleted) {
  MakePlanWithOneMeasure();
  v1::DeleteObjectiveRequest d;
  d.set_name("plans/nap/objectives/protect");
  absl::Status refused = plans_->DeleteObjective(AuditActor::Internal(), office_, d);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("still has measures (e.g. plans/nap/shelter)"));
  v1::DeleteMeasureRequest dm;
  dm.set_name("plans/nap/measures/shelter");
  ASSERT_TRUE(plans_->DeleteMeasure(AuditActor::Internal(), office_, dm).ok());
  d.set_request_id("delete-protect");
  ASSERT_TRUE(plans_->DeleteObjective(AuditActor::Internal(), office_, d).ok());
  EXPECT_TRUE(plans_->DeleteObjective(AuditActor::Internal(), office_, d).ok());  // a retry
  EXPECT_EQ(plans_->GetObjective(PlanAudience::Everything(), "plans/nap/objectives/protect")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  d.clear_request_id();
  EXPECT_EQ(plans_->DeleteObjective(AuditActor::Internal(), office_, d).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace thb::coordinator
