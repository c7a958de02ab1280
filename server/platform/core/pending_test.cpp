#include "platform/core/pending.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fairdesk
