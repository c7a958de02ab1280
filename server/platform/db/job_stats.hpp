#pragma once
/// Runs of the scheduled jobs, process-wide (like query_stats): every job (retention, the
/// portal's deletions, the events module's expiry, reminders and mail) records each run by name,
/// and /metrics shows per job how often it ran with which outcome, how long a run took, and when
/// the last successful run ended. Names come from code, never from input.

#include <chrono>
#include <string>
#include <string_view>

namespace fairdesk::db {

enum class JobOutcome {
  kSucceeded,
  kFailed,
  kSkipped,  // due, but another app server had claimed the period
  kStopped,  // ended early because the server is shutting down (not a failure)
};

/// Records one run of `job`; `seconds` is ignored for kSkipped (nothing ran here).
void ObserveJob(std::string_view job, JobOutcome outcome, double seconds);
/// Runs `fn` (answering a Result or Status) and records it under `job`: succeeded or failed, with
/// its duration. For jobs that every server runs on its own (no claim in job_runs).
template <typename Fn>
auto ObserveJobRun(std::string_view job, Fn&& fn) -> decltype(fn()) {
  const auto start = std::chrono::steady_clock::now();
  auto result = fn();
  ObserveJob(job, result ? JobOutcome::kSucceeded : JobOutcome::kFailed,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return result;
}
/// Runs of `job` with `outcome` so far in this process (for tests).
long long JobRuns(std::string_view job, JobOutcome outcome);
/// fairdesk_job_runs_total{job,outcome}, fairdesk_job_duration_seconds{job} and
/// fairdesk_job_last_success_timestamp_seconds{job}, in Prometheus text format.
std::string RenderJobStats();

}  // namespace fairdesk::db
