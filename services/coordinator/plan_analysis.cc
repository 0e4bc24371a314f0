#include "services/coordinator/plan_analysis.h"

#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/numeric/int128.h"
#include "services/common/calendar.h"

namespace thb::coordinator {
namespace {

using thb::type::v1::FormOfExploitation;
using thb::type::v1::Pillar;

bool Counts(const v1::Measure& m) { return m.status() != v1::MEASURE_STATUS_CANCELLED; }

// The deprecated one-string `key` of a roll-up or funding line, still filled for clients written
// before the typed `subject`.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
template <typename T>
void SetLegacyKey(T& line, const std::string& key) {
  line.set_key(key);
}
#pragma GCC diagnostic pop

// What a measure without a funding source is summed under in the deprecated `key`.
constexpr char kNoFundingSourceKey[] = "(unspecified)";

struct Rollup {
  double weighted = 0;
  double weights = 0;
  int measures = 0;
  int completed = 0;
  int overdue = 0;

  void Add(const v1::Measure& m, bool overdue_now) {
    ++measures;
    weighted += m.weight() * m.progress_percent();
    weights += m.weight();
    if (m.status() == v1::MEASURE_STATUS_COMPLETED) ++completed;
    if (overdue_now) ++overdue;
  }
  v1::ProgressRollup ToProto(const std::string& key) const {
    v1::ProgressRollup r;
    SetLegacyKey(r, key);
    r.set_progress_percent(weights > 0 ? weighted / weights : 0);
    r.set_measure_count(measures);
    r.set_completed_count(completed);
    r.set_overdue_count(overdue);
    return r;
  }
};

struct Sum {
  absl::int128 allocated = 0;
  absl::int128 spent = 0;
  int measures = 0;
  void Add(const v1::Measure& m) {
    ++measures;
    allocated += ToNanos(m.budget().allocated());
    spent += ToNanos(m.budget().spent());
  }
  v1::FundingLine ToProto(const std::string& key, const std::string& currency) const {
    v1::FundingLine line;
    SetLegacyKey(line, key);
    *line.mutable_allocated() = FromNanos(currency, allocated);
    *line.mutable_spent() = FromNanos(currency, spent);
    line.set_measure_count(measures);
    return line;
  }
};

}  // namespace

bool IsOverdue(const v1::Measure& m, absl::CivilDay today) {
  if (m.status() == v1::MEASURE_STATUS_COMPLETED || m.status() == v1::MEASURE_STATUS_CANCELLED) {
    return false;
  }
  return IsValidDate(m.due_date()) && ToCivilDay(m.due_date()) < today;
}

v1::CoverageAnalysis ComputeCoverage(const v1::ActionPlan& plan,
                                     const std::vector<v1::Measure>& measures,
                                     const std::vector<FormOfExploitation>& mandate_forms) {
  std::map<std::pair<int, int>, Sum> cells;
  absl::flat_hash_set<int> covered;
  for (const v1::Measure& m : measures) {
    if (!Counts(m)) continue;
    for (int form : m.forms()) {
      cells[{form, m.pillar()}].Add(m);
      covered.insert(form);
    }
  }
  v1::CoverageAnalysis out;
  out.set_plan(plan.name());
  for (int form = thb::type::v1::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION;
       form <= thb::type::v1::FORM_OF_EXPLOITATION_OTHER; ++form) {
    for (int pillar = thb::type::v1::PILLAR_PREVENTION; pillar <= thb::type::v1::PILLAR_PARTNERSHIP;
         ++pillar) {
      const Sum& sum = cells[{form, pillar}];
      v1::CoverageCell* cell = out.add_cells();
      cell->set_form(static_cast<FormOfExploitation>(form));
      cell->set_pillar(static_cast<Pillar>(pillar));
      cell->set_measure_count(sum.measures);
      *cell->mutable_allocated() = FromNanos(plan.currency_code(), sum.allocated);
    }
  }
  for (FormOfExploitation form : ConcreteForms()) {
    if (!covered.contains(form)) out.add_uncovered_forms(form);
  }
  for (FormOfExploitation form : mandate_forms) {
    if (!covered.contains(form)) out.add_mandate_forms_not_covered(form);
  }
  return out;
}

v1::ProgressAnalysis ComputeProgress(const v1::ActionPlan& plan,
                                     const std::vector<v1::Objective>& objectives,
                                     const std::vector<v1::Measure>& measures,
                                     absl::CivilDay today) {
  Rollup overall;
  std::map<std::string, Rollup> by_objective;
  std::map<int, Rollup> by_pillar;
  for (const v1::Objective& o : objectives) by_objective[o.name()];
  v1::ProgressAnalysis out;
  out.set_plan(plan.name());
  for (const v1::Measure& m : measures) {
    if (!Counts(m)) continue;
    const bool overdue = IsOverdue(m, today);
    overall.Add(m, overdue);
    by_objective[m.objective()].Add(m, overdue);
    by_pillar[m.pillar()].Add(m, overdue);
    if (overdue) out.add_overdue_measures(m.name());
    if (m.status() == v1::MEASURE_STATUS_DELAYED) out.add_delayed_measures(m.name());
  }
  *out.mutable_overall() = overall.ToProto(plan.name());
  out.mutable_overall()->set_plan(plan.name());
  for (const auto& [name, rollup] : by_objective) {
    v1::ProgressRollup* line = out.add_by_objective();
    *line = rollup.ToProto(name);
    line->set_objective(name);
  }
  for (const auto& [pillar, rollup] : by_pillar) {
    v1::ProgressRollup* line = out.add_by_pillar();
    *line = rollup.ToProto(thb::type::v1::Pillar_Name(pillar));
    line->set_pillar(static_cast<Pillar>(pillar));
  }
  return out;
}

v1::FundingAnalysis ComputeFunding(const v1::ActionPlan& plan,
                                   const std::vector<v1::Measure>& measures) {
  Sum total;
  std::map<int, Sum> by_pillar;
  std::map<std::string, Sum> by_institution;
  std::map<std::pair<bool, std::string>, Sum> by_source;
  v1::FundingAnalysis out;
  out.set_plan(plan.name());
  for (const v1::Measure& m : measures) {
    if (!Counts(m)) continue;
    total.Add(m);
    by_pillar[m.pillar()].Add(m);
    by_institution[m.lead_institution()].Add(m);
    // Keyed by (has a source, source): the line without a source sorts first, and no source name
    // can be mistaken for it.
    by_source[{!m.budget().funding_source().empty(), m.budget().funding_source()}].Add(m);
    if (ToNanos(m.budget().allocated()) <= 0) out.add_unfunded_measures(m.name());
  }
  const std::string& currency = plan.currency_code();
  *out.mutable_total() = total.ToProto(plan.name(), currency);
  out.mutable_total()->set_plan(plan.name());
  for (const auto& [pillar, sum] : by_pillar) {
    v1::FundingLine* line = out.add_by_pillar();
    *line = sum.ToProto(thb::type::v1::Pillar_Name(pillar), currency);
    line->set_pillar(static_cast<Pillar>(pillar));
  }
  for (const auto& [inst, sum] : by_institution) {
    v1::FundingLine* line = out.add_by_institution();
    *line = sum.ToProto(inst, currency);
    line->set_institution(inst);
  }
  for (const auto& [source, sum] : by_source) {
    const auto& [named, name] = source;
    v1::FundingLine* line = out.add_by_source();
    *line = sum.ToProto(named ? name : kNoFundingSourceKey, currency);
    if (!named) {
      line->set_no_funding_source(true);
    } else {
      line->set_funding_source(name);
    }
  }
  return out;
}

}  // namespace thb::coordinator
