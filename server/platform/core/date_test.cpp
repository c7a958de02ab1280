#include "platform/core/date.hpp"

#include <gtest/gtest.h>

#include "platform/core/money.hpp"

namespace fairdesk {
namespace {

TEST(Date, ParsesStrictIsoDates) {
  const auto d = Date::Parse("2026-03-06");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year(), 2026);
  EXPECT_EQ(d->month(), 3);
  EXPECT_EQ(d->day(), 6);
  EXPECT_EQ(d->ToString(), "2026-03-06");
}

TEST(Date, RejectsImpossibleAndSloppyDates) {
  for (const char* bad : {"2026-02-30", "2026-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-1-01",
                          "2025-01-1", "20250101", "2025/01/01", " 2025-01-01", "2025-01-01 ", "0000-01-01",
                          "2025-01-0a", "+025-01-01", "", "2025-01-01T00:00", "１２３４-01-01"}) {
    EXPECT_FALSE(Date::Parse(bad)) << bad;
  }
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_TRUE(Date::Parse("2000-02-29"));
  EXPECT_FALSE(Date::Parse("1900-02-29"));
  EXPECT_TRUE(Date::Parse("0001-01-01"));
  EXPECT_TRUE(Date::Parse("9999-12-31"));
}

TEST(Date, KnownEpochAndWeekdays) {
  EXPECT_EQ(Date::Ymd(1970, 1, 1).DaysSinceEpoch(), 0);
  EXPECT_EQ(Date::Ymd(2000, 3, 1).DaysSinceEpoch(), 11017);
  EXPECT_EQ(Date::Ymd(1969, 12, 31).DaysSinceEpoch(), -1);
  EXPECT_EQ(Date::Ymd(1970, 1, 1).weekday(), Weekday::kThursday);
  EXPECT_EQ(Date::Ymd(2026, 3, 6).weekday(), Weekday::kFriday);    // LABOUR_LAW.md D1
  EXPECT_EQ(Date::Ymd(2026, 4, 15).weekday(), Weekday::kWednesday);  // D3
  EXPECT_EQ(Date::Ymd(1990, 10, 3).weekday(), Weekday::kWednesday);
  EXPECT_EQ(Date::Ymd(1969, 12, 28).weekday(), Weekday::kSunday);
  EXPECT_TRUE(Date::Ymd(2026, 10, 3).IsSaturdayOrSunday());
}

TEST(Date, RoundTripsEveryDayOverFourCenturies) {
  // Independent check of the day arithmetic: walk day by day with a simple counter.
  int y = 1900, m = 1, d = 1;
  Date date = Date::Ymd(1900, 1, 1);
  for (int i = 0; i < 146097 + 366; ++i) {
    ASSERT_EQ(date.year(), y);
    ASSERT_EQ(date.month(), m);
    ASSERT_EQ(date.day(), d);
    ASSERT_EQ(Date::FromYmd(y, m, d), date);
    date = date.AddDays(1);
    if (++d > DaysInMonth(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
}

TEST(Date, AddMonthsClampsToMonthEnd) {
  // § 188 Abs. 3 BGB: a missing day number means the last day of the month.
  EXPECT_EQ(Date::Ymd(2026, 1, 31).AddMonths(1), Date::Ymd(2026, 2, 28));
  EXPECT_EQ(Date::Ymd(2024, 1, 31).AddMonths(1), Date::Ymd(2024, 2, 29));
  EXPECT_EQ(Date::Ymd(2026, 3, 31).AddMonths(1), Date::Ymd(2026, 4, 30));
  EXPECT_EQ(Date::Ymd(2026, 8, 31).AddMonths(-6), Date::Ymd(2026, 2, 28));
  EXPECT_EQ(Date::Ymd(2026, 11, 15).AddMonths(2), Date::Ymd(2027, 1, 15));
  EXPECT_EQ(Date::Ymd(2026, 1, 15).AddMonths(-1), Date::Ymd(2025, 12, 15));
  EXPECT_EQ(Date::Ymd(2024, 2, 29).AddYears(1), Date::Ymd(2025, 2, 28));
  EXPECT_EQ(Date::Ymd(2024, 2, 29).AddYears(4), Date::Ymd(2028, 2, 29));
  EXPECT_EQ(Date::Ymd(2026, 5, 17).FirstOfMonth(), Date::Ymd(2026, 5, 1));
  EXPECT_EQ(Date::Ymd(2100, 2, 3).LastOfMonth(), Date::Ymd(2100, 2, 28));
}

TEST(Date, DifferencesAndOrdering) {
  EXPECT_EQ(DaysBetween(Date::Ymd(2026, 3, 6), Date::Ymd(2026, 3, 27)), 21);
  EXPECT_EQ(DaysBetween(Date::Ymd(2024, 1, 1), Date::Ymd(2025, 1, 1)), 366);
  EXPECT_LT(Date::Ymd(2025, 12, 31), Date::Ymd(2026, 1, 1));
}

TEST(YearMonth, ParsesFormatsAndSteps) {
  const auto ym = YearMonth::Parse("2026-02");
  ASSERT_TRUE(ym);
  EXPECT_EQ(ym->LastDay(), Date::Ymd(2026, 2, 28));
  EXPECT_EQ(ym->AddMonths(11).ToString(), "2027-01");
  EXPECT_EQ(ym->AddMonths(-2).ToString(), "2025-12");
  EXPECT_EQ(YearMonth::Of(Date::Ymd(2024, 2, 10)).DayCount(), 29);
  for (const char* bad : {"2026-13", "2026-00", "2026-2", "26-02", "2026-02-01", "2026/02", ""}) {
    EXPECT_FALSE(YearMonth::Parse(bad)) << bad;
  }
}

TEST(Cents, RoundsHalfUpInIntegerArithmetic) {
  // 38.55 h × 12.82 EUR = 494.211 EUR → 494.21; 0.5 cent rounds up.
  EXPECT_EQ(MulDivRoundHalfUp(Cents(1282), 3855, 100), Cents(49421));
  EXPECT_EQ(MulDivRoundHalfUp(Cents(1), 50, 100), Cents(1));
  EXPECT_EQ(MulDivRoundHalfUp(Cents(1), 49, 100), Cents(0));
  EXPECT_EQ(Cents::Euros(12) + Cents(41), Cents(1241));
}

}  // namespace
}  // namespace fairdesk
