// The store the meetings and action-item tests share: the Commission described (cadence 90
// days, the chair required for a quorum), three voting members seated (chair, police, an NGO),
// a coordinator that knows their institutions and one measure, and helpers to schedule a
// plenary and to write its outcome.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "services/commission/action_items.h"
#include "services/commission/commission_charter.h"
#include "services/commission/commission_schema.h"
#include "services/commission/meetings.h"
#include "services/commission/member_roster.h"
#include "services/common/testing/fake_coordinator_client.h"
#include "services/common/testing/test_support.h"

namespace thb::commission {

class MeetingsFixture : public ::testing::Test {
 protected:
  MeetingsFixture() : clock_(absl::FromCivil(absl::CivilDay(2025, 1, 5), absl::UTCTimeZone())) {
    db_ = *OpenDatabase(dir_.File("m.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("commission", CommissionMigrations()).ok());
    for (const char* i : {"office-pm", "police", "ngo"})
      coordinator_.Add(std::string("institutions/") + i);
    coordinator_.mandate().set_institution("institutions/office-pm");
    coordinator_.AddMeasure("plans/nap/measures/shelter");
    meetings_ = std::make_unique<Meetings>(*db_, clock_, coordinator_);
    action_items_ = std::make_unique<ActionItems>(*db_, clock_, coordinator_);
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

  // Schedules plenary `id` on `day`, its agenda linking the measure.
  v1::Meeting Schedule(const std::string& id, absl::CivilDay day) {
    v1::CreateMeetingRequest r;
    r.set_meeting_id(id);
    r.mutable_meeting()->set_title("Plenary");
    r.mutable_meeting()->mutable_start_time()->set_seconds(
        absl::ToUnixSeconds(absl::FromCivil(day, absl::UTCTimeZone())));
    v1::AgendaItem* item = r.mutable_meeting()->add_agenda();
    item->set_title("Shelter capacity");
    item->add_linked_measures("plans/nap/measures/shelter");
    absl::StatusOr<v1::Meeting> m = meetings_->Create(AuditActor::Internal(), r);
    EXPECT_TRUE(m.ok()) << m.status();
    return *m;
  }

  // The outcome of meeting `id` with the `present` members there: minutes, and one decision
  // with one action item for the police.
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
  testing::FakeCoordinatorClient coordinator_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Meetings> meetings_;
  std::unique_ptr<ActionItems> action_items_;
  Principal secretariat_;
};

}  // namespace thb::commission
