#pragma once
/// iCalendar (RFC 5545) output, pure. One VCALENDAR with a VTIMEZONE for Europe/Berlin and one
/// VEVENT per session: CRLF line ends, lines folded at 75 octets without splitting a UTF-8
/// sequence (§ 3.1), TEXT escaped (§ 3.3.11), DTSTART/DTEND as local times with TZID, a stable
/// UID per session, SEQUENCE from the event (raised on every change), STATUS:CANCELLED for
/// cancelled events (they stay in the calendar, § 3.8.1.11).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::events::ical {

struct Entry {
  std::string uid;           // stable, e.g. "ses_…@fairdesk"
  std::string summary;
  std::string description;
  std::string location;
  std::string url;
  std::string start_local;   // YYYY-MM-DDTHH:MM, Europe/Berlin
  std::string end_local;
  std::int64_t sequence = 0;
  std::int64_t stamp = 0;    // DTSTAMP / LAST-MODIFIED, unix seconds
  std::string status;        // CONFIRMED, TENTATIVE or CANCELLED
  std::vector<std::string> categories;
};

/// The whole calendar. `name` becomes X-WR-CALNAME (shown by most clients).
std::string Calendar(std::string_view name, const std::vector<Entry>& entries);

/// TEXT escaping of § 3.3.11: backslash, semicolon, comma, newline.
std::string EscapeText(std::string_view text);

/// Folds one content line (without its CRLF) at 75 octets, never inside a UTF-8 sequence;
/// answers it with CRLF ends.
std::string Fold(std::string_view line);

}  // namespace fairdesk::events::ical
