// Checks the holiday calendar against an independent computation: Easter by Gauss's rule (with
// his two exceptions) instead of the Meeus/Jones/Butcher algorithm, and the holidays from a
// declarative rule table written apart from holidays.cpp.

#include "labour_law/holidays.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

namespace fairdesk::labour_law {
namespace {

using enum State;

// Gauss's Easter formula for the Gregorian calendar.
Date GaussEaster(int year) {
  const int a = year % 19;
  const int b = year % 4;
  const int c = year % 7;
  const int k = year / 100;
  const int p = (13 + 8 * k) / 25;
  const int q = k / 4;
  const int m = (15 - p + k - q) % 30;
  const int n = (4 + k - q) % 7;
  const int d = (19 * a + m) % 30;
  const int e = (2 * b + 4 * c + 6 * d + n) % 7;
  int day = 22 + d + e;  // in March; beyond 31 it runs into April
  if (d == 29 && e == 6) {
    day = 19 + 31;  // 26 April becomes 19 April
  } else if (d == 28 && e == 6 && (11 * m + 11) % 30 < 19) {
    day = 18 + 31;  // 25 April becomes 18 April
  }
  return day <= 31 ? Date::Ymd(year, 3, day) : Date::Ymd(year, 4, day - 31);
}

TEST(Easter, AgreesWithGaussForEveryYearFrom1583To4099) {
  for (int year = 1583; year <= 4099; ++year) {
    ASSERT_EQ(EasterSunday(year), GaussEaster(year)) << year;
  }
}

TEST(Easter, KnownDates) {
  EXPECT_EQ(EasterSunday(2026), Date::Ymd(2026, 4, 5));
  EXPECT_EQ(EasterSunday(2008), Date::Ymd(2008, 3, 23));
  EXPECT_EQ(EasterSunday(2011), Date::Ymd(2011, 4, 24));
  EXPECT_EQ(EasterSunday(2285), Date::Ymd(2285, 3, 22));  // earliest possible
  EXPECT_EQ(EasterSunday(2038), Date::Ymd(2038, 4, 25));  // latest possible
  EXPECT_EQ(EasterSunday(1981), Date::Ymd(1981, 4, 19));  // Gauss exception d = 29, e = 6
  EXPECT_EQ(EasterSunday(1954), Date::Ymd(1954, 4, 18));  // Gauss exception d = 28, e = 6
}

// ---- the reference calendar: one row per rule ----

struct Rule {
  std::function<Date(int)> date;
  std::set<State> states;  // empty = all
  int first_year;
  int last_year;
  HolidayScope scope;
};

std::vector<Rule> ReferenceRules() {
  const auto fixed = [](int m, int d) { return [m, d](int y) { return Date::Ymd(y, m, d); }; };
  const auto easter = [](int offset) { return [offset](int y) { return GaussEaster(y).AddDays(offset); }; };
  const auto repentance = [](int y) {
    // 11 days before the first Sunday of Advent (the fourth Sunday before Christmas).
    Date christmas = Date::Ymd(y, 12, 25);
    int back = static_cast<int>(christmas.weekday()) % 7;  // days since the last Sunday
    if (back == 0) {
      back = 7;
    }
    return christmas.AddDays(-back - 21 - 11);
  };
  const std::set<State> kWest = {kBW, kBY, kHB, kHH, kHE, kNI, kNW, kRP, kSL, kSH};
  const std::set<State> kEast = {kBB, kMV, kSN, kST, kTH};
  constexpr auto S = HolidayScope::kState;
  constexpr auto P = HolidayScope::kPartial;
  constexpr int kEnd = 9999;
  return {
      {fixed(1, 1), {}, 1990, kEnd, S},
      {easter(-2), {}, 1990, kEnd, S},
      {easter(1), {}, 1990, kEnd, S},
      {fixed(5, 1), {}, 1990, kEnd, S},
      {easter(39), {}, 1990, kEnd, S},
      {easter(50), {}, 1990, kEnd, S},
      {fixed(10, 3), {}, 1990, kEnd, S},
      {fixed(12, 25), {}, 1990, kEnd, S},
      {fixed(12, 26), {}, 1990, kEnd, S},
      {fixed(6, 17), kWest, 1990, 1990, S},
      {fixed(6, 17), {kBE}, 1990, 1990, P},
      {repentance, {}, 1990, 1994, S},
      {repentance, {kSN}, 1995, kEnd, S},
      {fixed(1, 6), {kBW, kBY}, 1990, kEnd, S},
      {fixed(1, 6), {kST}, 1993, kEnd, S},
      {fixed(3, 8), {kBE}, 2019, kEnd, S},
      {fixed(3, 8), {kMV}, 2023, kEnd, S},
      {easter(0), {kBB}, 1991, kEnd, S},
      {easter(49), {kBB}, 1991, kEnd, S},
      {fixed(5, 8), {kBE}, 2020, 2020, S},
      {fixed(5, 8), {kBE}, 2025, 2025, S},
      {fixed(6, 17), {kBE}, 2028, 2028, S},
      {easter(60), {kBW, kBY, kHE, kNW, kRP, kSL}, 1990, kEnd, S},
      {easter(60), {kSN, kTH}, 1991, kEnd, P},
      {fixed(8, 8), {kBY}, 1990, kEnd, P},
      {fixed(8, 15), {kSL}, 1990, kEnd, S},
      {fixed(8, 15), {kBY}, 1990, kEnd, P},
      {fixed(9, 20), {kTH}, 2019, kEnd, S},
      {fixed(10, 31), kEast, 1990, kEnd, S},
      {fixed(10, 31), {kHB, kHH, kNI, kSH}, 2018, kEnd, S},
      {fixed(10, 31), {}, 2017, 2017, S},
      {fixed(11, 1), {kBW, kBY, kNW, kRP, kSL}, 1990, kEnd, S},
  };
}

std::map<Date, HolidayScope> Reference(State state, int year) {
  std::map<Date, HolidayScope> out;
  for (const auto& rule : ReferenceRules()) {
    if (year < rule.first_year || year > rule.last_year || (!rule.states.empty() && !rule.states.contains(state))) {
      continue;
    }
    const Date d = rule.date(year);
    auto [it, inserted] = out.emplace(d, rule.scope);
    if (!inserted && rule.scope == HolidayScope::kState) {
      it->second = HolidayScope::kState;
    }
  }
  return out;
}

TEST(Holidays, AgreeWithReferenceRulesForEveryStateAndYear) {
  for (State state : AllStates()) {
    for (int year = kFirstHolidayYear; year <= kLastHolidayYear; ++year) {
      std::map<Date, HolidayScope> got;
      for (const auto& h : HolidaysOf(state, year)) {
        got.emplace(h.date, h.scope);
        ASSERT_EQ(h.date.year(), year);
        ASSERT_FALSE(h.name.empty());
        ASSERT_FALSE(h.name_en.empty());
      }
      ASSERT_EQ(got, Reference(state, year)) << StateCode(state) << " " << year;
    }
  }
}

TEST(Holidays, SortedAndOnePerDate) {
  for (State state : AllStates()) {
    for (int year = kFirstHolidayYear; year <= kLastHolidayYear; ++year) {
      const auto list = HolidaysOf(state, year);
      for (size_t i = 1; i < list.size(); ++i) {
        ASSERT_LT(list[i - 1].date, list[i].date) << StateCode(state) << " " << year;
      }
    }
  }
}

// Number of state-wide holidays on weekdays-or-not, leaving out Brandenburg's two Sundays, in 2024:
// BW and BY 12, SL 12, seven states 10 (BE, BB, HB, HH, HE, NI, SH), the rest 11 (bz-berlin.de,
// 2024, "Berlin bekommt zwei zusätzliche Feiertage", counts Berlin, Hamburg, Bremen, Brandenburg
// among the states with ten).
TEST(Holidays, StatewideCountsIn2024) {
  const std::map<State, size_t> expected = {
      {kBW, 12}, {kBY, 12}, {kBE, 10}, {kBB, 10}, {kHB, 10}, {kHH, 10}, {kHE, 10}, {kMV, 11},
      {kNI, 10}, {kNW, 11}, {kRP, 11}, {kSL, 12}, {kSN, 11}, {kST, 11}, {kSH, 10}, {kTH, 11},
  };
  for (State state : AllStates()) {
    size_t count = 0;
    for (const auto& h : HolidaysOf(state, 2024)) {
      const bool bb_sunday = state == kBB && h.date.weekday() == Weekday::kSunday &&
                             (h.name == "Ostersonntag" || h.name == "Pfingstsonntag");
      if (h.scope == HolidayScope::kState && !bb_sunday) {
        ++count;
      }
    }
    EXPECT_EQ(count, expected.at(state)) << StateCode(state);
  }
}

TEST(Holidays, KnownSingleDays) {
  // LABOUR_LAW.md 2.4: 24.12 and 31.12 are no holidays anywhere.
  for (State state : AllStates()) {
    EXPECT_FALSE(HolidayOn(state, Date::Ymd(2026, 12, 24))) << StateCode(state);
    EXPECT_FALSE(HolidayOn(state, Date::Ymd(2026, 12, 31))) << StateCode(state);
    EXPECT_TRUE(IsStatePublicHoliday(state, Date::Ymd(2017, 10, 31))) << StateCode(state);
    EXPECT_TRUE(IsStatePublicHoliday(state, Date::Ymd(1994, 11, 16))) << StateCode(state);
  }
  EXPECT_TRUE(IsStatePublicHoliday(kSN, Date::Ymd(1995, 11, 22)));
  EXPECT_FALSE(IsStatePublicHoliday(kBY, Date::Ymd(1995, 11, 22)));
  EXPECT_FALSE(IsStatePublicHoliday(kBY, Date::Ymd(2026, 8, 15)));  // partial only
  EXPECT_TRUE(HolidayOn(kBY, Date::Ymd(2026, 8, 15)).has_value());
  EXPECT_TRUE(IsStatePublicHoliday(kTH, Date::Ymd(1990, 10, 31)));
  EXPECT_TRUE(IsStatePublicHoliday(kBB, Date::Ymd(1990, 10, 31)));
  EXPECT_FALSE(IsStatePublicHoliday(kST, Date::Ymd(1992, 1, 6)));
  EXPECT_TRUE(IsStatePublicHoliday(kST, Date::Ymd(1993, 1, 6)));
  EXPECT_EQ(NextWorkingDay(kBE, Date::Ymd(2026, 4, 3)), Date::Ymd(2026, 4, 7));
  EXPECT_EQ(NextWorkingDay(kBE, Date::Ymd(2026, 4, 8)), Date::Ymd(2026, 4, 8));
}

TEST(Holidays, StateCodesRoundTrip) {
  EXPECT_EQ(AllStates().size(), 16u);
  for (State state : AllStates()) {
    EXPECT_EQ(ParseState(StateCode(state)), state);
  }
  EXPECT_FALSE(ParseState("by"));
  EXPECT_FALSE(ParseState(""));
  EXPECT_FALSE(ParseState("BYX"));
}

}  // namespace
}  // namespace fairdesk::labour_law
