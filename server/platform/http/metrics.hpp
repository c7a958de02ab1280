#pragma once
/// Prometheus metrics: requests and latency per route pattern and status, plus gauges that other
/// modules register (database pool, sessions). Rendered by GET /metrics.

#include <array>
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

  void ObserveRequest(const std::string& method, const std::string& route, int status, double seconds);
  /// A gauge whose value is read at scrape time.
  void AddGauge(std::string name, std::string help, std::function<double()> read);
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
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, Series> series_;
  std::vector<Gauge> gauges_;
};

}  // namespace fairdesk::http
