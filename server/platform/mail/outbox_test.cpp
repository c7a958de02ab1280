// The durable outbox on SQLite and PostgreSQL (several Database handles stand for several app
// servers): messages are stored sealed and survive the outbox that queued them, each is delivered
// once across servers, a failed delivery is retried with a growing wait and finally given up, a
// claim of a server that died lapses, and finished rows lose their sealed fields and are deleted.

#include "platform/mail/mail.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "db/backends.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::mail {
namespace {
using dbtest::Must;

constexpr db::Query kRows{"test.mail_rows",
                          "SELECT id, status, attempts, due_at, recipient_enc, subject_enc, body_enc, last_error "
                          "FROM mail_outbox ORDER BY created_at, id"};
constexpr db::Query kPretendClaimed{"test.mail_claimed",
                                    "UPDATE mail_outbox SET claimed_by = 'dead:1', claimed_until = $1, "
                                    "attempts = attempts + 1"};

struct Row {
  std::string id, status;
  std::int64_t attempts = 0, due_at = 0;
  std::optional<std::string> recipient, subject, body, last_error;
};

class OutboxTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Must(db::Migrate(db(), Migrations()));
  }
  std::vector<Row> Rows() {
    std::vector<Row> out;
    Must(db().Read([&](db::Session& s) -> Status {
      for (const auto& r : FD_TRY(s.Query(kRows, {}))) {
        out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Int(3), r.OptText(4), r.OptText(5), r.OptText(6), r.OptText(7)});
      }
      return {};
    }));
    return out;
  }
  // An outbox whose deliveries are recorded (the message's text) instead of sent.
  std::unique_ptr<Outbox> Make(db::Database& on, std::function<Status(const Message&)> deliver = {}) {
    if (!deliver) {
      deliver = [this](const Message& m) -> Status {
        {
          std::lock_guard lock(mu_);
          delivered_.push_back(m.text);
        }
        delivered_cv_.notify_all();
        return {};
      };
    }
    return std::make_unique<Outbox>(on, *keyring_, SmtpSettings{},
                                    OutboxOptions{.lease = std::chrono::seconds(300),
                                                  .retry_after = std::chrono::seconds(60),
                                                  .retry_at_most = std::chrono::seconds(200),
                                                  .attempts = 4,
                                                  .deliver = std::move(deliver)});
  }
  std::unique_ptr<crypto::Keyring> keyring_ = crypto::Keyring::Ephemeral();
  std::mutex mu_;
  std::condition_variable delivered_cv_;
  std::vector<std::string> delivered_;
};

TEST_P(OutboxTest, AQueuedMailIsSealedSurvivesItsOutboxAndIsSentOnce) {
  {
    auto first = Make(db());
    ASSERT_TRUE(first->Send({.to = "amina@example.org", .subject = "Passwort", .text = "Guten Tag Amina, Link"}));
    ASSERT_TRUE(first->Send({.to = "jonas@example.org", .subject = "Passwort", .text = "Guten Tag Jonas, Link"}));
  }  // the first server is gone before it delivered anything
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& r : rows) {
    EXPECT_EQ(r.status, "queued");
    ASSERT_TRUE(r.recipient && r.subject && r.body);
    for (const auto& sealed : {*r.recipient, *r.subject, *r.body}) {
      for (const char* plain : {"amina", "jonas", "Passwort", "Guten Tag"}) EXPECT_EQ(sealed.find(plain), std::string::npos);
    }
  }
  // Another server (a restart) delivers both, once.
  auto second = Make(db());
  const std::int64_t now = clock::NowUnix();
  EXPECT_EQ(Must(second->DeliverDue(now)), 2);
  EXPECT_EQ(Must(second->DeliverDue(now + 3600)), 0);
  std::sort(delivered_.begin(), delivered_.end());
  EXPECT_EQ(delivered_, (std::vector<std::string>{"Guten Tag Amina, Link", "Guten Tag Jonas, Link"}));
  for (const auto& r : Rows()) {
    EXPECT_EQ(r.status, "sent");
    EXPECT_FALSE(r.recipient || r.subject || r.body) << "sealed fields are dropped once sent";
  }
  // A keyring without the key cannot read a queued mail: it is given up, not sent.
  ASSERT_TRUE(second->Send({.to = "x@example.org", .subject = "s", .text = "t"}));
  auto other_keys = crypto::Keyring::Ephemeral();
  Outbox stranger(db(), *other_keys, SmtpSettings{},
                  OutboxOptions{.deliver = [](const Message&) -> Status { return {}; }});
  EXPECT_EQ(Must(stranger.DeliverDue(now)), 0);
  std::map<std::string, int> statuses;
  for (const auto& r : Rows()) ++statuses[r.status];
  EXPECT_EQ(statuses, (std::map<std::string, int>{{"failed", 1}, {"sent", 2}}));
}

TEST_P(OutboxTest, AFailedDeliveryIsRetriedWithAGrowingWaitThenGivenUp) {
  int calls = 0;
  bool relay_up = false;
  auto outbox = Make(db(), [&](const Message&) -> Status {
    ++calls;
    if (relay_up) return {};
    return Fail(Error::Unavailable("smtp: RCPT TO answered 451"));
  });
  ASSERT_TRUE(outbox->Send({.to = "a@example.org", .subject = "s", .text = "t"}));
  const std::int64_t t0 = clock::NowUnix();
  EXPECT_EQ(Must(outbox->DeliverDue(t0)), 0);
  auto row = Rows().at(0);
  EXPECT_EQ(row.status, "queued");
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.due_at, t0 + 60);
  EXPECT_EQ(row.last_error, "smtp: RCPT TO answered 451");
  EXPECT_EQ(Must(outbox->DeliverDue(t0 + 59)), 0);  // not due yet: no attempt
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Must(outbox->DeliverDue(t0 + 60)), 0);
  EXPECT_EQ(Rows().at(0).due_at, t0 + 60 + 120);  // doubled
  EXPECT_EQ(Must(outbox->DeliverDue(t0 + 180)), 0);
  EXPECT_EQ(Rows().at(0).due_at, t0 + 180 + 200);  // at most retry_at_most
  relay_up = true;
  EXPECT_EQ(Must(outbox->DeliverDue(t0 + 380)), 1);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(Rows().at(0).status, "sent");
  EXPECT_FALSE(Rows().at(0).last_error);
  const std::string first_id = Rows().at(0).id;

  // A relay that never takes it: given up after the fourth attempt, its sealed fields dropped.
  relay_up = false;
  ASSERT_TRUE(outbox->Send({.to = "b@example.org", .subject = "s", .text = "t"}));
  std::int64_t at = clock::NowUnix();
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Must(outbox->DeliverDue(at)), 0);
    at += 3600;
  }
  const auto rows = Rows();  // created in the same second: find the second one by its id
  ASSERT_EQ(rows.size(), 2u);
  row = rows[0].id == first_id ? rows[1] : rows[0];
  EXPECT_EQ(row.status, "failed");
  EXPECT_EQ(row.attempts, 4);
  EXPECT_FALSE(row.recipient || row.subject || row.body);
  EXPECT_EQ(Must(outbox->DeliverDue(at)), 0);
  EXPECT_EQ(calls, 8);
}

TEST_P(OutboxTest, TheClaimOfAServerThatDiedLapsesAfterTheLease) {
  auto outbox = Make(db());
  ASSERT_TRUE(outbox->Send({.to = "a@example.org", .subject = "s", .text = "t"}));
  const std::int64_t now = clock::NowUnix();
  // Another server claimed it and was killed while sending.
  Must(db().Write([&](db::Session& s) -> Status {
    FD_TRY(s.Exec(kPretendClaimed, {now + 300}));
    return {};
  }));
  EXPECT_EQ(Must(outbox->DeliverDue(now)), 0);
  EXPECT_EQ(Must(outbox->DeliverDue(now + 300)), 0);
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(Must(outbox->DeliverDue(now + 301)), 1);
  EXPECT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(Rows().at(0).attempts, 2);
}

TEST_P(OutboxTest, TwoServersSendEachMailOnce) {
  auto other_db = Must(scratch().OpenAnother());
  std::map<std::string, int> count;
  const auto record = [&](const Message& m) -> Status {
    std::lock_guard lock(mu_);
    ++count[m.text];
    return {};
  };
  auto one = Make(db(), record);
  auto two = Make(*other_db, record);
  for (int i = 0; i < 60; ++i) {
    ASSERT_TRUE((i % 2 ? one : two)->Send({.to = "a@example.org", .subject = "s", .text = "mail " + std::to_string(i)}));
  }
  const std::int64_t now = clock::NowUnix();
  std::atomic<int> sent{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] { sent += Must((t % 2 ? one : two)->DeliverDue(now)); });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(sent.load(), 60);
  EXPECT_EQ(count.size(), 60u);
  for (const auto& [text, n] : count) EXPECT_EQ(n, 1) << text;
  for (const auto& r : Rows()) EXPECT_EQ(r.status, "sent");
}

TEST_P(OutboxTest, FinishedRowsAreForgottenQueuedOnesKept) {
  auto outbox = Make(db());
  ASSERT_TRUE(outbox->Send({.to = "a@example.org", .subject = "s", .text = "sent"}));
  const std::int64_t now = clock::NowUnix();
  EXPECT_EQ(Must(outbox->DeliverDue(now)), 1);
  ASSERT_TRUE(outbox->Send({.to = "b@example.org", .subject = "s", .text = "queued"}));
  EXPECT_EQ(Must(outbox->Count("queued")), 1);
  EXPECT_EQ(Must(outbox->Count("sent")), 1);
  EXPECT_EQ(Must(outbox->ForgetFinished(now)), 0);  // finished at `now`, not before
  EXPECT_EQ(Must(outbox->ForgetFinished(now + 1)), 1);
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, "queued");
  EXPECT_EQ(Must(outbox->Count("sent")), 0);
}

TEST_P(OutboxTest, TheWorkerDeliversWhatIsQueued) {
  auto outbox = Make(db());
  outbox->Start();
  ASSERT_TRUE(outbox->Send({.to = "a@example.org", .subject = "s", .text = "by the worker"}));
  std::unique_lock lock(mu_);
  delivered_cv_.wait_for(lock, std::chrono::seconds(30), [&] { return !delivered_.empty(); });
  EXPECT_EQ(delivered_, std::vector<std::string>{"by the worker"});
}

// Databases migrated earlier ran this text: a change is a new migration.
TEST(OutboxSchema, AppliedMigrationTextsStayTheSame) {
  const auto migrations = Migrations();
  ASSERT_EQ(migrations.size(), 1u);
  EXPECT_EQ(migrations[0].version, 80);
  EXPECT_EQ(crypto::Sha256Hex(migrations[0].postgres_sql), "a9d539d765e5ec1f6f7cc12cb48cb0e8d5a76fde7eb47e5d38d0888d021afded");
  EXPECT_TRUE(migrations[0].sqlite_sql.empty());
}

FAIRDESK_INSTANTIATE_BACKENDS(OutboxTest);

}  // namespace
}  // namespace fairdesk::mail
