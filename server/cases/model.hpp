#pragma once
/// Case work (PRODUCT.md §3.1): clients, cases, consultations, deadlines, referrals, escalations.
/// Fields of personal data (name, contact, notes) hold plaintext here; the store keeps them
/// encrypted (see store.hpp).

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::cases {

/// An `If-Match` precondition: the entity tags the caller last saw. Empty: no precondition
/// (the request did not send If-Match). "*" matches any existing record.
struct IfMatch {
  std::vector<std::string> tags;
  bool Allows(std::string_view etag) const {
    if (tags.empty()) return true;
    for (const auto& t : tags) {
      if (t == "*" || t == etag) return true;
    }
    return false;
  }
};

/// The entity tag of a record version: a quoted `<id>.<version>` (never reused across records).
inline std::string MakeETag(std::string_view id, std::int64_t version) {
  return "\"" + std::string(id) + "." + std::to_string(version) + "\"";
}

/// The visible marks of a corrected or withdrawn timeline entry (who, when, why).
struct Marks {
  std::optional<std::int64_t> corrected_at, withdrawn_at;
  std::optional<std::string> corrected_by, withdrawn_by;
  std::optional<std::string> corrected_by_name, withdrawn_by_name;  // joined for display
  std::optional<std::string> reason;  // the last correction's or the withdrawal's reason (encrypted at rest)
};

struct Consents {
  bool storage = false;
  bool contact = false;
  bool anonymised_use = false;
  std::optional<std::string> date;  // YYYY-MM-DD, when they were given
};

/// The optional identifying data of a client, encrypted at rest.
struct Personal {
  std::optional<std::string> name, phone, email, address, safe_contact, birth_date;  // birth_date YYYY-MM-DD
};

struct Client {
  std::string id, centre_id, code;
  std::optional<std::string> nationality;
  std::optional<std::int64_t> birth_year;
  std::string gender = "unspecified";
  std::vector<std::string> languages;
  std::optional<std::string> employment_status, sector, employer;
  // Reporting fields (STATISTICS.md): residence status category and whether the person lives
  // abroad; both optional, kept on anonymisation like the other statistical facts.
  std::optional<std::string> residence_status;
  std::optional<bool> abroad;
  Consents consents;
  Personal personal;
  std::string created_by;
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> anonymised_at;
  std::int64_t version = 1;
};

struct Outcome {
  std::int64_t wages_recovered_cents = 0;
  bool claim_filed = false, settled = false, referred = false, no_further_action = false;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

/// What the calculators need to know of the employment a case is about (prefilled when a
/// calculator is opened from the case). Encrypted at rest as one sealed JSON text, like the
/// narrative: the employer and the dates can identify the client.
struct Employment {
  std::optional<std::string> employer;         // free text
  std::optional<std::string> work_state;       // federal state where the work is done (BW … TH)
  std::optional<std::string> start, end;       // YYYY-MM-DD
  std::optional<std::string> notice_received;  // the date the dismissal (notice) was received
  std::optional<std::string> notice_given_by;  // employer | employee
  std::optional<std::string> notice_form;      // written | electronic | oral
  std::optional<std::string> contract_date;    // when the contract was concluded (exclusion clauses)
  std::optional<std::string> claim_due;        // when the (earliest) outstanding wage fell due
  std::optional<double> weekly_hours, workdays_per_week;
  std::optional<std::int64_t> hourly_wage_cents;  // the agreed gross hourly wage
  bool Empty() const { return *this == Employment{}; }
  friend bool operator==(const Employment&, const Employment&) = default;
};

struct Case {
  std::string id, centre_id, client_id, number;
  std::vector<std::string> topics;
  std::string status = "open";
  std::string priority = "normal";
  std::optional<std::string> assignee_id;
  std::vector<std::string> risk_flags;
  std::string opened_on;
  std::optional<std::string> closed_on;
  std::optional<Outcome> outcome;
  std::optional<std::string> closing_reason;
  std::optional<std::string> narrative;  // the intake narrative ("Anliegen"), encrypted at rest
  std::optional<Employment> employment;  // opened by the service; never set in lists
  std::optional<std::string> employment_sealed;  // the store's form of `employment` (sealed JSON)
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> anonymised_at;
  std::int64_t version = 1;
  // Joined for display, never written: the client's pseudonymous code, the assignee's name, the
  // earliest open deadline and the centre a pending transfer goes to.
  std::optional<std::string> client_code, assignee_name, next_deadline, pending_transfer_to;
};

struct Consultation {
  std::string id, case_id, date;
  std::int64_t duration_minutes = 0;
  std::string channel, language;
  bool interpreter = false;
  std::vector<std::string> topics;
  std::string kind = "acute";
  std::optional<std::string> notes;
  std::string created_by;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
  Marks marks;
  std::optional<std::string> created_by_name;  // joined
};

struct Deadline {
  std::string id, case_id, kind, due_date;
  std::optional<std::string> note;
  bool done = false;
  std::optional<std::string> source_json;  // {"calculator", "input", "result"} when computed
  std::string created_by;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
  Marks marks;
  std::optional<std::string> created_by_name;  // joined
  // Joined for the dashboard.
  std::string case_number;
  std::optional<std::string> assignee_id;
};

struct Referral {
  std::string id, case_id, target;
  std::optional<std::string> organisation_id;
  std::string status = "suggested";
  bool client_consent = false;
  std::optional<std::string> consent_date;
  std::optional<std::string> note;  // warm hand-over note, encrypted
  std::string created_by;
  std::int64_t created_at = 0, updated_at = 0;
  // The date of each step (suggested is the creation date).
  std::optional<std::string> made_on, confirmed_on, completed_on, declined_on;
  std::int64_t version = 1;
  Marks marks;
  std::optional<std::string> created_by_name;  // joined
  std::optional<std::string> organisation_name;  // from the directory, for display
};

/// An earlier version of a timeline entry or case, kept (encrypted) when it is corrected,
/// withdrawn or reopened; the audit entry of the change names the record.
struct HistoryEntry {
  std::string id, case_id, record_type, record_id, action;
  std::int64_t version = 0;
  std::optional<std::string> before_json, reason;  // decrypted
  std::string changed_by;
  std::optional<std::string> changed_by_name;
  std::int64_t changed_at = 0;
};

/// A user's saved case-list filter (the query string of GET /api/v1/cases).
struct SavedFilter {
  std::string id, user_id, name, query;
  std::int64_t created_at = 0, updated_at = 0;
};

/// One advisor's open caseload (centre leads).
struct Caseload {
  std::string user_id, display_name, role;
  std::int64_t open_cases = 0, overdue_deadlines = 0;
};

struct EscalationMessage {
  std::string id, escalation_id, author_id, author_role, body;
  std::int64_t created_at = 0;
  std::optional<std::string> author_name;  // joined
  std::optional<std::int64_t> read_at;     // when the asking centre marked an answer read
};

struct Escalation {
  std::string id, case_id, centre_id, summary, question, status = "open";
  std::string created_by;
  std::int64_t created_at = 0, updated_at = 0;
  std::vector<EscalationMessage> messages;
  std::optional<std::string> assignee_id;  // a member of the competence centre
  // Joined for the competence centre's inbox.
  std::optional<std::string> assignee_name, centre_name, centre_state;
  std::optional<std::string> created_by_name;  // who asked (joined; null once the account is gone)
  std::vector<std::string> topics;
  std::int64_t message_count = 0, unread_answers = 0;
  std::optional<std::int64_t> last_answer_at;
};

/// A case's move to another centre, with the client's consent: requested by the sending centre,
/// accepted (or declined) by the receiving one; until then the sender keeps the case.
struct Transfer {
  std::string id, case_id, from_centre_id, to_centre_id, consent_date;
  std::optional<std::string> transferred_by;
  std::int64_t transferred_at = 0;
  std::string status = "accepted";  // pending, accepted, declined, cancelled
  bool client_consent = true;
  std::optional<std::string> decided_by;
  std::optional<std::int64_t> decided_at;
  std::optional<std::string> case_number;  // joined for the receiving centre's list
};

/// What a case read answers: the case with its timeline.
struct CaseDetail {
  Case c;
  Client client;
  std::vector<Consultation> consultations;
  std::vector<Deadline> deadlines;
  std::vector<Referral> referrals;
  std::vector<Escalation> escalations;
  std::optional<Transfer> pending_transfer;
};

struct CaseFilter {
  std::optional<std::string> status, topic, assignee, q, priority, risk_flag, client_id;
  // Set by the service when q looks like a case number or client code ("BE-2026-00012",
  // "be-2026-k7"): q lower-cased, answered by the prefix index on number_key/code_key.
  std::optional<std::string> key_prefix;
  // Set by the service for any other q of three characters or more: the text lower-cased as an
  // FTS5 phrase ("..." with inner quotes doubled), answered through the trigram indexes.
  std::optional<std::string> text_phrase;
  bool overdue = false;
  std::string sort = "-created";
  int limit = 50;
  std::optional<std::string> cursor;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

/// A setting of admins stored in case_settings (e.g. "retention_years").
struct StoredSetting {
  std::string value;
  std::int64_t updated_at = 0;
  std::optional<std::string> updated_by_name;
};

/// One change of the admins' settings (routing rules, topics, retention): what was there before
/// and after, who and when. Reference data only, no personal data.
struct SettingsChange {
  std::string id;
  std::string kind;  // routing_rules | topics | retention
  boost::json::value before, after;
  std::optional<std::string> changed_by, changed_by_name;
  std::int64_t changed_at = 0;
};

/// The retention period of closed cases: the admins' setting, else the start-up default.
struct RetentionSettings {
  int years = 3;
  int default_years = 3;
  bool from_setting = false;
  std::optional<std::int64_t> updated_at;
  std::optional<std::string> updated_by_name;
};

}  // namespace fairdesk::cases
