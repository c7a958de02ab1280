#include "platform/core/pending.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <thread>

namespace fairdesk {
namespace {

TEST(PendingWork, ScopeSetsTheCurrentCollectorOfThisThreadOnly) {
  EXPECT_EQ(PendingWork::Current(), nullptr);
  PendingWork work;
  {
    PendingWork::Scope scope(work);
    EXPECT_EQ(PendingWork::Current(), &work);
    PendingWork* seen = &work;
    std::thread([&] { seen = PendingWork::Current(); }).join();
    EXPECT_EQ(seen, nullptr);
  }
  EXPECT_EQ(PendingWork::Current(), nullptr);
  EXPECT_FALSE(work.Started());
}

TEST(PendingWork, OnDoneWaitsForEveryItemAndReportsTheFirstFailure) {
  PendingWork work;
  auto first = work.Add();
  auto second = work.Add();
  EXPECT_TRUE(work.Started());
  std::optional<Status> result;
  work.OnDone([&](Status s) { result = std::move(s); });
  EXPECT_FALSE(result);
  std::thread([&] { first(Fail(Error::Unavailable("audit: not committed"))); }).join();
  EXPECT_FALSE(result);
  second({});
  ASSERT_TRUE(result);
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error().kind, ErrorKind::kUnavailable);
}

TEST(PendingWork, OnDoneAfterTheItemsFinishedAnswersAtOnce) {
  PendingWork work;
  work.Add()({});
  std::optional<Status> result;
  work.OnDone([&](Status s) { result = std::move(s); });
  ASSERT_TRUE(result);
  EXPECT_TRUE(*result);
}

TEST(PendingWork, TrackerCountsItemsUntilTheirDoneCallbackReturned) {
  auto tracker = std::make_shared<PendingWork::Tracker>();
  auto work = std::make_unique<PendingWork>(tracker);
  auto item = work->Add();
  auto other = work->Add();
  EXPECT_EQ(tracker->Open(), 2);
  EXPECT_FALSE(tracker->WaitIdle(std::chrono::steady_clock::now()));
  bool done = false;
  work->OnDone([&](Status) { done = true; });
  other({});
  EXPECT_EQ(tracker->Open(), 1);
  // The collector's owner may free it once it was answered; the tracker is still counted down.
  std::thread finisher([&, item = std::move(item)]() mutable { item({}); });
  EXPECT_TRUE(tracker->WaitIdle(std::chrono::steady_clock::now() + std::chrono::seconds(30)));
  finisher.join();
  EXPECT_TRUE(done);
  work.reset();
  EXPECT_EQ(tracker->Open(), 0);
}

}  // namespace
}  // namespace fairdesk
