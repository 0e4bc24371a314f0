// The Co-ordinator's analyses of a plan, as pure functions of its measures: coverage of the
// forms of exploitation by pillar, weighted progress, funding. Tested without a database.
#pragma once

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/common/vocabulary.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

using ::thb::ConcreteForms;

// Not completed or cancelled, and past its due date on `today`.
bool IsOverdue(const v1::Measure& m, absl::CivilDay today);

// Every form x pillar cell (cancelled measures excluded), the concrete forms with no measure,
// and the mandate's forms the plan does not address.
v1::CoverageAnalysis ComputeCoverage(
    const v1::ActionPlan& plan, const std::vector<v1::Measure>& measures,
    const std::vector<thb::type::v1::FormOfExploitation>& mandate_forms);

// Weighted mean progress (weights of cancelled measures excluded) per objective, per pillar
// and for the plan; overdue and delayed measures.
v1::ProgressAnalysis ComputeProgress(const v1::ActionPlan& plan,
                                     const std::vector<v1::Objective>& objectives,
                                     const std::vector<v1::Measure>& measures,
                                     absl::CivilDay today);

// Allocated vs spent per pillar, lead institution and funding source; unfunded measures.
v1::FundingAnalysis ComputeFunding(const v1::ActionPlan& plan,
                                   const std::vector<v1::Measure>& measures);

}  // namespace thb::coordinator
