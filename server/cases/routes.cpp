#include "cases/routes.hpp"

#include "cases/json.hpp"
#include "cases/reference.hpp"
#include "platform/core/body.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/json_input.hpp"
#include "platform/core/zip.hpp"
#include "platform/http/conditional.hpp"
#include "platform/http/problem.hpp"

namespace fairdesk::cases {
namespace json = boost::json;
namespace {

const std::vector<Role> kCaseRoles = {Role::kAdvisor, Role::kCentreLead, Role::kCompetenceCentre};

Result<json::value> Body(const http::Request& req) { return ParseJsonBody(req.body); }

// If-Match: a list of entity tags (weak ones compared by their value), or "*".
IfMatch ReadIfMatch(const http::Request& req) { return IfMatch{http::IfMatchTags(req)}; }

http::Response WithETag(http::Response r, const std::string& etag) {
  r.headers.emplace_back("ETag", etag);
  return r;
}

// A string or boolean member of a body as sent (validated where the body is applied).
std::optional<std::string> RawString(const json::value& body, std::string_view key) {
  if (const auto* o = body.if_object()) {
    if (const auto* v = o->if_contains(key); v && v->is_string()) return std::string(v->as_string());
  }
  return std::nullopt;
}
bool RawTrue(const json::value& body, std::string_view key) {
  if (const auto* o = body.if_object()) {
    if (const auto* v = o->if_contains(key); v && v->is_bool()) return v->as_bool();
  }
  return false;
}

Status CheckQuery(const http::Request& req, std::initializer_list<std::string_view> allowed) {
  std::vector<FieldError> errors;
  for (const auto& [k, v] : req.query) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      errors.push_back({k.substr(0, 64), "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

Result<int> ReadLimit(const http::Request& req) {
  auto v = req.Query("limit");
  if (!v || v->empty()) return 50;
  if (v->size() > 3 || !std::all_of(v->begin(), v->end(), ::isdigit)) {
    return Fail(Error::Invalid("limit", "must be a number from 1 to 200"));
  }
  int n = std::stoi(*v);
  if (n < 1 || n > 200) return Fail(Error::Invalid("limit", "must be a number from 1 to 200"));
  return n;
}

template <typename T>
json::object PageJson(const Page<T>& page, const std::function<json::object(const T&)>& to_json) {
  json::array items;
  for (const auto& i : page.items) items.push_back(to_json(i));
  return {{"items", std::move(items)},
          {"next_cursor", page.next_cursor ? json::value(*page.next_cursor) : json::value(nullptr)}};
}

// One page of the centre's clients found by a search (GET /api/v1/clients and POST /api/v1/clients/search).
Result<http::Response> ClientsPage(Service& svc, const Principal& user, const ClientQuery& query) {
  auto page = FD_TRY(svc.ListClients(user, query));
  return http::Response::Json(PageJson<Client>(page, [](const Client& c) { return ToJson(c, false); }));
}

http::Response CasePageResponse(const Page<Case>& page) {
  http::Response r;
  r.body = CasePageJson(page);
  return r;
}

template <typename T, typename F>
json::object ListJson(const std::vector<T>& list, F to_json) {
  json::array items;
  for (const auto& i : list) items.push_back(to_json(i));
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

// ---- Clients ----

// A client: registered and changed with the same body (every field optional; in a PATCH only the
// fields sent change, null clears an optional one).
struct ClientBody {
  std::optional<std::string> nationality;
  std::optional<std::int64_t> birth_year;
  std::string gender = "unspecified";
  std::vector<std::string> languages;
  std::optional<std::string> employment_status, residence_status;
  std::optional<bool> abroad;
  std::optional<std::string> sector, employer;
  Consents consents;
  std::optional<std::string> name, phone, email, address, safe_contact, birth_date;
};
bool IsCountry(std::string_view v) { return IsCountryCode(v); }
bool IsLanguage(std::string_view v) { return IsLanguageCode(v); }
bool IsSector(std::string_view v) { return IsWzSection(v); }
bool IsPhone(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char ch) {
    return std::isdigit(static_cast<unsigned char>(ch)) || ch == '+' || ch == ' ' || ch == '-' || ch == '/' ||
           ch == '(' || ch == ')';
  });
}
bool IsEmail(std::string_view v) { return v.find('@') != std::string_view::npos; }
std::int64_t ThisYear() { return std::stoi(clock::TodayIso().substr(0, 4)); }
constexpr const char* kNotACountry = "must be an ISO 3166-1 alpha-2 country code (upper case)";

const auto kConsentsBody =
    body::Body<Consents>()
        .Bool("storage", &Consents::storage, Need::kOptional)
        .Bool("contact", &Consents::contact, Need::kOptional)
        .Bool("anonymised_use", &Consents::anonymised_use, Need::kOptional)
        .Date("date", &Consents::date, Need::kOptional, {.when = body::When::kPastOrToday})
        .Rule(
            "date", [](const Consents& k) { return !(k.storage || k.contact || k.anonymised_use) || k.date; },
            "is required when a consent is given");
const auto kClientBody =
    body::Body<ClientBody>()
        .Text("nationality", &ClientBody::nationality, Need::kOptional,
              {.max = 2, .min = 2, .valid = IsCountry, .invalid = kNotACountry})
        .Int("birth_year", &ClientBody::birth_year, Need::kOptional, {.min = 1900, .max_now = ThisYear})
        .Enum("gender", &ClientBody::gender, Need::kOptional, kGenders)
        .Texts("languages", &ClientBody::languages, Need::kOptional,
               {.max_items = 20, .max_len = 3, .valid = IsLanguage, .invalid = "must be an ISO 639 code"})
        .Enum("employment_status", &ClientBody::employment_status, Need::kOptional, kEmploymentStatuses)
        .Enum("residence_status", &ClientBody::residence_status, Need::kOptional, kResidenceStatuses)
        .Bool("abroad", &ClientBody::abroad, Need::kOptional)
        .Text("sector", &ClientBody::sector, Need::kOptional,
              {.max = 1, .min = 1, .valid = IsSector, .invalid = "must be a WZ 2008 section letter A to U"})
        .Text("employer", &ClientBody::employer, Need::kOptional, {.max = 200, .min = 1})
        .Object("consents", &ClientBody::consents, Need::kOptional, kConsentsBody)
        .Text("name", &ClientBody::name, Need::kOptional, {.max = 200, .min = 1})
        .Text("phone", &ClientBody::phone, Need::kOptional,
              {.max = 50, .min = 1, .valid = IsPhone, .invalid = "may contain only digits, spaces and + - / ( )"})
        .Text("email", &ClientBody::email, Need::kOptional,
              {.max = 254, .min = 1, .valid = IsEmail, .invalid = "must be an e-mail address"})
        .Text("address", &ClientBody::address, Need::kOptional, {.max = 500, .min = 1, .multiline = true})
        .Text("safe_contact", &ClientBody::safe_contact, Need::kOptional, {.max = 2000, .min = 1, .multiline = true})
        .Date("birth_date", &ClientBody::birth_date, Need::kOptional, {.when = body::When::kPastOrToday});

// The facts of an intake that routing needs.
const auto kIntakeBody =
    body::Body<IntakeInput>()
        .Text("nationality", &IntakeInput::nationality, Need::kRequired,
              {.max = 2, .min = 2, .valid = IsCountry, .invalid = kNotACountry})
        .Texts("topics", &IntakeInput::topics, Need::kRequired, {.max_items = 16, .min_items = 1, .max_len = 40})
        .Text("postcode", &IntakeInput::postcode, Need::kOptional,
              {.max = 5, .min = 5, .valid = IsPostcode, .invalid = "must be five digits"})
        .Enums("flags", &IntakeInput::flags, Need::kOptional, kRiskFlags, {.max_items = std::size(kRiskFlags)});

// Applies a client body to a new (POST) or the stored (PATCH) client.
Status ReadClient(const json::value& json_body, Client& c) {
  const Personal& p = c.personal;
  ClientBody b{c.nationality,
               c.birth_year,
               c.gender,
               c.languages,
               c.employment_status,
               c.residence_status,
               c.abroad,
               c.sector,
               c.employer,
               c.consents,
               p.name,
               p.phone,
               p.email,
               p.address,
               p.safe_contact,
               p.birth_date};
  auto sent = FD_TRY(kClientBody.Apply(json_body, b));
  c.nationality = b.nationality;
  c.birth_year = b.birth_year;
  c.gender = b.gender;
  c.languages = b.languages;
  c.employment_status = b.employment_status;
  c.residence_status = b.residence_status;
  c.abroad = b.abroad;
  c.sector = b.sector;
  c.employer = b.employer;
  c.consents = b.consents;
  c.personal = {b.name, b.phone, b.email, b.address, b.safe_contact, b.birth_date};
  // The birth year follows from a birth date sent where it is not recorded.
  const bool birth_date_sent = std::find(sent.begin(), sent.end(), "birth_date") != sent.end();
  if (birth_date_sent && b.birth_date && !b.birth_year) c.birth_year = std::stoi(b.birth_date->substr(0, 4));
  return {};
}

// ---- Cases ----

// A case: opened with the create body, changed with the patch body; both share the case fields.
struct CaseBody {
  std::string client_id;
  std::vector<std::string> topics;
  std::string priority = "normal";
  std::vector<std::string> risk_flags;
  std::optional<std::string> assignee_id, narrative;
  std::optional<Employment> employment;
  std::string status = "open";
  std::optional<Outcome> outcome;
  std::optional<std::string> closing_reason, reason;
};
const auto kOutcomeBody =
    body::Body<Outcome>()
        .Int("wages_recovered_cents", &Outcome::wages_recovered_cents, Need::kOptional,
             {.min = 0, .max = kMaxWagesRecoveredCents})
        .Bool("claim_filed", &Outcome::claim_filed, Need::kOptional)
        .Bool("settled", &Outcome::settled, Need::kOptional)
        .Bool("referred", &Outcome::referred, Need::kOptional)
        .Bool("no_further_action", &Outcome::no_further_action, Need::kOptional);
// The employment a case is about (what the calculators are prefilled with); PATCH changes only
// the keys sent, null clears one, `"employment": null` clears all.
const auto kEmploymentBody =
    body::Body<Employment>()
        .Text("employer", &Employment::employer, Need::kOptional, {.max = 200, .min = 1})
        .Enum("work_state", &Employment::work_state, Need::kOptional, kWorkStates)
        .Date("start", &Employment::start, Need::kOptional)
        .Date("end", &Employment::end, Need::kOptional)
        .Date("notice_received", &Employment::notice_received, Need::kOptional, {.when = body::When::kPastOrToday})
        .Enum("notice_given_by", &Employment::notice_given_by, Need::kOptional, kNoticeGivenBy)
        .Enum("notice_form", &Employment::notice_form, Need::kOptional, kNoticeForms)
        .Date("contract_date", &Employment::contract_date, Need::kOptional, {.when = body::When::kPastOrToday})
        .Date("claim_due", &Employment::claim_due, Need::kOptional)
        .Number("weekly_hours", &Employment::weekly_hours, Need::kOptional, {.min = 0, .max = 80, .decimals = 2})
        .Number("workdays_per_week", &Employment::workdays_per_week, Need::kOptional, {.min = 0.5, .max = 7, .decimals = 1})
        .Int("hourly_wage_cents", &Employment::hourly_wage_cents, Need::kOptional, {.min = 0, .max = 100000})
        .Rule("end", [](const Employment& e) { return !e.start || !e.end || *e.end >= *e.start; },
              "must not be before the start of the employment")
        .Rule("notice_received", [](const Employment& e) {
          return !e.start || !e.notice_received || *e.notice_received >= *e.start; },
              "must not be before the start of the employment");
const auto kCaseFields =
    body::Body<CaseBody>()
        .Texts("topics", &CaseBody::topics, Need::kRequired, {.max_items = 16, .min_items = 1, .max_len = 40})
        .Enum("priority", &CaseBody::priority, Need::kOptional, kPriorities)
        .Enums("risk_flags", &CaseBody::risk_flags, Need::kOptional, kRiskFlags, {.max_items = std::size(kRiskFlags)})
        .Text("assignee_id", &CaseBody::assignee_id, Need::kOptional, {.max = 64, .min = 1})
        .Text("narrative", &CaseBody::narrative, Need::kOptional, {.max = 20000, .min = 1, .multiline = true})
        .Object("employment", &CaseBody::employment, Need::kOptional, kEmploymentBody);
const auto kCaseCreateBody = [] {
  auto b = kCaseFields;
  b.Text("client_id", &CaseBody::client_id, Need::kRequired, {.max = 64, .min = 1});
  return b;
}();
const auto kCasePatchBody = [] {
  auto b = kCaseFields;
  b.Enum("status", &CaseBody::status, Need::kOptional, kCaseStatuses)
      .Object("outcome", &CaseBody::outcome, Need::kOptional, kOutcomeBody)
      .Enum("closing_reason", &CaseBody::closing_reason, Need::kOptional, kClosingReasons)
      .Text("reason", &CaseBody::reason, Need::kOptional, {.max = 2000, .min = 1, .multiline = true});
  return b;
}();
CaseBody FieldsOf(const Case& c) {
  return {c.client_id, c.topics, c.priority, c.risk_flags, c.assignee_id, c.narrative, c.employment, c.status,
          c.outcome, c.closing_reason, {}};
}
void Assign(Case& c, const CaseBody& b) {
  c.topics = b.topics;
  c.priority = b.priority;
  c.risk_flags = b.risk_flags;
  c.assignee_id = b.assignee_id;
  c.narrative = b.narrative;
  c.employment = b.employment;
  c.status = b.status;
  c.outcome = b.outcome;
  c.closing_reason = b.closing_reason;
}

json::object CaseDetailJson(const CaseDetail& d) {
  json::object o = ToJson(d.c);
  if (!d.client.id.empty()) o["client"] = ToJson(d.client, false);
  json::array cons, dls, refs, escs;
  for (const auto& x : d.consultations) cons.push_back(ToJson(x));
  for (const auto& x : d.deadlines) dls.push_back(ToJson(x));
  for (const auto& x : d.referrals) refs.push_back(ToJson(x));
  for (const auto& x : d.escalations) escs.push_back(ToJson(x, true));
  o["consultations"] = std::move(cons);
  o["deadlines"] = std::move(dls);
  o["referrals"] = std::move(refs);
  o["escalations"] = std::move(escs);
  return o;
}

// ---- Request bodies declared once (platform/core/body.hpp): validation and OpenAPI schema ----

bool IsQueryString(std::string_view v) { return v.find_first_of("#\r\n") == std::string_view::npos; }

struct SavedFilterBody {
  std::string name, query;
};
const auto kSavedFilterBody =
    body::Body<SavedFilterBody>()
        .Text("name", &SavedFilterBody::name, Need::kRequired, {.max = 100, .min = 1})
        .Text("query", &SavedFilterBody::query, Need::kRequired,
              {.max = 1000, .valid = IsQueryString, .invalid = "must be the query string of GET /api/v1/cases"});

struct AssignBody {
  std::vector<std::string> case_ids;
  std::optional<std::string> assignee_id;  // null: unassign
};
const auto kAssignBody =
    body::Body<AssignBody>()
        .Texts("case_ids", &AssignBody::case_ids, Need::kRequired,
               {.max_items = 200, .min_items = 1, .max_len = 64, .unique = true})
        .Text("assignee_id", &AssignBody::assignee_id, Need::kRequired, {.max = 64, .min = 1});

struct MergeBody {
  std::string source_id;
};
const auto kMergeBody = body::Body<MergeBody>().Text("source_id", &MergeBody::source_id, Need::kRequired, {.max = 64, .min = 1});

// The search of GET /api/v1/clients?q= as a request body (POST /api/v1/clients/search): names,
// phone numbers and e-mail addresses stay out of URLs, which proxies and browsers may keep.
const auto kClientSearchBody =
    body::Body<ClientQuery>()
        .Text("q", &ClientQuery::q, Need::kOptional, {.max = 100})
        .Int("birth_year", &ClientQuery::birth_year, Need::kOptional, {.min = 1000, .max = 9999})
        .Text("nationality", &ClientQuery::nationality, Need::kOptional,
              {.max = 2, .min = 2, .valid = IsCountry, .invalid = kNotACountry})
        .Int("limit", &ClientQuery::limit, Need::kOptional, {.min = 1, .max = 200})
        .Text("cursor", &ClientQuery::cursor, Need::kOptional, {.max = 200, .min = 1});

struct TransferBody {
  std::string centre_id, consent_date;
  std::optional<bool> client_consent;
};
const auto kTransferBody =
    body::Body<TransferBody>()
        .Text("centre_id", &TransferBody::centre_id, Need::kRequired, {.max = 64, .min = 1})
        .Date("consent_date", &TransferBody::consent_date, Need::kRequired, {.when = body::When::kPastOrToday})
        .Bool("client_consent", &TransferBody::client_consent, Need::kOptional);

struct ReadMarkBody {
  std::optional<std::string> message_id;
};
const auto kReadMarkBody =
    body::Body<ReadMarkBody>().Text("message_id", &ReadMarkBody::message_id, Need::kOptional, {.max = 64, .min = 1});

struct EscalationPatchBody {
  std::optional<std::string> status, assignee_id;
};
const auto kEscalationPatchBody =
    body::Body<EscalationPatchBody>()
        .Enum("status", &EscalationPatchBody::status, Need::kOptional, kEscalationStatuses)
        .Text("assignee_id", &EscalationPatchBody::assignee_id, Need::kOptional, {.max = 64, .min = 1})
        .Rule("status", [](const EscalationPatchBody& b) { return b.status || b.assignee_id; },
              "is required (or assignee_id)");

// A consultation: recorded with the create body; corrected with the same fields (only those sent
// change) plus the reason and the withdrawal.
struct ConsultationBody {
  std::string date;
  std::int64_t duration_minutes = 0;
  std::string channel, language;
  bool interpreter = false;
  std::vector<std::string> topics;
  std::string kind;
  std::optional<std::string> notes;
  std::optional<std::string> reason;
  std::optional<bool> withdrawn;
};
const auto kConsultationBody =
    body::Body<ConsultationBody>()
        .Date("date", &ConsultationBody::date, Need::kRequired, {.when = body::When::kPastOrToday})
        .Int("duration_minutes", &ConsultationBody::duration_minutes, Need::kRequired, {.min = 1, .max = 600})
        .Enum("channel", &ConsultationBody::channel, Need::kRequired, kChannels)
        .Text("language", &ConsultationBody::language, Need::kRequired,
              {.max = 3, .min = 2, .valid = IsLanguage, .invalid = "must be an ISO 639 code"})
        .Bool("interpreter", &ConsultationBody::interpreter, Need::kOptional)
        .Texts("topics", &ConsultationBody::topics, Need::kOptional, {.max_items = 16, .max_len = 40})
        .Enum("kind", &ConsultationBody::kind, Need::kRequired, kConsultationKinds)
        .Text("notes", &ConsultationBody::notes, Need::kOptional, {.max = 20000, .multiline = true});
const auto kConsultationCorrectionBody = [] {
  auto b = kConsultationBody;
  b.Text("reason", &ConsultationBody::reason, Need::kOptional, {.max = 2000, .min = 1, .multiline = true})
      .Bool("withdrawn", &ConsultationBody::withdrawn, Need::kOptional)
      .Rule("withdrawn", [](const ConsultationBody& x) { return !x.withdrawn || *x.withdrawn; },
            "can only be true: a withdrawal is not undone");
  return b;
}();

ConsultationBody FieldsOf(const Consultation& c) {
  return {c.date, c.duration_minutes, c.channel, c.language, c.interpreter, c.topics, c.kind, c.notes, {}, {}};
}
void Assign(Consultation& c, const ConsultationBody& b) {
  c.date = b.date;
  c.duration_minutes = b.duration_minutes;
  c.channel = b.channel;
  c.language = b.language;
  c.interpreter = b.interpreter;
  c.topics = b.topics;
  c.kind = b.kind;
  c.notes = b.notes && !b.notes->empty() ? b.notes : std::nullopt;
}

// A referral: recorded with the create body; moved on or corrected with the same fields plus the
// date of the new step, the reason and the withdrawal.
struct ReferralBody {
  std::string target;
  std::optional<std::string> organisation_id;
  std::string status = "suggested";
  bool client_consent = false;
  std::optional<std::string> consent_date, note;
  std::optional<std::string> status_date, reason;
  std::optional<bool> withdrawn;
};
bool ConsentDated(const ReferralBody& b) { return !b.client_consent || b.consent_date; }
const auto kReferralBody =
    body::Body<ReferralBody>()
        .Enum("target", &ReferralBody::target, Need::kRequired, kRoutingTargets)
        .Text("organisation_id", &ReferralBody::organisation_id, Need::kOptional, {.max = 64, .min = 1})
        .Enum("status", &ReferralBody::status, Need::kOptional, kReferralStatuses)
        .Bool("client_consent", &ReferralBody::client_consent, Need::kOptional)
        .Date("consent_date", &ReferralBody::consent_date, Need::kOptional, {.when = body::When::kPastOrToday})
        .Text("note", &ReferralBody::note, Need::kOptional, {.max = 5000, .min = 1, .multiline = true})
        .Rule("consent_date", ConsentDated, "is required with the client's consent");
const auto kReferralChangeBody = [] {
  auto b = kReferralBody;
  b.Date("status_date", &ReferralBody::status_date, Need::kOptional, {.when = body::When::kPastOrToday})
      .Text("reason", &ReferralBody::reason, Need::kOptional, {.max = 2000, .min = 1, .multiline = true})
      .Bool("withdrawn", &ReferralBody::withdrawn, Need::kOptional)
      .Rule("withdrawn", [](const ReferralBody& x) { return !x.withdrawn || *x.withdrawn; },
            "can only be true: a withdrawal is not undone");
  return b;
}();
ReferralBody FieldsOf(const Referral& r) {
  return {r.target, r.organisation_id, r.status, r.client_consent, r.consent_date, r.note, {}, {}, {}};
}
void Assign(Referral& r, const ReferralBody& b) {
  r.target = b.target;
  r.organisation_id = b.organisation_id;
  r.status = b.status;
  r.client_consent = b.client_consent;
  r.consent_date = b.consent_date;
  r.note = b.note;
}

// A deadline: added with the create body (with the calculator that computed it, if any); marked
// done, or corrected (kind, date, note) with a reason, with the change body.
struct SourceBody {
  std::string calculator;
  json::object input;
};
struct DeadlineBody {
  std::string kind, due_date;
  std::optional<std::string> note;
  bool done = false;
  std::optional<bool> confirm_past;
  std::optional<SourceBody> source;
  std::optional<bool> withdrawn;
  std::optional<std::string> reason;
};
const auto kDeadlineFields =
    body::Body<DeadlineBody>()
        .Enum("kind", &DeadlineBody::kind, Need::kRequired, kDeadlineKinds)
        .Date("due_date", &DeadlineBody::due_date, Need::kRequired)
        .Text("note", &DeadlineBody::note, Need::kOptional, {.max = 1000, .min = 1, .multiline = true})
        .Bool("done", &DeadlineBody::done, Need::kOptional)
        .Bool("confirm_past", &DeadlineBody::confirm_past, Need::kOptional);
const auto kDeadlineBody = [] {
  auto b = kDeadlineFields;
  b.Object("source", &DeadlineBody::source, Need::kOptional,
           body::Body<SourceBody>()
               .Text("calculator", &SourceBody::calculator, Need::kRequired, {.max = 64, .min = 1})
               .Json("input", &SourceBody::input, Need::kRequired, {.invalid = "must be the calculator's input object"})
               .Describe("the calculator and its input: the server recomputes the due date with it"));
  return b;
}();
const auto kDeadlineChangeBody = [] {
  auto b = kDeadlineFields;
  b.Text("reason", &DeadlineBody::reason, Need::kOptional, {.max = 2000, .min = 1, .multiline = true})
      .Bool("withdrawn", &DeadlineBody::withdrawn, Need::kOptional)
      .Rule(
          "withdrawn", [](const DeadlineBody& x) { return !x.withdrawn || *x.withdrawn; },
          "can only be true: a withdrawal is not undone");
  return b;
}();

struct EscalationBody {
  std::string summary, question;
};
const auto kEscalationBody =
    body::Body<EscalationBody>()
        .Text("summary", &EscalationBody::summary, Need::kRequired, {.max = 4000, .min = 1, .multiline = true})
        .Text("question", &EscalationBody::question, Need::kRequired, {.max = 4000, .min = 1, .multiline = true});

struct MessageBody {
  std::string body;
};
const auto kMessageBody = body::Body<MessageBody>().Text("body", &MessageBody::body, Need::kRequired,
                                                         {.max = 10000, .min = 1, .multiline = true});

struct LabelsBody {
  std::string de, en;
};
const auto kLabelsBody = body::Body<LabelsBody>()
                             .Text("de", &LabelsBody::de, Need::kRequired, {.max = 1000, .min = 1})
                             .Text("en", &LabelsBody::en, Need::kRequired, {.max = 1000, .min = 1});
struct RoutingRuleBody {
  std::string id, nationality = "any";
  std::vector<std::string> topics;
  bool in_scope_topics = false;
  std::vector<std::string> flags;
  std::string target;
  std::optional<std::string> organisation_id;
  bool stop = false, enabled = true;
  LabelsBody reason;
};
struct RoutingRulesBody {
  std::vector<RoutingRuleBody> rules;
};
const auto kRoutingRulesBody =
    body::Body<RoutingRulesBody>().Objects(
        "rules", &RoutingRulesBody::rules, Need::kRequired,
        body::Body<RoutingRuleBody>()
            .Text("id", &RoutingRuleBody::id, Need::kRequired, {.max = 64, .min = 1})
            .Enum("nationality", &RoutingRuleBody::nationality, Need::kOptional, kNationalityGroups)
            .Texts("topics", &RoutingRuleBody::topics, Need::kOptional, {.max_items = 30, .max_len = 40})
            .Bool("in_scope_topics", &RoutingRuleBody::in_scope_topics, Need::kOptional)
            .Enums("flags", &RoutingRuleBody::flags, Need::kOptional, kRiskFlags, {.max_items = std::size(kRiskFlags)})
            .Enum("target", &RoutingRuleBody::target, Need::kRequired, kRoutingTargets)
            .Text("organisation_id", &RoutingRuleBody::organisation_id, Need::kOptional, {.max = 64, .min = 1})
            .Bool("stop", &RoutingRuleBody::stop, Need::kOptional)
            .Bool("enabled", &RoutingRuleBody::enabled, Need::kOptional)
            .Object("reason", &RoutingRuleBody::reason, Need::kRequired, kLabelsBody),
        {.max_items = 200});

struct TopicBody {
  std::string code;
  LabelsBody labels;
  bool in_scope = true;
};
struct TopicsBody {
  std::vector<TopicBody> topics;
};
const auto kTopicsBody =
    body::Body<TopicsBody>().Objects("topics", &TopicsBody::topics, Need::kRequired,
                                     body::Body<TopicBody>()
                                         .Text("code", &TopicBody::code, Need::kRequired, {.max = 40, .min = 2})
                                         .Object("labels", &TopicBody::labels, Need::kRequired, kLabelsBody)
                                         .Bool("in_scope", &TopicBody::in_scope, Need::kOptional),
                                     {.max_items = 200, .min_items = 1});

struct RetentionBody {
  std::int64_t retention_years = 0;
};
const auto kRetentionBody = body::Body<RetentionBody>().Int("retention_years", &RetentionBody::retention_years,
                                                            Need::kRequired, {.min = 1, .max = 10});

bool SeesCase(const Principal& p, const Escalation& e) { return p.centre_id && *p.centre_id == e.centre_id; }


// The data-subject export as a ZIP archive, produced piece by piece while it is sent (issue 8 #4):
// manifest.json first, then each document, read and decrypted only when its turn comes and sent in
// slices, so that memory holds one document at most, whatever the size of the whole export.
class ExportStream {
 public:
  explicit ExportStream(ClientExport e) : export_(std::move(e)) {}

  Result<std::string> Next() {
    constexpr std::size_t kSlice = std::size_t{1} << 20;
    std::string out;
    if (!manifest_sent_) {
      manifest_sent_ = true;
      const std::string manifest = boost::json::serialize(export_.manifest);
      export_.manifest = {};
      out = zip_.LocalHeader("manifest.json", manifest, clock::NowUnix());
      zip_.Sent(manifest.size());
      return out + manifest;
    }
    if (at_ < current_.size()) {
      const std::size_t n = std::min(kSlice, current_.size() - at_);
      out.assign(current_, at_, n);
      at_ += n;
      zip_.Sent(n);
      if (at_ == current_.size()) std::string().swap(current_);
      return out;
    }
    if (next_file_ < export_.files.size()) {
      auto& f = export_.files[next_file_++];
      current_ = FD_TRY(f.read());
      at_ = 0;
      out = zip_.LocalHeader(f.path, current_, f.modified_at);
      f.read = nullptr;
      if (current_.empty()) return out;
      return out + FD_TRY(Next());
    }
    if (!finished_) {
      finished_ = true;
      return zip_.Finish();
    }
    return std::string();
  }

 private:
  ClientExport export_;
  zip::Writer zip_;
  bool manifest_sent_ = false;
  bool finished_ = false;
  std::size_t next_file_ = 0;
  std::string current_;
  std::size_t at_ = 0;
};

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  using http::Access;
  Service* svc = &service;

  // ---- Topics and routing ----
  auto& topics = router.Get("/api/v1/topics", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->Topics());
    return WithETag(http::Response::Json(ListJson(list, [](const Topic& t) { return ToJson(t); })),
                    Service::SettingsETag("topics", Service::TopicsContent(list)));
  });
  topics.access = Access::kPublic;
  topics.doc = {"Topics of the case-work taxonomy (codes, labels de/en, in scope or not)", "cases"};

  auto& rules = router.Get("/api/v1/routing-rules", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->RoutingRules());
    return WithETag(http::Response::Json(ListJson(list, [](const RoutingRule& r) { return ToJson(r); })),
                    Service::SettingsETag("routing_rules", Service::RulesContent(list)));
  });
  rules.roles = {Role::kAdvisor, Role::kCentreLead, Role::kCompetenceCentre, Role::kAdmin};
  rules.doc = {"Intake routing rules, in evaluation order", "cases"};

  auto& put_rules = router.Put("/api/v1/routing-rules", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kRoutingRulesBody.Parse(req.body));
    std::vector<RoutingRule> list;
    for (auto& x : b.rules) {
      RoutingRule rule;
      rule.id = std::move(x.id);
      rule.nationality = std::move(x.nationality);
      rule.topics = std::move(x.topics);
      rule.in_scope_topics = x.in_scope_topics;
      rule.flags = std::move(x.flags);
      rule.target = std::move(x.target);
      rule.organisation_id = std::move(x.organisation_id);
      rule.stop = x.stop;
      rule.enabled = x.enabled;
      rule.reason_de = std::move(x.reason.de);
      rule.reason_en = std::move(x.reason.en);
      list.push_back(std::move(rule));
    }
    FD_TRY_VOID(svc->ReplaceRoutingRules(req.User(), list, ReadIfMatch(req)));
    auto stored = FD_TRY(svc->RoutingRules());
    return WithETag(http::Response::Json(ListJson(stored, [](const RoutingRule& x) { return ToJson(x); })),
                    Service::SettingsETag("routing_rules", Service::RulesContent(stored)));
  });
  put_rules.roles = {Role::kCompetenceCentre, Role::kAdmin};
  put_rules.doc = {"Replace the routing rules (admins and the competence centre); audited, the previous rules "
                   "stay in GET /api/v1/settings/history; If-Match with the ETag of GET: a stale one is 412",
                   "cases", kRoutingRulesBody.Schema()};

  // ---- Settings of admins: topics, retention, history ----
  auto& put_topics = router.Put("/api/v1/topics", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kTopicsBody.Parse(req.body));
    std::vector<Topic> list;
    for (auto& x : b.topics) list.push_back({std::move(x.code), std::move(x.labels.de), std::move(x.labels.en), x.in_scope, 0});
    FD_TRY_VOID(svc->ReplaceTopics(req.User(), std::move(list), ReadIfMatch(req)));
    auto stored = FD_TRY(svc->Topics());
    return WithETag(http::Response::Json(ListJson(stored, [](const Topic& t) { return ToJson(t); })),
                    Service::SettingsETag("topics", Service::TopicsContent(stored)));
  });
  put_topics.roles = {Role::kAdmin};
  put_topics.doc = {"Replace the topic taxonomy (admins), in the order given; a topic in use cannot be removed "
                    "(mark it out of scope); audited, kept in GET /api/v1/settings/history; If-Match with the "
                    "ETag of GET: a stale one is 412",
                    "cases", kTopicsBody.Schema()};

  auto& retention = router.Get("/api/v1/settings/retention", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto r = FD_TRY(svc->Retention());
    return WithETag(http::Response::Json(ToJson(r)), Service::SettingsETag("retention", Service::RetentionContent(r)));
  });
  retention.roles = {Role::kAdmin};
  retention.doc = {"The retention period of closed cases (years after closing before anonymisation)", "cases"};
  auto& put_retention = router.Put("/api/v1/settings/retention", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kRetentionBody.Parse(req.body));
    auto r = FD_TRY(svc->SetRetention(req.User(), static_cast<int>(b.retention_years), ReadIfMatch(req)));
    return WithETag(http::Response::Json(ToJson(r)), Service::SettingsETag("retention", Service::RetentionContent(r)));
  });
  put_retention.roles = {Role::kAdmin};
  put_retention.doc = {"Set the retention period of closed cases (admins); audited, kept in the history", "cases",
                       kRetentionBody.Schema()};

  auto& settings_history = router.Get("/api/v1/settings/history", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {"kind", "limit"}));
    std::optional<std::string> kind;
    if (auto v = req.Query("kind"); v && !v->empty()) {
      if (*v != "routing_rules" && *v != "topics" && *v != "retention") {
        return Fail(Error::Invalid("kind", "must be routing_rules, topics or retention"));
      }
      kind = *v;
    }
    auto list = FD_TRY(svc->SettingsHistory(kind, FD_TRY(ReadLimit(req))));
    return http::Response::Json(ListJson(list, [](const SettingsChange& c) { return ToJson(c); }));
  });
  settings_history.roles = {Role::kAdmin, Role::kCompetenceCentre};
  settings_history.doc = {"Changes of routing rules, topics and the retention period, newest first, with the values before "
                 "and after, who and when",
                 "cases", nullptr, nullptr, {"kind", "limit"}};

  auto& route = router.Post("/api/v1/intake/route", [svc](http::Request& req) -> Result<http::Response> {
    auto in = FD_TRY(kIntakeBody.Parse(req.body));
    auto suggestions = FD_TRY(svc->RouteIntake(in));
    json::array a;
    std::string lang = req.User().language == "en" ? "en" : "de";
    for (const auto& s : suggestions) a.push_back(ToJson(s, lang));
    return http::Response::Json(json::object{{"suggestions", std::move(a)}});
  });
  route.roles = kCaseRoles;
  route.doc = {"Who is responsible: routing suggestions from nationality, topics and postcode", "cases",
               kIntakeBody.Schema()};

  // ---- Clients ----
  auto& create_client = router.Post("/api/v1/clients", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    Client c;
    FD_TRY_VOID(ReadClient(body, c));
    auto created = FD_TRY(svc->CreateClient(req.User(), std::move(c)));
    return WithETag(http::Response::Json(ToJson(created, true), 201), MakeETag(created.id, created.version));
  });
  create_client.roles = kCaseRoles;
  create_client.doc = {"Register a client (pseudonymous; name and contact optional, encrypted)",
                       "clients",
                       kClientBody.Schema(),
                       nullptr,
                       {},
                       201};

  auto& clients = router.Get("/api/v1/clients", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {"q", "birth_year", "nationality", "limit", "cursor"}));
    ClientQuery query;
    query.limit = FD_TRY(ReadLimit(req));
    std::vector<FieldError> errors;
    if (auto q = req.Query("q"); q && !q->empty()) {
      if (q->size() > 100) errors.push_back({"q", "must be at most 100 characters"});
      query.q = *q;
    }
    if (auto v = req.Query("birth_year"); v && !v->empty()) {
      if (v->size() != 4 || !std::all_of(v->begin(), v->end(), ::isdigit)) {
        errors.push_back({"birth_year", "must be a year YYYY"});
      } else {
        query.birth_year = std::stoi(*v);
      }
    }
    if (auto v = req.Query("nationality"); v && !v->empty()) {
      if (!IsCountryCode(*v)) errors.push_back({"nationality", "must be an ISO 3166-1 alpha-2 country code (upper case)"});
      query.nationality = *v;
    }
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    query.cursor = req.Query("cursor");
    return ClientsPage(*svc, req.User(), query);
  });
  clients.roles = kCaseRoles;
  clients.doc = {"Clients of the caller's centre; q finds returning clients by client code, name, phone or e-mail "
                 "(normalised: case, spaces, punctuation, +49 vs 0; matched on a keyed blind index, never by "
                 "decrypting), birth_year and nationality narrow it. Items carry no identifying data.",
                 "clients", nullptr, nullptr, {"q", "birth_year", "nationality", "limit", "cursor"}};

  auto& client_search = router.Post("/api/v1/clients/search", [svc](http::Request& req) -> Result<http::Response> {
    auto query = FD_TRY(kClientSearchBody.Parse(req.body));
    if (query.q && query.q->empty()) query.q.reset();  // an empty search box searches nothing, as in GET
    return ClientsPage(*svc, req.User(), query);
  });
  client_search.roles = kCaseRoles;
  client_search.doc = {"GET /api/v1/clients with the search in the request body, so that names, phone numbers and "
                       "e-mail addresses never appear in a URL; same matching, paging and answer; changes nothing",
                       "clients", kClientSearchBody.Schema()};

  auto& client = router.Get("/api/v1/clients/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto c = FD_TRY(svc->GetClient(req.User(), req.Param("id")));
    return WithETag(http::Response::Json(ToJson(c, false)), MakeETag(c.id, c.version));
  });
  client.roles = kCaseRoles;
  client.doc = {"One client: recorded fields, consents, which identifying fields are recorded (audited; ETag)",
                "clients"};

  auto& reveal = router.Get("/api/v1/clients/{id}/personal", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto c = FD_TRY(svc->RevealClient(req.User(), req.Param("id")));
    return WithETag(http::Response::Json(ToJson(c, true)), MakeETag(c.id, c.version))
        .With("Cache-Control", "no-store");
  });
  reveal.roles = kCaseRoles;
  reveal.doc = {"Show a client's identifying data (name, phone, e-mail, address, safe-contact note, birth date): "
                "an explicit, audited look (record type client_personal)",
                "clients"};

  auto& patch_client = router.Patch("/api/v1/clients/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    auto updated = FD_TRY(svc->UpdateClient(req.User(), req.Param("id"), ReadIfMatch(req),
                                            [&](Client& c) { return ReadClient(body, c); }));
    return WithETag(http::Response::Json(ToJson(updated, false)), MakeETag(updated.id, updated.version));
  });
  patch_client.roles = kCaseRoles;
  patch_client.doc = {"Change a client (null clears an optional field; If-Match: a stale ETag is 412)", "clients",
                      kClientBody.Schema(body::Mode::kPatch)};

  auto& merge = router.Post("/api/v1/clients/{id}/merge", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kMergeBody.Parse(req.body));
    auto merged = FD_TRY(svc->MergeClients(req.User(), req.Param("id"), b.source_id));
    return WithETag(http::Response::Json(ToJson(merged, false)), MakeETag(merged.id, merged.version));
  });
  merge.roles = {Role::kCentreLead};
  merge.doc = {"Merge another client record of the centre into this one (centre leads; cases and consultations "
               "move, the other record is deleted; audited; clients of two centres: 422)",
               "clients", kMergeBody.Schema()};

  auto& client_cases = router.Get("/api/v1/clients/{id}/cases", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {"limit", "cursor"}));
    FD_TRY_VOID(svc->GetClient(req.User(), req.Param("id")));  // 404 for another centre's client
    CaseFilter f;
    f.limit = FD_TRY(ReadLimit(req));
    f.client_id = req.Param("id");
    f.cursor = req.Query("cursor");
    auto page = FD_TRY(svc->ListCases(req.User(), f));
    return CasePageResponse(page);
  });
  client_cases.roles = kCaseRoles;
  client_cases.doc = {"The client's cases", "clients", nullptr, nullptr, {"limit", "cursor"}};

  auto& export_client = router.Get("/api/v1/clients/{id}/export", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto stream = std::make_shared<ExportStream>(FD_TRY(svc->ExportClient(req.User(), req.Param("id"))));
    http::Response r;
    r.content_type = "application/zip";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"client-export.zip\"");
    r.stream = [stream] { return stream->Next(); };
    return r;
  });
  export_client.slow = true;
  export_client.roles = kCaseRoles;
  export_client.doc = {"Data-subject export: everything stored about a client, as a ZIP archive streamed while it is "
                       "read (manifest.json with every record, documents/<id>/<name> for each document)",
                       "clients"};

  auto& erase_client = router.Delete("/api/v1/clients/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(svc->EraseClient(req.User(), req.Param("id")));
    return http::Response::NoContent();
  });
  erase_client.roles = kCaseRoles;
  erase_client.doc = {"Erasure on request: the client's data is deleted, the cases anonymised", "clients", nullptr,
                      nullptr, {}, 204};

  // ---- Cases ----
  auto& create_case = router.Post("/api/v1/cases", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kCaseCreateBody.Parse(req.body));
    Case c;
    c.client_id = b.client_id;
    Assign(c, b);
    auto created = FD_TRY(svc->CreateCase(req.User(), std::move(c)));
    return WithETag(http::Response::Json(ToJson(created), 201), MakeETag(created.id, created.version));
  });
  create_case.roles = kCaseRoles;
  create_case.doc = {"Open a case for a client (narrative: the intake narrative, encrypted at rest)", "cases",
                     kCaseCreateBody.Schema(), nullptr, {}, 201};

  auto& cases = router.Get("/api/v1/cases", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {"status", "topic", "assignee", "q", "priority", "risk_flag", "client_id", "overdue",
                                 "sort", "limit", "cursor"}));
    CaseFilter f;
    f.limit = FD_TRY(ReadLimit(req));
    std::vector<FieldError> errors;
    // An empty parameter is no filter (a cleared search box clears the search).
    if (auto v = req.Query("status"); v && !v->empty()) {
      if (!Contains(kCaseStatuses, *v) && *v != "active") {
        errors.push_back({"status", "must be open, waiting_client, waiting_third_party, referred, closed or active"});
      }
      f.status = *v;
    }
    if (auto v = req.Query("topic"); v && !v->empty()) {
      if (v->size() > 40) errors.push_back({"topic", "is not a topic code"});
      f.topic = *v;
    }
    if (auto v = req.Query("assignee"); v && !v->empty()) {
      if (v->size() > 64) errors.push_back({"assignee", "is not a user id (or me, none)"});
      f.assignee = *v;
    }
    if (auto v = req.Query("q"); v && !v->empty()) {
      if (v->size() > 100) errors.push_back({"q", "must be at most 100 characters"});
      f.q = *v;
    }
    if (auto v = req.Query("priority"); v && !v->empty()) {
      if (!Contains(kPriorities, *v)) errors.push_back({"priority", "must be low, normal, high or urgent"});
      f.priority = *v;
    }
    if (auto v = req.Query("risk_flag"); v && !v->empty()) {
      if (!Contains(kRiskFlags, *v)) errors.push_back({"risk_flag", "is not a risk flag"});
      f.risk_flag = *v;
    }
    if (auto v = req.Query("client_id"); v && !v->empty()) {
      if (v->size() > 64) errors.push_back({"client_id", "is not a client id"});
      f.client_id = *v;
    }
    if (auto v = req.Query("overdue"); v && !v->empty()) {
      if (*v != "true" && *v != "false") errors.push_back({"overdue", "must be true or false"});
      f.overdue = *v == "true";
    }
    if (auto v = req.Query("sort"); v && !v->empty()) {
      if (!Contains(kCaseSortOrders, *v)) {
        errors.push_back({"sort", "must be one of -created, created, -updated, updated, number, -number, priority, "
                                  "-priority, next_deadline, -next_deadline, status"});
      }
      f.sort = *v;
    }
    f.cursor = req.Query("cursor");
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    auto page = FD_TRY(svc->ListCases(req.User(), f));
    return CasePageResponse(page);
  });
  cases.roles = kCaseRoles;
  cases.doc = {"Cases of the caller's centre. Filters: status (or active = not closed), topic, assignee (me, none or "
               "a user id), q (case number, topic, client code), priority, risk_flag, client_id, overdue=true; "
               "sort (default -created); every item has next_deadline and overdue; cursor paging",
               "cases", nullptr, nullptr,
               {"status", "topic", "assignee", "q", "priority", "risk_flag", "client_id", "overdue", "sort", "limit",
                "cursor"}};

  auto& get_case = router.Get("/api/v1/cases/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto d = FD_TRY(svc->GetCase(req.User(), req.Param("id")));
    json::object o = CaseDetailJson(d);
    o["pending_transfer"] = d.pending_transfer ? json::value(ToJson(*d.pending_transfer)) : json::value(nullptr);
    return WithETag(http::Response::Json(o), MakeETag(d.c.id, d.c.version));
  });
  get_case.roles = kCaseRoles;
  get_case.doc = {"One case with its timeline (audited; ETag of the case)", "cases"};

  auto& patch_case = router.Patch("/api/v1/cases/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto json_body = FD_TRY(Body(req));
    auto updated = FD_TRY(svc->UpdateCase(
        req.User(), req.Param("id"), ReadIfMatch(req),
        [&](Case& c) -> Status {
          CaseBody b = FieldsOf(c);
          FD_TRY_VOID(kCasePatchBody.Apply(json_body, b));
          Assign(c, b);
          return {};
        },
        RawString(json_body, "reason")));  // validated with the body above
    json::object o = ToJson(updated.c);
    json::array warnings;
    for (const auto& [code, count] : updated.warnings) {
      warnings.push_back(json::object{{"code", code}, {"count", count}});
    }
    o["warnings"] = std::move(warnings);
    return WithETag(http::Response::Json(o), MakeETag(updated.c.id, updated.c.version));
  });
  patch_case.roles = kCaseRoles;
  patch_case.doc = {"Change a case: status, priority, assignee, risk flags, topics, narrative, employment (the "
                    "calculators' dates, employer, hours, wage; encrypted at rest); closing with outcome "
                    "(warnings name open deadlines and referrals); reopening a closed case needs a reason; a closed "
                    "case changes only by reopening (409 naming the field); If-Match: a stale ETag is 412",
                    "cases", kCasePatchBody.Schema(body::Mode::kPatch)};

  auto& assign = router.Post("/api/v1/cases/assign", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kAssignBody.Parse(req.body));
    auto list = FD_TRY(svc->AssignCases(req.User(), b.case_ids, b.assignee_id));
    return http::Response::Json(ListJson(list, [](const Case& c) { return ToJson(c); }));
  });
  assign.roles = {Role::kCentreLead};
  assign.doc = {"Assign or reassign several cases at once (centre leads; all or nothing; null unassigns)", "cases",
                kAssignBody.Schema()};

  auto& caseload = router.Get("/api/v1/caseload", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->CaseloadOfCentre(req.User()));
    return http::Response::Json(ListJson(list, [](const Caseload& c) { return ToJson(c); }));
  });
  caseload.roles = {Role::kCentreLead};
  caseload.doc = {"Open cases and overdue deadlines per member of the centre (centre leads)", "cases"};

  auto& history = router.Get("/api/v1/cases/{id}/history", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->CaseHistory(req.User(), req.Param("id")));
    return http::Response::Json(ListJson(list, [](const HistoryEntry& h) { return ToJson(h); }));
  });
  history.roles = kCaseRoles;
  history.doc = {"Earlier versions of the case's records: corrections, withdrawals, reopenings with reason, who and "
                 "when (audited)",
                 "cases"};

  auto& transfer = router.Post("/api/v1/cases/{id}/transfer", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kTransferBody.Parse(req.body));
    // The consent date records the client's consent; client_consent: false says it was refused.
    auto t = FD_TRY(svc->TransferCase(req.User(), req.Param("id"), b.centre_id, b.consent_date,
                                      b.client_consent.value_or(true)));
    return http::Response::Json(ToJson(t), 202);
  });
  transfer.roles = kCaseRoles;
  transfer.doc = {"Ask another advice centre to take the case over, with the client's recorded consent; the case "
                  "stays with the sender until the receiving centre accepts (202, a pending transfer)",
                  "cases", kTransferBody.Schema(), nullptr, {}, 202};

  auto& transfers = router.Get("/api/v1/transfers", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->PendingTransfers(req.User()));
    return http::Response::Json(ListJson(list, [](const Transfer& t) { return ToJson(t); }));
  });
  transfers.roles = kCaseRoles;
  transfers.doc = {"Pending transfers to and from the caller's centre", "cases"};

  for (std::string_view decision : {"accept", "decline", "cancel"}) {
    auto& decide = router.Post("/api/v1/transfers/{id}/" + std::string(decision),
                               [svc, decision](http::Request& req) -> Result<http::Response> {
                                 if (!req.body.empty()) {
                                   auto body = FD_TRY(Body(req));
                                   JsonReader r(body);
                                   FD_TRY_VOID(r.Finish());
                                 }
                                 auto t = FD_TRY(svc->DecideTransfer(req.User(), req.Param("id"), decision));
                                 return http::Response::Json(ToJson(t));
                               });
    decide.roles = kCaseRoles;
    decide.doc = {decision == "cancel" ? "The sending centre withdraws a pending transfer"
                                       : decision == "accept" ? "The receiving centre takes the case over"
                                                              : "The receiving centre declines the case",
                  "cases"};
  }

  // ---- Saved filters of the case list ----
  auto& filters = router.Get("/api/v1/saved-filters", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->SavedFilters(req.User()));
    return http::Response::Json(ListJson(list, [](const SavedFilter& f) { return ToJson(f); }));
  });
  filters.roles = kCaseRoles;
  filters.doc = {"The caller's saved case-list filters", "cases"};
  auto& add_filter = router.Post("/api/v1/saved-filters", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kSavedFilterBody.Parse(req.body));
    auto f = FD_TRY(svc->SaveFilter(req.User(), std::nullopt, b.name, b.query));
    return http::Response::Json(ToJson(f), 201);
  });
  add_filter.roles = kCaseRoles;
  add_filter.doc = {"Save a case-list filter under a name (query: the query string of GET /api/v1/cases, e.g. "
                    "status=open&sort=next_deadline)",
                    "cases", kSavedFilterBody.Schema(), nullptr, {}, 201};
  auto& put_filter = router.Put("/api/v1/saved-filters/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kSavedFilterBody.Parse(req.body));
    auto f = FD_TRY(svc->SaveFilter(req.User(), req.Param("id"), b.name, b.query));
    return http::Response::Json(ToJson(f));
  });
  put_filter.roles = kCaseRoles;
  put_filter.doc = {"Rename or change a saved filter", "cases", kSavedFilterBody.Schema()};
  auto& del_filter = router.Delete("/api/v1/saved-filters/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(svc->DeleteSavedFilter(req.User(), req.Param("id")));
    return http::Response::NoContent();
  });
  del_filter.roles = kCaseRoles;
  del_filter.doc = {"Delete a saved filter", "cases", nullptr, nullptr, {}, 204};

  // ---- Consultations ----
  auto& add_consultation = router.Post("/api/v1/cases/{id}/consultations", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kConsultationBody.Parse(req.body));
    Consultation c;
    Assign(c, b);
    auto created = FD_TRY(svc->AddConsultation(req.User(), req.Param("id"), std::move(c)));
    return WithETag(http::Response::Json(ToJson(created), 201), MakeETag(created.id, created.version));
  });
  add_consultation.roles = kCaseRoles;
  add_consultation.doc = {"Record a consultation (notes encrypted)", "cases", kConsultationBody.Schema(), nullptr, {}, 201};

  auto& consultations = router.Get("/api/v1/cases/{id}/consultations", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->ListConsultations(req.User(), req.Param("id")));
    return http::Response::Json(ListJson(list, [](const Consultation& c) { return ToJson(c); }));
  });
  consultations.roles = kCaseRoles;
  consultations.doc = {"Consultations of a case (with author, corrected/withdrawn marks and etag)", "cases"};

  auto& consultation = router.Get("/api/v1/consultations/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto c = FD_TRY(svc->GetConsultation(req.User(), req.Param("id")));
    return WithETag(http::Response::Json(ToJson(c)), MakeETag(c.id, c.version));
  });
  consultation.roles = kCaseRoles;
  consultation.doc = {"One consultation (ETag)", "cases"};

  auto& patch_consultation = router.Patch("/api/v1/consultations/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto json_body = FD_TRY(Body(req));
    // The reason and the withdrawal are known before the record is read; the fields are applied
    // to the stored version inside the service's transaction.
    ConsultationBody probe;
    FD_TRY_VOID(kConsultationCorrectionBody.Apply(json_body, probe));
    Correction correction;
    correction.if_match = ReadIfMatch(req);
    correction.reason = probe.reason;
    correction.withdraw = probe.withdrawn.value_or(false);
    auto updated = FD_TRY(svc->CorrectConsultation(req.User(), req.Param("id"), correction, [&](Consultation& c) -> Status {
      ConsultationBody b = FieldsOf(c);
      FD_TRY_VOID(kConsultationCorrectionBody.Apply(json_body, b));
      Assign(c, b);
      return {};
    }));
    return WithETag(http::Response::Json(ToJson(updated)), MakeETag(updated.id, updated.version));
  });
  patch_consultation.roles = kCaseRoles;
  patch_consultation.doc = {
      "Correct or withdraw a consultation (its author or the centre lead; the changed fields and a reason; the "
      "entry is marked corrected/withdrawn, the earlier version kept in the history; If-Match: stale is 412)",
      "cases", kConsultationCorrectionBody.Schema(body::Mode::kPatch)};

  // ---- Deadlines ----
  auto& add_deadline = router.Post("/api/v1/cases/{id}/deadlines", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kDeadlineBody.Parse(req.body));
    Deadline d;
    d.kind = std::move(b.kind);
    d.due_date = std::move(b.due_date);
    d.note = std::move(b.note);
    d.done = b.done;
    bool confirm_past = b.confirm_past.value_or(false);
    std::optional<CalculatorSource> source;
    if (b.source) source = CalculatorSource{std::move(b.source->calculator), std::move(b.source->input)};
    auto created = FD_TRY(svc->AddDeadline(req.User(), req.Param("id"), std::move(d), std::move(source), confirm_past));
    return WithETag(http::Response::Json(ToJson(created), 201), MakeETag(created.id, created.version));
  });
  add_deadline.roles = kCaseRoles;
  add_deadline.doc = {
      "Add a deadline; a due date in the past needs confirm_past: true; with `source` the server "
      "recomputes it with the calculator",
      "cases",
      kDeadlineBody.Schema(),
      nullptr,
      {},
      201};

  auto& deadlines = router.Get("/api/v1/cases/{id}/deadlines", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->ListDeadlines(req.User(), req.Param("id")));
    return http::Response::Json(ListJson(list, [](const Deadline& d) { return ToJson(d); }));
  });
  deadlines.roles = kCaseRoles;
  deadlines.doc = {"Deadlines of a case (overdue marked)", "cases"};

  auto& deadline = router.Get("/api/v1/deadlines/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto d = FD_TRY(svc->GetDeadline(req.User(), req.Param("id")));
    return WithETag(http::Response::Json(ToJson(d)), MakeETag(d.id, d.version));
  });
  deadline.roles = kCaseRoles;
  deadline.doc = {"One deadline (ETag)", "cases"};

  auto& patch_deadline = router.Patch("/api/v1/deadlines/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto json_body = FD_TRY(Body(req));
    DeadlineBody probe;
    FD_TRY_VOID(kDeadlineChangeBody.Apply(json_body, probe));
    Correction correction;
    correction.if_match = ReadIfMatch(req);
    correction.reason = probe.reason;
    correction.withdraw = probe.withdrawn.value_or(false);
    auto updated = FD_TRY(svc->UpdateDeadline(
        req.User(), req.Param("id"), correction,
        [&](Deadline& d) -> Status {
          DeadlineBody b{d.kind, d.due_date, d.note, d.done, {}, {}, {}, {}};
          FD_TRY_VOID(kDeadlineChangeBody.Apply(json_body, b));
          d.kind = b.kind;
          d.due_date = b.due_date;
          d.note = b.note;
          d.done = b.done;
          return {};
        },
        probe.confirm_past.value_or(false)));
    return WithETag(http::Response::Json(ToJson(updated)), MakeETag(updated.id, updated.version));
  });
  patch_deadline.roles = kCaseRoles;
  patch_deadline.doc = {"Mark a deadline done (no reason needed), or correct (kind, due date, note) or withdraw it "
                        "with a reason (author or centre lead); a new due date in the past needs confirm_past; "
                        "If-Match: stale is 412",
                        "cases", kDeadlineChangeBody.Schema(body::Mode::kPatch)};

  auto& due = router.Get("/api/v1/deadlines", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {"due_within_days", "mine"}));
    int days = 7;
    if (auto v = req.Query("due_within_days"); v && !v->empty()) {
      if (v->size() > 3 || !std::all_of(v->begin(), v->end(), ::isdigit) || std::stoi(*v) > 366) {
        return Fail(Error::Invalid("due_within_days", "must be a number from 0 to 366"));
      }
      days = std::stoi(*v);
    }
    bool mine = false;
    if (auto v = req.Query("mine"); v && !v->empty()) {
      if (*v != "true" && *v != "false") return Fail(Error::Invalid("mine", "must be true or false"));
      mine = *v == "true";
    }
    auto list = FD_TRY(svc->DueDeadlines(req.User(), days, mine));
    return http::Response::Json(ListJson(list, [&](const Deadline& d) { return ToJson(d); }));
  });
  due.roles = kCaseRoles;
  due.doc = {"Open deadlines of the caller's centre due within N days, and overdue ones (dashboard)", "cases", nullptr,
             nullptr, {"due_within_days", "mine"}};

  // ---- Referrals ----
  auto& add_referral = router.Post("/api/v1/cases/{id}/referrals", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kReferralBody.Parse(req.body));
    Referral x;
    Assign(x, b);
    auto created = FD_TRY(svc->AddReferral(req.User(), req.Param("id"), std::move(x)));
    return WithETag(http::Response::Json(ToJson(created), 201), MakeETag(created.id, created.version));
  });
  add_referral.roles = kCaseRoles;
  add_referral.doc = {"Refer a case to a partner or another IQ service (consent needed from `made` on)", "cases",
                      kReferralBody.Schema(), nullptr, {}, 201};

  auto& referrals = router.Get("/api/v1/cases/{id}/referrals", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->ListReferrals(req.User(), req.Param("id")));
    return http::Response::Json(ListJson(list, [](const Referral& x) { return ToJson(x); }));
  });
  referrals.roles = kCaseRoles;
  referrals.doc = {"Referrals of a case (organisation name, status with the date of each step)", "cases"};

  auto patch_referral_handler = [svc](http::Request& req, std::string case_id) -> Result<http::Response> {
    auto json_body = FD_TRY(Body(req));
    // Reason, withdrawal and step date as sent; the whole body is validated where it is applied
    // to the stored referral (with the stored values for the rules across fields).
    Correction correction;
    correction.if_match = ReadIfMatch(req);
    correction.reason = RawString(json_body, "reason");
    correction.withdraw = RawTrue(json_body, "withdrawn");
    auto updated = FD_TRY(svc->UpdateReferral(req.User(), case_id, req.Param(case_id.empty() ? "id" : "referral_id"),
                                              correction,
                                              [&](Referral& x) -> Status {
                                                ReferralBody b = FieldsOf(x);
                                                FD_TRY_VOID(kReferralChangeBody.Apply(json_body, b));
                                                Assign(x, b);
                                                return {};
                                              },
                                              RawString(json_body, "status_date")));
    return WithETag(http::Response::Json(ToJson(updated)), MakeETag(updated.id, updated.version));
  };
  const auto referral_patch_schema = kReferralChangeBody.Schema(body::Mode::kPatch);
  constexpr std::string_view kReferralPatchDoc =
      "Move a referral's status on (suggested, made, confirmed, completed, or declined; the date of each step is "
      "kept) or record the consent; any other change (target, organisation, note, a step back) is a correction "
      "with a reason by the author or the centre lead; withdrawn: true withdraws it; If-Match: stale is 412";
  auto& patch_case_referral = router.Patch("/api/v1/cases/{id}/referrals/{referral_id}",
                                           [patch_referral_handler](http::Request& req) -> Result<http::Response> {
                                             return patch_referral_handler(req, req.Param("id"));
                                           });
  patch_case_referral.roles = kCaseRoles;
  patch_case_referral.doc = {std::string(kReferralPatchDoc), "cases", referral_patch_schema};

  auto& referral = router.Get("/api/v1/referrals/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto x = FD_TRY(svc->GetReferral(req.User(), req.Param("id")));
    return WithETag(http::Response::Json(ToJson(x)), MakeETag(x.id, x.version));
  });
  referral.roles = kCaseRoles;
  referral.doc = {"One referral (ETag)", "cases"};
  auto& patch_referral = router.Patch("/api/v1/referrals/{id}", [patch_referral_handler](http::Request& req) -> Result<http::Response> {
    return patch_referral_handler(req, "");
  });
  patch_referral.roles = kCaseRoles;
  patch_referral.doc = {std::string(kReferralPatchDoc), "cases", referral_patch_schema};

  // ---- Escalations ----
  auto& escalate = router.Post("/api/v1/cases/{id}/escalations", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kEscalationBody.Parse(req.body));
    Escalation e;
    e.summary = std::move(b.summary);
    e.question = std::move(b.question);
    auto created = FD_TRY(svc->CreateEscalation(req.User(), req.Param("id"), std::move(e)));
    return http::Response::Json(ToJson(created, true), 201);
  });
  escalate.roles = kCaseRoles;
  escalate.doc = {
      "Escalate a difficult case to the Fachstelle Faire Integration (anonymised summary and question; "
      "the server refuses texts that contain the client's name, phone, e-mail, birth date, employer, "
      "address or code, after normalising)",
      "cases",
      kEscalationBody.Schema(),
      nullptr,
      {},
      201};

  auto& escalations = router.Get("/api/v1/escalations", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {"status"}));
    std::optional<std::string> status;
    if (auto v = req.Query("status"); v && !v->empty()) {
      if (!Contains(kEscalationStatuses, *v)) return Fail(Error::Invalid("status", "must be open, answered or closed"));
      status = *v;
    }
    auto list = FD_TRY(svc->ListEscalations(req.User(), status));
    const Principal& p = req.User();
    return http::Response::Json(ListJson(list, [&](const Escalation& e) { return ToJson(e, SeesCase(p, e)); }));
  });
  escalations.roles = kCaseRoles;
  escalations.doc = {"Escalations: the Fachstelle Faire Integration sees all (its inbox: asking centre and state, "
                     "topics, waiting time, assignee, counters), centres their own",
                     "cases", nullptr, nullptr, {"status"}};

  auto& escalation = router.Get("/api/v1/escalations/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto e = FD_TRY(svc->GetEscalation(req.User(), req.Param("id")));
    return http::Response::Json(ToJson(e, SeesCase(req.User(), e)));
  });
  escalation.roles = kCaseRoles;
  escalation.doc = {"One escalation with its thread (answers carry the answering person's name)", "cases"};

  auto& patch_escalation = router.Patch("/api/v1/escalations/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto json_body = FD_TRY(Body(req));
    EscalationPatchBody b;
    auto sent = FD_TRY(kEscalationPatchBody.Apply(json_body, b));
    const bool assign = std::find(sent.begin(), sent.end(), "assignee_id") != sent.end();
    std::optional<Escalation> e;
    if (assign) e = FD_TRY(svc->AssignEscalation(req.User(), req.Param("id"), b.assignee_id));
    if (b.status) e = FD_TRY(svc->SetEscalationStatus(req.User(), req.Param("id"), *b.status));
    if (!e) return Fail(Error::Invalid("status", "is required (or assignee_id)"));
    return http::Response::Json(ToJson(*e, SeesCase(req.User(), *e)));
  });
  patch_escalation.roles = kCaseRoles;
  patch_escalation.doc = {"Set an escalation's status, or (the Fachstelle) its assignee within the Fachstelle "
                          "(null: nobody); the Fachstelle cannot reopen an escalation",
                          "cases", kEscalationPatchBody.Schema(body::Mode::kPatch)};

  auto& read_answers = router.Post("/api/v1/escalations/{id}/read", [svc](http::Request& req) -> Result<http::Response> {
    ReadMarkBody b;
    if (!req.body.empty()) b = FD_TRY(kReadMarkBody.Parse(req.body));
    auto e = FD_TRY(svc->MarkAnswersRead(req.User(), req.Param("id"), b.message_id));
    return http::Response::Json(ToJson(e, SeesCase(req.User(), e)));
  });
  read_answers.roles = kCaseRoles;
  read_answers.doc = {"The asking centre marks the Fachstelle's answers read (one with message_id, or all)", "cases",
                      kReadMarkBody.Schema()};

  auto& message = router.Post("/api/v1/escalations/{id}/messages", [svc](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kMessageBody.Parse(req.body));
    auto m = FD_TRY(svc->AddMessage(req.User(), req.Param("id"), b.body));
    return http::Response::Json(ToJson(m), 201);
  });
  message.roles = kCaseRoles;
  message.doc = {"Add a message to an escalation's thread (an answer of the Fachstelle marks it answered)",
                 "cases",
                 kMessageBody.Schema(),
                 nullptr,
                 {},
                 201};
}

}  // namespace fairdesk::cases
