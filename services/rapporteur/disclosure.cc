#include "services/rapporteur/disclosure.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace thb::rapporteur {

// An atom and its breakdown at a finer level: residual = parent - sum(children), at the truth.
struct DisclosurePlan::Relation {
  size_t parent = 0;
  std::vector<size_t> children;
  int64_t residual = 0;
};

namespace {

auto KeyTie(const CellKey& x) {
  return std::tie(x.indicator, x.year, x.level, x.form, x.sex, x.age, x.citizenship, x.country,
                  x.region);
}

int64_t PartOf(const DisclosurePlan::Atom& a, int32_t contributor) {
  if (contributor == DisclosurePlan::kNoContributor) return 0;
  auto it =
      std::lower_bound(a.parts.begin(), a.parts.end(), contributor,
                       [](const DisclosurePlan::Part& p, int32_t c) { return p.contributor < c; });
  return it != a.parts.end() && it->contributor == contributor ? it->count : 0;
}

int64_t Clamp(__int128 v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

struct LpDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

}  // namespace

// The audit of one linked component: its suppressed atoms are the unknowns, its relations the
// constraints. For each view (the public, then each contributor with a part in the component)
// it bounds every target by linear programming, and names an atom to suppress next when one is
// not protected.
class DisclosurePlan::Audit {
 public:
  enum class Outcome { kProtected, kSuppressMore, kFailed };

  Audit(DisclosurePlan& plan, std::vector<size_t> unknowns, std::vector<const Relation*> relations)
      : plan_(plan), unknowns_(std::move(unknowns)), relations_(std::move(relations)) {}

  // kSuppressMore sets `pick`.
  Outcome Run(size_t& pick) {
    const int64_t k = plan_.threshold_;
    for (size_t j = 0; j < unknowns_.size(); ++j) column_[unknowns_[j]] = static_cast<int>(j + 1);
    lp_.reset(glp_create_prob());
    glp_prob* lp = lp_.get();
    glp_add_cols(lp, static_cast<int>(unknowns_.size()));
    for (size_t j = 0; j < unknowns_.size(); ++j)
      glp_set_col_bnds(lp, static_cast<int>(j + 1), GLP_LO, 0, 0);
    glp_add_rows(lp, static_cast<int>(relations_.size()));
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0};
    for (size_t r = 0; r < relations_.size(); ++r) {
      for (auto [atom, coefficient] : Members(*relations_[r])) {
        auto c = column_.find(atom);
        if (c == column_.end()) continue;
        ia.push_back(static_cast<int>(r + 1));
        ja.push_back(c->second);
        ar.push_back(coefficient);
      }
    }
    glp_load_matrix(lp, static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
    glp_std_basis(lp);

    // The views: the public, then every contributor with a part in the component.
    std::vector<int32_t> views = {kNoContributor};
    for (const Relation* r : relations_) {
      for (auto [atom, coefficient] : Members(*r)) {
        for (const Part& p : plan_.atoms_[atom].parts) {
          if (p.count != 0) views.push_back(p.contributor);
        }
      }
    }
    std::sort(views.begin() + 1, views.end());
    views.erase(std::unique(views.begin() + 1, views.end()), views.end());

    for (int32_t view : views) {
      // Published members move to the right-hand side, at their value in this view.
      std::vector<double> published(relations_.size());
      std::vector<int64_t> residual_left(relations_.size());  // the residual of the unknown parts
      for (size_t r = 0; r < relations_.size(); ++r) {
        __int128 pub = 0, own = 0;
        for (auto [atom, coefficient] : Members(*relations_[r])) {
          const Atom& a = plan_.atoms_[atom];
          const int64_t part = PartOf(a, view);
          own += coefficient * static_cast<__int128>(part);
          if (!a.suppressed) pub += coefficient * (static_cast<__int128>(a.count) - part);
        }
        published[r] = static_cast<double>(pub);
        residual_left[r] = Clamp(relations_[r]->residual - own);
        // The view knows the sign of the residual of what it does not know: the national
        // residual for the public, the other contributors' together for an insider. (Not the
        // national sign as well: with its own part that would bound the others' residual by data
        // nobody publishes.)
        SetRow(static_cast<int>(r + 1), residual_left[r], -static_cast<double>(pub));
      }
      auto small = [k](int64_t n) { return n > 0 && n < k; };
      // Atoms: sensitive ones need [0, n + k]; in the public view every other one k of width.
      for (size_t j = 0; j < unknowns_.size(); ++j) {
        const Atom& a = plan_.atoms_[unknowns_[j]];
        const int64_t n = a.count - PartOf(a, view);
        const bool sensitive = small(n);
        if (!sensitive && view != kNoContributor) continue;
        std::vector<std::pair<int, double>> objective = {{static_cast<int>(j + 1), 1.0}};
        std::optional<bool> ok = Protected(objective, 0, n, sensitive);
        if (!ok) return Outcome::kFailed;
        if (*ok) continue;
        return PickFor(unknowns_[j], nullptr, view, pick);
      }
      // Sensitive residuals.
      for (size_t r = 0; r < relations_.size(); ++r) {
        if (!small(residual_left[r])) continue;
        std::vector<std::pair<int, double>> objective;
        for (auto [atom, coefficient] : Members(*relations_[r])) {
          auto c = column_.find(atom);
          if (c != column_.end()) objective.emplace_back(c->second, coefficient);
        }
        std::optional<bool> ok = Protected(objective, published[r], residual_left[r], true);
        if (!ok) return Outcome::kFailed;
        if (*ok) continue;
        return PickFor(plan_.atoms_.size(), relations_[r], view, pick);
      }
    }
    return Outcome::kProtected;
  }

 private:
  static std::vector<std::pair<size_t, double>> Members(const Relation& r) {
    std::vector<std::pair<size_t, double>> m = {{r.parent, 1.0}};
    for (size_t c : r.children) m.emplace_back(c, -1.0);
    return m;
  }

  // The row's expression is >= / = / <= rhs as the residual's sign says.
  void SetRow(int row, int64_t sign, double rhs) {
    const int type = sign == 0 ? GLP_FX : sign > 0 ? GLP_LO : GLP_UP;
    glp_set_row_bnds(lp_.get(), row, type, rhs, rhs);
  }

  // Min or max of the objective plus `constant`; nullopt when the solver fails.
  std::optional<double> Solve(const std::vector<std::pair<int, double>>& objective, double constant,
                              int direction) {
    glp_prob* lp = lp_.get();
    for (int j = 1; j <= glp_get_num_cols(lp); ++j) glp_set_obj_coef(lp, j, 0);
    for (auto [col, coefficient] : objective) glp_set_obj_coef(lp, col, coefficient);
    glp_set_obj_dir(lp, direction);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;
    ++plan_.lp_solves_;
    int ret = glp_simplex(lp, &parm);
    if (ret != 0) {  // e.g. an ill-conditioned warm basis: start again from the standard one
      glp_std_basis(lp);
      ret = glp_simplex(lp, &parm);
    }
    const int status = glp_get_status(lp);
    if (ret != 0) return std::nullopt;
    if (status == GLP_UNBND) {
      return direction == GLP_MAX ? std::numeric_limits<double>::infinity()
                                  : -std::numeric_limits<double>::infinity();
    }
    if (status != GLP_OPT) return std::nullopt;
    return glp_get_obj_val(lp) + constant;
  }

  // Whether the target (objective + constant, true value n) is protected; nullopt on failure.
  std::optional<bool> Protected(const std::vector<std::pair<int, double>>& objective,
                                double constant, int64_t n, bool sensitive) {
    const double k = plan_.threshold_;
    const double tolerance = 1e-6 * std::max(1.0, std::fabs(static_cast<double>(n)));
    std::optional<double> lo = Solve(objective, constant, GLP_MIN);
    if (!lo) return std::nullopt;
    if (sensitive && *lo > tolerance) return false;
    std::optional<double> hi = Solve(objective, constant, GLP_MAX);
    if (!hi) return std::nullopt;
    if (sensitive) return *hi >= static_cast<double>(n) + k - tolerance;
    return *hi - *lo >= k - tolerance;
  }

  // The published atom to suppress next for a target (an atom, or a relation's residual):
  // a member of a relation the target is in, else of any relation of the component. Preferred:
  // a value in this view of at least k (it can absorb a shift of k), then a smaller non-zero one,
  // then a zero; within that the finest level (margins and totals last), then the smallest
  // (the largest below k).
  Outcome PickFor(size_t atom, const Relation* relation, int32_t view, size_t& pick) {
    std::vector<size_t> candidates;
    auto add_members = [&](const Relation& r) {
      for (auto [m, coefficient] : Members(r)) {
        if (!plan_.atoms_[m].suppressed) candidates.push_back(m);
      }
    };
    if (relation != nullptr) {
      add_members(*relation);
    } else {
      for (const Relation* r : relations_) {
        if (r->parent == atom ||
            std::find(r->children.begin(), r->children.end(), atom) != r->children.end()) {
          add_members(*r);
        }
      }
    }
    if (candidates.empty()) {
      for (const Relation* r : relations_) add_members(*r);
    }
    if (candidates.empty()) return Outcome::kFailed;
    const int64_t k = plan_.threshold_;
    auto rank = [&](size_t m) {
      const Atom& a = plan_.atoms_[m];
      const int64_t v = a.count - PartOf(a, view);
      const int tier = v >= k ? 0 : v > 0 ? 1 : 2;
      // Totals and margins are what users read first: among equals, withhold the finest cell.
      return std::make_tuple(tier, -__builtin_popcount(static_cast<unsigned>(a.key.level)),
                             tier == 0 ? v : -v, m);
    };
    pick = *std::min_element(candidates.begin(), candidates.end(),
                             [&](size_t a, size_t b) { return rank(a) < rank(b); });
    return Outcome::kSuppressMore;
  }

  DisclosurePlan& plan_;
  const std::vector<size_t> unknowns_;
  const std::vector<const Relation*> relations_;
  absl::flat_hash_map<size_t, int> column_;
  std::unique_ptr<glp_prob, LpDeleter> lp_;
};

// The by-value parameters below are consumed (moved from, sorted) through structured bindings,
// which clang-tidy 14's performance-unnecessary-value-param does not see.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
absl::StatusOr<DisclosurePlan> DisclosurePlan::Build(std::vector<std::pair<CellKey, int64_t>> atoms,
                                                     int32_t threshold) {
  std::vector<Contribution> contributions;
  contributions.reserve(atoms.size());
  for (auto& [key, count] : atoms) contributions.push_back({std::move(key), kNoContributor, count});
  return Build(std::move(contributions), threshold);
}

absl::StatusOr<DisclosurePlan> DisclosurePlan::Build(std::vector<Contribution> contributions,
                                                     int32_t threshold,
                                                     const absl::flat_hash_set<CellKey>& withheld) {
  PartsByKey parts;
  for (Contribution& c : contributions) parts[std::move(c.key)].push_back({c.contributor, c.count});
  return Build(std::move(parts), threshold, withheld);
}

// NOLINTNEXTLINE(performance-unnecessary-value-param)
absl::StatusOr<DisclosurePlan> DisclosurePlan::Build(PartsByKey parts, int32_t threshold,
                                                     const absl::flat_hash_set<CellKey>& withheld) {
  DisclosurePlan plan;
  plan.threshold_ = std::max(threshold, 1);
  plan.atoms_.reserve(parts.size());
  for (auto& [key, list] : parts) {
    Atom& a = plan.atoms_.emplace_back();
    a.key = key;
    std::sort(list.begin(), list.end(),
              [](const Part& x, const Part& y) { return x.contributor < y.contributor; });
    for (const Part& p : list) {
      if (p.count < 0) return absl::InvalidArgumentError("a stored count is negative");
      if (!AddCounts(a.count, p.count, a.count)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "the counts of one cell add up beyond the 64-bit limit (", kMaxRowCount, " per row)"));
      }
      if (p.contributor == kNoContributor) continue;
      if (!a.parts.empty() && a.parts.back().contributor == p.contributor) {
        a.parts.back().count += p.count;  // bounded by a.count
      } else {
        a.parts.push_back(p);
      }
    }
  }
  // A fixed order makes the plan a function of the data alone: the same data always gives the
  // same suppressions (two different patterns, e.g. before and after a restart, could be
  // combined to recover a value).
  std::sort(plan.atoms_.begin(), plan.atoms_.end(),
            [](const Atom& a, const Atom& b) { return KeyTie(a.key) < KeyTie(b.key); });
  const int64_t k = plan.threshold_;
  auto small = [k](int64_t n) { return n > 0 && n < k; };
  for (size_t i = 0; i < plan.atoms_.size(); ++i) {
    Atom& a = plan.atoms_[i];
    plan.index_.emplace(a.key, i);
    a.sensitive = small(a.count);
    for (const Part& p : a.parts)
      a.sensitive = a.sensitive || (p.count > 0 && small(a.count - p.count));
    a.suppressed = a.sensitive || withheld.contains(a.key);
    plan.primary_ += a.sensitive ? 1 : 0;
    plan.secondary_ += a.suppressed && !a.sensitive ? 1 : 0;
  }
  // Tables: the atoms of one indicator and year (sorted first by them), which no relation crosses.
  for (size_t start = 0; start < plan.atoms_.size();) {
    size_t end = start;
    std::vector<size_t> table;
    while (end < plan.atoms_.size() &&
           plan.atoms_[end].key.indicator == plan.atoms_[start].key.indicator &&
           plan.atoms_[end].key.year == plan.atoms_[start].key.year) {
      table.push_back(end++);
    }
    plan.ProtectTable(table);
    start = end;
  }
  return plan;
}

std::vector<DisclosurePlan::Relation> DisclosurePlan::RelationsOf(
    const std::vector<size_t>& table) const {
  absl::flat_hash_set<int32_t> levels;
  for (size_t i : table) levels.insert(atoms_[i].key.level);
  std::vector<Relation> relations;
  absl::flat_hash_map<std::pair<size_t, int32_t>, size_t> relation_of;  // (parent, child level)
  for (size_t i : table) {
    const CellKey& key = atoms_[i].key;
    if (key.level == 0) continue;
    // Every coarser level present, adjacent or not: the proper subsets of the atom's level.
    for (int32_t level = (key.level - 1) & key.level;; level = (level - 1) & key.level) {
      if (levels.contains(level)) {
        auto parent = index_.find(ProjectToLevel(key, level));
        if (parent != index_.end()) {
          auto [it, fresh] = relation_of.try_emplace({parent->second, key.level}, relations.size());
          if (fresh) relations.push_back({parent->second, {}, 0});
          relations[it->second].children.push_back(i);
        }
      }
      if (level == 0) break;
    }
  }
  for (Relation& r : relations) {
    __int128 residual = atoms_[r.parent].count;
    for (size_t c : r.children) residual -= atoms_[c].count;
    r.residual = Clamp(residual);
  }
  return relations;
}

void DisclosurePlan::WithholdTable(const std::vector<size_t>& table) {
  for (size_t i : table) {
    if (atoms_[i].suppressed) continue;
    atoms_[i].suppressed = true;
    ++secondary_;
  }
  ++tables_withheld_whole_;
}

void DisclosurePlan::ProtectTable(const std::vector<size_t>& table) {
  const std::vector<Relation> relations = RelationsOf(table);
  // Without relations every suppressed atom is free in [0, infinity) in every view.
  if (relations.empty()) return;
  const int64_t k = threshold_;
  auto small = [k](int64_t n) { return n > 0 && n < k; };
  // Residuals sensitive in some view (the public's, or one contributor's removed).
  std::vector<bool> sensitive_residual(relations.size());
  for (size_t r = 0; r < relations.size(); ++r) {
    const Relation& rel = relations[r];
    bool sensitive = small(rel.residual);
    absl::flat_hash_map<int32_t, __int128> own;
    for (const Part& p : atoms_[rel.parent].parts) own[p.contributor] += p.count;
    for (size_t c : rel.children) {
      for (const Part& p : atoms_[c].parts) own[p.contributor] -= p.count;
    }
    for (const auto& [contributor, part] : own) {
      sensitive = sensitive || (part != 0 && small(Clamp(rel.residual - part)));
    }
    sensitive_residual[r] = sensitive;
  }
  const int64_t solves_before = lp_solves_;
  auto suppress = [&](size_t i) {
    atoms_[i].suppressed = true;
    ++secondary_;
  };
  for (;;) {
    if (lp_solves_ - solves_before > kMaxLpSolves) return WithholdTable(table);
    // Linked components of suppressed atoms: union-find over the relations' suppressed members.
    absl::flat_hash_map<size_t, size_t> parent;
    std::function<size_t(size_t)> root = [&](size_t i) -> size_t {
      auto it = parent.find(i);
      if (it == parent.end() || it->second == i) return i;
      return it->second = root(it->second);
    };
    bool changed = false;
    std::vector<size_t> first_unknown(relations.size(), atoms_.size());
    for (size_t r = 0; r < relations.size(); ++r) {
      const Relation& rel = relations[r];
      std::vector<size_t> members = {rel.parent};
      members.insert(members.end(), rel.children.begin(), rel.children.end());
      for (size_t m : members) {
        if (!atoms_[m].suppressed) continue;
        if (first_unknown[r] == atoms_.size()) {
          first_unknown[r] = m;
          parent.try_emplace(m, m);
        } else {
          parent.try_emplace(m, m);
          parent[root(m)] = root(first_unknown[r]);
        }
      }
      // A sensitive residual with every member published is given away by subtraction.
      if (first_unknown[r] == atoms_.size() && sensitive_residual[r]) {
        size_t pick = members[0];
        for (size_t m : members) {
          if (std::make_tuple(atoms_[m].count < k, atoms_[m].count, m) <
              std::make_tuple(atoms_[pick].count < k, atoms_[pick].count, pick)) {
            pick = m;
          }
        }
        suppress(pick);
        changed = true;
      }
    }
    if (changed) continue;
    // Components in order of first appearance, so the plan does not depend on hashing.
    std::vector<size_t> order;
    absl::flat_hash_map<size_t, std::pair<std::vector<size_t>, std::vector<const Relation*>>>
        components;
    for (size_t r = 0; r < relations.size(); ++r) {
      if (first_unknown[r] == atoms_.size()) continue;
      const size_t c = root(first_unknown[r]);
      auto [it, fresh] = components.try_emplace(c);
      if (fresh) order.push_back(c);
      it->second.second.push_back(&relations[r]);
    }
    for (size_t i : table) {
      if (!atoms_[i].suppressed || !parent.contains(i)) continue;
      components[root(i)].first.push_back(i);
    }
    // Suppressions picked this round apply after every component was audited with the same
    // pattern (a component's LP must not see an atom suppressed behind its back).
    std::vector<size_t> picks;
    for (size_t c : order) {
      auto& [unknowns, rels] = components[c];
      if (unknowns.size() > kMaxAuditedUnknowns) return WithholdTable(table);
      glp_term_out(GLP_OFF);
      Audit audit(*this, unknowns, rels);
      size_t pick = 0;
      switch (audit.Run(pick)) {
        case Audit::Outcome::kProtected:
          break;
        case Audit::Outcome::kFailed:
          return WithholdTable(table);
        case Audit::Outcome::kSuppressMore:
          picks.push_back(pick);
          break;
      }
      if (lp_solves_ - solves_before > kMaxLpSolves) return WithholdTable(table);
    }
    for (size_t pick : picks) {
      if (atoms_[pick].suppressed) continue;
      suppress(pick);
      changed = true;
    }
    if (!changed) return;
  }
}

const DisclosurePlan::Atom* DisclosurePlan::Find(const CellKey& key) const {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &atoms_[it->second];
}

}  // namespace thb::rapporteur
