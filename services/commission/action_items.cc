#include "services/commission/action_items.h"

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/commission/commission_tables.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/filter_terms.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"

namespace thb::commission {
namespace {

constexpr char kCollection[] = "actionItems";

// Whether a viewer may see action items, by the meeting that decided them: as their decisions
// (the declared audience of Meeting.decisions, public with the minutes). Remembers each
// meeting's answer for one request.
class DecisionVisibility {
 public:
  absl::StatusOr<bool> MayView(Transaction& tx, const Viewer& viewer, const v1::ActionItem& item) {
    if (item.meeting().empty()) return true;  // created directly, not by a decision
    if (auto it = known_.find(item.meeting()); it != known_.end()) return it->second;
    static const google::protobuf::FieldDescriptor* decisions =
        v1::Meeting::descriptor()->FindFieldByName("decisions");
    THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(item.meeting(), "meetings", "meeting"));
    THB_ASSIGN_OR_RETURN(auto meeting, MeetingTable().Find(tx, id));
    const bool visible = !meeting.has_value() || viewer.MayRead(meeting->resource, *decisions);
    known_[item.meeting()] = visible;
    return visible;
  }

 private:
  absl::flat_hash_map<std::string, bool> known_;
};

// Names a new item `id`, OPEN unless it says otherwise, created and updated `now`.
void StampNew(v1::ActionItem& item, const std::string& id, absl::Time now) {
  item.set_name(absl::StrCat(kCollection, "/", id));
  if (item.status() == v1::ActionItem::STATUS_UNSPECIFIED) {
    item.set_status(v1::ActionItem::STATUS_OPEN);
  }
  *item.mutable_create_time() = ToProtoTimestamp(now);
  *item.mutable_update_time() = ToProtoTimestamp(now);
}

}  // namespace

absl::StatusOr<ActionItemFilter> ActionItemFilter::Parse(const std::string& text) {
  ActionItemFilter f;
  // Comparisons only: `field : value` (has) is not one here.
  THB_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, SplitFilter(text, "="));
  for (const FilterTerm& t : terms) {
    if (t.field == "status") {
      absl::StatusOr<std::string> status =
          FilterEnumValue(v1::ActionItem::Status_descriptor(), "STATUS_", t.value);
      v1::ActionItem::Status number;
      if (!status.ok() || !v1::ActionItem::Status_Parse(*status, &number)) {
        return InvalidField("filter",
                            absl::StrCat("\"", t.value, "\" is not an action item status"));
      }
      f.status_ = number;
    } else if (t.field == "assignee_institution") {
      f.assignee_ = t.value;
    } else if (t.field == "meeting") {
      f.meeting_ = t.value;
    } else if (t.field == "overdue") {
      if (t.value != "true" && t.value != "false") {
        return InvalidField("filter", "overdue must be true or false");
      }
      f.overdue_ = t.value == "true";
    } else {
      return InvalidField("filter",
                          absl::StrCat("cannot filter on \"", t.field,
                                       "\" (status, assignee_institution, meeting, overdue)"));
    }
  }
  return f;
}

bool IsOverdue(const v1::ActionItem& item, absl::CivilDay today) {
  return (item.status() == v1::ActionItem::STATUS_OPEN ||
          item.status() == v1::ActionItem::STATUS_IN_PROGRESS) &&
         IsValidDate(item.due_date()) && ToCivilDay(item.due_date()) < today;
}

bool ActionItemFilter::Matches(const v1::ActionItem& item, absl::CivilDay today) const {
  if (status_ && item.status() != *status_) return false;
  if (assignee_ && item.assignee_institution() != *assignee_) return false;
  if (meeting_ && item.meeting() != *meeting_) return false;
  if (overdue_ && IsOverdue(item, today) != *overdue_) return false;
  return true;
}

void ValidateActionItem(const v1::ActionItem& item, const std::string& field, FieldViolations& v) {
  if (item.description().empty()) v.Add(field + ".description", "is required");
  if (!ParseResourceName(item.assignee_institution(), "institutions", "").ok()) {
    v.Add(field + ".assignee_institution", "must be a resource name institutions/{id}");
  }
  if (IsSet(item.due_date()) && !IsValidDate(item.due_date())) {
    v.Add(field + ".due_date", "is not a valid calendar date");
  }
}

absl::Status RequireMeasure(CoordinatorClient& coordinator, const std::string& measure,
                            const std::string& field) {
  if (!ParseResourcePath(measure, {"plans", "measures"}, field).ok()) {
    return InvalidField(field, "must be a measure name plans/{plan}/measures/{measure}");
  }
  absl::StatusOr<thb::coordinator::v1::Measure> m = coordinator.GetMeasure(measure);
  if (m.status().code() == absl::StatusCode::kNotFound) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_MEASURE_NOT_FOUND, type::v1::PRECONDITION_TYPE_REFERENCE, measure,
        absl::StrCat(field, ": ", measure, " does not exist at the coordinator"));
  }
  return m.status();
}

absl::Status CheckActionItemReferences(CoordinatorClient& coordinator, const v1::ActionItem& item,
                                       const std::string& field) {
  THB_RETURN_IF_ERROR(RequireActiveInstitution(coordinator, item.assignee_institution(),
                                               field + ".assignee_institution"));
  if (item.linked_measure().empty()) return absl::OkStatus();
  return RequireMeasure(coordinator, item.linked_measure(), field + ".linked_measure");
}

absl::Status InsertDecidedActionItems(Transaction& tx, v1::Meeting& meeting, absl::Time now) {
  for (v1::Decision& decision : *meeting.mutable_decisions()) {
    for (v1::ActionItem& item : *decision.mutable_action_items()) {
      const std::string id = NewResourceId();
      StampNew(item, id, now);
      item.set_meeting(meeting.name());
      THB_RETURN_IF_ERROR(ActionItemTable().Insert(tx, id, item));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ActionItem> ActionItems::Get(const Viewer& viewer, const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  v1::ActionItem found;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(auto stored, ActionItemTable().Load(tx, id, name));
    DecisionVisibility visibility;
    THB_ASSIGN_OR_RETURN(bool visible, visibility.MayView(tx, viewer, stored.resource));
    if (!visible) return ActionItemTable().NotFound(name);
    found = std::move(stored.resource);
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<v1::ListActionItemsResponse> ActionItems::List(
    const Viewer& viewer, const v1::ListActionItemsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  THB_ASSIGN_OR_RETURN(ActionItemFilter filter, ActionItemFilter::Parse(request.filter()));
  const absl::CivilDay today = DayOf(clock_.Now());
  v1::ListActionItemsResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    DecisionVisibility visibility;
    // Visibility first: an item the viewer may not see is not there for any filter.
    auto keep = [&](const v1::ActionItem& item) -> absl::StatusOr<bool> {
      THB_ASSIGN_OR_RETURN(bool visible, visibility.MayView(tx, viewer, item));
      return visible && filter.Matches(item, today);
    };
    return ListByIdFiltered(tx, {"action_items"}, page, keep, out.mutable_action_items(),
                            out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::ActionItem> ActionItems::Create(const AuditActor& actor,
                                                   const v1::CreateActionItemRequest& request) {
  FieldViolations v;
  ValidateActionItem(request.action_item(), "action_item", v);
  if (!request.action_item().meeting().empty() &&
      !ParseResourceName(request.action_item().meeting(), "meetings", "").ok()) {
    v.Add("action_item.meeting", "must be a meeting name meetings/{id}");
  }
  if (!request.action_item_id().empty() && !IsValidResourceId(request.action_item_id())) {
    v.Add("action_item_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  THB_RETURN_IF_ERROR(
      CheckActionItemReferences(coordinator_, request.action_item(), "action_item"));
  return RunMutation<v1::ActionItem>(db_, {actor, "CreateActionItem", request.request_id()},
                                     [&](Transaction& tx, v1::ActionItem& result) -> absl::Status {
                                       const std::string id = request.action_item_id().empty()
                                                                  ? NewResourceId()
                                                                  : request.action_item_id();
                                       result = request.action_item();
                                       StampNew(result, id, clock_.Now());
                                       return ActionItemTable().Insert(tx, id, result);
                                     });
}

absl::StatusOr<v1::ActionItem> ActionItems::Update(const AuditActor& actor,
                                                   const v1::UpdateActionItemRequest& request) {
  static const std::vector<std::string> kWritable = {"description", "assignee_institution",
                                                     "due_date", "status", "linked_measure"};
  const v1::ActionItem& patch = request.action_item();
  THB_ASSIGN_OR_RETURN(std::string id,
                       ParseResourceName(patch.name(), kCollection, "action_item.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(),
                        {kWritable, {"name", "meeting", "create_time", "update_time", "etag"}, {}},
                        "ActionItem"));
  // Checked at the coordinator before the write transaction; the write then requires the item
  // to be as it was checked (the caller's etag, else the one read here).
  THB_ASSIGN_OR_RETURN(v1::ActionItem current, Get(Viewer::Internal(), patch.name()));
  v1::ActionItem proposed = current;
  ApplyUpdateMask(patch, mask, &proposed);
  FieldViolations v;
  ValidateActionItem(proposed, "action_item", v);
  if (!v1::ActionItem::Status_IsValid(proposed.status()) ||
      proposed.status() == v1::ActionItem::STATUS_UNSPECIFIED) {
    v.Add("action_item.status", "must be OPEN, IN_PROGRESS, DONE or CANCELLED");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  if (proposed.assignee_institution() != current.assignee_institution() ||
      proposed.linked_measure() != current.linked_measure()) {
    THB_RETURN_IF_ERROR(CheckActionItemReferences(coordinator_, proposed, "action_item"));
  }
  return UpdateResource<v1::ActionItem>(
      db_, {actor, "UpdateActionItem", request.request_id()}, ActionItemTable(),
      {id, patch.name(), patch.etag().empty() ? current.etag() : patch.etag()}, clock_.Now(),
      [&](Transaction&, v1::ActionItem& result) -> absl::Status {
        result = proposed;
        return absl::OkStatus();
      });
}

}  // namespace thb::commission
