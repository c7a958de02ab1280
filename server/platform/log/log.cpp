#include "platform/log/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

#include <atomic>
#include <chrono>

#include <fmt/chrono.h>

namespace fairdesk::log {
namespace {
std::atomic<Level> g_min_level{Level::kInfo};

// Lines are formatted on the caller's thread (a few hundred nanoseconds) and written by one
// background thread, so a request never waits for a write(2). spdlog's stderr sink flushes after
// every line, so the 64 KiB buffer below and flush_every only bound what a crash can lose.
std::shared_ptr<spdlog::logger> Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    static char buffer[1 << 16];
    std::setvbuf(stderr, buffer, _IOFBF, sizeof buffer);
    spdlog::init_thread_pool(16384, 1);
    auto l = spdlog::create_async<spdlog::sinks::stderr_sink_mt>("fairdesk");
    l->set_pattern("%v");
    l->flush_on(spdlog::level::warn);
    spdlog::flush_every(std::chrono::seconds(1));
    std::atexit([] {
      spdlog::shutdown();  // drains the queue
      std::fflush(stderr);
    });
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
  // {"ts":…,"level":…,"event":…, then the caller's fields: one serialisation, no second object.
  fields.erase("ts");
  fields.erase("level");
  fields.erase("event");
  std::string line = fmt::format(R"({{"ts":"{:%Y-%m-%dT%H:%M:%S}Z","level":"{}","event":{})",
                                 std::chrono::floor<std::chrono::milliseconds>(now), LevelName(level),
                                 boost::json::serialize(boost::json::value(event)));
  if (!fields.empty()) {
    std::string rest = boost::json::serialize(fields);
    line += ',';
    line.append(rest, 1, std::string::npos);  // without the opening brace
  } else {
    line += '}';
  }
  auto& logger = *Logger();
  if (level >= Level::kWarn) {
    logger.warn(line);  // flushed at once (flush_on warn)
  } else {
    logger.info(line);
  }
}

}  // namespace fairdesk::log
