#include "cases/service.hpp"

#include <algorithm>
#include <cctype>

#include "audit/audit.hpp"
#include "cases/json.hpp"
#include "cases/reference.hpp"
#include "directory/service.hpp"
#include "labour_law/calculators.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::cases {
namespace json = boost::json;
namespace {

std::vector<Topic> DefaultTopics() {
  return {
      {"wages", "Lohn und Gehalt", "Wages", true, 10},
      {"working_time", "Arbeitszeit", "Working time", true, 20},
      {"leave", "Urlaub", "Leave", true, 30},
      {"dismissal", "Kündigung", "Dismissal", true, 40},
      {"contract", "Arbeitsvertrag", "Employment contract", true, 50},
      {"sick_pay", "Entgeltfortzahlung im Krankheitsfall", "Sick pay", true, 60},
      {"health_insurance", "Krankenversicherung", "Health insurance", true, 70},
      {"social_security", "Sozialversicherung", "Social security", true, 80},
      {"occupational_safety", "Arbeitsschutz", "Occupational safety", true, 90},
      {"accommodation", "Unterkunft beim Arbeitgeber", "Accommodation tied to the job", true, 100},
      {"discrimination", "Diskriminierung", "Discrimination", true, 110},
      {"exploitation", "Arbeitsausbeutung", "Labour exploitation", true, 120},
      {"other", "Sonstiges", "Other", true, 130},
      {"job_search", "Arbeitssuche", "Job search", false, 200},
      {"residence_status", "Aufenthaltsstatus", "Residence status", false, 210},
      {"recognition", "Anerkennung ausländischer Abschlüsse", "Recognition of foreign qualifications", false, 220},
  };
}

constexpr std::string_view kPersonalColumns[] = {"name_enc", "phone_enc", "email_enc", "address_enc",
                                                 "safe_contact_enc"};

std::optional<std::string>* PersonalField(Personal& p, std::size_t i) {
  std::optional<std::string>* fields[] = {&p.name, &p.phone, &p.email, &p.address, &p.safe_contact};
  return fields[i];
}

// "<created_at>.<id>": the position after which the next page starts.
std::string MakeCursor(std::int64_t created_at, const std::string& id) { return std::to_string(created_at) + "." + id; }

Result<std::optional<std::pair<std::int64_t, std::string>>> ParseCursor(const std::optional<std::string>& cursor) {
  using Position = std::optional<std::pair<std::int64_t, std::string>>;
  if (!cursor || cursor->empty()) return Position();
  auto dot = cursor->find('.');
  if (dot == std::string::npos || dot == 0 || dot > 15 || dot + 1 >= cursor->size() || cursor->size() > 100) {
    return Fail(Error::Invalid("cursor", "is not a cursor of this list"));
  }
  std::int64_t at = 0;
  for (std::size_t i = 0; i < dot; ++i) {
    if (!std::isdigit(static_cast<unsigned char>((*cursor)[i]))) return Fail(Error::Invalid("cursor", "is not a cursor of this list"));
    at = at * 10 + ((*cursor)[i] - '0');
  }
  return Position(std::pair{at, cursor->substr(dot + 1)});
}

std::string LikePattern(std::string_view q) {
  std::string out = "%";
  for (char ch : q) {
    if (ch == '%' || ch == '_' || ch == '!') out += '!';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out + "%";
}

std::string Today() { return clock::TodayIso(); }

std::string ShiftDays(const std::string& iso, int days) {
  auto d = Date::Parse(iso);
  return d ? d->AddDays(days).ToString() : iso;
}

constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

std::string RandomCode(std::size_t n) {
  std::string token = crypto::RandomToken(n + 4);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += kCodeAlphabet[static_cast<unsigned char>(token[i]) % kCodeAlphabet.size()];
  return out;
}

std::string_view DeadlineField(std::string_view calculator) {
  if (calculator == "dismissal-claim-deadline") return "deadline";
  if (calculator == "limitation") return "limitation_ends";
  if (calculator == "notice-period") return "earliest_end";
  return "";
}

std::string Lower(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool IsWordChar(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || (ch & 0x80); }

// `needle` occurs in `text` as a whole word (both already lower case).
bool ContainsWord(std::string_view text, std::string_view needle) {
  for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) {
    bool starts = at == 0 || !IsWordChar(text[at - 1]);
    bool ends = at + needle.size() == text.size() || !IsWordChar(text[at + needle.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// Distributes the messages of a case (one query) to their escalations, keeping their order.
void AttachMessages(std::vector<Escalation>& escalations, std::vector<EscalationMessage> messages) {
  for (auto& m : messages) {
    for (auto& e : escalations) {
      if (e.id == m.escalation_id) {
        e.messages.push_back(std::move(m));
        break;
      }
    }
  }
  for (auto& e : escalations) {
    std::stable_sort(e.messages.begin(), e.messages.end(),
                     [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  }
}

}  // namespace

bool IdentifiesClient(std::string_view text, const Client& client) {
  const std::string lower = Lower(text);
  if (!client.code.empty() && lower.find(Lower(client.code)) != std::string::npos) return true;
  if (client.personal.email && !client.personal.email->empty() &&
      lower.find(Lower(*client.personal.email)) != std::string::npos) {
    return true;
  }
  if (client.personal.name) {
    // The whole name, and each part of it long enough to identify (a family name on its own).
    std::string name = Lower(*client.personal.name);
    if (!name.empty() && ContainsWord(lower, name)) return true;
    std::size_t start = 0;
    while (start < name.size()) {
      auto end = name.find_first_of(" \t-", start);
      if (end == std::string::npos) end = name.size();
      if (end - start >= 4 && ContainsWord(lower, std::string_view(name).substr(start, end - start))) return true;
      start = end + 1;
    }
  }
  if (client.personal.phone) {
    // Compared by digits, whatever the separators; the last eight digits match the national and
    // the international form alike (+49 30 1234567, 030 1234567).
    std::string digits;
    for (char ch : *client.personal.phone) {
      if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
    }
    if (digits.size() >= 6) {
      std::string tail = digits.substr(digits.size() - std::min<std::size_t>(digits.size(), 8));
      std::string text_digits;
      for (char ch : text) {
        if (std::isdigit(static_cast<unsigned char>(ch))) {
          text_digits += ch;
        } else if (!(ch == ' ' || ch == '-' || ch == '/' || ch == '(' || ch == ')' || ch == '+' || ch == '.')) {
          text_digits += '|';  // other characters end a number
        }
      }
      if (text_digits.find(tail) != std::string::npos) return true;
    }
  }
  return false;
}

Service::Service(db::Database& database, directory::Service& directory, const crypto::Keyring& keyring,
                 Options options)
    : db_(database), directory_(directory), keyring_(keyring), options_(options) {}

std::vector<crypto::EncryptedColumn> Service::EncryptedColumns() {
  using E = crypto::EncryptedColumn::Encoding;
  std::vector<crypto::EncryptedColumn> out;
  for (auto c : kPersonalColumns) out.push_back({"clients", "id", std::string(c), E::kBase64Text});
  out.push_back({"consultations", "id", "notes_enc", E::kBase64Text});
  out.push_back({"referrals", "id", "note_enc", E::kBase64Text});
  return out;
}

Status Service::SeedReferenceData() {
  return db_.Write([&](db::Session& s) -> Status {
    if (!FD_TRY(store_.Seeded(s, "topics"))) {
      FD_TRY_VOID(store_.ReplaceTopics(s, DefaultTopics()));
      FD_TRY_VOID(store_.MarkSeeded(s, "topics"));
    }
    if (!FD_TRY(store_.Seeded(s, "routing_rules"))) {
      FD_TRY_VOID(store_.ReplaceRoutingRules(s, DefaultRoutingRules()));
      FD_TRY_VOID(store_.MarkSeeded(s, "routing_rules"));
    }
    return {};
  });
}

// ---- Reference data and routing ----

Result<std::vector<Topic>> Service::Topics() {
  std::vector<Topic> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.Topics(s));
    return {};
  }));
  return out;
}

Result<std::vector<RoutingRule>> Service::RoutingRules() {
  std::vector<RoutingRule> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.RoutingRules(s));
    return {};
  }));
  return out;
}

Status Service::CheckTopics(const std::vector<std::string>& topics, const std::string& field) {
  return CheckTopicCodes(FD_TRY(Topics()), topics, field);
}

Status CheckTopicCodes(const std::vector<Topic>& known, const std::vector<std::string>& topics,
                       const std::string& field) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < topics.size(); ++i) {
    bool ok = std::any_of(known.begin(), known.end(), [&](const Topic& t) { return t.code == topics[i]; });
    if (!ok) errors.push_back({field + "[" + std::to_string(i) + "]", "is not a topic code (see GET /api/v1/topics)"});
    if (std::find(topics.begin(), topics.begin() + static_cast<std::ptrdiff_t>(i), topics[i]) !=
        topics.begin() + static_cast<std::ptrdiff_t>(i)) {
      errors.push_back({field + "[" + std::to_string(i) + "]", "is listed twice"});
    }
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

Status Service::CheckOrganisation(const std::string& target, const std::optional<std::string>& organisation_id) {
  if (!organisation_id) return {};
  if (target == "centre") {
    if (!directory_.CentreById(*organisation_id)) {
      return Fail(Error::Invalid("organisation_id", "is not an advice centre of the directory"));
    }
    return {};
  }
  auto partners = FD_TRY(directory_.Partners(std::nullopt, std::nullopt));
  bool ok = std::any_of(partners.begin(), partners.end(), [&](const auto& p) { return p.id == *organisation_id; });
  if (!ok && !directory_.CentreById(*organisation_id)) {
    return Fail(Error::Invalid("organisation_id", "is not a partner or centre of the directory"));
  }
  return {};
}

Status Service::ReplaceRoutingRules(const Principal& p, std::vector<RoutingRule> rules) {
  (void)p;
  std::vector<FieldError> errors;
  auto topics = FD_TRY(Topics());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string at = "rules[" + std::to_string(i) + "]";
    for (std::size_t j = 0; j < i; ++j) {
      if (rules[j].id == rules[i].id) errors.push_back({at + ".id", "is used by another rule"});
    }
    for (std::size_t k = 0; k < rules[i].topics.size(); ++k) {
      const auto& code = rules[i].topics[k];
      if (std::none_of(topics.begin(), topics.end(), [&](const Topic& t) { return t.code == code; })) {
        errors.push_back({at + ".topics[" + std::to_string(k) + "]", "is not a topic code"});
      }
    }
    if (auto st = CheckOrganisation(rules[i].target, rules[i].organisation_id); !st) {
      // Only a validation error says something about the field; anything else (the directory
      // unavailable: 503) passes through as it is.
      if (st.error().kind != ErrorKind::kInvalid || st.error().errors.empty()) return Fail(st.error());
      errors.push_back({at + ".organisation_id", st.error().errors.front().message});
    }
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return db_.Write([&](db::Session& s) -> Status { return store_.ReplaceRoutingRules(s, rules); });
}

Result<std::vector<Suggestion>> Service::RouteIntake(const IntakeInput& input) {
  FD_TRY_VOID(CheckTopics(input.topics, "topics"));
  RoutingContext context;
  context.topics = FD_TRY(Topics());
  if (input.postcode) {
    if (auto c = FD_TRY(directory_.CentreForPostcode(*input.postcode))) {
      context.centre = RoutingContext::Org{c->id, c->kind, c->name, c->state, c->languages};
    }
  }
  for (const auto& p : FD_TRY(directory_.Partners(std::nullopt, std::nullopt))) {
    context.partners.push_back({p.id, p.kind, p.name, p.state, p.languages});
  }
  auto rules = FD_TRY(RoutingRules());
  return Route(rules, input, context);
}

// ---- Access and encryption ----

Result<std::string> Service::CallerCentre(const Principal& p) {
  if (!HasCaseAccess(p.role) || !p.centre_id) return Fail(Error::Forbidden("Your role has no access to case work."));
  return *p.centre_id;
}

Result<Case> Service::LoadCase(db::Session& s, const Principal& p, std::string_view id) {
  auto centre = FD_TRY(CallerCentre(p));
  auto c = FD_TRY(store_.FindCase(s, id));
  if (!c || c->centre_id != centre) return Fail(Error::NotFound("No such case."));
  return *c;
}

Result<Client> Service::LoadClient(db::Session& s, const Principal& p, std::string_view id) {
  auto centre = FD_TRY(CallerCentre(p));
  auto c = FD_TRY(store_.FindClient(s, id));
  if (!c || c->centre_id != centre) return Fail(Error::NotFound("No such client."));
  return *c;
}

Result<std::optional<std::string>> Service::SealField(const std::optional<std::string>& v, std::string_view table,
                                                      std::string_view column, std::string_view id) const {
  if (!v) return std::optional<std::string>();
  return std::optional(FD_TRY(keyring_.EncryptToText(*v, crypto::AssociatedData(table, column, id))));
}

Result<std::optional<std::string>> Service::OpenField(const std::optional<std::string>& v, std::string_view table,
                                                      std::string_view column, std::string_view id) const {
  if (!v) return std::optional<std::string>();
  return std::optional(FD_TRY(keyring_.DecryptText(*v, crypto::AssociatedData(table, column, id))));
}

Result<Client> Service::Seal(Client c) const {
  for (std::size_t i = 0; i < std::size(kPersonalColumns); ++i) {
    auto* f = PersonalField(c.personal, i);
    *f = FD_TRY(SealField(*f, "clients", kPersonalColumns[i], c.id));
  }
  return c;
}

Result<Client> Service::Open(Client c) const {
  for (std::size_t i = 0; i < std::size(kPersonalColumns); ++i) {
    auto* f = PersonalField(c.personal, i);
    *f = FD_TRY(OpenField(*f, "clients", kPersonalColumns[i], c.id));
  }
  return c;
}

Status Service::CheckAssignee(db::Session& s, const Principal& p, const std::string& centre_id,
                              const std::optional<std::string>& assignee) {
  (void)p;
  if (!assignee) return {};
  auto user = FD_TRY(store_.UserCentreRole(s, *assignee));
  if (!user || user->first != centre_id) {
    return Fail(Error::Invalid("assignee_id", "is not an active user of this centre"));
  }
  auto role = ParseRole(user->second);
  if (!role || !HasCaseAccess(*role)) return Fail(Error::Invalid("assignee_id", "has no access to case work"));
  return {};
}

// ---- Clients ----

Result<Client> Service::CreateClient(const Principal& p, Client c) {
  auto centre_id = FD_TRY(CallerCentre(p));
  auto centre = FD_TRY(directory_.CentreById(centre_id));
  c.id = crypto::NewId("cli");
  c.centre_id = centre_id;
  c.created_by = p.user_id;
  c.created_at = c.updated_at = clock::NowUnix();
  const std::string prefix = centre.state + "-" + Today().substr(0, 4) + "-";
  Client plain = c;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    for (int attempt = 0;; ++attempt) {
      c.code = prefix + RandomCode(attempt < 8 ? 4 : 6);
      if (!FD_TRY(store_.ClientCodeExists(s, c.code))) break;
    }
    plain.code = c.code;
    Client sealed = FD_TRY(Seal(c));
    FD_TRY_VOID(store_.InsertClient(s, sealed));
    return audit::Record(s, p, audit::kCreate, "client", c.id, centre_id);
  }));
  return plain;
}

Result<Client> Service::GetClient(const Principal& p, std::string_view id) {
  Client c;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    c = FD_TRY(LoadClient(s, p, id));
    return audit::Record(s, p, audit::kRead, "client", c.id, c.centre_id);
  }));
  return Open(std::move(c));
}

Result<Client> Service::UpdateClient(const Principal& p, std::string_view id,
                                     const std::function<Status(Client&)>& change) {
  Client result;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Client stored = FD_TRY(LoadClient(s, p, id));
    if (stored.anonymised_at) return Fail(Error::Conflict("This client's data has been anonymised."));
    Client c = FD_TRY(Open(stored));
    FD_TRY_VOID(change(c));
    c.id = stored.id;
    c.centre_id = stored.centre_id;
    c.code = stored.code;
    c.updated_at = clock::NowUnix();
    FD_TRY_VOID(store_.UpdateClient(s, FD_TRY(Seal(c))));
    result = c;
    return audit::Record(s, p, audit::kUpdate, "client", c.id, c.centre_id);
  }));
  return result;
}

Result<Page<Client>> Service::ListClients(const Principal& p, std::optional<std::string> q, int limit,
                                          std::optional<std::string> cursor) {
  auto centre = FD_TRY(CallerCentre(p));
  auto after = FD_TRY(ParseCursor(cursor));
  std::optional<std::string> like;
  if (q && !q->empty()) like = LikePattern(*q);
  Page<Client> page;
  // List reads are audited like single reads: one entry per record the caller saw, in the same
  // transaction, so that the trail answers "who saw this client" for lists too.
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    page.items = FD_TRY(store_.ListClients(s, centre, like, after, limit + 1));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.resize(limit);
      page.next_cursor = MakeCursor(page.items.back().created_at, page.items.back().id);
    }
    for (const auto& c : page.items) FD_TRY_VOID(audit::Record(s, p, audit::kRead, "client", c.id, c.centre_id));
    return {};
  }));
  for (auto& c : page.items) c.personal = {};  // lists never carry identifying data
  return page;
}

// ---- Cases ----

std::string Service::SearchText(const Case& c, const std::vector<Topic>& topics) const {
  std::string text = c.number;
  for (const auto& code : c.topics) {
    text += " " + code;
    for (const auto& t : topics) {
      if (t.code == code) text += " " + t.label_de + " " + t.label_en;
    }
  }
  std::string lower;
  for (char ch : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower;
}

Result<Case> Service::CreateCase(const Principal& p, Case c) {
  auto centre_id = FD_TRY(CallerCentre(p));
  auto centre = FD_TRY(directory_.CentreById(centre_id));
  FD_TRY_VOID(CheckTopics(c.topics, "topics"));
  auto topics = FD_TRY(Topics());
  c.id = crypto::NewId("case");
  c.centre_id = centre_id;
  c.status = "open";
  c.opened_on = Today();
  c.created_at = c.updated_at = clock::NowUnix();
  if (!c.assignee_id && p.role != Role::kCompetenceCentre) c.assignee_id = p.user_id;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto client = FD_TRY(store_.FindClient(s, c.client_id));
    if (!client || client->centre_id != centre_id) {
      return Fail(Error::Invalid("client_id", "is not a client of your centre"));
    }
    if (client->anonymised_at) return Fail(Error::Invalid("client_id", "has been anonymised"));
    if (c.assignee_id != p.user_id) {
      if (p.role == Role::kAdvisor && c.assignee_id) {
        return Fail(Error::Forbidden("Only centre leads assign cases to others."));
      }
      FD_TRY_VOID(CheckAssignee(s, p, centre_id, c.assignee_id));
    }
    const std::string prefix = centre.state + "-" + c.opened_on.substr(0, 4);
    auto seq = FD_TRY(store_.NextCaseSequence(s, prefix));
    std::string digits = std::to_string(seq);
    if (digits.size() < 5) digits.insert(0, 5 - digits.size(), '0');
    c.number = prefix + "-" + digits;
    FD_TRY_VOID(store_.InsertCase(s, c, SearchText(c, topics)));
    c = FD_TRY(LoadCase(s, p, c.id));  // with the client code and the assignee's name
    return audit::Record(s, p, audit::kCreate, "case", c.id, centre_id);
  }));
  return c;
}

Result<CaseDetail> Service::GetCase(const Principal& p, std::string_view id) {
  CaseDetail d;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    d.c = FD_TRY(LoadCase(s, p, id));
    if (!d.c.client_id.empty()) {
      if (auto client = FD_TRY(store_.FindClient(s, d.c.client_id))) d.client = *client;
    }
    d.consultations = FD_TRY(store_.Consultations(s, d.c.id));
    d.deadlines = FD_TRY(store_.Deadlines(s, d.c.id));
    d.referrals = FD_TRY(store_.Referrals(s, d.c.id));
    d.escalations = FD_TRY(store_.EscalationsOfCase(s, d.c.id));
    AttachMessages(d.escalations, FD_TRY(store_.MessagesOfCase(s, d.c.id)));
    return audit::Record(s, p, audit::kRead, "case", d.c.id, d.c.centre_id);
  }));
  d.client.personal = {};  // identifying data only through GET /clients/{id} (audited there)
  for (auto& c : d.consultations) c.notes = FD_TRY(OpenField(c.notes, "consultations", "notes_enc", c.id));
  for (auto& r : d.referrals) r.note = FD_TRY(OpenField(r.note, "referrals", "note_enc", r.id));
  return d;
}

Result<Case> Service::UpdateCase(const Principal& p, std::string_view id, const std::function<Status(Case&)>& change) {
  auto topics = FD_TRY(Topics());
  Case result;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case before = FD_TRY(LoadCase(s, p, id));
    if (before.anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
    Case c = before;
    FD_TRY_VOID(change(c));
    c.id = before.id;
    c.centre_id = before.centre_id;
    c.client_id = before.client_id;
    c.number = before.number;
    c.opened_on = before.opened_on;
    c.created_at = before.created_at;
    // Checked against the taxonomy loaded before the transaction: a Read inside this Write would
    // nest database calls (database.hpp forbids it; it exhausts the PostgreSQL pool).
    if (c.topics != before.topics) FD_TRY_VOID(CheckTopicCodes(topics, c.topics, "topics"));
    if (c.assignee_id != before.assignee_id) {
      // Only centre leads reassign: everyone else may only take an unassigned case for themselves
      // (not unassign it, not take over a colleague's case, not hand it to someone else).
      if (p.role != Role::kCentreLead && (before.assignee_id || c.assignee_id != p.user_id)) {
        return Fail(Error::Forbidden("Only centre leads reassign cases."));
      }
      FD_TRY_VOID(CheckAssignee(s, p, c.centre_id, c.assignee_id));
    }
    if (c.status == "closed") {
      std::vector<FieldError> errors;
      if (!c.outcome) errors.push_back({"outcome", "is required when closing a case"});
      if (!c.closing_reason) errors.push_back({"closing_reason", "is required when closing a case"});
      if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
      if (before.status != "closed") c.closed_on = Today();
    } else {
      if (before.status == "closed") {
        // Reopened: the old outcome no longer describes the case.
        if (c.outcome == before.outcome) c.outcome.reset();
        if (c.closing_reason == before.closing_reason) c.closing_reason.reset();
      }
      if (c.outcome) return Fail(Error::Invalid("outcome", "is recorded only when closing a case (status closed)"));
      if (c.closing_reason) {
        return Fail(Error::Invalid("closing_reason", "is recorded only when closing a case (status closed)"));
      }
      c.closed_on.reset();
    }
    c.updated_at = clock::NowUnix();
    FD_TRY_VOID(store_.UpdateCase(s, c, SearchText(c, topics)));
    result = FD_TRY(LoadCase(s, p, c.id));  // the assignee's name may have changed
    return audit::Record(s, p, audit::kUpdate, "case", c.id, c.centre_id);
  }));
  return result;
}

Result<Page<Case>> Service::ListCases(const Principal& p, CaseFilter filter) {
  auto centre = FD_TRY(CallerCentre(p));
  auto after = FD_TRY(ParseCursor(filter.cursor));
  if (filter.topic) FD_TRY_VOID(CheckTopics({*filter.topic}, "topic"));
  if (filter.assignee == "me") filter.assignee = p.user_id;
  if (filter.q) filter.q = filter.q->empty() ? std::nullopt : std::optional(LikePattern(*filter.q));
  Page<Case> page;
  // Audited per listed case (see ListClients).
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    page.items = FD_TRY(store_.ListCases(s, centre, filter, after));
    if (static_cast<int>(page.items.size()) > filter.limit) {
      page.items.resize(filter.limit);
      page.next_cursor = MakeCursor(page.items.back().created_at, page.items.back().id);
    }
    for (const auto& c : page.items) FD_TRY_VOID(audit::Record(s, p, audit::kRead, "case", c.id, c.centre_id));
    return {};
  }));
  return page;
}

Status Service::TransferCase(const Principal& p, std::string_view id, std::string_view centre_id,
                             std::string consent_date) {
  auto target = directory_.CentreById(centre_id);
  if (!target) return Fail(Error::Invalid("centre_id", "is not a centre of the directory"));
  return db_.Write([&](db::Session& s) -> Status {
    Case c = FD_TRY(LoadCase(s, p, id));
    if (c.centre_id == centre_id) return Fail(Error::Invalid("centre_id", "is the case's own centre"));
    if (c.anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
    if (!c.client_id.empty()) {
      for (const auto& other : FD_TRY(store_.CasesOfClient(s, c.client_id))) {
        if (other.id != c.id && other.centre_id == c.centre_id) {
          return Fail(Error::Conflict(
              "The client has other cases at this centre; the client moves with the last of them."));
        }
      }
    }
    FD_TRY_VOID(store_.InsertTransfer(s, crypto::NewId("trf"), c.id, c.centre_id, centre_id, consent_date, p.user_id));
    FD_TRY_VOID(store_.MoveCase(s, c.id, centre_id));
    if (!c.client_id.empty()) {
      FD_TRY_VOID(store_.MoveClient(s, c.client_id, centre_id));
      FD_TRY_VOID(audit::Record(s, p, audit::kTransfer, "client", c.client_id, c.centre_id));
    }
    return audit::Record(s, p, audit::kTransfer, "case", c.id, c.centre_id);
  });
}

// ---- Consultations ----

Result<Consultation> Service::AddConsultation(const Principal& p, std::string_view case_id, Consultation c) {
  if (!c.topics.empty()) FD_TRY_VOID(CheckTopics(c.topics, "topics"));
  c.id = crypto::NewId("con");
  c.created_by = p.user_id;
  c.created_at = clock::NowUnix();
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    if (k.anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
    c.case_id = k.id;
    Consultation sealed = c;
    sealed.notes = FD_TRY(SealField(c.notes, "consultations", "notes_enc", c.id));
    FD_TRY_VOID(store_.InsertConsultation(s, sealed));
    return audit::Record(s, p, audit::kCreate, "consultation", c.id, k.centre_id);
  }));
  return c;
}

Result<std::vector<Consultation>> Service::ListConsultations(const Principal& p, std::string_view case_id) {
  std::vector<Consultation> out;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    out = FD_TRY(store_.Consultations(s, k.id));
    return audit::Record(s, p, audit::kRead, "case", k.id, k.centre_id);
  }));
  for (auto& c : out) c.notes = FD_TRY(OpenField(c.notes, "consultations", "notes_enc", c.id));
  return out;
}

// ---- Deadlines ----

Result<Deadline> Service::AddDeadline(const Principal& p, std::string_view case_id, Deadline d,
                                      std::optional<CalculatorSource> source) {
  if (source) {
    auto field = DeadlineField(source->calculator);
    if (field.empty()) return Fail(Error::Invalid("source.calculator", "does not compute a deadline"));
    auto outcome = labour_law::RunCalculator(source->calculator, source->input);
    if (outcome.kind != labour_law::CalcOutcome::Kind::kOk) {
      std::vector<FieldError> errors;
      for (const auto& e : outcome.errors) errors.push_back({"source.input." + e.field, e.message});
      if (errors.empty()) errors.push_back({"source.calculator", "is not a calculator"});
      return Fail(Error::Invalid(std::move(errors)));
    }
    const auto* value = outcome.result.if_contains(field);
    if (!value || !value->is_string()) {
      return Fail(Error::Invalid("source.input", "the calculator gives no deadline for this input"));
    }
    std::string computed(value->as_string());
    if (computed != d.due_date) {
      return Fail(Error::Invalid("due_date", "does not match the calculator's result " + computed));
    }
    d.source_json = json::serialize(json::object{
        {"calculator", source->calculator}, {"input", source->input}, {"result", outcome.result}});
  }
  d.id = crypto::NewId("ddl");
  d.created_by = p.user_id;
  d.created_at = clock::NowUnix();
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    if (k.anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
    d.case_id = k.id;
    d.case_number = k.number;
    d.assignee_id = k.assignee_id;
    FD_TRY_VOID(store_.InsertDeadline(s, d));
    return audit::Record(s, p, audit::kCreate, "deadline", d.id, k.centre_id);
  }));
  return d;
}

Result<Deadline> Service::UpdateDeadline(const Principal& p, std::string_view id,
                                         const std::function<Status(Deadline&)>& change) {
  Deadline d;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindDeadline(s, id));
    if (!found) return Fail(Error::NotFound("No such deadline."));
    auto k = LoadCase(s, p, found->case_id);
    if (!k) return Fail(Error::NotFound("No such deadline."));
    if (k->anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
    d = *found;
    FD_TRY_VOID(change(d));
    FD_TRY_VOID(store_.UpdateDeadline(s, d));
    return audit::Record(s, p, audit::kUpdate, "deadline", d.id, k->centre_id);
  }));
  return d;
}

Result<std::vector<Deadline>> Service::ListDeadlines(const Principal& p, std::string_view case_id) {
  std::vector<Deadline> out;
  // One case's deadlines: audited as a read of the case (like its consultations and referrals).
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    out = FD_TRY(store_.Deadlines(s, k.id));
    return audit::Record(s, p, audit::kRead, "case", k.id, k.centre_id);
  }));
  return out;
}

Result<std::vector<Deadline>> Service::DueDeadlines(const Principal& p, int days, bool mine) {
  auto centre = FD_TRY(CallerCentre(p));
  std::vector<Deadline> out;
  std::string until = ShiftDays(Today(), days);
  // Audited per listed deadline (see ListClients).
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    out = FD_TRY(store_.DueDeadlines(s, centre, until, mine ? std::optional(p.user_id) : std::nullopt));
    for (const auto& d : out) FD_TRY_VOID(audit::Record(s, p, audit::kRead, "deadline", d.id, centre));
    return {};
  }));
  return out;
}

// ---- Referrals ----

Result<Referral> Service::AddReferral(const Principal& p, std::string_view case_id, Referral r) {
  FD_TRY_VOID(CheckOrganisation(r.target, r.organisation_id));
  if (r.status != "suggested" && !r.client_consent) {
    return Fail(Error::Invalid("client_consent", "the client's consent is required before a referral is made"));
  }
  r.id = crypto::NewId("ref");
  r.created_by = p.user_id;
  r.created_at = r.updated_at = clock::NowUnix();
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    if (k.anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
    r.case_id = k.id;
    Referral sealed = r;
    sealed.note = FD_TRY(SealField(r.note, "referrals", "note_enc", r.id));
    FD_TRY_VOID(store_.InsertReferral(s, sealed));
    return audit::Record(s, p, audit::kCreate, "referral", r.id, k.centre_id);
  }));
  return r;
}

Result<Referral> Service::UpdateReferral(const Principal& p, std::string_view case_id, std::string_view id,
                                         const std::function<Status(Referral&)>& change) {
  Referral r;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    auto found = FD_TRY(store_.FindReferral(s, id));
    if (!found || found->case_id != k.id) return Fail(Error::NotFound("No such referral."));
    if (k.anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
    r = *found;
    r.note = FD_TRY(OpenField(r.note, "referrals", "note_enc", r.id));
    FD_TRY_VOID(change(r));
    if (r.status != "suggested" && !r.client_consent) {
      return Fail(Error::Invalid("client_consent", "the client's consent is required before a referral is made"));
    }
    r.updated_at = clock::NowUnix();
    Referral sealed = r;
    sealed.note = FD_TRY(SealField(r.note, "referrals", "note_enc", r.id));
    FD_TRY_VOID(store_.UpdateReferral(s, sealed));
    return audit::Record(s, p, audit::kUpdate, "referral", r.id, k.centre_id);
  }));
  return r;
}

Result<std::vector<Referral>> Service::ListReferrals(const Principal& p, std::string_view case_id) {
  std::vector<Referral> out;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    out = FD_TRY(store_.Referrals(s, k.id));
    return audit::Record(s, p, audit::kRead, "case", k.id, k.centre_id);
  }));
  for (auto& r : out) r.note = FD_TRY(OpenField(r.note, "referrals", "note_enc", r.id));
  return out;
}

// ---- Escalations ----

Status Service::CheckAnonymous(db::Session& s, const std::string& client_id,
                               std::initializer_list<std::pair<std::string_view, const std::string*>> texts) {
  if (client_id.empty()) return {};
  auto stored = FD_TRY(store_.FindClient(s, client_id));
  if (!stored) return {};
  // Decrypted here, in memory only: the competence centre must never learn who the client is.
  Client client = FD_TRY(Open(*stored));
  std::vector<FieldError> errors;
  for (const auto& [field, text] : texts) {
    if (IdentifiesClient(*text, client)) {
      errors.push_back({std::string(field),
                        "must be anonymised: it contains the client's name, code, e-mail or phone number"});
    }
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

Result<Escalation> Service::CreateEscalation(const Principal& p, std::string_view case_id, Escalation e) {
  e.id = crypto::NewId("esc");
  e.status = "open";
  e.created_by = p.user_id;
  e.created_at = e.updated_at = clock::NowUnix();
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    if (k.anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
    FD_TRY_VOID(CheckAnonymous(s, k.client_id, {{"summary", &e.summary}, {"question", &e.question}}));
    e.case_id = k.id;
    e.centre_id = k.centre_id;
    FD_TRY_VOID(store_.InsertEscalation(s, e));
    return audit::Record(s, p, audit::kCreate, "escalation", e.id, k.centre_id);
  }));
  return e;
}

Result<std::vector<Escalation>> Service::ListEscalations(const Principal& p, std::optional<std::string> status) {
  auto centre = FD_TRY(CallerCentre(p));
  std::optional<std::string> scope;
  if (p.role != Role::kCompetenceCentre) scope = centre;
  std::vector<Escalation> out;
  // Audited per listed escalation (see ListClients), with the escalation's own centre.
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    out = FD_TRY(store_.Escalations(s, scope, status));
    for (const auto& e : out) FD_TRY_VOID(audit::Record(s, p, audit::kRead, "escalation", e.id, e.centre_id));
    return {};
  }));
  return out;
}

Result<Escalation> Service::GetEscalation(const Principal& p, std::string_view id) {
  auto centre = FD_TRY(CallerCentre(p));
  Escalation e;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindEscalation(s, id));
    if (!found || found->summary.empty() ||
        (p.role != Role::kCompetenceCentre && found->centre_id != centre)) {
      return Fail(Error::NotFound("No such escalation."));
    }
    e = *found;
    e.messages = FD_TRY(store_.Messages(s, e.id));
    return audit::Record(s, p, audit::kRead, "escalation", e.id, e.centre_id);
  }));
  return e;
}

Result<Service::EscalationSource> Service::EscalationForCaseDescription(const Principal& p, std::string_view id) {
  if (p.role != Role::kCompetenceCentre) return Fail(Error::NotFound("No such escalation."));
  EscalationSource out;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindEscalation(s, id));
    if (!found || found->summary.empty()) return Fail(Error::NotFound("No such escalation."));
    out.escalation = *found;
    out.escalation.messages = FD_TRY(store_.Messages(s, found->id));
    if (auto k = FD_TRY(store_.FindCase(s, found->case_id)); k && !k->client_id.empty()) {
      if (auto stored = FD_TRY(store_.FindClient(s, k->client_id))) {
        Client client = FD_TRY(Open(*stored));  // in memory only
        out.anonymised_use = client.consents.anonymised_use && !client.anonymised_at;
        out.client_code = client.code;
        out.employer = client.employer;
        out.personal = client.personal;
      }
    }
    return audit::Record(s, p, audit::kRead, "escalation", found->id, found->centre_id);
  }));
  return out;
}

Result<EscalationMessage> Service::AddMessage(const Principal& p, std::string_view escalation_id, std::string body) {
  auto centre = FD_TRY(CallerCentre(p));
  EscalationMessage m;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto e = FD_TRY(store_.FindEscalation(s, escalation_id));
    if (!e || e->summary.empty() || (p.role != Role::kCompetenceCentre && e->centre_id != centre)) {
      return Fail(Error::NotFound("No such escalation."));
    }
    if (e->status == "closed") return Fail(Error::Conflict("This escalation is closed."));
    if (auto k = FD_TRY(store_.FindCase(s, e->case_id))) {
      FD_TRY_VOID(CheckAnonymous(s, k->client_id, {{"body", &body}}));
    }
    m = {crypto::NewId("msg"), e->id, p.user_id, std::string(RoleName(p.role)), std::move(body), clock::NowUnix()};
    FD_TRY_VOID(store_.InsertMessage(s, m));
    // An answer from the competence centre marks the escalation answered; a follow-up question of
    // the centre opens it again.
    bool answer = p.role == Role::kCompetenceCentre && e->centre_id != centre;
    std::string status = answer ? "answered" : (e->centre_id == centre && p.role != Role::kCompetenceCentre ? "open" : e->status);
    if (p.role == Role::kCompetenceCentre && e->centre_id == centre) status = e->status;
    FD_TRY_VOID(store_.UpdateEscalationStatus(s, e->id, status, m.created_at));
    return audit::Record(s, p, audit::kUpdate, "escalation", e->id, e->centre_id);
  }));
  return m;
}

Result<Escalation> Service::SetEscalationStatus(const Principal& p, std::string_view id, std::string status) {
  FD_TRY_VOID(GetEscalation(p, id));
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(store_.UpdateEscalationStatus(s, id, status, clock::NowUnix()));
    auto e = FD_TRY(store_.FindEscalation(s, id));
    return audit::Record(s, p, audit::kUpdate, "escalation", id, e ? std::optional<std::string_view>(e->centre_id) : std::nullopt);
  }));
  return GetEscalation(p, id);
}

// ---- Retention, export, erasure ----

Result<RetentionReport> Service::RunRetention(bool dry_run) {
  RetentionReport report;
  report.dry_run = dry_run;
  auto today = Date::Parse(Today());
  auto cutoff = today ? today->AddYears(-options_.retention_years) : Date::FromDaysSinceEpoch(0);
  report.closed_before = cutoff.ToString();
  // One transaction per batch of at most kBatch cases, not one for the whole run: a long run must
  // not hold the single writer (SQLite) or one huge transaction (PostgreSQL). Each batch checks
  // its cases again, since they may have changed after the list was read.
  constexpr std::size_t kBatch = 50;
  std::vector<Case> due;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    due = FD_TRY(store_.CasesClosedBefore(s, report.closed_before));
    return {};
  }));
  for (const auto& c : due) report.case_ids.push_back(c.id);
  if (dry_run) return report;
  for (std::size_t at = 0; at < due.size(); at += kBatch) {
    FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
      for (std::size_t i = at; i < std::min(due.size(), at + kBatch); ++i) {
        auto c = FD_TRY(store_.FindCase(s, due[i].id));
        if (!c || c->anonymised_at || c->status != "closed") continue;
        FD_TRY_VOID(store_.AnonymiseCase(s, c->id));
        for (const auto& erase : erasers_) FD_TRY_VOID(erase(s, c->id));
        FD_TRY_VOID(audit::RecordSystem(s, audit::kErase, "case", c->id, c->centre_id));
      }
      return {};
    }));
  }
  // Clients registered before the cutoff with no case left that is not anonymised: those whose
  // cases all went above, and those who never had a case. One query per batch, no N+1.
  const std::int64_t created_before = cutoff.DaysSinceEpoch() * 86400;
  for (;;) {
    std::size_t done = 0;
    FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
      auto clients = FD_TRY(store_.ClientsDueForAnonymisation(s, created_before, static_cast<int>(kBatch)));
      done = clients.size();
      for (auto& client : clients) {
        // Statistical facts (nationality, birth year, gender, sector, employment status) stay.
        client.personal = {};
        client.employer.reset();
        client.anonymised_at = clock::NowUnix();
        FD_TRY_VOID(store_.UpdateClient(s, client));
        FD_TRY_VOID(audit::RecordSystem(s, audit::kErase, "client", client.id, client.centre_id));
      }
      return {};
    }));
    if (done < kBatch) break;
  }
  return report;
}

Result<json::object> Service::ExportClient(const Principal& p, std::string_view id) {
  Client client;
  std::vector<CaseDetail> cases;
  std::vector<std::vector<Transfer>> transfers;
  std::vector<json::object> extra;  // per case: what other modules (documents) export
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    client = FD_TRY(LoadClient(s, p, id));
    for (auto& c : FD_TRY(store_.CasesOfClient(s, client.id))) {
      if (c.centre_id != client.centre_id) continue;
      CaseDetail d;
      d.c = c;
      d.consultations = FD_TRY(store_.Consultations(s, c.id));
      d.deadlines = FD_TRY(store_.Deadlines(s, c.id));
      d.referrals = FD_TRY(store_.Referrals(s, c.id));
      d.escalations = FD_TRY(store_.EscalationsOfCase(s, c.id));
      AttachMessages(d.escalations, FD_TRY(store_.MessagesOfCase(s, c.id)));
      transfers.push_back(FD_TRY(store_.Transfers(s, c.id)));
      json::object more;
      for (const auto& add : exporters_) FD_TRY_VOID(add(s, c.id, more));
      extra.push_back(std::move(more));
      cases.push_back(std::move(d));
    }
    return audit::Record(s, p, audit::kExport, "client", client.id, client.centre_id);
  }));
  client = FD_TRY(Open(std::move(client)));
  for (auto& d : cases) {
    for (auto& c : d.consultations) c.notes = FD_TRY(OpenField(c.notes, "consultations", "notes_enc", c.id));
    for (auto& r : d.referrals) r.note = FD_TRY(OpenField(r.note, "referrals", "note_enc", r.id));
  }
  json::object out;
  out["exported_at"] = clock::FormatRfc3339(clock::NowUnix());
  out["client"] = ToJson(client, true);
  json::array list;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& d = cases[i];
    json::object c = ToJson(d.c);
    // The export goes to the client: staff names stay inside the centre.
    c.erase("assignee_name");
    json::array cons, dls, refs, escs, trfs;
    for (const auto& x : d.consultations) cons.push_back(ToJson(x));
    for (const auto& x : d.deadlines) dls.push_back(ToJson(x));
    for (const auto& x : d.referrals) refs.push_back(ToJson(x));
    for (const auto& x : d.escalations) escs.push_back(ToJson(x, true));
    for (const auto& t : transfers[i]) {
      trfs.push_back(json::object{{"id", t.id},
                                  {"from_centre_id", t.from_centre_id},
                                  {"to_centre_id", t.to_centre_id},
                                  {"consent_date", t.consent_date},
                                  {"transferred_by", t.transferred_by ? json::value(*t.transferred_by) : nullptr},
                                  {"transferred_at", clock::FormatRfc3339(t.transferred_at)}});
    }
    c["consultations"] = std::move(cons);
    c["deadlines"] = std::move(dls);
    c["referrals"] = std::move(refs);
    c["escalations"] = std::move(escs);
    c["transfers"] = std::move(trfs);
    for (auto& [key, value] : extra[i]) c[key] = std::move(value);
    list.push_back(std::move(c));
  }
  out["cases"] = std::move(list);
  return out;
}

Status Service::EraseClient(const Principal& p, std::string_view id) {
  return db_.Write([&](db::Session& s) -> Status {
    Client client = FD_TRY(LoadClient(s, p, id));
    for (const auto& c : FD_TRY(store_.CasesOfClient(s, client.id))) {
      FD_TRY_VOID(store_.AnonymiseCase(s, c.id));
      for (const auto& erase : erasers_) FD_TRY_VOID(erase(s, c.id));
      Case k = c;
      k.client_id.clear();
      k.assignee_id.reset();
      k.anonymised_at = clock::NowUnix();
      FD_TRY_VOID(store_.UpdateCase(s, k, k.number));
      FD_TRY_VOID(audit::Record(s, p, audit::kErase, "case", c.id, c.centre_id));
    }
    FD_TRY_VOID(store_.DeleteClient(s, client.id));
    return audit::Record(s, p, audit::kErase, "client", client.id, client.centre_id);
  });
}

}  // namespace fairdesk::cases
