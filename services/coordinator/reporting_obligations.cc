#include "services/coordinator/reporting_obligations.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/filter_terms.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/coordinator/document_links.h"
#include "services/coordinator/plan_store.h"
#include "services/coordinator/resource_links.h"

namespace thb::coordinator {
namespace {

constexpr char kCollection[] = "obligations";
const std::vector<std::string> kWritable = {
    "title",        "monitoring_body", "body_kind",        "instrument",
    "cycle_months", "next_due_date",   "lead_institution", "state"};
const std::vector<std::string> kOutputOnly = {"name", "create_time", "update_time", "etag"};
const std::vector<std::string> kCycleWritable = {"label", "due_date"};
const std::vector<std::string> kCycleOutputOnly = {"name",         "state",      "submitted_on",
                                                   "document_uri", "drafted_by", "create_time",
                                                   "update_time",  "etag"};

const ResourceTable<v1::ReportingObligation>& ObligationTable() {
  static const ResourceTable<v1::ReportingObligation> table(
      "obligations", "reporting obligation",
      {{"state", [](const v1::ReportingObligation& o) { return Value(int64_t{o.state()}); }}});
  return table;
}

const ResourceTable<v1::ReportingCycle>& CycleTable() {
  static const ResourceTable<v1::ReportingCycle> table(
      "obligation_cycles", "reporting cycle",
      {{"obligation",
        [](const v1::ReportingCycle& c) {
          return Value(c.name().substr(0, c.name().find("/cycles/")));
        }},
       {"state", [](const v1::ReportingCycle& c) { return Value(int64_t{c.state()}); }}});
  return table;
}

// Due dates stay well inside the calendar, so that moving one on by a cycle (at most 120 months)
// always gives a valid date.
bool IsPlausibleDueDate(const google::type::Date& d) { return d.year() < 2200; }

void Validate(const v1::ReportingObligation& o, FieldViolations& v) {
  if (o.title().empty()) v.Add("obligation.title", "is required");
  if (o.monitoring_body().empty()) v.Add("obligation.monitoring_body", "is required");
  if (o.body_kind() == v1::MONITORING_BODY_KIND_UNSPECIFIED ||
      !v1::MonitoringBodyKind_IsValid(o.body_kind())) {
    v.Add("obligation.body_kind", "must be one of the MonitoringBodyKind values");
  }
  if (o.cycle_months() < 0 || o.cycle_months() > 120) {
    v.Add("obligation.cycle_months", "must be between 0 (one-off) and 120");
  }
  if (!v1::ReportingObligation::State_IsValid(o.state()) ||
      o.state() == v1::ReportingObligation::STATE_UNSPECIFIED) {
    v.Add("obligation.state", "must be ACTIVE or ENDED");
  }
  if (o.state() == v1::ReportingObligation::STATE_ACTIVE && !IsValidDate(o.next_due_date())) {
    v.Add("obligation.next_due_date", "must be a valid date while the obligation is ACTIVE");
  } else if (IsSet(o.next_due_date()) && !IsValidDate(o.next_due_date())) {
    v.Add("obligation.next_due_date", "is not a valid calendar date");
  } else if (IsSet(o.next_due_date()) && !IsPlausibleDueDate(o.next_due_date())) {
    v.Add("obligation.next_due_date", "must be before the year 2200");
  }
}

absl::Status CheckLead(Transaction& tx, const v1::ReportingObligation& o,
                       const v1::ReportingObligation* before) {
  if (o.lead_institution().empty()) return absl::OkStatus();
  FieldViolations v;
  const bool unchanged = before != nullptr && before->lead_institution() == o.lead_institution();
  THB_RETURN_IF_ERROR(CheckInstitutionReference(tx, o.lead_institution(),
                                                "obligation.lead_institution", !unchanged, v));
  return v.ToStatus();
}

// The OPEN cycle of obligation `obligation_name`, if any.
absl::StatusOr<std::optional<std::string>> OpenCycle(Transaction& tx,
                                                     const std::string& obligation_name) {
  THB_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT id FROM obligation_cycles WHERE obligation = $1 AND state = $2 LIMIT 1",
               {obligation_name, int64_t{v1::ReportingCycle::STATE_OPEN}}));
  if (rows.empty()) return std::optional<std::string>();
  const std::string id = rows[0].Text(0);
  return std::optional<std::string>(
      absl::StrCat(obligation_name, "/cycles/", id.substr(id.find('/') + 1)));
}

class ObligationFilter {
 public:
  static absl::StatusOr<ObligationFilter> Parse(const std::string& text) {
    ObligationFilter f;
    THB_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, SplitFilter(text, "="));
    THB_RETURN_IF_ERROR(RejectRepeatedFields(terms));
    for (const FilterTerm& t : terms) {
      if (t.field == "state") {
        THB_ASSIGN_OR_RETURN(f.state_, FilterEnumNumber(v1::ReportingObligation::State_descriptor(),
                                                        "STATE_", t.value, "obligation state"));
      } else if (t.field == "body_kind") {
        THB_ASSIGN_OR_RETURN(f.body_kind_, FilterEnumNumber(v1::MonitoringBodyKind_descriptor(),
                                                            "MONITORING_BODY_KIND_", t.value,
                                                            "monitoring body kind"));
      } else if (t.field == "monitoring_body") {
        f.monitoring_body_ = t.value;
      } else if (t.field == "overdue") {
        THB_ASSIGN_OR_RETURN(f.overdue_, FilterBool(t.field, t.value));
      } else {
        return InvalidField("filter",
                            absl::StrCat("cannot filter on \"", t.field,
                                         "\" (state, body_kind, monitoring_body, overdue)"));
      }
    }
    return f;
  }
  bool Matches(const v1::ReportingObligation& o, absl::CivilDay today) const {
    if (state_ && o.state() != *state_) return false;
    if (body_kind_ && o.body_kind() != *body_kind_) return false;
    if (monitoring_body_ && o.monitoring_body() != *monitoring_body_) return false;
    if (overdue_ && IsOverdue(o, today) != *overdue_) return false;
    return true;
  }

 private:
  std::optional<int> state_;
  std::optional<int> body_kind_;
  std::optional<std::string> monitoring_body_;
  std::optional<bool> overdue_;
};

}  // namespace

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  const absl::CivilMonth month = absl::CivilMonth(day) + months;
  const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
  return absl::CivilDay(month.year(), month.month(), std::min(day.day(), last.day()));
}

bool IsOverdue(const v1::ReportingObligation& o, absl::CivilDay today) {
  return o.state() == v1::ReportingObligation::STATE_ACTIVE && IsValidDate(o.next_due_date()) &&
         ToCivilDay(o.next_due_date()) < today;
}

absl::StatusOr<v1::ReportingObligation> ReportingObligations::Create(
    const AuditActor& actor, const v1::CreateReportingObligationRequest& request) {
  v1::ReportingObligation proposed = request.obligation();
  if (proposed.state() == v1::ReportingObligation::STATE_UNSPECIFIED) {
    proposed.set_state(v1::ReportingObligation::STATE_ACTIVE);
  }
  FieldViolations v;
  Validate(proposed, v);
  if (!request.obligation_id().empty() && !IsValidResourceId(request.obligation_id())) {
    v.Add("obligation_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::ReportingObligation>(
      db_, {actor, "CreateReportingObligation", request.request_id()},
      [&](Transaction& tx, v1::ReportingObligation& result) -> absl::Status {
        result = proposed;
        THB_RETURN_IF_ERROR(CheckLead(tx, result, nullptr));
        const std::string id =
            request.obligation_id().empty() ? NewResourceId() : request.obligation_id();
        result.set_name(absl::StrCat(kCollection, "/", id));
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        THB_RETURN_IF_ERROR(ObligationTable().Insert(tx, id, result));
        return SaveLinks(tx, result.name(), {result.lead_institution()});
      });
}

absl::StatusOr<v1::ReportingObligation> ReportingObligations::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(auto found, ObligationTable().Read(db_, id));
  if (!found.has_value()) return ObligationTable().NotFound(name);
  return *std::move(found);
}

absl::StatusOr<v1::ListReportingObligationsResponse> ReportingObligations::List(
    const v1::ListReportingObligationsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  THB_ASSIGN_OR_RETURN(ObligationFilter filter, ObligationFilter::Parse(request.filter()));
  const absl::CivilDay today = DayOf(clock_.Now());
  v1::ListReportingObligationsResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListByIdFiltered(
        tx, {ObligationTable().table()}, page,
        [&](const v1::ReportingObligation& o) { return filter.Matches(o, today); },
        out.mutable_obligations(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::ReportingObligation> ReportingObligations::Update(
    const AuditActor& actor, const v1::UpdateReportingObligationRequest& request) {
  const v1::ReportingObligation& patch = request.obligation();
  THB_ASSIGN_OR_RETURN(std::string id,
                       ParseResourceName(patch.name(), kCollection, "obligation.name"));
  THB_ASSIGN_OR_RETURN(google::protobuf::FieldMask mask,
                       ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}},
                                         "ReportingObligation"));
  return UpdateResource<v1::ReportingObligation>(
      db_, {actor, "UpdateReportingObligation", request.request_id()}, ObligationTable(),
      {id, patch.name(), patch.etag()}, clock_.Now(),
      [&](Transaction& tx, v1::ReportingObligation& result) -> absl::Status {
        const v1::ReportingObligation before = result;
        ApplyUpdateMask(patch, mask, &result);
        FieldViolations v;
        Validate(result, v);
        THB_RETURN_IF_ERROR(v.ToStatus());
        THB_RETURN_IF_ERROR(CheckLead(tx, result, &before));
        return SaveLinks(tx, result.name(), {result.lead_institution()});
      });
}

absl::Status ReportingObligations::Delete(const AuditActor& actor,
                                          const v1::DeleteReportingObligationRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  return RunMutation(
      db_, {actor, "DeleteReportingObligation", request.request_id(), request.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto stored, ObligationTable().Load(tx, id, request.name()));
        THB_RETURN_IF_ERROR(CheckEtag(request.etag(), stored.resource.etag(), request.name()));
        THB_ASSIGN_OR_RETURN(
            std::vector<Row> cycles,
            tx.Query("SELECT id FROM obligation_cycles WHERE obligation = $1 LIMIT 1",
                     {request.name()}));
        if (!cycles.empty()) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_OBLIGATION_HAS_CYCLES, type::v1::PRECONDITION_TYPE_IN_USE,
              request.name(),
              absl::StrCat(request.name(), " has reporting cycles; end it instead of deleting it"));
        }
        THB_RETURN_IF_ERROR(RequireUnreferenced(tx, request.name()));
        THB_RETURN_IF_ERROR(DeleteLinks(tx, request.name()));
        return tx.Execute("DELETE FROM obligations WHERE id = $1", {id}).status();
      });
}

absl::StatusOr<v1::ReportingCycle> ReportingObligations::CreateCycle(
    const AuditActor& actor, const v1::CreateReportingCycleRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string obligation_id,
                       ParseResourceName(request.parent(), kCollection, "parent"));
  const v1::ReportingCycle& cycle = request.cycle();
  FieldViolations v;
  if (cycle.label().empty()) v.Add("cycle.label", "is required");
  if (IsSet(cycle.due_date()) &&
      (!IsValidDate(cycle.due_date()) || !IsPlausibleDueDate(cycle.due_date()))) {
    v.Add("cycle.due_date", "must be a valid date before the year 2200");
  }
  if (!request.cycle_id().empty() && !IsValidResourceId(request.cycle_id())) {
    v.Add("cycle_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::ReportingCycle>(
      db_, {actor, "CreateReportingCycle", request.request_id()},
      [&](Transaction& tx, v1::ReportingCycle& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto obligation,
                             ObligationTable().Load(tx, obligation_id, request.parent()));
        if (obligation.resource.state() != v1::ReportingObligation::STATE_ACTIVE) {
          return PreconditionFailed(type::v1::ERROR_REASON_OBLIGATION_ENDED,
                                    type::v1::PRECONDITION_TYPE_STATE, request.parent(),
                                    absl::StrCat(request.parent(), " has ENDED; no cycle opens"));
        }
        THB_ASSIGN_OR_RETURN(std::optional<std::string> open, OpenCycle(tx, request.parent()));
        if (open.has_value()) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_CYCLE_ALREADY_OPEN, type::v1::PRECONDITION_TYPE_STATE, *open,
              absl::StrCat(*open, " is still OPEN; submit it before opening another"));
        }
        result = cycle;
        const std::string id = request.cycle_id().empty() ? NewResourceId() : request.cycle_id();
        result.set_name(absl::StrCat(request.parent(), "/cycles/", id));
        if (!IsSet(result.due_date())) {
          *result.mutable_due_date() = obligation.resource.next_due_date();
        }
        result.set_state(v1::ReportingCycle::STATE_OPEN);
        result.clear_submitted_on();
        result.clear_document_uri();
        result.clear_drafted_by();
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        return CycleTable().Insert(tx, absl::StrCat(obligation_id, "/", id), result);
      });
}

absl::StatusOr<v1::ReportingCycle> ReportingObligations::GetCycle(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ParseResourcePath(name, {kCollection, "cycles"}, "name"));
  THB_ASSIGN_OR_RETURN(auto found, CycleTable().Read(db_, ChildKey(ids)));
  if (!found.has_value()) return CycleTable().NotFound(name);
  return *std::move(found);
}

absl::StatusOr<v1::ListReportingCyclesResponse> ReportingObligations::ListCycles(
    const v1::ListReportingCyclesRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string obligation_id,
                       ParseResourceName(request.parent(), kCollection, "parent"));
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  v1::ListReportingCyclesResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_RETURN_IF_ERROR(ObligationTable().Load(tx, obligation_id, request.parent()).status());
    return ListById(tx, {CycleTable().table(), "obligation = $1", {request.parent()}}, page,
                    out.mutable_cycles(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::ReportingCycle> ReportingObligations::UpdateCycle(
    const AuditActor& actor, const v1::UpdateReportingCycleRequest& request) {
  const v1::ReportingCycle& patch = request.cycle();
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ParseResourcePath(patch.name(), {kCollection, "cycles"}, "cycle.name"));
  THB_ASSIGN_OR_RETURN(google::protobuf::FieldMask mask,
                       ResolveUpdateMask(request.update_mask(),
                                         {kCycleWritable, kCycleOutputOnly, {}}, "ReportingCycle"));
  return UpdateResource<v1::ReportingCycle>(
      db_, {actor, "UpdateReportingCycle", request.request_id()}, CycleTable(),
      {ChildKey(ids), patch.name(), patch.etag()}, clock_.Now(),
      [&](Transaction&, v1::ReportingCycle& result) -> absl::Status {
        if (result.state() != v1::ReportingCycle::STATE_OPEN) {
          return PreconditionFailed(type::v1::ERROR_REASON_CYCLE_NOT_OPEN,
                                    type::v1::PRECONDITION_TYPE_STATE, patch.name(),
                                    absl::StrCat(patch.name(), " was submitted; it is a record"));
        }
        ApplyUpdateMask(patch, mask, &result);
        FieldViolations v;
        if (result.label().empty()) v.Add("cycle.label", "is required");
        if (!IsValidDate(result.due_date()) || !IsPlausibleDueDate(result.due_date())) {
          v.Add("cycle.due_date", "must be a valid date before the year 2200");
        }
        return v.ToStatus();
      });
}

absl::StatusOr<v1::ReportingCycle> ReportingObligations::SubmitCycle(
    const AuditActor& actor, const v1::SubmitReportingCycleRequest& request) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ParseResourcePath(request.name(), {kCollection, "cycles"}, "name"));
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = DayOf(now);
  google::type::Date submitted_on =
      IsSet(request.submitted_on()) ? request.submitted_on() : ToDate(today);
  FieldViolations v;
  if (!IsValidDate(submitted_on)) {
    v.Add("submitted_on", "is not a valid calendar date");
  } else if (ToCivilDay(submitted_on) > today) {
    v.Add("submitted_on", "must not be in the future");
  }
  if (!IsDocumentLink(request.document_uri())) {
    v.Add("document_uri", "must be an https or http link to the submitted document");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::ReportingCycle>(
      db_, {actor, "SubmitReportingCycle", request.request_id()},
      [&](Transaction& tx, v1::ReportingCycle& result) -> absl::Status {
        FieldViolations refs;
        for (int i = 0; i < request.drafted_by_size(); ++i) {
          THB_RETURN_IF_ERROR(CheckInstitutionReference(
              tx, request.drafted_by(i), absl::StrCat("drafted_by[", i, "]"), true, refs));
        }
        THB_RETURN_IF_ERROR(refs.ToStatus());
        THB_RETURN_IF_ERROR(ChangeStored<v1::ReportingCycle>(
            tx, CycleTable(), {ChildKey(ids), request.name(), request.etag()}, now,
            [&](Transaction&, v1::ReportingCycle& cycle) -> absl::Status {
              if (cycle.state() != v1::ReportingCycle::STATE_OPEN) {
                return PreconditionFailed(type::v1::ERROR_REASON_CYCLE_NOT_OPEN,
                                          type::v1::PRECONDITION_TYPE_STATE, request.name(),
                                          absl::StrCat(request.name(), " was already submitted"));
              }
              cycle.set_state(v1::ReportingCycle::STATE_SUBMITTED);
              *cycle.mutable_submitted_on() = submitted_on;
              cycle.set_document_uri(request.document_uri());
              *cycle.mutable_drafted_by() = request.drafted_by();
              return absl::OkStatus();
            },
            result));
        const std::string obligation_name = absl::StrCat(kCollection, "/", ids[0]);
        v1::ReportingObligation ignored;
        THB_RETURN_IF_ERROR(ChangeStored<v1::ReportingObligation>(
            tx, ObligationTable(), {ids[0], obligation_name, ""}, now,
            [&](Transaction&, v1::ReportingObligation& o) -> absl::Status {
              if (o.cycle_months() == 0) {
                o.set_state(v1::ReportingObligation::STATE_ENDED);
                o.clear_next_due_date();
                return absl::OkStatus();
              }
              const absl::CivilDay next =
                  AddMonths(ToCivilDay(result.due_date()), o.cycle_months());
              if (!IsValidDate(o.next_due_date()) || ToCivilDay(o.next_due_date()) < next) {
                *o.mutable_next_due_date() = ToDate(next);
              }
              return absl::OkStatus();
            },
            ignored));
        return SaveLinks(tx, request.name(),
                         {request.drafted_by().begin(), request.drafted_by().end()});
      });
}

absl::StatusOr<v1::ObligationsCalendar> ReportingObligations::Calendar(
    const v1::GetObligationsCalendarRequest& request) {
  if (request.horizon_days() < 0 || request.horizon_days() > 3650) {
    return InvalidField("horizon_days", "must be between 1 and 3650 (0 for the default, 365)");
  }
  const int horizon = request.horizon_days() == 0 ? 365 : request.horizon_days();
  const absl::CivilDay today = DayOf(clock_.Now());
  v1::ObligationsCalendar out;
  *out.mutable_as_of() = ToDate(today);
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(std::vector<v1::ReportingObligation> active,
                         LoadMessages<v1::ReportingObligation>(
                             tx, "SELECT data FROM obligations WHERE state = $1 ORDER BY id",
                             {int64_t{v1::ReportingObligation::STATE_ACTIVE}}));
    for (const v1::ReportingObligation& o : active) {
      if (!IsValidDate(o.next_due_date())) continue;
      const absl::CivilDay due = ToCivilDay(o.next_due_date());
      if (due - today > horizon) continue;
      v1::ObligationsCalendarEntry& e = *out.add_entries();
      e.set_obligation(o.name());
      e.set_title(o.title());
      e.set_monitoring_body(o.monitoring_body());
      e.set_body_kind(o.body_kind());
      *e.mutable_due_date() = o.next_due_date();
      e.set_days_until_due(static_cast<int32_t>(due - today));
      e.set_overdue(due < today);
      e.set_lead_institution(o.lead_institution());
      THB_ASSIGN_OR_RETURN(std::optional<std::string> open, OpenCycle(tx, o.name()));
      if (open.has_value()) e.set_open_cycle(*open);
      if (e.overdue()) out.set_overdue_count(out.overdue_count() + 1);
    }
    return absl::OkStatus();
  }));
  std::stable_sort(
      out.mutable_entries()->begin(), out.mutable_entries()->end(),
      [](const v1::ObligationsCalendarEntry& a, const v1::ObligationsCalendarEntry& b) {
        return a.days_until_due() < b.days_until_due();
      });
  return out;
}

absl::StatusOr<int64_t> ReportingObligations::CountOverdue() {
  const absl::CivilDay today = DayOf(clock_.Now());
  int64_t overdue = 0;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(
        std::vector<v1::ReportingObligation> active,
        LoadMessages<v1::ReportingObligation>(tx, "SELECT data FROM obligations WHERE state = $1",
                                              {int64_t{v1::ReportingObligation::STATE_ACTIVE}}));
    for (const v1::ReportingObligation& o : active) overdue += IsOverdue(o, today) ? 1 : 0;
    return absl::OkStatus();
  }));
  return overdue;
}

}  // namespace thb::coordinator
