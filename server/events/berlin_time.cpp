#include "events/berlin_time.hpp"

#include <fmt/format.h>

#include "platform/core/date.hpp"

namespace fairdesk::events {
namespace {

std::int64_t DaysOf(int y, int m, int d) { return Date::Ymd(y, m, d).DaysSinceEpoch(); }

int LastSunday(int year, int month) {
  int last = DaysInMonth(year, month);
  Date d = Date::Ymd(year, month, last);
  int wd = static_cast<int>(d.weekday());  // 1 = Monday … 7 = Sunday
  return last - (wd % 7);
}

// The instants (UTC) at which summer time starts and ends in `year`.
std::int64_t SummerStart(int year) { return DaysOf(year, 3, LastSunday(year, 3)) * 86400 + 3600; }
std::int64_t SummerEnd(int year) { return DaysOf(year, 10, LastSunday(year, 10)) * 86400 + 3600; }

bool Digits(std::string_view s, std::size_t from, std::size_t n, int& out) {
  out = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::string LocalTime::ToString() const {
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}", year, month, day, hour, minute);
}
std::string LocalTime::Date() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

std::optional<LocalTime> ParseLocalTime(std::string_view s) {
  if (s.size() != 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':') return std::nullopt;
  LocalTime t;
  if (!Digits(s, 0, 4, t.year) || !Digits(s, 5, 2, t.month) || !Digits(s, 8, 2, t.day) || !Digits(s, 11, 2, t.hour) ||
      !Digits(s, 14, 2, t.minute)) {
    return std::nullopt;
  }
  if (t.year < 2000 || t.year > 2100 || t.hour > 23 || t.minute > 59) return std::nullopt;
  if (!fairdesk::Date::FromYmd(t.year, t.month, t.day)) return std::nullopt;
  return t;
}

LocalKind Classify(const LocalTime& t) {
  if (t.hour == 2 && t.month == 3 && t.day == LastSunday(t.year, 3)) return LocalKind::kNonexistent;
  if (t.hour == 2 && t.month == 10 && t.day == LastSunday(t.year, 10)) return LocalKind::kAmbiguous;
  return LocalKind::kUnique;
}

std::optional<std::int64_t> ToUtc(const LocalTime& t) {
  if (Classify(t) == LocalKind::kNonexistent) return std::nullopt;
  std::int64_t wall = DaysOf(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60;
  // Try summer time first (the first occurrence of an ambiguous hour), then standard time.
  std::int64_t summer = wall - 7200;
  if (summer >= SummerStart(t.year) && summer < SummerEnd(t.year)) return summer;
  return wall - 3600;
}

LocalTime FromUtc(std::int64_t unix_seconds) {
  Date probe = Date::FromDaysSinceEpoch(unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400);
  int year = probe.year();
  bool summer = unix_seconds >= SummerStart(year) && unix_seconds < SummerEnd(year);
  std::int64_t local = unix_seconds + (summer ? 7200 : 3600);
  std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  std::int64_t secs = local - days * 86400;
  Date d = Date::FromDaysSinceEpoch(days);
  return LocalTime{d.year(), d.month(), d.day(), static_cast<int>(secs / 3600), static_cast<int>((secs % 3600) / 60)};
}

std::optional<std::int64_t> EndOfLocalDay(std::string_view date) {
  auto d = fairdesk::Date::Parse(date);
  if (!d || d->year() < 2000 || d->year() > 2100) return std::nullopt;
  Date next = d->AddDays(1);
  return ToUtc(LocalTime{next.year(), next.month(), next.day(), 0, 0});
}

}  // namespace fairdesk::events
