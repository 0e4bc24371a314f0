#include "tools/thbctl/statistics_csv.h"

#include <google/protobuf/descriptor.h>

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/iso_codes.h"
#include "services/common/resources.h"
#include "thb/type/v1/vocabulary.pb.h"
#include "tools/thbctl/csv_reader.h"

namespace thb::ctl {
namespace {

namespace rv1 = thb::rapporteur::v1;
namespace tv1 = thb::type::v1;

std::string Field(const std::vector<std::string>& fields, int column) {
  if (column < 0 || column >= static_cast<int>(fields.size())) return "";
  return std::string(absl::StripAsciiWhitespace(fields[column]));
}

}  // namespace

std::string GroupKey::Label() const {
  return quarter == 0 ? absl::StrCat(institution, " ", year)
                      : absl::StrCat(institution, " ", year, " Q", quarter);
}

absl::StatusOr<StatisticsColumns> ParseStatisticsHeader(const std::vector<std::string>& header) {
  StatisticsColumns c;
  const std::vector<std::pair<std::string, int*>> fields = {
      {"indicator", &c.indicator},
      {"form", &c.form},
      {"sex", &c.sex},
      {"age_group", &c.age_group},
      {"citizenship", &c.citizenship},
      {"country", &c.country},
      {"region", &c.region},
      {"count", &c.count},
      {"reporting_institution", &c.reporting_institution},
      {"year", &c.year},
      {"quarter", &c.quarter}};
  std::vector<std::string> known;
  known.reserve(fields.size());
  for (const auto& [name, unused] : fields) known.push_back(name);
  absl::StatusOr<std::map<std::string, int>> columns = HeaderColumns(header, known);
  if (!columns.ok()) return columns.status();
  for (const auto& [name, column] : fields) {
    auto it = columns->find(name);
    if (it != columns->end()) *column = it->second;
  }
  if (c.indicator == -1 || c.count == -1) {
    return absl::InvalidArgumentError(
        "row 1: the header must name at least the columns indicator and count");
  }
  return c;
}

std::optional<ParsedRow> ParseStatisticsRecord(const StatisticsColumns& columns,
                                               const std::vector<std::string>& fields,
                                               int64_t number, const RowDefaults& defaults,
                                               std::vector<std::string>* problems) {
  const size_t before = problems->size();
  auto bad = [&](absl::string_view field, absl::string_view reason) {
    problems->push_back(absl::StrCat("row ", number, ": ", field, ": ", reason));
  };
  ParsedRow out;
  rv1::StatisticsRow& row = out.row;

  const std::string indicator = Field(fields, columns.indicator);
  if (indicator.empty()) {
    bad("indicator", "is required");
  } else if (auto v = ParseEnumCode(rv1::StatisticalIndicator_descriptor(),
                                    "STATISTICAL_INDICATOR_", indicator)) {
    row.set_indicator(static_cast<rv1::StatisticalIndicator>(*v));
  } else {
    bad("indicator", absl::StrCat("unknown code ", Shown(indicator)));
  }
  struct Dimension {
    const char* name;
    int column;
    const google::protobuf::EnumDescriptor* type;
    const char* prefix;
  };
  std::optional<int> citizenship;
  for (const Dimension& d :
       {Dimension{"form", columns.form, tv1::FormOfExploitation_descriptor(),
                  "FORM_OF_EXPLOITATION_"},
        Dimension{"sex", columns.sex, tv1::Sex_descriptor(), "SEX_"},
        Dimension{"age_group", columns.age_group, tv1::AgeGroup_descriptor(), "AGE_GROUP_"},
        Dimension{"citizenship", columns.citizenship, tv1::CitizenshipStatus_descriptor(),
                  "CITIZENSHIP_STATUS_"}}) {
    const std::string text = Field(fields, d.column);
    if (text.empty()) continue;
    std::optional<int> v = ParseEnumCode(d.type, d.prefix, text);
    if (!v) {
      bad(d.name, absl::StrCat("unknown code ", Shown(text)));
      continue;
    }
    const std::string name = d.name;
    if (name == "form") row.set_form(static_cast<tv1::FormOfExploitation>(*v));
    if (name == "sex") row.set_sex(static_cast<tv1::Sex>(*v));
    if (name == "age_group") row.set_age_group(static_cast<tv1::AgeGroup>(*v));
    if (name == "citizenship") citizenship = *v;
  }
  const std::string country = absl::AsciiStrToUpper(Field(fields, columns.country));
  if (citizenship) {
    row.mutable_citizenship()->set_status(static_cast<tv1::CitizenshipStatus>(*citizenship));
    if (*citizenship == tv1::CITIZENSHIP_STATUS_OTHER_COUNTRY) {
      if (country.empty()) {
        bad("country", "is required when citizenship is OTHER_COUNTRY");
      } else if (!IsCountryCode(country)) {
        bad("country", absl::StrCat(Shown(country), " is not an ISO 3166-1 alpha-3 code"));
      } else {
        row.mutable_citizenship()->set_country_code(country);
      }
    } else if (!country.empty()) {
      bad("country", "is given only with citizenship OTHER_COUNTRY");
    }
  } else if (!country.empty()) {
    bad("country", "is given only with citizenship OTHER_COUNTRY");
  }
  const std::string region = Field(fields, columns.region);
  if (!region.empty()) {
    if (IsRegionCode(region)) {
      row.set_region(region);
    } else {
      bad("region", absl::StrCat(Shown(region), " is not an ISO 3166-2 code (e.g. AT-9)"));
    }
  }
  const std::string count = Field(fields, columns.count);
  int64_t n = 0;
  if (count.empty()) {
    bad("count", "is required");
  } else if (count.find_first_not_of("0123456789") != std::string::npos ||
             !absl::SimpleAtoi(count, &n) || n > 1000000000) {
    bad("count", absl::StrCat(Shown(count), " is not a whole number from 0 to 1,000,000,000"));
  } else {
    row.set_count(n);
  }

  // The submission the row belongs to.
  std::string institution = Field(fields, columns.reporting_institution);
  if (institution.empty()) institution = defaults.institution;
  if (!absl::StartsWith(institution, "institutions/") && !institution.empty()) {
    institution = absl::StrCat("institutions/", institution);
  }
  if (institution.empty()) {
    bad("reporting_institution", "is required (a column, or --institution)");
  } else if (!IsValidResourceId(absl::StripPrefix(institution, "institutions/"))) {
    bad("reporting_institution",
        absl::StrCat(Shown(institution), " is not a name institutions/{id}"));
  }
  out.group.institution = institution;
  const std::string year = Field(fields, columns.year);
  out.group.year = defaults.year;
  if (!year.empty() && !absl::SimpleAtoi(year, &out.group.year)) out.group.year = -1;
  if (out.group.year == 0) {
    bad("year", "is required (a column, or --year)");
  } else if (out.group.year < 1990 || out.group.year > defaults.current_year) {
    bad("year", absl::StrCat("must be from 1990 to ", defaults.current_year));
  }
  const std::string quarter = Field(fields, columns.quarter);
  out.group.quarter = defaults.quarter;
  if (!quarter.empty() && (!absl::SimpleAtoi(quarter, &out.group.quarter) ||
                           out.group.quarter < 0 || out.group.quarter > 4)) {
    bad("quarter", "must be 1-4, or 0 or empty for the whole year");
  }
  if (problems->size() != before) return std::nullopt;
  return out;
}

}  // namespace thb::ctl
