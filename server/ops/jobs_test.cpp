// Scheduled jobs run exactly once per period across app servers (several Database handles on one
// database stand for several processes), on SQLite and PostgreSQL.

#include <gtest/gtest.h>

#include <thread>

#include "db/backends.hpp"
#include "ops/jobs.hpp"
#include "platform/db/job_stats.hpp"

namespace fairdesk::ops {
namespace {
using dbtest::Must;

class JobsTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Must(db::Migrate(db(), Migrations()));
  }
};

TEST_P(JobsTest, EightServersRacingForTheSameDayRunTheJobOnce) {
  std::vector<std::unique_ptr<db::Database>> servers;
  for (int i = 0; i < 4; ++i) servers.push_back(Must(scratch().OpenAnother()));
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      JobRunner runner(t < 4 ? *servers[t] : db(), "server-" + std::to_string(t));
      for (int day = 1; day <= 3; ++day) {
        Must(runner.RunOnce("retention", "2026-03-0" + std::to_string(day), std::chrono::hours(1), [&]() -> Status {
          ++runs;
          return {};
        }));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(runs.load(), 3);  // once per day, not once per server
}

TEST_P(JobsTest, AFailedRunIsRetriedAndAnAbandonedClaimTakenOverAfterItsLease) {
  JobRunner a(db(), "a");
  JobRunner b(db(), "b");
  // Counted per outcome for /metrics (process-wide counters: compared with what they were).
  auto runs = [](db::JobOutcome o) { return db::JobRuns("retention", o); };
  const auto failures0 = runs(db::JobOutcome::kFailed), succeeded0 = runs(db::JobOutcome::kSucceeded),
             skipped0 = runs(db::JobOutcome::kSkipped), stopped0 = runs(db::JobOutcome::kStopped);
  auto failed = a.RunOnce("retention", "2026-03-01", std::chrono::hours(1),
                          []() -> Status { return Fail(Error::Unavailable("database gone")); });
  EXPECT_FALSE(failed);
  EXPECT_EQ(runs(db::JobOutcome::kFailed), failures0 + 1);
  // The claim was given back: the next attempt (here by b) runs it.
  EXPECT_TRUE(Must(b.RunOnce("retention", "2026-03-01", std::chrono::hours(1), [] { return Status{}; })));
  EXPECT_FALSE(Must(a.RunOnce("retention", "2026-03-01", std::chrono::hours(1), [] { return Status{}; })));
  EXPECT_EQ(runs(db::JobOutcome::kSucceeded), succeeded0 + 1);
  EXPECT_EQ(runs(db::JobOutcome::kSkipped), skipped0 + 1);
  // A run that stops for shutdown gives its claim back without counting as a failure.
  EXPECT_FALSE(a.RunOnce("retention", "2026-03-03", std::chrono::hours(1), []() -> Status { return Fail(JobStopped()); }));
  EXPECT_EQ(runs(db::JobOutcome::kStopped), stopped0 + 1);
  EXPECT_EQ(runs(db::JobOutcome::kFailed), failures0 + 1);
  EXPECT_TRUE(Must(b.RunOnce("retention", "2026-03-03", std::chrono::hours(1), [] { return Status{}; })));

  // a claims the next day and "dies" inside the job (never finishes): within the lease b keeps
  // off; with a lease of 0 seconds the claim counts as abandoned and b takes over.
  bool b_ran = false;
  Must(a.RunOnce("retention", "2026-03-02", std::chrono::hours(1), [&]() -> Status {
    EXPECT_FALSE(Must(b.RunOnce("retention", "2026-03-02", std::chrono::hours(1), [] { return Status{}; })));
    b_ran = Must(b.RunOnce("retention", "2026-03-02", std::chrono::seconds(-1), [] { return Status{}; }));
    return {};
  }));
  EXPECT_TRUE(b_ran);
}

FAIRDESK_INSTANTIATE_BACKENDS(JobsTest);

}  // namespace
}  // namespace fairdesk::ops
