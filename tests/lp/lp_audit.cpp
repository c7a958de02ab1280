#include "lp/lp_audit.hpp"

#include <glpk.h>
#include <gtest/gtest.h>

namespace fairdesk::lp {

std::vector<Interval> FeasibleRanges(int unknowns, const std::vector<Equation>& equations) {
  std::vector<Interval> out(static_cast<std::size_t>(unknowns));
  if (unknowns == 0) return out;
  glp_term_out(GLP_OFF);
  glp_prob* lp = glp_create_prob();
  glp_add_cols(lp, unknowns);
  for (int k = 1; k <= unknowns; ++k) glp_set_col_bnds(lp, k, GLP_LO, 0.0, 0.0);
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  for (const auto& eq : equations) {
    if (eq.terms.empty()) continue;
    const int row = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, row, GLP_FX, eq.rhs, eq.rhs);
    for (auto [unknown, coefficient] : eq.terms) {
      ia.push_back(row);
      ja.push_back(unknown + 1);
      ar.push_back(coefficient);
    }
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  for (int k = 1; k <= unknowns; ++k) {
    for (int dir : {GLP_MIN, GLP_MAX}) {
      for (int c = 1; c <= unknowns; ++c) glp_set_obj_coef(lp, c, c == k ? 1.0 : 0.0);
      glp_set_obj_dir(lp, dir);
      glp_std_basis(lp);
      EXPECT_EQ(glp_simplex(lp, &parm), 0);
      const int status = glp_get_status(lp);
      EXPECT_TRUE(status == GLP_OPT || status == GLP_UNBND);
      (dir == GLP_MIN ? out[k - 1].lo : out[k - 1].hi) = status == GLP_UNBND ? 1e18 : glp_get_obj_val(lp);
    }
  }
  glp_delete_prob(lp);
  return out;
}

}  // namespace fairdesk::lp
