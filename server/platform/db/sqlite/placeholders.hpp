#pragma once

#include <string>
#include <string_view>

namespace fairdesk::db::sqlite {

/// Rewrites PostgreSQL placeholders ($1, $2, ...) to SQLite's numbered form (?1, ?2, ...), which
/// keeps the numbering, so a parameter may be used twice. Text inside string literals, quoted
/// identifiers and comments is left alone: '$1' stays a literal.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace fairdesk::db::sqlite
