#include "services/rapporteur/population_tables.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/iso_codes.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/versioned_rows.h"
#include "services/rapporteur/statistics_cells.h"

namespace thb::rapporteur {
namespace {

const ResourceTable<v1::PopulationTable>& Tables() {
  static const ResourceTable<v1::PopulationTable> table(
      "population_tables", "population table",
      {{"create_time",
        [](const v1::PopulationTable& t) { return Value(StoredTime(t.create_time())); }}},
      Versioning::kWriteOnce);
  return table;
}

void ValidateEntries(const v1::PopulationTable& table, FieldViolations& v) {
  absl::flat_hash_set<std::pair<std::string, int32_t>> seen;
  for (int i = 0; i < table.entries_size() && v.size() < 20; ++i) {
    const v1::PopulationEntry& e = table.entries(i);
    const std::string f = absl::StrCat("population_table.entries[", i, "]");
    if (!e.region().empty() && !IsRegionCode(e.region())) {
      v.Add(f + ".region", "must be an ISO 3166-2 code, or empty for the whole country");
    }
    if (e.year() < 1900 || e.year() > kLastYear) v.Add(f + ".year", "must be a year from 1900");
    if (e.population() <= 0) v.Add(f + ".population", "must be positive");
    if (!seen.insert({e.region(), e.year()}).second) {
      v.Add(f, "repeats the region and year of an earlier entry");
    }
  }
}

}  // namespace

absl::StatusOr<v1::PopulationTable> PopulationTables::Create(
    const AuditActor& actor, const v1::CreatePopulationTableRequest& request) {
  const v1::PopulationTable& table = request.population_table();
  FieldViolations v;
  if (table.source().empty())
    v.Add("population_table.source", "is required (who published the figures)");
  if (table.entries().empty()) v.Add("population_table.entries", "at least one entry is required");
  ValidateEntries(table, v);
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::PopulationTable>(
      db_, {actor, "CreatePopulationTable", request.request_id()},
      [&](Transaction& tx, v1::PopulationTable& result) -> absl::Status {
        result = table;
        const std::string id = NewResourceId();
        result.set_name(absl::StrCat("populationTables/", id));
        *result.mutable_create_time() = ToProtoTimestamp(clock_.Now());
        return Tables().Insert(tx, id, result);
      });
}

absl::StatusOr<v1::ListPopulationTablesResponse> PopulationTables::List(
    const v1::ListPopulationTablesRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  v1::ListPopulationTablesResponse response;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListById(tx, {"population_tables"}, page, response.mutable_population_tables(),
                    response.mutable_next_page_token());
  }));
  return response;
}

absl::StatusOr<Populations> LoadPopulations(Transaction& tx) {
  THB_ASSIGN_OR_RETURN(std::vector<v1::PopulationTable> tables,
                       LoadMessages<v1::PopulationTable>(
                           tx, "SELECT data FROM population_tables ORDER BY create_time, id"));
  Populations out;  // a later table overrides an earlier one for the same region and year
  for (const v1::PopulationTable& t : tables) {
    for (const v1::PopulationEntry& e : t.entries()) out[{e.region(), e.year()}] = e.population();
  }
  return out;
}

}  // namespace thb::rapporteur
