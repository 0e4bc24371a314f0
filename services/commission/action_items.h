// Action items: what the Commission's meetings decided (created with the meeting's outcome) and
// follow-ups recorded directly, each with an assignee institution and optionally a NAP measure,
// both checked at the coordinator. An item a meeting decided is as visible as that meeting's
// decisions.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/errors.h"
#include "services/common/storage.h"
#include "services/common/viewer.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {

// Open or in progress, and past its due date.
bool IsOverdue(const v1::ActionItem& item, absl::CivilDay today);

// The AIP-160 subset ListActionItems understands: `status = OPEN AND assignee_institution =
// "institutions/x" AND meeting = "meetings/m" AND overdue = true` (any subset, joined by AND).
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

// The field checks of an action item given at request field `field` ("action_item",
// "decisions[0].action_items[1]").
void ValidateActionItem(const v1::ActionItem& item, const std::string& field, FieldViolations& v);

// A NAP measure that an agenda or action item links (request field `field`): INVALID_ARGUMENT
// for a name of another shape, FAILED_PRECONDITION when the coordinator has no such measure,
// UNAVAILABLE when it cannot be asked.
absl::Status RequireMeasure(CoordinatorClient& coordinator, const std::string& measure,
                            const std::string& field);

// The item's assignee (registered and active) and linked measure (when set), at the coordinator.
absl::Status CheckActionItemReferences(CoordinatorClient& coordinator, const v1::ActionItem& item,
                                       const std::string& field);

// Names and stores the action items of `meeting`'s decisions (OPEN unless a status is given),
// in the transaction that records the meeting's outcome.
absl::Status InsertDecidedActionItems(Transaction& tx, v1::Meeting& meeting, absl::Time now);

class ActionItems {
 public:
  ActionItems(Database& db, const Clock& clock, CoordinatorClient& coordinator)
      : db_(db), clock_(clock), coordinator_(coordinator) {}

  // An item outside a meeting's decisions; assignee and linked measure checked at the
  // coordinator.
  absl::StatusOr<v1::ActionItem> Create(const AuditActor& actor,
                                        const v1::CreateActionItemRequest& request);
  // An item a meeting decided is as visible as that meeting's decisions: to their declared
  // audience, and to everyone once the minutes are public. For anyone else it does not exist
  // (NOT_FOUND; left out of lists before any filter is applied, so no filter can probe it).
  absl::StatusOr<v1::ActionItem> Get(const Viewer& viewer, const std::string& name);
  // filter: see ActionItemFilter.
  absl::StatusOr<v1::ListActionItemsResponse> List(const Viewer& viewer,
                                                   const v1::ListActionItemsRequest& request);
  // Description, assignee, due date, status and linked measure; a changed assignee or measure
  // is checked at the coordinator again.
  absl::StatusOr<v1::ActionItem> Update(const AuditActor& actor,
                                        const v1::UpdateActionItemRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
  CoordinatorClient& coordinator_;
};

}  // namespace thb::commission
