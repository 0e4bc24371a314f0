#include "services/rapporteur/disclosure.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/container/flat_hash_map.h"

namespace thb::rapporteur {
namespace {

CellKey Key(int32_t sex, int32_t age, int32_t form = 0, int32_t year = 2024) {
  CellKey k;
  k.indicator = v1::STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED;
  k.year = year;
  k.sex = sex;
  k.age = age;
  k.form = form;
  k.level = (sex ? kSexBit : 0) | (age ? kAgeBit : 0) | (form ? kFormBit : 0);
  return k;
}

DisclosurePlan Plan(std::vector<std::pair<CellKey, int64_t>> atoms, int32_t k) {
  absl::StatusOr<DisclosurePlan> plan = DisclosurePlan::Build(std::move(atoms), k);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return std::move(plan).value();
}

bool Suppressed(const DisclosurePlan& plan, const CellKey& k) {
  const DisclosurePlan::Atom* a = plan.Find(k);
  EXPECT_NE(a, nullptr);
  return a != nullptr && a->suppressed;
}

TEST(DisclosurePlanTest, SuppressesSmallNonZeroCountsButNotZeroOrK) {
  DisclosurePlan plan = Plan({{Key(1, 0), 0}, {Key(2, 0), 9}, {Key(3, 0), 10}, {Key(4, 0), 1}}, 10);
  EXPECT_FALSE(Suppressed(plan, Key(1, 0)));
  EXPECT_TRUE(Suppressed(plan, Key(2, 0)));
  EXPECT_FALSE(Suppressed(plan, Key(3, 0)));
  EXPECT_TRUE(Suppressed(plan, Key(4, 0)));
  EXPECT_EQ(plan.primary_suppressions(), 2);
  EXPECT_EQ(plan.secondary_suppressions(), 0);  // no totals published: nothing to subtract from
}

TEST(DisclosurePlanTest, ASingleSmallCellUnderAPublishedTotalTakesTheSmallestOtherWithIt) {
  // total 140 = female 100 + male 36 + unknown 4: "unknown" alone would be total - 100 - 36.
  DisclosurePlan plan =
      Plan({{Key(0, 0), 140}, {Key(1, 0), 100}, {Key(2, 0), 36}, {Key(4, 0), 4}}, 10);
  EXPECT_TRUE(Suppressed(plan, Key(4, 0)));
  EXPECT_TRUE(Suppressed(plan, Key(2, 0)));  // the smallest other
  EXPECT_FALSE(Suppressed(plan, Key(1, 0)));
  EXPECT_FALSE(Suppressed(plan, Key(0, 0)));
  EXPECT_EQ(plan.secondary_suppressions(), 1);
}

TEST(DisclosurePlanTest, AnOnlyChildLeftOutOfMostOfItsTotalNeedsNoPartner) {
  // 50 persons, of whom 3 are reported as female and the rest not by sex: the attacker knows only
  // that the female cell is at most 50, so the total stays published. (The old plan assumed every
  // breakdown complete and suppressed the total too.)
  DisclosurePlan plan = Plan({{Key(0, 0), 50}, {Key(1, 0), 3}}, 10);
  EXPECT_TRUE(Suppressed(plan, Key(1, 0)));
  EXPECT_FALSE(Suppressed(plan, Key(0, 0)));
  // A complete breakdown is an equation: then the total would give the cell away.
  DisclosurePlan complete = Plan({{Key(0, 0), 13}, {Key(1, 0), 3}, {Key(2, 0), 10}}, 10);
  EXPECT_TRUE(Suppressed(complete, Key(1, 0)));
  EXPECT_TRUE(Suppressed(complete, Key(0, 0)) || Suppressed(complete, Key(2, 0)));
}

TEST(DisclosurePlanTest, PrefersANonZeroPartnerOverAZero) {
  DisclosurePlan plan =
      Plan({{Key(0, 0), 60}, {Key(1, 0), 0}, {Key(2, 0), 57}, {Key(3, 0), 3}}, 10);
  EXPECT_TRUE(Suppressed(plan, Key(2, 0)));
  EXPECT_FALSE(Suppressed(plan, Key(1, 0)));
}

// An attacker who knows every published atom and that every breakdown adds up to its total,
// and solves the linear system exactly (Gauss-Jordan): a suppressed atom is recovered when its
// value is fixed by the equations.
std::vector<CellKey> RecoverableAtoms(const DisclosurePlan& plan) {
  absl::flat_hash_map<CellKey, size_t> unknown;
  std::vector<CellKey> names;
  for (const auto& a : plan.atoms()) {
    if (a.suppressed) {
      unknown.emplace(a.key, names.size());
      names.push_back(a.key);
    }
  }
  std::vector<std::vector<double>> rows;
  absl::flat_hash_map<std::pair<CellKey, int32_t>, std::vector<double>> eq;
  for (const auto& a : plan.atoms()) {
    for (int32_t bit : kCategoryBits) {
      if ((a.key.level & bit) == 0) continue;
      const CellKey parent = WithoutDimension(a.key, bit);
      if (plan.Find(parent) == nullptr) continue;
      auto [it, fresh] = eq.try_emplace({parent, bit}, std::vector<double>(names.size(), 0.0));
      if (fresh && unknown.contains(parent)) it->second[unknown[parent]] = -1;
      if (unknown.contains(a.key)) it->second[unknown[a.key]] = 1;
    }
  }
  for (auto& [k, row] : eq) rows.push_back(row);
  // Reduced row echelon form; a row with a single non-zero entry pins that unknown.
  size_t r = 0;
  for (size_t c = 0; c < names.size() && r < rows.size(); ++c) {
    size_t pivot = r;
    while (pivot < rows.size() && std::fabs(rows[pivot][c]) < 1e-9) ++pivot;
    if (pivot == rows.size()) continue;
    std::swap(rows[r], rows[pivot]);
    const double p = rows[r][c];
    for (double& x : rows[r]) x /= p;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i == r || std::fabs(rows[i][c]) < 1e-9) continue;
      const double f = rows[i][c];
      for (size_t j = 0; j < names.size(); ++j) rows[i][j] -= f * rows[r][j];
    }
    ++r;
  }
  std::vector<CellKey> recovered;
  for (const auto& row : rows) {
    int nonzero = 0;
    size_t at = 0;
    for (size_t j = 0; j < row.size(); ++j) {
      if (std::fabs(row[j]) > 1e-9) {
        ++nonzero;
        at = j;
      }
    }
    if (nonzero == 1) recovered.push_back(names[at]);
  }
  return recovered;
}

// Consistent data at every level of sex x age x form (totals, margins, full breakdown), with
// many small counts; no suppressed atom may be recoverable from everything published.
TEST(DisclosurePlanTest, NoSuppressedAtomIsRecoverableFromConsistentMarginsRandomised) {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> small(0, 14);
    absl::flat_hash_map<CellKey, int64_t> sums;
    for (int sex = 1; sex <= 3; ++sex) {
      for (int age = 1; age <= 3; ++age) {
        for (int form = 1; form <= 3; ++form) {
          const int64_t n = small(rng) * (seed % 3 == 0 ? 3 : 1);
          // Add the finest cell to each of its 8 aggregates (every subset of its dimensions).
          for (int mask = 0; mask < 8; ++mask) {
            sums[Key(mask & 1 ? sex : 0, mask & 2 ? age : 0, mask & 4 ? form : 0)] += n;
          }
        }
      }
    }
    std::vector<std::pair<CellKey, int64_t>> atoms(sums.begin(), sums.end());
    DisclosurePlan plan = Plan(std::move(atoms), 10);
    ASSERT_GT(plan.primary_suppressions(), 0) << "seed " << seed;
    EXPECT_TRUE(RecoverableAtoms(plan).empty())
        << "seed " << seed << ": " << RecoverableAtoms(plan).size() << " recoverable";
  }
}

TEST(DisclosurePlanTest, ABreakdownOfASecondaryCellIsProtectedToo) {
  // Guards the attacker itself: two unknowns in one equation are safe ...
  std::vector<std::pair<CellKey, int64_t>> atoms = {
      {Key(0, 0), 30}, {Key(1, 0), 25}, {Key(2, 0), 5}};
  DisclosurePlan plan = Plan(atoms, 6);
  EXPECT_TRUE(Suppressed(plan, Key(1, 0)));
  EXPECT_TRUE(RecoverableAtoms(plan).empty());
  // ... but a fully published breakdown of the female cell pins it (25 = 12 + 13) and with it
  // the male one (30 - 25): the plan must suppress inside that breakdown as well.
  atoms.emplace_back(Key(1, 1), 12);
  atoms.emplace_back(Key(1, 2), 13);
  DisclosurePlan deeper = Plan(atoms, 6);
  EXPECT_TRUE(RecoverableAtoms(deeper).empty());
  EXPECT_TRUE(Suppressed(deeper, Key(1, 1)) || Suppressed(deeper, Key(1, 2)));
  EXPECT_EQ(deeper.tables_withheld_whole(), 0);
}

TEST(DisclosurePlanTest, TheSameDataGivesTheSamePlanWhateverTheOrder) {
  // Two different patterns over the same data could be combined, so the plan must not depend on
  // the order the store returns rows in.
  std::vector<std::pair<CellKey, int64_t>> atoms;
  for (int sex = 0; sex <= 3; ++sex) {
    for (int age = 0; age <= 2; ++age)
      atoms.emplace_back(Key(sex, age), 5 + 7 * ((sex * 3 + age) % 4));
  }
  DisclosurePlan first = Plan(atoms, 10);
  std::mt19937 rng(7);
  for (int round = 0; round < 10; ++round) {
    std::shuffle(atoms.begin(), atoms.end(), rng);
    DisclosurePlan again = Plan(atoms, 10);
    for (const auto& a : first.atoms()) EXPECT_EQ(Suppressed(again, a.key), a.suppressed);
  }
}

}  // namespace
}  // namespace thb::rapporteur
