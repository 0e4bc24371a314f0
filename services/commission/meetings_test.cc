#include "services/commission/meetings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/commission/commission_bodies.h"
#include "services/commission/testing/meetings_fixture.h"
#include "services/common/viewer.h"

namespace thb::commission {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

using MeetingsTest = MeetingsFixture;

TEST_F(MeetingsTest, AgendaMeasuresAreCheckedAtTheCoordinator) {
  v1::CreateMeetingRequest r;
  r.mutable_meeting()->set_title("Plenary");
  r.mutable_meeting()->mutable_start_time()->set_seconds(1'750'000'000);
  r.mutable_meeting()->add_agenda()->set_title("x");
  r.mutable_meeting()->mutable_agenda(0)->add_linked_measures("plans/nap/measures/ghost");
  EXPECT_EQ(meetings_->Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kFailedPrecondition);
  coordinator_.SetUnavailable(true);
  EXPECT_EQ(meetings_->Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_THAT(meetings_->List({})->meetings(), IsEmpty());
}

TEST_F(MeetingsTest, OutcomeComputesQuorumAndCreatesActionItemsOnce) {
  Schedule("p1", absl::CivilDay(2025, 2, 1));
  absl::StatusOr<v1::Meeting> held =
      meetings_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"police", "ngo"}));
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->state(), v1::Meeting::STATE_HELD);
  EXPECT_EQ(held->voting_present(), 2);
  EXPECT_EQ(held->voting_total(), 3);
  EXPECT_FALSE(held->quorum_met());  // the rule requires the chair
  ASSERT_EQ(held->decisions(0).action_items_size(), 1);
  const std::string item = held->decisions(0).action_items(0).name();
  absl::StatusOr<v1::ActionItem> stored = action_items_->Get(Viewer(secretariat_), item);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->status(), v1::ActionItem::STATUS_OPEN);
  EXPECT_EQ(stored->meeting(), "meetings/p1");
  absl::Status again =
      meetings_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair"})).status();
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.message(), HasSubstr("STATE_HELD"));
  EXPECT_EQ(action_items_->List(Viewer(secretariat_), {})->action_items_size(), 1);

  Schedule("p2", absl::CivilDay(2025, 3, 1));
  EXPECT_TRUE(meetings_->RecordOutcome(AuditActor::Internal(), Outcome("p2", {"chair", "police"}))
                  ->quorum_met());
}

TEST_F(MeetingsTest, BadAttendanceOrUnreachableCoordinatorWritesNothing) {
  Schedule("p1", absl::CivilDay(2025, 2, 1));
  v1::RecordMeetingOutcomeRequest r = Outcome("p1", {"chair"});
  r.add_attendance()->set_member("members/stranger");
  EXPECT_EQ(meetings_->RecordOutcome(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  coordinator_.SetUnavailable(true);
  EXPECT_EQ(
      meetings_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair"})).status().code(),
      absl::StatusCode::kUnavailable);
  EXPECT_EQ(meetings_->Get("meetings/p1")->state(), v1::Meeting::STATE_SCHEDULED);
  EXPECT_EQ(action_items_->List(Viewer(secretariat_), {})->action_items_size(), 0);
}

TEST_F(MeetingsTest, MinutesArePublicOnlyWhenMadePublic) {
  Schedule("p1", absl::CivilDay(2025, 2, 1));
  ASSERT_TRUE(
      meetings_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair", "police"})).ok());
  // The minutes' audience is declared in the contract and applied to every response.
  absl::StatusOr<v1::Meeting> seen = meetings_->Get("meetings/p1");
  ASSERT_TRUE(seen.ok());
  v1::Meeting for_secretariat = *seen;
  RedactForViewer(Viewer(secretariat_), &*seen);
  EXPECT_FALSE(for_secretariat.minutes().empty());
  RedactForViewer(Viewer::Public(), &*seen);
  EXPECT_THAT(seen->minutes(), IsEmpty());
  EXPECT_THAT(seen->decisions(), IsEmpty());
  EXPECT_EQ(seen->state(), v1::Meeting::STATE_HELD);  // that it was held is public
}

TEST_F(MeetingsTest, CancelOnlyScheduled) {
  Schedule("p1", absl::CivilDay(2025, 2, 1));
  v1::CancelMeetingRequest c;
  c.set_name("meetings/p1");
  c.set_reason("no quorum expected");
  EXPECT_EQ(meetings_->Cancel(AuditActor::Internal(), c)->state(), v1::Meeting::STATE_CANCELLED);
  EXPECT_EQ(meetings_->Cancel(AuditActor::Internal(), c).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(MeetingsTest, CadenceAndParticipationFromHeldPlenaries) {
  Schedule("p1", absl::CivilDay(2025, 1, 10));
  Schedule("p2", absl::CivilDay(2025, 6, 1));
  ASSERT_TRUE(
      meetings_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair", "ngo"})).ok());
  ASSERT_TRUE(
      meetings_->RecordOutcome(AuditActor::Internal(), Outcome("p2", {"chair", "police"})).ok());
  clock_.Set(absl::FromCivil(absl::CivilDay(2025, 9, 15), absl::UTCTimeZone()));
  absl::StatusOr<v1::CadenceAnalysis> c = meetings_->AnalyzeCadence("commission");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->plenaries_held(), 2);
  EXPECT_EQ(c->gaps(0).days(), 142);
  EXPECT_TRUE(c->gaps(0).exceeds_cadence());
  EXPECT_EQ(c->next_meeting_due().month(), 8);  // June 1 + 90 days = Aug 30
  EXPECT_TRUE(c->overdue());
  absl::StatusOr<v1::ParticipationAnalysis> p = meetings_->AnalyzeParticipation("commission");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->civil_society_seated());
  EXPECT_FALSE(p->survivor_leaders_seated());
  for (const auto& seat : p->by_seat()) {
    if (seat.seat() == v1::SEAT_CIVIL_SOCIETY) {
      EXPECT_DOUBLE_EQ(seat.attendance_rate(), 0.5);
    }
  }
}

TEST_F(MeetingsTest, BodyMeetingsCountTheBodysMembers) {
  CommissionBodies bodies(*db_, clock_, coordinator_);
  v1::CreateBodyRequest b;
  b.set_body_id("nrm");
  b.mutable_body()->set_kind(v1::Body::KIND_REFERRAL_MECHANISM);
  b.mutable_body()->set_display_name("National Referral Mechanism");
  b.mutable_body()->set_lead_institution("institutions/police");
  b.mutable_body()->add_member_institutions("institutions/ngo");
  ASSERT_TRUE(bodies.Create(AuditActor::Internal(), b).ok());
  v1::CreateMeetingRequest r;
  r.set_meeting_id("nrm-1");
  r.mutable_meeting()->set_title("NRM case conference");
  r.mutable_meeting()->set_body("bodies/nrm");
  r.mutable_meeting()->mutable_start_time()->set_seconds(1'740'000'000);
  ASSERT_TRUE(meetings_->Create(AuditActor::Internal(), r).ok());
  r.set_meeting_id("ghost");
  r.mutable_meeting()->set_body("bodies/ghost");
  EXPECT_EQ(meetings_->Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::RecordMeetingOutcomeRequest o;
  o.set_name("meetings/nrm-1");
  for (const char* id : {"police", "ngo"}) {
    v1::Attendance* a = o.add_attendance();
    a->set_member(std::string("members/") + id);
    a->set_present(std::string(id) == "police");
  }
  v1::RecordMeetingOutcomeRequest with_chair = o;
  with_chair.add_attendance()->set_member("members/chair");  // not on the NRM
  EXPECT_EQ(meetings_->RecordOutcome(AuditActor::Internal(), with_chair).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::Meeting> held = meetings_->RecordOutcome(AuditActor::Internal(), o);
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->voting_total(), 2);
  EXPECT_EQ(held->voting_present(), 1);
  // Body meetings are not plenaries: the cadence does not count them.
  EXPECT_EQ(meetings_->AnalyzeCadence("commission")->plenaries_held(), 0);
}

TEST_F(MeetingsTest, OnlyScheduledMeetingsChange) {
  v1::Meeting m = Schedule("p1", absl::CivilDay(2025, 2, 1));
  v1::UpdateMeetingRequest u;
  u.mutable_meeting()->set_name(m.name());
  u.mutable_meeting()->set_location("Government House, room 2");
  u.mutable_update_mask()->add_paths("location");
  absl::StatusOr<v1::Meeting> moved = meetings_->Update(AuditActor::Internal(), u);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->location(), "Government House, room 2");
  EXPECT_EQ(moved->agenda_size(), 1);  // untouched
  ASSERT_TRUE(
      meetings_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair", "police"})).ok());
  EXPECT_EQ(meetings_->Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kFailedPrecondition);
  u.mutable_update_mask()->add_paths("minutes");
  EXPECT_EQ(meetings_->Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace thb::commission
