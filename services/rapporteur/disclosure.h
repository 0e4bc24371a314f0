// Statistical disclosure control for everyone without the rapporteur-analyst role.
//
// The model. Public answers are built from *atoms*: the national count of one indicator, year and
// combination of categories at one level, summed over the reporting institutions (the
// *contributors*). Every number the API publishes is a sum of atoms of one level (a query's cells
// and total, the GLOTIP export's lines), or such a sum times a public constant (a rate per
// 100,000); any atom not suppressed can be read on its own by grouping by every dimension of its
// level. So what the public learns is exactly: the value of every unsuppressed atom, which atoms
// are suppressed, and what it may assume about how atoms relate.
//
// The attacker the plan is audited against knows, for every pair of levels L ⊂ M of one indicator
// and year (adjacent or not) and every atom c of level L with a breakdown at M, the sign of the
// *residual* c - (sum of c's breakdown at M): zero when everyone who counted c broke it down
// (an equation), positive when some of c was left undisaggregated (c is at least the sum),
// negative when a breakdown exceeds its total. It also knows that no atom is negative. A
// reporting institution (an insider) knows in addition its own part of every atom, so for it the
// unknowns are the other contributors' parts (and the residual signs it knows are theirs); it is
// audited as its own view.
//
// The plan. Primary suppression: an atom is sensitive when its count n is 0 < n < k, or when the
// count left after removing any single contributor's part is 0 < n < k (the contributor rule: no
// institution can subtract itself out). Residuals are counts too (the persons a breakdown leaves
// out): a residual with 0 < r < k, for the public or after removing one contributor, is sensitive
// although it is never published as such. Secondary suppression then withholds more atoms until,
// in every view (the public and each contributor), linear programming over everything published
// (GLPK, with the bounds above) gives:
//   - every sensitive atom or residual with true value n an interval containing [0, n + k]: the
//     attacker can tell neither that the count is non-zero nor that it is below k;
//   - (public view) every other suppressed atom an interval at least k wide.
// The work is done per linked component of suppressed atoms within one indicator and year. A
// component above kMaxAuditedUnknowns unknowns, or a table whose audit exceeds kMaxLpSolves, is
// withheld whole (every atom of that indicator and year suppressed), which is safe without any
// audit: with nothing published the feasible set is a cone around the truth.
//
// Suppression the caller asks for (`withheld`, e.g. atoms withheld by an earlier plan) is applied
// before the audit, so a pattern can only grow by it. Because the plan is computed once over all
// the data (not per query), two overlapping queries publish sums of the same unsuppressed atoms,
// and their difference cannot isolate a suppressed one.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "services/rapporteur/statistics_cells.h"

namespace thb::rapporteur {

class DisclosurePlan {
 public:
  // One contributor's part of one atom. `contributor` numbers the reporting institutions;
  // kNoContributor marks a count with no attribution (no insider view is audited for it).
  struct Contribution {
    CellKey key;
    int32_t contributor = kNoContributor;
    int64_t count = 0;
  };
  struct Part {
    int32_t contributor = kNoContributor;
    int64_t count = 0;
  };
  struct Atom {
    CellKey key;
    int64_t count = 0;
    bool suppressed = false;
    bool sensitive = false;   // primary: the threshold or the contributor rule
    std::vector<Part> parts;  // by contributor, ascending
  };
  static constexpr int32_t kNoContributor = -1;

  using PartsByKey = absl::flat_hash_map<CellKey, std::vector<Part>>;

  // `threshold` is k (at least 1). Parts of the same key and contributor are added. Atoms in
  // `withheld` are suppressed whatever their count. INVALID_ARGUMENT when a count is negative or
  // a sum does not fit in 64 bits.
  static absl::StatusOr<DisclosurePlan> Build(PartsByKey parts, int32_t threshold,
                                              const absl::flat_hash_set<CellKey>& withheld = {});
  static absl::StatusOr<DisclosurePlan> Build(std::vector<Contribution> contributions,
                                              int32_t threshold,
                                              const absl::flat_hash_set<CellKey>& withheld = {});
  // National totals without attribution: only the public is audited.
  static absl::StatusOr<DisclosurePlan> Build(std::vector<std::pair<CellKey, int64_t>> atoms,
                                              int32_t threshold);

  const std::vector<Atom>& atoms() const { return atoms_; }
  int32_t threshold() const { return threshold_; }
  int64_t primary_suppressions() const { return primary_; }
  int64_t secondary_suppressions() const { return secondary_; }
  // Linear programs solved by the audit.
  int64_t lp_solves() const { return lp_solves_; }
  // Indicator-year tables withheld whole because their audit was over the caps.
  int64_t tables_withheld_whole() const { return tables_withheld_whole_; }
  // The atom with `key`, or nullptr.
  const Atom* Find(const CellKey& key) const;

  // Caps that bound the audit's cost; above them a table is withheld whole (fail closed).
  static constexpr size_t kMaxAuditedUnknowns = 400;
  static constexpr int64_t kMaxLpSolves = 200000;

 private:
  struct Relation;
  class Audit;

  // Withholds every atom of `table`.
  void WithholdTable(const std::vector<size_t>& table);
  // The relations (residual signs) between the levels of one indicator-year table.
  std::vector<Relation> RelationsOf(const std::vector<size_t>& table) const;
  // Suppression until the audit passes for `table`.
  void ProtectTable(const std::vector<size_t>& table);

  std::vector<Atom> atoms_;
  absl::flat_hash_map<CellKey, size_t> index_;
  int32_t threshold_ = 0;
  int64_t primary_ = 0;
  int64_t secondary_ = 0;
  int64_t lp_solves_ = 0;
  int64_t tables_withheld_whole_ = 0;
};

}  // namespace thb::rapporteur
