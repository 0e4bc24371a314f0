// The Commission's arithmetic, as pure functions: who is seated on a day, whether a meeting had
// its quorum, how regularly plenaries meet against the agreed cadence, and how civil society and
// survivor leaders take part (the evidence for the OSCE brief's recommendation 5).
#pragma once

#include <vector>

#include "absl/time/civil_time.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {

// Whether `m`'s term covers `day` (an unset start or end is open).
bool IsSeatedOn(const v1::Member& m, absl::CivilDay day);

struct Quorum {
  bool met = false;
  int voting_present = 0;
  int voting_total = 0;
};

// The quorum of a meeting on `day` among `members` (those seated that day), from `attendance`.
// Majority: more than half of the voting members; fraction: at least ceil(fraction x voting);
// fixed count: at least `count`; with chair_required, the chair or a vice-chair must be present.
Quorum ComputeQuorum(const v1::QuorumRule& rule, const std::vector<v1::Member>& members,
                     const std::vector<v1::Attendance>& attendance, absl::CivilDay day);

// Gaps between consecutive HELD plenaries (by start time) against `cadence_days`; the next
// plenary is due `cadence_days` after the last one held, and is overdue after that day.
v1::CadenceAnalysis ComputeCadence(int cadence_days, std::vector<v1::Meeting> plenaries,
                                   absl::CivilDay today);

// Per seat category: members, voting members, attendance rate at held meetings (present entries
// over attendance entries), consultation submissions and how many were (partially) accepted.
// `submissions` carry the submitting member's name in `member`.
v1::ParticipationAnalysis ComputeParticipation(const std::vector<v1::Member>& members,
                                               const std::vector<v1::Meeting>& meetings,
                                               const std::vector<v1::Submission>& submissions);

}  // namespace thb::commission
