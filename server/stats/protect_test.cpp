// Small-cell protection: primary and secondary suppression, audited by linear programming (GLPK):
// for every suppressed element, the smallest and largest value consistent with everything
// published (cells, margins, non-negativity) are computed, as an attacker would.

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "lp/lp_audit.hpp"
#include "stats/protect.hpp"

namespace fairdesk::stats {
namespace {

using E = Grid::Element;

Grid FromCells(const std::vector<std::vector<std::int64_t>>& cells) {
  const int R = static_cast<int>(cells.size()), C = static_cast<int>(cells[0].size());
  Grid g(R, C);
  for (int i = 0; i < R; ++i) {
    for (int j = 0; j < C; ++j) {
      g.at(i, j).value = cells[i][j];
      g.at(i, C).value += cells[i][j];
      g.at(R, j).value += cells[i][j];
      g.at(R, C).value += cells[i][j];
    }
  }
  return g;
}

// The attacker's view: unknowns are the suppressed elements, constraints the row and column
// equations (inner cells sum to the margin) with published values as constants, all >= 0.
std::map<std::pair<int, int>, lp::Interval> Attack(const Grid& g) {
  std::map<std::pair<int, int>, int> var;
  for (int i = 0; i <= g.rows; ++i) {
    for (int j = 0; j <= g.cols; ++j) {
      if (g.at(i, j).state != E::kPublished) var[{i, j}] = static_cast<int>(var.size());
    }
  }
  std::vector<lp::Equation> equations;
  auto add_line = [&](std::vector<std::pair<int, int>> inner, std::pair<int, int> margin) {
    // sum(inner) - margin = 0, known values moved to the right-hand side.
    lp::Equation eq;
    for (auto p : inner) {
      if (auto it = var.find(p); it != var.end()) eq.terms.push_back({it->second, 1.0});
      else eq.rhs -= static_cast<double>(g.at(p.first, p.second).value);
    }
    if (auto it = var.find(margin); it != var.end()) eq.terms.push_back({it->second, -1.0});
    else eq.rhs += static_cast<double>(g.at(margin.first, margin.second).value);
    equations.push_back(std::move(eq));
  };
  for (int i = 0; i <= g.rows; ++i) {
    std::vector<std::pair<int, int>> inner;
    for (int j = 0; j < g.cols; ++j) inner.push_back({i, j});
    add_line(inner, {i, g.cols});
  }
  for (int j = 0; j <= g.cols; ++j) {
    std::vector<std::pair<int, int>> inner;
    for (int i = 0; i < g.rows; ++i) inner.push_back({i, j});
    add_line(inner, {g.rows, j});
  }
  const auto ranges = lp::FeasibleRanges(static_cast<int>(var.size()), equations);
  std::map<std::pair<int, int>, lp::Interval> out;
  for (auto [cell, k] : var) out[cell] = ranges[static_cast<std::size_t>(k)];
  return out;
}

// The promise: for a primarily suppressed count the attacker's interval reaches from 0 (it might
// be empty) to at least 5 (it might not be small); no suppressed element is determined exactly.
std::string Dump(const Grid& g) {
  std::string out;
  for (int i = 0; i <= g.rows; ++i) {
    for (int j = 0; j <= g.cols; ++j) {
      const auto& x = g.at(i, j);
      out += std::to_string(x.value) + (x.state == E::kPrimary ? "P" : x.state == E::kSecondary ? "S" : "") + "\t";
    }
    out += "\n";
  }
  return out;
}

void ExpectSafe(const Grid& g, const std::string& what) {
  auto intervals = Attack(g);
  SCOPED_TRACE(Dump(g));
  for (auto [cell, iv] : intervals) {
    const auto& x = g.at(cell.first, cell.second);
    SCOPED_TRACE(what + " element (" + std::to_string(cell.first) + "," + std::to_string(cell.second) +
                 ") value " + std::to_string(x.value) + " interval [" + std::to_string(iv.lo) + ", " +
                 std::to_string(iv.hi) + "]");
    EXPECT_LE(iv.lo, static_cast<double>(x.value) + 1e-6);
    EXPECT_GE(iv.hi, static_cast<double>(x.value) - 1e-6);
    EXPECT_GT(iv.hi - iv.lo, 0.5);
    if (x.state == E::kPrimary) {
      EXPECT_GE(iv.hi, 5.0 - 1e-6);
      EXPECT_LE(iv.lo, 1e-6);
    }
  }
}

TEST(Suppress, CountsOneToFourArePrimaryZeroStaysPublished) {
  Grid g = FromCells({{0, 3, 20}, {7, 12, 9}});
  Suppress(g, Kind::kCount);
  EXPECT_EQ(g.at(0, 0).state, E::kPublished);
  EXPECT_EQ(g.at(0, 1).state, E::kPrimary);
  EXPECT_NE(g.at(0, 2).state, E::kPrimary);
  ExpectSafe(g, "small");
}

TEST(Suppress, TwoSingletonsInOneRowAreNotEnough) {
  // Suppressing only the two 1s would tell that they add up to 2.
  Grid g = FromCells({{1, 1, 30, 40}, {6, 8, 9, 10}, {11, 12, 13, 14}});
  Suppress(g, Kind::kCount);
  int suppressed_in_row = 0;
  for (int j = 0; j < 4; ++j) suppressed_in_row += g.at(0, j).state != E::kPublished;
  EXPECT_GE(suppressed_in_row, 2);
  ExpectSafe(g, "singletons");
}

TEST(Suppress, ALoneSmallCellInARowOfZerosHidesTheMargins) {
  Grid g = FromCells({{0, 2, 0}, {10, 20, 30}, {5, 6, 7}});
  Suppress(g, Kind::kCount);
  EXPECT_NE(g.at(0, 3).state, E::kPublished);  // the row total would be the cell
  ExpectSafe(g, "zeros");
}

TEST(Suppress, RandomSparseTablesWithstandTheLinearProgrammingAttack) {
  std::mt19937 rng(20261206);
  for (int round = 0; round < 300; ++round) {
    const int R = 2 + static_cast<int>(rng() % 8), C = 2 + static_cast<int>(rng() % 6);
    std::vector<std::vector<std::int64_t>> cells(R, std::vector<std::int64_t>(C));
    const int sparsity = static_cast<int>(rng() % 4);
    for (auto& row : cells) {
      for (auto& v : row) {
        const auto u = rng() % 10;
        v = u < static_cast<unsigned>(sparsity) ? 0 : u < 6 ? static_cast<std::int64_t>(rng() % 5) : static_cast<std::int64_t>(rng() % 60);
      }
    }
    Grid g = FromCells(cells);
    Suppress(g, Kind::kCount);
    ExpectSafe(g, "round " + std::to_string(round));
    if (HasFailure()) return;
  }
}

TEST(Perturb, SameCellKeySameValueBoundedAndZeroStaysZero) {
  for (std::int64_t key = 0; key < 2000; key += 7) {
    const auto a = Perturb(37, key, Kind::kCount, "secret", "consultations");
    EXPECT_EQ(a, Perturb(37, key, Kind::kCount, "secret", "consultations"));
    EXPECT_GE(a, 35);
    EXPECT_LE(a, 39);
    EXPECT_GE(Perturb(5, key, Kind::kCount, "secret", "persons"), 5);
    EXPECT_EQ(Perturb(0, key, Kind::kCount, "secret", "persons"), 0);
    const auto sum = Perturb(1'000'000, key, Kind::kSum, "secret", "wages_recovered_cents");
    EXPECT_GE(sum, 950'000);
    EXPECT_LE(sum, 1'050'000);
    EXPECT_EQ(sum % 100, 0);
  }
  // Another secret gives other values for the same keys.
  int differ = 0;
  for (std::int64_t key = 0; key < 200; ++key) {
    differ += Perturb(50, key, Kind::kCount, "one", "persons") != Perturb(50, key, Kind::kCount, "two", "persons");
  }
  EXPECT_GT(differ, 50);
}

// A sum dominated by one record (100 000 EUR among four cases of 500 EUR): 5 % of the sum would
// give the large amount to within 5 %, and so would the difference of two sums that differ by it.
// The noise is as large as half that record: over the cell keys the published sums spread over
// most of [sum - 50 000, sum + 50 000] EUR, stay positive and in whole euros; without a large
// record the ±5 % bound of the sum stays as it was.
TEST(Perturb, ASumDominatedByOneRecordIsHiddenInNoiseOfItsSize) {
  const std::int64_t large = 10'000'000, sum = large + 4 * 50'000;
  std::int64_t lo = sum, hi = sum;
  for (std::int64_t key = 0; key < 2000; key += 7) {
    const auto v = Perturb(sum, key, Kind::kSum, "secret", "wages_recovered_cents", large);
    EXPECT_EQ(v, Perturb(sum, key, Kind::kSum, "secret", "wages_recovered_cents", large));
    EXPECT_GE(v, sum - large / 2 - 100);
    EXPECT_LE(v, sum + large / 2 + 100);
    EXPECT_GT(v, 0);
    EXPECT_EQ(v % 100, 0);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    const auto small = Perturb(1'000'000, key, Kind::kSum, "secret", "wages_recovered_cents", 20'000);
    EXPECT_GE(small, 950'000);
    EXPECT_LE(small, 1'050'000);
  }
  EXPECT_LT(lo, sum - large * 4 / 10);
  EXPECT_GT(hi, sum + large * 4 / 10);
}

}  // namespace
}  // namespace fairdesk::stats
