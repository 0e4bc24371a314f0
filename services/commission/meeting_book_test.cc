#include "services/commission/meeting_book.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/commission/commission_bodies.h"
#include "services/commission/commission_charter.h"
#include "services/commission/commission_gauges.h"
#include "services/commission/commission_schema.h"
#include "services/commission/member_roster.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/testing/fake_institution_directory.h"
#include "services/common/testing/test_support.h"
#include "services/common/viewer.h"

namespace thb::commission {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class MeetingBookTest : public ::testing::Test {
 protected:
  MeetingBookTest() : clock_(absl::FromCivil(absl::CivilDay(2025, 1, 5), absl::UTCTimeZone())) {
    db_ = *OpenDatabase(dir_.File("m.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("commission", CommissionMigrations()).ok());
    for (const char* i : {"office-pm", "police", "ngo"})
      coordinator_.Add(std::string("institutions/") + i);
    coordinator_.mandate().set_institution("institutions/office-pm");
    coordinator_.AddMeasure("plans/nap/measures/shelter");
    book_ = std::make_unique<MeetingBook>(*db_, clock_, coordinator_);
    MemberRoster roster(*db_, clock_, coordinator_);
    for (auto [inst, id, role] : {std::tuple{"office-pm", "chair", v1::MEMBER_ROLE_CHAIR},
                                  std::tuple{"police", "police", v1::MEMBER_ROLE_MEMBER},
                                  std::tuple{"ngo", "ngo", v1::MEMBER_ROLE_MEMBER}}) {
      v1::CreateMemberRequest r;
      r.set_member_id(id);
      r.mutable_member()->set_institution(std::string("institutions/") + inst);
      r.mutable_member()->set_seat(std::string(id) == "ngo" ? v1::SEAT_CIVIL_SOCIETY
                                                            : v1::SEAT_GOVERNMENT);
      r.mutable_member()->set_role(role);
      r.mutable_member()->set_voting(true);
      EXPECT_TRUE(roster.Create(AuditActor::Internal(), r).ok());
    }
    CommissionCharter charter(*db_, clock_, coordinator_);
    v1::UpdateCommissionRequest c;
    c.mutable_commission()->set_name("commission");
    c.mutable_commission()->set_chair_institution("institutions/office-pm");
    c.mutable_commission()->set_meeting_cadence_days(90);
    c.mutable_commission()->mutable_quorum_rule()->set_chair_required(true);
    EXPECT_TRUE(charter.Update(AuditActor::Internal(), c).ok());
    secretariat_.authenticated = true;
    secretariat_.roles = {roles::kCommissionSecretariat};
  }

  v1::Meeting Schedule(const std::string& id, absl::CivilDay day) {
    v1::CreateMeetingRequest r;
    r.set_meeting_id(id);
    r.mutable_meeting()->set_title("Plenary");
    r.mutable_meeting()->mutable_start_time()->set_seconds(
        absl::ToUnixSeconds(absl::FromCivil(day, absl::UTCTimeZone())));
    v1::AgendaItem* item = r.mutable_meeting()->add_agenda();
    item->set_title("Shelter capacity");
    item->add_linked_measures("plans/nap/measures/shelter");
    absl::StatusOr<v1::Meeting> m = book_->Create(AuditActor::Internal(), r);
    EXPECT_TRUE(m.ok()) << m.status();
    return *m;
  }

  v1::RecordMeetingOutcomeRequest Outcome(const std::string& id, std::vector<std::string> present) {
    v1::RecordMeetingOutcomeRequest r;
    r.set_name("meetings/" + id);
    for (const char* m : {"chair", "police", "ngo"}) {
      v1::Attendance* a = r.add_attendance();
      a->set_member(std::string("members/") + m);
      a->set_present(std::find(present.begin(), present.end(), m) != present.end());
    }
    r.set_minutes("The Commission discussed shelter capacity.");
    v1::Decision* d = r.add_decisions();
    d->set_text("Police to report on identification figures.");
    v1::ActionItem* item = d->add_action_items();
    item->set_description("Report identification figures by region");
    item->set_assignee_institution("institutions/police");
    item->set_linked_measure("plans/nap/measures/shelter");
    return r;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  testing::FakeInstitutionDirectory coordinator_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<MeetingBook> book_;
  Principal secretariat_;
};

TEST_F(MeetingBookTest, AgendaMeasuresAreCheckedAtTheCoordinator) {
  v1::CreateMeetingRequest r;
  r.mutable_meeting()->set_title("Plenary");
  r.mutable_meeting()->mutable_start_time()->set_seconds(1'750'000'000);
  r.mutable_meeting()->add_agenda()->set_title("x");
  r.mutable_meeting()->mutable_agenda(0)->add_linked_measures("plans/nap/measures/ghost");
  EXPECT_EQ(book_->Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kFailedPrecondition);
  coordinator_.SetUnavailable(true);
  EXPECT_EQ(book_->Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_THAT(book_->List({})->meetings(), IsEmpty());
}

TEST_F(MeetingBookTest, OutcomeComputesQuorumAndCreatesActionItemsOnce) {
  Schedule("p1", absl::CivilDay(2025, 2, 1));
  absl::StatusOr<v1::Meeting> held =
      book_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"police", "ngo"}));
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->state(), v1::Meeting::STATE_HELD);
  EXPECT_EQ(held->voting_present(), 2);
  EXPECT_EQ(held->voting_total(), 3);
  EXPECT_FALSE(held->quorum_met());  // the rule requires the chair
  ASSERT_EQ(held->decisions(0).action_items_size(), 1);
  const std::string item = held->decisions(0).action_items(0).name();
  absl::StatusOr<v1::ActionItem> stored = book_->GetActionItem(Viewer(secretariat_), item);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->status(), v1::ActionItem::STATUS_OPEN);
  EXPECT_EQ(stored->meeting(), "meetings/p1");
  absl::Status again =
      book_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair"})).status();
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.message(), HasSubstr("STATE_HELD"));
  EXPECT_EQ(book_->ListActionItems(Viewer(secretariat_), {})->action_items_size(), 1);

  Schedule("p2", absl::CivilDay(2025, 3, 1));
  EXPECT_TRUE(book_->RecordOutcome(AuditActor::Internal(), Outcome("p2", {"chair", "police"}))
                  ->quorum_met());
}

TEST_F(MeetingBookTest, BadAttendanceOrUnreachableCoordinatorWritesNothing) {
  Schedule("p1", absl::CivilDay(2025, 2, 1));
  v1::RecordMeetingOutcomeRequest r = Outcome("p1", {"chair"});
  r.add_attendance()->set_member("members/stranger");
  EXPECT_EQ(book_->RecordOutcome(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  coordinator_.SetUnavailable(true);
  EXPECT_EQ(book_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair"})).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(book_->Get("meetings/p1")->state(), v1::Meeting::STATE_SCHEDULED);
  EXPECT_EQ(book_->ListActionItems(Viewer(secretariat_), {})->action_items_size(), 0);
}

TEST_F(MeetingBookTest, MinutesArePublicOnlyWhenMadePublic) {
  Schedule("p1", absl::CivilDay(2025, 2, 1));
  ASSERT_TRUE(
      book_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair", "police"})).ok());
  // The minutes' audience is declared in the contract and applied to every response.
  absl::StatusOr<v1::Meeting> seen = book_->Get("meetings/p1");
  ASSERT_TRUE(seen.ok());
  v1::Meeting for_secretariat = *seen;
  RedactForViewer(Viewer(secretariat_), &*seen);
  EXPECT_FALSE(for_secretariat.minutes().empty());
  RedactForViewer(Viewer::Public(), &*seen);
  EXPECT_THAT(seen->minutes(), IsEmpty());
  EXPECT_THAT(seen->decisions(), IsEmpty());
  EXPECT_EQ(seen->state(), v1::Meeting::STATE_HELD);  // that it was held is public
}

// Action items a meeting decided are as visible as its decisions: the Rapporteur's service
// (allowed to read action items) must not learn a non-public decision through them, by get,
// list or filter; once a meeting's minutes are public, its items are visible to it too.
TEST_F(MeetingBookTest, ActionItemsOfNonPublicDecisionsAreHiddenOutsideTheirAudience) {
  Schedule("closed", absl::CivilDay(2025, 2, 1));
  const std::string hidden =
      book_->RecordOutcome(AuditActor::Internal(), Outcome("closed", {"chair", "police"}))
          ->decisions(0)
          .action_items(0)
          .name();
  Schedule("open", absl::CivilDay(2025, 3, 1));
  v1::RecordMeetingOutcomeRequest published = Outcome("open", {"chair", "police"});
  published.set_minutes_public(true);
  const std::string visible =
      book_->RecordOutcome(AuditActor::Internal(), published)->decisions(0).action_items(0).name();

  Principal rapporteur_service;
  rapporteur_service.authenticated = true;
  rapporteur_service.roles = {roles::kServiceRapporteur};
  const Viewer outsider(rapporteur_service);
  EXPECT_EQ(book_->GetActionItem(outsider, hidden).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(book_->GetActionItem(outsider, visible).ok());
  for (const std::string filter :
       {"", "meeting = \"meetings/closed\"", "assignee_institution = \"institutions/police\"",
        "status = OPEN", "overdue = true"}) {
    v1::ListActionItemsRequest r;
    r.set_filter(filter);
    absl::StatusOr<v1::ListActionItemsResponse> seen = book_->ListActionItems(outsider, r);
    ASSERT_TRUE(seen.ok()) << filter << ": " << seen.status();
    for (const v1::ActionItem& item : seen->action_items())
      EXPECT_NE(item.name(), hidden) << filter;
  }
  EXPECT_EQ(book_->ListActionItems(outsider, {})->action_items_size(), 1);
  // The Commission and the office see both.
  for (const char* role :
       {roles::kCommissionSecretariat, roles::kCommissionMember, roles::kCoordinatorOffice}) {
    Principal insider;
    insider.authenticated = true;
    insider.roles = {role};
    EXPECT_TRUE(book_->GetActionItem(Viewer(insider), hidden).ok()) << role;
    EXPECT_EQ(book_->ListActionItems(Viewer(insider), {})->action_items_size(), 2) << role;
  }
}

TEST_F(MeetingBookTest, CancelOnlyScheduled) {
  Schedule("p1", absl::CivilDay(2025, 2, 1));
  v1::CancelMeetingRequest c;
  c.set_name("meetings/p1");
  c.set_reason("no quorum expected");
  EXPECT_EQ(book_->Cancel(AuditActor::Internal(), c)->state(), v1::Meeting::STATE_CANCELLED);
  EXPECT_EQ(book_->Cancel(AuditActor::Internal(), c).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(MeetingBookTest, CadenceAndParticipationFromHeldPlenaries) {
  Schedule("p1", absl::CivilDay(2025, 1, 10));
  Schedule("p2", absl::CivilDay(2025, 6, 1));
  ASSERT_TRUE(book_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair", "ngo"})).ok());
  ASSERT_TRUE(
      book_->RecordOutcome(AuditActor::Internal(), Outcome("p2", {"chair", "police"})).ok());
  clock_.Set(absl::FromCivil(absl::CivilDay(2025, 9, 15), absl::UTCTimeZone()));
  absl::StatusOr<v1::CadenceAnalysis> c = book_->AnalyzeCadence("commission");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->plenaries_held(), 2);
  EXPECT_EQ(c->gaps(0).days(), 142);
  EXPECT_TRUE(c->gaps(0).exceeds_cadence());
  EXPECT_EQ(c->next_meeting_due().month(), 8);  // June 1 + 90 days = Aug 30
  EXPECT_TRUE(c->overdue());
  absl::StatusOr<v1::ParticipationAnalysis> p = book_->AnalyzeParticipation("commission");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->civil_society_seated());
  EXPECT_FALSE(p->survivor_leaders_seated());
  for (const auto& seat : p->by_seat()) {
    if (seat.seat() == v1::SEAT_CIVIL_SOCIETY) {
      EXPECT_DOUBLE_EQ(seat.attendance_rate(), 0.5);
    }
  }
}

TEST_F(MeetingBookTest, ActionItemsCreateUpdateAndFilter) {
  clock_.Set(absl::FromCivil(absl::CivilDay(2025, 6, 1), absl::UTCTimeZone()));
  v1::CreateActionItemRequest r;
  r.set_action_item_id("follow-up");
  r.mutable_action_item()->set_description("Draft the guardianship amendment");
  r.mutable_action_item()->set_assignee_institution("institutions/ngo");
  *r.mutable_action_item()->mutable_due_date() = ToDate(absl::CivilDay(2025, 5, 1));
  ASSERT_TRUE(book_->CreateActionItem(AuditActor::Internal(), r).ok());
  r.set_action_item_id("later");
  *r.mutable_action_item()->mutable_due_date() = ToDate(absl::CivilDay(2025, 12, 1));
  ASSERT_TRUE(book_->CreateActionItem(AuditActor::Internal(), r).ok());
  r.set_action_item_id("bad");
  r.mutable_action_item()->set_linked_measure("plans/nap/measures/ghost");
  EXPECT_EQ(book_->CreateActionItem(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::ListActionItemsRequest lr;
  lr.set_filter("overdue = true AND status = OPEN");
  absl::StatusOr<v1::ListActionItemsResponse> overdue =
      book_->ListActionItems(Viewer(secretariat_), lr);
  ASSERT_TRUE(overdue.ok()) << overdue.status();
  ASSERT_EQ(overdue->action_items_size(), 1);
  EXPECT_EQ(overdue->action_items(0).name(), "actionItems/follow-up");

  v1::UpdateActionItemRequest u;
  u.mutable_action_item()->set_name("actionItems/follow-up");
  u.mutable_action_item()->set_status(v1::ActionItem::STATUS_DONE);
  u.mutable_update_mask()->add_paths("status");
  ASSERT_TRUE(book_->UpdateActionItem(AuditActor::Internal(), u).ok());
  EXPECT_EQ(book_->ListActionItems(Viewer(secretariat_), lr)->action_items_size(), 0);
  CommissionGauges gauges(*db_, clock_);
  std::map<std::string, double> values = testing::GaugeValues(gauges);
  EXPECT_EQ(values["thb_commission_action_items_open"], 1);
  EXPECT_EQ(values["thb_commission_action_items_overdue"], 0);
  EXPECT_EQ(values["thb_commission_members{SEAT_GOVERNMENT}"], 2);
  EXPECT_EQ(values["thb_commission_members{SEAT_CIVIL_SOCIETY}"], 1);
  EXPECT_EQ(values["thb_commission_members{SEAT_SURVIVOR_LEADER}"], 0);
  lr.set_filter("colour = red");
  EXPECT_EQ(book_->ListActionItems(Viewer(secretariat_), lr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(MeetingBookTest, BodyMeetingsCountTheBodysMembers) {
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
  ASSERT_TRUE(book_->Create(AuditActor::Internal(), r).ok());
  r.set_meeting_id("ghost");
  r.mutable_meeting()->set_body("bodies/ghost");
  EXPECT_EQ(book_->Create(AuditActor::Internal(), r).status().code(),
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
  EXPECT_EQ(book_->RecordOutcome(AuditActor::Internal(), with_chair).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::Meeting> held = book_->RecordOutcome(AuditActor::Internal(), o);
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->voting_total(), 2);
  EXPECT_EQ(held->voting_present(), 1);
  // Body meetings are not plenaries: the cadence does not count them.
  EXPECT_EQ(book_->AnalyzeCadence("commission")->plenaries_held(), 0);
}

TEST_F(MeetingBookTest, OnlyScheduledMeetingsChange) {
  v1::Meeting m = Schedule("p1", absl::CivilDay(2025, 2, 1));
  v1::UpdateMeetingRequest u;
  u.mutable_meeting()->set_name(m.name());
  u.mutable_meeting()->set_location("Government House, room 2");
  u.mutable_update_mask()->add_paths("location");
  absl::StatusOr<v1::Meeting> moved = book_->Update(AuditActor::Internal(), u);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->location(), "Government House, room 2");
  EXPECT_EQ(moved->agenda_size(), 1);  // untouched
  ASSERT_TRUE(
      book_->RecordOutcome(AuditActor::Internal(), Outcome("p1", {"chair", "police"})).ok());
  EXPECT_EQ(book_->Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kFailedPrecondition);
  u.mutable_update_mask()->add_paths("minutes");
  EXPECT_EQ(book_->Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace thb::commission
