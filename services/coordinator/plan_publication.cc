// ActionPlans: what the Co-ordinator publishes about a plan: the coverage, progress and funding
// analyses, the public report of an adopted or closed plan, and the figures of the domain gauges.
#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/versioned_rows.h"
#include "services/coordinator/action_plans.h"
#include "services/coordinator/budget_lines.h"
#include "services/coordinator/institution_registry.h"
#include "services/coordinator/mandate_registry.h"
#include "services/coordinator/plan_analysis.h"
#include "services/coordinator/plan_store.h"

namespace thb::coordinator {

struct ActionPlans::PlanContents {
  v1::ActionPlan plan;
  std::vector<v1::Objective> objectives;
  std::vector<v1::Measure> measures;
  std::vector<thb::type::v1::FormOfExploitation> mandate_forms;
  std::vector<v1::BudgetLine> budget_lines;  // linked to the plan or its measures
};

namespace {

// The public's view of a measure: no internal notes, no budget, the lead by its display name.
v1::PublicMeasure PublicMeasureOf(const v1::Measure& m, const std::string& lead_institution_name) {
  v1::PublicMeasure pm;
  pm.set_name(m.name());
  pm.set_title(m.title());
  pm.set_pillar(m.pillar());
  *pm.mutable_forms() = m.forms();
  pm.set_lead_institution_name(lead_institution_name);
  *pm.mutable_start_date() = m.start_date();
  *pm.mutable_due_date() = m.due_date();
  pm.set_status(m.status());
  pm.set_progress_percent(m.progress_percent());
  *pm.mutable_indicators() = m.indicators();
  pm.set_objective(m.objective());
  return pm;
}

}  // namespace

absl::StatusOr<ActionPlans::PlanContents> ActionPlans::LoadContents(const PlanAudience& a,
                                                                    const std::string& plan_name) {
  THB_ASSIGN_OR_RETURN(std::string id, PlanId(plan_name, "plan"));
  PlanContents c;
  THB_RETURN_IF_ERROR(
      ReadVisiblePlan(db_, a, id, [&](Transaction& tx, const v1::ActionPlan& plan) -> absl::Status {
        c.plan = plan;
        THB_ASSIGN_OR_RETURN(
            c.objectives, LoadMessages<v1::Objective>(
                              tx, "SELECT data FROM objectives WHERE plan = $1 ORDER BY id", {id}));
        THB_ASSIGN_OR_RETURN(
            c.measures, LoadMessages<v1::Measure>(
                            tx, "SELECT data FROM measures WHERE plan = $1 ORDER BY id", {id}));
        THB_ASSIGN_OR_RETURN(c.budget_lines, LoadPlanBudgetLines(tx, id));
        THB_ASSIGN_OR_RETURN(std::optional<v1::Mandate> mandate, FindMandate(tx));
        if (mandate.has_value()) {
          for (int f : mandate->forms_in_scope()) {
            c.mandate_forms.push_back(static_cast<thb::type::v1::FormOfExploitation>(f));
          }
        }
        return absl::OkStatus();
      }));
  return c;
}

absl::StatusOr<v1::CoverageAnalysis> ActionPlans::AnalyzeCoverage(const PlanAudience& a,
                                                                  const std::string& plan) {
  THB_ASSIGN_OR_RETURN(PlanContents c, LoadContents(a, plan));
  v1::CoverageAnalysis out = ComputeCoverage(c.plan, c.measures, c.mandate_forms);
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

absl::StatusOr<v1::ProgressAnalysis> ActionPlans::AnalyzeProgress(const PlanAudience& a,
                                                                  const std::string& plan) {
  THB_ASSIGN_OR_RETURN(PlanContents c, LoadContents(a, plan));
  const absl::Time now = clock_.Now();
  v1::ProgressAnalysis out = ComputeProgress(c.plan, c.objectives, c.measures, DayOf(now));
  *out.mutable_compute_time() = ToProtoTimestamp(now);
  return out;
}

absl::StatusOr<v1::FundingAnalysis> ActionPlans::AnalyzeFunding(const PlanAudience& a,
                                                                const std::string& plan) {
  THB_ASSIGN_OR_RETURN(PlanContents c, LoadContents(a, plan));
  v1::FundingAnalysis out = ComputeFunding(c.plan, c.measures);
  ReconcileBudgetLines(c.plan.currency_code(), c.measures, c.budget_lines, out);
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

absl::StatusOr<v1::PublicReport> ActionPlans::GetPublicReport(const PlanAudience& a,
                                                              const std::string& plan) {
  THB_ASSIGN_OR_RETURN(PlanContents c, LoadContents(a, plan));
  const v1::ActionPlan::State state = c.plan.state();
  if (state != v1::ActionPlan::STATE_ADOPTED && state != v1::ActionPlan::STATE_CLOSED) {
    return PreconditionFailed(type::v1::ERROR_REASON_PLAN_NOT_PUBLISHED,
                              type::v1::PRECONDITION_TYPE_STATE, plan,
                              absl::StrCat("plan ", plan, " is ", PlanStateName(state),
                                           "; only ADOPTED or CLOSED plans are published"));
  }
  std::map<std::string, std::string> institution_names;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    for (const v1::Measure& m : c.measures) {
      if (institution_names.count(m.lead_institution())) continue;
      THB_ASSIGN_OR_RETURN(std::optional<v1::Institution> lead,
                           FindInstitution(tx, m.lead_institution()));
      institution_names[m.lead_institution()] = lead.has_value() ? lead->display_name() : "";
    }
    return absl::OkStatus();
  }));
  const absl::Time now = clock_.Now();
  v1::PublicReport out;
  out.set_plan(c.plan.name());
  out.set_title(c.plan.title());
  out.set_description(c.plan.description());
  *out.mutable_period_start() = c.plan.period_start();
  *out.mutable_period_end() = c.plan.period_end();
  out.set_state(state);
  for (const auto& o : c.objectives) *out.add_objectives() = o;
  for (const auto& m : c.measures) {
    *out.add_measures() = PublicMeasureOf(m, institution_names[m.lead_institution()]);
  }
  *out.mutable_coverage() = ComputeCoverage(c.plan, c.measures, c.mandate_forms);
  *out.mutable_progress() = ComputeProgress(c.plan, c.objectives, c.measures, DayOf(now));
  *out.mutable_funding() = ComputeFunding(c.plan, c.measures);
  for (auto* t : {out.mutable_coverage()->mutable_compute_time(),
                  out.mutable_progress()->mutable_compute_time(),
                  out.mutable_funding()->mutable_compute_time()}) {
    *t = ToProtoTimestamp(now);
  }
  // Funding per lead institution is internal planning detail; the public sees pillars and sources.
  out.mutable_funding()->clear_by_institution();
  return out;
}

absl::StatusOr<ActionPlans::Figures> ActionPlans::CurrentFigures() {
  Figures f;
  const absl::CivilDay today = DayOf(clock_.Now());
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query("SELECT m.data, p.data FROM measures m JOIN plans p ON p.id = m.plan "
                 "WHERE p.state = $1",
                 {int64_t{v1::ActionPlan::STATE_ADOPTED}}));
    for (int st = v1::MEASURE_STATUS_PLANNED; st <= v1::MEASURE_STATUS_CANCELLED; ++st) {
      f.measures_by_status[v1::MeasureStatus_Name(st)] = 0;
    }
    for (const Row& row : rows) {
      v1::Measure m;
      if (!m.ParseFromString(row.Text(0)))
        return absl::DataLossError("stored measure does not parse");
      ++f.measures_by_status[v1::MeasureStatus_Name(m.status())];
      if (IsOverdue(m, today)) ++f.overdue_measures;
      if (m.status() == v1::MEASURE_STATUS_CANCELLED) continue;
      const std::string& cur = m.budget().allocated().currency_code();
      f.allocated_by_currency[cur] += static_cast<double>(ToNanos(m.budget().allocated())) / 1e9;
      f.spent_by_currency[cur] += static_cast<double>(ToNanos(m.budget().spent())) / 1e9;
    }
    return absl::OkStatus();
  }));
  return f;
}

}  // namespace thb::coordinator
