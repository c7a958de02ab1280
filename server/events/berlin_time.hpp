#pragma once
/// Local wall-clock times in Germany (Europe/Berlin) and their instants. Sessions are entered as
/// local times ("2026-03-06T09:30"); they are stored with the UTC instant so that lists, feeds
/// and offers compare instants. Germany follows the EU summer-time rule (Directive 2000/84/EC,
/// in force since 1996): CEST (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday
/// of October 01:00 UTC, CET (UTC+1) otherwise. Years 2000-2100 only (event dates outside are
/// absurd input anyway).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fairdesk::events {

struct LocalTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  std::string ToString() const;  // YYYY-MM-DDTHH:MM
  std::string Date() const;      // YYYY-MM-DD
};

/// Strict `YYYY-MM-DDTHH:MM` (an existing calendar date, 00:00-23:59, year 2000-2100).
std::optional<LocalTime> ParseLocalTime(std::string_view text);

enum class LocalKind { kUnique, kNonexistent, kAmbiguous };

/// Whether the local time exists once, not at all (the hour skipped on the last Sunday of March,
/// 02:00-02:59), or twice (02:00-02:59 on the last Sunday of October).
LocalKind Classify(const LocalTime& t);

/// The UTC instant (unix seconds) of a local time. A nonexistent time answers nullopt; an
/// ambiguous one its first occurrence (summer time), as calendar programs do.
std::optional<std::int64_t> ToUtc(const LocalTime& t);

/// The local time of an instant.
LocalTime FromUtc(std::int64_t unix_seconds);

/// The instant at which the local day `date` (YYYY-MM-DD) ends (the next local midnight).
std::optional<std::int64_t> EndOfLocalDay(std::string_view date);

}  // namespace fairdesk::events
