// Test-only: the attacker of the disclosure tests. It collects what it knows as linear equations
// and inequalities over unknown counts (each bounded below, by 0 or by what an insider knows it
// contributed) and bounds any linear expression by linear programming (GLPK). Deliberately
// separate from disclosure.cc: the tests build the attacker's system from what the API
// published, not from the plan's internals.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace thb::rapporteur::disclosure_testing {

class LinearAttacker {
 public:
  using Terms = std::vector<std::pair<int, double>>;  // (unknown, coefficient)
  enum class Sense { kEqual, kAtLeast, kAtMost };
  struct Interval {
    double lo = 0;
    double hi = std::numeric_limits<double>::infinity();
    bool feasible = true;  // false: what the attacker assumed contradicts what it saw
    bool exact() const { return hi - lo < 0.5; }
  };

  // A new unknown, at least `lower`; its index.
  int AddUnknown(double lower = 0);
  void Add(Terms terms, Sense sense, double rhs);
  // The smallest and largest value of `terms` over everything known.
  Interval Bound(const Terms& terms) const;
  int unknowns() const { return static_cast<int>(lower_.size()); }

 private:
  std::vector<double> lower_;
  struct Row {
    Terms terms;
    Sense sense;
    double rhs;
  };
  std::vector<Row> rows_;
};

}  // namespace thb::rapporteur::disclosure_testing
