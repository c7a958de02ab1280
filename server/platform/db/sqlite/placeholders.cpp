#include "platform/db/sqlite/placeholders.hpp"

#include <cctype>

namespace fairdesk::db::sqlite {

namespace {

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Copies a quoted section starting at sql[i] (the opening quote) and answers the index after it.
// A doubled quote inside is an escaped quote in both dialects; an unterminated section runs to
// the end, where SQLite will report the syntax error.
std::size_t CopyQuoted(std::string_view sql, std::size_t i, std::string& out) {
  const char quote = sql[i];
  out.push_back(sql[i++]);
  while (i < sql.size()) {
    out.push_back(sql[i]);
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        out.push_back(sql[i + 1]);
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return i;
}

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      i = CopyQuoted(sql, i, out);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t end = sql.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '$' && i + 1 < sql.size() && IsDigit(sql[i + 1])) {
      out.push_back('?');
      ++i;
      while (i < sql.size() && IsDigit(sql[i])) {
        out.push_back(sql[i++]);
      }
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

}  // namespace fairdesk::db::sqlite
