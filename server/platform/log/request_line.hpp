#pragma once
/// The log line of one answered request (the HTTP server writes one per request, so it has its
/// own path): `{"ts","level":"info","event":"request","request_id","method","route","status",
/// "duration_ms"}`, the same fields as log::Info("request", {...}), formatted without building a
/// JSON object and appended to the log buffer (platform/log/log.cpp), which a background thread
/// writes at least every 250 ms. Nothing is written when the level is above info.

#include <string_view>

namespace fairdesk::log {

void Request(std::string_view request_id, std::string_view method, std::string_view route, int status,
             double duration_ms);

}  // namespace fairdesk::log
