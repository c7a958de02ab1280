#pragma once
/// The one clock of the server. Tests shift it by starting the binary with
/// FAIRDESK_CLOCK_OFFSET_SECONDS (for example to let a session expire across a restart on the
/// same database); nothing else reads the system clock directly.

#include <chrono>
#include <cstdint>
#include <string>

namespace fairdesk::clock {

void SetOffsetSeconds(std::int64_t seconds);
std::chrono::system_clock::time_point Now();
std::int64_t NowUnix();
/// RFC 3339 in UTC, seconds precision: 2026-03-06T09:30:00Z.
std::string FormatRfc3339(std::int64_t unix_seconds);
/// Today's date in Germany (Europe/Berlin), YYYY-MM-DD: the date deadlines are measured against.
std::string TodayIso();

}  // namespace fairdesk::clock
