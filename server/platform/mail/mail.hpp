#pragma once
/// Outgoing e-mail over SMTP (RFC 5321, plain text, UTF-8). The client speaks to a relay that the
/// operator runs or names (a local MTA such as Postfix on localhost:25, or the organisation's
/// submission server reachable without TLS inside its network); TLS and authentication are the
/// relay's job. Messages go through an Outbox: a table in the database with a worker thread, so
/// that a request never waits for (or reveals by its timing) a mail being sent, and a queued mail
/// is neither lost when the server stops nor sent twice by two servers.
///
///   mail::Outbox outbox(db, keyring, {.host = "127.0.0.1", .port = 25, .from = "fairdesk@example.org"});
///   outbox.Start();
///   outbox.Send({.to = "a@example.org", .subject = "…", .text = "…"});

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "platform/core/error.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::mail {

struct SmtpSettings {
  std::string host;  // empty: no mail is sent
  std::uint16_t port = 25;
  std::string from;               // envelope and header sender
  std::string helo = "fairdesk";  // the name given in EHLO
  std::chrono::seconds timeout{15};
};

struct Message {
  std::string to;
  std::string subject;  // UTF-8; encoded as RFC 2047 when not ASCII
  std::string text;     // UTF-8 plain text; lines end in CRLF or LF
};

/// Sends one message now (blocking, with the timeout for each step). Errors name the SMTP step
/// and the server's reply code, never the recipient.
Status SendNow(const SmtpSettings& settings, const Message& message);

/// Tuning of the outbox; the defaults suit production (tests shorten them).
struct OutboxOptions {
  std::string holder;                      // who claims a mail (host:pid); empty: a random name
  std::chrono::seconds lease{300};         // a claim not finished by then (the server died) lapses
  std::chrono::seconds retry_after{60};    // the wait after the first failed attempt, doubling
  std::chrono::seconds retry_at_most{3600};  // the longest wait between two attempts
  int attempts = 10;                       // after as many failed attempts the mail is given up
  std::chrono::seconds poll{5};            // how often the worker looks for due mail of any server
  /// Delivers one message; unset: SendNow with the outbox's settings (tests pass their own).
  std::function<Status(const Message&)> deliver;
};

/// The durable outbox (issue 13): every message is a row of mail_outbox, its recipient, subject
/// and text sealed with the keyring, so that a mail queued but not yet sent survives a crash or
/// a restart, and every app server on the database delivers from the one table. A worker thread
/// (Start) takes due rows: each is claimed first (a conditional UPDATE, like the events mails),
/// so that one server sends it; a claim lapses after `lease` (its server died) and the mail is
/// taken up again. A failed SMTP delivery is retried after 1, 2, 4 ... minutes (at most an hour
/// apart), up to `attempts`; then it is given up. Sent and given-up rows lose their sealed
/// fields at once and are deleted by ForgetFinished (the hourly `mail-outbox` job). Logs name
/// the row's id and attempt, never a recipient, subject or text.
///
/// Exactly once, with one exception SMTP cannot close: a server that dies after the relay took a
/// message and before it marked the row sent leaves a claim that lapses, and the mail goes again.
class Outbox {
 public:
  Outbox(db::Database& db, const crypto::Keyring& keyring, SmtpSettings settings, OutboxOptions options = {});
  ~Outbox();  // stops the worker after the message in hand; queued rows stay for the next start
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  bool enabled() const { return !settings_.host.empty() || static_cast<bool>(options_.deliver); }
  /// Stores a message for delivery and wakes the workers (this server's, and on PostgreSQL the
  /// others'); false when mail is off or the database refused (logged without the message).
  bool Send(const Message& message);
  /// The same in the caller's transaction: the mail goes out only if that commits. Call Wake
  /// after the commit (otherwise this server's worker finds it within `poll`).
  Status Enqueue(db::Session& tx, const Message& message);
  /// Wakes this server's worker.
  void Wake();

  /// Starts the worker thread (the app server does; commands that only queue do not).
  void Start();
  /// One round: claims and delivers every message due at `now`; answers how many were sent.
  /// The worker calls it; tests call it directly, from several threads and handles.
  Result<int> DeliverDue(std::int64_t now);
  /// Deletes sent and given-up rows finished before `before`; answers how many.
  Result<std::int64_t> ForgetFinished(std::int64_t before);
  /// How many rows have `status` ("queued": waiting or being sent, by any server; "failed":
  /// given up, kept until ForgetFinished), for /metrics.
  Result<std::int64_t> Count(std::string_view status);

 private:
  struct Signal;
  void Run();
  db::Database& db_;
  const crypto::Keyring& keyring_;
  SmtpSettings settings_;
  OutboxOptions options_;
  std::shared_ptr<Signal> wake_;  // shared with the change-notice callback, which may outlive us
  std::thread worker_;
};

/// Table mail_outbox (versions 80-89: platform, before every module).
std::span<const db::Migration> Migrations();

/// The sealed columns (for `fairdesk keys reencrypt`).
std::vector<crypto::EncryptedColumn> EncryptedColumns();

}  // namespace fairdesk::mail
