#pragma once
// Helpers shared by the SQLite and PostgreSQL adapters; not for module stores.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "platform/db/database.hpp"

namespace fairdesk::db::detail {

/// PostgreSQL rejects text with NUL characters or invalid UTF-8; SQLite would store it. Both
/// adapters check text parameters up front so that a store behaves the same on either backend.
Status CheckTextParams(std::string_view query_name, std::span<const Value> params);

/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view text);

/// A map keyed by statement text, looked up by a string_view without copying the text: the
/// prepared-statement caches are asked once per query, and a query text is up to a few KB.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};
template <typename V>
using TextMap = std::unordered_map<std::string, V, TextHash, std::equal_to<>>;

}  // namespace fairdesk::db::detail
