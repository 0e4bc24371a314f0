#include "services/rapporteur/disclosure.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace thb::rapporteur {

DisclosurePlan DisclosurePlan::Build(std::vector<std::pair<CellKey, int64_t>> atoms,
                                     int32_t threshold) {
  // A fixed order makes the plan a function of the data alone: the same data always gives the
  // same suppressions (two different patterns, e.g. before and after a restart, could be
  // combined to recover a value).
  std::sort(atoms.begin(), atoms.end(), [](const auto& a, const auto& b) {
    const CellKey& x = a.first;
    const CellKey& y = b.first;
    return std::tie(x.level, x.indicator, x.year, x.form, x.sex, x.age, x.citizenship, x.country, x.region) <
           std::tie(y.level, y.indicator, y.year, y.form, y.sex, y.age, y.citizenship, y.country, y.region);
  });
  DisclosurePlan plan;
  plan.threshold_ = threshold;
  plan.atoms_.reserve(atoms.size());
  for (auto& [key, count] : atoms) {
    const bool primary = count > 0 && count < threshold;
    plan.primary_ += primary ? 1 : 0;
    plan.index_.emplace(key, plan.atoms_.size());
    plan.atoms_.push_back({std::move(key), count, primary});
  }

  // Equations: a parent atom and its breakdown along one dimension.
  std::vector<std::vector<size_t>> equations;
  absl::flat_hash_map<std::pair<size_t, int32_t>, size_t> equation_of;
  for (size_t i = 0; i < plan.atoms_.size(); ++i) {
    const CellKey& key = plan.atoms_[i].key;
    for (int32_t bit : kCategoryBits) {
      if ((key.level & bit) == 0) continue;
      auto parent = plan.index_.find(WithoutDimension(key, bit));
      if (parent == plan.index_.end()) continue;
      auto [it, fresh] = equation_of.try_emplace({parent->second, bit}, equations.size());
      if (fresh) equations.push_back({parent->second});
      equations[it->second].push_back(i);
    }
  }

  for (;;) {
    plan.SuppressComplements(equations);
    std::vector<size_t> exposed = plan.Exposed(equations);
    if (exposed.empty()) break;
    // Each exposed atom takes the smallest non-zero published member of one of its equations
    // with it, then everything is checked again.
    for (size_t x : exposed) {
      size_t pick = plan.atoms_.size();
      for (const std::vector<size_t>& eq : equations) {
        if (std::find(eq.begin(), eq.end(), x) == eq.end()) continue;
        for (size_t m : eq) {
          const Atom& a = plan.atoms_[m];
          if (a.suppressed) continue;
          if (pick == plan.atoms_.size() || plan.Prefer(a, plan.atoms_[pick])) pick = m;
        }
      }
      if (pick == plan.atoms_.size() || plan.atoms_[pick].suppressed) continue;
      plan.atoms_[pick].suppressed = true;
      ++plan.secondary_;
    }
  }
  return plan;
}

bool DisclosurePlan::Prefer(const Atom& a, const Atom& b) {
  // A non-zero partner over a zero one (a zero partner still leaves the suppressed value within
  // [0, total]), then the smaller.
  if ((a.count == 0) != (b.count == 0)) return a.count != 0;
  return a.count < b.count;
}

void DisclosurePlan::SuppressComplements(const std::vector<std::vector<size_t>>& equations) {
  // Until no equation has exactly one suppressed member; each pass only adds suppressions.
  for (bool changed = true; changed;) {
    changed = false;
    for (const std::vector<size_t>& eq : equations) {
      size_t suppressed = 0;
      for (size_t m : eq) suppressed += atoms_[m].suppressed ? 1 : 0;
      if (suppressed != 1) continue;
      size_t pick = atoms_.size();
      for (size_t m : eq) {
        if (atoms_[m].suppressed) continue;
        if (pick == atoms_.size() || Prefer(atoms_[m], atoms_[pick])) pick = m;
      }
      if (pick == atoms_.size()) continue;
      atoms_[pick].suppressed = true;
      ++secondary_;
      changed = true;
    }
  }
}

std::vector<size_t> DisclosurePlan::Exposed(const std::vector<std::vector<size_t>>& equations) {
  // Unknowns are the suppressed atoms; each equation restricted to them is a row (parent -1,
  // children +1; the published members only move the right-hand side). An unknown is pinned
  // exactly when its unit vector lies in the row space, i.e. when the reduced row echelon form
  // has a row with that single non-zero entry. Solved per connected group of unknowns.
  unaudited_components_ = 0;
  std::vector<size_t> parent(atoms_.size());
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto root = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (const std::vector<size_t>& eq : equations) {
    size_t first = atoms_.size();
    for (size_t m : eq) {
      if (!atoms_[m].suppressed) continue;
      if (first == atoms_.size()) first = m;
      else parent[root(m)] = root(first);
    }
  }
  absl::flat_hash_map<size_t, std::vector<size_t>> unknowns;  // component -> atoms
  for (size_t i = 0; i < atoms_.size(); ++i) {
    if (atoms_[i].suppressed) unknowns[root(i)].push_back(i);
  }
  absl::flat_hash_map<size_t, std::vector<const std::vector<size_t>*>> rows_of;
  for (const std::vector<size_t>& eq : equations) {
    for (size_t m : eq) {
      if (atoms_[m].suppressed) {
        rows_of[root(m)].push_back(&eq);
        break;
      }
    }
  }
  std::vector<size_t> exposed;
  for (auto& [component, members] : unknowns) {
    if (members.size() > kMaxAuditedUnknowns) {
      ++unaudited_components_;
      continue;
    }
    absl::flat_hash_map<size_t, size_t> column;
    for (size_t j = 0; j < members.size(); ++j) column[members[j]] = j;
    std::vector<std::vector<double>> rows;
    for (const std::vector<size_t>* eq : rows_of[component]) {
      std::vector<double>& row = rows.emplace_back(members.size(), 0.0);
      for (size_t k = 0; k < eq->size(); ++k) {
        auto c = column.find((*eq)[k]);
        if (c != column.end()) row[c->second] = k == 0 ? -1.0 : 1.0;
      }
    }
    constexpr double kEps = 1e-9;
    size_t r = 0;
    for (size_t c = 0; c < members.size() && r < rows.size(); ++c) {
      size_t pivot = r;
      while (pivot < rows.size() && std::fabs(rows[pivot][c]) < kEps) ++pivot;
      if (pivot == rows.size()) continue;
      std::swap(rows[r], rows[pivot]);
      const double p = rows[r][c];
      for (double& x : rows[r]) x /= p;
      for (size_t i = 0; i < rows.size(); ++i) {
        if (i == r || std::fabs(rows[i][c]) < kEps) continue;
        const double f = rows[i][c];
        for (size_t j = c; j < members.size(); ++j) rows[i][j] -= f * rows[r][j];
      }
      ++r;
    }
    for (size_t i = 0; i < r; ++i) {
      size_t nonzero = 0, at = 0;
      for (size_t j = 0; j < members.size() && nonzero < 2; ++j) {
        if (std::fabs(rows[i][j]) > kEps) {
          ++nonzero;
          at = j;
        }
      }
      if (nonzero == 1) exposed.push_back(members[at]);
    }
  }
  std::sort(exposed.begin(), exposed.end());
  return exposed;
}

const DisclosurePlan::Atom* DisclosurePlan::Find(const CellKey& key) const {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &atoms_[it->second];
}

}  // namespace thb::rapporteur
