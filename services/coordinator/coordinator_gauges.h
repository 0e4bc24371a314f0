// Domain gauges for Prometheus, read from the database at scrape time so every replica reports
// the same truth: thb_measures{status}, thb_measures_overdue, thb_budget_allocated{currency},
// thb_budget_spent{currency} (measures of ADOPTED plans; cancelled ones excluded from budgets),
// thb_obligations_overdue (ACTIVE reporting obligations past their due date).
#pragma once

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "services/coordinator/action_plans.h"
#include "services/coordinator/reporting_obligations.h"

namespace thb::coordinator {

class CoordinatorGauges : public prometheus::Collectable {
 public:
  CoordinatorGauges(ActionPlans& plans, ReportingObligations& obligations)
      : plans_(plans), obligations_(obligations) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  ActionPlans& plans_;
  ReportingObligations& obligations_;
};

}  // namespace thb::coordinator
