#include <algorithm>
#include <atomic>
#include <map>
#include <tuple>

#include "events/store.hpp"

#include <fmt/format.h>

namespace fairdesk::events {
namespace {

// After the directory (centres, 100-199), auth (users, 200-299) and cases (clients, 400-459).
// Lists (languages, topics, knowledge ids) are stored comma-joined: their items are codes and
// ids without commas (checked by the service).
constexpr std::string_view kSchema = R"SQL(
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  organiser_centre_id TEXT NOT NULL REFERENCES centres(id),
  status TEXT NOT NULL,
  languages TEXT NOT NULL,
  topics TEXT NOT NULL,
  capacity BIGINT NOT NULL,
  registration_deadline TEXT NOT NULL,
  audience TEXT NOT NULL,
  audience_state TEXT,
  partner TEXT NOT NULL,
  knowledge_ids TEXT NOT NULL,
  offer_hours BIGINT NOT NULL,
  sequence BIGINT NOT NULL,
  cancel_reason TEXT NOT NULL,
  first_start_utc BIGINT NOT NULL,
  last_end_utc BIGINT NOT NULL,
  first_month TEXT NOT NULL,
  personal_data_deleted_at BIGINT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX events_start ON events (first_start_utc, id);
CREATE INDEX events_organiser ON events (organiser_centre_id);

CREATE TABLE event_sessions (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  start_local TEXT NOT NULL,
  end_local TEXT NOT NULL,
  start_utc BIGINT NOT NULL,
  end_utc BIGINT NOT NULL,
  place TEXT NOT NULL,
  online_url TEXT NOT NULL
);
CREATE INDEX event_sessions_event ON event_sessions (event_id, position);

CREATE TABLE event_registrations (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  participant TEXT NOT NULL,
  user_id TEXT REFERENCES users(id),
  client_id TEXT,
  client_code TEXT,
  centre_id TEXT NOT NULL,
  status TEXT NOT NULL,
  queue_seq BIGINT NOT NULL,
  offer_expires_at BIGINT,
  from_waitlist INTEGER NOT NULL,
  cancel_reason TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX event_registrations_event ON event_registrations (event_id, status, queue_seq);
CREATE INDEX event_registrations_user ON event_registrations (user_id);
CREATE INDEX event_registrations_offer ON event_registrations (status, offer_expires_at);

CREATE TABLE event_attendance (
  registration_id TEXT NOT NULL REFERENCES event_registrations(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL REFERENCES event_sessions(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (registration_id, session_id)
);

CREATE TABLE event_head_counts (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  session_id TEXT,
  language TEXT NOT NULL,
  gender TEXT NOT NULL,
  count BIGINT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX event_head_counts_event ON event_head_counts (event_id);

CREATE TABLE event_counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO event_counters (name, value) VALUES ('certificate', 0);

CREATE TABLE event_certificates (
  number TEXT PRIMARY KEY,
  registration_id TEXT NOT NULL UNIQUE REFERENCES event_registrations(id),
  event_id TEXT NOT NULL REFERENCES events(id),
  verification_code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  dates TEXT NOT NULL,
  issued_at BIGINT NOT NULL
);

CREATE TABLE event_notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX event_notifications_user ON event_notifications (user_id, created_at);

CREATE TABLE event_feed_tokens (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
)SQL";

// E-mail copies of notifications go out from an outbox: rows not yet mailed. Rows that existed
// before are marked as mailed, so that switching mail on never sends old news.
constexpr std::string_view kMailOutbox = R"SQL(
ALTER TABLE event_notifications ADD COLUMN mailed_at BIGINT;
UPDATE event_notifications SET mailed_at = created_at;
CREATE INDEX event_notifications_unmailed ON event_notifications (mailed_at, created_at);
)SQL";

// Who registered a client (centre staff): they are told about offers and cancellations, since
// the client has no account.
constexpr std::string_view kRegisteredBy = R"SQL(
ALTER TABLE event_registrations ADD COLUMN registered_by TEXT;
)SQL";

// A reminder goes out once per registration, the day before the event.
constexpr std::string_view kReminders = R"SQL(
ALTER TABLE event_registrations ADD COLUMN reminded_at BIGINT;
)SQL";

// People who register themselves on the public portal (no account): name, e-mail address and
// the secret of their link, sealed by the app's keyring; the e-mail hash finds a second
// registration of the same address; the token hash finds the registration from the link.
constexpr std::string_view kPublicRegistrants = R"SQL(
CREATE TABLE event_public_registrants (
  registration_id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  email_hash TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  name_enc TEXT,
  email_enc TEXT,
  token_enc TEXT,
  language TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX event_public_registrants_email ON event_public_registrants (event_id, email_hash);
)SQL";

constexpr db::Migration kMigrations[] = {{550, "events", kSchema, {}},
                                         {551, "events mail outbox", kMailOutbox, {}},
                                         {552, "events registered_by", kRegisteredBy, {}},
                                         {553, "events reminders", kReminders, {}},
                                         {554, "events public registrants", kPublicRegistrants, {}}};

#define EVENT_SELECT                                                                                              \
  "SELECT e.id, e.kind, e.title, e.description, e.organiser_centre_id, c.name, e.status, e.languages, e.topics, " \
  "e.capacity, e.registration_deadline, e.audience, e.audience_state, e.partner, e.knowledge_ids, e.offer_hours, " \
  "e.sequence, e.cancel_reason, e.created_by, e.created_at, e.updated_at FROM events e JOIN centres c ON c.id = "  \
  "e.organiser_centre_id "

constexpr db::Query kInsertEvent{
    "events.insert",
    "INSERT INTO events (id, kind, title, description, organiser_centre_id, status, languages, topics, capacity, "
    "registration_deadline, audience, audience_state, partner, knowledge_ids, offer_hours, sequence, cancel_reason, "
    "first_start_utc, last_end_utc, first_month, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
    "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)"};
constexpr db::Query kUpdateEvent{
    "events.update",
    "UPDATE events SET kind = $2, title = $3, description = $4, organiser_centre_id = $5, status = $6, languages = $7, "
    "topics = $8, capacity = $9, registration_deadline = $10, audience = $11, audience_state = $12, partner = $13, "
    "knowledge_ids = $14, offer_hours = $15, sequence = $16, cancel_reason = $17, first_start_utc = $18, "
    "last_end_utc = $19, first_month = $20, updated_at = $21 WHERE id = $1"};
constexpr db::Query kGetEvent{"events.get", EVENT_SELECT "WHERE e.id = $1"};
constexpr db::Query kLockEvent{"events.lock", "SELECT id FROM events WHERE id = $1 FOR UPDATE",
                               "SELECT id FROM events WHERE id = $1"};
// Visibility: drafts only for the organiser's centre; audience "state" for that state, the
// organiser and those who see everything.
constexpr db::Query kListEvents{
    "events.list",
    EVENT_SELECT
    "WHERE (e.status <> 'draft' OR e.organiser_centre_id = CAST($1 AS TEXT)) "
    "AND (e.audience <> 'state' OR e.audience_state = CAST($2 AS TEXT) OR e.organiser_centre_id = CAST($1 AS TEXT) "
    "OR CAST($3 AS BIGINT) = 1) "
    "AND (CAST($4 AS BIGINT) IS NULL OR e.last_end_utc > CAST($4 AS BIGINT)) "
    "AND (CAST($5 AS BIGINT) IS NULL OR e.last_end_utc <= CAST($5 AS BIGINT)) "
    "AND (CAST($6 AS TEXT) IS NULL OR e.status = CAST($6 AS TEXT)) "
    "AND (CAST($7 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM event_registrations r WHERE r.event_id = e.id "
    "AND r.user_id = CAST($7 AS TEXT) AND r.status <> 'cancelled')) "
    "AND (CAST($8 AS BIGINT) = 0 OR e.organiser_centre_id = CAST($1 AS TEXT)) "
    "AND (CAST($9 AS BIGINT) IS NULL OR e.first_start_utc > CAST($9 AS BIGINT) OR (e.first_start_utc = CAST($9 AS "
    "BIGINT) AND e.id > CAST($10 AS TEXT))) "
    "ORDER BY e.first_start_utc, e.id LIMIT $11"};
constexpr db::Query kSessions{"events.sessions",
                              "SELECT id, start_local, end_local, start_utc, end_utc, place, online_url FROM "
                              "event_sessions WHERE event_id = $1 ORDER BY position"};
constexpr db::Query kDeleteSessions{"events.delete_sessions", "DELETE FROM event_sessions WHERE event_id = $1"};
constexpr db::Query kInsertSession{"events.insert_session",
                                   "INSERT INTO event_sessions (id, event_id, position, start_local, end_local, "
                                   "start_utc, end_utc, place, online_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr db::Query kCounts{
    "events.counts",
    "SELECT "
    "(SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status IN ('confirmed', 'attended', 'no_show')), "
    "(SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'offered'), "
    "(SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'waitlisted'), "
    "(SELECT COALESCE(SUM(count), 0) FROM event_head_counts WHERE event_id = $1)"};
constexpr db::Query kCentreName{"events.centre_name", "SELECT name, state FROM centres WHERE id = $1"};

#define REG_SELECT                                                                                                  \
  "SELECT r.id, r.event_id, r.participant, r.user_id, u.display_name, r.client_code, r.centre_id, r.status, "       \
  "r.queue_seq, r.offer_expires_at, r.from_waitlist, r.cancel_reason, r.created_at, r.updated_at, ct.number, "      \
  "r.registered_by FROM "                                                                                          \
  "event_registrations r LEFT JOIN users u ON u.id = r.user_id LEFT JOIN event_certificates ct ON "                \
  "ct.registration_id = r.id "

constexpr db::Query kInsertRegistration{
    "events.insert_registration",
    "INSERT INTO event_registrations (id, event_id, participant, user_id, client_id, client_code, centre_id, status, "
    "queue_seq, offer_expires_at, from_waitlist, cancel_reason, created_at, updated_at, registered_by) VALUES ($1, $2, "
    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"};
constexpr db::Query kUpdateRegistration{
    "events.update_registration",
    "UPDATE event_registrations SET status = $2, offer_expires_at = $3, from_waitlist = $4, cancel_reason = $5, "
    "updated_at = $6 WHERE id = $1"};
constexpr db::Query kSetQueueSeq{"events.set_queue_seq",
                                 "UPDATE event_registrations SET queue_seq = $2 WHERE id = $1"};
constexpr db::Query kGetRegistration{"events.get_registration", REG_SELECT "WHERE r.event_id = $1 AND r.id = $2"};
constexpr db::Query kRegistrations{"events.registrations",
                                   REG_SELECT "WHERE r.event_id = $1 ORDER BY r.queue_seq, r.id"};
constexpr db::Query kLiveOfUser{"events.live_registration_of_user",
                                REG_SELECT "WHERE r.event_id = $1 AND r.user_id = $2 AND r.status <> 'cancelled'"};
constexpr db::Query kLiveOfClient{"events.live_registration_of_client",
                                  REG_SELECT "WHERE r.event_id = $1 AND r.client_id = $2 AND r.status <> 'cancelled'"};
constexpr db::Query kNextWaiting{
    "events.next_waiting",
    REG_SELECT "WHERE r.event_id = $1 AND r.status = 'waitlisted' ORDER BY r.queue_seq, r.id LIMIT 1"};
constexpr db::Query kNextQueueSeq{"events.next_queue_seq",
                                  "SELECT COALESCE(MAX(queue_seq), 0) + 1 FROM event_registrations WHERE event_id = $1"};
constexpr db::Query kEventsWithExpired{
    "events.events_with_expired_offers",
    "SELECT DISTINCT event_id FROM event_registrations WHERE status = 'offered' AND offer_expires_at <= $1"};
constexpr db::Query kExpiredOffers{
    "events.expired_offers",
    REG_SELECT "WHERE r.event_id = $1 AND r.status = 'offered' AND r.offer_expires_at <= $2 ORDER BY r.queue_seq"};
constexpr db::Query kClientByCode{"events.client_by_code",
                                  "SELECT id FROM clients WHERE centre_id = $1 AND code = $2"};
constexpr db::Query kUserInfo{"events.user_info", "SELECT display_name, centre_id FROM users WHERE id = $1"};

constexpr db::Query kUpsertAttendance{
    "events.upsert_attendance",
    "INSERT INTO event_attendance (registration_id, session_id, status, recorded_by, recorded_at) VALUES ($1, $2, $3, "
    "$4, $5) ON CONFLICT (registration_id, session_id) DO UPDATE SET status = excluded.status, recorded_by = "
    "excluded.recorded_by, recorded_at = excluded.recorded_at"};
constexpr db::Query kAttendanceOf{
    "events.attendance_of",
    "SELECT a.registration_id, a.session_id, a.status FROM event_attendance a JOIN event_sessions s ON s.id = "
    "a.session_id WHERE s.event_id = $1 ORDER BY a.registration_id, s.position"};
constexpr db::Query kDeleteHeadCounts{"events.delete_head_counts", "DELETE FROM event_head_counts WHERE event_id = $1"};
constexpr db::Query kInsertHeadCount{
    "events.insert_head_count",
    "INSERT INTO event_head_counts (id, event_id, session_id, language, gender, count, recorded_by, recorded_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
constexpr db::Query kHeadCounts{"events.head_counts",
                                "SELECT session_id, language, gender, count FROM event_head_counts WHERE event_id = $1 "
                                "ORDER BY session_id, language, gender"};

constexpr db::Query kNextSerial{"events.next_certificate_serial",
                                "UPDATE event_counters SET value = value + 1 WHERE name = 'certificate' RETURNING value"};
constexpr db::Query kInsertCertificate{
    "events.insert_certificate",
    "INSERT INTO event_certificates (number, registration_id, event_id, verification_code, name, dates, issued_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"};
#define CERT_SELECT                                                                                                \
  "SELECT ct.number, ct.verification_code, ct.name, ct.event_id, e.title, e.kind, c.name, ct.dates, ct.issued_at, " \
  "e.status FROM event_certificates ct JOIN events e ON e.id = ct.event_id JOIN centres c ON c.id = "               \
  "e.organiser_centre_id "
constexpr db::Query kCertificateOfRegistration{"events.certificate_of_registration",
                                               CERT_SELECT "WHERE ct.registration_id = $1"};
constexpr db::Query kCertificateByCode{"events.certificate_by_code", CERT_SELECT "WHERE ct.verification_code = $1"};

constexpr db::Query kNotify{"events.notify",
                            "INSERT INTO event_notifications (id, user_id, event_id, kind, created_at) VALUES ($1, $2, "
                            "$3, $4, $5)"};
constexpr db::Query kNotifications{
    "events.notifications",
    "SELECT n.id, n.event_id, e.title, n.kind, n.created_at, n.read_at FROM event_notifications n JOIN events e ON "
    "e.id = n.event_id WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2"};
constexpr db::Query kMarkRead{"events.mark_notifications_read",
                              "UPDATE event_notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL"};

constexpr db::Query kSetFeedToken{
    "events.set_feed_token",
    "INSERT INTO event_feed_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO "
    "UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at"};
constexpr db::Query kDeleteFeedToken{"events.delete_feed_token", "DELETE FROM event_feed_tokens WHERE user_id = $1"};
constexpr db::Query kUserOfFeedToken{"events.user_of_feed_token",
                                     "SELECT user_id FROM event_feed_tokens WHERE token_hash = $1"};
constexpr db::Query kHasFeedToken{"events.has_feed_token", "SELECT 1 FROM event_feed_tokens WHERE user_id = $1"};

constexpr db::Query kReport{
    "events.report",
    "SELECT e.id, e.organiser_centre_id, c.state, e.first_month, e.kind, "
    "(SELECT COUNT(*) FROM event_sessions s WHERE s.event_id = e.id), "
    "(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status IN ('confirmed', 'attended', "
    "'no_show')), "
    "(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'attended'), "
    "(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'no_show'), "
    "(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted') "
    "FROM events e JOIN centres c ON c.id = e.organiser_centre_id WHERE e.status IN ('published', 'completed') "
    "AND (CAST($1 AS TEXT) IS NULL OR e.first_month >= CAST($1 AS TEXT)) "
    "AND (CAST($2 AS TEXT) IS NULL OR e.first_month <= CAST($2 AS TEXT)) "
    "AND (CAST($3 AS TEXT) IS NULL OR e.organiser_centre_id = CAST($3 AS TEXT)) "
    "AND (CAST($4 AS TEXT) IS NULL OR c.state = CAST($4 AS TEXT)) ORDER BY e.first_month, e.id"};
constexpr db::Query kReportHeadCounts{
    "events.report_head_counts",
    "SELECT e.organiser_centre_id, c.state, e.first_month, h.language, h.gender, SUM(h.count) FROM event_head_counts h "
    "JOIN events e ON e.id = h.event_id JOIN centres c ON c.id = e.organiser_centre_id WHERE e.status IN "
    "('published', 'completed') "
    "AND (CAST($1 AS TEXT) IS NULL OR e.first_month >= CAST($1 AS TEXT)) "
    "AND (CAST($2 AS TEXT) IS NULL OR e.first_month <= CAST($2 AS TEXT)) "
    "AND (CAST($3 AS TEXT) IS NULL OR e.organiser_centre_id = CAST($3 AS TEXT)) "
    "AND (CAST($4 AS TEXT) IS NULL OR c.state = CAST($4 AS TEXT)) "
    "GROUP BY e.organiser_centre_id, c.state, e.first_month, h.language, h.gender "
    "ORDER BY e.first_month, e.organiser_centre_id, h.language, h.gender"};
constexpr db::Query kEventsToAnonymise{
    "events.events_to_anonymise",
    "SELECT e.id FROM events e WHERE e.last_end_utc < $1 AND e.personal_data_deleted_at IS NULL AND EXISTS (SELECT 1 "
    "FROM event_registrations r WHERE r.event_id = e.id AND r.participant IN ('client', 'public'))"};
constexpr db::Query kAnonymisePublic{
    "events.anonymise_public",
    "UPDATE event_public_registrants SET name_enc = NULL, email_enc = NULL, token_enc = NULL, email_hash = '' WHERE "
    "event_id = $1"};
constexpr db::Query kInsertPublic{
    "events.insert_public_registrant",
    "INSERT INTO event_public_registrants (registration_id, event_id, email_hash, token_hash, name_enc, email_enc, "
    "token_enc, language, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
#define PUBLIC_SELECT                                                                                              \
  "SELECT p.registration_id, p.event_id, p.name_enc, p.email_enc, p.token_enc, p.language, p.created_at FROM "     \
  "event_public_registrants p "
constexpr db::Query kPublicByToken{"events.public_by_token", PUBLIC_SELECT "WHERE p.token_hash = $1"};
constexpr db::Query kPublicOfEvent{"events.public_of_event", PUBLIC_SELECT "WHERE p.event_id = $1"};
constexpr db::Query kLivePublicByEmail{
    "events.live_public_by_email",
    PUBLIC_SELECT "JOIN event_registrations r ON r.id = p.registration_id WHERE p.event_id = $1 AND p.email_hash = $2 "
    "AND r.status <> 'cancelled'"};
constexpr db::Query kDeleteStalePublic{
    "events.delete_stale_public",
    "DELETE FROM event_public_registrants WHERE registration_id IN (SELECT id FROM event_registrations WHERE "
    "participant = 'public' AND status = 'pending' AND created_at < $1)"};
constexpr db::Query kDeleteStalePending{
    "events.delete_stale_pending",
    "DELETE FROM event_registrations WHERE participant = 'public' AND status = 'pending' AND created_at < $1"};
constexpr db::Query kPendingPublicMails{
    "events.pending_public_mails",
    "SELECT n.id, n.kind, n.event_id, e.title, e.first_start_utc, p.registration_id, p.name_enc, p.email_enc, "
    "p.token_enc, p.language FROM event_notifications n JOIN event_public_registrants p ON p.registration_id = "
    "n.user_id JOIN events e ON e.id = n.event_id WHERE n.mailed_at IS NULL AND n.created_at >= $1 AND p.email_enc "
    "IS NOT NULL ORDER BY n.created_at, n.id LIMIT $2"};
constexpr db::Query kAnonymiseClients{
    "events.anonymise_clients",
    "UPDATE event_registrations SET client_id = NULL, client_code = NULL, updated_at = $2 WHERE event_id = $1 AND "
    "participant = 'client'"};
constexpr db::Query kMarkAnonymised{
    "events.mark_anonymised",
    "UPDATE events SET personal_data_deleted_at = $2 WHERE id = $1 AND personal_data_deleted_at IS NULL"};
constexpr db::Query kPendingMails{
    "events.pending_mails",
    "SELECT n.id, u.email, u.display_name, u.language, e.title, n.kind, n.event_id, e.first_start_utc FROM "
    "event_notifications n JOIN "
    "users u ON u.id = n.user_id JOIN events e ON e.id = n.event_id WHERE n.mailed_at IS NULL AND n.created_at >= $1 "
    "ORDER BY n.created_at, n.id LIMIT $2"};
constexpr db::Query kDueReminders{
    "events.due_reminders",
    "SELECT r.id, r.event_id, COALESCE(r.user_id, r.registered_by, r.id) FROM event_registrations r JOIN events e ON "
    "e.id = r.event_id WHERE r.status = 'confirmed' AND r.reminded_at IS NULL AND e.status = 'published' AND "
    "e.first_start_utc > $1 AND e.first_start_utc <= $2 "
    "ORDER BY e.first_start_utc, r.id LIMIT $3"};
constexpr db::Query kMarkReminded{"events.mark_reminded",
                                  "UPDATE event_registrations SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL"};
constexpr db::Query kClaimMail{"events.claim_mail",
                               "UPDATE event_notifications SET mailed_at = $2 WHERE id = $1 AND mailed_at IS NULL"};
constexpr db::Query kCountEvents{"events.count", "SELECT COUNT(*) FROM events"};
constexpr db::Query kUserIdByEmail{"events.user_id_by_email", "SELECT id FROM users WHERE email = $1"};
constexpr db::Query kSomeClients{"events.some_clients",
                                 "SELECT id, code FROM clients WHERE centre_id = $1 ORDER BY code LIMIT $2"};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Event EventFromRow(const db::Row& r) {
  Event e;
  e.id = r.Text(0);
  e.kind = r.Text(1);
  e.title = r.Text(2);
  e.description = r.Text(3);
  e.organiser_centre_id = r.Text(4);
  e.organiser_name = r.Text(5);
  e.status = r.Text(6);
  e.languages = Split(r.Text(7));
  e.topics = Split(r.Text(8));
  e.capacity = r.Int(9);
  e.registration_deadline = r.Text(10);
  e.audience = r.Text(11);
  e.audience_state = r.OptText(12);
  e.partner = r.Text(13);
  e.knowledge_ids = Split(r.Text(14));
  e.offer_hours = r.Int(15);
  e.sequence = r.Int(16);
  e.cancel_reason = r.Text(17);
  e.created_by = r.Text(18);
  e.created_at = r.Int(19);
  e.updated_at = r.Int(20);
  return e;
}

Registration RegFromRow(const db::Row& r) {
  Registration g;
  g.id = r.Text(0);
  g.event_id = r.Text(1);
  g.participant = r.Text(2);
  g.user_id = r.OptText(3);
  g.name = r.OptText(4);
  g.client_code = r.OptText(5);
  g.centre_id = r.Text(6);
  g.status = r.Text(7);
  g.queue_seq = r.Int(8);
  g.offer_expires_at = r.OptInt(9);
  g.from_waitlist = r.Bool(10);
  g.cancel_reason = r.Text(11);
  g.created_at = r.Int(12);
  g.updated_at = r.Int(13);
  g.certificate_number = r.OptText(14);
  g.registered_by = r.OptText(15);
  return g;
}

Certificate CertFromRow(const db::Row& r) {
  Certificate c;
  c.number = r.Text(0);
  c.verification_code = r.Text(1);
  c.name = r.Text(2);
  c.event_id = r.Text(3);
  c.event_title = r.Text(4);
  c.event_kind = r.Text(5);
  c.organiser_name = r.Text(6);
  c.dates = Split(r.Text(7));
  c.issued_at = r.Int(8);
  return c;
}

struct Span {
  std::int64_t first = 0, last = 0;
  std::string month;
};
Span SpanOf(const Event& e) {
  Span s;
  if (e.sessions.empty()) return s;
  s.first = e.sessions.front().start_utc;
  s.last = e.sessions.front().end_utc;
  std::string first_local = e.sessions.front().start;
  for (const auto& x : e.sessions) {
    if (x.start_utc < s.first) {
      s.first = x.start_utc;
      first_local = x.start;
    }
    s.last = std::max(s.last, x.end_utc);
  }
  s.month = first_local.substr(0, 7);
  return s;
}

db::Value OptStr(const std::optional<std::string>& s) { return db::Opt(s); }

}  // namespace

std::span<const db::Migration> StoreMigrations() { return kMigrations; }

Status Store::InsertEvent(db::Session& s, const Event& e) {
  auto span = SpanOf(e);
  FD_TRY(s.Exec(kInsertEvent,
                {e.id, e.kind, e.title, e.description, e.organiser_centre_id, e.status, Join(e.languages),
                 Join(e.topics), e.capacity, e.registration_deadline, e.audience, OptStr(e.audience_state), e.partner,
                 Join(e.knowledge_ids), e.offer_hours, e.sequence, e.cancel_reason, span.first, span.last, span.month,
                 e.created_by, e.created_at, e.updated_at}));
  return ReplaceSessions(s, e.id, e.sessions);
}

Status Store::UpdateEvent(db::Session& s, const Event& e) {
  auto span = SpanOf(e);
  FD_TRY(s.Exec(kUpdateEvent, {e.id, e.kind, e.title, e.description, e.organiser_centre_id, e.status,
                               Join(e.languages), Join(e.topics), e.capacity, e.registration_deadline, e.audience,
                               OptStr(e.audience_state), e.partner, Join(e.knowledge_ids), e.offer_hours, e.sequence,
                               e.cancel_reason, span.first, span.last, span.month, e.updated_at}));
  return {};
}

Result<std::optional<Event>> Store::GetEvent(db::Session& s, std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kGetEvent, {std::string(id)}));
  if (!row) return std::optional<Event>{};
  Event e = EventFromRow(*row);
  e.sessions = FD_TRY(Sessions(s, e.id));
  e.counts = FD_TRY(CountsOf(s, e.id));
  return std::optional<Event>{std::move(e)};
}

Result<bool> Store::LockEvent(db::Session& s, std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kLockEvent, {std::string(id)}));
  return row.has_value();
}

Result<std::vector<Event>> Store::ListEvents(db::Session& s, const ListQuery& q) {
  auto rows = FD_TRY(s.Query(
      kListEvents,
      {OptStr(q.viewer.centre_id), OptStr(q.viewer.state), std::int64_t{q.viewer.sees_all ? 1 : 0},
       db::Opt(q.ends_after), db::Opt(q.ends_before), OptStr(q.status), OptStr(q.registered_user),
       std::int64_t{q.organised_only ? 1 : 0}, q.after ? db::Value{q.after->first} : db::Null(),
       q.after ? db::Value{q.after->second} : db::Null(), std::int64_t{q.limit}}));
  std::vector<Event> out;
  for (const auto& r : rows) {
    Event e = EventFromRow(r);
    e.sessions = FD_TRY(Sessions(s, e.id));
    e.counts = FD_TRY(CountsOf(s, e.id));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<SessionSlot>> Store::Sessions(db::Session& s, std::string_view event_id) {
  std::vector<SessionSlot> out;
  for (const auto& r : FD_TRY(s.Query(kSessions, {std::string(event_id)}))) {
    out.push_back(SessionSlot{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4), r.Text(5), r.Text(6)});
  }
  return out;
}

Status Store::ReplaceSessions(db::Session& s, std::string_view event_id, const std::vector<SessionSlot>& sessions) {
  FD_TRY(s.Exec(kDeleteSessions, {std::string(event_id)}));
  std::int64_t pos = 0;
  for (const auto& x : sessions) {
    FD_TRY(s.Exec(kInsertSession, {x.id, std::string(event_id), pos++, x.start, x.end, x.start_utc, x.end_utc, x.place,
                                   x.online_url}));
  }
  return {};
}

Result<Counts> Store::CountsOf(db::Session& s, std::string_view event_id) {
  auto r = FD_TRY(s.One(kCounts, {std::string(event_id)}));
  return Counts{r.Int(0), r.Int(1), r.Int(2), r.Int(3)};
}

Result<std::optional<std::string>> Store::CentreName(db::Session& s, std::string_view centre_id) {
  auto row = FD_TRY(s.MaybeOne(kCentreName, {std::string(centre_id)}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{row->Text(0)};
}

Result<std::optional<std::string>> Store::CentreState(db::Session& s, std::string_view centre_id) {
  auto row = FD_TRY(s.MaybeOne(kCentreName, {std::string(centre_id)}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{row->Text(1)};
}

Status Store::InsertRegistration(db::Session& s, const Registration& r) {
  FD_TRY(s.Exec(kInsertRegistration,
                {r.id, r.event_id, r.participant, OptStr(r.user_id),
                 OptStr(r.client_id), OptStr(r.client_code), r.centre_id,
                 r.status, r.queue_seq, db::Opt(r.offer_expires_at), std::int64_t{r.from_waitlist ? 1 : 0},
                 r.cancel_reason, r.created_at, r.updated_at, OptStr(r.registered_by)}));
  return {};
}

Status Store::UpdateRegistration(db::Session& s, const Registration& r) {
  FD_TRY(s.Exec(kUpdateRegistration, {r.id, r.status, db::Opt(r.offer_expires_at),
                                      std::int64_t{r.from_waitlist ? 1 : 0}, r.cancel_reason, r.updated_at}));
  return {};
}

Result<std::optional<Registration>> Store::GetRegistration(db::Session& s, std::string_view event_id,
                                                           std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kGetRegistration, {std::string(event_id), std::string(id)}));
  if (!row) return std::optional<Registration>{};
  return std::optional<Registration>{RegFromRow(*row)};
}

Result<std::vector<Registration>> Store::Registrations(db::Session& s, std::string_view event_id) {
  std::vector<Registration> out;
  for (const auto& r : FD_TRY(s.Query(kRegistrations, {std::string(event_id)}))) out.push_back(RegFromRow(r));
  return out;
}

Result<std::optional<Registration>> Store::LiveRegistrationOfUser(db::Session& s, std::string_view event_id,
                                                                  std::string_view user_id) {
  auto row = FD_TRY(s.MaybeOne(kLiveOfUser, {std::string(event_id), std::string(user_id)}));
  if (!row) return std::optional<Registration>{};
  return std::optional<Registration>{RegFromRow(*row)};
}

Result<std::optional<Registration>> Store::LiveRegistrationOfClient(db::Session& s, std::string_view event_id,
                                                                    std::string_view client_id) {
  auto row = FD_TRY(s.MaybeOne(kLiveOfClient, {std::string(event_id), std::string(client_id)}));
  if (!row) return std::optional<Registration>{};
  return std::optional<Registration>{RegFromRow(*row)};
}

Result<std::optional<Registration>> Store::NextWaiting(db::Session& s, std::string_view event_id) {
  auto row = FD_TRY(s.MaybeOne(kNextWaiting, {std::string(event_id)}));
  if (!row) return std::optional<Registration>{};
  return std::optional<Registration>{RegFromRow(*row)};
}

Result<std::int64_t> Store::NextQueueSeq(db::Session& s, std::string_view event_id) {
  return FD_TRY(s.One(kNextQueueSeq, {std::string(event_id)})).Int(0);
}

Result<std::vector<std::string>> Store::EventsWithExpiredOffers(db::Session& s, std::int64_t now) {
  std::vector<std::string> out;
  for (const auto& r : FD_TRY(s.Query(kEventsWithExpired, {now}))) out.push_back(r.Text(0));
  return out;
}

Result<std::vector<Registration>> Store::ExpiredOffers(db::Session& s, std::string_view event_id, std::int64_t now) {
  std::vector<Registration> out;
  for (const auto& r : FD_TRY(s.Query(kExpiredOffers, {std::string(event_id), now}))) out.push_back(RegFromRow(r));
  return out;
}

Result<std::optional<std::string>> Store::ClientByCode(db::Session& s, std::string_view centre_id,
                                                       std::string_view code) {
  auto row = FD_TRY(s.MaybeOne(kClientByCode, {std::string(centre_id), std::string(code)}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{row->Text(0)};
}

Result<std::optional<std::pair<std::string, std::optional<std::string>>>> Store::UserInfo(db::Session& s,
                                                                                           std::string_view user_id) {
  auto row = FD_TRY(s.MaybeOne(kUserInfo, {std::string(user_id)}));
  using R = std::optional<std::pair<std::string, std::optional<std::string>>>;
  if (!row) return R{};
  return R{std::pair{row->Text(0), row->OptText(1)}};
}

Status Store::UpsertAttendance(db::Session& s, const Attendance& a, std::string_view by, std::int64_t at) {
  FD_TRY(s.Exec(kUpsertAttendance, {a.registration_id, a.session_id, a.status, std::string(by), at}));
  return {};
}

Result<std::vector<Attendance>> Store::AttendanceOf(db::Session& s, std::string_view event_id) {
  std::vector<Attendance> out;
  for (const auto& r : FD_TRY(s.Query(kAttendanceOf, {std::string(event_id)}))) {
    out.push_back(Attendance{r.Text(0), r.Text(1), r.Text(2)});
  }
  return out;
}

Status Store::ReplaceHeadCounts(db::Session& s, std::string_view event_id, const std::vector<HeadCount>& counts,
                                std::string_view by, std::int64_t at) {
  FD_TRY(s.Exec(kDeleteHeadCounts, {std::string(event_id)}));
  int i = 0;
  for (const auto& c : counts) {
    FD_TRY(s.Exec(kInsertHeadCount, {std::string(event_id) + "-" + std::to_string(i++), std::string(event_id),
                                     OptStr(c.session_id), c.language, c.gender, c.count, std::string(by), at}));
  }
  return {};
}

Result<std::vector<HeadCount>> Store::HeadCounts(db::Session& s, std::string_view event_id) {
  std::vector<HeadCount> out;
  for (const auto& r : FD_TRY(s.Query(kHeadCounts, {std::string(event_id)}))) {
    out.push_back(HeadCount{r.OptText(0), r.Text(1), r.Text(2), r.Int(3)});
  }
  return out;
}

Result<std::int64_t> Store::NextCertificateSerial(db::Session& s) { return FD_TRY(s.One(kNextSerial, {})).Int(0); }

Status Store::InsertCertificate(db::Session& s, const Certificate& c, std::string_view registration_id) {
  FD_TRY(s.Exec(kInsertCertificate, {c.number, std::string(registration_id), c.event_id, c.verification_code, c.name,
                                     Join(c.dates), c.issued_at}));
  return {};
}

Result<std::optional<Certificate>> Store::CertificateOfRegistration(db::Session& s, std::string_view registration_id) {
  auto row = FD_TRY(s.MaybeOne(kCertificateOfRegistration, {std::string(registration_id)}));
  if (!row) return std::optional<Certificate>{};
  return std::optional<Certificate>{CertFromRow(*row)};
}

Result<std::optional<Certificate>> Store::CertificateByCode(db::Session& s, std::string_view code) {
  auto row = FD_TRY(s.MaybeOne(kCertificateByCode, {std::string(code)}));
  if (!row) return std::optional<Certificate>{};
  return std::optional<Certificate>{CertFromRow(*row)};
}

Status Store::Notify(db::Session& s, std::string_view user_id, std::string_view event_id, std::string_view kind,
                     std::int64_t at) {
  static std::atomic<std::uint64_t> counter{0};
  // Zero-padded so that notifications of the same second sort in the order they were made.
  std::string id = fmt::format("ntf_{}_{:012}_", at, counter.fetch_add(1)) + std::string(event_id).substr(0, 20) +
                   std::string(user_id).substr(0, 20);
  FD_TRY(s.Exec(kNotify, {id, std::string(user_id), std::string(event_id), std::string(kind), at}));
  return {};
}

Result<std::vector<Notification>> Store::NotificationsOf(db::Session& s, std::string_view user_id, int limit) {
  std::vector<Notification> out;
  for (const auto& r : FD_TRY(s.Query(kNotifications, {std::string(user_id), std::int64_t{limit}}))) {
    out.push_back(Notification{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), !r.IsNull(5)});
  }
  return out;
}

Status Store::MarkNotificationsRead(db::Session& s, std::string_view user_id) {
  FD_TRY(s.Exec(kMarkRead, {std::string(user_id), std::int64_t{1}}));
  return {};
}

Status Store::SetFeedToken(db::Session& s, std::string_view user_id, std::string_view token_hash, std::int64_t at) {
  FD_TRY(s.Exec(kSetFeedToken, {std::string(user_id), std::string(token_hash), at}));
  return {};
}

Status Store::DeleteFeedToken(db::Session& s, std::string_view user_id) {
  FD_TRY(s.Exec(kDeleteFeedToken, {std::string(user_id)}));
  return {};
}

Result<std::optional<std::string>> Store::UserOfFeedToken(db::Session& s, std::string_view token_hash) {
  auto row = FD_TRY(s.MaybeOne(kUserOfFeedToken, {std::string(token_hash)}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{row->Text(0)};
}

Result<bool> Store::HasFeedToken(db::Session& s, std::string_view user_id) {
  return FD_TRY(s.MaybeOne(kHasFeedToken, {std::string(user_id)})).has_value();
}

Result<Report> Store::ReportOf(db::Session& s, const ReportFilter& f) {
  Report out;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, ReportRow> rows;
  for (const auto& r : FD_TRY(s.Query(kReport, {OptStr(f.from), OptStr(f.to), OptStr(f.organiser_centre_id),
                                                OptStr(f.state)}))) {
    auto key = std::tuple{r.Text(3), r.Text(1), r.Text(2), r.Text(4)};
    auto& row = rows[key];
    row.month = r.Text(3);
    row.organiser_centre_id = r.Text(1);
    row.state = r.Text(2);
    row.kind = r.Text(4);
    row.events += 1;
    row.sessions += r.Int(5);
    row.registrations += r.Int(6);
    row.attended += r.Int(7);
    row.no_shows += r.Int(8);
    row.waitlisted += r.Int(9);
  }
  for (auto& [k, v] : rows) out.rows.push_back(std::move(v));
  for (const auto& r : FD_TRY(s.Query(kReportHeadCounts, {OptStr(f.from), OptStr(f.to), OptStr(f.organiser_centre_id),
                                                          OptStr(f.state)}))) {
    out.head_counts.push_back(HeadCountRow{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
  }
  return out;
}

Result<std::vector<std::string>> Store::EventsToAnonymise(db::Session& s, std::int64_t cutoff) {
  std::vector<std::string> out;
  for (const auto& r : FD_TRY(s.Query(kEventsToAnonymise, {cutoff}))) out.push_back(r.Text(0));
  return out;
}

Result<bool> Store::AnonymiseClientParticipants(db::Session& s, std::string_view event_id, std::int64_t at) {
  // Marked first: the row is then locked until commit, and a second server finds it marked.
  if (FD_TRY(s.Exec(kMarkAnonymised, {std::string(event_id), at})) == 0) return false;
  FD_TRY(s.Exec(kAnonymiseClients, {std::string(event_id), at}));
  FD_TRY(s.Exec(kAnonymisePublic, {std::string(event_id)}));
  return true;
}

Result<std::vector<PendingMail>> Store::PendingMails(db::Session& s, std::int64_t since, int limit) {
  std::vector<PendingMail> out;
  for (const auto& r : FD_TRY(s.Query(kPendingMails, {since, std::int64_t{limit}}))) {
    out.push_back(PendingMail{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Int(7)});
  }
  return out;
}

namespace {
PublicRegistrant PublicFrom(const db::Row& r) {
  return PublicRegistrant{r.Text(0), r.Text(1), r.OptText(2), r.OptText(3), r.OptText(4), r.Text(5), r.Int(6)};
}
}  // namespace

Status Store::SetQueueSeq(db::Session& s, std::string_view registration_id, std::int64_t seq) {
  FD_TRY(s.Exec(kSetQueueSeq, {std::string(registration_id), seq}));
  return {};
}

Status Store::InsertPublicRegistrant(db::Session& s, const PublicRegistrant& p, std::string_view email_hash,
                                     std::string_view token_hash) {
  FD_TRY(s.Exec(kInsertPublic, {p.registration_id, p.event_id, std::string(email_hash), std::string(token_hash),
                                OptStr(p.name_enc), OptStr(p.email_enc), OptStr(p.token_enc), p.language,
                                p.created_at}));
  return {};
}

Result<std::optional<PublicRegistrant>> Store::PublicByToken(db::Session& s, std::string_view token_hash) {
  auto row = FD_TRY(s.MaybeOne(kPublicByToken, {std::string(token_hash)}));
  if (!row) return std::optional<PublicRegistrant>{};
  return std::optional<PublicRegistrant>{PublicFrom(*row)};
}

Result<std::optional<PublicRegistrant>> Store::LivePublicByEmail(db::Session& s, std::string_view event_id,
                                                                 std::string_view email_hash) {
  auto rows = FD_TRY(s.Query(kLivePublicByEmail, {std::string(event_id), std::string(email_hash)}));
  if (rows.empty()) return std::optional<PublicRegistrant>{};
  return std::optional<PublicRegistrant>{PublicFrom(rows.front())};
}

Result<std::vector<PublicRegistrant>> Store::PublicRegistrantsOf(db::Session& s, std::string_view event_id) {
  std::vector<PublicRegistrant> out;
  for (const auto& r : FD_TRY(s.Query(kPublicOfEvent, {std::string(event_id)}))) out.push_back(PublicFrom(r));
  return out;
}

Result<std::int64_t> Store::DeleteStalePending(db::Session& s, std::int64_t before) {
  FD_TRY(s.Exec(kDeleteStalePublic, {before}));
  return FD_TRY(s.Exec(kDeleteStalePending, {before}));
}

Result<std::vector<PendingPublicMail>> Store::PendingPublicMails(db::Session& s, std::int64_t since, int limit) {
  std::vector<PendingPublicMail> out;
  for (const auto& r : FD_TRY(s.Query(kPendingPublicMails, {since, std::int64_t{limit}}))) {
    out.push_back(PendingPublicMail{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4),
                                    PublicRegistrant{r.Text(5), r.Text(2), r.OptText(6), r.OptText(7), r.OptText(8),
                                                     r.Text(9), 0}});
  }
  return out;
}

Result<std::vector<DueReminder>> Store::DueReminders(db::Session& s, std::int64_t now, std::int64_t until, int limit) {
  std::vector<DueReminder> out;
  for (const auto& r : FD_TRY(s.Query(kDueReminders, {now, until, std::int64_t{limit}}))) {
    out.push_back(DueReminder{r.Text(0), r.Text(1), r.Text(2)});
  }
  return out;
}

Result<bool> Store::MarkReminded(db::Session& s, std::string_view registration_id, std::int64_t at) {
  auto n = FD_TRY(s.Exec(kMarkReminded, {std::string(registration_id), at}));
  return n > 0;
}

Result<bool> Store::ClaimMail(db::Session& s, std::string_view notification_id, std::int64_t at) {
  return FD_TRY(s.Exec(kClaimMail, {std::string(notification_id), at})) > 0;
}

Result<std::int64_t> Store::CountEvents(db::Session& s) { return FD_TRY(s.One(kCountEvents, {})).Int(0); }

Result<std::optional<std::string>> Store::UserIdByEmail(db::Session& s, std::string_view email) {
  auto row = FD_TRY(s.MaybeOne(kUserIdByEmail, {std::string(email)}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{row->Text(0)};
}

Result<std::vector<std::pair<std::string, std::string>>> Store::SomeClients(db::Session& s, std::string_view centre_id,
                                                                            int limit) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : FD_TRY(s.Query(kSomeClients, {std::string(centre_id), std::int64_t{limit}}))) {
    out.emplace_back(r.Text(0), r.Text(1));
  }
  return out;
}

}  // namespace fairdesk::events
