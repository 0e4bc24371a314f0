#include "services/coordinator/coordinator_gauges.h"

#include "services/common/logging.h"

namespace thb::coordinator {
namespace {

prometheus::MetricFamily Gauge(const std::string& name, const std::string& help) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = prometheus::MetricType::Gauge;
  return f;
}

void Add(prometheus::MetricFamily& f, double value, const std::string& label = "",
         const std::string& label_value = "") {
  prometheus::ClientMetric m;
  if (!label.empty()) m.label.push_back({label, label_value});
  m.gauge.value = value;
  f.metric.push_back(std::move(m));
}

}  // namespace

std::vector<prometheus::MetricFamily> CoordinatorGauges::Collect() const {
  absl::StatusOr<ActionPlans::Figures> figures = plans_.CurrentFigures();
  if (!figures.ok()) {
    Log(LogLevel::kWarning, "domain gauges unavailable", {{"error", std::string(figures.status().message())}});
    return {};
  }
  auto by_status = Gauge("thb_measures", "Measures of adopted National Action Plans, by status.");
  for (const auto& [status, n] : figures->measures_by_status) {
    Add(by_status, static_cast<double>(n), "status", status);
  }
  auto overdue = Gauge("thb_measures_overdue",
                       "Measures of adopted plans past their due date and not completed.");
  Add(overdue, static_cast<double>(figures->overdue_measures));
  auto allocated = Gauge("thb_budget_allocated", "Budget allocated to measures of adopted plans.");
  for (const auto& [currency, v] : figures->allocated_by_currency) Add(allocated, v, "currency", currency);
  auto spent = Gauge("thb_budget_spent", "Budget spent on measures of adopted plans.");
  for (const auto& [currency, v] : figures->spent_by_currency) Add(spent, v, "currency", currency);
  return {by_status, overdue, allocated, spent};
}

}  // namespace thb::coordinator
