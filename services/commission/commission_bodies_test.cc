#include "services/commission/commission_bodies.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/commission/commission_schema.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/testing/fake_coordinator_client.h"
#include "services/common/testing/test_support.h"

namespace thb::commission {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class BodiesTest : public ::testing::Test {
 protected:
  BodiesTest() : clock_(absl::FromCivil(absl::CivilDay(2025, 6, 1), absl::UTCTimeZone())) {
    db_ = *OpenDatabase(dir_.File("m.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("commission", CommissionMigrations()).ok());
    for (const char* i : {"labour", "ngo", "business"})
      coordinator_.Add(std::string("institutions/") + i);
    coordinator_.Add("institutions/closed", false);
    bodies_ = std::make_unique<CommissionBodies>(*db_, clock_, coordinator_);
  }
  v1::CreateBodyRequest Group(const std::string& id) {
    v1::CreateBodyRequest r;
    r.set_body_id(id);
    r.mutable_body()->set_kind(v1::Body::KIND_WORKING_GROUP);
    r.mutable_body()->set_display_name("Working group on supply chains");
    r.mutable_body()->set_theme("Forced labour in supply chains");
    r.mutable_body()->set_lead_institution("institutions/labour");
    r.mutable_body()->add_member_institutions("institutions/ngo");
    r.mutable_body()->add_member_institutions("institutions/business");
    return r;
  }
  testing::TempDir dir_;
  FakeClock clock_;
  testing::FakeCoordinatorClient coordinator_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<CommissionBodies> bodies_;
};

TEST_F(BodiesTest, WorkingGroupWithCheckedInstitutions) {
  absl::StatusOr<v1::Body> wg = bodies_->Create(AuditActor::Internal(), Group("supply-chains"));
  ASSERT_TRUE(wg.ok()) << wg.status();
  EXPECT_TRUE(wg->active());
  v1::CreateBodyRequest bad = Group("other");
  bad.mutable_body()->add_member_institutions("institutions/closed");
  EXPECT_EQ(bodies_->Create(AuditActor::Internal(), bad).status().code(),
            absl::StatusCode::kFailedPrecondition);
  coordinator_.SetUnavailable(true);
  EXPECT_EQ(bodies_->Create(AuditActor::Internal(), Group("third")).status().code(),
            absl::StatusCode::kUnavailable);
  coordinator_.SetUnavailable(false);
  EXPECT_EQ(bodies_->List({})->bodies_size(), 1);
}

TEST_F(BodiesTest, KindSpecificRulesAndOneReferralMechanism) {
  v1::CreateBodyRequest local;
  local.mutable_body()->set_kind(v1::Body::KIND_LOCAL_COMMISSION);
  local.mutable_body()->set_display_name("North Province commission");
  std::vector<std::string> fields =
      testing::ViolatedFields(bodies_->Create(AuditActor::Internal(), local).status());
  EXPECT_THAT(fields, ElementsAre("body.region"));
  local.mutable_body()->set_region("XV-01");
  EXPECT_TRUE(bodies_->Create(AuditActor::Internal(), local).ok());
  v1::CreateBodyRequest nrm;
  nrm.mutable_body()->set_kind(v1::Body::KIND_REFERRAL_MECHANISM);
  nrm.mutable_body()->set_display_name("National Referral Mechanism");
  ASSERT_TRUE(bodies_->Create(AuditActor::Internal(), nrm).ok());
  EXPECT_EQ(bodies_->Create(AuditActor::Internal(), nrm).status().code(),
            absl::StatusCode::kAlreadyExists);
  v1::ListBodiesRequest only_local;
  only_local.set_kind(v1::Body::KIND_LOCAL_COMMISSION);
  EXPECT_EQ(bodies_->List(only_local)->bodies_size(), 1);
}

TEST_F(BodiesTest, UpdateAndStatusReportsNewestFirst) {
  v1::Body wg = *bodies_->Create(AuditActor::Internal(), Group("supply-chains"));
  v1::UpdateBodyRequest u;
  u.mutable_body()->set_name(wg.name());
  u.mutable_body()->add_member_institutions("institutions/ngo");
  u.mutable_update_mask()->add_paths("member_institutions");
  absl::StatusOr<v1::Body> updated = bodies_->Update(AuditActor::Internal(), u);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_THAT(updated->member_institutions(), ElementsAre("institutions/ngo"));
  u.mutable_update_mask()->add_paths("kind");
  EXPECT_EQ(bodies_->Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kInvalidArgument);

  Principal lead;
  lead.subject = "wg-chair";
  lead.roles = {roles::kCommissionMember};
  lead.institution = "institutions/labour";
  for (int q = 1; q <= 3; ++q) {
    v1::CreateStatusReportRequest r;
    r.set_parent(wg.name());
    *r.mutable_status_report()->mutable_period_start() = ToDate(absl::CivilDay(2025, 3 * q - 2, 1));
    *r.mutable_status_report()->mutable_period_end() = ToDate(absl::CivilDay(2025, 3 * q, 28));
    r.mutable_status_report()->set_summary("Quarter " + std::to_string(q));
    ASSERT_TRUE(bodies_->Report(AuditActor::Internal(), lead, r).ok());
    clock_.Advance(absl::Hours(24 * 90));
  }
  v1::ListStatusReportsRequest lr;
  lr.set_parent(wg.name());
  lr.set_page_size(2);
  absl::StatusOr<v1::ListStatusReportsResponse> page = bodies_->ListReports(lr);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->status_reports_size(), 2);
  EXPECT_EQ(page->status_reports(0).summary(), "Quarter 3");
  EXPECT_EQ(page->status_reports(0).submitted_by(), "wg-chair");
  lr.set_page_token(page->next_page_token());
  EXPECT_EQ(bodies_->ListReports(lr)->status_reports(0).summary(), "Quarter 1");
}

// A member reports for a body its institution leads or sits on, never for another's; the
// secretariat for any body.
TEST_F(BodiesTest, StatusReportsComeFromTheBodysInstitutionsOrTheSecretariat) {
  v1::Body wg = *bodies_->Create(AuditActor::Internal(), Group("supply-chains"));
  v1::CreateStatusReportRequest r;
  r.set_parent(wg.name());
  *r.mutable_status_report()->mutable_period_start() = ToDate(absl::CivilDay(2025, 1, 1));
  *r.mutable_status_report()->mutable_period_end() = ToDate(absl::CivilDay(2025, 3, 31));
  r.mutable_status_report()->set_summary("Quarter 1");
  Principal outsider;
  outsider.subject = "university";
  outsider.roles = {roles::kCommissionMember};
  outsider.institution = "institutions/university";
  absl::Status refused = bodies_->Report(AuditActor::Internal(), outsider, r).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.message(), HasSubstr("institutions/university is neither"));
  outsider.institution.clear();
  EXPECT_EQ(bodies_->Report(AuditActor::Internal(), outsider, r).status().code(),
            absl::StatusCode::kPermissionDenied);
  Principal member;
  member.roles = {roles::kCommissionMember};
  member.institution = "institutions/business";  // sits on the group
  EXPECT_TRUE(bodies_->Report(AuditActor::Internal(), member, r).ok());
  Principal secretariat;
  secretariat.roles = {roles::kCommissionSecretariat};
  EXPECT_TRUE(bodies_->Report(AuditActor::Internal(), secretariat, r).ok());
  v1::ListStatusReportsRequest lr;
  lr.set_parent(wg.name());
  EXPECT_EQ(bodies_->ListReports(lr)->status_reports_size(), 2);  // the refused ones wrote nothing
}

}  // namespace
}  // namespace thb::commission
