#pragma once
// Helpers shared by the SQLite and PostgreSQL adapters; not for module stores.

#include <span>
#include <string_view>

#include "platform/db/database.hpp"

namespace fairdesk::db::detail {

/// PostgreSQL rejects text with NUL characters or invalid UTF-8; SQLite would store it. Both
/// adapters check text parameters up front so that a store behaves the same on either backend.
Status CheckTextParams(std::string_view query_name, std::span<const Value> params);

/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace fairdesk::db::detail
