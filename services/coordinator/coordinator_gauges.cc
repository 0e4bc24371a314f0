#include "services/coordinator/coordinator_gauges.h"

#include "services/common/gauges.h"
#include "services/common/logging.h"

namespace thb::coordinator {
std::vector<prometheus::MetricFamily> CoordinatorGauges::Collect() const {
  absl::StatusOr<ActionPlans::Figures> figures = plans_.CurrentFigures();
  if (!figures.ok()) {
    Log(LogLevel::kWarning, "domain gauges unavailable",
        {{"error", std::string(figures.status().message())}});
    return {};
  }
  auto by_status =
      GaugeFamily("thb_measures", "Measures of adopted National Action Plans, by status.");
  for (const auto& [status, n] : figures->measures_by_status) {
    AddGauge(by_status, static_cast<double>(n), "status", status);
  }
  auto overdue = GaugeFamily("thb_measures_overdue",
                             "Measures of adopted plans past their due date and not completed.");
  AddGauge(overdue, static_cast<double>(figures->overdue_measures));
  auto allocated =
      GaugeFamily("thb_budget_allocated", "Budget allocated to measures of adopted plans.");
  for (const auto& [currency, v] : figures->allocated_by_currency)
    AddGauge(allocated, v, "currency", currency);
  auto spent = GaugeFamily("thb_budget_spent", "Budget spent on measures of adopted plans.");
  for (const auto& [currency, v] : figures->spent_by_currency)
    AddGauge(spent, v, "currency", currency);
  absl::StatusOr<int64_t> obligations = obligations_.CountOverdue();
  if (!obligations.ok()) {
    Log(LogLevel::kWarning, "domain gauges unavailable",
        {{"error", std::string(obligations.status().message())}});
    return {by_status, overdue, allocated, spent};
  }
  auto overdue_obligations =
      GaugeFamily("thb_obligations_overdue",
                  "Active reporting obligations to monitoring bodies past their due date.");
  AddGauge(overdue_obligations, static_cast<double>(*obligations));
  return {by_status, overdue, allocated, spent, overdue_obligations};
}

}  // namespace thb::coordinator
