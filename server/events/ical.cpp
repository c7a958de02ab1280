#include "events/ical.hpp"

#include <fmt/format.h>

#include "platform/core/clock.hpp"

namespace fairdesk::events::ical {
namespace {

// 2026-03-06T09:30 → 20260306T093000
std::string Basic(std::string_view local) {
  std::string out;
  for (char c : local) {
    if (c != '-' && c != ':') out += c;
  }
  return out + "00";
}

// 2026-03-06T09:30:00Z → 20260306T093000Z
std::string UtcBasic(std::int64_t unix_seconds) {
  std::string out;
  for (char c : clock::FormatRfc3339(unix_seconds)) {
    if (c != '-' && c != ':') out += c;
  }
  return out;
}

// Europe/Berlin since 1996 (EU rule), as tzdata describes it.
constexpr std::string_view kBerlin[] = {
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "X-LIC-LOCATION:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
};

}  // namespace

std::string EscapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\\n";
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      // Other controls are not allowed in TEXT (§ 3.3.11); drop them.
    } else {
      out += c;
    }
  }
  return out;
}

std::string Fold(std::string_view line) {
  std::string out;
  std::size_t limit = 75;  // the first line; continuation lines hold 74 after the leading space
  std::size_t used = 0;
  for (std::size_t i = 0; i < line.size();) {
    auto c = static_cast<unsigned char>(line[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
    if (i + n > line.size()) n = line.size() - i;
    if (used + n > limit) {
      out += "\r\n ";
      used = 1;
    }
    out.append(line.substr(i, n));
    used += n;
    i += n;
  }
  out += "\r\n";
  return out;
}

std::string Calendar(std::string_view name, const std::vector<Entry>& entries) {
  std::string out;
  auto line = [&](std::string_view l) { out += Fold(l); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Fair Integration//fairdesk events//DE");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:" + EscapeText(name));
  line("X-WR-TIMEZONE:Europe/Berlin");
  for (auto l : kBerlin) line(l);
  for (const auto& e : entries) {
    line("BEGIN:VEVENT");
    line("UID:" + e.uid);
    line("DTSTAMP:" + UtcBasic(e.stamp));
    line("LAST-MODIFIED:" + UtcBasic(e.stamp));
    line("DTSTART;TZID=Europe/Berlin:" + Basic(e.start_local));
    line("DTEND;TZID=Europe/Berlin:" + Basic(e.end_local));
    line(fmt::format("SEQUENCE:{}", e.sequence));
    line("SUMMARY:" + EscapeText(e.summary));
    if (!e.description.empty()) line("DESCRIPTION:" + EscapeText(e.description));
    if (!e.location.empty()) line("LOCATION:" + EscapeText(e.location));
    if (!e.url.empty()) line("URL:" + e.url);
    if (!e.categories.empty()) {
      std::string cats;
      for (const auto& c : e.categories) cats += (cats.empty() ? "" : ",") + EscapeText(c);
      line("CATEGORIES:" + cats);
    }
    line("STATUS:" + (e.status.empty() ? std::string("CONFIRMED") : e.status));
    line("TRANSP:OPAQUE");
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace fairdesk::events::ical
