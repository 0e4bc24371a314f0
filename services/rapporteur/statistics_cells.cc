#include "services/rapporteur/statistics_cells.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace thb::rapporteur {
namespace {

constexpr size_t kMaxWarnings = 100;

std::string DimensionName(int32_t bit) {
  switch (bit) {
    case kFormBit:
      return "form";
    case kSexBit:
      return "sex";
    case kAgeBit:
      return "age group";
    case kCitizenshipBit:
      return "citizenship";
    default:
      return "region";
  }
}

}  // namespace

int32_t LevelOf(const v1::StatisticsRow& row) {
  int32_t level = 0;
  if (row.form() != 0) level |= kFormBit;
  if (row.sex() != 0) level |= kSexBit;
  if (row.age_group() != 0) level |= kAgeBit;
  if (row.citizenship().status() != 0) level |= kCitizenshipBit;
  if (!row.region().empty()) level |= kRegionBit;
  return level;
}

CellKey KeyOf(const v1::StatisticsRow& row, int32_t year) {
  CellKey k;
  k.level = LevelOf(row);
  k.indicator = row.indicator();
  k.year = year;
  k.form = row.form();
  k.sex = row.sex();
  k.age = row.age_group();
  k.citizenship = row.citizenship().status();
  k.country = row.citizenship().country_code();
  k.region = row.region();
  return k;
}

CellKey WithoutDimension(const CellKey& key, int32_t bit) {
  CellKey k = key;
  k.level &= ~bit;
  switch (bit) {
    case kFormBit:
      k.form = 0;
      break;
    case kSexBit:
      k.sex = 0;
      break;
    case kAgeBit:
      k.age = 0;
      break;
    case kCitizenshipBit:
      k.citizenship = 0;
      k.country.clear();
      break;
    case kRegionBit:
      k.region.clear();
      break;
  }
  return k;
}

CellKey ProjectToLevel(const CellKey& key, int32_t level) {
  CellKey k = key;
  for (int32_t bit : kCategoryBits) {
    if ((key.level & bit) != 0 && (level & bit) == 0) k = WithoutDimension(k, bit);
  }
  return k;
}

std::vector<v1::DataQualityWarning> CheckDataQuality(const v1::StatisticsSubmission& submission) {
  const int32_t year = submission.period().year();
  absl::flat_hash_map<CellKey, int> index;  // key -> row index
  for (int i = 0; i < submission.rows_size(); ++i)
    index.emplace(KeyOf(submission.rows(i), year), i);

  // Children grouped by (parent row, dimension broken down), in row order.
  struct Breakdown {
    int parent;
    int32_t bit;
    std::vector<int> children;
    int64_t sum = 0;
  };
  std::vector<Breakdown> breakdowns;
  absl::flat_hash_map<std::pair<int, int32_t>, size_t> by_parent;
  for (int i = 0; i < submission.rows_size(); ++i) {
    const CellKey key = KeyOf(submission.rows(i), year);
    for (int32_t bit : kCategoryBits) {
      if ((key.level & bit) == 0) continue;
      auto parent = index.find(WithoutDimension(key, bit));
      if (parent == index.end()) continue;
      auto [it, fresh] = by_parent.try_emplace({parent->second, bit}, breakdowns.size());
      if (fresh) breakdowns.push_back({parent->second, bit, {}, 0});
      Breakdown& b = breakdowns[it->second];
      b.children.push_back(i);
      if (!AddCounts(b.sum, submission.rows(i).count(), b.sum)) b.sum = INT64_MAX;
    }
  }
  std::sort(breakdowns.begin(), breakdowns.end(), [](const Breakdown& a, const Breakdown& b) {
    return std::tie(a.parent, a.bit) < std::tie(b.parent, b.bit);
  });

  std::vector<v1::DataQualityWarning> warnings;
  for (const Breakdown& b : breakdowns) {
    const int64_t total = submission.rows(b.parent).count();
    if (b.sum == total || warnings.size() >= kMaxWarnings) continue;
    v1::DataQualityWarning& w = warnings.emplace_back();
    w.set_code(b.sum > total ? "BREAKDOWN_EXCEEDS_TOTAL" : "BREAKDOWN_BELOW_TOTAL");
    w.set_message(absl::StrCat("the breakdown by ", DimensionName(b.bit), " of row ", b.parent,
                               " adds up to ", b.sum, ", but the row says ", total));
    w.add_row_indexes(b.parent);
    for (int c : b.children) w.add_row_indexes(c);
  }

  for (int i = 0; i < submission.rows_size() && warnings.size() < kMaxWarnings; ++i) {
    const v1::StatisticsRow& row = submission.rows(i);
    if (row.indicator() != v1::STATISTICAL_INDICATOR_PERSONS_CONVICTED) continue;
    CellKey prosecuted = KeyOf(row, year);
    prosecuted.indicator = v1::STATISTICAL_INDICATOR_PERSONS_PROSECUTED;
    auto it = index.find(prosecuted);
    if (it == index.end() || row.count() <= submission.rows(it->second).count()) continue;
    v1::DataQualityWarning& w = warnings.emplace_back();
    w.set_code("CONVICTED_ABOVE_PROSECUTED");
    w.set_message(absl::StrCat("row ", i, " counts ", row.count(), " persons convicted but row ",
                               it->second, " only ", submission.rows(it->second).count(),
                               " prosecuted in the same year"));
    w.add_row_indexes(it->second);
    w.add_row_indexes(i);
  }
  return warnings;
}

}  // namespace thb::rapporteur
