// The durable outbox: mail_outbox rows, claimed before sending, retried with backoff (mail.hpp).

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"
#include "platform/db/notify.hpp"
#include "platform/log/log.hpp"
#include "platform/mail/mail.hpp"

namespace fairdesk::mail {
namespace {

constexpr std::string_view kTable = "mail_outbox";
constexpr std::string_view kSealed[] = {"recipient_enc", "subject_enc", "body_enc"};
constexpr std::string_view kChannel = "fairdesk_mail_outbox";  // NOTIFY: a mail was queued
constexpr std::int64_t kBatch = 20;

// status: queued (waiting or being sent), sent, failed (given up). The sealed fields are NULL once
// a row is finished; only its id, times, attempts and the last SMTP error (step and reply code,
// never an address) stay until ForgetFinished.
constexpr db::Migration kMigrations[] = {
    {80, "mail outbox", R"SQL(
CREATE TABLE mail_outbox (
  id TEXT PRIMARY KEY,
  recipient_enc TEXT,
  subject_enc TEXT,
  body_enc TEXT,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL,
  claimed_by TEXT,
  claimed_until BIGINT,
  finished_at BIGINT,
  last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, due_at);
CREATE INDEX mail_outbox_finished ON mail_outbox (finished_at);
)SQL",
     {}},
};

constexpr db::Query kInsert{
    "mail.insert",
    "INSERT INTO mail_outbox (id, recipient_enc, subject_enc, body_enc, status, created_at, due_at, attempts) "
    "VALUES ($1, $2, $3, $4, 'queued', $5, $5, 0)"};
constexpr db::Query kDue{"mail.due",
                         "SELECT id FROM mail_outbox WHERE status = 'queued' AND due_at <= $1 AND "
                         "(claimed_until IS NULL OR claimed_until < $1) ORDER BY due_at, id LIMIT $2"};
// The claim: only one server's UPDATE finds the row still unclaimed (PostgreSQL re-checks the
// WHERE against the row a concurrent claim committed; SQLite has one writer).
constexpr db::Query kClaim{
    "mail.claim",
    "UPDATE mail_outbox SET claimed_by = $2, claimed_until = $3, attempts = attempts + 1 WHERE id = $1 AND "
    "status = 'queued' AND due_at <= $4 AND (claimed_until IS NULL OR claimed_until < $4) "
    "RETURNING recipient_enc, subject_enc, body_enc, attempts"};
constexpr db::Query kSent{
    "mail.sent",
    "UPDATE mail_outbox SET status = 'sent', finished_at = $2, recipient_enc = NULL, subject_enc = NULL, "
    "body_enc = NULL, claimed_by = NULL, claimed_until = NULL, last_error = NULL WHERE id = $1 AND status = 'queued'"};
constexpr db::Query kRetry{"mail.retry",
                           "UPDATE mail_outbox SET due_at = $2, claimed_by = NULL, claimed_until = NULL, last_error = $3 "
                           "WHERE id = $1 AND status = 'queued' AND claimed_by = $4"};
constexpr db::Query kGiveUp{
    "mail.give_up",
    "UPDATE mail_outbox SET status = 'failed', finished_at = $2, recipient_enc = NULL, subject_enc = NULL, "
    "body_enc = NULL, claimed_by = NULL, claimed_until = NULL, last_error = $3 WHERE id = $1 AND status = 'queued'"};
constexpr db::Query kCount{"mail.count", "SELECT COUNT(*) FROM mail_outbox WHERE status = $1"};
constexpr db::Query kForget{"mail.forget",
                            "DELETE FROM mail_outbox WHERE status <> 'queued' AND finished_at < $1"};

std::string Ad(std::string_view column, std::string_view id) { return crypto::AssociatedData(kTable, column, id); }

}  // namespace

struct Outbox::Signal {
  std::mutex mu;
  std::condition_variable cv;
  bool kicked = false;
  std::atomic<bool> stopping{false};
  void Kick() {
    {
      std::lock_guard lock(mu);
      kicked = true;
    }
    cv.notify_all();
  }
};

std::span<const db::Migration> Migrations() { return kMigrations; }

std::vector<crypto::EncryptedColumn> EncryptedColumns() {
  std::vector<crypto::EncryptedColumn> out;
  for (auto column : kSealed) {
    out.push_back({std::string(kTable), "id", std::string(column), crypto::EncryptedColumn::Encoding::kBase64Text});
  }
  return out;
}

Outbox::Outbox(db::Database& db, const crypto::Keyring& keyring, SmtpSettings settings, OutboxOptions options)
    : db_(db), keyring_(keyring), settings_(std::move(settings)), options_(std::move(options)),
      wake_(std::make_shared<Signal>()) {
  if (options_.holder.empty()) options_.holder = crypto::RandomToken(9);
  if (!options_.deliver) {
    options_.deliver = [s = settings_](const Message& m) { return SendNow(s, m); };
  }
}

Outbox::~Outbox() {
  wake_->stopping = true;
  wake_->Kick();
  if (worker_.joinable()) worker_.join();
}

Status Outbox::Enqueue(db::Session& tx, const Message& message) {
  const std::string id = crypto::RandomToken(16);
  const std::string fields[] = {message.to, message.subject, message.text};
  std::vector<db::Value> params{id};
  for (std::size_t i = 0; i < std::size(kSealed); ++i) {
    params.emplace_back(FD_TRY(keyring_.EncryptToText(fields[i], Ad(kSealed[i], id))));
  }
  params.emplace_back(clock::NowUnix());
  FD_TRY(tx.Exec(kInsert, params));
  return db::Notify(tx, kChannel);
}

bool Outbox::Send(const Message& message) {
  if (!enabled()) return false;
  Status stored = db_.Write([&](db::Session& s) { return Enqueue(s, message); });
  if (!stored) {
    log::Error("mail_not_queued", {{"internal", stored.error().internal}});
    return false;
  }
  wake_->Kick();
  return true;
}

void Outbox::Wake() { wake_->Kick(); }

void Outbox::Start() {
  if (!enabled() || worker_.joinable()) return;
  // Another server's queued mail wakes this one at once on PostgreSQL; the poll catches the rest
  // (SQLite, a lost notice, retries coming due).
  db::Subscribe(db_, std::string(kChannel), [wake = wake_] { wake->Kick(); });
  worker_ = std::thread([this] { Run(); });
}

void Outbox::Run() {
  while (!wake_->stopping) {
    auto sent = DeliverDue(clock::NowUnix());
    if (!sent) log::Error("mail_outbox_failed", {{"internal", sent.error().internal}});
    std::unique_lock lock(wake_->mu);
    wake_->cv.wait_for(lock, options_.poll, [&] { return wake_->stopping || wake_->kicked; });
    wake_->kicked = false;
  }
}

Result<int> Outbox::DeliverDue(std::int64_t now) {
  const auto write = [&](const db::Query& q, std::vector<db::Value> params) -> Status {
    return db_.Write([&](db::Session& s) -> Status {
      FD_TRY(s.Exec(q, params));
      return {};
    });
  };
  int sent = 0;
  while (!wake_->stopping) {
    std::vector<std::string> due;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      for (const auto& row : FD_TRY(s.Query(kDue, {now, kBatch}))) due.push_back(row.Text(0));
      return {};
    }));
    int claimed = 0;
    for (const auto& id : due) {
      if (wake_->stopping) break;
      std::optional<db::Row> row;
      FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
        row = FD_TRY(s.MaybeOne(kClaim, {id, options_.holder, now + options_.lease.count(), now}));
        return {};
      }));
      if (!row) continue;  // another server has it
      ++claimed;
      const std::int64_t attempt = row->Int(3);
      std::string fields[3];
      Status readable;
      for (std::size_t i = 0; i < std::size(kSealed) && readable; ++i) {
        auto plain = keyring_.DecryptText(row->OptText(i).value_or(""), Ad(kSealed[i], id));
        if (plain) {
          fields[i] = std::move(*plain);
        } else {
          readable = Fail(plain.error());
        }
      }
      Status delivered = readable ? options_.deliver({.to = fields[0], .subject = fields[1], .text = fields[2]})
                                  : readable;
      if (delivered) {
        FD_TRY_VOID(write(kSent, {id, now}));
        log::Info("mail_sent", {{"mail_id", id}, {"attempt", attempt}});
        ++sent;
        continue;
      }
      const std::string error = delivered.error().internal.empty() ? delivered.error().detail : delivered.error().internal;
      if (!readable || attempt >= options_.attempts) {
        FD_TRY_VOID(write(kGiveUp, {id, now, error}));
        log::Error("mail_given_up", {{"mail_id", id}, {"attempt", attempt}, {"internal", error}});
        continue;
      }
      // 1, 2, 4 ... times retry_after, at most retry_at_most.
      std::int64_t wait = options_.retry_after.count();
      for (std::int64_t i = 1; i < attempt && wait < options_.retry_at_most.count(); ++i) wait *= 2;
      wait = std::min(wait, static_cast<std::int64_t>(options_.retry_at_most.count()));
      FD_TRY_VOID(write(kRetry, {id, now + wait, error, options_.holder}));
      log::Warn("mail_failed", {{"mail_id", id}, {"attempt", attempt}, {"retry_in_seconds", wait}, {"internal", error}});
    }
    // A full batch may have more behind it; a batch that was all another server's is left to it.
    if (static_cast<std::int64_t>(due.size()) < kBatch || claimed == 0) break;
  }
  return sent;
}

Result<std::int64_t> Outbox::ForgetFinished(std::int64_t before) {
  std::int64_t n = 0;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    n = FD_TRY(s.Exec(kForget, {before}));
    return {};
  }));
  return n;
}

Result<std::int64_t> Outbox::Count(std::string_view status) {
  std::int64_t n = 0;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    n = FD_TRY(s.One(kCount, {std::string(status)})).Int(0);
    return {};
  }));
  return n;
}

}  // namespace fairdesk::mail
