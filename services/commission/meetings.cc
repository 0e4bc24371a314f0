#include "services/commission/meetings.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/commission/action_items.h"
#include "services/commission/commission_analysis.h"
#include "services/commission/commission_tables.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

namespace thb::commission {
namespace {

constexpr char kCollection[] = "meetings";
constexpr char kCommission[] = "commission";

absl::Time StartOf(const v1::Meeting& m) { return absl::FromUnixSeconds(m.start_time().seconds()); }

// Title and start time, which every meeting has.
void ValidateSchedule(const v1::Meeting& m, FieldViolations& v) {
  if (m.title().empty()) v.Add("meeting.title", "is required");
  if (m.start_time().seconds() <= 0) v.Add("meeting.start_time", "is required");
}

// The NAP measures `m`'s agenda links, at the coordinator.
absl::Status CheckAgendaMeasures(CoordinatorClient& coordinator, const v1::Meeting& m) {
  for (int i = 0; i < m.agenda_size(); ++i) {
    for (const auto& measure : m.agenda(i).linked_measures()) {
      THB_RETURN_IF_ERROR(RequireMeasure(coordinator, measure,
                                         absl::StrCat("meeting.agenda[", i, "].linked_measures")));
    }
  }
  return absl::OkStatus();
}

// A meeting changes only while SCHEDULED: FAILED_PRECONDITION saying `what` otherwise.
absl::Status RequireScheduled(const v1::Meeting& m, const std::string& name,
                              absl::string_view what) {
  if (m.state() == v1::Meeting::STATE_SCHEDULED) return absl::OkStatus();
  return PreconditionFailed(
      type::v1::ERROR_REASON_MEETING_NOT_SCHEDULED, type::v1::PRECONDITION_TYPE_STATE, name,
      absl::StrCat("meeting ", name, " is ", v1::Meeting::State_Name(m.state()), "; ", what));
}

// The Commission members who count at a meeting of `body_name`: every member at a plenary (no
// body), at a body's meeting those whose institutions belong to the body.
absl::StatusOr<std::vector<v1::Member>> MembersCounted(Transaction& tx,
                                                       const std::string& body_name) {
  THB_ASSIGN_OR_RETURN(std::vector<v1::Member> members,
                       LoadMessages<v1::Member>(tx, "SELECT data FROM members ORDER BY id"));
  if (body_name.empty()) return members;
  THB_ASSIGN_OR_RETURN(auto body, BodyTable().Find(tx, body_name.substr(sizeof("bodies"))));
  absl::flat_hash_set<std::string> institutions;
  if (body.has_value()) {
    institutions.insert(body->resource.lead_institution());
    for (const auto& i : body->resource.member_institutions()) institutions.insert(i);
  }
  members.erase(std::remove_if(members.begin(), members.end(),
                               [&](const v1::Member& mem) {
                                 return !institutions.contains(mem.institution());
                               }),
                members.end());
  return members;
}

// INVALID_ARGUMENT naming each attendance entry that is not one of `members`.
absl::Status CheckAttendance(const v1::RecordMeetingOutcomeRequest& request,
                             const std::vector<v1::Member>& members, const std::string& body_name) {
  absl::flat_hash_set<std::string> member_names;
  for (const auto& mem : members) member_names.insert(mem.name());
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
  return fv.ToStatus();
}

// The field checks of an outcome, before anything is read.
void ValidateOutcome(const v1::RecordMeetingOutcomeRequest& request, FieldViolations& v) {
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < request.attendance_size(); ++i) {
    if (!seen.insert(request.attendance(i).member()).second) {
      v.Add(absl::StrCat("attendance[", i, "].member"), "is listed twice");
    }
  }
  for (int d = 0; d < request.decisions_size(); ++d) {
    if (request.decisions(d).text().empty()) {
      v.Add(absl::StrCat("decisions[", d, "].text"), "is required");
    }
    for (int a = 0; a < request.decisions(d).action_items_size(); ++a) {
      ValidateActionItem(request.decisions(d).action_items(a),
                         absl::StrCat("decisions[", d, "].action_items[", a, "]"), v);
    }
  }
}

}  // namespace

absl::StatusOr<v1::Meeting> Meetings::Create(const AuditActor& actor,
                                             const v1::CreateMeetingRequest& request) {
  const v1::Meeting& m = request.meeting();
  FieldViolations v;
  ValidateSchedule(m, v);
  if (!m.body().empty() && !ParseResourceName(m.body(), "bodies", "").ok()) {
    v.Add("meeting.body", "must be empty (a plenary) or a body name bodies/{id}");
  }
  for (int i = 0; i < m.agenda_size(); ++i) {
    if (m.agenda(i).title().empty()) {
      v.Add(absl::StrCat("meeting.agenda[", i, "].title"), "is required");
    }
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
  THB_RETURN_IF_ERROR(v.ToStatus());
  THB_RETURN_IF_ERROR(CheckAgendaMeasures(coordinator_, m));
  return RunMutation<v1::Meeting>(
      db_, {actor, "CreateMeeting", request.request_id()},
      [&](Transaction& tx, v1::Meeting& result) -> absl::Status {
        if (!m.body().empty()) {
          THB_ASSIGN_OR_RETURN(auto body, BodyTable().Find(tx, m.body().substr(sizeof("bodies"))));
          if (!body.has_value()) {
            return InvalidField("meeting.body", absl::StrCat(m.body(), " does not exist"));
          }
        }
        const std::string id =
            request.meeting_id().empty() ? NewResourceId() : request.meeting_id();
        result = m;
        result.set_name(absl::StrCat(kCollection, "/", id));
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
        return MeetingTable().Insert(tx, id, result);
      });
}

absl::StatusOr<v1::Meeting> Meetings::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  v1::Meeting found;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(auto stored, MeetingTable().Load(tx, id, name));
    found = std::move(stored.resource);
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<v1::ListMeetingsResponse> Meetings::List(const v1::ListMeetingsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  if (!v1::Meeting::State_IsValid(request.state())) {
    return InvalidField("state", "unknown meeting state");
  }
  // body: "" = every meeting, "commission" = plenaries, "bodies/x" = that body's.
  const std::string body = request.body() == kCommission ? "" : request.body();
  const ListQuery query = {
      "meetings",
      "($1 = 1 OR body = $2) AND ($3 = 0 OR state = $3)",
      {int64_t{request.body().empty() ? 1 : 0}, body, int64_t{request.state()}}};
  v1::ListMeetingsResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListById(tx, query, page, out.mutable_meetings(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::Meeting> Meetings::Cancel(const AuditActor& actor,
                                             const v1::CancelMeetingRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  return UpdateResource<v1::Meeting>(
      db_, {actor, "CancelMeeting", request.request_id()}, MeetingTable(),
      {id, request.name(), request.etag()}, clock_.Now(),
      [&](Transaction&, v1::Meeting& result) -> absl::Status {
        THB_RETURN_IF_ERROR(
            RequireScheduled(result, request.name(), "only a SCHEDULED meeting can be cancelled"));
        result.set_state(v1::Meeting::STATE_CANCELLED);
        result.set_cancel_reason(request.reason());
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Meeting> Meetings::RecordOutcome(
    const AuditActor& actor, const v1::RecordMeetingOutcomeRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  FieldViolations v;
  ValidateOutcome(request, v);
  THB_RETURN_IF_ERROR(v.ToStatus());
  // Coordinator checks first, outside the write transaction.
  for (int d = 0; d < request.decisions_size(); ++d) {
    for (int a = 0; a < request.decisions(d).action_items_size(); ++a) {
      THB_RETURN_IF_ERROR(
          CheckActionItemReferences(coordinator_, request.decisions(d).action_items(a),
                                    absl::StrCat("decisions[", d, "].action_items[", a, "]")));
    }
  }
  const absl::Time now = clock_.Now();
  return UpdateResource<v1::Meeting>(
      db_, {actor, "RecordMeetingOutcome", request.request_id()}, MeetingTable(),
      {id, request.name(), request.etag()}, now,
      [&](Transaction& tx, v1::Meeting& result) -> absl::Status {
        THB_RETURN_IF_ERROR(RequireScheduled(
            result, request.name(), "an outcome is recorded once, for a SCHEDULED meeting"));
        THB_ASSIGN_OR_RETURN(std::vector<v1::Member> members, MembersCounted(tx, result.body()));
        THB_RETURN_IF_ERROR(CheckAttendance(request, members, result.body()));
        THB_ASSIGN_OR_RETURN(auto charter, CommissionTable().Find(tx, kCommission));
        const v1::QuorumRule rule =
            charter.has_value() ? charter->resource.quorum_rule() : v1::QuorumRule();
        const Quorum q =
            ComputeQuorum(rule, members, {request.attendance().begin(), request.attendance().end()},
                          DayOf(StartOf(result)));
        result.set_state(v1::Meeting::STATE_HELD);
        *result.mutable_attendance() = request.attendance();
        result.set_quorum_met(q.met);
        result.set_voting_present(q.voting_present);
        result.set_voting_total(q.voting_total);
        result.set_minutes(request.minutes());
        result.set_minutes_public(request.minutes_public());
        *result.mutable_decisions() = request.decisions();
        return InsertDecidedActionItems(tx, result, now);
      });
}

absl::StatusOr<v1::Meeting> Meetings::Update(const AuditActor& actor,
                                             const v1::UpdateMeetingRequest& request) {
  static const std::vector<std::string> kWritable = {"title", "start_time", "location", "agenda"};
  const v1::Meeting& patch = request.meeting();
  THB_ASSIGN_OR_RETURN(std::string id,
                       ParseResourceName(patch.name(), kCollection, "meeting.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(),
                        {kWritable, {"name", "state", "create_time", "update_time", "etag"}, {}},
                        "Meeting"));
  THB_RETURN_IF_ERROR(CheckAgendaMeasures(coordinator_, patch));
  return UpdateResource<v1::Meeting>(
      db_, {actor, "UpdateMeeting", request.request_id()}, MeetingTable(),
      {id, patch.name(), patch.etag()}, clock_.Now(),
      [&](Transaction&, v1::Meeting& result) -> absl::Status {
        THB_RETURN_IF_ERROR(
            RequireScheduled(result, patch.name(), "only a SCHEDULED meeting changes"));
        ApplyUpdateMask(patch, mask, &result);
        FieldViolations fv;
        ValidateSchedule(result, fv);
        return fv.ToStatus();
      });
}

absl::StatusOr<v1::CadenceAnalysis> Meetings::AnalyzeCadence(const std::string& name) {
  if (name != kCommission) {
    return InvalidField("name", "the Commission's name is \"commission\"");
  }
  v1::CadenceAnalysis out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(auto charter, CommissionTable().Find(tx, kCommission));
    if (!charter.has_value() || charter->resource.meeting_cadence_days() <= 0) {
      return PreconditionFailed(type::v1::ERROR_REASON_CADENCE_NOT_SET,
                                type::v1::PRECONDITION_TYPE_CONFIGURATION, "commission",
                                "the Commission has no meeting cadence yet (UpdateCommission)");
    }
    THB_ASSIGN_OR_RETURN(std::vector<v1::Meeting> plenaries,
                         LoadMessages<v1::Meeting>(
                             tx, "SELECT data FROM meetings WHERE body = '' ORDER BY start_time"));
    out = ComputeCadence(charter->resource.meeting_cadence_days(), std::move(plenaries),
                         DayOf(clock_.Now()));
    return absl::OkStatus();
  }));
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

absl::StatusOr<v1::ParticipationAnalysis> Meetings::AnalyzeParticipation(const std::string& name) {
  if (name != kCommission) {
    return InvalidField("name", "the Commission's name is \"commission\"");
  }
  v1::ParticipationAnalysis out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(std::vector<v1::Member> members,
                         LoadMessages<v1::Member>(tx, "SELECT data FROM members ORDER BY id"));
    THB_ASSIGN_OR_RETURN(std::vector<v1::Meeting> meetings,
                         LoadMessages<v1::Meeting>(tx, "SELECT data FROM meetings"));
    THB_ASSIGN_OR_RETURN(std::vector<v1::Submission> submissions,
                         LoadMessages<v1::Submission>(tx, "SELECT data FROM submissions"));
    out = ComputeParticipation(members, meetings, submissions);
    return absl::OkStatus();
  }));
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

}  // namespace thb::commission
