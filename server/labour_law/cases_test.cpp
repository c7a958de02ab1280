// Runs every worked case of testdata/cases.json as its own test. Each case names its source; the
// expected values were computed by hand from the statutes, LABOUR_LAW.md and published examples.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "labour_law/calculators.hpp"

namespace fairdesk::labour_law {
namespace {
namespace json = boost::json;

struct Case {
  std::string name;
  json::object data;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::vector<Case> LoadCases() {
  std::ifstream file(std::string(FAIRDESK_SOURCE_DIR) + "/server/labour_law/testdata/cases.json");
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::vector<Case> cases;
  boost::system::error_code ec;
  const json::value all = json::parse(buffer.str(), ec);
  if (ec || !all.is_array()) {
    cases.push_back({"cases_json_unreadable", json::object{}});
    return cases;
  }
  for (const auto& c : all.get_array()) {
    cases.push_back({std::string(c.at("name").as_string()), c.as_object()});
  }
  return cases;
}

bool SameNumber(const json::value& a, const json::value& b) {
  return std::fabs(json::value_to<double>(a) - json::value_to<double>(b)) < 1e-9;
}

// Every field of `expected` must be present in `actual` with a matching value; arrays must have
// the same length and match element by element.
void ExpectSubset(const json::value& expected, const json::value& actual, const std::string& path) {
  if (expected.is_object()) {
    ASSERT_TRUE(actual.is_object()) << path << ": expected an object, got " << actual;
    for (const auto& kv : expected.get_object()) {
      const json::value* got = actual.get_object().if_contains(kv.key());
      ASSERT_NE(got, nullptr) << path << "." << kv.key() << " missing in " << actual;
      ExpectSubset(kv.value(), *got, path + "." + std::string(kv.key()));
    }
  } else if (expected.is_array()) {
    ASSERT_TRUE(actual.is_array()) << path << ": expected an array, got " << actual;
    ASSERT_EQ(expected.get_array().size(), actual.get_array().size()) << path << ": " << actual;
    for (size_t i = 0; i < expected.get_array().size(); ++i) {
      ExpectSubset(expected.get_array()[i], actual.get_array()[i], path + "[" + std::to_string(i) + "]");
    }
  } else if (expected.is_number()) {
    ASSERT_TRUE(actual.is_number()) << path << ": expected " << expected << ", got " << actual;
    EXPECT_TRUE(SameNumber(expected, actual)) << path << ": expected " << expected << ", got " << actual;
  } else {
    EXPECT_EQ(expected, actual) << path;
  }
}

class WorkedCase : public testing::TestWithParam<Case> {};

TEST_P(WorkedCase, MatchesHandComputedResult) {
  const json::object& c = GetParam().data;
  ASSERT_TRUE(c.contains("calculator")) << "cases.json could not be read";
  ASSERT_TRUE(c.contains("source")) << "every case must name its source";
  const std::string calculator(c.at("calculator").as_string());
  const CalcOutcome outcome = RunCalculator(calculator, c.at("input"));

  if (const auto* field = c.if_contains("expected_error")) {
    ASSERT_EQ(outcome.kind, CalcOutcome::Kind::kInvalid) << json::serialize(outcome.result);
    bool found = false;
    for (const auto& e : outcome.errors) {
      found = found || e.field == std::string_view(field->as_string());
    }
    std::string fields;
    for (const auto& e : outcome.errors) {
      fields += e.field + " (" + e.message + ") ";
    }
    EXPECT_TRUE(found) << "expected an error on " << *field << ", got " << fields;
    return;
  }
  ASSERT_EQ(outcome.kind, CalcOutcome::Kind::kOk)
      << (outcome.errors.empty() ? std::string() : outcome.errors[0].field + ": " + outcome.errors[0].message);
  const json::value result(outcome.result);
  ASSERT_TRUE(outcome.result.contains("legal_basis"));
  ASSERT_TRUE(outcome.result.contains("warnings"));
  EXPECT_FALSE(outcome.result.at("legal_basis").as_array().empty());

  if (const auto* expected = c.if_contains("expected")) {
    ExpectSubset(*expected, result, "result");
  }
  if (const auto* holidays = c.if_contains("expected_holidays")) {
    const auto& got = outcome.result.at("holidays").as_array();
    std::vector<std::string> actual;
    for (const auto& h : got) {
      actual.push_back(std::string(h.at("date").as_string()) + (h.at("scope").as_string() == "partial" ? "p" : ""));
    }
    std::vector<std::string> want;
    for (const auto& h : holidays->as_array()) {
      want.emplace_back(h.as_string());
    }
    EXPECT_EQ(want, actual);
  }
  for (const char* key : {"warnings", "legal_basis"}) {
    const auto* wanted = c.if_contains(key);
    if (!wanted) {
      continue;
    }
    for (const auto& w : wanted->as_array()) {
      bool found = false;
      for (const auto& item : outcome.result.at(key).as_array()) {
        const json::value& text = std::string_view(key) == "warnings" ? item.at("code") : item;
        found = found || text == w;
      }
      EXPECT_TRUE(found) << key << " lacks " << w << ": " << outcome.result.at(key);
    }
  }
  // "absent_warnings": codes that must not be warned (the other side of a boundary).
  if (const auto* absent = c.if_contains("absent_warnings")) {
    for (const auto& w : absent->as_array()) {
      for (const auto& item : outcome.result.at("warnings").as_array()) {
        EXPECT_NE(item.at("code"), w) << "unexpected warning " << w << ": " << outcome.result.at("warnings");
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(CasesJson, WorkedCase, testing::ValuesIn(LoadCases()),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace fairdesk::labour_law
