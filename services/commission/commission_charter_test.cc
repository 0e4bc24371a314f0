#include "services/commission/commission_charter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/commission/commission_schema.h"
#include "services/commission/member_roster.h"
#include "services/common/errors.h"
#include "services/common/testing/fake_coordinator_client.h"
#include "services/common/testing/test_support.h"

namespace thb::commission {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CharterTest : public ::testing::Test {
 protected:
  CharterTest() : clock_(absl::FromUnixSeconds(1'750'000'000)) {
    db_ = *OpenDatabase(dir_.File("m.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("commission", CommissionMigrations()).ok());
    coordinator_.Add("institutions/office-pm");
    coordinator_.Add("institutions/ngo");
    coordinator_.mandate().set_institution("institutions/office-pm");
    charter_ = std::make_unique<CommissionCharter>(*db_, clock_, coordinator_);
  }

  v1::UpdateCommissionRequest Describe(const std::string& chair) {
    v1::UpdateCommissionRequest r;
    r.mutable_commission()->set_name("commission");
    r.mutable_commission()->set_display_name("National Anti-Trafficking Commission");
    r.mutable_commission()->set_chair_institution(chair);
    r.mutable_commission()->set_meeting_cadence_days(90);
    r.mutable_commission()->mutable_quorum_rule()->set_kind(
        v1::QuorumRule::KIND_MAJORITY_OF_VOTING_MEMBERS);
    return r;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  testing::FakeCoordinatorClient coordinator_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<CommissionCharter> charter_;
};

TEST_F(CharterTest, ChairMustBeTheCoordinatorsInstitution) {
  absl::Status wrong =
      charter_->Update(AuditActor::Internal(), Describe("institutions/ngo")).status();
  EXPECT_EQ(wrong.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong.message(), HasSubstr("institutions/office-pm"));
  absl::StatusOr<v1::Commission> ok =
      charter_->Update(AuditActor::Internal(), Describe("institutions/office-pm"));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(charter_->Get("commission")->chair_institution(), "institutions/office-pm");
}

TEST_F(CharterTest, MandateWithoutInstitutionCannotBeMatched) {
  coordinator_.mandate().clear_institution();
  EXPECT_THAT(charter_->Update(AuditActor::Internal(), Describe("institutions/office-pm"))
                  .status()
                  .message(),
              HasSubstr("names no institution"));
}

TEST_F(CharterTest, CoordinatorDownBlocksOnlyAChairChange) {
  ASSERT_TRUE(charter_->Update(AuditActor::Internal(), Describe("institutions/office-pm")).ok());
  coordinator_.SetUnavailable(true);
  v1::UpdateCommissionRequest cadence;
  cadence.mutable_commission()->set_name("commission");
  cadence.mutable_commission()->set_meeting_cadence_days(60);
  cadence.mutable_update_mask()->add_paths("meeting_cadence_days");
  EXPECT_TRUE(charter_->Update(AuditActor::Internal(), cadence)
                  .ok());  // the chair is unchanged: no coordinator needed
  EXPECT_EQ(charter_->Update(AuditActor::Internal(), Describe("institutions/ngo")).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(charter_->Get("commission")->chair_institution(), "institutions/office-pm");
  EXPECT_EQ(charter_->Get("commission")->meeting_cadence_days(), 60);
}

TEST_F(CharterTest, ValidationAndEtag) {
  v1::UpdateCommissionRequest r = Describe("institutions/office-pm");
  r.mutable_commission()->set_meeting_cadence_days(0);
  r.mutable_commission()->mutable_quorum_rule()->set_kind(
      v1::QuorumRule::KIND_FRACTION_OF_VOTING_MEMBERS);
  std::vector<std::string> fields =
      testing::ViolatedFields(charter_->Update(AuditActor::Internal(), r).status());
  EXPECT_THAT(fields,
              ElementsAre("commission.meeting_cadence_days", "commission.quorum_rule.fraction"));
  v1::Commission c = *charter_->Update(AuditActor::Internal(), Describe("institutions/office-pm"));
  v1::UpdateCommissionRequest stale = Describe("institutions/office-pm");
  stale.mutable_commission()->set_etag("\"v0\"");
  EXPECT_EQ(charter_->Update(AuditActor::Internal(), stale).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(charter_->Get("board").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CharterTest, MembersUpdateKeepsTheInstitutionAndDeleteIsIdempotent) {
  MemberRoster roster(*db_, clock_, coordinator_);
  v1::CreateMemberRequest cr;
  cr.mutable_member()->set_institution("institutions/ngo");
  cr.mutable_member()->set_seat(v1::SEAT_CIVIL_SOCIETY);
  cr.mutable_member()->set_role(v1::MEMBER_ROLE_MEMBER);
  v1::Member m = *roster.Create(AuditActor::Internal(), cr);
  v1::UpdateMemberRequest u;
  u.mutable_member()->set_name(m.name());
  u.mutable_member()->set_voting(true);
  u.mutable_member()->set_etag(m.etag());
  u.mutable_update_mask()->add_paths("voting");
  absl::StatusOr<v1::Member> updated = roster.Update(AuditActor::Internal(), u);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->voting());
  EXPECT_EQ(roster.Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kAborted);  // stale etag now
  u.mutable_update_mask()->add_paths("institution");
  EXPECT_EQ(roster.Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::DeleteMemberRequest d;
  d.set_name(m.name());
  d.set_request_id("end-seat");
  EXPECT_TRUE(roster.Delete(AuditActor::Internal(), d).ok());
  EXPECT_TRUE(roster.Delete(AuditActor::Internal(), d).ok());
  EXPECT_EQ(roster.Get(m.name()).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace thb::commission
