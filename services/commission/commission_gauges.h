// Domain gauges of the Commission, read from its database at scrape time:
// thb_commission_members{seat}, thb_commission_meetings_held, thb_commission_action_items_open,
// thb_commission_action_items_overdue.
#pragma once

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "services/common/clock.h"
#include "services/common/storage.h"

namespace thb::commission {

class CommissionGauges : public prometheus::Collectable {
 public:
  CommissionGauges(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::commission
