#pragma once
/// Scheduled jobs (retention, and whatever module adds one) that run exactly once per period
/// across every app server on one database. Each server, when a job is due, tries to claim
/// (job, period) in the table job_runs; only the server whose INSERT succeeds runs the job. The
/// claim is a row, not a lock held on a connection, so it works alike on SQLite and PostgreSQL
/// and survives a reconnect. A claim that is not finished within its lease (the server died) may
/// be taken over by another server; a run that fails gives its claim back, so it is retried.

#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::ops {

/// Table job_runs (versions 700-709).
std::span<const db::Migration> Migrations();

class JobRunner {
 public:
  /// `holder`: who claims (host name and process id; shown in job_runs.claimed_by).
  JobRunner(db::Database& db, std::string holder) : db_(db), holder_(std::move(holder)) {}

  /// Runs `fn` if no server has claimed (job, period) yet, or the claim is older than `lease`
  /// and unfinished. Answers whether this process ran it (and `fn`'s error when it failed; an
  /// error with kJobStoppedSlug when `fn` stopped early, see JobStopped()). Every call is counted
  /// in /metrics under `job` (db::ObserveJob: succeeded, failed, skipped or stopped).
  Result<bool> RunOnce(std::string_view job, std::string_view period, std::chrono::seconds lease,
                       const std::function<Status()>& fn);

 private:
  db::Database& db_;
  std::string holder_;
};

/// The slug of the error a job answers when it stopped early because the server is shutting
/// down (`JobStopped()`): what it did is committed, its claim is given back (not counted as a
/// failure), so the next run (this server's next start, or another server) goes on with the rest.
inline constexpr std::string_view kJobStoppedSlug = "job-stopped";
Error JobStopped();

/// "host:pid", for JobRunner.
std::string ProcessHolder();

}  // namespace fairdesk::ops
