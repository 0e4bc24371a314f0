// Domain gauges for Prometheus, read from the database at scrape time so every replica reports
// the same truth: thb_measures{status}, thb_measures_overdue, thb_budget_allocated{currency},
// thb_budget_spent{currency} (measures of ADOPTED plans; cancelled ones excluded from budgets).
#pragma once

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "services/coordinator/action_plans.h"

namespace thb::coordinator {

class CoordinatorGauges : public prometheus::Collectable {
 public:
  explicit CoordinatorGauges(ActionPlans& plans) : plans_(plans) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  ActionPlans& plans_;
};

}  // namespace thb::coordinator
