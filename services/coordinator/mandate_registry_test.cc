// The Co-ordinator's mandate (mandate_registry.cc).
#include "services/coordinator/mandate_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;

using MandateRegistryTest = ActionPlansTest;

TEST_F(MandateRegistryTest, MandateUpdateChecksInstitutionAndEtag) {
  v1::UpdateMandateRequest mr;
  mr.mutable_mandate()->set_name("mandate");
  mr.mutable_mandate()->set_institution("institutions/ghost");
  mr.mutable_mandate()->set_government_level(v1::GOVERNMENT_LEVEL_STATE_SECRETARY);
  EXPECT_EQ(mandate_->Update(AuditActor::Internal(), mr).status().code(),
            absl::StatusCode::kFailedPrecondition);
  mr.mutable_mandate()->set_institution("institutions/labour");
  mr.mutable_mandate()->add_shared_with("National Rapporteur");
  EXPECT_THAT(testing::ViolatedFields(mandate_->Update(AuditActor::Internal(), mr).status()),
              ElementsAre("mandate.shared_with"));
  mr.mutable_mandate()->clear_shared_with();
  v1::Mandate m = *mandate_->Update(AuditActor::Internal(), mr);
  EXPECT_EQ(mandate_->Get("mandate")->government_level(), v1::GOVERNMENT_LEVEL_STATE_SECRETARY);
  mr.mutable_mandate()->set_etag("\"v0\"");
  EXPECT_EQ(mandate_->Update(AuditActor::Internal(), mr).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(mandate_->Get("other").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace thb::coordinator
