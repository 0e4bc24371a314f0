#include "services/commission/action_items.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "services/commission/commission_gauges.h"
#include "services/commission/testing/meetings_fixture.h"
#include "services/common/calendar.h"
#include "services/common/viewer.h"

namespace thb::commission {
namespace {

using ActionItemsTest = MeetingsFixture;

// Action items a meeting decided are as visible as its decisions: the Rapporteur's service
// (allowed to read action items) must not learn a non-public decision through them, by get,
// list or filter; once a meeting's minutes are public, its items are visible to it too.
TEST_F(ActionItemsTest, ActionItemsOfNonPublicDecisionsAreHiddenOutsideTheirAudience) {
  Schedule("closed", absl::CivilDay(2025, 2, 1));
  const std::string hidden =
      meetings_->RecordOutcome(AuditActor::Internal(), Outcome("closed", {"chair", "police"}))
          ->decisions(0)
          .action_items(0)
          .name();
  Schedule("open", absl::CivilDay(2025, 3, 1));
  v1::RecordMeetingOutcomeRequest published = Outcome("open", {"chair", "police"});
  published.set_minutes_public(true);
  const std::string visible = meetings_->RecordOutcome(AuditActor::Internal(), published)
                                  ->decisions(0)
                                  .action_items(0)
                                  .name();

  Principal rapporteur_service;
  rapporteur_service.authenticated = true;
  rapporteur_service.roles = {roles::kServiceRapporteur};
  const Viewer outsider(rapporteur_service);
  EXPECT_EQ(action_items_->Get(outsider, hidden).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(action_items_->Get(outsider, visible).ok());
  for (const std::string filter :
       {"", "meeting = \"meetings/closed\"", "assignee_institution = \"institutions/police\"",
        "status = OPEN", "overdue = true"}) {
    v1::ListActionItemsRequest r;
    r.set_filter(filter);
    absl::StatusOr<v1::ListActionItemsResponse> seen = action_items_->List(outsider, r);
    ASSERT_TRUE(seen.ok()) << filter << ": " << seen.status();
    for (const v1::ActionItem& item : seen->action_items())
      EXPECT_NE(item.name(), hidden) << filter;
  }
  EXPECT_EQ(action_items_->List(outsider, {})->action_items_size(), 1);
  // The Commission and the office see both.
  for (const char* role :
       {roles::kCommissionSecretariat, roles::kCommissionMember, roles::kCoordinatorOffice}) {
    Principal insider;
    insider.authenticated = true;
    insider.roles = {role};
    EXPECT_TRUE(action_items_->Get(Viewer(insider), hidden).ok()) << role;
    EXPECT_EQ(action_items_->List(Viewer(insider), {})->action_items_size(), 2) << role;
  }
}

TEST_F(ActionItemsTest, ActionItemsCreateUpdateAndFilter) {
  clock_.Set(absl::FromCivil(absl::CivilDay(2025, 6, 1), absl::UTCTimeZone()));
  v1::CreateActionItemRequest r;
  r.set_action_item_id("follow-up");
  r.mutable_action_item()->set_description("Draft the guardianship amendment");
  r.mutable_action_item()->set_assignee_institution("institutions/ngo");
  *r.mutable_action_item()->mutable_due_date() = ToDate(absl::CivilDay(2025, 5, 1));
  ASSERT_TRUE(action_items_->Create(AuditActor::Internal(), r).ok());
  r.set_action_item_id("later");
  *r.mutable_action_item()->mutable_due_date() = ToDate(absl::CivilDay(2025, 12, 1));
  ASSERT_TRUE(action_items_->Create(AuditActor::Internal(), r).ok());
  r.set_action_item_id("bad");
  r.mutable_action_item()->set_linked_measure("plans/nap/measures/ghost");
  EXPECT_EQ(action_items_->Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::ListActionItemsRequest lr;
  lr.set_filter("overdue = true AND status = OPEN");
  absl::StatusOr<v1::ListActionItemsResponse> overdue =
      action_items_->List(Viewer(secretariat_), lr);
  ASSERT_TRUE(overdue.ok()) << overdue.status();
  ASSERT_EQ(overdue->action_items_size(), 1);
  EXPECT_EQ(overdue->action_items(0).name(), "actionItems/follow-up");

  v1::UpdateActionItemRequest u;
  u.mutable_action_item()->set_name("actionItems/follow-up");
  u.mutable_action_item()->set_status(v1::ActionItem::STATUS_DONE);
  u.mutable_update_mask()->add_paths("status");
  ASSERT_TRUE(action_items_->Update(AuditActor::Internal(), u).ok());
  EXPECT_EQ(action_items_->List(Viewer(secretariat_), lr)->action_items_size(), 0);
  CommissionGauges gauges(*db_, clock_);
  std::map<std::string, double> values = testing::GaugeValues(gauges);
  EXPECT_EQ(values["thb_commission_action_items_open"], 1);
  EXPECT_EQ(values["thb_commission_action_items_overdue"], 0);
  EXPECT_EQ(values["thb_commission_members{SEAT_GOVERNMENT}"], 2);
  EXPECT_EQ(values["thb_commission_members{SEAT_CIVIL_SOCIETY}"], 1);
  EXPECT_EQ(values["thb_commission_members{SEAT_SURVIVOR_LEADER}"], 0);
  lr.set_filter("colour = red");
  EXPECT_EQ(action_items_->List(Viewer(secretariat_), lr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace thb::commission
