#include "ops/jobs.hpp"

#include <unistd.h>

#include <chrono>

#include "platform/core/clock.hpp"
#include "platform/db/job_stats.hpp"

namespace fairdesk::ops {
namespace {

constexpr db::Migration kMigrations[] = {
    {700, "job runs: one row per job and period, claimed by one app server", R"SQL(
CREATE TABLE job_runs (
  job TEXT NOT NULL,
  period TEXT NOT NULL,
  claimed_by TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  PRIMARY KEY (job, period)
);
)SQL",
     {}},
};

constexpr db::Query kClaim{"jobs.claim",
                           "INSERT INTO job_runs (job, period, claimed_by, started_at) VALUES ($1, $2, $3, $4) "
                           "ON CONFLICT DO NOTHING"};
constexpr db::Query kTakeOver{"jobs.take_over",
                              "UPDATE job_runs SET claimed_by = $3, started_at = $4 WHERE job = $1 AND period = $2 "
                              "AND finished_at IS NULL AND started_at < $5"};
constexpr db::Query kFinish{"jobs.finish",
                            "UPDATE job_runs SET finished_at = $4 WHERE job = $1 AND period = $2 AND claimed_by = $3"};
constexpr db::Query kGiveBack{"jobs.give_back",
                              "DELETE FROM job_runs WHERE job = $1 AND period = $2 AND claimed_by = $3 AND "
                              "finished_at IS NULL"};

}  // namespace

std::span<const db::Migration> Migrations() { return kMigrations; }

Error JobStopped() {
  Error e = Error::Unavailable("The job stopped early; the server is shutting down.");
  e.slug = std::string(kJobStoppedSlug);
  return e;
}

std::string ProcessHolder() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

Result<bool> JobRunner::RunOnce(std::string_view job, std::string_view period, std::chrono::seconds lease,
                                const std::function<Status()>& fn) {
  const std::int64_t now = clock::NowUnix();
  bool claimed = false;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    const std::string j(job), p(period);
    claimed = FD_TRY(s.Exec(kClaim, {j, p, holder_, now})) == 1;
    if (!claimed) claimed = FD_TRY(s.Exec(kTakeOver, {j, p, holder_, now, now - lease.count()})) == 1;
    return {};
  }));
  if (!claimed) {
    db::ObserveJob(job, db::JobOutcome::kSkipped, 0);
    return false;
  }
  const auto start = std::chrono::steady_clock::now();
  Status result = fn();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string j(job), p(period);
  if (!result) {
    db::ObserveJob(job, result.error().slug == kJobStoppedSlug ? db::JobOutcome::kStopped : db::JobOutcome::kFailed,
                   seconds);
    (void)db_.Write([&](db::Session& s) -> Status {
      FD_TRY(s.Exec(kGiveBack, {j, p, holder_}));
      return {};
    });
    return Fail(std::move(result.error()));
  }
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    FD_TRY(s.Exec(kFinish, {j, p, holder_, clock::NowUnix()}));
    return {};
  }));
  db::ObserveJob(job, db::JobOutcome::kSucceeded, seconds);
  return true;
}

}  // namespace fairdesk::ops
