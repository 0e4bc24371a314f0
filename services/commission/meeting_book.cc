#include "services/commission/meeting_book.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/commission/commission_analysis.h"
#include "services/common/audit_log.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

namespace thb::commission {
namespace {

constexpr char kMeetings[] = "meetings";

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
    absl::StatusOr<std::string> id = ParseResourceName(item.meeting(), kMeetings, "meeting");
    if (!id.ok()) return id.status();
    absl::StatusOr<std::optional<Versioned<v1::Meeting>>> m =
        LoadVersioned<v1::Meeting>(tx, kMeetings, *id);
    if (!m.ok()) return m.status();
    const bool visible = !m->has_value() || viewer.MayRead((*m)->resource, *decisions);
    known_[item.meeting()] = visible;
    return visible;
  }

 private:
  absl::flat_hash_map<std::string, bool> known_;
};

absl::Time StartOf(const v1::Meeting& m) { return absl::FromUnixSeconds(m.start_time().seconds()); }

// A meeting about to change: it must exist, `etag` (when given) must be current and it must still
// be SCHEDULED.
absl::StatusOr<Versioned<v1::Meeting>> LoadScheduled(Transaction& tx, const std::string& id,
                                                     const std::string& name,
                                                     const std::string& etag,
                                                     absl::string_view what) {
  absl::StatusOr<std::optional<Versioned<v1::Meeting>>> m =
      LoadVersioned<v1::Meeting>(tx, kMeetings, id);
  if (!m.ok()) return m.status();
  if (!m->has_value())
    return absl::NotFoundError(absl::StrCat("meeting ", name, " does not exist"));
  if (absl::Status e = CheckEtag(etag, (*m)->resource.etag(), name); !e.ok()) return e;
  if ((*m)->resource.state() != v1::Meeting::STATE_SCHEDULED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "meeting ", name, " is ", v1::Meeting::State_Name((*m)->resource.state()), "; ", what));
  }
  return **std::move(m);
}

absl::Status SaveMeeting(Transaction& tx, const std::string& id, v1::Meeting& m, int64_t version,
                         bool insert) {
  m.set_etag(EtagForVersion(version));
  std::vector<Value> params = {id,
                               m.body(),
                               static_cast<int64_t>(m.state()),
                               FormatStoredTime(StartOf(m)),
                               Blob{m.SerializeAsString()},
                               version};
  return (insert
              ? tx.Execute("INSERT INTO meetings (id, body, state, start_time, data, version) "
                           "VALUES ($1, $2, $3, $4, $5, $6)",
                           params)
              : tx.Execute("UPDATE meetings SET body = $2, state = $3, start_time = $4, data = $5, "
                           "version = $6 WHERE id = $1",
                           params))
      .status();
}

// NAP measures an agenda or action item links must exist at the coordinator.
absl::Status CheckMeasure(CoordinatorReader& coordinator, const std::string& measure,
                          const std::string& field) {
  if (!ParseResourcePath(measure, {"plans", "measures"}, field).ok()) {
    return InvalidField(field, "must be a measure name plans/{plan}/measures/{measure}");
  }
  absl::StatusOr<thb::coordinator::v1::Measure> m = coordinator.GetMeasure(measure);
  if (m.status().code() == absl::StatusCode::kNotFound) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": ", measure, " does not exist at the coordinator"));
  }
  return m.status();
}

void ValidateActionItem(const v1::ActionItem& item, const std::string& field, FieldViolations& v) {
  if (item.description().empty() || item.description().size() > 5000) {
    v.Add(field + ".description", "is required, at most 5000 characters");
  }
  if (!ParseResourceName(item.assignee_institution(), "institutions", "").ok()) {
    v.Add(field + ".assignee_institution", "must be a resource name institutions/{id}");
  }
  if (IsSet(item.due_date()) && !IsValidDate(item.due_date())) {
    v.Add(field + ".due_date", "is not a valid calendar date");
  }
}

}  // namespace

absl::StatusOr<ActionItemFilter> ActionItemFilter::Parse(const std::string& text) {
  ActionItemFilter f;
  if (absl::StripAsciiWhitespace(text).empty()) return f;
  for (absl::string_view raw : absl::StrSplit(text, " AND ")) {
    absl::string_view term = absl::StripAsciiWhitespace(raw);
    const size_t eq = term.find('=');
    if (eq == absl::string_view::npos) {
      return InvalidField("filter",
                          absl::StrCat("\"", term, "\" is not a comparison (field = value)"));
    }
    std::string field(absl::StripAsciiWhitespace(term.substr(0, eq)));
    std::string value(absl::StripAsciiWhitespace(term.substr(eq + 1)));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (field == "status") {
      const std::string upper = absl::AsciiStrToUpper(value);
      const auto* e = v1::ActionItem::Status_descriptor();
      const auto* found = e->FindValueByName(upper);
      if (found == nullptr) found = e->FindValueByName("STATUS_" + upper);
      if (found == nullptr)
        return InvalidField("filter", absl::StrCat("\"", value, "\" is not an action item status"));
      f.status_ = found->number();
    } else if (field == "assignee_institution") {
      f.assignee_ = value;
    } else if (field == "meeting") {
      f.meeting_ = value;
    } else if (field == "overdue") {
      if (value != "true" && value != "false")
        return InvalidField("filter", "overdue must be true or false");
      f.overdue_ = value == "true";
    } else {
      return InvalidField("filter",
                          absl::StrCat("cannot filter on \"", field,
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

absl::StatusOr<v1::Meeting> MeetingBook::Create(const AuditActor& actor,
                                                const v1::CreateMeetingRequest& request) {
  const v1::Meeting& m = request.meeting();
  FieldViolations v;
  if (m.title().empty() || m.title().size() > 300)
    v.Add("meeting.title", "is required, at most 300 characters");
  if (m.start_time().seconds() <= 0) v.Add("meeting.start_time", "is required");
  if (m.location().size() > 300) v.Add("meeting.location", "must be at most 300 characters");
  if (!m.body().empty() && !ParseResourceName(m.body(), "bodies", "").ok()) {
    v.Add("meeting.body", "must be empty (a plenary) or a body name bodies/{id}");
  }
  if (m.agenda_size() > 100) v.Add("meeting.agenda", "at most 100 items");
  for (int i = 0; i < m.agenda_size(); ++i) {
    if (m.agenda(i).title().empty())
      v.Add(absl::StrCat("meeting.agenda[", i, "].title"), "is required");
    for (const auto& r : m.agenda(i).linked_recommendations()) {
      if (!ParseResourceName(r, "recommendations", "").ok()) {
        v.Add(absl::StrCat("meeting.agenda[", i, "].linked_recommendations"),
              "must name recommendations/{id}");
      }
    }
  }
  if (!request.meeting_id().empty() && !IsValidResourceId(request.meeting_id())) {
    v.Add("meeting_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  if (!v.empty()) return v.ToStatus();
  for (int i = 0; i < m.agenda_size(); ++i) {
    for (const auto& measure : m.agenda(i).linked_measures()) {
      if (absl::Status s = CheckMeasure(coordinator_, measure,
                                        absl::StrCat("meeting.agenda[", i, "].linked_measures"));
          !s.ok()) {
        return s;
      }
    }
  }
  v1::Meeting result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateMeeting", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    if (!m.body().empty()) {
      absl::StatusOr<std::optional<Versioned<v1::Body>>> body =
          LoadVersioned<v1::Body>(tx, "bodies", m.body().substr(sizeof("bodies")));
      if (!body.ok()) return body.status();
      if (!body->has_value())
        return InvalidField("meeting.body", absl::StrCat(m.body(), " does not exist"));
    }
    const std::string id = request.meeting_id().empty() ? NewResourceId() : request.meeting_id();
    result = m;
    result.set_name(absl::StrCat(kMeetings, "/", id));
    result.set_state(v1::Meeting::STATE_SCHEDULED);
    // The outcome is output only: it comes from RecordMeetingOutcome.
    result.clear_attendance();
    result.clear_quorum_met();
    result.clear_voting_present();
    result.clear_voting_total();
    result.clear_minutes();
    result.clear_minutes_public();
    result.clear_decisions();
    result.clear_cancel_reason();
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    absl::Status saved = SaveMeeting(tx, id, result, 1, true);
    if (saved.code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(absl::StrCat("meeting ", result.name(), " already exists"));
    }
    if (!saved.ok()) return saved;
    return RecordMutation(tx, actor, "CreateMeeting", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Meeting> MeetingBook::Get(const std::string& name) {
  absl::StatusOr<std::string> id = ParseResourceName(name, kMeetings, "name");
  if (!id.ok()) return id.status();
  std::optional<Versioned<v1::Meeting>> stored;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Versioned<v1::Meeting>>> m =
        LoadVersioned<v1::Meeting>(tx, kMeetings, *id);
    if (!m.ok()) return m.status();
    stored = *std::move(m);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!stored) return absl::NotFoundError(absl::StrCat("meeting ", name, " does not exist"));
  return stored->resource;
}

absl::StatusOr<v1::ListMeetingsResponse> MeetingBook::List(const v1::ListMeetingsRequest& request) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  if (!v1::Meeting::State_IsValid(request.state()))
    return InvalidField("state", "unknown meeting state");
  // body: "" = every meeting, "commission" = plenaries, "bodies/x" = that body's.
  const std::string body = request.body() == "commission" ? "" : request.body();
  const int64_t any_body = request.body().empty() ? 1 : 0;
  v1::ListMeetingsResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT id, data FROM meetings WHERE id > $1 AND ($2 = 1 OR body = $3) AND ($4 = 0 OR "
        "state = $4) "
        "ORDER BY id LIMIT $5",
        {page->after, any_body, body, static_cast<int64_t>(request.state()),
         static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, out.mutable_meetings(), out.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Meeting> MeetingBook::Cancel(const AuditActor& actor,
                                                const v1::CancelMeetingRequest& request) {
  absl::StatusOr<std::string> id = ParseResourceName(request.name(), kMeetings, "name");
  if (!id.ok()) return id.status();
  if (request.reason().size() > 2000)
    return InvalidField("reason", "must be at most 2000 characters");
  v1::Meeting result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CancelMeeting", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::Meeting>> m = LoadScheduled(
        tx, *id, request.name(), request.etag(), "only a SCHEDULED meeting can be cancelled");
    if (!m.ok()) return m.status();
    result = m->resource;
    result.set_state(v1::Meeting::STATE_CANCELLED);
    result.set_cancel_reason(request.reason());
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    if (absl::Status e = SaveMeeting(tx, *id, result, m->version + 1, false); !e.ok()) return e;
    return RecordMutation(tx, actor, "CancelMeeting", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Meeting> MeetingBook::RecordOutcome(
    const AuditActor& actor, const v1::RecordMeetingOutcomeRequest& request) {
  absl::StatusOr<std::string> id = ParseResourceName(request.name(), kMeetings, "name");
  if (!id.ok()) return id.status();
  FieldViolations v;
  if (request.minutes().size() > 100000) v.Add("minutes", "must be at most 100000 characters");
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < request.attendance_size(); ++i) {
    if (!seen.insert(request.attendance(i).member()).second) {
      v.Add(absl::StrCat("attendance[", i, "].member"), "is listed twice");
    }
  }
  for (int d = 0; d < request.decisions_size(); ++d) {
    if (request.decisions(d).text().empty())
      v.Add(absl::StrCat("decisions[", d, "].text"), "is required");
    for (int a = 0; a < request.decisions(d).action_items_size(); ++a) {
      ValidateActionItem(request.decisions(d).action_items(a),
                         absl::StrCat("decisions[", d, "].action_items[", a, "]"), v);
    }
  }
  if (!v.empty()) return v.ToStatus();
  // Coordinator checks first, outside the write transaction.
  for (int d = 0; d < request.decisions_size(); ++d) {
    for (int a = 0; a < request.decisions(d).action_items_size(); ++a) {
      if (absl::Status s =
              CheckActionItemReferences(request.decisions(d).action_items(a),
                                        absl::StrCat("decisions[", d, "].action_items[", a, "]"));
          !s.ok()) {
        return s;
      }
    }
  }
  v1::Meeting result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "RecordMeetingOutcome", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::Meeting>> m =
        LoadScheduled(tx, *id, request.name(), request.etag(),
                      "an outcome is recorded once, for a SCHEDULED meeting");
    if (!m.ok()) return m.status();
    absl::StatusOr<std::vector<v1::Member>> members =
        LoadMessages<v1::Member>(tx, "SELECT data FROM members ORDER BY id");
    if (!members.ok()) return members.status();
    // A body's meeting counts the Commission members whose institutions belong to the body.
    const std::string& body_name = m->resource.body();
    if (!body_name.empty()) {
      absl::StatusOr<std::optional<Versioned<v1::Body>>> body =
          LoadVersioned<v1::Body>(tx, "bodies", body_name.substr(sizeof("bodies")));
      if (!body.ok()) return body.status();
      absl::flat_hash_set<std::string> institutions;
      if (body->has_value()) {
        institutions.insert((*body)->resource.lead_institution());
        for (const auto& i : (*body)->resource.member_institutions()) institutions.insert(i);
      }
      members->erase(std::remove_if(members->begin(), members->end(),
                                    [&](const v1::Member& mem) {
                                      return !institutions.contains(mem.institution());
                                    }),
                     members->end());
    }
    absl::flat_hash_set<std::string> member_names;
    for (const auto& mem : *members) member_names.insert(mem.name());
    FieldViolations fv;
    for (int i = 0; i < request.attendance_size(); ++i) {
      if (!member_names.contains(request.attendance(i).member())) {
        fv.Add(
            absl::StrCat("attendance[", i, "].member"),
            body_name.empty()
                ? "is not a member of the Commission"
                : absl::StrCat("is not a Commission member whose institution sits on ", body_name));
      }
    }
    if (!fv.empty()) return fv.ToStatus();
    absl::StatusOr<std::optional<Versioned<v1::Commission>>> charter =
        LoadVersioned<v1::Commission>(tx, "commission", "commission");
    if (!charter.ok()) return charter.status();
    const v1::QuorumRule rule =
        charter->has_value() ? (*charter)->resource.quorum_rule() : v1::QuorumRule();

    result = m->resource;
    const absl::Time now = clock_.Now();
    Quorum q =
        ComputeQuorum(rule, *members, {request.attendance().begin(), request.attendance().end()},
                      DayOf(StartOf(result)));
    result.set_state(v1::Meeting::STATE_HELD);
    *result.mutable_attendance() = request.attendance();
    result.set_quorum_met(q.met);
    result.set_voting_present(q.voting_present);
    result.set_voting_total(q.voting_total);
    result.set_minutes(request.minutes());
    result.set_minutes_public(request.minutes_public());
    *result.mutable_decisions() = request.decisions();
    for (v1::Decision& decision : *result.mutable_decisions()) {
      for (v1::ActionItem& item : *decision.mutable_action_items()) {
        const std::string item_id = NewResourceId();
        item.set_name(absl::StrCat("actionItems/", item_id));
        item.set_meeting(result.name());
        if (item.status() == v1::ActionItem::STATUS_UNSPECIFIED)
          item.set_status(v1::ActionItem::STATUS_OPEN);
        *item.mutable_create_time() = ToProtoTimestamp(now);
        *item.mutable_update_time() = ToProtoTimestamp(now);
        item.set_etag(EtagForVersion(1));
        absl::StatusOr<int64_t> n = tx.Execute(
            "INSERT INTO action_items (id, meeting, status, data, version) VALUES ($1, $2, $3, $4, "
            "1)",
            {item_id, result.name(), static_cast<int64_t>(item.status()),
             Blob{item.SerializeAsString()}});
        if (!n.ok()) return n.status();
      }
    }
    *result.mutable_update_time() = ToProtoTimestamp(now);
    if (absl::Status e = SaveMeeting(tx, *id, result, m->version + 1, false); !e.ok()) return e;
    return RecordMutation(tx, actor, "RecordMeetingOutcome", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::ActionItem> MeetingBook::GetActionItem(const Viewer& viewer,
                                                          const std::string& name) {
  absl::StatusOr<std::string> id = ParseResourceName(name, "actionItems", "name");
  if (!id.ok()) return id.status();
  std::optional<Versioned<v1::ActionItem>> stored;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Versioned<v1::ActionItem>>> a =
        LoadVersioned<v1::ActionItem>(tx, "action_items", *id);
    if (!a.ok()) return a.status();
    stored = *std::move(a);
    if (!stored) return absl::OkStatus();
    DecisionVisibility visibility;
    absl::StatusOr<bool> visible = visibility.MayView(tx, viewer, stored->resource);
    if (!visible.ok()) return visible.status();
    if (!*visible) stored.reset();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!stored) return absl::NotFoundError(absl::StrCat("action item ", name, " does not exist"));
  return stored->resource;
}

absl::StatusOr<v1::ListActionItemsResponse> MeetingBook::ListActionItems(
    const Viewer& viewer, const v1::ListActionItemsRequest& request) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  absl::StatusOr<ActionItemFilter> filter = ActionItemFilter::Parse(request.filter());
  if (!filter.ok()) return filter.status();
  const absl::CivilDay today = DayOf(clock_.Now());
  v1::ListActionItemsResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows =
        tx.Query("SELECT id, data FROM action_items WHERE id > $1 ORDER BY id", {page->after});
    if (!rows.ok()) return rows.status();
    std::string last;
    DecisionVisibility visibility;
    for (const Row& row : *rows) {
      v1::ActionItem item;
      if (!item.ParseFromString(row.Text(1)))
        return absl::DataLossError("stored action item does not parse");
      absl::StatusOr<bool> visible = visibility.MayView(tx, viewer, item);
      if (!visible.ok()) return visible.status();
      if (!*visible || !filter->Matches(item, today)) continue;
      if (out.action_items_size() == page->page_size) {
        out.set_next_page_token(EncodePageToken(last));
        break;
      }
      last = row.Text(0);
      *out.add_action_items() = std::move(item);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ActionItem> MeetingBook::CreateActionItem(
    const AuditActor& actor, const v1::CreateActionItemRequest& request) {
  FieldViolations v;
  ValidateActionItem(request.action_item(), "action_item", v);
  if (!request.action_item().meeting().empty() &&
      !ParseResourceName(request.action_item().meeting(), kMeetings, "").ok()) {
    v.Add("action_item.meeting", "must be a meeting name meetings/{id}");
  }
  if (!request.action_item_id().empty() && !IsValidResourceId(request.action_item_id())) {
    v.Add("action_item_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  if (!v.empty()) return v.ToStatus();
  if (absl::Status s = CheckActionItemReferences(request.action_item(), "action_item"); !s.ok())
    return s;
  v1::ActionItem result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateActionItem", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    const std::string id =
        request.action_item_id().empty() ? NewResourceId() : request.action_item_id();
    result = request.action_item();
    result.set_name(absl::StrCat("actionItems/", id));
    if (result.status() == v1::ActionItem::STATUS_UNSPECIFIED)
      result.set_status(v1::ActionItem::STATUS_OPEN);
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    result.set_etag(EtagForVersion(1));
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO action_items (id, meeting, status, data, version) VALUES ($1, $2, $3, $4, 1)",
        {id, result.meeting(), static_cast<int64_t>(result.status()),
         Blob{result.SerializeAsString()}});
    if (n.status().code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(
          absl::StrCat("action item ", result.name(), " already exists"));
    }
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "CreateActionItem", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::ActionItem> MeetingBook::UpdateActionItem(
    const AuditActor& actor, const v1::UpdateActionItemRequest& request) {
  static const std::vector<std::string> kWritable = {"description", "assignee_institution",
                                                     "due_date", "status", "linked_measure"};
  absl::StatusOr<std::string> id =
      ParseResourceName(request.action_item().name(), "actionItems", "action_item.name");
  if (!id.ok()) return id.status();
  absl::StatusOr<google::protobuf::FieldMask> mask = ResolveUpdateMask(
      request.update_mask(),
      {kWritable, {"name", "meeting", "create_time", "update_time", "etag"}, {}}, "ActionItem");
  if (!mask.ok()) return mask.status();
  FieldViolations v;
  absl::StatusOr<v1::ActionItem> current =
      GetActionItem(Viewer::Internal(), request.action_item().name());
  if (!current.ok()) return current.status();
  v1::ActionItem proposed = *current;
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.action_item(), *mask, {},
                                                        &proposed);
  ValidateActionItem(proposed, "action_item", v);
  if (!v1::ActionItem::Status_IsValid(proposed.status()) ||
      proposed.status() == v1::ActionItem::STATUS_UNSPECIFIED) {
    v.Add("action_item.status", "must be OPEN, IN_PROGRESS, DONE or CANCELLED");
  }
  if (!v.empty()) return v.ToStatus();
  if (proposed.assignee_institution() != current->assignee_institution() ||
      proposed.linked_measure() != current->linked_measure()) {
    if (absl::Status s = CheckActionItemReferences(proposed, "action_item"); !s.ok()) return s;
  }
  v1::ActionItem result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateActionItem", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Versioned<v1::ActionItem>>> stored =
        LoadVersioned<v1::ActionItem>(tx, "action_items", *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value())
      return absl::NotFoundError(
          absl::StrCat("action item ", request.action_item().name(), " does not exist"));
    const std::string& given =
        request.action_item().etag().empty() ? current->etag() : request.action_item().etag();
    if (absl::Status e = CheckEtag(given, (*stored)->resource.etag(), request.action_item().name());
        !e.ok())
      return e;
    result = proposed;
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    result.set_etag(EtagForVersion((*stored)->version + 1));
    absl::StatusOr<int64_t> n =
        tx.Execute("UPDATE action_items SET status = $2, data = $3, version = $4 WHERE id = $1",
                   {*id, static_cast<int64_t>(result.status()), Blob{result.SerializeAsString()},
                    (*stored)->version + 1});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "UpdateActionItem", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::Status MeetingBook::CheckActionItemReferences(const v1::ActionItem& item,
                                                    const std::string& field) {
  if (absl::Status s = RequireActiveInstitution(coordinator_, item.assignee_institution(),
                                                field + ".assignee_institution");
      !s.ok()) {
    return s;
  }
  if (item.linked_measure().empty()) return absl::OkStatus();
  return CheckMeasure(coordinator_, item.linked_measure(), field + ".linked_measure");
}

absl::StatusOr<v1::Meeting> MeetingBook::Update(const AuditActor& actor,
                                                const v1::UpdateMeetingRequest& request) {
  static const std::vector<std::string> kWritable = {"title", "start_time", "location", "agenda"};
  absl::StatusOr<std::string> id =
      ParseResourceName(request.meeting().name(), kMeetings, "meeting.name");
  if (!id.ok()) return id.status();
  absl::StatusOr<google::protobuf::FieldMask> mask = ResolveUpdateMask(
      request.update_mask(),
      {kWritable, {"name", "state", "create_time", "update_time", "etag"}, {}}, "Meeting");
  if (!mask.ok()) return mask.status();
  google::protobuf::util::FieldMaskUtil::MergeOptions replace;
  replace.set_replace_repeated_fields(true);
  for (int i = 0; i < request.meeting().agenda_size(); ++i) {
    for (const auto& measure : request.meeting().agenda(i).linked_measures()) {
      if (absl::Status s = CheckMeasure(coordinator_, measure,
                                        absl::StrCat("meeting.agenda[", i, "].linked_measures"));
          !s.ok()) {
        return s;
      }
    }
  }
  v1::Meeting result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateMeeting", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::Meeting>> m =
        LoadScheduled(tx, *id, request.meeting().name(), request.meeting().etag(),
                      "only a SCHEDULED meeting changes");
    if (!m.ok()) return m.status();
    result = m->resource;
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.meeting(), *mask, replace,
                                                          &result);
    FieldViolations fv;
    if (result.title().empty() || result.title().size() > 300)
      fv.Add("meeting.title", "is required, at most 300 characters");
    if (result.start_time().seconds() <= 0) fv.Add("meeting.start_time", "is required");
    if (!fv.empty()) return fv.ToStatus();
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    if (absl::Status e = SaveMeeting(tx, *id, result, m->version + 1, false); !e.ok()) return e;
    return RecordMutation(tx, actor, "UpdateMeeting", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::CadenceAnalysis> MeetingBook::AnalyzeCadence(const std::string& name) {
  if (name != "commission") return InvalidField("name", "the Commission's name is \"commission\"");
  v1::CadenceAnalysis out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Versioned<v1::Commission>>> charter =
        LoadVersioned<v1::Commission>(tx, "commission", "commission");
    if (!charter.ok()) return charter.status();
    if (!charter->has_value() || (*charter)->resource.meeting_cadence_days() <= 0) {
      return absl::FailedPreconditionError(
          "the Commission has no meeting cadence yet (UpdateCommission)");
    }
    absl::StatusOr<std::vector<v1::Meeting>> meetings = LoadMessages<v1::Meeting>(
        tx, "SELECT data FROM meetings WHERE body = '' ORDER BY start_time");
    if (!meetings.ok()) return meetings.status();
    out = ComputeCadence((*charter)->resource.meeting_cadence_days(), *std::move(meetings),
                         DayOf(clock_.Now()));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

absl::StatusOr<v1::ParticipationAnalysis> MeetingBook::AnalyzeParticipation(
    const std::string& name) {
  if (name != "commission") return InvalidField("name", "the Commission's name is \"commission\"");
  v1::ParticipationAnalysis out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<v1::Member>> members =
        LoadMessages<v1::Member>(tx, "SELECT data FROM members ORDER BY id");
    if (!members.ok()) return members.status();
    absl::StatusOr<std::vector<v1::Meeting>> meetings =
        LoadMessages<v1::Meeting>(tx, "SELECT data FROM meetings");
    if (!meetings.ok()) return meetings.status();
    absl::StatusOr<std::vector<v1::Submission>> submissions =
        LoadMessages<v1::Submission>(tx, "SELECT data FROM submissions");
    if (!submissions.ok()) return submissions.status();
    out = ComputeParticipation(*members, *meetings, *submissions);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

}  // namespace thb::commission
