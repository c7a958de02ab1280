#pragma once
/// The one clock of the server. Tests shift it by starting the binary with
/// FAIRDESK_CLOCK_OFFSET_SECONDS (for example to let a session expire across a restart on the
/// same database); nothing else reads the system clock directly.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace fairdesk::clock {

void SetOffsetSeconds(std::int64_t seconds);
/// Unit tests only: stops the clock at `unix_seconds` (the offset still applies), so that a test
/// of time-dependent rules (sign-in back-off, session expiry) does not depend on how long the
/// machine takes between two steps; std::nullopt lets it run again.
void FreezeAt(std::optional<std::int64_t> unix_seconds);
std::chrono::system_clock::time_point Now();
std::int64_t NowUnix();
/// RFC 3339 in UTC, seconds precision: 2026-03-06T09:30:00Z.
std::string FormatRfc3339(std::int64_t unix_seconds);
/// Today's date in Germany (Europe/Berlin), YYYY-MM-DD: the date deadlines are measured against.
std::string TodayIso();

}  // namespace fairdesk::clock
