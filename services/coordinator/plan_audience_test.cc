// Which plans an audience sees (plan_audience.cc), and which fields, as the contract declares.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/viewer.h"
#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

using ::testing::IsEmpty;
namespace t = thb::type::v1;

using PlanAudienceTest = ActionPlansTest;

TEST_F(PlanAudienceTest, DraftsAreHiddenFromThePublicAndInternalNotesFromOthers) {
  MakePlan();
  const PlanAudience public_audience = PlanAudience::For(Principal::Anonymous());
  EXPECT_EQ(plans_->GetPlan(public_audience, "plans/nap").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(plans_->ListPlans(public_audience, {})->plans_size(), 0);
  v1::ActionPlan for_office = *plans_->GetPlan(PlanAudience::For(office_), "plans/nap");
  RedactForViewer(Viewer(office_), &for_office);
  EXPECT_EQ(for_office.internal_notes(), "budget talks pending");
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
  Adopt();
  // Internal notes: their audience is declared in the contract and applied to every response.
  absl::StatusOr<v1::ActionPlan> seen = plans_->GetPlan(public_audience, "plans/nap");
  ASSERT_TRUE(seen.ok());
  RedactForViewer(Viewer::Public(), &*seen);
  EXPECT_THAT(seen->internal_notes(), IsEmpty());
  v1::Measure measure = *plans_->GetMeasure(public_audience, "plans/nap/measures/shelter");
  RedactForViewer(Viewer::Public(), &measure);
  EXPECT_THAT(measure.internal_notes(), IsEmpty());
}

}  // namespace
}  // namespace thb::coordinator
