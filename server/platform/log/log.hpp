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
/// While one is alive on a thread, the events that thread logs carry `"request_id"` (unless they
/// name one themselves): the HTTP server opens one around each handler, so a sign-in failure or a
/// warning logged deep inside a service can be found beside its request's line.
class RequestScope {
 public:
  explicit RequestScope(std::string_view request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string_view previous_;
};

inline void Info(std::string_view event, boost::json::object fields = {}) { Event(Level::kInfo, event, std::move(fields)); }
inline void Warn(std::string_view event, boost::json::object fields = {}) { Event(Level::kWarn, event, std::move(fields)); }
inline void Error(std::string_view event, boost::json::object fields = {}) { Event(Level::kError, event, std::move(fields)); }

}  // namespace fairdesk::log
