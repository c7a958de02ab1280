#include "labour_law/periods.hpp"

namespace fairdesk::labour_law {

Date EndOfMonthsFromStartOfDay(Date first_day, int64_t months) {
  const Date same_number = first_day.AddMonths(months);
  if (same_number.day() != first_day.day()) {
    // AddMonths clamped: the day number does not exist, so § 188 Abs. 3 ends the period on the
    // last day of that month (which is what AddMonths returned).
    return same_number;
  }
  return same_number.AddDays(-1);
}

int FullYearsBefore(Date first_day, Date day) {
  if (day <= first_day) {
    return 0;
  }
  // Estimate from the calendar years, then correct by at most one.
  int years = day.year() - first_day.year();
  while (years > 0 && DayAfterMonthsFromStartOfDay(first_day, int64_t{years} * 12) > day) {
    --years;
  }
  while (DayAfterMonthsFromStartOfDay(first_day, int64_t{years + 1} * 12) <= day) {
    ++years;
  }
  return years;
}

int FullMonthsInSpan(Date first, Date last) {
  if (last < first) {
    return 0;
  }
  int months = (last.year() - first.year()) * 12 + (last.month() - first.month()) + 1;
  while (months > 0 && EndOfMonthsFromStartOfDay(first, months) > last) {
    --months;
  }
  return months;
}

}  // namespace fairdesk::labour_law
