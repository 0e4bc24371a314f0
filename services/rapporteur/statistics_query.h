// Queries and exports over the latest statistics (rates per 100,000 use population_tables.h).
//
// A query's level is the set of category dimensions it groups or filters by; it reads the rows
// of exactly that level (see statistics_cells.h). Analysts (role rapporteur_analyst) get exact
// numbers straight from SQL, and may group by reporting institution. Everyone else gets numbers
// built from the disclosure plan (disclosure.h), which is computed over all the data once per
// data generation and cached.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "services/rapporteur/disclosure.h"

namespace thb::rapporteur {

struct StatisticsConfig {
  int32_t disclosure_threshold = 10;  // k
  std::string country_code = "XXX";   // ISO 3166-1 alpha-3 of the State, for GLOTIP exports
  // GLOTIP's Country, Region and Subregion (UN M49 names) and Source columns.
  std::string country_name;
  std::string region;
  std::string subregion;
  std::string source = "National Rapporteur";
};

class StatisticsQueries {
 public:
  StatisticsQueries(Database& db, StatisticsConfig config) : db_(db), config_(std::move(config)) {}

  absl::StatusOr<v1::QueryStatisticsResponse> Query(const Principal& caller,
                                                    const v1::QueryStatisticsRequest& request);
  // Always the public (suppressed) data, whoever asks.
  absl::StatusOr<v1::ExportStatisticsResponse> Export(const v1::ExportStatisticsRequest& request);

  // The plan for the current data (built when the data changed since the last one).
  absl::StatusOr<std::shared_ptr<const DisclosurePlan>> CurrentPlan();

 private:
  Database& db_;
  const StatisticsConfig config_;
  absl::Mutex mu_;
  int64_t plan_generation_ ABSL_GUARDED_BY(mu_) = -1;
  std::shared_ptr<const DisclosurePlan> plan_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thb::rapporteur
