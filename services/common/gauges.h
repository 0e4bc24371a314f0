// Building blocks for domain gauges that a service computes at scrape time (a
// prometheus::Collectable reading its own database).
#pragma once

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include <string>

namespace thb {

inline prometheus::MetricFamily GaugeFamily(const std::string& name, const std::string& help) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = prometheus::MetricType::Gauge;
  return f;
}

// Adds one series; `label` empty for an unlabelled gauge.
inline void AddGauge(prometheus::MetricFamily& family, double value, const std::string& label = "",
                     const std::string& label_value = "") {
  prometheus::ClientMetric m;
  if (!label.empty()) m.label.push_back({label, label_value});
  m.gauge.value = value;
  family.metric.push_back(std::move(m));
}

}  // namespace thb
