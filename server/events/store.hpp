#pragma once
/// Storage of events, sessions, registrations, attendance, head counts, certificates,
/// notifications and calendar-feed tokens: named SQL, one text for SQLite and PostgreSQL. Every
/// method runs on a session the service opened (Database::Read or Write), so that a change and
/// its audit entry commit together.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "events/model.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::events {

std::span<const db::Migration> StoreMigrations();

struct Viewer {
  std::optional<std::string> centre_id;
  std::optional<std::string> state;
  bool sees_all = false;  // competence centre, programme, admin: every non-draft event
};

struct ListQuery {
  Viewer viewer;
  std::optional<std::int64_t> ends_after;   // upcoming: last session ends after this instant
  std::optional<std::int64_t> ends_before;  // past
  std::optional<std::string> status;
  std::optional<std::string> registered_user;  // only events this user has a live registration for
  bool organised_only = false;                  // only events of the viewer's centre
  std::optional<std::pair<std::int64_t, std::string>> after;  // cursor (first_start_utc, id)
  int limit = 50;
};

/// A notification to be copied by e-mail, with what the message needs.
struct PendingMail {
  std::string notification_id;
  std::string email;
  std::string name;
  std::string language;
  std::string event_title;
  std::string kind;
  std::string event_id;
  std::int64_t first_start_utc = 0;
};

struct DueReminder {
  std::string registration_id;
  std::string event_id;
  std::string user_id;  // the participant, or whoever registered the client
};

/// A person registered on the public portal; personal fields sealed (keyring text).
struct PublicRegistrant {
  std::string registration_id;
  std::string event_id;
  std::optional<std::string> name_enc;
  std::optional<std::string> email_enc;
  std::optional<std::string> token_enc;
  std::string language;  // portal language of their mails and pages
  std::int64_t created_at = 0;
};

struct PendingPublicMail {
  std::string notification_id;
  std::string kind;
  std::string event_id;
  std::string event_title;
  std::int64_t first_start_utc = 0;
  PublicRegistrant who;
};

class Store {
 public:
  // Events
  Status InsertEvent(db::Session& s, const Event& e);
  Status UpdateEvent(db::Session& s, const Event& e);  // every field, sequence and updated_at included
  Result<std::optional<Event>> GetEvent(db::Session& s, std::string_view id);
  /// Locks the event row until the transaction ends (PostgreSQL FOR UPDATE; SQLite's single
  /// writer already serialises). Answers false when there is no such event.
  Result<bool> LockEvent(db::Session& s, std::string_view id);
  Result<std::vector<Event>> ListEvents(db::Session& s, const ListQuery& q);
  Result<std::vector<SessionSlot>> Sessions(db::Session& s, std::string_view event_id);
  Status ReplaceSessions(db::Session& s, std::string_view event_id, const std::vector<SessionSlot>& sessions);
  Result<Counts> CountsOf(db::Session& s, std::string_view event_id);
  Result<std::optional<std::string>> CentreName(db::Session& s, std::string_view centre_id);
  Result<std::optional<std::string>> CentreState(db::Session& s, std::string_view centre_id);

  // Registrations
  Status InsertRegistration(db::Session& s, const Registration& r);
  Status UpdateRegistration(db::Session& s, const Registration& r);  // status, offer, cancel_reason, from_waitlist
  Result<std::optional<Registration>> GetRegistration(db::Session& s, std::string_view event_id, std::string_view id);
  Result<std::vector<Registration>> Registrations(db::Session& s, std::string_view event_id);
  /// The live (not cancelled) registration of a user, or of a client, for an event.
  Result<std::optional<Registration>> LiveRegistrationOfUser(db::Session& s, std::string_view event_id,
                                                             std::string_view user_id);
  Result<std::optional<Registration>> LiveRegistrationOfClient(db::Session& s, std::string_view event_id,
                                                               std::string_view client_id);
  Result<std::optional<Registration>> NextWaiting(db::Session& s, std::string_view event_id);
  Result<std::int64_t> NextQueueSeq(db::Session& s, std::string_view event_id);
  /// Events with an offer that expired at or before `now`.
  Result<std::vector<std::string>> EventsWithExpiredOffers(db::Session& s, std::int64_t now);
  Result<std::vector<Registration>> ExpiredOffers(db::Session& s, std::string_view event_id, std::int64_t now);
  /// A client of `centre_id` by its code: (client id), or nullopt.
  Result<std::optional<std::string>> ClientByCode(db::Session& s, std::string_view centre_id, std::string_view code);
  /// The user's display name and centre.
  Result<std::optional<std::pair<std::string, std::optional<std::string>>>> UserInfo(db::Session& s,
                                                                                      std::string_view user_id);

  // Attendance and head counts
  Status UpsertAttendance(db::Session& s, const Attendance& a, std::string_view by, std::int64_t at);
  Result<std::vector<Attendance>> AttendanceOf(db::Session& s, std::string_view event_id);
  Status ReplaceHeadCounts(db::Session& s, std::string_view event_id, const std::vector<HeadCount>& counts,
                           std::string_view by, std::int64_t at);
  Result<std::vector<HeadCount>> HeadCounts(db::Session& s, std::string_view event_id);

  // Certificates
  Result<std::int64_t> NextCertificateSerial(db::Session& s);
  Status InsertCertificate(db::Session& s, const Certificate& c, std::string_view registration_id);
  Result<std::optional<Certificate>> CertificateOfRegistration(db::Session& s, std::string_view registration_id);
  Result<std::optional<Certificate>> CertificateByCode(db::Session& s, std::string_view code);

  // Notifications
  Status Notify(db::Session& s, std::string_view user_id, std::string_view event_id, std::string_view kind,
                std::int64_t at);
  Result<std::vector<Notification>> NotificationsOf(db::Session& s, std::string_view user_id, int limit);
  Status MarkNotificationsRead(db::Session& s, std::string_view user_id);
  /// Notifications created at or after `since` that have not been mailed yet, oldest first.
  Result<std::vector<PendingMail>> PendingMails(db::Session& s, std::int64_t since, int limit);
  /// Claims a notification's e-mail for this server (marks it mailed at `at` unless it was):
  /// false when another server claimed it first. The caller queues the mail in the same
  /// transaction, so a claim that fails to queue rolls back.
  Result<bool> ClaimMail(db::Session& s, std::string_view notification_id, std::int64_t at);
  Status SetQueueSeq(db::Session& s, std::string_view registration_id, std::int64_t seq);
  // Public registrants (portal self-registration)
  Status InsertPublicRegistrant(db::Session& s, const PublicRegistrant& p, std::string_view email_hash,
                                std::string_view token_hash);
  Result<std::optional<PublicRegistrant>> PublicByToken(db::Session& s, std::string_view token_hash);
  Result<std::optional<PublicRegistrant>> LivePublicByEmail(db::Session& s, std::string_view event_id,
                                                            std::string_view email_hash);
  Result<std::vector<PublicRegistrant>> PublicRegistrantsOf(db::Session& s, std::string_view event_id);
  /// Deletes public registrations never confirmed, made before `before`. Answers how many.
  Result<std::int64_t> DeleteStalePending(db::Session& s, std::int64_t before);
  Result<std::vector<PendingPublicMail>> PendingPublicMails(db::Session& s, std::int64_t since, int limit);
  /// Confirmed registrations of published events starting in (now, until] not reminded yet.
  Result<std::vector<DueReminder>> DueReminders(db::Session& s, std::int64_t now, std::int64_t until, int limit);
  /// Marks a registration as reminded; false when another server did it first.
  Result<bool> MarkReminded(db::Session& s, std::string_view registration_id, std::int64_t at);

  // Calendar feed tokens (stored as SHA-256 hashes)
  Status SetFeedToken(db::Session& s, std::string_view user_id, std::string_view token_hash, std::int64_t at);
  Status DeleteFeedToken(db::Session& s, std::string_view user_id);
  Result<std::optional<std::string>> UserOfFeedToken(db::Session& s, std::string_view token_hash);
  Result<bool> HasFeedToken(db::Session& s, std::string_view user_id);

  // Reporting and retention
  Result<Report> ReportOf(db::Session& s, const ReportFilter& f);
  /// Events whose last session ended before `cutoff` and still hold client personal data.
  Result<std::vector<std::string>> EventsToAnonymise(db::Session& s, std::int64_t cutoff);
  /// Deletes the client codes and public registrants' data of an event and marks it; false when
  /// it was marked already (another server did it).
  Result<bool> AnonymiseClientParticipants(db::Session& s, std::string_view event_id, std::int64_t at);
  Result<std::int64_t> CountEvents(db::Session& s);
  // Demo data
  Result<std::optional<std::string>> UserIdByEmail(db::Session& s, std::string_view email);
  Result<std::vector<std::pair<std::string, std::string>>> SomeClients(db::Session& s, std::string_view centre_id,
                                                                       int limit);
};

}  // namespace fairdesk::events
