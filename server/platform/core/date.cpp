#include "platform/core/date.hpp"

#include <cstdio>
#include <cstdlib>
#include <ostream>

namespace fairdesk {
namespace {

struct Civil {
  int64_t year;
  int month;
  int day;
};

// Days since 1970-01-01 for a proleptic Gregorian date. The calendar is shifted so that the
// year starts on 1 March; February, with its leap day, is then the last month, and the days
// before a month follow the closed form (153 * m + 2) / 5. Eras of 400 years repeat exactly.
int64_t DaysFromCivil(int64_t year, int month, int day) {
  const int64_t y = month <= 2 ? year - 1 : year;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                             // [0, 399]
  const int64_t shifted_month = month > 2 ? month - 3 : month + 9;       // March = 0
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;   // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468 days from 0000-03-01 to 1970-01-01
}

// The inverse of DaysFromCivil.
Civil CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;  // March = 0
  const int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

// Reads exactly `count` ASCII digits; std::from_chars would also accept what we must reject.
std::optional<int> Digits(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<Date> Date::FromYmd(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  return Date(DaysFromCivil(year, month, day));
}

Date Date::Ymd(int year, int month, int day) {
  const auto date = FromYmd(year, month, day);
  if (!date) {
    std::fprintf(stderr, "fairdesk: invalid date literal %d-%d-%d\n", year, month, day);
    std::abort();
  }
  return *date;
}

std::optional<Date> Date::Parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const auto year = Digits(text, 0, 4);
  const auto month = Digits(text, 5, 2);
  const auto day = Digits(text, 8, 2);
  if (!year || !month || !day) {
    return std::nullopt;
  }
  return FromYmd(*year, *month, *day);
}

int Date::year() const { return static_cast<int>(CivilFromDays(days_).year); }
int Date::month() const { return CivilFromDays(days_).month; }
int Date::day() const { return CivilFromDays(days_).day; }

Weekday Date::weekday() const {
  // 1970-01-01 was a Thursday (ISO weekday 4).
  int64_t offset = (days_ + 3) % 7;
  if (offset < 0) {
    offset += 7;
  }
  return static_cast<Weekday>(offset + 1);
}

bool Date::IsSaturdayOrSunday() const {
  const Weekday w = weekday();
  return w == Weekday::kSaturday || w == Weekday::kSunday;
}

std::string Date::ToString() const {
  const Civil c = CivilFromDays(days_);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02d", static_cast<long long>(c.year), c.month, c.day);
  return buffer;
}

Date Date::AddMonths(int64_t months) const {
  const Civil c = CivilFromDays(days_);
  const int64_t index = c.year * 12 + (c.month - 1) + months;
  const int64_t year = index >= 0 ? index / 12 : (index - 11) / 12;
  const int month = static_cast<int>(index - year * 12) + 1;
  const int last = DaysInMonth(static_cast<int>(year % 400 + 400), month);  // leap cycle is 400 years
  return Date(DaysFromCivil(year, month, c.day < last ? c.day : last));
}

Date Date::FirstOfMonth() const {
  const Civil c = CivilFromDays(days_);
  return Date(DaysFromCivil(c.year, c.month, 1));
}

Date Date::LastOfMonth() const {
  const Civil c = CivilFromDays(days_);
  return Date(DaysFromCivil(c.year, c.month, DaysInMonth(static_cast<int>(c.year % 400 + 400), c.month)));
}

std::optional<YearMonth> YearMonth::FromYm(int year, int month) {
  if (year < Date::kMinYear || year > Date::kMaxYear || month < 1 || month > 12) {
    return std::nullopt;
  }
  return YearMonth(year, month);
}

std::optional<YearMonth> YearMonth::Parse(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') {
    return std::nullopt;
  }
  const auto year = Digits(text, 0, 4);
  const auto month = Digits(text, 5, 2);
  if (!year || !month) {
    return std::nullopt;
  }
  return FromYm(*year, *month);
}

YearMonth YearMonth::AddMonths(int64_t months) const {
  const int64_t index = Index() + months;
  const int64_t year = index >= 0 ? index / 12 : (index - 11) / 12;
  return YearMonth(static_cast<int>(year), static_cast<int>(index - year * 12) + 1);
}

std::string YearMonth::ToString() const {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", year_, month_);
  return buffer;
}

std::ostream& operator<<(std::ostream& os, Date date) { return os << date.ToString(); }
std::ostream& operator<<(std::ostream& os, YearMonth month) { return os << month.ToString(); }

}  // namespace fairdesk
