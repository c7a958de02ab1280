#pragma once
/// Case work (PRODUCT.md §3.1): clients, cases, consultations, deadlines, referrals, escalations.
/// Fields of personal data (name, contact, notes) hold plaintext here; the store keeps them
/// encrypted (see store.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fairdesk::cases {

struct Consents {
  bool storage = false;
  bool contact = false;
  bool anonymised_use = false;
  std::optional<std::string> date;  // YYYY-MM-DD, when they were given
};

/// The optional identifying data of a client, encrypted at rest.
struct Personal {
  std::optional<std::string> name, phone, email, address, safe_contact;
};

struct Client {
  std::string id, centre_id, code;
  std::optional<std::string> nationality;
  std::optional<std::int64_t> birth_year;
  std::string gender = "unspecified";
  std::vector<std::string> languages;
  std::optional<std::string> employment_status, sector, employer;
  Consents consents;
  Personal personal;
  std::string created_by;
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> anonymised_at;
};

struct Outcome {
  std::int64_t wages_recovered_cents = 0;
  bool claim_filed = false, settled = false, referred = false, no_further_action = false;
  friend bool operator==(const Outcome&, const Outcome&) = default;
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
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> anonymised_at;
  // Joined for display, never written: the client's pseudonymous code and the assignee's name.
  std::optional<std::string> client_code, assignee_name;
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
  std::int64_t created_at = 0;
};

struct Deadline {
  std::string id, case_id, kind, due_date;
  std::optional<std::string> note;
  bool done = false;
  std::optional<std::string> source_json;  // {"calculator", "input", "result"} when computed
  std::string created_by;
  std::int64_t created_at = 0;
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
};

struct EscalationMessage {
  std::string id, escalation_id, author_id, author_role, body;
  std::int64_t created_at = 0;
};

struct Escalation {
  std::string id, case_id, centre_id, summary, question, status = "open";
  std::string created_by;
  std::int64_t created_at = 0, updated_at = 0;
  std::vector<EscalationMessage> messages;
};

/// A case's move to another centre, with the client's consent.
struct Transfer {
  std::string id, case_id, from_centre_id, to_centre_id, consent_date;
  std::optional<std::string> transferred_by;
  std::int64_t transferred_at = 0;
};

struct CaseFilter {
  std::optional<std::string> status, topic, assignee, q;
  int limit = 50;
  std::optional<std::string> cursor;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

}  // namespace fairdesk::cases
