#include "services/commission/commission_analysis.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "services/common/calendar.h"

namespace thb::commission {

bool IsSeatedOn(const v1::Member& m, absl::CivilDay day) {
  if (IsValidDate(m.term_start()) && day < ToCivilDay(m.term_start())) return false;
  if (IsValidDate(m.term_end()) && day > ToCivilDay(m.term_end())) return false;
  return true;
}

Quorum ComputeQuorum(const v1::QuorumRule& rule, const std::vector<v1::Member>& members,
                     const std::vector<v1::Attendance>& attendance, absl::CivilDay day) {
  absl::flat_hash_map<std::string, bool> present;
  for (const auto& a : attendance) present[a.member()] = present[a.member()] || a.present();
  Quorum q;
  bool chair_present = false;
  for (const v1::Member& m : members) {
    if (!IsSeatedOn(m, day)) continue;
    const bool here = present.contains(m.name()) && present[m.name()];
    if (here && (m.role() == v1::MEMBER_ROLE_CHAIR || m.role() == v1::MEMBER_ROLE_VICE_CHAIR)) {
      chair_present = true;
    }
    if (!m.voting()) continue;
    ++q.voting_total;
    if (here) ++q.voting_present;
  }
  switch (rule.kind()) {
    case v1::QuorumRule::KIND_FRACTION_OF_VOTING_MEMBERS:
      // A tolerance keeps 0.6 x 10 = 6 from becoming 6.000000001 -> 7.
      q.met =
          q.voting_present >= static_cast<int>(std::ceil(rule.fraction() * q.voting_total - 1e-9));
      break;
    case v1::QuorumRule::KIND_FIXED_COUNT:
      q.met = q.voting_present >= rule.count();
      break;
    default:
      q.met = 2 * q.voting_present > q.voting_total;
  }
  q.met = q.met && q.voting_total > 0 && (!rule.chair_required() || chair_present);
  return q;
}

v1::CadenceAnalysis ComputeCadence(int cadence_days, std::vector<v1::Meeting> plenaries,
                                   absl::CivilDay today) {
  plenaries.erase(std::remove_if(plenaries.begin(), plenaries.end(),
                                 [](const v1::Meeting& m) {
                                   return m.state() != v1::Meeting::STATE_HELD || !m.body().empty();
                                 }),
                  plenaries.end());
  std::sort(plenaries.begin(), plenaries.end(), [](const v1::Meeting& a, const v1::Meeting& b) {
    return a.start_time().seconds() < b.start_time().seconds();
  });
  auto day_of = [](const v1::Meeting& m) {
    return DayOf(absl::FromUnixSeconds(m.start_time().seconds()));
  };
  v1::CadenceAnalysis out;
  out.set_cadence_days(cadence_days);
  out.set_plenaries_held(static_cast<int>(plenaries.size()));
  int within = 0;
  for (size_t i = 1; i < plenaries.size(); ++i) {
    v1::MeetingGap* gap = out.add_gaps();
    gap->set_from_meeting(plenaries[i - 1].name());
    gap->set_to_meeting(plenaries[i].name());
    gap->set_days(static_cast<int>(day_of(plenaries[i]) - day_of(plenaries[i - 1])));
    gap->set_exceeds_cadence(gap->days() > cadence_days);
    if (!gap->exceeds_cadence()) ++within;
  }
  out.set_compliance_ratio(out.gaps_size() > 0 ? static_cast<double>(within) / out.gaps_size()
                                               : (plenaries.empty() ? 0.0 : 1.0));
  if (plenaries.empty()) {
    out.set_overdue(true);
  } else {
    const absl::CivilDay due = day_of(plenaries.back()) + cadence_days;
    *out.mutable_next_meeting_due() = ToDate(due);
    out.set_overdue(today > due);
  }
  return out;
}

v1::ParticipationAnalysis ComputeParticipation(const std::vector<v1::Member>& members,
                                               const std::vector<v1::Meeting>& meetings,
                                               const std::vector<v1::Submission>& submissions) {
  struct Tally {
    int members = 0, voting = 0, present = 0, entries = 0, submissions = 0, accepted = 0,
        answered = 0;
  };
  std::map<int, Tally> by_seat;
  absl::flat_hash_map<std::string, int> seat_of;
  for (const v1::Member& m : members) {
    Tally& t = by_seat[m.seat()];
    ++t.members;
    if (m.voting()) ++t.voting;
    seat_of[m.name()] = m.seat();
  }
  for (const v1::Meeting& meeting : meetings) {
    if (meeting.state() != v1::Meeting::STATE_HELD) continue;
    for (const v1::Attendance& a : meeting.attendance()) {
      auto it = seat_of.find(a.member());
      if (it == seat_of.end()) continue;
      Tally& t = by_seat[it->second];
      ++t.entries;
      if (a.present()) ++t.present;
    }
  }
  for (const v1::Submission& s : submissions) {
    auto it = seat_of.find(s.member());
    if (it == seat_of.end()) continue;
    Tally& t = by_seat[it->second];
    ++t.submissions;
    if (s.outcome() != v1::RESPONSE_OUTCOME_UNSPECIFIED) ++t.answered;
    if (s.outcome() == v1::RESPONSE_OUTCOME_ACCEPTED ||
        s.outcome() == v1::RESPONSE_OUTCOME_PARTIALLY_ACCEPTED) {
      ++t.accepted;
    }
  }
  v1::ParticipationAnalysis out;
  int accepted = 0, answered = 0;
  for (const auto& [seat, t] : by_seat) {
    v1::SeatParticipation* p = out.add_by_seat();
    p->set_seat(static_cast<v1::Seat>(seat));
    p->set_members(t.members);
    p->set_voting_members(t.voting);
    p->set_attendance_rate(t.entries > 0 ? static_cast<double>(t.present) / t.entries : 0);
    p->set_submissions(t.submissions);
    p->set_submissions_accepted(t.accepted);
    if (seat == v1::SEAT_CIVIL_SOCIETY || seat == v1::SEAT_SURVIVOR_LEADER) {
      accepted += t.accepted;
      answered += t.answered;
    }
  }
  out.set_civil_society_seated(by_seat.count(v1::SEAT_CIVIL_SOCIETY) > 0 &&
                               by_seat[v1::SEAT_CIVIL_SOCIETY].members > 0);
  out.set_survivor_leaders_seated(by_seat.count(v1::SEAT_SURVIVOR_LEADER) > 0 &&
                                  by_seat[v1::SEAT_SURVIVOR_LEADER].members > 0);
  out.set_acceptance_rate(answered > 0 ? static_cast<double>(accepted) / answered : 0);
  return out;
}

}  // namespace thb::commission
