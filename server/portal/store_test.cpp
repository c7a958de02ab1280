// The portal's rate limit in the database on both backends: the budget per key and window, the
// next window, Retry-After, and one budget for two servers (two handles on one database, as two
// `fairdesk serve` processes have); the retention job's clean-up.

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "db/backends.hpp"
#include "platform/crypto/crypto.hpp"
#include "portal/store.hpp"

namespace fairdesk::portal {
namespace {
using dbtest::Must;

// The part of the directory and cases schema the portal's tables refer to.
constexpr db::Migration kStubs[] = {
    {100, "stubs", "CREATE TABLE centres (id TEXT PRIMARY KEY); CREATE TABLE cases (id TEXT PRIMARY KEY, anonymised_at BIGINT)", {}},
};
constexpr db::Query kRows{"test.rate_rows", "SELECT COUNT(*) FROM portal_rate_limits"};

class PortalStoreTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all(std::begin(kStubs), std::end(kStubs));
    for (const auto& m : Migrations()) all.push_back(m);
    Must(db::Migrate(db(), all));
  }
  std::optional<std::int64_t> Spend(db::Database& on, const std::string& key, int cost, std::int64_t now) {
    std::optional<std::int64_t> out;
    Must(on.Write([&](db::Session& s) -> Status {
      out = FD_TRY(store_->SpendRate(s, key, cost, 10, now, 600));
      return {};
    }));
    return out;
  }
  std::unique_ptr<Store> store_ = MakeSqlStore();
};

TEST_P(PortalStoreTest, SpendsTheBudgetPerKeyAndWindow) {
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(Spend(db(), "a", 1, 1000 + i)) << i;
  auto retry = Spend(db(), "a", 1, 1100);
  ASSERT_TRUE(retry);
  EXPECT_EQ(*retry, 500);  // the window started at 1000
  EXPECT_EQ(Spend(db(), "a", 3, 1599), std::optional<std::int64_t>(1));
  EXPECT_FALSE(Spend(db(), "b", 3, 1100));  // another key has its own budget
  EXPECT_FALSE(Spend(db(), "a", 1, 1600));  // the next window
  for (int i = 0; i < 9; ++i) EXPECT_FALSE(Spend(db(), "a", 1, 1601)) << i;
  EXPECT_TRUE(Spend(db(), "a", 1, 1602));
  // A refused spend spends nothing: 7 + 3 fits after 7 were spent and 3 more were refused.
  EXPECT_FALSE(Spend(db(), "c", 7, 2000));
  EXPECT_TRUE(Spend(db(), "c", 4, 2000));
  EXPECT_FALSE(Spend(db(), "c", 3, 2000));
  // More than the whole budget at once is never allowed.
  EXPECT_EQ(Spend(db(), "d", 11, 2000), std::optional<std::int64_t>(600));
}

TEST_P(PortalStoreTest, TwoServersOnOneDatabaseShareTheBudget) {
  auto other = Must(scratch().OpenAnother());
  // Four threads, two on each handle, spend one unit each 10 times: exactly 10 are allowed.
  std::atomic<int> allowed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      db::Database& on = t % 2 ? *other : db();
      for (int i = 0; i < 10; ++i) {
        std::optional<std::int64_t> retry;
        Status spent = on.Write([&](db::Session& s) -> Status {
          retry = FD_TRY(store_->SpendRate(s, "shared", 1, 10, 5000, 600));
          return {};
        });
        if (spent && !retry) ++allowed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 10);
  EXPECT_EQ(Spend(*other, "shared", 1, 5001), std::optional<std::int64_t>(599));
  EXPECT_EQ(Spend(db(), "shared", 1, 5001), std::optional<std::int64_t>(599));
}

TEST_P(PortalStoreTest, ForgetsWindowsThatAreOver) {
  EXPECT_FALSE(Spend(db(), "old", 1, 1000));
  EXPECT_FALSE(Spend(db(), "new", 1, 1500));
  std::int64_t forgotten = 0, left = 0;
  Must(db().Write([&](db::Session& s) -> Status {
    forgotten = FD_TRY(store_->ForgetRates(s, 2000 - 600));
    left = FD_TRY(s.One(kRows, {})).Int(0);
    return {};
  }));
  EXPECT_EQ(forgotten, 1);
  EXPECT_EQ(left, 1);
}

// The tables that platform/cluster replaced are gone; the portal's other tables are there.
TEST_P(PortalStoreTest, TheRetiredSecretAndChallengeTablesAreDropped) {
  for (std::string_view table : {"portal_secrets", "portal_used_challenges"}) {
    const std::string sql = "SELECT COUNT(*) FROM " + std::string(table);
    Status read = db().Read([&](db::Session& s) -> Status {
      FD_TRY(s.One(db::Query{"test.retired_table", sql}, {}));
      return {};
    });
    EXPECT_FALSE(read) << table;
  }
  Must(db().Read([&](db::Session& s) -> Status {
    FD_TRY(s.One(kRows, {}));
    return {};
  }));
}

// Databases migrated earlier ran these texts: a change is a new migration. Pinned: the SHA-256 of
// the PostgreSQL text, a unit separator (0x1f) and the SQLite text (empty where they are the same).
TEST(PortalSchema, AppliedMigrationTextsStayTheSame) {
  const std::map<int, std::string_view> pinned = {
      {650, "0c9c3162feda5e878ee0d7fc0f4e20800cfc138a2206a2604cfc77be05a83492"},
      {651, "438fff0658d71c0e690f9e7004068b22d68334c63af4f458a469c96257924886"},
      {652, "e296f0ef82d8ea6a7b805c0112273866f0c8a7261e4409071c21d8196fc02bff"},
      {653, "954d2572eb688c33f66c8fc5c96ea0ed1777dde2b8ada3ed79523d5de7e9e1c3"},
      {654, "3d6536f696fc25b047dec2791c0e5fe477771cb374a1cce6af23cf78a559ddc7"},
  };
  std::size_t seen = 0;
  for (const auto& m : Migrations()) {
    auto it = pinned.find(m.version);
    if (it == pinned.end()) continue;
    ++seen;
    EXPECT_EQ(crypto::Sha256Hex(std::string(m.postgres_sql) + "\x1f" + std::string(m.sqlite_sql)), it->second)
        << m.version;
  }
  EXPECT_EQ(seen, pinned.size());
}

FAIRDESK_INSTANTIATE_BACKENDS(PortalStoreTest);

}  // namespace
}  // namespace fairdesk::portal
