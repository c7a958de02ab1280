#pragma once
/// Events and training: trainings and networking meetings for advisors; information events,
/// workshops and group offers for clients (often inside a language course, with the course
/// provider as partner). Lifecycle draft → published → cancelled | completed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::events {

inline constexpr std::string_view kKinds[] = {"training", "networking_meeting", "information_event", "workshop",
                                              "group_offer"};
/// Trainings and networking meetings are for advisors, who register themselves; the other kinds
/// are for clients, whom a centre registers (by client code) or counts (head counts).
bool IsAdvisorKind(std::string_view kind);

inline constexpr std::string_view kAudiences[] = {"advisors", "state", "public"};
inline constexpr std::string_view kEventStatuses[] = {"draft", "published", "cancelled", "completed"};
inline constexpr std::string_view kRegistrationStatuses[] = {"confirmed", "waitlisted", "offered",
                                                             "cancelled", "attended", "no_show"};
inline constexpr std::string_view kGenders[] = {"female", "male", "diverse", "unknown"};
/// Languages an event may be held in (ISO 639 codes; prs = Dari).
inline constexpr std::string_view kLanguages[] = {"de", "en", "ar", "fa", "prs", "ps", "uk", "ru", "tr", "ti", "fr",
                                                  "es", "pl", "ro", "bg", "sq", "sr", "ku", "so", "am", "vi", "ur",
                                                  "hi", "bn", "zh", "it", "pt", "el", "hu", "hr", "bs", "ka", "hy",
                                                  "az", "uz", "tg", "ky", "kk", "mn", "ne", "ta", "si", "ha", "yo",
                                                  "ig", "sw", "om", "ln", "wo", "ff", "ckb", "kmr", "sv", "nl"};
inline constexpr std::string_view kStates[] = {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV",
                                               "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"};

inline constexpr int kMaxCapacity = 10000;
inline constexpr int kMaxSessions = 50;

struct SessionSlot {
  std::string id;
  std::string start;  // local, YYYY-MM-DDTHH:MM (Europe/Berlin)
  std::string end;
  std::int64_t start_utc = 0;
  std::int64_t end_utc = 0;
  std::string place;
  std::string online_url;
};

struct Counts {
  std::int64_t confirmed = 0;   // confirmed + attended + no_show
  std::int64_t offered = 0;
  std::int64_t waitlisted = 0;
  std::int64_t head_count = 0;  // sum of anonymous head counts
};

struct Event {
  std::string id;
  std::string kind;
  std::string title;
  std::string description;
  std::string organiser_centre_id;
  std::string organiser_name;
  std::string status = "draft";
  std::vector<std::string> languages;
  std::vector<std::string> topics;
  std::int64_t capacity = 0;
  std::string registration_deadline;  // YYYY-MM-DD (registrations until the end of that day, Berlin)
  std::string audience;               // advisors | state | public
  std::optional<std::string> audience_state;
  std::string partner;                // e.g. the course provider
  std::vector<std::string> knowledge_ids;
  std::int64_t offer_hours = 48;
  std::int64_t sequence = 0;
  std::string cancel_reason;
  std::string created_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::vector<SessionSlot> sessions;
  Counts counts;
};

/// What an organiser enters: the body of a create, and what an update changes (PATCH applies the
/// fields sent to the event's current fields).
struct SessionFields {
  std::string start;  // local YYYY-MM-DDTHH:MM, Europe/Berlin
  std::string end;
  std::string place;
  std::string online_url;
};
struct EventFields {
  std::string kind;
  std::string title;
  std::string description;
  std::optional<std::string> organiser_centre_id;  // default: the caller's centre
  std::vector<std::string> languages;
  std::vector<std::string> topics;
  std::int64_t capacity = 0;
  std::string registration_deadline;
  std::string audience;
  std::optional<std::string> audience_state;
  std::string partner;
  std::vector<std::string> knowledge_ids;
  std::optional<std::int64_t> offer_hours;
  std::vector<SessionFields> sessions;
};

struct Registration {
  std::string id;
  std::string event_id;
  std::string participant;            // "user" or "client"
  std::optional<std::string> user_id;
  std::optional<std::string> name;    // a user's display name (certificates)
  std::optional<std::string> client_code;
  std::optional<std::string> client_id;  // not sent out; deleted with the code after the event
  std::string centre_id;              // the centre of the participant / the registering centre
  std::string status;
  std::int64_t queue_seq = 0;
  std::optional<std::int64_t> position;        // place on the waiting list (1 = next)
  std::optional<std::int64_t> offer_expires_at;
  bool from_waitlist = false;
  std::string cancel_reason;           // participant, organiser, declined, offer_expired, left_list, event_cancelled
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::string> certificate_number;
  std::optional<std::string> registered_by;  // the user who registered (centre staff for clients)
};

struct Attendance {
  std::string registration_id;
  std::string session_id;
  std::string status;  // attended | no_show
};

struct HeadCount {
  std::optional<std::string> session_id;
  std::string language;
  std::string gender;
  std::int64_t count = 0;
};

struct Notification {
  std::string id;
  std::string event_id;
  std::string event_title;
  std::string kind;  // offered, offer_expired, confirmed, event_cancelled, event_changed, registration_cancelled
  std::int64_t created_at = 0;
  bool read = false;
};

struct Certificate {
  std::string number;             // FD-2026-000017
  std::string verification_code;
  std::string name;
  std::string event_id;
  std::string event_title;
  std::string event_kind;
  std::string organiser_name;
  std::vector<std::string> dates;  // YYYY-MM-DD of the sessions attended
  std::int64_t issued_at = 0;
  bool revoked = false;
};

/// Counts for reporting (the statistics module reads these through Service::Report).
struct ReportFilter {
  std::optional<std::string> from;  // YYYY-MM (first session in or after)
  std::optional<std::string> to;    // YYYY-MM (inclusive)
  std::optional<std::string> organiser_centre_id;
  std::optional<std::string> state;  // of the organiser
};
struct ReportRow {
  std::string organiser_centre_id;
  std::string state;
  std::string month;  // YYYY-MM of the first session
  std::string kind;
  std::int64_t events = 0, sessions = 0, registrations = 0, attended = 0, no_shows = 0, waitlisted = 0;
};
struct HeadCountRow {
  std::string organiser_centre_id;
  std::string state;
  std::string month;
  std::string language;
  std::string gender;
  std::int64_t count = 0;
};
struct Report {
  std::vector<ReportRow> rows;
  std::vector<HeadCountRow> head_counts;
};

}  // namespace fairdesk::events
