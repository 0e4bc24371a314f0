#include "services/commission/commission_analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/calendar.h"

namespace thb::commission {
namespace {

using ::testing::ElementsAre;

v1::Member Seat(const std::string& id, v1::Seat seat, bool voting,
                v1::MemberRole role = v1::MEMBER_ROLE_MEMBER) {
  v1::Member m;
  m.set_name("members/" + id);
  m.set_seat(seat);
  m.set_voting(voting);
  m.set_role(role);
  return m;
}

std::vector<v1::Attendance> Present(std::initializer_list<const char*> ids) {
  std::vector<v1::Attendance> out;
  for (const char* id : ids) {
    v1::Attendance a;
    a.set_member(std::string("members/") + id);
    a.set_present(true);
    out.push_back(a);
  }
  return out;
}

const absl::CivilDay kDay(2025, 5, 20);

class QuorumTest : public ::testing::Test {
 protected:
  QuorumTest() {
    members_ = {Seat("chair", v1::SEAT_GOVERNMENT, true, v1::MEMBER_ROLE_CHAIR),
                Seat("a", v1::SEAT_GOVERNMENT, true), Seat("b", v1::SEAT_CIVIL_SOCIETY, true),
                Seat("c", v1::SEAT_SURVIVOR_LEADER, true), Seat("obs", v1::SEAT_OBSERVER, false)};
  }
  std::vector<v1::Member> members_;
};

TEST_F(QuorumTest, MajorityOfVotingMembers) {
  v1::QuorumRule majority;  // unspecified means majority
  Quorum two = ComputeQuorum(majority, members_, Present({"a", "b", "obs"}), kDay);
  EXPECT_EQ(two.voting_total, 4);
  EXPECT_EQ(two.voting_present, 2);  // the observer does not count
  EXPECT_FALSE(two.met);             // 2 of 4 is not more than half
  EXPECT_TRUE(ComputeQuorum(majority, members_, Present({"a", "b", "c"}), kDay).met);
}

TEST_F(QuorumTest, FractionAndFixedCount) {
  v1::QuorumRule fraction;
  fraction.set_kind(v1::QuorumRule::KIND_FRACTION_OF_VOTING_MEMBERS);
  fraction.set_fraction(0.5);
  EXPECT_TRUE(ComputeQuorum(fraction, members_, Present({"a", "b"}), kDay).met);
  fraction.set_fraction(0.75);
  EXPECT_FALSE(ComputeQuorum(fraction, members_, Present({"a", "b"}), kDay).met);
  EXPECT_TRUE(ComputeQuorum(fraction, members_, Present({"a", "b", "c"}), kDay).met);
  v1::QuorumRule fixed;
  fixed.set_kind(v1::QuorumRule::KIND_FIXED_COUNT);
  fixed.set_count(1);
  EXPECT_TRUE(ComputeQuorum(fixed, members_, Present({"c"}), kDay).met);
}

TEST_F(QuorumTest, ChairRequiredAndTerms) {
  v1::QuorumRule rule;
  rule.set_chair_required(true);
  EXPECT_FALSE(ComputeQuorum(rule, members_, Present({"a", "b", "c"}), kDay).met);
  EXPECT_TRUE(ComputeQuorum(rule, members_, Present({"chair", "b", "c"}), kDay).met);
  // A member whose term ended is not counted at all.
  *members_[1].mutable_term_end() = ToDate(kDay - 1);
  Quorum q = ComputeQuorum(v1::QuorumRule(), members_, Present({"chair", "b"}), kDay);
  EXPECT_EQ(q.voting_total, 3);
  EXPECT_TRUE(q.met);
}

v1::Meeting Held(const std::string& id, absl::CivilDay day, const std::string& body = "") {
  v1::Meeting m;
  m.set_name("meetings/" + id);
  m.set_state(v1::Meeting::STATE_HELD);
  m.set_body(body);
  m.mutable_start_time()->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(day, absl::UTCTimeZone())));
  return m;
}

TEST(Cadence, GapsAgainstTheCadenceAndNextDue) {
  std::vector<v1::Meeting> meetings = {
      Held("m3", absl::CivilDay(2025, 7, 1)), Held("m1", absl::CivilDay(2025, 1, 10)),
      Held("m2", absl::CivilDay(2025, 3, 10)), Held("wg", absl::CivilDay(2025, 2, 1), "bodies/wg")};
  v1::Meeting cancelled = Held("x", absl::CivilDay(2025, 5, 1));
  cancelled.set_state(v1::Meeting::STATE_CANCELLED);
  meetings.push_back(cancelled);
  v1::CadenceAnalysis c = ComputeCadence(90, meetings, absl::CivilDay(2025, 9, 1));
  EXPECT_EQ(c.plenaries_held(), 3);
  ASSERT_EQ(c.gaps_size(), 2);
  EXPECT_EQ(c.gaps(0).days(), 59);  // Jan 10 -> Mar 10
  EXPECT_FALSE(c.gaps(0).exceeds_cadence());
  EXPECT_EQ(c.gaps(1).days(), 113);  // Mar 10 -> Jul 1
  EXPECT_TRUE(c.gaps(1).exceeds_cadence());
  EXPECT_DOUBLE_EQ(c.compliance_ratio(), 0.5);
  EXPECT_EQ(FormatDate(c.next_meeting_due()), "2025-09-29");
  EXPECT_FALSE(c.overdue());
  EXPECT_TRUE(ComputeCadence(90, meetings, absl::CivilDay(2025, 9, 30)).overdue());
}

TEST(Cadence, NoPlenaryYetIsOverdue) {
  v1::CadenceAnalysis c = ComputeCadence(60, {}, absl::CivilDay(2025, 1, 1));
  EXPECT_TRUE(c.overdue());
  EXPECT_EQ(c.compliance_ratio(), 0);
}

TEST(Participation, SeatsAttendanceAndSubmissions) {
  std::vector<v1::Member> members = {Seat("gov", v1::SEAT_GOVERNMENT, true),
                                     Seat("ngo", v1::SEAT_CIVIL_SOCIETY, true),
                                     Seat("surv", v1::SEAT_SURVIVOR_LEADER, true)};
  std::vector<v1::Meeting> meetings(2);
  for (auto& m : meetings) {
    m.set_state(v1::Meeting::STATE_HELD);
    for (const char* id : {"gov", "ngo", "surv"}) {
      v1::Attendance* a = m.add_attendance();
      a->set_member(std::string("members/") + id);
      a->set_present(std::string(id) != "surv" || &m == &meetings[0]);
    }
  }
  std::vector<v1::Submission> subs(3);
  subs[0].set_member("members/ngo");
  subs[0].set_outcome(v1::RESPONSE_OUTCOME_ACCEPTED);
  subs[1].set_member("members/surv");
  subs[1].set_outcome(v1::RESPONSE_OUTCOME_NOT_ACCEPTED);
  subs[2].set_member("members/surv");  // not answered yet: not in the rate
  v1::ParticipationAnalysis p = ComputeParticipation(members, meetings, subs);
  EXPECT_TRUE(p.civil_society_seated());
  EXPECT_TRUE(p.survivor_leaders_seated());
  ASSERT_EQ(p.by_seat_size(), 3);
  EXPECT_EQ(p.by_seat(2).seat(), v1::SEAT_SURVIVOR_LEADER);
  EXPECT_DOUBLE_EQ(p.by_seat(2).attendance_rate(), 0.5);
  EXPECT_EQ(p.by_seat(2).submissions(), 2);
  EXPECT_DOUBLE_EQ(p.acceptance_rate(), 0.5);
}

}  // namespace
}  // namespace thb::commission
