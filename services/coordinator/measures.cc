// ActionPlans: the measures of a plan, with their references (an objective of the same plan,
// registered and active institutions) and the filtered list. Creating or deleting a measure, or
// changing one of its structural fields, is a revision of an adopted plan.

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/coordinator/action_plans.h"
#include "services/coordinator/forms_of_exploitation.h"
#include "services/coordinator/institution_registry.h"
#include "services/coordinator/measure_filter.h"
#include "services/coordinator/plan_store.h"
#include "services/coordinator/resource_links.h"

namespace thb::coordinator {
namespace {

const std::vector<std::string> kMeasureWritable = {"objective",
                                                   "title",
                                                   "description",
                                                   "pillar",
                                                   "forms",
                                                   "lead_institution",
                                                   "partner_institutions",
                                                   "start_date",
                                                   "due_date",
                                                   "indicators",
                                                   "budget",
                                                   "weight",
                                                   "status",
                                                   "progress_percent",
                                                   "internal_notes"};
const std::vector<std::string> kMeasureOutputOnly = {"name", "create_time", "update_time", "etag"};
// Fields whose change alters an adopted plan's structure.
const std::vector<std::string> kMeasureStructural = {
    "objective",  "pillar",   "forms",      "lead_institution", "partner_institutions",
    "start_date", "due_date", "indicators", "budget",           "weight"};

void ValidateIndicators(const v1::Measure& m, FieldViolations& v) {
  absl::flat_hash_set<std::string> names;
  for (int i = 0; i < m.indicators_size(); ++i) {
    const auto& ind = m.indicators(i);
    const std::string f = absl::StrCat("measure.indicators[", i, "]");
    if (ind.name().empty()) v.Add(f + ".name", "is required");
    if (!names.insert(ind.name()).second) v.Add(f + ".name", "repeats another indicator's name");
  }
}

// Field-level checks of a measure; references (objective, institutions) are checked separately.
void ValidateMeasure(const v1::Measure& m, const std::string& currency, FieldViolations& v) {
  if (m.title().empty()) v.Add("measure.title", "is required");
  if (m.pillar() == thb::type::v1::PILLAR_UNSPECIFIED ||
      !thb::type::v1::Pillar_IsValid(m.pillar())) {
    v.Add("measure.pillar", "must be one of the Pillar values");
  }
  if (m.forms().empty()) v.Add("measure.forms", "at least one form of exploitation is required");
  CheckFormsOfExploitation(m.forms(), "measure.forms", v);
  if (m.lead_institution().empty()) v.Add("measure.lead_institution", "is required");
  absl::flat_hash_set<std::string> partners;
  for (const auto& p : m.partner_institutions()) {
    if (p == m.lead_institution())
      v.Add("measure.partner_institutions", "must not repeat the lead");
    if (!partners.insert(p).second)
      v.Add("measure.partner_institutions", "lists an institution twice");
  }
  if (IsSet(m.start_date()) && !IsValidDate(m.start_date())) {
    v.Add("measure.start_date", "is not a valid calendar date");
  }
  if (!IsValidDate(m.due_date())) v.Add("measure.due_date", "must be a valid calendar date");
  if (IsValidDate(m.start_date()) && IsValidDate(m.due_date()) &&
      ToCivilDay(m.due_date()) < ToCivilDay(m.start_date())) {
    v.Add("measure.due_date", "must not be before start_date");
  }
  ValidateIndicators(m, v);
  if (!IsAmountIn(currency, m.budget().allocated())) {
    v.Add("measure.budget.allocated",
          absl::StrCat("must be a non-negative amount in the plan's currency ", currency));
  }
  if (m.weight() < 0 || m.weight() > 1000) v.Add("measure.weight", "must be between 0 and 1000");
  if (!v1::MeasureStatus_IsValid(m.status()) || m.status() == v1::MEASURE_STATUS_UNSPECIFIED) {
    v.Add("measure.status", "must be one of the MeasureStatus values");
  }
  if (m.progress_percent() < 0 || m.progress_percent() > 100) {
    v.Add("measure.progress_percent", "must be between 0 and 100");
  }
}

// The objective (in the same plan) and institutions (registered, active) a measure names.
absl::Status CheckMeasureReferences(Transaction& tx, const std::string& plan_id,
                                    const v1::Measure& m) {
  FieldViolations v;
  absl::StatusOr<std::vector<std::string>> objective =
      ChildIds(m.objective(), "objectives", "measure.objective");
  if (!objective.ok() || (*objective)[0] != plan_id) {
    v.Add("measure.objective",
          "must name an objective of the same plan (plans/{plan}/objectives/{id})");
  } else {
    THB_ASSIGN_OR_RETURN(auto found, Objectives().Find(tx, ChildKey(*objective)));
    if (!found.has_value()) {
      v.Add("measure.objective", absl::StrCat(m.objective(), " does not exist"));
    }
  }
  THB_RETURN_IF_ERROR(
      CheckInstitutionReference(tx, m.lead_institution(), "measure.lead_institution", true, v));
  for (int i = 0; i < m.partner_institutions_size(); ++i) {
    THB_RETURN_IF_ERROR(
        CheckInstitutionReference(tx, m.partner_institutions(i),
                                  absl::StrCat("measure.partner_institutions[", i, "]"), true, v));
  }
  return v.ToStatus();
}

}  // namespace

absl::StatusOr<v1::Measure> ActionPlans::CreateMeasure(const AuditActor& actor,
                                                       const Principal& caller,
                                                       const v1::CreateMeasureRequest& r) {
  THB_ASSIGN_OR_RETURN(std::string plan_id, PlanId(r.parent(), "parent"));
  if (!r.measure_id().empty() && !IsValidResourceId(r.measure_id())) {
    return InvalidField("measure_id",
                        "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  return RunMutation<v1::Measure>(
      db_, {actor, "CreateMeasure", r.request_id()},
      [&](Transaction& tx, v1::Measure& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(Versioned<v1::ActionPlan> plan, LoadPlan(tx, plan_id));
        const std::string& currency = plan.resource.currency_code();
        result = r.measure();
        if (result.weight() == 0) result.set_weight(1);
        if (result.status() == v1::MEASURE_STATUS_UNSPECIFIED)
          result.set_status(v1::MEASURE_STATUS_PLANNED);
        result.mutable_budget()->clear_spent();
        FieldViolations v;
        ValidateMeasure(result, currency, v);
        THB_RETURN_IF_ERROR(v.ToStatus());
        THB_RETURN_IF_ERROR(
            CheckStructuralChange(r.parent(), plan.resource.state(), r.revision_reason()));
        THB_RETURN_IF_ERROR(CheckMeasureReferences(tx, plan_id, result));
        const std::string id = r.measure_id().empty() ? NewResourceId() : r.measure_id();
        result.set_name(absl::StrCat(r.parent(), "/measures/", id));
        *result.mutable_budget()->mutable_spent() = FromNanos(currency, 0);
        if (result.budget().allocated().currency_code().empty()) {
          *result.mutable_budget()->mutable_allocated() = FromNanos(currency, 0);
        }
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        THB_RETURN_IF_ERROR(Measures().Insert(tx, ChildKey({plan_id, id}), result));
        THB_RETURN_IF_ERROR(SaveMeasureInstitutions(tx, result));
        return RecordRevision(tx, plan, {r.revision_reason(), "CreateMeasure", result.name()},
                              caller, now);
      });
}

absl::StatusOr<v1::Measure> ActionPlans::GetMeasure(const PlanAudience& a,
                                                    const std::string& name) {
  return GetVisible(db_, a, Measures(), {"plans", "measures"}, name);
}

absl::StatusOr<v1::ListMeasuresResponse> ActionPlans::ListMeasures(
    const PlanAudience& a, const v1::ListMeasuresRequest& r) {
  THB_ASSIGN_OR_RETURN(std::string plan_id, PlanId(r.parent(), "parent"));
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(r));
  THB_ASSIGN_OR_RETURN(MeasureFilter filter, MeasureFilter::Parse(r.filter()));
  const absl::CivilDay today = DayOf(clock_.Now());
  v1::ListMeasuresResponse out;
  THB_RETURN_IF_ERROR(ReadVisiblePlan(db_, a, plan_id, [&](Transaction& tx, const v1::ActionPlan&) {
    return ListByIdFiltered(
        tx, {Measures().table(), "plan = $1", {plan_id}}, page,
        [&](const v1::Measure& m) { return filter.Matches(m, today); }, out.mutable_measures(),
        out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::Measure> ActionPlans::UpdateMeasure(const AuditActor& actor,
                                                       const Principal& caller,
                                                       const v1::UpdateMeasureRequest& r) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ChildIds(r.measure().name(), "measures", "measure.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(r.update_mask(), {kMeasureWritable, kMeasureOutputOnly, {}}, "Measure"));
  const absl::Time now = clock_.Now();
  return RunMutation<v1::Measure>(
      db_, {actor, "UpdateMeasure", r.request_id()},
      [&](Transaction& tx, v1::Measure& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(Versioned<v1::ActionPlan> plan, LoadPlan(tx, ids[0]));
        bool structural = false;
        THB_RETURN_IF_ERROR(ChangeStored<v1::Measure>(
            tx, Measures(), {ChildKey(ids), r.measure().name(), r.measure().etag()}, now,
            [&](Transaction&, v1::Measure& measure) -> absl::Status {
              const v1::Measure before = measure;
              ApplyUpdateMask(r.measure(), mask, &measure);
              *measure.mutable_budget()->mutable_spent() = before.budget().spent();  // reports
              FieldViolations v;
              ValidateMeasure(measure, plan.resource.currency_code(), v);
              THB_RETURN_IF_ERROR(v.ToStatus());
              structural = Differs(before, measure, kMeasureStructural);
              THB_RETURN_IF_ERROR(CheckStructuralChange(
                  PlanName(ids[0]), plan.resource.state(),
                  structural ? absl::string_view(r.revision_reason()) : "not structural"));
              return CheckMeasureReferences(tx, ids[0], measure);
            },
            result));
        THB_RETURN_IF_ERROR(SaveMeasureInstitutions(tx, result));
        if (!structural) return absl::OkStatus();
        return RecordRevision(tx, plan, {r.revision_reason(), "UpdateMeasure", result.name()},
                              caller, now);
      });
}

absl::Status ActionPlans::DeleteMeasure(const AuditActor& actor, const Principal& caller,
                                        const v1::DeleteMeasureRequest& r) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids, ChildIds(r.name(), "measures", "name"));
  return RunMutation(
      db_, {actor, "DeleteMeasure", r.request_id(), r.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(
            Versioned<v1::ActionPlan> plan,
            LoadForStructuralDelete(tx, Measures(), ids, r.name(), r.etag(), r.revision_reason()));
        THB_RETURN_IF_ERROR(RequireUnreferenced(tx, r.name()));
        for (const char* sql : {"DELETE FROM measure_institutions WHERE measure = $2",
                                "DELETE FROM progress_reports WHERE measure = $1",
                                "DELETE FROM measures WHERE id = $1"}) {
          THB_RETURN_IF_ERROR(tx.Execute(sql, {ChildKey(ids), r.name()}));
        }
        return RecordRevision(tx, plan, {r.revision_reason(), "DeleteMeasure", r.name()}, caller,
                              clock_.Now());
      });
}

}  // namespace thb::coordinator
