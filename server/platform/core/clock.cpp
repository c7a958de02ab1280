#include "platform/core/clock.hpp"

#include <atomic>
#include <climits>
#include <ctime>

#include <fmt/format.h>

namespace fairdesk::clock {
namespace {
std::atomic<std::int64_t> g_offset{0};
constexpr std::int64_t kRunning = INT64_MIN;
std::atomic<std::int64_t> g_frozen{kRunning};
}

void SetOffsetSeconds(std::int64_t seconds) { g_offset = seconds; }

void FreezeAt(std::optional<std::int64_t> unix_seconds) { g_frozen = unix_seconds.value_or(kRunning); }

std::chrono::system_clock::time_point Now() {
  const std::int64_t frozen = g_frozen.load();
  const auto base = frozen == kRunning ? std::chrono::system_clock::now()
                                       : std::chrono::system_clock::time_point(std::chrono::seconds(frozen));
  return base + std::chrono::seconds(g_offset.load());
}

std::int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
}

std::string FormatRfc3339(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

std::string TodayIso() {
  // Central European time: UTC+1, and UTC+2 from the last Sunday of March 01:00 UTC to the last
  // Sunday of October 01:00 UTC (EU summer time directive 2000/84/EC).
  std::int64_t now = NowUnix();
  std::time_t t = static_cast<std::time_t>(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  auto last_sunday = [&](int month) {  // month 0-based; answers the day of month
    std::tm probe{};
    probe.tm_year = utc.tm_year;
    probe.tm_mon = month;
    probe.tm_mday = 31;
    probe.tm_hour = 12;
    std::time_t pt = timegm(&probe);
    std::tm d{};
    gmtime_r(&pt, &d);
    return 31 - d.tm_wday;
  };
  auto at = [&](int month, int day) {
    std::tm x{};
    x.tm_year = utc.tm_year;
    x.tm_mon = month;
    x.tm_mday = day;
    x.tm_hour = 1;
    return static_cast<std::int64_t>(timegm(&x));
  };
  bool summer = now >= at(2, last_sunday(2)) && now < at(9, last_sunday(9));
  std::time_t local = static_cast<std::time_t>(now + (summer ? 7200 : 3600));
  std::tm lt{};
  gmtime_r(&local, &lt);
  return fmt::format("{:04}-{:02}-{:02}", lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday);
}

}  // namespace fairdesk::clock
