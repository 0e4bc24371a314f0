// The statistics CSV format, shared with the portal's upload (ui/src/console/statistics-upload.js):
// a header naming the columns, then one row per aggregate count.
//   indicator     required: VICTIMS_IDENTIFIED or STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED, any
//   case form          FORCED_LABOUR ...                 (empty: not broken down by form) sex
//   FEMALE, MALE, ...                 (empty: not broken down by sex) age_group     CHILD, ADULT,
//   ... citizenship   NATIONAL, OTHER_COUNTRY, UNKNOWN country       ISO 3166-1 alpha-3, only with
//   citizenship OTHER_COUNTRY region        ISO 3166-2 (empty: national) count         required: 0
//   to 1,000,000,000
// thbctl also reads three optional columns, for files that hold several submissions; where a
// file has none of them, --institution, --year and --quarter give them for every row:
//   reporting_institution   institutions/{id} (or the bare id)
//   year                    1990 to this year
//   quarter                 1-4, or 0 (or empty) for the whole year
#pragma once

#include <google/protobuf/descriptor.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::ctl {

// Where each known column is in the file (-1: absent).
struct StatisticsColumns {
  int indicator = -1, form = -1, sex = -1, age_group = -1, citizenship = -1, country = -1,
      region = -1, count = -1, reporting_institution = -1, year = -1, quarter = -1;
};

// The header's columns; an unknown, repeated or missing required column is INVALID_ARGUMENT.
absl::StatusOr<StatisticsColumns> ParseStatisticsHeader(const std::vector<std::string>& header);

// One submission of the file: an institution's statistics for a period.
struct GroupKey {
  std::string institution;
  int32_t year = 0;
  int32_t quarter = 0;
  bool operator<(const GroupKey& o) const {
    return std::tie(institution, year, quarter) < std::tie(o.institution, o.year, o.quarter);
  }
  bool operator==(const GroupKey& o) const {
    return std::tie(institution, year, quarter) == std::tie(o.institution, o.year, o.quarter);
  }
  std::string Label() const;  // "institutions/police 2024" or "institutions/police 2024 Q3"
};

// What rows without the optional columns take.
struct RowDefaults {
  std::string institution;  // institutions/{id}
  int32_t year = 0;
  int32_t quarter = 0;
  int32_t current_year = 0;  // the latest year allowed
};

// Parses one data record (record `number` of the file). Appends "row N: field: reason" to
// `problems` for every bad field and returns nullopt when there is any.
struct ParsedRow {
  GroupKey group;
  thb::rapporteur::v1::StatisticsRow row;
};
std::optional<ParsedRow> ParseStatisticsRecord(const StatisticsColumns& columns,
                                               const std::vector<std::string>& fields,
                                               int64_t number, const RowDefaults& defaults,
                                               std::vector<std::string>* problems);

// The largest number of rows one submission holds (the suite's input limit).
inline constexpr int64_t kMaxRowsPerSubmission = 100000;

}  // namespace thb::ctl
