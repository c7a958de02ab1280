#include "platform/log/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>

#include <fmt/chrono.h>

namespace fairdesk::log {
namespace {
std::atomic<Level> g_min_level{Level::kInfo};

std::shared_ptr<spdlog::logger> Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_logger_mt("fairdesk");
    l->set_pattern("%v");
    return l;
  }();
  return logger;
}

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}
}  // namespace

void Init(Level min_level) {
  g_min_level = min_level;
  Logger();
}

bool Enabled(Level level) { return level >= g_min_level.load(std::memory_order_relaxed); }

void Event(Level level, std::string_view event, boost::json::object fields) {
  if (level < g_min_level.load()) return;
  auto now = std::chrono::system_clock::now();
  boost::json::object line;
  line["ts"] = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", std::chrono::floor<std::chrono::milliseconds>(now));
  line["level"] = LevelName(level);
  line["event"] = event;
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  Logger()->info(boost::json::serialize(line));
  if (level >= Level::kWarn) Logger()->flush();
}

}  // namespace fairdesk::log
