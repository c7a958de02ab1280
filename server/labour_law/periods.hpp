#pragma once
/// Computing periods under §§ 187, 188 BGB. Two ways a period can begin:
/// - with an event during a day (receipt of a notice, § 187 Abs. 1): that day is not counted, and
///   a period of weeks or months ends on the day with the same weekday or day number;
/// - with the beginning of a day (start of employment, a birthday, § 187 Abs. 2): that day is
///   counted, and the period ends on the day before the one with the same weekday or number.
/// § 188 Abs. 3: where the month has no such day number, the period ends on its last day.

#include <cstdint>

#include "platform/core/date.hpp"

namespace fairdesk::labour_law {

/// Last day of a period of `days` days starting with an event on `event` (§ 187 Abs. 1 BGB).
inline Date EndOfDaysAfterEvent(Date event, int64_t days) { return event.AddDays(days); }

/// Last day of a period of `months` months starting with an event on `event`
/// (§ 187 Abs. 1, § 188 Abs. 2 Alt. 1, Abs. 3 BGB): 31 January + 1 month ends on 28/29 February.
inline Date EndOfMonthsAfterEvent(Date event, int64_t months) { return event.AddMonths(months); }

/// Last day of a period of `days` days beginning with the start of `first_day` (§ 187 Abs. 2 BGB).
inline Date EndOfDaysFromStartOfDay(Date first_day, int64_t days) { return first_day.AddDays(days - 1); }

/// Last day of a period of `months` months beginning with the start of `first_day`
/// (§ 187 Abs. 2, § 188 Abs. 2 Alt. 2, Abs. 3 BGB): from 15 January one month ends on
/// 14 February; from 31 January (or 29/30 January in a common year) on the last day of February.
Date EndOfMonthsFromStartOfDay(Date first_day, int64_t months);

/// The first day after such a period: the day from which `months` months are complete.
inline Date DayAfterMonthsFromStartOfDay(Date first_day, int64_t months) {
  return EndOfMonthsFromStartOfDay(first_day, months).AddDays(1);
}

/// The day on which a person born on `birth_date` reaches `years` years of age (§ 187 Abs. 2
/// Satz 2, § 188 Abs. 2 BGB): the birthday; for 29 February in a common year, 1 March.
inline Date DayOfAge(Date birth_date, int years) { return DayAfterMonthsFromStartOfDay(birth_date, int64_t{years} * 12); }

/// Full years completed by the start of `day` for something that began with the start of
/// `first_day` (0 if `day` is not after it).
int FullYearsBefore(Date first_day, Date day);

/// Full months of a span from the start of `first` to the end of `last`, counted from `first`
/// (§ 188 Abs. 2 Alt. 2, Abs. 3 BGB). 0 if the span is shorter than a month or empty.
int FullMonthsInSpan(Date first, Date last);

}  // namespace fairdesk::labour_law
