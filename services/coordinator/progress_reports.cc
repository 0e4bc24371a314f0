// ActionPlans: progress reports on a measure of an ADOPTED plan, from its lead institution (or
// the office). A report moves the measure's indicators, spending, progress and status in the
// same transaction; reports are listed newest first.
#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resources.h"
#include "services/coordinator/action_plans.h"
#include "services/coordinator/plan_store.h"

namespace thb::coordinator {
namespace {

// Field-level checks of a report; what it says about the measure is checked by ApplyReport.
absl::Status ValidateReport(const v1::ProgressReport& report, absl::CivilDay today) {
  FieldViolations v;
  if (report.narrative().empty()) v.Add("progress_report.narrative", "is required");
  if (report.progress_percent() < 0 || report.progress_percent() > 100) {
    v.Add("progress_report.progress_percent", "must be between 0 and 100");
  }
  if (report.status() != v1::MEASURE_STATUS_UNSPECIFIED &&
      report.status() != v1::MEASURE_STATUS_IN_PROGRESS &&
      report.status() != v1::MEASURE_STATUS_COMPLETED &&
      report.status() != v1::MEASURE_STATUS_DELAYED) {
    v.Add("progress_report.status", "a report may set IN_PROGRESS, COMPLETED or DELAYED");
  }
  if (IsSet(report.as_of()) &&
      (!IsValidDate(report.as_of()) || ToCivilDay(report.as_of()) > today)) {
    v.Add("progress_report.as_of", "must be a valid date, not in the future");
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < report.indicator_values_size(); ++i) {
    if (!seen.insert(report.indicator_values(i).name()).second) {
      v.Add(absl::StrCat("progress_report.indicator_values[", i, "].name"), "is reported twice");
    }
  }
  return v.ToStatus();
}

// PERMISSION_DENIED unless `caller` is the office or the lead institution of `measure`.
absl::Status CheckReporter(const Principal& caller, const v1::Measure& measure,
                           const std::string& measure_name) {
  if (caller.HasRole(roles::kCoordinatorOffice) ||
      caller.institution == measure.lead_institution()) {
    return absl::OkStatus();
  }
  return Denied(type::v1::ERROR_REASON_NOT_LEAD_INSTITUTION,
                absl::StrCat("only the lead institution ", measure.lead_institution(),
                             " reports progress on ", measure_name, "; the token names ",
                             caller.institution.empty() ? "no institution" : caller.institution));
}

// Moves `measure` by `report`: indicator values, spending (in the plan's `currency`), progress
// and status. INVALID_ARGUMENT, and `measure` is not to be saved, when the report's spending is
// not in the plan's currency or it names an indicator the measure does not have.
absl::Status ApplyReport(const v1::ProgressReport& report, const std::string& currency,
                         v1::Measure& measure) {
  if (!IsAmountIn(currency, report.amount_spent())) {
    return InvalidField(
        "progress_report.amount_spent",
        absl::StrCat("must be a non-negative amount in the plan's currency ", currency));
  }
  FieldViolations fv;
  for (int i = 0; i < report.indicator_values_size(); ++i) {
    const auto& iv = report.indicator_values(i);
    auto it =
        std::find_if(measure.mutable_indicators()->begin(), measure.mutable_indicators()->end(),
                     [&](const v1::Indicator& ind) { return ind.name() == iv.name(); });
    if (it == measure.mutable_indicators()->end()) {
      fv.Add(absl::StrCat("progress_report.indicator_values[", i, "].name"),
             absl::StrCat("the measure has no indicator \"", iv.name(), "\""));
    } else {
      it->set_current(iv.value());
    }
  }
  THB_RETURN_IF_ERROR(fv.ToStatus());
  *measure.mutable_budget()->mutable_spent() =
      FromNanos(currency, ToNanos(measure.budget().spent()) + ToNanos(report.amount_spent()));
  measure.set_progress_percent(report.progress_percent());
  if (report.status() != v1::MEASURE_STATUS_UNSPECIFIED) {
    measure.set_status(report.status());
  } else if (measure.status() == v1::MEASURE_STATUS_PLANNED) {
    measure.set_status(v1::MEASURE_STATUS_IN_PROGRESS);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ProgressReport> ActionPlans::CreateProgressReport(
    const AuditActor& actor, const Principal& caller, const v1::CreateProgressReportRequest& r) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids, ChildIds(r.parent(), "measures", "parent"));
  const v1::ProgressReport& report = r.progress_report();
  const absl::Time now = clock_.Now();
  THB_RETURN_IF_ERROR(ValidateReport(report, DayOf(now)));
  return RunMutation<v1::ProgressReport>(
      db_, {actor, "CreateProgressReport", r.request_id()},
      [&](Transaction& tx, v1::ProgressReport& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(Versioned<v1::ActionPlan> plan, LoadPlan(tx, ids[0]));
        // A plan the caller may not read answers as one that does not exist: nothing about its
        // measures (whether they exist, who leads them) may tell its drafts apart.
        if (!PlanAudience::For(caller).CanSee(plan.resource.state())) {
          return Plans().NotFound(PlanName(ids[0]));
        }
        v1::Measure measure;
        THB_RETURN_IF_ERROR(ChangeStored<v1::Measure>(
            tx, Measures(), {ChildKey(ids), r.parent(), ""}, now,
            [&](Transaction&, v1::Measure& m) -> absl::Status {
              THB_RETURN_IF_ERROR(CheckReporter(caller, m, r.parent()));
              THB_RETURN_IF_ERROR(CheckProgressReporting(PlanName(ids[0]), plan.resource.state()));
              return ApplyReport(report, plan.resource.currency_code(), m);
            },
            measure));
        result = report;
        result.set_name(absl::StrCat(r.parent(), "/progressReports/", NewResourceId()));
        result.set_reporting_institution(caller.institution.empty() ? measure.lead_institution()
                                                                    : caller.institution);
        if (!IsSet(result.as_of())) *result.mutable_as_of() = ToDate(DayOf(now));
        *result.mutable_create_time() = ToProtoTimestamp(now);
        return ProgressReports().Insert(tx, RowIdOf(result.name()), result);
      });
}

absl::StatusOr<v1::ProgressReport> ActionPlans::GetProgressReport(const PlanAudience& a,
                                                                  const std::string& name) {
  return GetVisible(db_, a, ProgressReports(), {"plans", "measures", "progressReports"}, name);
}

absl::StatusOr<v1::ListProgressReportsResponse> ActionPlans::ListProgressReports(
    const PlanAudience& a, const v1::ListProgressReportsRequest& r) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids, ChildIds(r.parent(), "measures", "parent"));
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(r));
  v1::ListProgressReportsResponse out;
  THB_RETURN_IF_ERROR(ReadVisiblePlan(db_, a, ids[0], [&](Transaction& tx, const v1::ActionPlan&) {
    return ListNewestFirst(tx, {ProgressReports().table(), "measure = $1", {ChildKey(ids)}}, page,
                           out.mutable_progress_reports(), out.mutable_next_page_token());
  }));
  return out;
}

}  // namespace thb::coordinator
