#include "services/rapporteur/rapporteur_gauges.h"

#include <map>

#include "services/common/calendar.h"
#include "services/common/gauges.h"
#include "services/common/logging.h"
#include "services/common/status_macros.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

std::vector<prometheus::MetricFamily> RapporteurGauges::Collect() const {
  std::map<std::string, double> by_status;
  for (int s = v1::IMPLEMENTATION_STATUS_UNSPECIFIED;
       s <= v1::IMPLEMENTATION_STATUS_NOT_IMPLEMENTED; ++s) {
    by_status[v1::ImplementationStatus_Name(s)] = 0;
  }
  double submissions = 0, rows = 0, overdue = 0, published = 0;
  const absl::CivilDay today = DayOf(clock_.Now());
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    auto count = [&](absl::string_view sql, absl::Span<const Value> params,
                     double& out) -> absl::Status {
      THB_ASSIGN_OR_RETURN(std::vector<Row> r, tx.Query(sql, params));
      out = static_cast<double>(r[0].Int(0));
      return absl::OkStatus();
    };
    THB_RETURN_IF_ERROR(
        count("SELECT COUNT(*) FROM statistics_submissions WHERE superseded = 0", {}, submissions));
    THB_RETURN_IF_ERROR(
        count("SELECT COUNT(*) FROM statistics_rows WHERE effective = 1", {}, rows));
    THB_RETURN_IF_ERROR(count("SELECT COUNT(*) FROM reports WHERE state = $1",
                              {int64_t{v1::Report::STATE_PUBLISHED}}, published));
    THB_ASSIGN_OR_RETURN(std::vector<Row> recs, tx.Query("SELECT data FROM recommendations"));
    for (const Row& r : recs) {
      v1::Recommendation rec;
      if (!rec.ParseFromString(r.Text(0)))
        return absl::DataLossError("stored recommendation does not parse");
      by_status[v1::ImplementationStatus_Name(rec.follow_up().status())] += 1;
      if (IsSet(rec.due_date()) && ToCivilDay(rec.due_date()) < today &&
          rec.follow_up().status() != v1::IMPLEMENTATION_STATUS_IMPLEMENTED) {
        ++overdue;
      }
    }
    return absl::OkStatus();
  });
  if (!s.ok()) {
    Log(LogLevel::kWarning, "domain gauges unavailable", {{"error", std::string(s.message())}});
    return {};
  }
  auto subs = GaugeFamily("thb_statistics_submissions", "Statistics submissions, latest versions.");
  AddGauge(subs, submissions);
  auto row_family =
      GaugeFamily("thb_statistics_rows", "Statistics rows that queries use (latest versions).");
  AddGauge(row_family, rows);
  auto recs =
      GaugeFamily("thb_recommendations", "Recommendations, by their latest follow-up status.");
  for (const auto& [status, n] : by_status) AddGauge(recs, n, "follow_up", status);
  auto late =
      GaugeFamily("thb_recommendations_overdue", "Recommendations past due and not implemented.");
  AddGauge(late, overdue);
  auto reports = GaugeFamily("thb_reports_published", "Published reports (current versions).");
  AddGauge(reports, published);
  return {subs, row_family, recs, late, reports};
}

}  // namespace thb::rapporteur
