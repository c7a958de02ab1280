#pragma once
/// The events service: events and their sessions, registration with a FIFO waiting list and
/// offers that expire, attendance and head counts, certificates of attendance (PDF), iCalendar,
/// notifications, reporting counts and the deletion of client participants' personal data.
///
/// Who may do what:
/// - Organise (create, edit, publish, cancel, complete, see participants, take attendance, record
///   head counts): staff of the organising centre. Trainings and networking meetings: the
///   Competence Centre and centre leads; client events (information event, workshop, group
///   offer): also advisors of the centre.
/// - See an event: drafts only the organising centre; published, cancelled and completed events
///   everyone signed in, except audience "state", which only that state's staff, the organiser
///   and the Competence Centre, programme and admins see.
/// - Register themselves: anyone who sees a published training or networking meeting. Register
///   clients (by client code) or record head counts: staff with case access of a centre, for
///   client events they see.
///
/// The capacity invariant: confirmed (incl. attended, no-show) + open offers <= capacity, checked
/// in the writing transaction after locking the event row (PostgreSQL FOR UPDATE; SQLite has one
/// writer). While anyone waits, a newcomer joins the list even if a seat looks free: freed seats
/// go to the list first, as offers that expire after `offer_hours` (never after the registration
/// deadline) and then pass on.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "events/model.hpp"
#include "events/store.hpp"
#include "platform/core/access.hpp"
#include "platform/db/database.hpp"

namespace fairdesk::events {

/// An e-mail copy of a notification (the app hands it to platform/mail's Outbox).
struct MailMessage {
  std::string to;
  std::string subject;
  std::string text;
};

/// What an e-mail to a person registered on the public portal needs (composed by the portal in
/// the person's portal language).
struct PublicMail {
  std::string kind;  // confirm_request, manage_link, registered, waitlisted, offered, ... as Notification::kind
  std::string language;
  std::string to;
  std::string name;
  std::string event_id;
  std::string event_title;
  std::int64_t first_start_utc = 0;
  std::string manage_url;  // the person's secret link to confirm, accept, decline or cancel
};

/// A self-registration from the public portal.
struct PublicRegistrationInput {
  std::string name;
  std::string email;
  std::string language;  // portal language
};

struct PublicRegistrationView {
  Event event;
  Registration registration;  // status pending until the e-mail link is confirmed
  std::string language;
};

struct Options {
  std::int64_t offer_hours = 48;        // default for new events
  std::int64_t client_data_days = 90;   // client participants' codes are deleted this long after the event
  std::int64_t reminder_hours = 24;     // a reminder goes to confirmed participants this long before the start
  std::string public_base_url;          // e.g. https://fairdesk.example.org, printed on certificates and mails
  /// Queues an e-mail in `tx`, the transaction that claims its notification (platform/mail's
  /// Outbox::Enqueue): both commit or neither, so a claimed mail is never lost and an error leaves
  /// it for the next round. Empty: no e-mail, notifications stay in the application.
  std::function<Status(db::Session& tx, const MailMessage&)> send_mail;
  /// Called after a round that queued mail committed (wakes the outbox's worker).
  std::function<void()> mail_queued;
  /// Seal and open personal fields of public registrants (the app's keyring, associated data
  /// crypto::AssociatedData). With send_mail and compose_public_mail they switch public
  /// self-registration on.
  std::function<Result<std::string>(std::string_view plain, std::string_view associated)> seal;
  std::function<Result<std::string>(std::string_view sealed, std::string_view associated)> open;
  std::function<MailMessage(const PublicMail&)> compose_public_mail;
  std::int64_t pending_hours = 48;  // an unconfirmed public registration is deleted after this
};

struct ListFilter {
  std::string scope = "upcoming";  // upcoming, past, mine (registered), organised, all
  std::optional<std::string> status;
  int limit = 50;
  std::string cursor;
};

struct EventPage {
  std::vector<Event> items;
  std::optional<std::string> next_cursor;
};

/// What the caller asks when registering: themselves (nothing), or a client by code.
struct RegisterInput {
  std::optional<std::string> client_code;
};

struct CertificateFile {
  Certificate certificate;
  std::string pdf;
};

/// Who the caller is to an event (for the web app's buttons).
struct EventView {
  Event event;
  bool can_manage = false;
  bool can_register_self = false;
  bool can_register_clients = false;
  std::optional<Registration> mine;
};

class Service {
 public:
  Service(db::Database& database, Options options = {});
  ~Service();

  std::span<const db::Migration> Migrations() const;

  Result<Event> Create(const Principal& p, const EventFields& fields);
  /// The current fields of an event (for PATCH: the route applies the body to these).
  Result<EventFields> Fields(const Principal& p, std::string_view id);
  Result<Event> Update(const Principal& p, std::string_view id, const EventFields& fields);
  Result<Event> Publish(const Principal& p, std::string_view id);
  Result<Event> Cancel(const Principal& p, std::string_view id, std::string_view reason);
  Result<Event> Complete(const Principal& p, std::string_view id);
  Result<EventView> Get(const Principal& p, std::string_view id);
  Result<EventPage> List(const Principal& p, const ListFilter& filter);

  Result<Registration> Register(const Principal& p, std::string_view event_id, const RegisterInput& input);
  /// Cancels a registration: the participant (also leaving the waiting list or declining an
  /// offer) or the organiser. A freed seat goes to the next person on the list.
  Result<Registration> CancelRegistration(const Principal& p, std::string_view event_id, std::string_view id);
  Result<Registration> AcceptOffer(const Principal& p, std::string_view event_id, std::string_view id);
  Result<Registration> DeclineOffer(const Principal& p, std::string_view event_id, std::string_view id);
  /// Every registration of an event, for the organiser (audited: client codes).
  Result<std::vector<Registration>> Participants(const Principal& p, std::string_view event_id);

  /// Attendance of one session: registration id → attended | no_show.
  Status RecordAttendance(const Principal& p, std::string_view event_id, std::string_view session_id,
                          const std::vector<Attendance>& marks);
  Result<std::vector<Attendance>> AttendanceOf(const Principal& p, std::string_view event_id);
  Status SetHeadCounts(const Principal& p, std::string_view event_id, const std::vector<HeadCount>& counts);
  Result<std::vector<HeadCount>> HeadCounts(const Principal& p, std::string_view event_id);

  /// The certificate of attendance of a registration (issued and numbered on the first call),
  /// for the participant or the organiser; only for trainings and only for attendees.
  Result<CertificateFile> CertificatePdf(const Principal& p, std::string_view event_id, std::string_view id);
  /// Public check of a verification code.
  Result<Certificate> Verify(std::string_view code);

  /// iCalendar of one event.
  Result<std::string> EventCalendar(const Principal& p, std::string_view event_id);
  /// Creates or replaces the caller's feed token (the old URL stops working); answers the token.
  Result<std::string> RotateFeedToken(const Principal& p);
  Status RevokeFeedToken(const Principal& p);
  Result<bool> HasFeedToken(const Principal& p);
  /// The feed of a token: "registrations" (the user's registrations) or "events" (every
  /// published event the user may see). An unknown or revoked token is NotFound.
  Result<std::string> Feed(std::string_view token, std::string_view scope);
  /// Every published public event.
  Result<std::string> PublicFeed();

  // ---- public self-registration (portal; no account, double opt-in by e-mail) ----

  /// Whether people can register themselves (mail and sealing configured).
  bool PublicRegistrationOpen() const;
  /// Published and cancelled public events that have not ended, soonest first.
  Result<std::vector<Event>> PublicEvents();
  /// One public event that is not a draft (NotFound otherwise).
  Result<Event> PublicEvent(std::string_view id);
  /// Records an unconfirmed registration and mails its confirmation link. The same answer
  /// whether or not the address is registered already (then the mail carries the existing link).
  /// Validates a self-registration's fields (name, email, language), naming each bad field.
  static Status CheckPublicInput(const PublicRegistrationInput& input);
  Status RequestPublicRegistration(std::string_view event_id, const PublicRegistrationInput& input);
  /// The registration behind a secret link (NotFound for an unknown or deleted one).
  Result<PublicRegistrationView> PublicRegistration(std::string_view token);
  /// confirm (pending → seat or waiting list), accept (an offer), cancel (also declines an
  /// offer or leaves the list).
  Result<PublicRegistrationView> PublicAction(std::string_view token, std::string_view action);

  Result<std::vector<Notification>> Notifications(const Principal& p);
  Status MarkNotificationsRead(const Principal& p);

  /// Counts for reporting (statistics module; Competence Centre, programme, admins, state
  /// coordinators for their state, centre leads for their centre).
  Result<Report> ReportCounts(const Principal& p, ReportFilter filter);
  /// The same without a caller (for other modules' jobs).
  Result<Report> ReportCounts(const ReportFilter& filter);

  /// Expires offers past their time and passes the seats on. Answers how many expired.
  Result<int> ExpireOffers();
  /// Deletes client participants' codes `client_data_days` after the event. Answers events done.
  Result<int> RunRetention();
  /// Deletes public registrations whose e-mail address was not confirmed within `pending_hours`.
  /// Answers how many. Run by the app's portal-retention job (once per hour across app servers).
  Result<int> DeleteUnconfirmed();
  /// Notifies confirmed participants of events that start within `reminder_hours` (once per
  /// registration). Answers how many were reminded.
  Result<int> SendReminders();
  /// Hands notifications of the last day that were not mailed yet to Options::send_mail.
  /// Answers how many were handed over.
  Result<int> SendPendingMail();
  /// Runs ExpireOffers and SendPendingMail every `interval` (and at once after a change that
  /// notified someone) and RunRetention hourly, until destruction.
  void StartJobs(std::chrono::seconds interval);

  /// Demo content (serve --demo): needs the demo users of auth::SeedDemoUsers.
  Status SeedDemo();

 private:
  db::Database& database_;
  Options options_;
  Store store_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool kicked_ = false;
  void Kick();
  std::thread jobs_;
};

}  // namespace fairdesk::events
