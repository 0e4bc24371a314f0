// Meetings of the Commission (plenaries) and of its bodies, and their outcome: scheduling,
// changing, cancelling, and recording attendance, minutes and decisions — the quorum is computed
// from the attendance and the Commission's quorum rule, and decisions become action items
// (action_items.h) in the same transaction. Also the Commission's analyses that rest on
// meetings: cadence and participation.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/storage.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {

class Meetings {
 public:
  Meetings(Database& db, const Clock& clock, CoordinatorClient& coordinator)
      : db_(db), clock_(clock), coordinator_(coordinator) {}

  // Agenda items that link NAP measures are checked at the coordinator (FAILED_PRECONDITION
  // for a measure that does not exist, UNAVAILABLE when it cannot be asked).
  absl::StatusOr<v1::Meeting> Create(const AuditActor& actor,
                                     const v1::CreateMeetingRequest& request);
  // Minutes and decisions are shown to callers who are not Commission insiders only when the
  // meeting made them public.
  absl::StatusOr<v1::Meeting> Get(const std::string& name);
  absl::StatusOr<v1::ListMeetingsResponse> List(const v1::ListMeetingsRequest& request);
  absl::StatusOr<v1::Meeting> Cancel(const AuditActor& actor,
                                     const v1::CancelMeetingRequest& request);
  // SCHEDULED -> HELD; attendance must name members; decisions' action items are created.
  absl::StatusOr<v1::Meeting> RecordOutcome(const AuditActor& actor,
                                            const v1::RecordMeetingOutcomeRequest& request);

  // A SCHEDULED meeting's title, time, place and agenda (linked measures checked again).
  absl::StatusOr<v1::Meeting> Update(const AuditActor& actor,
                                     const v1::UpdateMeetingRequest& request);

  absl::StatusOr<v1::CadenceAnalysis> AnalyzeCadence(const std::string& name);
  absl::StatusOr<v1::ParticipationAnalysis> AnalyzeParticipation(const std::string& name);

 private:
  Database& db_;
  const Clock& clock_;
  CoordinatorClient& coordinator_;
};

}  // namespace thb::commission
