#pragma once
/// The attacker's view of a protected table, for the tests of disclosure protection: the figures
/// not published are non-negative unknowns, the table's equations (inner figures add up to their
/// margins) with the published figures moved to the right-hand side are the constraints, and for
/// every unknown linear programming (GLPK) finds the smallest and largest value consistent with
/// them.

#include <utility>
#include <vector>

namespace fairdesk::lp {

/// sum(coefficient * unknown) = rhs; unknowns are numbered from 0.
struct Equation {
  std::vector<std::pair<int, double>> terms;
  double rhs = 0;
};

struct Interval {
  double lo = 0, hi = 0;  // hi is 1e18 where nothing bounds the unknown from above
};

/// For each of `unknowns` non-negative unknowns, the range the equations leave it. Every linear
/// program must solve (checked with EXPECT).
std::vector<Interval> FeasibleRanges(int unknowns, const std::vector<Equation>& equations);

}  // namespace fairdesk::lp
