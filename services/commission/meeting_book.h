// Meetings of the Commission (plenaries) and their outcome: scheduling, cancelling, and
// recording attendance, minutes and decisions — the quorum is computed from the attendance and
// the Commission's quorum rule, and decisions become action items in the same transaction.
// Also the Commission's analyses that rest on meetings: cadence and participation.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/institution_directory.h"
#include "services/common/storage.h"
#include "services/common/viewer.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {

namespace v1 = ::thb::commission::v1;

// Open or in progress, and past its due date.
bool IsOverdue(const v1::ActionItem& item, absl::CivilDay today);

// The AIP-160 subset ListActionItems understands (see MeetingBook::ListActionItems).
class ActionItemFilter {
 public:
  static absl::StatusOr<ActionItemFilter> Parse(const std::string& text);
  bool Matches(const v1::ActionItem& item, absl::CivilDay today) const;

 private:
  std::optional<int> status_;
  std::optional<std::string> assignee_;
  std::optional<std::string> meeting_;
  std::optional<bool> overdue_;
};

class MeetingBook {
 public:
  MeetingBook(Database& db, const Clock& clock, CoordinatorReader& coordinator)
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

  // Action items outside a meeting's decisions; assignee and linked measure checked at the
  // coordinator.
  absl::StatusOr<v1::ActionItem> CreateActionItem(const AuditActor& actor,
                                                  const v1::CreateActionItemRequest& request);
  // An item a meeting decided is as visible as that meeting's decisions: to their declared
  // audience, and to everyone once the minutes are public. For anyone else it does not exist
  // (NOT_FOUND; left out of lists before any filter is applied, so no filter can probe it).
  absl::StatusOr<v1::ActionItem> GetActionItem(const Viewer& viewer, const std::string& name);
  // filter: `status = OPEN AND assignee_institution = "institutions/x" AND meeting = "meetings/m"
  // AND overdue = true` (any subset, joined by AND).
  absl::StatusOr<v1::ListActionItemsResponse> ListActionItems(
      const Viewer& viewer, const v1::ListActionItemsRequest& request);
  absl::StatusOr<v1::ActionItem> UpdateActionItem(const AuditActor& actor,
                                                  const v1::UpdateActionItemRequest& request);

  absl::StatusOr<v1::CadenceAnalysis> AnalyzeCadence(const std::string& name);
  absl::StatusOr<v1::ParticipationAnalysis> AnalyzeParticipation(const std::string& name);

 private:
  absl::Status CheckActionItemReferences(const v1::ActionItem& item, const std::string& field);

  Database& db_;
  const Clock& clock_;
  CoordinatorReader& coordinator_;
};

}  // namespace thb::commission
