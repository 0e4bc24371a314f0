#include "services/rapporteur/testing/linear_attacker.h"

#include <glpk.h>

#include <memory>

namespace thb::rapporteur::disclosure_testing {

int LinearAttacker::AddUnknown(double lower) {
  lower_.push_back(lower);
  return static_cast<int>(lower_.size() - 1);
}

void LinearAttacker::Add(Terms terms, Sense sense, double rhs) {
  rows_.push_back({std::move(terms), sense, rhs});
}

LinearAttacker::Interval LinearAttacker::Bound(const Terms& terms) const {
  glp_term_out(GLP_OFF);
  std::unique_ptr<glp_prob, void (*)(glp_prob*)> lp(glp_create_prob(), glp_delete_prob);
  const int n = unknowns();
  glp_add_cols(lp.get(), n);
  for (int j = 0; j < n; ++j) glp_set_col_bnds(lp.get(), j + 1, GLP_LO, lower_[j], 0);
  if (!rows_.empty()) glp_add_rows(lp.get(), static_cast<int>(rows_.size()));
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  for (size_t r = 0; r < rows_.size(); ++r) {
    const Row& row = rows_[r];
    const int type = row.sense == Sense::kEqual     ? GLP_FX
                     : row.sense == Sense::kAtLeast ? GLP_LO
                                                    : GLP_UP;
    glp_set_row_bnds(lp.get(), static_cast<int>(r + 1), type, row.rhs, row.rhs);
    for (auto [j, c] : row.terms) {
      ia.push_back(static_cast<int>(r + 1));
      ja.push_back(j + 1);
      ar.push_back(c);
    }
  }
  glp_load_matrix(lp.get(), static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
  for (auto [j, c] : terms)
    glp_set_obj_coef(lp.get(), j + 1, glp_get_obj_coef(lp.get(), j + 1) + c);
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_OFF;
  Interval out;
  for (int direction : {GLP_MIN, GLP_MAX}) {
    glp_set_obj_dir(lp.get(), direction);
    glp_std_basis(lp.get());
    if (glp_simplex(lp.get(), &parm) != 0) {
      out.feasible = false;
      return out;
    }
    const int status = glp_get_status(lp.get());
    double v = 0;
    if (status == GLP_UNBND) {
      v = direction == GLP_MIN ? -std::numeric_limits<double>::infinity()
                               : std::numeric_limits<double>::infinity();
    } else if (status == GLP_OPT) {
      v = glp_get_obj_val(lp.get());
    } else {
      out.feasible = false;
      return out;
    }
    (direction == GLP_MIN ? out.lo : out.hi) = v;
  }
  return out;
}

}  // namespace thb::rapporteur::disclosure_testing
