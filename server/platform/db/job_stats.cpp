#include "platform/db/job_stats.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>

#include "platform/core/prometheus.hpp"

namespace fairdesk::db {
namespace {

constexpr std::array<double, 10> kJobBuckets = {0.01, 0.1, 0.5, 1, 5, 30, 60, 300, 1800, 3600};
constexpr std::array<std::string_view, 4> kOutcomes = {"succeeded", "failed", "skipped", "stopped"};

struct JobSeries {
  std::array<std::int64_t, kOutcomes.size()> runs{};
  std::int64_t timed = 0;  // runs that ran here (every outcome but skipped)
  double sum = 0;
  std::array<std::int64_t, kJobBuckets.size()> buckets{};
  std::int64_t last_success_unix = 0;
};

// Jobs run a few times per minute at most: one lock is plenty.
std::mutex g_mu;
std::map<std::string, JobSeries, std::less<>>& Series() {
  static auto* series = new std::map<std::string, JobSeries, std::less<>>();
  return *series;
}

}  // namespace

void ObserveJob(std::string_view job, JobOutcome outcome, double seconds) {
  std::lock_guard lock(g_mu);
  auto& all = Series();
  auto it = all.find(job);
  if (it == all.end()) it = all.emplace(std::string(job), JobSeries{}).first;
  JobSeries& s = it->second;
  ++s.runs[static_cast<std::size_t>(outcome)];
  if (outcome == JobOutcome::kSkipped) return;
  ++s.timed;
  s.sum += seconds;
  for (std::size_t i = 0; i < kJobBuckets.size(); ++i) {
    if (seconds <= kJobBuckets[i]) ++s.buckets[i];
  }
  if (outcome == JobOutcome::kSucceeded) {
    s.last_success_unix =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
}

long long JobRuns(std::string_view job, JobOutcome outcome) {
  std::lock_guard lock(g_mu);
  auto it = Series().find(job);
  return it == Series().end() ? 0 : it->second.runs[static_cast<std::size_t>(outcome)];
}

std::string RenderJobStats() {
  std::map<std::string, JobSeries, std::less<>> all;
  {
    std::lock_guard lock(g_mu);
    all = Series();
  }
  std::string out;
  out += "# HELP fairdesk_job_runs_total Scheduled job runs of this process by job and outcome.\n";
  out += "# TYPE fairdesk_job_runs_total counter\n";
  for (const auto& [job, s] : all) {
    for (std::size_t o = 0; o < kOutcomes.size(); ++o) {
      out += fmt::format("fairdesk_job_runs_total{{job=\"{}\",outcome=\"{}\"}} {}\n", job, kOutcomes[o], s.runs[o]);
    }
  }
  out += "# HELP fairdesk_job_duration_seconds Duration of the job runs of this process.\n";
  out += "# TYPE fairdesk_job_duration_seconds histogram\n";
  for (const auto& [job, s] : all) {
    prometheus::AppendHistogram(out, "fairdesk_job_duration_seconds", fmt::format("job=\"{}\"", job), kJobBuckets,
                                s.buckets, s.timed, s.sum);
  }
  out += "# HELP fairdesk_job_last_success_timestamp_seconds End of the last successful run in this process.\n";
  out += "# TYPE fairdesk_job_last_success_timestamp_seconds gauge\n";
  for (const auto& [job, s] : all) {
    out += fmt::format("fairdesk_job_last_success_timestamp_seconds{{job=\"{}\"}} {}\n", job, s.last_success_unix);
  }
  return out;
}

}  // namespace fairdesk::db
