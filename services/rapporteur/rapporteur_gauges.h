// Domain gauges of the Rapporteur, read from its database at scrape time:
// thb_statistics_submissions (latest versions), thb_statistics_rows (rows queries use),
// thb_recommendations{follow_up} (by the latest follow-up status; STATUS_UNSPECIFIED = not yet
// assessed), thb_recommendations_overdue, thb_reports_published.
#pragma once

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "services/common/clock.h"
#include "services/common/storage.h"

namespace thb::rapporteur {

class RapporteurGauges : public prometheus::Collectable {
 public:
  RapporteurGauges(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::rapporteur
