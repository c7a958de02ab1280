#include "platform/log/log.hpp"
#include "platform/log/request_line.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>

namespace fairdesk::log {
namespace {
std::atomic<Level> g_min_level{Level::kInfo};
thread_local std::string_view t_request_id;  // set by RequestScope

// The line of each answered request (log::Request, the one written for every request) is
// formatted on the request's thread and appended to an in-memory buffer under a mutex: a copy of
// a couple of hundred bytes, no system call, no wake-up of another thread. A background thread
// writes the buffer to standard error every 250 ms, or at once when it holds 64 KiB. Every other
// event (log::Event: start-up, sign-in failures, jobs, warnings, errors; rare next to requests)
// is written by its caller before it returns, after the buffered request lines, so it is on
// standard error before the answer that caused it leaves (tests and operators read them at once).
// A SIGKILL may lose the last quarter of a second of request lines; exit() writes everything.
class Writer {
 public:
  static constexpr std::size_t kFlushAt = 1 << 16;
  // Beyond this (standard error blocked), the appending thread writes itself: memory stays bounded.
  static constexpr std::size_t kMaxBuffered = 4 << 20;

  Writer() {
    buffer_.reserve(kFlushAt * 2);
    thread_ = std::thread([this] { Run(); });
    thread_.detach();  // lives until exit; exit() flushes through the atexit handler
  }

  void Append(std::string_view line, bool urgent) {
    bool write_now = urgent;
    {
      std::lock_guard lock(mu_);
      buffer_.append(line);
      buffer_.push_back('\n');
      if (buffer_.size() >= kMaxBuffered) write_now = true;
      else if (buffer_.size() >= kFlushAt && !full_) {
        full_ = true;
        cv_.notify_one();
      }
    }
    if (write_now) Flush();
  }

  // Writes what is buffered; lines reach standard error in the order they were appended (the
  // buffer is taken and written under write_mu_).
  void Flush() {
    std::lock_guard write_lock(write_mu_);
    {
      std::lock_guard lock(mu_);
      if (buffer_.empty()) return;
      out_.swap(buffer_);
      full_ = false;
    }
    const char* p = out_.data();
    std::size_t left = out_.size();
    while (left > 0) {
      ssize_t n = ::write(STDERR_FILENO, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        break;  // nowhere to write to: the lines are dropped, the server goes on
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    out_.clear();
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return full_; });
      lock.unlock();
      Flush();
      lock.lock();
    }
  }

  std::mutex mu_;  // buffer_, full_
  std::condition_variable cv_;
  std::string buffer_;
  bool full_ = false;
  std::mutex write_mu_;  // out_ and the order of writes
  std::string out_;
  std::thread thread_;
};

Writer& TheWriter() {
  static Writer* writer = [] {
    auto* w = new Writer();  // never destroyed: other threads may log while the process exits
    std::atexit([] { TheWriter().Flush(); });
    return w;
  }();
  return *writer;
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

// `{"ts":"2026-12-07T01:44:10.123Z","level":"info","event":`; the date and time up to the second
// are formatted once per second and thread, the milliseconds every time.
void AppendHead(std::string& line, Level level) {
  thread_local std::time_t cached_second = -1;
  thread_local char cached[32];
  const auto now = std::chrono::system_clock::now();
  const std::time_t second = std::chrono::system_clock::to_time_t(now);
  if (second != cached_second) {
    std::tm tm{};
    ::gmtime_r(&second, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = second;
  }
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  line += R"({"ts":")";
  line += cached;
  const char fraction[] = {'.', static_cast<char>('0' + millis / 100), static_cast<char>('0' + millis / 10 % 10),
                           static_cast<char>('0' + millis % 10), 'Z'};
  line.append(fraction, sizeof fraction);
  line += R"(","level":")";
  line += LevelName(level);
  line += R"(","event":)";
}

// A JSON string literal of `s` (quotes, backslashes and control characters escaped).
void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
    } else {
      out += c;
    }
  }
  out += '"';
}
}  // namespace

void Init(Level min_level) {
  g_min_level = min_level;
  TheWriter();
}

bool Enabled(Level level) { return level >= g_min_level.load(std::memory_order_relaxed); }

void Event(Level level, std::string_view event, boost::json::object fields) {
  if (level < g_min_level.load()) return;
  // {"ts":…,"level":…,"event":…, then the caller's fields: one serialisation, no second object.
  fields.erase("ts");
  fields.erase("level");
  fields.erase("event");
  if (!t_request_id.empty() && !fields.contains("request_id")) fields["request_id"] = t_request_id;
  std::string line;
  line.reserve(160);
  AppendHead(line, level);
  AppendJsonString(line, event);
  if (!fields.empty()) {
    std::string rest = boost::json::serialize(fields);
    line += ',';
    line.append(rest, 1, std::string::npos);  // without the opening brace
  } else {
    line += '}';
  }
  TheWriter().Append(line, /*urgent=*/true);
}

RequestScope::RequestScope(std::string_view request_id) : previous_(t_request_id) { t_request_id = request_id; }
RequestScope::~RequestScope() { t_request_id = previous_; }

void Request(std::string_view request_id, std::string_view method, std::string_view route, int status,
             double duration_ms) {
  if (Level::kInfo < g_min_level.load(std::memory_order_relaxed)) return;
  thread_local std::string line;
  line.clear();
  AppendHead(line, Level::kInfo);
  line += R"("request","request_id":)";
  AppendJsonString(line, request_id);
  line += R"(,"method":)";
  AppendJsonString(line, method);
  line += R"(,"route":)";
  AppendJsonString(line, route);
  fmt::format_to(std::back_inserter(line), R"(,"status":{},"duration_ms":{:.3f}}})", status, duration_ms);
  TheWriter().Append(line, false);
}

}  // namespace fairdesk::log
