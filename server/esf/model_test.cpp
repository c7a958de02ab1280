// The protection of the ESF Plus indicator table, audited by linear programming (GLPK) over all
// of its equations at once: every indicator's genders add up to its total, and every block's rows
// add up to its margin row, column by column. For every figure that is not published (suppressed
// or a helper row) the smallest and largest value consistent with everything published are
// computed, as an attacker would.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "esf/model.hpp"
#include "lp/lp_audit.hpp"

namespace fairdesk::esf {
namespace {

constexpr int G = static_cast<int>(std::size(kGenders));

std::size_t Index(std::string_view code) {
  for (std::size_t i = 0; i < kIndicators.size(); ++i) {
    if (kIndicators[i].code == code) return i;
  }
  ADD_FAILURE() << "unknown indicator " << code;
  return 0;
}

// One linear equation over the table's figures: sum of coef * figure = 0.
using Equation = std::vector<std::pair<std::pair<std::size_t, int>, double>>;

std::vector<Equation> Equations() {
  std::vector<Equation> out;
  for (std::size_t i = 0; i < kIndicators.size(); ++i) {
    Equation e;
    for (int j = 0; j < G; ++j) e.push_back({{i, j}, 1.0});
    e.push_back({{i, G}, -1.0});
    out.push_back(std::move(e));
  }
  for (const auto& b : kBlocks) {
    for (int j = 0; j <= G; ++j) {
      Equation e;
      for (auto code : b.rows) e.push_back({{Index(code), j}, 1.0});
      e.push_back({{Index(b.margin), j}, -1.0});
      out.push_back(std::move(e));
    }
  }
  return out;
}

std::map<std::pair<std::size_t, int>, lp::Interval> Attack(const Counts& c, const std::vector<std::vector<bool>>& hidden) {
  std::map<std::pair<std::size_t, int>, int> var;
  for (std::size_t i = 0; i < hidden.size(); ++i) {
    for (int j = 0; j <= G; ++j) {
      if (hidden[i][j]) var[{i, j}] = static_cast<int>(var.size());
    }
  }
  std::vector<lp::Equation> equations;
  for (const auto& eq : Equations()) {
    lp::Equation known;
    for (auto [cell, k] : eq) {
      if (auto it = var.find(cell); it != var.end()) known.terms.push_back({it->second, k});
      else known.rhs -= k * static_cast<double>(c.value[cell.first][static_cast<std::size_t>(cell.second)]);
    }
    if (known.terms.empty()) EXPECT_EQ(known.rhs, 0.0) << "an equation does not hold for the counts";
    equations.push_back(std::move(known));
  }
  const auto ranges = lp::FeasibleRanges(static_cast<int>(var.size()), equations);
  std::map<std::pair<std::size_t, int>, lp::Interval> out;
  for (auto [cell, k] : var) out[cell] = ranges[static_cast<std::size_t>(k)];
  return out;
}

std::string Dump(const Counts& c, const std::vector<std::vector<bool>>& hidden) {
  std::string out;
  for (std::size_t i = 0; i < kIndicators.size(); ++i) {
    out += std::string(kIndicators[i].code);
    for (int j = 0; j <= G; ++j) out += "\t" + std::to_string(c.value[i][j]) + (hidden[i][j] ? "*" : "");
    out += "\n";
  }
  return out;
}

// The promise: a count of 1 to 4 (published row or helper row) can be anything from 0 to 5 for
// the attacker. (A larger figure may be hidden and still follow from the rest, e.g. when a block
// of tiny figures is withheld whole; that reveals no small count.)
void ExpectSafe(const Counts& c, const std::string& what) {
  const auto hidden = Protect(c);
  SCOPED_TRACE(what + "\n" + Dump(c, hidden));
  for (std::size_t i = 0; i < kIndicators.size(); ++i) {
    for (int j = 0; j <= G; ++j) {
      const std::int64_t v = c.value[i][j];
      if (v >= 1 && v < 5) {
        EXPECT_TRUE(hidden[i][j]) << kIndicators[i].code << " column " << j;
      }
    }
  }
  for (auto [cell, iv] : Attack(c, hidden)) {
    const auto& ind = kIndicators[cell.first];
    const auto v = static_cast<double>(c.value[cell.first][static_cast<std::size_t>(cell.second)]);
    SCOPED_TRACE(std::string(ind.code) + " column " + std::to_string(cell.second) + " value " + std::to_string(v) +
                 " interval [" + std::to_string(iv.lo) + ", " + std::to_string(iv.hi) + "]");
    EXPECT_LE(iv.lo, v + 1e-6);
    EXPECT_GE(iv.hi, v - 1e-6);
    if (v >= 1 && v < 5) {
      EXPECT_LE(iv.lo, 1e-6);
      EXPECT_GE(iv.hi, 5.0 - 1e-6);
    }
  }
}

template <std::size_t N>
std::string Pick(std::mt19937& rng, const std::string_view (&list)[N], double skew) {
  // Skewed: the first value most often, so that some cells are small and others large.
  std::geometric_distribution<std::size_t> d(skew);
  return std::string(list[std::min(d(rng), N - 1)]);
}

Facts RandomFacts(std::mt19937& rng) {
  Facts f;
  f.entry_month = "2024-03";
  f.gender = Pick(rng, kGenders, 0.5);
  f.age_band = std::string(kAgeBands[std::uniform_int_distribution<std::size_t>(0, 3)(rng)]);
  f.employment_status = Pick(rng, kEmployment, 0.4);
  f.education = Pick(rng, kEducation, 0.5);
  f.third_country_national = Pick(rng, kYesNo, 0.8);
  f.foreign_background = Pick(rng, kYesNo, 0.7);
  f.homeless = Pick(rng, kYesNo, 0.3);
  f.rural = Pick(rng, kYesNo, 0.5);
  f.disability = Pick(rng, kSpecialAnswers, 0.2);
  f.minority = Pick(rng, kSpecialAnswers, 0.3);
  if (std::bernoulli_distribution(0.6)(rng)) {
    f.exit_month = "2024-03";
    f.exit_status = Pick(rng, kExitStatus, 0.4);
    f.qualification = Pick(rng, kYesNo, 0.5);
    if (std::bernoulli_distribution(0.5)(rng)) f.long_term_status = Pick(rng, kLongTermStatus, 0.5);
  }
  f.rkey = std::uniform_int_distribution<std::int64_t>(0, 0x7fffffff)(rng);
  return f;
}

TEST(EsfBlocks, NameKnownIndicatorsAndEachRowBelongsToOneBlock) {
  std::set<std::string_view> inner;
  for (const auto& b : kBlocks) {
    Index(b.margin);
    for (auto code : b.rows) {
      Index(code);
      EXPECT_TRUE(inner.insert(code).second) << code << " is an inner row of two blocks";
    }
  }
  for (const auto& ind : kIndicators) {
    if (!ind.published) {
      EXPECT_TRUE(inner.contains(ind.code)) << ind.code << " is a helper row of no block";
    }
  }
}

TEST(EsfProtect, ASmallTotalAndItsRowsCannotBeRecomputed) {
  // Three non-binary participants: the total's column and every block's rows in it are small.
  std::mt19937 rng(7);
  std::vector<Facts> facts;
  for (int i = 0; i < 30; ++i) facts.push_back(RandomFacts(rng));
  for (auto& f : facts) {
    if (f.gender == "non_binary") f.gender = "women";
  }
  for (int i = 0; i < 3; ++i) facts[static_cast<std::size_t>(i)].gender = "non_binary";
  ExpectSafe(Count(facts, "2024-03", "2024-03"), "three non-binary participants");
}

TEST(EsfProtect, AHiddenTotalIsNotPinnedByABlockOfLargeFigures) {
  // 20 women and 20 men, spread over employment, education and age with at least 5 in every
  // row; 2 non-binary participants. The total's small figure needs a partner in the total row,
  // and that partner must not follow from a block whose rows are all published.
  std::vector<Facts> facts;
  auto add = [&](std::string gender, std::string employment, std::string education, std::string age, int n) {
    for (int i = 0; i < n; ++i) {
      Facts f;
      f.entry_month = "2024-03";
      f.gender = gender;
      f.employment_status = employment;
      f.education = education;
      f.age_band = age;
      f.third_country_national = f.foreign_background = "yes";
      f.homeless = f.rural = f.disability = f.minority = "no";
      facts.push_back(f);
    }
  };
  for (const char* g : {"women", "men"}) {
    add(g, "unemployed", "isced_0_2", "18_29", 10);
    add(g, "inactive", "isced_3_4", "30_54", 5);
    add(g, "employed", "isced_5_8", "55_plus", 5);
  }
  add("non_binary", "unemployed", "isced_3_4", "30_54", 2);
  ExpectSafe(Count(facts, "2024-03", "2024-03"), "two non-binary participants among large rows");
}

TEST(EsfProtect, RandomTablesWithstandTheLinearProgrammingAttack) {
  std::mt19937 rng(20261207);
  for (int round = 0; round < 60; ++round) {
    const int n = std::uniform_int_distribution<int>(0, 60)(rng);
    std::vector<Facts> facts;
    for (int i = 0; i < n; ++i) facts.push_back(RandomFacts(rng));
    ExpectSafe(Count(facts, "2024-03", "2024-03"), "round " + std::to_string(round) + ", " + std::to_string(n) +
                                                       " participants");
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace fairdesk::esf
