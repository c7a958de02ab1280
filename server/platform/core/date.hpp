#pragma once
/// Civil dates (proleptic Gregorian, no time zone) and calendar months as small value types.
/// Legal deadlines are computed on these, never on time stamps, so that time zones and daylight
/// saving can never move a deadline by a day.

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace fairdesk {

enum class Weekday : int {
  kMonday = 1,
  kTuesday = 2,
  kWednesday = 3,
  kThursday = 4,
  kFriday = 5,
  kSaturday = 6,
  kSunday = 7,
};

/// True for leap years of the Gregorian calendar.
constexpr bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/// Number of days of `month` (1..12) in `year`.
constexpr int DaysInMonth(int year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) {
    return 29;
  }
  return kDays[month - 1];
}

/// A calendar date. Stored as days since 1970-01-01 so that arithmetic and comparison are cheap.
/// Years outside 1..9999 cannot be parsed or built from parts; arithmetic may leave that range
/// only through the caller's own fault, and callers bound their inputs well inside it.
class Date {
 public:
  static constexpr int kMinYear = 1;
  static constexpr int kMaxYear = 9999;

  /// 1970-01-01.
  constexpr Date() = default;

  /// The date year-month-day, or nullopt if it does not exist (2026-02-30) or is out of range.
  static std::optional<Date> FromYmd(int year, int month, int day);

  /// Like FromYmd for parts the caller knows to be valid (compile-time tables, tests).
  /// An invalid date is a programmer error and aborts.
  static Date Ymd(int year, int month, int day);

  static constexpr Date FromDaysSinceEpoch(int64_t days) { return Date(days); }

  /// Strict `YYYY-MM-DD`: exactly ten characters, ASCII digits, an existing date.
  static std::optional<Date> Parse(std::string_view text);

  int year() const;
  int month() const;
  int day() const;
  constexpr int64_t DaysSinceEpoch() const { return days_; }

  Weekday weekday() const;
  bool IsSaturdayOrSunday() const;

  /// `YYYY-MM-DD`.
  std::string ToString() const;

  Date AddDays(int64_t days) const { return Date(days_ + days); }

  /// Adds calendar months. Where the day does not exist in the target month the result is that
  /// month's last day — the rule of § 188 Abs. 3 BGB (31 January + 1 month = 28/29 February).
  Date AddMonths(int64_t months) const;

  /// Adds calendar years; 29 February becomes 28 February in a common year (§ 188 Abs. 3 BGB).
  Date AddYears(int64_t years) const { return AddMonths(years * 12); }

  Date FirstOfMonth() const;
  Date LastOfMonth() const;

  friend constexpr auto operator<=>(Date a, Date b) = default;
  friend constexpr bool operator==(Date a, Date b) = default;

 private:
  explicit constexpr Date(int64_t days) : days_(days) {}
  int64_t days_ = 0;
};

/// Writes `YYYY-MM-DD` (for test output and logs).
std::ostream& operator<<(std::ostream& os, Date date);

/// `to` minus `from` in days (negative when `to` is earlier).
constexpr int64_t DaysBetween(Date from, Date to) { return to.DaysSinceEpoch() - from.DaysSinceEpoch(); }

/// A calendar month such as 2026-03, for monthly pay periods.
class YearMonth {
 public:
  constexpr YearMonth() = default;

  /// nullopt unless 1 <= month <= 12 and the year is within Date's range.
  static std::optional<YearMonth> FromYm(int year, int month);

  /// Strict `YYYY-MM`.
  static std::optional<YearMonth> Parse(std::string_view text);

  static YearMonth Of(Date date) { return YearMonth(date.year(), date.month()); }

  constexpr int year() const { return year_; }
  constexpr int month() const { return month_; }

  Date FirstDay() const { return Date::Ymd(year_, month_, 1); }
  Date LastDay() const { return Date::Ymd(year_, month_, DaysInMonth(year_, month_)); }
  int DayCount() const { return DaysInMonth(year_, month_); }

  /// Months counted from year 0, so that differences between months are plain subtraction.
  constexpr int64_t Index() const { return int64_t{year_} * 12 + (month_ - 1); }
  YearMonth AddMonths(int64_t months) const;

  /// `YYYY-MM`.
  std::string ToString() const;

  friend constexpr auto operator<=>(YearMonth a, YearMonth b) = default;
  friend constexpr bool operator==(YearMonth a, YearMonth b) = default;

 private:
  constexpr YearMonth(int year, int month) : year_(year), month_(month) {}
  int year_ = 1970;
  int month_ = 1;
};

std::ostream& operator<<(std::ostream& os, YearMonth month);

}  // namespace fairdesk
