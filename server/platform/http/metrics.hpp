#pragma once
/// Prometheus metrics: requests and latency per route pattern and status, plus gauges that other
/// modules register (database pool, sessions). Rendered by GET /metrics.

#include <array>
#include <atomic>
#include <string_view>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace fairdesk::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  /// `method` is caller input: anything but the standard methods is counted as "other", so that
  /// invented methods cannot grow the series without limit.
  void ObserveRequest(std::string_view method, const std::string& route, int status, double seconds);
  void RequestStarted() { ++in_flight_; }
  void RequestFinished() { --in_flight_; }
  std::int64_t InFlight() const { return in_flight_.load(); }
  /// A gauge whose value is read at scrape time.
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  /// A counter (only grows; its name ends in _total) whose value is read at scrape time.
  void AddCounter(std::string name, std::string help, std::function<double()> read);
  std::string Render() const;

 private:
  struct Series {
    std::int64_t count = 0;
    double sum = 0;
    std::array<std::int64_t, kBuckets.size()> buckets{};
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
    std::string_view type;  // "gauge" or "counter"
  };
  std::atomic<std::int64_t> in_flight_{0};
  mutable std::mutex mu_;
  // Transparent comparison: a request looks its series up without allocating the key.
  std::map<std::tuple<std::string, std::string, int>, Series, std::less<>> series_;
  std::vector<Gauge> gauges_;
};

}  // namespace fairdesk::http
