#pragma once
/// Structured JSON logs, one object per line on standard error. Callers pass only non-personal
/// fields: ids, route patterns, statuses, durations, query names. Never request bodies, query
/// strings, names, e-mail addresses or notes.

#include <boost/json.hpp>

#include <string_view>

namespace fairdesk::log {

enum class Level { kDebug, kInfo, kWarn, kError };

void Init(Level min_level);
/// Whether events of `level` are written (to skip building fields that would be dropped).
bool Enabled(Level level);
void Event(Level level, std::string_view event, boost::json::object fields = {});
inline void Info(std::string_view event, boost::json::object fields = {}) { Event(Level::kInfo, event, std::move(fields)); }
inline void Warn(std::string_view event, boost::json::object fields = {}) { Event(Level::kWarn, event, std::move(fields)); }
inline void Error(std::string_view event, boost::json::object fields = {}) { Event(Level::kError, event, std::move(fields)); }

}  // namespace fairdesk::log
