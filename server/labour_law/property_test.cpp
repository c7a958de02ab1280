// Property tests: seeded pseudo-random inputs, invariants that must hold for every one of them.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "labour_law/calculators.hpp"
#include "labour_law/claims.hpp"
#include "labour_law/dismissal.hpp"
#include "labour_law/holidays.hpp"
#include "labour_law/leave.hpp"
#include "labour_law/pay.hpp"
#include "labour_law/periods.hpp"
#include "labour_law/sick_pay.hpp"
#include "labour_law/tables.hpp"
#include "labour_law/working_time.hpp"

namespace fairdesk::labour_law {
namespace {

constexpr uint64_t kSeed = 20260306;
constexpr int kRuns = 4000;

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  int64_t Between(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(engine_); }
  Date DateBetween(Date lo, Date hi) {
    return Date::FromDaysSinceEpoch(Between(lo.DaysSinceEpoch(), hi.DaysSinceEpoch()));
  }
  State AnyState() { return AllStates()[static_cast<size_t>(Between(0, 15))]; }
  bool Coin() { return Between(0, 1) == 1; }

 private:
  std::mt19937_64 engine_;
};

TEST(Property, ClaimDeadlineIsAWorkingDayOfTheState) {
  Random rnd(kSeed);
  for (int i = 0; i < kRuns; ++i) {
    const Date received = rnd.DateBetween(Date::Ymd(1990, 1, 1), Date::Ymd(2100, 12, 31));
    const State state = rnd.AnyState();
    const auto r = ComputeClaimDeadline({received, state, NoticeForm::kWritten});
    ASSERT_TRUE(r) << received;
    ASSERT_TRUE(r->applies);
    const Date deadline = *r->deadline;
    EXPECT_EQ(*r->unadjusted_deadline, received.AddDays(21));
    EXPECT_EQ(r->unadjusted_deadline->weekday(), received.weekday());  // § 188 Abs. 2 BGB
    EXPECT_FALSE(deadline.IsSaturdayOrSunday()) << received << " " << StateCode(state);
    EXPECT_FALSE(IsStatePublicHoliday(state, deadline)) << received << " " << StateCode(state);
    EXPECT_GE(deadline, *r->unadjusted_deadline);
    EXPECT_LE(DaysBetween(*r->unadjusted_deadline, deadline), 5);
    // Every day skipped was a non-working day (the move is minimal).
    for (Date d = *r->unadjusted_deadline; d < deadline; d = d.AddDays(1)) {
      EXPECT_TRUE(IsNonWorkingDay(state, d));
    }
  }
}

TEST(Property, NoticeEndIsTheFirstAllowedDateAfterThePeriod) {
  Random rnd(kSeed + 1);
  for (int i = 0; i < kRuns; ++i) {
    const Date received = rnd.DateBetween(Date::Ymd(1994, 1, 1), Date::Ymd(2100, 12, 31));
    const Date start = rnd.DateBetween(received.AddDays(-40 * 365), received);
    const NoticeParty by = rnd.Coin() ? NoticeParty::kEmployer : NoticeParty::kEmployee;
    const bool probation = rnd.Between(0, 4) == 0;
    const auto r = ComputeNoticePeriod({received, by, start, probation, NoticeForm::kWritten});
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->valid);
    const Date end = *r->earliest_end;
    const Date period_end = r->period.unit == NoticeUnit::kWeeks ? received.AddDays(r->period.count * 7)
                                                                 : received.AddMonths(r->period.count);
    EXPECT_GE(end, period_end) << received;
    EXPECT_GT(end, received);
    EXPECT_EQ(r->tenure_years, FullYearsBefore(start, received));
    switch (r->period.to) {
      case NoticeTo::kAnyDay:
        EXPECT_EQ(end, period_end);
        break;
      case NoticeTo::kEndOfMonth:
        EXPECT_EQ(end, end.LastOfMonth());
        EXPECT_LT(end.FirstOfMonth().AddDays(-1), period_end);  // the previous month end was too early
        break;
      case NoticeTo::kFifteenthOrEndOfMonth: {
        EXPECT_TRUE(end.day() == 15 || end == end.LastOfMonth()) << end;
        const Date previous = end.day() == 15 ? end.FirstOfMonth().AddDays(-1) : Date::Ymd(end.year(), end.month(), 15);
        EXPECT_LT(previous, period_end);
        break;
      }
    }
    if (by == NoticeParty::kEmployee && !probation) {
      EXPECT_EQ(r->period.unit, NoticeUnit::kWeeks);
      EXPECT_EQ(r->period.count, 4);
    }
  }
}

TEST(Property, MinimumWageShortfallIsNeverNegativeAndAddsUp) {
  Random rnd(kSeed + 2);
  for (int i = 0; i < kRuns / 4; ++i) {
    MinimumWageInput in;
    const int n = static_cast<int>(rnd.Between(1, 24));
    for (int k = 0; k < n; ++k) {
      const auto month = YearMonth::FromYm(static_cast<int>(rnd.Between(2015, 2030)), static_cast<int>(rnd.Between(1, 12)));
      in.periods.push_back({*month, rnd.Between(0, month->DayCount() * 2400), Cents(rnd.Between(0, 1'000'000))});
    }
    if (rnd.Coin()) {
      in.birth_date = rnd.DateBetween(Date::Ymd(1950, 1, 1), Date::Ymd(2014, 12, 31));
    }
    const auto r = ComputeMinimumWage(in);
    ASSERT_TRUE(r);
    Cents total;
    for (size_t k = 0; k < r->periods.size(); ++k) {
      const auto& p = r->periods[k];
      EXPECT_GE(p.shortfall, Cents(0));
      EXPECT_LE(p.shortfall, p.due);
      EXPECT_EQ(p.applicable, !p.exclusion.has_value());
      if (p.applicable) {
        EXPECT_EQ(p.due, WageDue(in.periods[k].hours_hundredths, p.minimum_wage));
        EXPECT_EQ(p.shortfall, Max(Cents(0), p.due - in.periods[k].gross_pay));
      } else {
        EXPECT_EQ(p.shortfall, Cents(0));
      }
      EXPECT_EQ(p.minimum_wage, RowFor(MinimumWageTable(), p.month.FirstDay())->value);
      total += p.shortfall;
    }
    EXPECT_EQ(total, r->total_shortfall);
  }
}

TEST(Property, WageDueIsExactHalfUpRounding) {
  Random rnd(kSeed + 3);
  for (int i = 0; i < kRuns; ++i) {
    const int64_t hours = rnd.Between(0, 74400);
    const Cents rate(rnd.Between(1, 5000));
    const int64_t exact_times_100 = hours * rate.value();  // cents × 100
    const Cents due = WageDue(hours, rate);
    // |due × 100 − exact| ≤ 50, and a remainder of exactly 50 rounds up.
    EXPECT_LE(std::abs(due.value() * 100 - exact_times_100), 50);
    if (exact_times_100 % 100 == 50) {
      EXPECT_EQ(due.value() * 100 - exact_times_100, 50);
    }
  }
}

TEST(Property, LeaveNeverExceedsTheFullYearAndPartialLeaveRoundsOnlyUp) {
  Random rnd(kSeed + 4);
  for (int i = 0; i < kRuns; ++i) {
    const int year = static_cast<int>(rnd.Between(1995, 2100));
    const Date start = rnd.DateBetween(Date::Ymd(year - 3, 1, 1), Date::Ymd(year, 12, 31));
    std::optional<Date> end;
    if (rnd.Coin()) {
      end = rnd.DateBetween(start, Date::Ymd(year + 1, 12, 31));
    }
    const int64_t days = rnd.Between(100, 600);
    const auto r = ComputeLeave({year, days, start, end});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->full_year_hundredths * 6, 24 * days);
    EXPECT_LE(r->entitlement_hundredths, r->full_year_hundredths);
    EXPECT_GE(r->full_months, 0);
    EXPECT_LE(r->full_months, 12);
    if (r->rule == LeaveRule::kNone) {
      EXPECT_EQ(r->entitlement_hundredths, 0);
    } else if (r->rule != LeaveRule::kFull) {
      // entitlement ≥ exact twelfths (rounded to hundredths), and below it + 0.5 day.
      const int64_t exact_1200 = r->full_year_hundredths * r->full_months;
      EXPECT_GE(r->entitlement_hundredths * 12 + 6, exact_1200);
      EXPECT_LE(r->entitlement_hundredths * 12, exact_1200 + 600);  // exactly half a day rounds up by 0.5
    }
  }
}

TEST(Property, SickPayLastsAtMostSixWeeksAfterTheWaitingPeriod) {
  Random rnd(kSeed + 5);
  for (int i = 0; i < kRuns; ++i) {
    const Date start = rnd.DateBetween(Date::Ymd(1990, 1, 1), Date::Ymd(2099, 1, 1));
    const Date from = rnd.DateBetween(start, start.AddDays(200));
    std::optional<Date> until;
    if (rnd.Coin()) {
      until = rnd.DateBetween(from, from.AddDays(120));
    }
    const auto r = ComputeSickPay({start, from, until});
    // Incapacity before § 3 Abs. 3 EFZG took effect is a 422 on sick_from, never a guess.
    if (from < SickPayWaitingPeriodValidFrom()) {
      ASSERT_FALSE(r);
      ASSERT_EQ(r.error().errors.size(), 1u);
      EXPECT_EQ(r.error().errors[0].field, "sick_from");
      continue;
    }
    ASSERT_TRUE(r);
    EXPECT_EQ(DaysBetween(start, r->waiting_period_ends), 27);
    // The [K] transition warning exactly where the four weeks straddle 1.10.1996.
    EXPECT_EQ(r->explanation.HasWarning("waiting_period_transition"),
              start < SickPayWaitingPeriodValidFrom() && r->waiting_period_ends >= SickPayWaitingPeriodValidFrom());
    EXPECT_EQ(r->paid_from.has_value(), r->paid_until.has_value());
    if (r->paid_from) {
      EXPECT_GT(*r->paid_from, r->waiting_period_ends);
      EXPECT_GE(*r->paid_from, from);
      EXPECT_LE(DaysBetween(*r->paid_from, *r->paid_until), 41);
      EXPECT_LE(*r->paid_from, *r->paid_until);
      if (until) {
        EXPECT_LE(*r->paid_until, *until);
      }
    } else {
      ASSERT_TRUE(until);
      EXPECT_LE(*until, r->waiting_period_ends);
    }
  }
}

TEST(Property, LimitationEndsOnDecember31ThreeYearsLater) {
  Random rnd(kSeed + 6);
  for (int i = 0; i < kRuns; ++i) {
    const Date due = rnd.DateBetween(Date::Ymd(1900, 1, 1), Date::Ymd(2100, 12, 31));
    const auto r = ComputeLimitation({due});
    // Claims due before 2002 fall under § 196 BGB a.F. and Art. 229 § 6 EGBGB: a 422 on claim_due.
    if (due < LimitationRulesValidFrom()) {
      ASSERT_FALSE(r);
      ASSERT_EQ(r.error().errors.size(), 1u);
      EXPECT_EQ(r.error().errors[0].field, "claim_due");
      continue;
    }
    ASSERT_TRUE(r);
    EXPECT_EQ(r->limitation_ends, Date::Ymd(due.year() + 3, 12, 31));
  }
}

TEST(Property, WorkingTimeTotalsAndSortedViolations) {
  Random rnd(kSeed + 7);
  for (int i = 0; i < kRuns / 4; ++i) {
    WorkingTimeInput in;
    in.sector = static_cast<Sector>(rnd.Between(0, 5));
    if (rnd.Coin()) {
      in.state = rnd.AnyState();
    }
    int64_t cursor = LocalDateTime::Of(rnd.DateBetween(Date::Ymd(1990, 1, 1), Date::Ymd(2099, 1, 1)), 0).minutes;
    int64_t expected_total = 0;
    const int n = static_cast<int>(rnd.Between(1, 20));
    for (int k = 0; k < n; ++k) {
      cursor += rnd.Between(0, 36 * 60);
      const int64_t length = rnd.Between(1, 14 * 60);
      const int64_t pause = rnd.Between(0, length - 1);
      in.shifts.push_back({{cursor}, {cursor + length}, pause});
      expected_total += length - pause;
      cursor += length;
    }
    const auto r = CheckWorkingTime(in);
    // Shifts starting before the ArbZG took effect are each named in a 422; nothing else is checked.
    std::vector<std::string> before_arbzg;
    for (size_t k = 0; k < in.shifts.size(); ++k) {
      if (in.shifts[k].start.date() < WorkingTimeActValidFrom()) {
        before_arbzg.push_back("shifts[" + std::to_string(k) + "].start");
      }
    }
    if (!before_arbzg.empty()) {
      ASSERT_FALSE(r);
      std::vector<std::string> fields;
      for (const auto& e : r.error().errors) {
        fields.push_back(e.field);
      }
      EXPECT_EQ(fields, before_arbzg);
      continue;
    }
    ASSERT_TRUE(r);
    EXPECT_EQ(r->total_minutes, expected_total);
    for (size_t k = 1; k < r->violations.size(); ++k) {
      EXPECT_LE(r->violations[k - 1].date, r->violations[k].date);
    }
    for (const auto& v : r->violations) {
      if (v.rule == "sunday_work") {
        EXPECT_EQ(v.date.weekday(), Weekday::kSunday);
      }
      if (v.rule == "holiday_work") {
        ASSERT_TRUE(in.state);
        EXPECT_TRUE(IsStatePublicHoliday(*in.state, v.date));
      }
    }
  }
}

TEST(Property, MonthPeriodsFollowBgb188) {
  Random rnd(kSeed + 8);
  for (int i = 0; i < kRuns; ++i) {
    const Date first = rnd.DateBetween(Date::Ymd(1900, 1, 1), Date::Ymd(2100, 12, 31));
    const int months = static_cast<int>(rnd.Between(1, 240));
    const Date end = EndOfMonthsFromStartOfDay(first, months);
    // The period ends the day before the same day number, or at the month end if it is missing.
    const Date same = first.AddMonths(months);
    if (same.day() == first.day()) {
      EXPECT_EQ(end, same.AddDays(-1));
    } else {
      EXPECT_EQ(end, same.LastOfMonth());
    }
    EXPECT_EQ(FullMonthsInSpan(first, end), months);
    EXPECT_EQ(FullMonthsInSpan(first, end.AddDays(-1)), months - 1);
    const Date after = first.AddMonths(months);
    EXPECT_LE(after.day(), first.day());
  }
}

TEST(Property, EveryTableIsSortedByDate) {
  auto sorted = [](auto table) {
    for (size_t i = 1; i < table.size(); ++i) {
      if (table[i].valid_from < table[i - 1].valid_from) {
        return false;
      }
    }
    return !table.empty();
  };
  EXPECT_TRUE(sorted(MinimumWageTable()));
  EXPECT_TRUE(sorted(TrainingAllowanceTable()));
  EXPECT_TRUE(sorted(EarningsLimitsTable()));
  EXPECT_TRUE(sorted(StatutoryLeaveTable()));
  EXPECT_TRUE(sorted(ExtendedNoticeTable()));
}

// § 8 Abs. 1a SGB IV: from 2022-10 the mini-job limit is minimum wage × 130 / 3, rounded up to
// the euro — recomputed here from the minimum-wage table for every month with a known rate.
TEST(Tables, MiniJobLimitFollowsTheMinimumWage) {
  for (auto month = *YearMonth::FromYm(2022, 10); month.year() <= kMinimumWageKnownThroughYear; month = month.AddMonths(1)) {
    const int64_t rate = RowFor(MinimumWageTable(), month.FirstDay())->value.value();
    const int64_t cents = rate * 130;                 // × 3 in the denominator
    const int64_t euros = (cents + 300 - 1) / 300;    // ceil(rate × 130 / 3 / 100)
    EXPECT_EQ(RowFor(EarningsLimitsTable(), month.FirstDay())->value.minijob_limit, Cents::Euros(euros)) << month;
  }
}

// § 17 Abs. 2 Satz 1 Nr. 2–4 BBiG: +18 %, +35 %, +40 % of the first-year amount; exact for start
// years 2020–2023, rounded to whole euros (half up) from 2024.
TEST(Tables, TrainingAllowancePercentages) {
  constexpr int kPercent[] = {100, 118, 135, 140};
  for (const auto& row : TrainingAllowanceTable()) {
    const int64_t first = row.value.by_training_year[0].value();
    for (int y = 1; y < 4; ++y) {
      int64_t expected = first * kPercent[y] / 100;  // exact in cents for 2020–2023
      if (row.valid_from.year() >= 2024) {
        expected = (first * kPercent[y] + 5000) / 10000 * 100;
      }
      EXPECT_EQ(row.value.by_training_year[static_cast<size_t>(y)].value(), expected) << row.valid_from << " year " << y + 1;
    }
  }
}

TEST(Tables, EveryRowNamesItsSource) {
  for (const auto& row : MinimumWageTable()) EXPECT_FALSE(row.source.empty());
  for (const auto& row : TrainingAllowanceTable()) EXPECT_FALSE(row.source.empty());
  for (const auto& row : EarningsLimitsTable()) EXPECT_FALSE(row.source.empty());
  for (const auto& row : StatutoryLeaveTable()) EXPECT_FALSE(row.source.empty());
  for (const auto& row : ExtendedNoticeTable()) EXPECT_FALSE(row.source.empty());
}

}  // namespace
}  // namespace fairdesk::labour_law
