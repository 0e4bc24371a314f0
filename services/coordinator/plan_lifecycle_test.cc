#include "services/coordinator/plan_lifecycle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace thb::coordinator {
namespace {

using ::testing::HasSubstr;
using P = v1::ActionPlan;

struct Case {
  P::State from;
  PlanTransition transition;
  std::optional<P::State> to;  // nullopt: illegal
};

TEST(PlanLifecycle, EveryStateAndTransition) {
  const Case cases[] = {
      {P::STATE_DRAFT, PlanTransition::kSubmitForConsultation, P::STATE_IN_CONSULTATION},
      {P::STATE_DRAFT, PlanTransition::kAdopt, P::STATE_ADOPTED},
      {P::STATE_DRAFT, PlanTransition::kClose, std::nullopt},
      {P::STATE_IN_CONSULTATION, PlanTransition::kSubmitForConsultation, std::nullopt},
      {P::STATE_IN_CONSULTATION, PlanTransition::kAdopt, P::STATE_ADOPTED},
      {P::STATE_IN_CONSULTATION, PlanTransition::kClose, std::nullopt},
      {P::STATE_ADOPTED, PlanTransition::kSubmitForConsultation, std::nullopt},
      {P::STATE_ADOPTED, PlanTransition::kAdopt, std::nullopt},
      {P::STATE_ADOPTED, PlanTransition::kClose, P::STATE_CLOSED},
      {P::STATE_CLOSED, PlanTransition::kSubmitForConsultation, std::nullopt},
      {P::STATE_CLOSED, PlanTransition::kAdopt, std::nullopt},
      {P::STATE_CLOSED, PlanTransition::kClose, std::nullopt},
  };
  for (const Case& c : cases) {
    absl::StatusOr<P::State> next = NextPlanState("plans/nap", c.from, c.transition);
    if (c.to) {
      ASSERT_TRUE(next.ok()) << P::State_Name(c.from);
      EXPECT_EQ(*next, *c.to);
    } else {
      EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition)
          << P::State_Name(c.from);
      // The message names the current state.
      EXPECT_THAT(next.status().message(), HasSubstr(PlanStateName(c.from)));
    }
  }
}

TEST(PlanLifecycle, StructuralChangesByState) {
  EXPECT_TRUE(CheckStructuralChange("plans/p", P::STATE_DRAFT, "").ok());
  EXPECT_TRUE(CheckStructuralChange("plans/p", P::STATE_IN_CONSULTATION, "").ok());
  EXPECT_EQ(CheckStructuralChange("plans/p", P::STATE_ADOPTED, "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckStructuralChange("plans/p", P::STATE_ADOPTED, "mid-term review").ok());
  EXPECT_EQ(CheckStructuralChange("plans/p", P::STATE_CLOSED, "any").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PlanLifecycle, ProgressOnlyWhileAdopted) {
  EXPECT_TRUE(CheckProgressReporting("plans/p", P::STATE_ADOPTED).ok());
  for (auto s : {P::STATE_DRAFT, P::STATE_IN_CONSULTATION, P::STATE_CLOSED}) {
    EXPECT_EQ(CheckProgressReporting("plans/p", s).code(), absl::StatusCode::kFailedPrecondition);
  }
}

}  // namespace
}  // namespace thb::coordinator
