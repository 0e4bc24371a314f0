// The cell model shared by validation, storage, disclosure control and queries.
//
// A statistics row counts one indicator for one combination of categories. Each of the five
// category dimensions (form, sex, age group, citizenship, region) is either disaggregated (set)
// or not (UNSPECIFIED / empty): the set of disaggregated dimensions is the row's *level*, a
// bitmask. A submission may report several levels at once (a total, a breakdown by sex, one by
// sex and age...), so rows of different levels are never added together: a query at level L uses
// only rows of exactly level L, where L is the set of dimensions it groups or filters by.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/hash/hash.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

enum LevelBit : int32_t {
  kFormBit = 1,
  kSexBit = 2,
  kAgeBit = 4,
  kCitizenshipBit = 8,
  kRegionBit = 16,
};
inline constexpr int32_t kCategoryBits[] = {kFormBit, kSexBit, kAgeBit, kCitizenshipBit,
                                            kRegionBit};

// One aggregate cell: indicator and year always, plus the categories of its level.
struct CellKey {
  int32_t level = 0;
  int32_t indicator = 0;
  int32_t year = 0;
  int32_t form = 0;
  int32_t sex = 0;
  int32_t age = 0;
  int32_t citizenship = 0;
  std::string country;  // ISO 3166-1 alpha-3 when citizenship is OTHER_COUNTRY
  std::string region;

  bool operator==(const CellKey& o) const {
    return level == o.level && indicator == o.indicator && year == o.year && form == o.form &&
           sex == o.sex && age == o.age && citizenship == o.citizenship && country == o.country &&
           region == o.region;
  }
  template <typename H>
  friend H AbslHashValue(H h, const CellKey& k) {
    return H::combine(std::move(h), k.level, k.indicator, k.year, k.form, k.sex, k.age,
                      k.citizenship, k.country, k.region);
  }
};

// The level of a row: which category dimensions it is disaggregated by.
int32_t LevelOf(const v1::StatisticsRow& row);

// The key of `row` reported for `year`.
CellKey KeyOf(const v1::StatisticsRow& row, int32_t year);

// The same cell with dimension `bit` no longer disaggregated (its parent in the breakdown).
CellKey WithoutDimension(const CellKey& key, int32_t bit);

// The cell of `level` (a subset of key.level) that `key` falls in: its ancestor at that level.
CellKey ProjectToLevel(const CellKey& key, int32_t level);

// The latest year a statistic or a population figure may be for (a query's open upper bound).
inline constexpr int32_t kLastYear = 9999;

// The largest count a row may carry, so that no sum the suite computes can come near the 64-bit
// limit (sums are checked all the same; see AddCounts).
inline constexpr int64_t kMaxRowCount = 1'000'000'000;

// a + b into `sum`; false (and `sum` untouched) when the result does not fit in 64 bits.
inline bool AddCounts(int64_t a, int64_t b, int64_t& sum) {
  int64_t s = 0;
  if (__builtin_add_overflow(a, b, &s)) return false;
  sum = s;
  return true;
}

// Data-quality checks of one submission that do not reject it: breakdowns that do not add up to
// the total they break down, and persons convicted above persons prosecuted.
std::vector<v1::DataQualityWarning> CheckDataQuality(const v1::StatisticsSubmission& submission);

}  // namespace thb::rapporteur
