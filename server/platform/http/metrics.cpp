#include "platform/http/metrics.hpp"

#include <fmt/format.h>

#include "platform/core/prometheus.hpp"

namespace fairdesk::http {

void Metrics::ObserveRequest(std::string_view method, const std::string& route, int status, double seconds) {
  static constexpr std::string_view kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  std::string_view label = "other";
  for (auto k : kKnown) {
    if (k == method) label = k;
  }
  const std::tuple<std::string_view, std::string_view, int> key{label, route, status};
  std::lock_guard lock(mu_);
  auto it = series_.find(key);
  if (it == series_.end()) it = series_.emplace(std::tuple<std::string, std::string, int>{label, route, status}, Series{}).first;
  Series& s = it->second;
  ++s.count;
  s.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read), "gauge"});
}

void Metrics::AddCounter(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read), "counter"});
}

std::string Metrics::Render() const {
  // Copy under the lock, render and read the gauges (which may query the database) outside it,
  // so that a scrape never holds up the requests that record their observations.
  decltype(series_) series;
  std::vector<Gauge> gauges;
  {
    std::lock_guard lock(mu_);
    series = series_;
    gauges = gauges_;
  }
  std::string out;
  out += "# HELP fairdesk_http_requests_in_flight Requests read but not yet answered.\n";
  out += "# TYPE fairdesk_http_requests_in_flight gauge\n";
  out += fmt::format("fairdesk_http_requests_in_flight {}\n", InFlight());
  out += "# HELP fairdesk_http_requests_total HTTP requests by route pattern and status.\n";
  out += "# TYPE fairdesk_http_requests_total counter\n";
  for (const auto& [key, s] : series) {
    const auto& [method, route, status] = key;
    out += fmt::format("fairdesk_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method,
                       route, status, s.count);
  }
  out += "# HELP fairdesk_http_request_duration_seconds Request latency by route pattern and status.\n";
  out += "# TYPE fairdesk_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series) {
    const auto& [method, route, status] = key;
    prometheus::AppendHistogram(out, "fairdesk_http_request_duration_seconds",
                                fmt::format("method=\"{}\",route=\"{}\",status=\"{}\"", method, route, status),
                                kBuckets, s.buckets, s.count, s.sum);
  }
  for (const auto& g : gauges) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", g.name, g.help, g.name, g.type, g.name, g.read());
  }
  return out;
}

}  // namespace fairdesk::http
