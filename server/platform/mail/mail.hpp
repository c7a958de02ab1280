#pragma once
/// Outgoing e-mail over SMTP (RFC 5321, plain text, UTF-8). The client speaks to a relay that the
/// operator runs or names (a local MTA such as Postfix on localhost:25, or the organisation's
/// submission server reachable without TLS inside its network); TLS and authentication are the
/// relay's job. Messages go through an Outbox: a bounded queue with one worker thread, so that
/// a request never waits for (or reveals by its timing) a mail being sent.
///
///   mail::Outbox outbox({.host = "127.0.0.1", .port = 25, .from = "fairdesk@example.org"});
///   outbox.Send({.to = "a@example.org", .subject = "…", .text = "…"});

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "platform/core/error.hpp"

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

/// A queue of messages sent one after another by a worker thread; a failed message is logged
/// (without the recipient) and retried twice with a pause.
class Outbox {
 public:
  explicit Outbox(SmtpSettings settings, std::size_t capacity = 1000);
  ~Outbox();  // sends what is queued (within the timeout), then stops
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  bool enabled() const { return !settings_.host.empty(); }
  /// Queues a message; false when the queue is full or mail is off.
  bool Send(Message message);

 private:
  void Run();
  SmtpSettings settings_;
  std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Message> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace fairdesk::mail
