#include "stats/export.hpp"

namespace fairdesk::stats {
namespace {

std::string Field(std::string_view s, char delimiter) {
  std::string v = SafeText(s);
  if (v.find_first_of(std::string("\"\r\n") + delimiter) == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Value(const Figure& f) { return f.suppressed ? std::string(kSuppressedMark) : std::to_string(f.value.value_or(0)); }

}  // namespace

std::string SafeText(std::string_view s) {
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')) {
    return "'" + std::string(s);
  }
  return std::string(s);
}

std::string TableCsv(const Table& t, char d) {
  std::string out = "\xEF\xBB\xBF";
  const std::string sep(1, d);
  const bool two = !t.col_keys.empty();
  out += Field(t.rows, d);
  if (two) {
    for (const auto& c : t.col_keys) out += sep + Field(c, d);
    out += sep + "total";
  } else {
    out += sep + Field(t.measure, d);
  }
  out += "\r\n";
  const std::size_t C = two ? t.col_keys.size() : 1;
  for (std::size_t i = 0; i < t.row_keys.size(); ++i) {
    out += Field(t.row_keys[i], d);
    for (std::size_t j = 0; j < C; ++j) out += sep + Value(t.cells[i * C + j]);
    if (two) out += sep + Value(t.row_totals[i]);
    out += "\r\n";
  }
  out += "total";
  for (const auto& f : t.col_totals) out += sep + Value(f);
  out += sep + Value(t.total) + "\r\n";
  return out;
}

}  // namespace fairdesk::stats
