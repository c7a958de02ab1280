#include "platform/db/query_stats.hpp"

#include <fmt/format.h>

#include <map>
#include <mutex>

#include "platform/core/prometheus.hpp"

namespace fairdesk::db {
namespace {

// Sharded by name hash so that concurrent statements of different queries rarely share a lock.
constexpr std::size_t kShards = 16;
struct Shard {
  std::mutex mu;
  std::map<std::string, QuerySeries, std::less<>> series;
};
Shard g_shards[kShards];

}  // namespace

void ObserveQuery(std::string_view name, double seconds, bool ok) {
  Shard& shard = g_shards[std::hash<std::string_view>{}(name) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.series.find(name);
  if (it == shard.series.end()) {
    if (shard.series.size() > 2000) return;  // names come from code; a bound all the same
    it = shard.series.emplace(std::string(name), QuerySeries{.name = std::string(name)}).first;
  }
  QuerySeries& s = it->second;
  ++s.count;
  if (!ok) ++s.errors;
  s.sum += seconds;
  for (std::size_t i = 0; i < kQueryBuckets.size(); ++i) {
    if (seconds <= kQueryBuckets[i]) ++s.buckets[i];
  }
}

std::vector<QuerySeries> QueryStats() {
  std::map<std::string, QuerySeries> all;
  for (auto& shard : g_shards) {
    std::lock_guard lock(shard.mu);
    for (const auto& [name, s] : shard.series) all.emplace(name, s);
  }
  std::vector<QuerySeries> out;
  for (auto& [name, s] : all) out.push_back(std::move(s));
  return out;
}

std::string RenderQueryStats() {
  std::string out;
  auto stats = QueryStats();
  out += "# HELP fairdesk_db_query_duration_seconds Statement latency by query name.\n";
  out += "# TYPE fairdesk_db_query_duration_seconds histogram\n";
  for (const auto& s : stats) {
    prometheus::AppendHistogram(out, "fairdesk_db_query_duration_seconds", fmt::format("query=\"{}\"", s.name),
                                kQueryBuckets, s.buckets, s.count, s.sum);
  }
  out += "# HELP fairdesk_db_query_errors_total Statements that failed, by query name.\n";
  out += "# TYPE fairdesk_db_query_errors_total counter\n";
  for (const auto& s : stats) {
    out += fmt::format("fairdesk_db_query_errors_total{{query=\"{}\"}} {}\n", s.name, s.errors);
  }
  return out;
}

}  // namespace fairdesk::db
