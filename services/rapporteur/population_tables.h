// Population tables: the figures (per region and year) that statistics queries divide by to give
// rates per 100,000. Tables are kept as published; a later table overrides an earlier one for
// the same region and year.
#pragma once

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

class PopulationTables {
 public:
  PopulationTables(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::PopulationTable> Create(const AuditActor& actor,
                                             const v1::CreatePopulationTableRequest& request);
  absl::StatusOr<v1::ListPopulationTablesResponse> List(
      const v1::ListPopulationTablesRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
};

// The population of each (region, year), region "" for the whole country: the latest stored
// table that gives it.
using Populations = absl::flat_hash_map<std::pair<std::string, int32_t>, int64_t>;
absl::StatusOr<Populations> LoadPopulations(Transaction& tx);

}  // namespace thb::rapporteur
