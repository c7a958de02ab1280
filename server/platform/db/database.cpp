#include "platform/db/database.hpp"

#include <charconv>
#include <stdexcept>

namespace fairdesk::db {

namespace {

const std::string& Column(const std::vector<std::optional<std::string>>& cols, std::size_t i) {
  const auto& col = cols.at(i);
  if (!col) {
    // The message names the column, never its neighbours' values: rows may hold personal data.
    throw std::logic_error("db::Row: column " + std::to_string(i) + " is NULL");
  }
  return *col;
}

}  // namespace

const std::string& Row::Text(std::size_t i) const { return Column(cols_, i); }

Blob Row::Bytes(std::size_t i) const {
  const std::string& text = Column(cols_, i);
  return Blob{std::vector<unsigned char>(text.begin(), text.end())};
}

std::int64_t Row::Int(std::size_t i) const {
  const std::string& text = Column(cols_, i);
  // PostgreSQL renders boolean results as t/f in text format; SQLite has no booleans.
  if (text == "t" || text == "true") {
    return 1;
  }
  if (text == "f" || text == "false") {
    return 0;
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    throw std::logic_error("db::Row: column " + std::to_string(i) + " is not an integer");
  }
  return value;
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) {
    return std::nullopt;
  }
  return Int(i);
}

Result<std::optional<Row>> Session::MaybeOne(const db::Query& q, std::span<const Value> params) {
  Rows rows = FD_TRY(Query(q, params));
  if (rows.empty()) {
    return std::optional<Row>{};
  }
  if (rows.size() > 1) {
    return Fail(Error::Internal(std::string(q.name) + ": expected at most one row, got " +
                                std::to_string(rows.size())));
  }
  return std::optional<Row>{std::move(rows.front())};
}

Result<std::vector<Rows>> Session::QueryAll(std::span<const Statement> statements) {
  std::vector<Rows> out;
  out.reserve(statements.size());
  for (const auto& st : statements) out.push_back(FD_TRY(Query(*st.query, st.params)));
  return out;
}

Result<Row> Session::One(const db::Query& q, std::span<const Value> params) {
  std::optional<Row> row = FD_TRY(MaybeOne(q, params));
  if (!row) {
    return Fail(Error::NotFound());
  }
  return std::move(*row);
}

}  // namespace fairdesk::db
