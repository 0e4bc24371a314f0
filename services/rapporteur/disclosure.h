// Statistical disclosure control for everyone without the rapporteur-analyst role.
//
// Public answers are built from *atoms*: the national totals of one indicator, year and
// combination of categories at one level (summed over reporting institutions). The plan marks
// which atoms may never contribute to a published number:
//   - primary suppression: 0 < count < k (zero is not sensitive and is published);
//   - secondary suppression: an atom at one level equals the sum of its breakdown at the next
//     level (total = female + male + ...). Any such equation with exactly one suppressed member
//     would give that member away by subtraction, so another member (the smallest non-zero one)
//     is suppressed too, repeated until every equation has none or at least two. Several
//     equations together can still pin a value (three-way tables), so the plan then solves the
//     whole system as an attacker would (exact linear algebra over the suppressed atoms) and
//     suppresses more until no suppressed atom is determined by what is published.
// A published number is a sum of unsuppressed atoms only; a cell or total that would include a
// suppressed atom is itself suppressed. Because the plan is computed once over all the data (not
// per query), two overlapping queries publish sums over the same unsuppressed atoms, and their
// difference is again such a sum: it cannot isolate a suppressed atom.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "services/rapporteur/statistics_cells.h"

namespace thb::rapporteur {

class DisclosurePlan {
 public:
  struct Atom {
    CellKey key;
    int64_t count = 0;
    bool suppressed = false;
  };

  // `atoms` must have distinct keys. `threshold` is k (at least 1).
  static DisclosurePlan Build(std::vector<std::pair<CellKey, int64_t>> atoms, int32_t threshold);

  const std::vector<Atom>& atoms() const { return atoms_; }
  int32_t threshold() const { return threshold_; }
  int64_t primary_suppressions() const { return primary_; }
  int64_t secondary_suppressions() const { return secondary_; }
  // The atom with `key`, or nullptr.
  const Atom* Find(const CellKey& key) const;
  // Groups of linked suppressed atoms too large for the exact check (see kMaxAuditedUnknowns);
  // they are protected by complementary suppression alone.
  int64_t unaudited_components() const { return unaudited_components_; }

  // The exact check is cubic in the number of linked suppressed atoms; above this many in one
  // group it is skipped.
  static constexpr size_t kMaxAuditedUnknowns = 400;

 private:
  static bool Prefer(const Atom& a, const Atom& b);
  void SuppressComplements(const std::vector<std::vector<size_t>>& equations);
  // Suppressed atoms whose value the equations determine.
  std::vector<size_t> Exposed(const std::vector<std::vector<size_t>>& equations);

  std::vector<Atom> atoms_;
  absl::flat_hash_map<CellKey, size_t> index_;
  int32_t threshold_ = 0;
  int64_t primary_ = 0;
  int64_t secondary_ = 0;
  int64_t unaudited_components_ = 0;
};

}  // namespace thb::rapporteur
