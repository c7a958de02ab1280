// A seeded random-input fuzz test of RunCalculator: random JSON and mutations of the worked cases
// must give either a result or field errors — never a crash, an exception, an empty error list or
// output that is not valid JSON. Runs under the sanitizers in the default build; bounded in time.
// (calc_fuzz.cpp is the same idea as a libFuzzer target for longer runs.)

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "labour_law/calculators.hpp"

namespace fairdesk::labour_law {
namespace {
namespace json = boost::json;

class Fuzzer {
 public:
  explicit Fuzzer(uint64_t seed) : rnd_(seed) {}

  int64_t Between(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rnd_); }

  std::string RandomKey() {
    static const char* kKeys[] = {
        "periods", "month", "hours", "gross_pay_cents", "employment_type", "internship_months", "birth_date",
        "vocational_qualification", "long_term_unemployed_before", "employment_start", "training_start",
        "collective_agreement", "notice_received", "given_by", "probation", "form", "state", "year",
        "workdays_per_week", "employment_end", "claim_due", "sick_from", "sick_until", "sector", "shifts",
        "start", "end", "break_minutes", "contract_date", "standard_form", "first_stage_months",
        "second_stage_months", "exempts_minimum_wage", "form_required", "", "\xc3\xa4", "periods[0]", "$"};
    if (Between(0, 9) == 0) {
      return RandomString();
    }
    return kKeys[Between(0, std::size(kKeys) - 1)];
  }

  std::string RandomString() {
    static const char* kStrings[] = {
        "2026-03-06", "2026-02-30", "2024-02-29", "1990-01-01", "2100-12-31", "0000-01-01", "9999-12-31",
        "2026-03", "2014-12", "2026-13", "2026-03-06T08:00", "2026-03-06T23:59", "2026-03-07T24:00",
        "BY", "BE", "XX", "by", "employer", "employee", "written", "oral", "electronic", "text",
        "employee", "volunteer", "hospitality", "general", "", " ", "null", "NaN", "Infinity", "-1", "1e400",
        "\xf0\x9d\x84\x9e", "\xc3\xbc\xe2\x82\xac", "\xff\xfe", "\x00", "\t\n\r", "9999-99-99", "1583-10-15"};
    if (Between(0, 19) == 0) {
      return std::string(static_cast<size_t>(Between(0, 5000)), static_cast<char>(Between(1, 255)));
    }
    return kStrings[Between(0, std::size(kStrings) - 1)];
  }

  json::value RandomNumber() {
    switch (Between(0, 12)) {
      case 0: return std::numeric_limits<int64_t>::min();
      case 1: return std::numeric_limits<int64_t>::max();
      case 2: return std::numeric_limits<uint64_t>::max();
      case 3: return std::numeric_limits<double>::infinity();
      case 4: return -std::numeric_limits<double>::infinity();
      case 5: return std::numeric_limits<double>::quiet_NaN();
      case 6: return 1e308;
      case 7: return -0.0;
      case 8: return 5e-324;
      case 9: return static_cast<double>(Between(-100000, 100000)) / 1000.0;
      case 10: return static_cast<double>(Between(0, 80000)) / 100.0;
      default: return Between(-10, 3000);
    }
  }

  json::value RandomValue(int depth) {
    const int64_t kind = Between(0, depth > 4 ? 3 : 6);
    switch (kind) {
      case 0: return nullptr;
      case 1: return Between(0, 1) == 1;
      case 2: return RandomNumber();
      case 3: return json::value(RandomString());
      case 4: {
        json::array a;
        const int64_t n = Between(0, 5);
        for (int64_t i = 0; i < n; ++i) {
          a.push_back(RandomValue(depth + 1));
        }
        return a;
      }
      default: {
        json::object o;
        const int64_t n = Between(0, 6);
        for (int64_t i = 0; i < n; ++i) {
          o[RandomKey()] = RandomValue(depth + 1);
        }
        return o;
      }
    }
  }

  // Changes one random place of `v` (recursively).
  void Mutate(json::value& v, int depth = 0) {
    if (v.is_object() && !v.get_object().empty() && Between(0, 3) != 0) {
      auto& o = v.get_object();
      auto it = o.begin() + Between(0, static_cast<int64_t>(o.size()) - 1);
      switch (Between(0, 4)) {
        case 0: o.erase(it); return;
        case 1: it->value() = RandomValue(depth + 1); return;
        case 2: o[RandomKey()] = RandomValue(depth + 1); return;
        default: Mutate(it->value(), depth + 1); return;
      }
    }
    if (v.is_array() && !v.get_array().empty() && Between(0, 3) != 0) {
      auto& a = v.get_array();
      const size_t i = static_cast<size_t>(Between(0, static_cast<int64_t>(a.size()) - 1));
      switch (Between(0, 3)) {
        case 0: a.erase(a.begin() + static_cast<std::ptrdiff_t>(i)); return;
        case 1: a.push_back(a[i]); return;
        default: Mutate(a[i], depth + 1); return;
      }
    }
    if (Between(0, 9) == 0) {
      json::value nested = v;
      for (int k = 0; k < 100; ++k) {
        nested = json::array{std::move(nested)};
      }
      v = std::move(nested);
      return;
    }
    v = RandomValue(depth);
  }

  // Replaces leaves by plausible values of the same shape, so that most results stay valid and
  // the calculators' own logic (not only input checking) gets exercised.
  void Nudge(json::value& v) {
    if (v.is_object()) {
      for (auto& kv : v.get_object()) {
        if (Between(0, 2) == 0) {
          Nudge(kv.value());
        }
      }
    } else if (v.is_array()) {
      for (auto& e : v.get_array()) {
        Nudge(e);
      }
    } else if (v.is_string()) {
      const std::string_view s = v.get_string();
      char buffer[32];
      const int y = static_cast<int>(Between(1990, 2100));
      const int m = static_cast<int>(Between(1, 12));
      const int d = static_cast<int>(Between(1, 31));
      if (s.size() == 10 && s[4] == '-') {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
        v = buffer;
      } else if (s.size() == 7 && s[4] == '-') {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d", y, m);
        v = buffer;
      } else if (s.size() == 16 && s[10] == 'T') {
        std::snprintf(buffer, sizeof buffer, "%.10sT%02d:%02d", s.data(), static_cast<int>(Between(0, 23)),
                      static_cast<int>(Between(0, 59)));
        v = buffer;
      }
    } else if (v.is_int64()) {
      v = Between(0, v.get_int64() * 2 + 10);
    } else if (v.is_double()) {
      v = static_cast<double>(Between(0, 40000)) / 100.0;
    }
  }

 private:
  std::mt19937_64 rnd_;
};

std::vector<std::pair<std::string, json::value>> Seeds() {
  std::ifstream file(std::string(FAIRDESK_SOURCE_DIR) + "/server/labour_law/testdata/cases.json");
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::vector<std::pair<std::string, json::value>> seeds;
  const json::value all = json::parse(buffer.str());
  for (const auto& c : all.as_array()) {
    seeds.emplace_back(std::string(c.at("calculator").as_string()), c.at("input"));
  }
  return seeds;
}

void CheckOutcome(const std::string& name, const json::value& input, const CalcOutcome& out) {
  ASSERT_NE(out.kind, CalcOutcome::Kind::kUnknownCalculator) << name;
  if (out.kind == CalcOutcome::Kind::kInvalid) {
    ASSERT_FALSE(out.errors.empty()) << name << " " << json::serialize(input);
    for (const auto& e : out.errors) {
      ASSERT_FALSE(e.field.empty()) << name << " " << json::serialize(input);
      ASSERT_FALSE(e.message.empty());
    }
    return;
  }
  ASSERT_TRUE(out.result.contains("legal_basis")) << name;
  ASSERT_TRUE(out.result.at("legal_basis").is_array());
  ASSERT_TRUE(out.result.at("warnings").is_array());
  const std::string text = json::serialize(out.result);
  boost::system::error_code ec;
  json::parse(text, ec);
  ASSERT_FALSE(ec) << name << ": result is not valid JSON: " << text.substr(0, 300);
}

TEST(Fuzz, MutatedWorkedCasesNeverCrash) {
  const auto seeds = Seeds();
  ASSERT_FALSE(seeds.empty());
  Fuzzer fuzz(424242);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  int runs = 0;
  int ok = 0;
  while (runs < 60000 && std::chrono::steady_clock::now() < deadline) {
    const auto& [name, input] = seeds[static_cast<size_t>(fuzz.Between(0, static_cast<int64_t>(seeds.size()) - 1))];
    json::value mutated = input;
    if (fuzz.Between(0, 1) == 0) {
      fuzz.Nudge(mutated);
    } else {
      const int64_t rounds = fuzz.Between(1, 4);
      for (int64_t k = 0; k < rounds; ++k) {
        fuzz.Mutate(mutated);
      }
    }
    const CalcOutcome out = RunCalculator(name, mutated);
    CheckOutcome(name, mutated, out);
    if (HasFatalFailure()) {
      return;
    }
    ok += out.kind == CalcOutcome::Kind::kOk ? 1 : 0;
    ++runs;
  }
  RecordProperty("runs", runs);
  RecordProperty("ok", ok);
  std::printf("fuzz: %d mutated inputs, %d accepted\n", runs, ok);
  EXPECT_GT(runs, 1000);
}

TEST(Fuzz, RandomValuesNeverCrash) {
  Fuzzer fuzz(777);
  const auto names = CalculatorNames();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  int runs = 0;
  while (runs < 40000 && std::chrono::steady_clock::now() < deadline) {
    const std::string name(names[static_cast<size_t>(fuzz.Between(0, static_cast<int64_t>(names.size()) - 1))]);
    const json::value input = fuzz.RandomValue(0);
    const CalcOutcome out = RunCalculator(name, input);
    CheckOutcome(name, input, out);
    if (HasFatalFailure()) {
      return;
    }
    if (!input.is_object()) {
      ASSERT_EQ(out.kind, CalcOutcome::Kind::kInvalid);
    }
    ++runs;
  }
  EXPECT_GT(runs, 1000);
}

TEST(Fuzz, HolidayQueryStrings) {
  Fuzzer fuzz(99);
  for (int i = 0; i < 5000; ++i) {
    const std::string state = fuzz.RandomString();
    const std::string year = fuzz.Between(0, 1) ? std::to_string(fuzz.Between(-5, 3000)) : fuzz.RandomString();
    const CalcOutcome out = HolidaysForQuery(state, year);
    CheckOutcome("holidays", json::value(nullptr), out);
  }
  EXPECT_EQ(HolidaysForQuery("BY", "2026").kind, CalcOutcome::Kind::kOk);
  EXPECT_EQ(HolidaysForQuery("BY", "2026x").kind, CalcOutcome::Kind::kInvalid);
  EXPECT_EQ(HolidaysForQuery("BY", "+2026").kind, CalcOutcome::Kind::kInvalid);
  EXPECT_EQ(HolidaysForQuery("BY", "").kind, CalcOutcome::Kind::kInvalid);
}

TEST(Fuzz, LimitsOnListSizes) {
  json::array periods;
  for (int i = 0; i < 121; ++i) {
    periods.push_back(json::object{{"month", "2026-01"}, {"hours", 1}, {"gross_pay_cents", 0}});
  }
  auto out = RunCalculator("minimum-wage", json::object{{"periods", periods}});
  ASSERT_EQ(out.kind, CalcOutcome::Kind::kInvalid);
  EXPECT_EQ(out.errors[0].field, "periods");
  periods.pop_back();
  out = RunCalculator("minimum-wage", json::object{{"periods", periods}});
  EXPECT_EQ(out.kind, CalcOutcome::Kind::kOk);

  json::object many_unknown;
  for (int i = 0; i < 1000; ++i) {
    many_unknown["k" + std::to_string(i)] = i;
  }
  out = RunCalculator("limitation", many_unknown);
  ASSERT_EQ(out.kind, CalcOutcome::Kind::kInvalid);
  EXPECT_LE(out.errors.size(), 12u);

  EXPECT_EQ(RunCalculator("no-such-calculator", json::object{}).kind, CalcOutcome::Kind::kUnknownCalculator);
  EXPECT_EQ(CalculatorNames().size(), 11u);
}

}  // namespace
}  // namespace fairdesk::labour_law
