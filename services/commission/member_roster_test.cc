#include "services/commission/member_roster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/commission/commission_schema.h"
#include "services/common/errors.h"
#include "services/common/testing/fake_coordinator_client.h"
#include "services/common/testing/test_support.h"
#include "services/common/viewer.h"

namespace thb::commission {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class RosterTest : public ::testing::Test {
 protected:
  RosterTest() : clock_(absl::FromUnixSeconds(1'750'000'000)) {
    db_ = *OpenDatabase(dir_.File("m.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("commission", CommissionMigrations()).ok());
    directory_.Add("institutions/ministry");
    directory_.Add("institutions/survivors");
    directory_.Add("institutions/closed", /*active=*/false);
    roster_ = std::make_unique<MemberRoster>(*db_, clock_, directory_);
  }

  v1::CreateMemberRequest Seat(const std::string& institution) {
    v1::CreateMemberRequest r;
    r.mutable_member()->set_institution(institution);
    r.mutable_member()->set_seat(v1::SEAT_GOVERNMENT);
    r.mutable_member()->set_role(v1::MEMBER_ROLE_MEMBER);
    r.mutable_member()->set_voting(true);
    return r;
  }
  int Members() { return roster_->List({})->members_size(); }

  testing::TempDir dir_;
  FakeClock clock_;
  testing::FakeCoordinatorClient directory_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<MemberRoster> roster_;
};

TEST_F(RosterTest, SeatsARegisteredInstitution) {
  absl::StatusOr<v1::Member> m =
      roster_->Create(AuditActor::Internal(), Seat("institutions/ministry"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_THAT(m->name(), HasSubstr("members/"));
  EXPECT_EQ(roster_->Get(m->name())->institution(), "institutions/ministry");
}

TEST_F(RosterTest, UnregisteredOrArchivedInstitutionIsFailedPrecondition) {
  absl::Status s = roster_->Create(AuditActor::Internal(), Seat("institutions/unknown")).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("not registered at the coordinator"));
  s = roster_->Create(AuditActor::Internal(), Seat("institutions/closed")).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("archived"));
  EXPECT_EQ(Members(), 0);
}

TEST_F(RosterTest, CoordinatorDownIsUnavailableAndWritesNothing) {
  directory_.SetUnavailable(true);
  EXPECT_EQ(roster_->Create(AuditActor::Internal(), Seat("institutions/ministry")).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(Members(), 0);
}

TEST_F(RosterTest, RetryAfterSuccessNeedsNoCoordinator) {
  v1::CreateMemberRequest r = Seat("institutions/ministry");
  r.set_request_id("once");
  absl::StatusOr<v1::Member> first = roster_->Create(AuditActor::Internal(), r);
  ASSERT_TRUE(first.ok());
  directory_.SetUnavailable(true);
  absl::StatusOr<v1::Member> again = roster_->Create(AuditActor::Internal(), r);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), first->name());
  EXPECT_EQ(Members(), 1);
}

TEST_F(RosterTest, OneSeatPerInstitution) {
  ASSERT_TRUE(roster_->Create(AuditActor::Internal(), Seat("institutions/ministry")).ok());
  EXPECT_EQ(roster_->Create(AuditActor::Internal(), Seat("institutions/ministry")).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(RosterTest, ValidationNamesTheFieldsAndSkipsTheCoordinator) {
  v1::CreateMemberRequest r;
  r.mutable_member()->set_institution("ministry");
  r.mutable_member()->set_pseudonymous(true);
  r.mutable_member()->set_seat(v1::SEAT_GOVERNMENT);
  r.mutable_member()->mutable_term_start()->set_year(2025);
  r.mutable_member()->mutable_term_start()->set_month(2);
  r.mutable_member()->mutable_term_start()->set_day(30);
  std::vector<std::string> fields =
      testing::ViolatedFields(roster_->Create(AuditActor::Internal(), r).status());
  EXPECT_THAT(fields, ElementsAre("member.institution", "member.role", "member.pseudonymous",
                                  "member.representative", "member.term_start"));
  EXPECT_EQ(directory_.calls(), 0);
}

TEST_F(RosterTest, PseudonymousSurvivorLeaderIdentityOnlyForSecretariat) {
  v1::CreateMemberRequest r = Seat("institutions/survivors");
  r.mutable_member()->set_seat(v1::SEAT_SURVIVOR_LEADER);
  r.mutable_member()->set_representative("Maya");
  r.mutable_member()->set_pseudonymous(true);
  r.mutable_member()->set_legal_name("Real Name");
  v1::Member m = *roster_->Create(AuditActor::Internal(), r);

  Principal secretariat;
  secretariat.authenticated = true;
  secretariat.roles = {roles::kCommissionSecretariat};
  v1::Member for_secretariat = m;
  RedactForViewer(Viewer(secretariat), &for_secretariat);
  EXPECT_EQ(for_secretariat.legal_name(), "Real Name");

  Principal member;
  member.authenticated = true;
  member.roles = {roles::kCommissionMember};
  for (const Principal& viewer : {Principal::Anonymous(), member}) {
    v1::Member seen = m;
    RedactForViewer(Viewer(viewer), &seen);
    EXPECT_THAT(seen.legal_name(), IsEmpty());
    EXPECT_EQ(seen.representative(), "Maya");
  }
}

}  // namespace
}  // namespace thb::commission
