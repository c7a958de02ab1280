#pragma once
/// Latency of every named query, process-wide: the adapters time each statement, /metrics shows
/// a histogram per query name (never parameters).

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::db {

inline constexpr std::array<double, 12> kQueryBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                         0.01,   0.025,   0.05,   0.1,   0.25,   1.0};

struct QuerySeries {
  std::string name;
  std::int64_t count = 0;
  std::int64_t errors = 0;
  double sum = 0;
  std::array<std::int64_t, kQueryBuckets.size()> buckets{};
};

void ObserveQuery(std::string_view name, double seconds, bool ok);
/// A copy of every series, by name.
std::vector<QuerySeries> QueryStats();
/// The series in Prometheus text format (fairdesk_db_query_duration_seconds, ..._errors_total).
std::string RenderQueryStats();

/// Times one statement: ObserveQuery when it goes out of scope.
class QueryTimer {
 public:
  explicit QueryTimer(std::string_view name) : name_(name), start_(std::chrono::steady_clock::now()) {}
  ~QueryTimer() {
    ObserveQuery(name_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(), ok_);
  }
  void Failed() { ok_ = false; }
  QueryTimer(const QueryTimer&) = delete;
  QueryTimer& operator=(const QueryTimer&) = delete;

 private:
  std::string_view name_;
  std::chrono::steady_clock::time_point start_;
  bool ok_ = true;
};

}  // namespace fairdesk::db
