#include "services/rapporteur/statistics_query.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/common/iso_codes.h"
#include "services/common/status_macros.h"
#include "services/rapporteur/population_tables.h"

namespace thb::rapporteur {
namespace {

// The cell key in a row's first nine columns: level, indicator, year, form, sex, age,
// citizenship, country, region.
CellKey CellKeyOf(const Row& r) {
  CellKey k;
  k.level = static_cast<int32_t>(r.Int(0));
  k.indicator = static_cast<int32_t>(r.Int(1));
  k.year = static_cast<int32_t>(r.Int(2));
  k.form = static_cast<int32_t>(r.Int(3));
  k.sex = static_cast<int32_t>(r.Int(4));
  k.age = static_cast<int32_t>(r.Int(5));
  k.citizenship = static_cast<int32_t>(r.Int(6));
  k.country = r.Text(7);
  k.region = r.Text(8);
  return k;
}

namespace tv1 = ::thb::type::v1;

// What a query groups by: indicator, year and institution flags, and category bits.
struct Grouping {
  bool indicator = false;
  bool year = false;
  bool institution = false;
  int32_t bits = 0;
};

struct Filters {
  absl::flat_hash_set<int32_t> indicators, forms, sexes, ages;
  absl::flat_hash_set<std::string> regions;
  int32_t from_year = 0;
  int32_t to_year = kLastYear;
  int32_t bits = 0;  // category dimensions filtered on

  bool Matches(const CellKey& k) const {
    return (indicators.empty() || indicators.contains(k.indicator)) &&
           (forms.empty() || forms.contains(k.form)) && (sexes.empty() || sexes.contains(k.sex)) &&
           (ages.empty() || ages.contains(k.age)) &&
           (regions.empty() || regions.contains(k.region)) && k.year >= from_year &&
           k.year <= to_year;
  }
};

struct GroupKey {
  CellKey cell;
  std::string institution;
  bool operator==(const GroupKey& o) const {
    return cell == o.cell && institution == o.institution;
  }
  template <typename H>
  friend H AbslHashValue(H h, const GroupKey& k) {
    return H::combine(std::move(h), k.cell, k.institution);
  }
  auto Tie() const {
    return std::tie(cell.indicator, cell.year, cell.form, cell.sex, cell.age, cell.citizenship,
                    cell.country, cell.region, institution);
  }
};

struct Cell {
  GroupKey key;
  int64_t count = 0;
  bool suppressed = false;
};

// Validates a request into filters and grouping; INVALID_ARGUMENT lists every bad field.
absl::Status ParseRequest(const v1::QueryStatisticsRequest& r, Filters& f, Grouping& g) {
  FieldViolations v;
  auto enums = [&](const auto& values, const google::protobuf::EnumDescriptor* type,
                   const std::string& field, absl::flat_hash_set<int32_t>& out, int32_t bit) {
    for (int i = 0; i < values.size(); ++i) {
      if (values[i] == 0 || type->FindValueByNumber(values[i]) == nullptr) {
        v.Add(absl::StrCat(field, "[", i, "]"), absl::StrCat("must be a ", type->name(), " value"));
      }
      out.insert(values[i]);
    }
    if (values.size() > 0) f.bits |= bit;
  };
  enums(r.indicators(), v1::StatisticalIndicator_descriptor(), "indicators", f.indicators, 0);
  enums(r.forms(), tv1::FormOfExploitation_descriptor(), "forms", f.forms, kFormBit);
  enums(r.sexes(), tv1::Sex_descriptor(), "sexes", f.sexes, kSexBit);
  enums(r.age_groups(), tv1::AgeGroup_descriptor(), "age_groups", f.ages, kAgeBit);
  for (int i = 0; i < r.regions_size(); ++i) {
    if (!IsRegionCode(r.regions(i))) {
      v.Add(absl::StrCat("regions[", i, "]"), "must be an ISO 3166-2 code such as \"AT-9\"");
    }
    f.regions.insert(r.regions(i));
  }
  if (r.regions_size() > 0) f.bits |= kRegionBit;
  if (r.from_year() < 0) v.Add("from_year", "must not be negative (0 for no lower bound)");
  if (r.to_year() < 0) v.Add("to_year", "must not be negative (0 for no upper bound)");
  if (r.from_year() > 0 && r.to_year() > 0 && r.from_year() > r.to_year()) {
    v.Add("to_year", "must not be before from_year");
  }
  f.from_year = r.from_year();
  f.to_year = r.to_year() == 0 ? kLastYear : r.to_year();
  absl::flat_hash_set<int> seen;
  for (int i = 0; i < r.group_by_size(); ++i) {
    const int d = r.group_by(i);
    const std::string field = absl::StrCat("group_by[", i, "]");
    if (!seen.insert(d).second) v.Add(field, "names a dimension twice");
    switch (d) {
      case v1::DIMENSION_INDICATOR:
        g.indicator = true;
        break;
      case v1::DIMENSION_FORM:
        g.bits |= kFormBit;
        break;
      case v1::DIMENSION_SEX:
        g.bits |= kSexBit;
        break;
      case v1::DIMENSION_AGE_GROUP:
        g.bits |= kAgeBit;
        break;
      case v1::DIMENSION_CITIZENSHIP:
        g.bits |= kCitizenshipBit;
        break;
      case v1::DIMENSION_REGION:
        g.bits |= kRegionBit;
        break;
      case v1::DIMENSION_YEAR:
        g.year = true;
        break;
      case v1::DIMENSION_REPORTING_INSTITUTION:
        g.institution = true;
        break;
      default:
        v.Add(field, "must be a Dimension value");
    }
  }
  return v.empty() ? absl::OkStatus() : v.ToStatus();
}

CellKey Project(const CellKey& k, const Grouping& g) {
  CellKey p;
  p.level = k.level & g.bits;
  if (g.indicator) p.indicator = k.indicator;
  if (g.year) p.year = k.year;
  if (g.bits & kFormBit) p.form = k.form;
  if (g.bits & kSexBit) p.sex = k.sex;
  if (g.bits & kAgeBit) p.age = k.age;
  if (g.bits & kCitizenshipBit) {
    p.citizenship = k.citizenship;
    p.country = k.country;
  }
  if (g.bits & kRegionBit) p.region = k.region;
  return p;
}

// A query whose sum would not fit in 64 bits (never with counts within kMaxRowCount unless
// billions of rows match, but a sum must fail rather than wrap).
absl::Status SumOverflow() {
  return InvalidField("group_by",
                      "a sum of the matching counts exceeds 2^63 - 1; narrow the query");
}

std::vector<Cell> Sorted(absl::flat_hash_map<GroupKey, Cell>& cells) {
  std::vector<Cell> out;
  out.reserve(cells.size());
  for (auto& [k, c] : cells) out.push_back(std::move(c));
  std::sort(out.begin(), out.end(),
            [](const Cell& a, const Cell& b) { return a.key.Tie() < b.key.Tie(); });
  return out;
}

// Public numbers: sums of the plan's atoms of `level`; a cell with a suppressed atom is suppressed.
absl::StatusOr<std::vector<Cell>> AggregatePlan(const DisclosurePlan& plan, int32_t level,
                                                const Filters& f, const Grouping& g) {
  absl::flat_hash_map<GroupKey, Cell> cells;
  for (const DisclosurePlan::Atom& a : plan.atoms()) {
    if (a.key.level != level || !f.Matches(a.key)) continue;
    GroupKey key{Project(a.key, g), ""};
    Cell& c = cells[key];
    c.key = key;
    if (!AddCounts(c.count, a.count, c.count)) return SumOverflow();
    c.suppressed = c.suppressed || a.suppressed;
  }
  return Sorted(cells);
}

// Exact numbers from the stored rows, summed here rather than by SQL GROUP BY (which sorts
// every row; a hash table is several times faster on a million rows). The statement is one of a
// few constants chosen by which columns the query needs; request values are bound or compared
// here, never spliced into SQL.
absl::StatusOr<std::vector<Cell>> AggregateRows(Transaction& tx, int32_t level, const Filters& f,
                                                const Grouping& g) {
  const int32_t bits = level | g.bits;
  const bool region = (bits & kRegionBit) != 0;
  const bool citizenship = (g.bits & kCitizenshipBit) != 0;
  std::string columns = "indicator, year, form, sex, age, value";
  if (citizenship) absl::StrAppend(&columns, ", citizenship, country");
  if (region) absl::StrAppend(&columns, ", region");
  if (g.institution) absl::StrAppend(&columns, ", institution");
  const std::string sql = absl::StrCat("SELECT ", columns,
                                       " FROM statistics_rows WHERE effective = 1 AND level = $1 "
                                       "AND year >= $2 AND year <= $3");
  absl::flat_hash_map<GroupKey, Cell> cells;
  THB_RETURN_IF_ERROR(
      tx.ForEachRow(sql,
                    {static_cast<int64_t>(level), static_cast<int64_t>(f.from_year),
                     static_cast<int64_t>(f.to_year)},
                    [&](const Row& row) {
                      CellKey k;
                      k.level = level;
                      k.indicator = static_cast<int32_t>(row.Int(0));
                      k.year = static_cast<int32_t>(row.Int(1));
                      k.form = static_cast<int32_t>(row.Int(2));
                      k.sex = static_cast<int32_t>(row.Int(3));
                      k.age = static_cast<int32_t>(row.Int(4));
                      size_t next = 6;
                      if (citizenship) {
                        k.citizenship = static_cast<int32_t>(row.Int(next++));
                        k.country = row.Text(next++);
                      }
                      if (region) k.region = row.Text(next++);
                      if (!f.Matches(k)) return absl::OkStatus();
                      GroupKey key{Project(k, g), g.institution ? row.Text(next) : std::string()};
                      Cell& c = cells[key];
                      c.key = std::move(key);
                      if (!AddCounts(c.count, row.Int(5), c.count)) return SumOverflow();
                      return absl::OkStatus();
                    }));
  return Sorted(cells);
}

std::string Label(const google::protobuf::EnumDescriptor* type, int value,
                  absl::string_view prefix) {
  const google::protobuf::EnumValueDescriptor* d = type->FindValueByNumber(value);
  if (d == nullptr) return absl::StrCat(value);
  std::string name = absl::AsciiStrToLower(absl::StripPrefix(d->name(), prefix));
  std::replace(name.begin(), name.end(), '_', ' ');
  if (!name.empty()) name[0] = absl::ascii_toupper(name[0]);
  return name;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The data generation: changes with every submission (statistics_ledger.h).
absl::StatusOr<int64_t> ReadGeneration(Transaction& tx) {
  THB_ASSIGN_OR_RETURN(std::vector<Row> gen,
                       tx.Query("SELECT generation FROM statistics_generation WHERE id = 1"));
  return gen.empty() ? 0 : gen[0].Int(0);
}

}  // namespace

absl::StatusOr<std::shared_ptr<const DisclosurePlan>> StatisticsQueries::CurrentPlan() {
  absl::MutexLock lock(&mu_);
  std::shared_ptr<const DisclosurePlan> plan = plan_;
  int64_t generation = 0;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(generation, ReadGeneration(tx));
    return absl::OkStatus();
  }));
  if (generation == plan_generation_ && plan != nullptr) return plan;
  // Built and recorded in one write transaction: the atoms withheld so far are read, and the
  // ones this plan withholds are added, atomically (replicas building at the same time queue).
  THB_RETURN_IF_ERROR(db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(generation, ReadGeneration(tx));
    absl::flat_hash_set<CellKey> withheld;
    THB_RETURN_IF_ERROR(
        tx.ForEachRow("SELECT level, indicator, year, form, sex, age, citizenship, country, region "
                      "FROM disclosure_withheld",
                      {}, [&](const Row& r) {
                        CellKey k = CellKeyOf(r);
                        withheld.insert(std::move(k));
                        return absl::OkStatus();
                      }));
    // Each institution's part of each atom, for the contributor rule and the insiders' views.
    DisclosurePlan::PartsByKey parts;
    absl::flat_hash_map<std::string, int32_t> contributor_of;
    std::vector<std::string> contributors;
    THB_RETURN_IF_ERROR(tx.ForEachRow(
        "SELECT level, indicator, year, form, sex, age, citizenship, country, region, value, "
        "institution FROM statistics_rows WHERE effective = 1",
        {}, [&](const Row& r) {
          CellKey k = CellKeyOf(r);
          auto [id, fresh] =
              contributor_of.try_emplace(r.Text(10), static_cast<int32_t>(contributors.size()));
          if (fresh) contributors.push_back(id->first);
          parts[std::move(k)].push_back({id->second, r.Int(9)});
          return absl::OkStatus();
        }));
    // Contributors numbered by name, not by the order the store returned rows in.
    std::vector<int32_t> by_name(contributors.size());
    {
      std::vector<int32_t> order(contributors.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
      std::sort(order.begin(), order.end(),
                [&](int32_t a, int32_t b) { return contributors[a] < contributors[b]; });
      for (size_t rank = 0; rank < order.size(); ++rank)
        by_name[order[rank]] = static_cast<int32_t>(rank);
    }
    for (auto& [key, list] : parts) {
      for (DisclosurePlan::Part& p : list) p.contributor = by_name[p.contributor];
    }
    THB_ASSIGN_OR_RETURN(
        DisclosurePlan built,
        DisclosurePlan::Build(std::move(parts), config_.disclosure_threshold, withheld));
    plan = std::make_shared<const DisclosurePlan>(std::move(built));
    for (const DisclosurePlan::Atom& a : plan->atoms()) {
      if (!a.suppressed || withheld.contains(a.key)) continue;
      const CellKey& k = a.key;
      THB_RETURN_IF_ERROR(tx.Execute(
          "INSERT INTO disclosure_withheld (indicator, year, level, form, sex, age, citizenship, "
          "country, region) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
          {int64_t{k.indicator}, int64_t{k.year}, int64_t{k.level}, int64_t{k.form}, int64_t{k.sex},
           int64_t{k.age}, int64_t{k.citizenship}, k.country, k.region}));
    }
    plan_generation_ = generation;
    plan_ = plan;
    return absl::OkStatus();
  }));
  return plan;
}

absl::StatusOr<v1::QueryStatisticsResponse> StatisticsQueries::Query(
    const Principal& caller, const v1::QueryStatisticsRequest& request) {
  Filters f;
  Grouping g;
  THB_RETURN_IF_ERROR(ParseRequest(request, f, g));
  const bool analyst = caller.HasRole(roles::kRapporteurAnalyst);
  if (g.institution && !analyst) {
    return Denied(type::v1::ERROR_REASON_GROUPING_RESERVED,
                  "grouping by reporting institution is reserved to the rapporteur-analyst role");
  }
  // The level read: everything grouped or filtered by. The total is the same query ungrouped;
  // when grouping adds no category dimension that reads the very same rows, so the total is just
  // the sum of the cells (the fallback below) and is not aggregated a second time.
  const int32_t level = g.bits | f.bits;
  const bool total_at_other_level = level != f.bits;
  std::vector<Cell> cells, totals;
  // The cells and, when needed, the totals, from `aggregate(level, grouping)`.
  auto aggregate_both = [&](auto aggregate) -> absl::Status {
    THB_ASSIGN_OR_RETURN(cells, aggregate(level, g));
    if (total_at_other_level) {
      THB_ASSIGN_OR_RETURN(totals, aggregate(f.bits, Grouping{}));
    }
    return absl::OkStatus();
  };
  Populations populations;
  if (analyst) {
    THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
      THB_RETURN_IF_ERROR(aggregate_both(
          [&](int32_t at, const Grouping& by) { return AggregateRows(tx, at, f, by); }));
      if (!request.include_rates()) return absl::OkStatus();
      THB_ASSIGN_OR_RETURN(populations, LoadPopulations(tx));
      return absl::OkStatus();
    }));
  } else {
    THB_ASSIGN_OR_RETURN(std::shared_ptr<const DisclosurePlan> plan, CurrentPlan());
    THB_RETURN_IF_ERROR(aggregate_both(
        [&](int32_t at, const Grouping& by) { return AggregatePlan(*plan, at, f, by); }));
    if (request.include_rates()) {
      THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(populations, LoadPopulations(tx));
        return absl::OkStatus();
      }));
    }
  }

  v1::QueryStatisticsResponse response;
  response.set_suppression_threshold(analyst ? 0 : config_.disclosure_threshold);
  int64_t sum = 0;
  bool any_suppressed = false;
  for (const Cell& c : cells) {
    v1::StatisticsCell* out = response.add_cells();
    const CellKey& k = c.key.cell;
    out->set_indicator(static_cast<v1::StatisticalIndicator>(k.indicator));
    out->set_form(static_cast<tv1::FormOfExploitation>(k.form));
    out->set_sex(static_cast<tv1::Sex>(k.sex));
    out->set_age_group(static_cast<tv1::AgeGroup>(k.age));
    if (g.bits & kCitizenshipBit) {
      out->mutable_citizenship()->set_status(static_cast<tv1::CitizenshipStatus>(k.citizenship));
      out->mutable_citizenship()->set_country_code(k.country);
    }
    out->set_region(k.region);
    out->set_year(k.year);
    out->set_reporting_institution(c.key.institution);
    if (c.suppressed) {
      out->set_suppressed(true);
      any_suppressed = true;
      continue;
    }
    out->set_count(c.count);
    if (!AddCounts(sum, c.count, sum)) return SumOverflow();
    if (!request.include_rates()) continue;
    // The population that matches the cell: its region (national when regions are not
    // involved) and its year (or the single year queried).
    std::optional<std::string> region;
    if (g.bits & kRegionBit) {
      region = k.region;
    } else if (f.regions.size() == 1) {
      region = *f.regions.begin();
    } else if ((f.bits & kRegionBit) == 0) {
      region = "";
    }
    std::optional<int32_t> year;
    if (g.year) {
      year = k.year;
    } else if (f.from_year > 0 && f.from_year == f.to_year) {
      year = f.from_year;
    }
    if (!region || !year) continue;
    auto p = populations.find({*region, *year});
    if (p != populations.end() && p->second > 0) {
      out->set_rate_per_100k(static_cast<double>(c.count) * 100000.0 /
                             static_cast<double>(p->second));
    }
  }
  // The total: the reported totals at the ungrouped level when there are any, otherwise the sum
  // of the cells. Either way it is withheld when it would include a suppressed number.
  if (!totals.empty()) {
    if (totals[0].suppressed) {
      response.set_total_suppressed(true);
    } else {
      response.set_total(totals[0].count);
    }
  } else if (!cells.empty()) {
    if (any_suppressed) {
      response.set_total_suppressed(true);
    } else {
      response.set_total(sum);
    }
  }
  return response;
}

absl::StatusOr<v1::ExportStatisticsResponse> StatisticsQueries::Export(
    const v1::ExportStatisticsRequest& request) {
  FieldViolations v;
  if (!v1::ExportFormat_IsValid(request.format())) v.Add("format", "must be an ExportFormat value");
  if (request.from_year() < 0) v.Add("from_year", "must not be negative (0 for no lower bound)");
  if (request.to_year() < 0) v.Add("to_year", "must not be negative (0 for no upper bound)");
  if (request.from_year() > 0 && request.to_year() > 0 && request.from_year() > request.to_year()) {
    v.Add("to_year", "must not be before from_year");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  THB_ASSIGN_OR_RETURN(std::shared_ptr<const DisclosurePlan> plan, CurrentPlan());
  const int32_t to_year = request.to_year() == 0 ? kLastYear : request.to_year();

  // GLOTIP's long format has one free dimension per row beside sex and age.
  constexpr int32_t kOneOf = kFormBit | kCitizenshipBit | kRegionBit;
  std::vector<const DisclosurePlan::Atom*> atoms;
  for (const DisclosurePlan::Atom& a : plan->atoms()) {
    const int32_t free = a.key.level & kOneOf;
    if ((free & (free - 1)) != 0) continue;
    if (a.key.year < request.from_year() || a.key.year > to_year) continue;
    atoms.push_back(&a);
  }
  std::sort(atoms.begin(), atoms.end(), [](const auto* a, const auto* b) {
    const CellKey& x = a->key;
    const CellKey& y = b->key;
    return std::tie(x.indicator, x.level, x.form, x.citizenship, x.country, x.region, x.sex, x.age,
                    x.year) < std::tie(y.indicator, y.level, y.form, y.citizenship, y.country,
                                       y.region, y.sex, y.age, y.year);
  });

  Populations populations;
  if (request.include_rates()) {
    THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
      THB_ASSIGN_OR_RETURN(populations, LoadPopulations(tx));
      return absl::OkStatus();
    }));
  }
  struct Line {
    std::string indicator, dimension, category, sex, age;
    int32_t year;
    std::string unit = "Counts";
    std::optional<double> value;  // absent: withheld
  };
  std::vector<Line> lines;
  lines.reserve(atoms.size());
  for (const DisclosurePlan::Atom* a : atoms) {
    const CellKey& k = a->key;
    Line l;
    l.indicator =
        Label(v1::StatisticalIndicator_descriptor(), k.indicator, "STATISTICAL_INDICATOR_");
    if (k.level & kFormBit) {
      l.dimension = "Form of exploitation";
      l.category = Label(tv1::FormOfExploitation_descriptor(), k.form, "FORM_OF_EXPLOITATION_");
    } else if (k.level & kCitizenshipBit) {
      l.dimension = "Citizenship";
      l.category =
          k.citizenship == tv1::CITIZENSHIP_STATUS_OTHER_COUNTRY
              ? k.country
              : Label(tv1::CitizenshipStatus_descriptor(), k.citizenship, "CITIZENSHIP_STATUS_");
    } else if (k.level & kRegionBit) {
      l.dimension = "Region";
      l.category = k.region;
    } else {
      l.dimension = "Total";
      l.category = "Total";
    }
    l.sex = (k.level & kSexBit) ? Label(tv1::Sex_descriptor(), k.sex, "SEX_") : "Total";
    l.age = (k.level & kAgeBit) ? Label(tv1::AgeGroup_descriptor(), k.age, "AGE_GROUP_") : "Total";
    if (l.age == "Child") l.age = "Children";
    if (l.age == "Adult") l.age = "Adults";
    l.year = k.year;
    if (!a->suppressed) l.value = static_cast<double>(a->count);
    if (request.include_rates()) {
      // The population of the line's area: the region's for a region line, else the State's.
      const std::string area = (k.level & kRegionBit) ? k.region : std::string();
      auto p = populations.find({area, k.year});
      if (p != populations.end() && p->second > 0) {
        Line rate = l;
        rate.unit = "Rate per 100,000 population";
        if (l.value) rate.value = *l.value * 100000.0 / static_cast<double>(p->second);
        lines.push_back(std::move(l));
        lines.push_back(std::move(rate));
        continue;
      }
    }
    lines.push_back(std::move(l));
  }
  // A count as an integer, a rate with up to 6 significant decimals.
  auto number = [](const Line& l) {
    if (!l.value) return std::string();
    if (l.unit == "Counts") return absl::StrCat(static_cast<int64_t>(*l.value));
    return absl::StrFormat("%.6g", *l.value);
  };
  const std::string country_name =
      config_.country_name.empty() ? config_.country_code : config_.country_name;

  v1::ExportStatisticsResponse response;
  if (request.format() == v1::EXPORT_FORMAT_JSON) {
    nlohmann::json rows = nlohmann::json::array();
    for (const Line& l : lines) {
      nlohmann::json row = {{"country", country_name},
                            {"iso3Code", config_.country_code},
                            {"region", config_.region},
                            {"subregion", config_.subregion},
                            {"indicator", l.indicator},
                            {"dimension", l.dimension},
                            {"category", l.category},
                            {"sex", l.sex},
                            {"age", l.age},
                            {"year", l.year},
                            {"unitOfMeasurement", l.unit},
                            {"source", config_.source}};
      row["value"] = !l.value             ? nlohmann::json(nullptr)
                     : l.unit == "Counts" ? nlohmann::json(static_cast<int64_t>(*l.value))
                                          : nlohmann::json(*l.value);
      row["suppressed"] = !l.value.has_value();
      rows.push_back(std::move(row));
    }
    nlohmann::json doc = {{"suppressionThreshold", plan->threshold()}, {"rows", std::move(rows)}};
    response.set_content_type("application/json");
    response.set_content(doc.dump(2));
    return response;
  }
  std::string csv;
  if (request.format() == v1::EXPORT_FORMAT_CSV) {
    csv = "country,indicator,dimension,category,sex,age,year,unit,value\r\n";
    for (const Line& l : lines) {
      absl::StrAppend(&csv, CsvField(config_.country_code), ",", CsvField(l.indicator), ",",
                      CsvField(l.dimension), ",", CsvField(l.category), ",", CsvField(l.sex), ",",
                      CsvField(l.age), ",", l.year, ",", CsvField(l.unit), ",",
                      l.value ? number(l) : std::string("suppressed"), "\r\n");
    }
  } else {
    csv =
        "Country,Iso3_code,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,"
        "Unit of measurement,VALUE,Source\r\n";
    for (const Line& l : lines) {
      absl::StrAppend(&csv, CsvField(country_name), ",", CsvField(config_.country_code), ",",
                      CsvField(config_.region), ",", CsvField(config_.subregion), ",",
                      CsvField(l.indicator), ",", CsvField(l.dimension), ",", CsvField(l.category),
                      ",", CsvField(l.sex), ",", CsvField(l.age), ",", l.year, ",",
                      CsvField(l.unit), ",", number(l), ",", CsvField(config_.source), "\r\n");
    }
  }
  response.set_content_type("text/csv; charset=utf-8");
  response.set_content(std::move(csv));
  return response;
}

}  // namespace thb::rapporteur
