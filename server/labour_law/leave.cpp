#include "labour_law/leave.hpp"

#include <algorithm>

#include "labour_law/periods.hpp"
#include "labour_law/tables.hpp"

namespace fairdesk::labour_law {

Result<LeaveResult> ComputeLeave(const LeaveInput& in) {
  const auto* leave_row = RowFor(StatutoryLeaveTable(), Date::Ymd(std::clamp(in.year, 1, 9999), 12, 31));
  if (!leave_row) {
    const auto& first = StatutoryLeaveTable().front();
    const std::string from = std::to_string(first.valid_from.year());
    return Fail(Error::Invalid("year", "must not be before " + from + " (" + std::to_string(first.value) +
                                           " Werktage under § 3 BUrlG since 1.1." + from + ")"));
  }
  if (in.year > 2100) {
    return Fail(Error::Invalid("year", "must not be after 2100"));
  }
  if (in.workdays_per_week_hundredths < 100 || in.workdays_per_week_hundredths > kWerktagePerWeek * 100) {
    return Fail(Error::Invalid("workdays_per_week", "must be between 1 and " + std::to_string(kWerktagePerWeek)));
  }
  if (in.employment_end && *in.employment_end < in.employment_start) {
    return Fail(Error::Invalid("employment_end", "is before employment_start"));
  }
  if (in.employment_start.year() < 1900) {
    return Fail(Error::Invalid("employment_start", "must not be before 1900"));
  }

  LeaveResult out;
  Explanation& ex = out.explanation;
  ex.Basis("§ 3 Abs. 1 BUrlG");
  // § 3 Abs. 1 BUrlG: 24 Werktage on a six-day week, converted to the actual working week as
  // 24 × d / 6 (= 4 d). In hundredths this is exact for any d with two decimals.
  const int64_t werktage = leave_row->value;
  out.full_year_hundredths = werktage * in.workdays_per_week_hundredths / kWerktagePerWeek;

  const Date year_first = Date::Ymd(in.year, 1, 1);
  const Date year_last = Date::Ymd(in.year, 12, 31);
  const Date first = std::max(in.employment_start, year_first);
  const Date last = in.employment_end ? std::min(*in.employment_end, year_last) : year_last;
  if (last < first) {
    out.rule = LeaveRule::kNone;
    ex.Warn("not_employed_in_year", "The employment did not exist in this year.");
    return out;
  }
  out.full_months = FullMonthsInSpan(first, last);

  // § 4 BUrlG: the full entitlement is acquired once the employment has lasted six months.
  const Date waiting_ends = EndOfMonthsFromStartOfDay(in.employment_start, kLeaveWaitingMonths);
  const bool leaves_before_waiting = in.employment_end && *in.employment_end < waiting_ends;
  const bool leaves_in_year = in.employment_end && *in.employment_end <= year_last;
  ex.Basis("§ 4 BUrlG");

  if (leaves_before_waiting && leaves_in_year) {
    out.rule = LeaveRule::kPartial51b;  // § 5 Abs. 1 Buchst. b: leaves before the waiting period ends
  } else if (waiting_ends > year_last) {
    out.rule = LeaveRule::kPartial51a;  // Buchst. a: waiting period not completed in this year
  } else if (leaves_in_year &&
             *in.employment_end <= Date::Ymd(in.year, kLeaveFirstHalfLastMonth, kLeaveFirstHalfLastDay)) {
    out.rule = LeaveRule::kPartial51c;  // Buchst. c: leaves after the waiting period in the first half
  } else {
    out.rule = LeaveRule::kFull;
  }

  if (out.rule == LeaveRule::kFull) {
    out.entitlement_hundredths = out.full_year_hundredths;
  } else {
    ex.Basis(out.rule == LeaveRule::kPartial51a   ? "§ 5 Abs. 1 Buchst. a BUrlG"
             : out.rule == LeaveRule::kPartial51b ? "§ 5 Abs. 1 Buchst. b BUrlG"
                                                  : "§ 5 Abs. 1 Buchst. c BUrlG");
    // One twelfth per full month (§ 5 Abs. 1 BUrlG); kept as an exact fraction (numerator over
    // 1200 days: twelfths of hundredths).
    constexpr int64_t kTwelfths = 12;
    const int64_t numerator = out.full_year_hundredths * out.full_months;  // days × 1200
    const int64_t whole_days = numerator / (kTwelfths * 100);
    const int64_t remainder = numerator % (kTwelfths * 100);
    if (remainder >= kTwelfths * kLeaveRoundUpFromHundredths) {
      // § 5 Abs. 2 BUrlG: a fraction of at least half a day is rounded up to a full day.
      out.entitlement_hundredths = (whole_days + 1) * 100;
      ex.Basis("§ 5 Abs. 2 BUrlG");
    } else {
      // Below half a day nothing is rounded; the fraction stays owed (BAG 23.1.2018 – 9 AZR 200/17).
      out.entitlement_hundredths = (numerator + kTwelfths / 2) / kTwelfths;  // to two decimals, half up
      if (remainder != 0) {
        ex.Warn("fraction_below_half_day",
                "A fraction below half a day is neither rounded up nor dropped; it remains owed "
                "(BAG 23.1.2018 – 9 AZR 200/17). Shown to two decimals.");
      }
    }
  }

  if (in.employment_start > year_first) {
    ex.Warn("previous_employer",
            "Leave already granted by a previous employer for this year is set off (§ 6 BUrlG).");
  }
  if (in.workdays_per_week_hundredths % 100 != 0) {
    ex.Warn("unchecked_irregular_schedule",
            "Not verified: For irregular schedules the entitlement can also be computed as annual working days / "
            "312 × 24; check which method the schedule calls for.");
  }
  if (leave_row->tag == Tag::kUnchecked && in.year <= kStatutoryLeaveWarnThroughYear) {
    ex.Warn("unchecked_leave_rule_date",
            "Not verified: The 24 Werktage of § 3 Abs. 1 BUrlG are taken to apply from 1.1.1995; check the transition "
            "for 1995 and 1996.");
  }
  ex.Warn("statutory_minimum_only",
          "This is the statutory minimum; contracts and collective agreements often grant more, and "
          "minors (§ 19 JArbSchG) and severely disabled employees (§ 208 SGB IX) get additional leave.");
  ex.Warn("carry_over_and_forfeiture",
          "Leave lapses at the end of the year (or 31 March) only if the employer pointed out the "
          "remaining days and the deadline (BAG 19.2.2019 – 9 AZR 423/16); on leaving, untaken leave "
          "is paid out (§ 7 Abs. 4 BUrlG).");
  return out;
}

}  // namespace fairdesk::labour_law
