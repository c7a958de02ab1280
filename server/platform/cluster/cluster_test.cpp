// State shared by app servers on one database (several Database handles stand for several
// processes), on SQLite and PostgreSQL: one shared secret per name, whoever asks first; a used
// challenge serves once across all servers; expired ones are forgotten.

#include "platform/cluster/cluster.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "db/backends.hpp"

namespace fairdesk::cluster {
namespace {
using dbtest::Must;

constexpr db::Query kStored{"test.stored_secret", "SELECT value_enc FROM shared_secrets WHERE name = $1"};
constexpr db::Query kUsedRows{"test.used_rows", "SELECT scope, challenge FROM used_challenges ORDER BY scope, challenge"};

class ClusterTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Must(db::Migrate(db(), Migrations()));
  }
  bool Use(db::Database& on, std::string_view scope, std::string_view challenge, std::int64_t expires_at) {
    bool fresh = false;
    Must(on.Write([&](db::Session& s) -> Status {
      fresh = FD_TRY(UseChallenge(s, scope, challenge, expires_at));
      return {};
    }));
    return fresh;
  }
  std::unique_ptr<crypto::Keyring> keyring_ = crypto::Keyring::Ephemeral();
};

TEST_P(ClusterTest, EveryServerGetsTheSecretTheFirstOneMade) {
  auto other = Must(scratch().OpenAnother());
  // Eight servers starting together (four threads on each handle) agree on one secret.
  std::vector<std::string> got(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] { got[t] = Must(SharedSecret(t % 2 ? *other : db(), *keyring_, "sign-in")); });
  }
  for (auto& th : threads) th.join();
  for (const auto& g : got) EXPECT_EQ(g, got[0]);
  EXPECT_GE(got[0].size(), 32u);
  EXPECT_EQ(Must(SharedSecret(db(), *keyring_, "sign-in")), got[0]);
  // Another name has a secret of its own; the stored value is sealed, never the secret itself.
  EXPECT_NE(Must(SharedSecret(db(), *keyring_, "portal")), got[0]);
  std::string stored;
  Must(db().Read([&](db::Session& s) -> Status {
    stored = FD_TRY(s.One(kStored, {std::string("sign-in")})).Text(0);
    return {};
  }));
  EXPECT_EQ(stored.find(got[0]), std::string::npos);
  // A keyring without the key cannot open it.
  EXPECT_FALSE(SharedSecret(db(), *crypto::Keyring::Ephemeral(), "sign-in"));
}

TEST_P(ClusterTest, AChallengeServesOnceAcrossServers) {
  auto other = Must(scratch().OpenAnother());
  EXPECT_TRUE(Use(db(), "sign-in", "c1", 2000));
  EXPECT_FALSE(Use(*other, "sign-in", "c1", 2000));
  EXPECT_FALSE(Use(db(), "sign-in", "c1", 2000));
  EXPECT_TRUE(Use(*other, "portal", "c1", 2000));  // scopes are apart

  // Eight threads on two handles race for the same challenge: exactly one wins.
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      if (Use(t % 2 ? *other : db(), "sign-in", "raced", 2000)) ++won;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(won.load(), 1);
}

TEST_P(ClusterTest, ExpiredChallengesAreForgotten) {
  EXPECT_TRUE(Use(db(), "sign-in", "old", 1000));
  EXPECT_TRUE(Use(db(), "portal", "old", 1500));
  EXPECT_TRUE(Use(db(), "sign-in", "new", 3000));
  EXPECT_EQ(Must(ForgetExpiredChallenges(db(), 2000)), 2);
  std::vector<std::string> left;
  Must(db().Read([&](db::Session& s) -> Status {
    for (const auto& r : FD_TRY(s.Query(kUsedRows, {}))) left.push_back(r.Text(0) + "/" + r.Text(1));
    return {};
  }));
  EXPECT_EQ(left, std::vector<std::string>({"sign-in/new"}));
  EXPECT_FALSE(Use(db(), "sign-in", "new", 3000));
}

FAIRDESK_INSTANTIATE_BACKENDS(ClusterTest);

}  // namespace
}  // namespace fairdesk::cluster
