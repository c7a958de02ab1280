// The sessions each app server keeps (issue 13, auth/sql_store.cpp), on SQLite and PostgreSQL
// (several Database handles stand for several app servers): a server answers a session it found
// from its copy (PostgreSQL), and a session ended, a user changed or a centre moved — by another
// server or by SQL written by hand — reaches every server; this server's own changes at once.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "auth/auth.hpp"
#include "auth/store.hpp"
#include "db/backends.hpp"
#include "platform/db/migrations.hpp"
#include "platform/db/query_stats.hpp"

namespace fairdesk::auth {
namespace {
using dbtest::Must;

constexpr db::Migration kCentres{
    100, "test: centres",
    "CREATE TABLE centres (id TEXT PRIMARY KEY, state TEXT NOT NULL, name TEXT NOT NULL);"
    "INSERT INTO centres (id, state, name) VALUES ('centre-be-1', 'BE', 'Berlin'), ('centre-by-1', 'BY', 'Bayern');",
    {}};

std::int64_t SessionReads() {
  for (const auto& series : db::QueryStats()) {
    if (series.name == "auth.find_session") return series.count;
  }
  return 0;
}

// Polls `done` until it holds or 5 s passed (half the time a copy is kept without announcements,
// so a change seen in time was announced, not aged out).
bool Within5Seconds(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  static_assert(kSessionCacheSeconds >= 10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class SessionCacheTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all{kCentres};
    for (const db::Migration& m : Migrations()) all.push_back(m);
    Must(db::Migrate(db(), all));
    other_db_ = Must(scratch().OpenAnother());
    a_ = MakeSqlStore(db());
    b_ = MakeSqlStore(*other_db_);
    user_.id = "usr_1";
    user_.email = "advisor@example.org";
    user_.display_name = "Advisor";
    user_.role = Role::kAdvisor;
    user_.centre_id = "centre-be-1";
    user_.password_hash = "x";
    ASSERT_TRUE(Must(a_->InsertUser(user_, 1000)));
  }

  SessionRecord Open(Store& store, std::string id, std::string hash) {
    SessionRecord s;
    s.id = std::move(id);
    s.token_hash = std::move(hash);
    s.user_id = user_.id;
    s.csrf_token = "csrf";
    s.created_at = 1000;
    s.last_seen_at = 1000;
    s.expires_at = 1000 + 3600;
    Must(store.InsertSession(s));
    return s;
  }

  // On PostgreSQL: reads `hash` through `store` until an answer comes from the copy (the
  // listener connects on the first read). Answers whether it did.
  bool Cached(Store& store, std::string_view hash) {
    return Within5Seconds([&] {
      const std::int64_t before = SessionReads();
      auto found = Must(store.FindSession(hash));
      return found && SessionReads() == before;
    });
  }

  std::unique_ptr<db::Database> other_db_;
  std::unique_ptr<Store> a_, b_;
  User user_;
};

TEST_P(SessionCacheTest, AServerAnswersFromItsCopyAndForgetsItOnItsOwnWrites) {
  Open(*a_, "ses_1", "hash-1");
  if (!IsPostgres()) {
    // SQLite: nothing is kept, every lookup reads.
    for (int i = 0; i < 3; ++i) {
      const std::int64_t before = SessionReads();
      ASSERT_TRUE(Must(b_->FindSession("hash-1")));
      EXPECT_EQ(SessionReads(), before + 1);
    }
  } else {
    ASSERT_TRUE(Cached(*b_, "hash-1"));
  }
  // A touch updates the copy (the idle timeout stays right) ...
  Must(b_->TouchSession("ses_1", 1100));
  EXPECT_EQ(Must(b_->FindSession("hash-1"))->session.last_seen_at, 1100);
  // ... and this server's own sign-out is seen by its very next lookup.
  Must(b_->DeleteSession("ses_1"));
  EXPECT_FALSE(Must(b_->FindSession("hash-1")));
  // So is its own change of the user.
  Open(*a_, "ses_2", "hash-2");
  if (IsPostgres()) ASSERT_TRUE(Cached(*b_, "hash-2"));
  User changed = user_;
  changed.disabled = true;
  Must(b_->UpdateUser(changed, 1200));
  EXPECT_TRUE(Must(b_->FindSession("hash-2"))->user.disabled);
}

TEST_P(SessionCacheTest, ChangesByAnotherServerOrByHandReachEveryServer) {
  Open(*a_, "ses_1", "hash-1");
  if (IsPostgres()) ASSERT_TRUE(Cached(*b_, "hash-1"));
  // Signed out on A: B no longer finds the session.
  Must(a_->DeleteSession("ses_1"));
  EXPECT_TRUE(Within5Seconds([&] { return !Must(b_->FindSession("hash-1")); }));

  // The user's role changed on A: B answers the new role.
  Open(*a_, "ses_2", "hash-2");
  if (IsPostgres()) ASSERT_TRUE(Cached(*b_, "hash-2"));
  User lead = user_;
  lead.role = Role::kCentreLead;
  Must(a_->UpdateUser(lead, 1300));
  EXPECT_TRUE(Within5Seconds([&] { return Must(b_->FindSession("hash-2"))->user.role == Role::kCentreLead; }));

  // The user's centre moved to another state, by SQL written by hand: B answers the new state.
  if (IsPostgres()) ASSERT_TRUE(Cached(*b_, "hash-2"));
  Must(db().Write([](db::Session& s) -> Status {
    FD_TRY(s.Exec(db::Query{"test.move_centre", "UPDATE centres SET state = 'BY' WHERE id = 'centre-be-1'"}));
    return {};
  }));
  EXPECT_TRUE(Within5Seconds([&] { return Must(b_->FindSession("hash-2"))->user.state == "BY"; }));

  // Disabled by hand, and all sessions of the user deleted by hand.
  if (IsPostgres()) ASSERT_TRUE(Cached(*b_, "hash-2"));
  Must(db().Write([](db::Session& s) -> Status {
    FD_TRY(s.Exec(db::Query{"test.disable", "UPDATE users SET disabled = 1 WHERE id = 'usr_1'"}));
    return {};
  }));
  EXPECT_TRUE(Within5Seconds([&] { return Must(b_->FindSession("hash-2"))->user.disabled; }));
  if (IsPostgres()) ASSERT_TRUE(Cached(*b_, "hash-2"));
  Must(db().Write([](db::Session& s) -> Status {
    FD_TRY(s.Exec(db::Query{"test.delete_sessions", "DELETE FROM sessions WHERE user_id = 'usr_1'"}));
    return {};
  }));
  EXPECT_TRUE(Within5Seconds([&] { return !Must(b_->FindSession("hash-2")); }));
}

FAIRDESK_INSTANTIATE_BACKENDS(SessionCacheTest);

}  // namespace
}  // namespace fairdesk::auth
