#include "platform/log/log.hpp"
#include "cases/service.hpp"

#include <algorithm>
#include <cctype>

#include <sodium.h>

#include "audit/audit.hpp"
#include "cases/json.hpp"
#include "cases/reference.hpp"
#include "cases/text.hpp"
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

constexpr std::string_view kPersonalColumns[] = {"name_enc",         "phone_enc",     "email_enc", "address_enc",
                                                 "safe_contact_enc", "birth_date_enc"};

std::optional<std::string>* PersonalField(Personal& p, std::size_t i) {
  std::optional<std::string>* fields[] = {&p.name, &p.phone, &p.email, &p.address, &p.safe_contact, &p.birth_date};
  return fields[i];
}


Error Locked(std::string_view field, std::string message) {
  Error e{ErrorKind::kConflict, "This case cannot be changed now."};
  e.errors.push_back({std::string(field), std::move(message)});
  return e;
}

bool IsFinalReferral(std::string_view status) { return status == "completed" || status == "declined"; }

int ReferralRank(std::string_view status) {
  if (status == "suggested") return 0;
  if (status == "made") return 1;
  if (status == "confirmed") return 2;
  if (status == "completed") return 3;
  return 4;  // declined
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

// A case number ("BE-2026-00012") or client code ("BE-2026-K7QX"), whole or its beginning:
// two letters, a hyphen, a digit, then only letters, digits and hyphens. Answers it trimmed and
// lower-cased (the form of number_key/code_key), or nullopt for any other text.
std::optional<std::string> KeyPrefix(std::string_view q) {
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.front()))) q.remove_prefix(1);
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.back()))) q.remove_suffix(1);
  if (q.size() < 4 || q.size() > 64) return std::nullopt;
  auto alpha = [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) != 0; };
  auto digit = [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; };
  if (!alpha(q[0]) || !alpha(q[1]) || q[2] != '-' || !digit(q[3])) return std::nullopt;
  std::string out;
  for (char ch : q) {
    if (!alpha(ch) && !digit(ch) && ch != '-') return std::nullopt;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

// Any search text of three characters or more, lower-cased like LikePattern, as an FTS5 phrase
// (a substring match with the trigram tokenizer); nullopt for shorter text, which a trigram
// index cannot answer (the list then filters the centre's cases by LIKE alone).
std::optional<std::string> TextPhrase(std::string_view q) {
  std::size_t chars = 0;
  for (char ch : q) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++chars;
  }
  if (chars < 3) return std::nullopt;
  std::string out = "\"";
  for (char ch : q) {
    if (ch == '"') out += '"';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out + "\"";
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
  if (calculator == "exclusion-clause") return "assert_by";
  return "";
}

}  // namespace

bool IdentifiesClient(std::string_view text, const Client& client) { return !IdentifyingData(text, client).empty(); }

Service::Service(db::Database& database, directory::Service& directory, const crypto::Keyring& keyring,
                 Options options)
    : db_(database), directory_(directory), keyring_(keyring), options_(options) {}

std::vector<crypto::EncryptedColumn> Service::EncryptedColumns() {
  using E = crypto::EncryptedColumn::Encoding;
  std::vector<crypto::EncryptedColumn> out;
  for (auto c : kPersonalColumns) out.push_back({"clients", "id", std::string(c), E::kBase64Text});
  out.push_back({"clients", "id", "employer_enc", E::kBase64Text});
  out.push_back({"cases", "id", "narrative_enc", E::kBase64Text});
  out.push_back({"cases", "id", "employment_enc", E::kBase64Text});
  out.push_back({"consultations", "id", "notes_enc", E::kBase64Text});
  out.push_back({"consultations", "id", "change_reason_enc", E::kBase64Text});
  out.push_back({"deadlines", "id", "note_enc", E::kBase64Text});
  out.push_back({"deadlines", "id", "change_reason_enc", E::kBase64Text});
  out.push_back({"referrals", "id", "note_enc", E::kBase64Text});
  out.push_back({"referrals", "id", "change_reason_enc", E::kBase64Text});
  out.push_back({"case_record_history", "id", "before_enc", E::kBase64Text});
  out.push_back({"case_record_history", "id", "reason_enc", E::kBase64Text});
  out.push_back({"case_secrets", "name", "value_enc", E::kBase64Text});
  return out;
}

Status Service::SeedReferenceData() {
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    if (!FD_TRY(store_.Seeded(s, "topics"))) {
      FD_TRY_VOID(store_.ReplaceTopics(s, DefaultTopics()));
      FD_TRY_VOID(store_.MarkSeeded(s, "topics"));
    }
    if (!FD_TRY(store_.Seeded(s, "routing_rules"))) {
      FD_TRY_VOID(store_.ReplaceRoutingRules(s, DefaultRoutingRules()));
      FD_TRY_VOID(store_.MarkSeeded(s, "routing_rules"));
    }
    return {};
  }));
  return {};
}

Status Service::UpgradeData() {
  // Version 401 stored the employer and deadline notes in plain text: seal them (batches of 200,
  // one transaction each), then give clients recorded before the blind index their hashes.
  constexpr int kBatch = 200;
  for (;;) {
    std::size_t done = 0;
    FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
      auto employers = FD_TRY(store_.LegacyEmployers(s, kBatch));
      for (const auto& [id, text] : employers) {
        FD_TRY_VOID(store_.SealEmployer(s, id, FD_TRY(keyring_.EncryptToText(text, crypto::AssociatedData("clients", "employer_enc", id)))));
      }
      auto notes = FD_TRY(store_.LegacyDeadlineNotes(s, kBatch));
      for (const auto& [id, text] : notes) {
        FD_TRY_VOID(store_.SealDeadlineNote(s, id, FD_TRY(keyring_.EncryptToText(text, crypto::AssociatedData("deadlines", "note_enc", id)))));
      }
      done = employers.size() + notes.size();
      return {};
    }));
    if (done == 0) break;
  }
  const std::string key = FD_TRY(BlindKey());
  for (;;) {
    std::size_t done = 0;
    FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
      auto clients = FD_TRY(store_.ClientsWithoutSearchIndex(s, kBatch));
      for (const auto& stored : clients) {
        Client c = FD_TRY(Open(stored));
        auto hashes = SearchHashes(key, c);
        if (hashes.empty()) hashes.push_back(BlindHash(key, "none", c.id));  // indexed, nothing to find
        FD_TRY_VOID(store_.ReplaceSearchHashes(s, c.id, hashes));
      }
      done = clients.size();
      return {};
    }));
    if (done < static_cast<std::size_t>(kBatch)) break;
  }
  return {};
}

Result<std::string> Service::BlindKey() {
  {
    std::lock_guard lock(blind_mutex_);
    if (!blind_key_.empty()) return blind_key_;
  }
  std::string key;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    const std::string ad = crypto::AssociatedData("case_secrets", "value_enc", "blind_index");
    if (auto sealed = FD_TRY(store_.Secret(s, "blind_index"))) {
      key = FD_TRY(keyring_.DecryptText(*sealed, ad));
      return {};
    }
    key = crypto::RandomToken(32);
    FD_TRY_VOID(store_.InsertSecret(s, "blind_index", FD_TRY(keyring_.EncryptToText(key, ad))));
    // Another process may have inserted one first (ON CONFLICT DO NOTHING): use the stored one.
    key = FD_TRY(keyring_.DecryptText(*FD_TRY(store_.Secret(s, "blind_index")), ad));
    return {};
  }));
  std::lock_guard lock(blind_mutex_);
  blind_key_ = key;
  return blind_key_;
}

std::string Service::BlindHash(const std::string& key, std::string_view kind, std::string_view value) const {
  // Keyed BLAKE2b of "kind:value": equal normalised values give equal hashes, and without the key
  // (sealed by the keyring) the hashes cannot be tested against guessed names or numbers.
  std::string input = std::string(kind) + ":" + std::string(value);
  unsigned char out[16];
  std::string k = key.substr(0, crypto_generichash_KEYBYTES);
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                     reinterpret_cast<const unsigned char*>(k.data()), k.size());
  return crypto::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::vector<std::string> Service::SearchHashes(const std::string& key, const Client& c) const {
  std::vector<std::string> out;
  if (c.personal.name) {
    if (auto n = NormaliseName(*c.personal.name); !n.empty()) out.push_back(BlindHash(key, "name", n));
    for (const auto& t : NameTokens(*c.personal.name)) out.push_back(BlindHash(key, "word", t));
  }
  if (c.personal.phone) {
    if (auto n = NormalisePhone(*c.personal.phone); !n.empty()) out.push_back(BlindHash(key, "phone", n));
  }
  if (c.personal.email) {
    if (auto n = NormaliseEmail(*c.personal.email); !n.empty()) out.push_back(BlindHash(key, "email", n));
  }
  return out;
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

Status Service::ReplaceRoutingRules(const Principal& p, std::vector<RoutingRule> rules, const IfMatch& if_match) {
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
  return db_.Write([&](db::Session& s) -> Status {
    auto before = FD_TRY(store_.RoutingRules(s));
    if (!if_match.Allows(SettingsETag("routing_rules", RulesContent(before)))) return Fail(Error::Stale());
    FD_TRY_VOID(store_.ReplaceRoutingRules(s, rules));
    return SaveSettingsChange(s, p, "routing_rules", RulesContent(before), RulesContent(rules));
  });
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
  auto suggestions = Route(rules, input, context);
  // The suggestion is actionable: contact data of the named centre or partner.
  std::optional<std::vector<directory::Partner>> partners;
  for (auto& sug : suggestions) {
    if (!sug.organisation_id) continue;
    if (auto centre = directory_.CentreById(*sug.organisation_id)) {
      sug.phone = centre->phone;
      sug.email = centre->email;
      sug.website = centre->website;
      sug.address = centre->street + ", " + centre->postcode + " " + centre->city;
      continue;
    }
    if (!partners) partners = FD_TRY(directory_.Partners(std::nullopt, std::nullopt));
    for (const auto& x : *partners) {
      if (x.id != *sug.organisation_id) continue;
      sug.phone = x.phone;
      sug.email = x.email;
      sug.website = x.website;
    }
  }
  return suggestions;
}

// ---- Access and encryption ----

Result<std::string> Service::CallerCentre(const Principal& p) {
  if (!HasCaseAccess(p.role) || !p.centre_id) return Fail(Error::Forbidden("Your role has no access to case work."));
  return *p.centre_id;
}

Result<Case> Service::LoadCase(db::Session& s, const Principal& p, std::string_view id) {
  auto centre = FD_TRY(CallerCentre(p));
  auto c = FD_TRY(store_.FindCase(s, id));
  if (!c) return Fail(Error::NotFound("No such case."));
  if (c->centre_id != centre) {
    // A case this centre transferred away: say so (the caller knew the case), never show it.
    for (const auto& t : FD_TRY(store_.Transfers(s, c->id))) {
      if (t.status == "accepted" && t.from_centre_id == centre) {
        return Fail(Locked("centre_id", "the case has been transferred to another centre and is no longer yours"));
      }
    }
    return Fail(Error::NotFound("No such case."));
  }
  return *c;
}

Result<Client> Service::LoadClient(db::Session& s, const Principal& p, std::string_view id) {
  auto centre = FD_TRY(CallerCentre(p));
  auto c = FD_TRY(store_.FindClient(s, id));
  if (!c || c->centre_id != centre) return Fail(Error::NotFound("No such client."));
  return *c;
}

Status Service::SealEmployment(Case& c) const {
  if (!c.employment || c.employment->Empty()) {
    c.employment_sealed.reset();
    return {};
  }
  c.employment_sealed = FD_TRY(SealField(json::serialize(ToJson(*c.employment)), "cases", "employment_enc", c.id));
  return {};
}

Status Service::OpenEmployment(Case& c) const {
  auto text = FD_TRY(OpenField(c.employment_sealed, "cases", "employment_enc", c.id));
  if (text) c.employment = EmploymentFromJson(*text);
  else c.employment.reset();
  return {};
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
  c.employer = FD_TRY(SealField(c.employer, "clients", "employer_enc", c.id));
  return c;
}

Result<Client> Service::Open(Client c) const {
  for (std::size_t i = 0; i < std::size(kPersonalColumns); ++i) {
    auto* f = PersonalField(c.personal, i);
    *f = FD_TRY(OpenField(*f, "clients", kPersonalColumns[i], c.id));
  }
  c.employer = FD_TRY(OpenField(c.employer, "clients", "employer_enc", c.id));
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
  const std::string key = FD_TRY(BlindKey());
  c.id = crypto::NewId("cli");
  c.centre_id = centre_id;
  c.created_by = p.user_id;
  c.created_at = c.updated_at = clock::NowUnix();
  c.version = 1;
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
    FD_TRY_VOID(store_.ReplaceSearchHashes(s, c.id, SearchHashes(key, plain)));
    return audit::Record(s, p, audit::kCreate, "client", c.id, centre_id);
  }));
  return plain;
}

Result<Client> Service::GetClient(const Principal& p, std::string_view id) {
  Client c;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    c = FD_TRY(LoadClient(s, p, id));
    audit_read_id = c.id;
    audit_read_centre = c.centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "client", audit_read_id, audit_read_centre));
  // The record without the identifying fields: which of them are recorded shows (as empty
  // strings), their content only through RevealClient. The employer shows.
  c.employer = FD_TRY(OpenField(c.employer, "clients", "employer_enc", c.id));
  Personal recorded;
  for (std::size_t i = 0; i < std::size(kPersonalColumns); ++i) {
    if (*PersonalField(c.personal, i)) *PersonalField(recorded, i) = std::string();
  }
  c.personal = recorded;
  return c;
}

Result<Client> Service::RevealClient(const Principal& p, std::string_view id) {
  Client c;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    c = FD_TRY(LoadClient(s, p, id));
    // Its own record type, so that the trail tells a look at the identifying data from a read.
    audit_read_id = c.id;
    audit_read_centre = c.centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "client_personal", audit_read_id, audit_read_centre));
  return Open(std::move(c));
}

Status Service::CaseChanged(db::Session& s, std::string_view case_id) {
  for (const auto& hook : changed_) FD_TRY_VOID(hook(s, case_id));
  return {};
}

Result<Client> Service::UpdateClient(const Principal& p, std::string_view id, const IfMatch& if_match,
                                     const std::function<Status(Client&)>& change) {
  const std::string key = FD_TRY(BlindKey());
  Client result;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Client stored = FD_TRY(LoadClient(s, p, id));
    if (stored.anonymised_at) return Fail(Error::Conflict("This client's data has been anonymised."));
    if (!if_match.Allows(MakeETag(stored.id, stored.version))) return Fail(Error::Stale());
    Client c = FD_TRY(Open(stored));
    FD_TRY_VOID(change(c));
    c.id = stored.id;
    c.centre_id = stored.centre_id;
    c.code = stored.code;
    c.created_by = stored.created_by;
    c.created_at = stored.created_at;
    c.anonymised_at = stored.anonymised_at;
    c.updated_at = clock::NowUnix();
    if (!FD_TRY(store_.UpdateClient(s, FD_TRY(Seal(c)), stored.version))) return Fail(Error::Stale());
    FD_TRY_VOID(store_.ReplaceSearchHashes(s, c.id, SearchHashes(key, c)));
    c.version = stored.version + 1;
    result = c;
    for (const auto& k : FD_TRY(store_.CasesOfClient(s, c.id))) FD_TRY_VOID(CaseChanged(s, k.id));
    return audit::Record(s, p, audit::kUpdate, "client", c.id, c.centre_id);
  }));
  return result;
}

Result<Page<Client>> Service::ListClients(const Principal& p, ClientQuery query) {
  auto centre = FD_TRY(CallerCentre(p));
  auto after = FD_TRY(ParseCursor(query.cursor));
  std::optional<std::string> like;
  std::vector<std::string> hashes;
  std::vector<std::string> words;  // every word of a name, in any order
  if (query.q && !query.q->empty()) {
    like = LikePattern(*query.q);
    // Returning clients: the same normalisation as at recording, hashed with the same key; the
    // table is never decrypted for a search.
    const std::string key = FD_TRY(BlindKey());
    if (auto n = NormaliseName(*query.q); !n.empty()) {
      hashes.push_back(BlindHash(key, "name", n));
      hashes.push_back(BlindHash(key, "word", n));
    }
    if (auto tokens = NameTokens(*query.q); tokens.size() >= 2 && tokens.size() <= 4) {
      for (const auto& t : tokens) words.push_back(BlindHash(key, "word", t));
    }
    if (auto n = NormalisePhone(*query.q); !n.empty()) hashes.push_back(BlindHash(key, "phone", n));
    if (query.q->find('@') != std::string::npos) hashes.push_back(BlindHash(key, "email", NormaliseEmail(*query.q)));
  }
  Page<Client> page;
  const int limit = query.limit;
  // List reads are audited like single reads: one entry naming every record the caller saw
  // (group commit, before the answer), so that the trail answers "who saw this client" for lists too.
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    page.items = FD_TRY(store_.ListClients(s, centre, like, after, limit + 1, hashes, query.birth_year, query.nationality, words));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.resize(limit);
      page.next_cursor = MakeCursor(page.items.back().created_at, page.items.back().id);
    }
    return {};
  }));
  // One audit entry naming every record listed, before the answer (group commit).
  std::vector<audit::ReadRef> seen;
  for (const auto& c : page.items) seen.push_back({c.id, c.centre_id});
  FD_TRY_VOID(audit::RecordReads(db_, p, "client", seen));
  for (auto& c : page.items) {
    // Lists never carry identifying data; the employer is decrypted for display.
    c.employer = FD_TRY(OpenField(c.employer, "clients", "employer_enc", c.id));
    Personal recorded;
    for (std::size_t i = 0; i < std::size(kPersonalColumns); ++i) {
      if (*PersonalField(c.personal, i)) *PersonalField(recorded, i) = std::string();
    }
    c.personal = recorded;  // empty strings: recorded, not shown
  }
  return page;
}

Result<Client> Service::MergeClients(const Principal& p, std::string_view target_id, std::string_view source_id) {
  if (p.role != Role::kCentreLead) return Fail(Error::Forbidden("Only centre leads merge client records."));
  auto centre = FD_TRY(CallerCentre(p));
  if (target_id == source_id) return Fail(Error::Invalid("source_id", "is the same client as the target"));
  const std::string key = FD_TRY(BlindKey());
  Client result;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Client target = FD_TRY(LoadClient(s, p, target_id));
    auto source_row = FD_TRY(store_.FindClient(s, source_id));
    if (!source_row) return Fail(Error::Invalid("source_id", "is not a client"));
    if (source_row->centre_id != centre) {
      // Clients of two centres are never merged (and the other centre's client stays invisible).
      return Fail(Error::Invalid("source_id", "is not a client of your centre: clients of two centres are not merged"));
    }
    if (target.anonymised_at) return Fail(Error::Invalid("target_id", "has been anonymised"));
    if (source_row->anonymised_at) return Fail(Error::Invalid("source_id", "has been anonymised"));
    Client t = FD_TRY(Open(target));
    Client src = FD_TRY(Open(*source_row));
    // The target keeps its own values; the source fills what the target lacks.
    for (std::size_t i = 0; i < std::size(kPersonalColumns); ++i) {
      if (!*PersonalField(t.personal, i)) *PersonalField(t.personal, i) = *PersonalField(src.personal, i);
    }
    if (!t.nationality) t.nationality = src.nationality;
    if (!t.birth_year) t.birth_year = src.birth_year;
    if (t.gender == "unspecified") t.gender = src.gender;
    for (const auto& l : src.languages) {
      if (std::find(t.languages.begin(), t.languages.end(), l) == t.languages.end()) t.languages.push_back(l);
    }
    if (!t.employment_status) t.employment_status = src.employment_status;
    if (!t.sector) t.sector = src.sector;
    if (!t.residence_status) t.residence_status = src.residence_status;
    if (!t.abroad) t.abroad = src.abroad;
    if (!t.employer) t.employer = src.employer;
    // Consents are the person's latest declaration: the record with the later consent date counts
    // (a duplicate made at a later visit carries the newer one); on the same date the target's.
    if (src.consents.date && (!t.consents.date || *src.consents.date > *t.consents.date)) t.consents = src.consents;
    t.updated_at = clock::NowUnix();
    FD_TRY_VOID(store_.MoveCasesOfClient(s, src.id, t.id));
    FD_TRY_VOID(store_.DeleteClient(s, src.id));
    if (!FD_TRY(store_.UpdateClient(s, FD_TRY(Seal(t)), target.version))) return Fail(Error::Stale());
    FD_TRY_VOID(store_.ReplaceSearchHashes(s, t.id, SearchHashes(key, t)));
    t.version = target.version + 1;
    result = t;
    for (const auto& k : FD_TRY(store_.CasesOfClient(s, t.id))) FD_TRY_VOID(CaseChanged(s, k.id));
    FD_TRY_VOID(audit::Record(s, p, audit::kDelete, "client", src.id, centre));
    return audit::Record(s, p, audit::kUpdate, "client", t.id, centre);
  }));
  return result;
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
  const std::optional<std::string> narrative = c.narrative;
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
    Case sealed = c;
    sealed.narrative = FD_TRY(SealField(narrative, "cases", "narrative_enc", c.id));
    FD_TRY_VOID(SealEmployment(sealed));
    FD_TRY_VOID(store_.InsertCase(s, sealed, SearchText(c, topics)));
    c = FD_TRY(LoadCase(s, p, c.id));  // with the client code and the assignee's name
    FD_TRY_VOID(CaseChanged(s, c.id));
    return audit::Record(s, p, audit::kCreate, "case", c.id, centre_id);
  }));
  c.narrative = narrative;
  FD_TRY_VOID(OpenEmployment(c));
  return c;
}

Status Service::CheckEditable(db::Session& s, const Case& k, std::string_view field) {
  (void)s;
  if (k.anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
  if (k.status == "closed") {
    return Fail(Locked(field, "cannot be changed while the case is closed: reopen the case first "
                              "(status open with a reason)"));
  }
  return {};
}

Status Service::CheckCorrector(const Principal& p, const std::string& author) {
  if (p.user_id == author || p.role == Role::kCentreLead) return {};
  return Fail(Error::Forbidden("Only the person who made this entry or the centre lead may correct or withdraw it."));
}

Status Service::SaveAssignment(db::Session& s, const Principal& p, const Case& before) {
  // Who had the case before (the name as it was then), so the case's history tells the handover.
  json::object was{{"assignee_id", before.assignee_id ? json::value(*before.assignee_id) : nullptr},
                   {"assignee_name", before.assignee_name ? json::value(*before.assignee_name) : nullptr}};
  return SaveHistory(s, p, before.id, "case", before.id, before.version, "assign", was, std::nullopt);
}

Status Service::SaveHistory(db::Session& s, const Principal& p, const std::string& case_id, std::string_view type,
                            const std::string& record_id, std::int64_t version, std::string_view action,
                            const json::object& before, const std::optional<std::string>& reason) {
  HistoryEntry h;
  h.id = crypto::NewId("hist");
  h.case_id = case_id;
  h.record_type = std::string(type);
  h.record_id = record_id;
  h.version = version;
  h.action = std::string(action);
  h.before_json = FD_TRY(SealField(json::serialize(before), "case_record_history", "before_enc", h.id));
  h.reason = FD_TRY(SealField(reason, "case_record_history", "reason_enc", h.id));
  h.changed_by = p.user_id;
  h.changed_at = clock::NowUnix();
  return store_.InsertHistory(s, h);
}

void Service::FillOrganisationNames(std::vector<Referral>& referrals) {
  std::optional<std::vector<directory::Partner>> partners;
  for (auto& r : referrals) {
    if (!r.organisation_id) continue;
    if (auto centre = directory_.CentreById(*r.organisation_id)) {
      r.organisation_name = centre->name;
      continue;
    }
    if (!partners) {
      auto all = directory_.Partners(std::nullopt, std::nullopt);
      partners = all ? *all : std::vector<directory::Partner>{};
    }
    for (const auto& x : *partners) {
      if (x.id == *r.organisation_id) r.organisation_name = x.name;
    }
  }
}

template <typename T>
Result<T> Service::OpenMarks(T record, std::string_view table) const {
  record.marks.reason = FD_TRY(OpenField(record.marks.reason, table, "change_reason_enc", record.id));
  return record;
}

Result<CaseDetail> Service::GetCase(const Principal& p, std::string_view id) {
  CaseDetail d;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  const std::string centre = FD_TRY(CallerCentre(p));
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.CaseWithTimeline(s, id));
    if (!found || found->c.centre_id != centre) {
      // Not a case of the caller's centre: LoadCase says why (none, or transferred away), and
      // nothing that was read is used.
      FD_TRY(LoadCase(s, p, id));
      return Fail(Error::NotFound("No such case."));  // it moved here between the two reads
    }
    d = std::move(*found);
    audit_read_id = d.c.id;
    audit_read_centre = d.c.centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "case", audit_read_id, audit_read_centre));
  // Identifying data only through GET /clients/{id}/personal (audited there): the panel shows
  // which fields are recorded, and the employer.
  if (!d.client.id.empty()) {
    d.client.employer = FD_TRY(OpenField(d.client.employer, "clients", "employer_enc", d.client.id));
    Personal recorded;
    for (std::size_t i = 0; i < std::size(kPersonalColumns); ++i) {
      if (*PersonalField(d.client.personal, i)) *PersonalField(recorded, i) = std::string();
    }
    d.client.personal = recorded;
  }
  d.c.narrative = FD_TRY(OpenField(d.c.narrative, "cases", "narrative_enc", d.c.id));
  FD_TRY_VOID(OpenEmployment(d.c));
  for (auto& c : d.consultations) {
    c.notes = FD_TRY(OpenField(c.notes, "consultations", "notes_enc", c.id));
    c = FD_TRY(OpenMarks(std::move(c), "consultations"));
  }
  for (auto& x : d.deadlines) {
    x.note = FD_TRY(OpenField(x.note, "deadlines", "note_enc", x.id));
    x = FD_TRY(OpenMarks(std::move(x), "deadlines"));
  }
  for (auto& r : d.referrals) {
    r.note = FD_TRY(OpenField(r.note, "referrals", "note_enc", r.id));
    r = FD_TRY(OpenMarks(std::move(r), "referrals"));
  }
  FillOrganisationNames(d.referrals);
  return d;
}

Result<CaseUpdate> Service::UpdateCase(const Principal& p, std::string_view id, const IfMatch& if_match,
                                       const std::function<Status(Case&)>& change, std::optional<std::string> reason) {
  auto topics = FD_TRY(Topics());
  CaseUpdate result;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case before = FD_TRY(LoadCase(s, p, id));
    if (before.anonymised_at) return Fail(Error::Conflict("This case has been anonymised."));
    if (!if_match.Allows(MakeETag(before.id, before.version))) return Fail(Error::Stale());
    before.narrative = FD_TRY(OpenField(before.narrative, "cases", "narrative_enc", before.id));
    FD_TRY_VOID(OpenEmployment(before));
    Case c = before;
    FD_TRY_VOID(change(c));
    c.id = before.id;
    c.centre_id = before.centre_id;
    c.client_id = before.client_id;
    c.number = before.number;
    c.opened_on = before.opened_on;
    c.created_at = before.created_at;
    const bool reopening = before.status == "closed" && c.status != "closed";
    if (before.status == "closed" && !reopening) {
      // A closed case changes only by reopening it: name the first field the request changes.
      std::optional<std::string_view> field;
      if (c.topics != before.topics) field = "topics";
      else if (c.priority != before.priority) field = "priority";
      else if (c.assignee_id != before.assignee_id) field = "assignee_id";
      else if (c.risk_flags != before.risk_flags) field = "risk_flags";
      else if (c.narrative != before.narrative) field = "narrative";
      else if (c.employment != before.employment) field = "employment";
      else if (c.outcome != before.outcome) field = "outcome";
      else if (c.closing_reason != before.closing_reason) field = "closing_reason";
      if (field) {
        return Fail(Locked(*field, "cannot be changed while the case is closed: reopen the case first "
                                   "(status open with a reason)"));
      }
      result.c = before;
      return {};  // nothing changes
    }
    if (reopening && (!reason || reason->empty())) {
      return Fail(Error::Invalid("reason", "is required to reopen a closed case"));
    }
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
      if (before.status != "closed") {
        c.closed_on = Today();
        // Closing is allowed with open deadlines and referrals; the answer says how many remain.
        std::int64_t open_deadlines = 0, open_referrals = 0;
        for (const auto& d : FD_TRY(store_.Deadlines(s, c.id))) open_deadlines += !d.done && !d.marks.withdrawn_at;
        for (const auto& r : FD_TRY(store_.Referrals(s, c.id))) {
          open_referrals += !IsFinalReferral(r.status) && !r.marks.withdrawn_at;
        }
        if (open_deadlines) result.warnings.emplace_back("open_deadlines", open_deadlines);
        if (open_referrals) result.warnings.emplace_back("open_referrals", open_referrals);
      }
    } else {
      if (reopening) {
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
    Case sealed = c;
    sealed.narrative = FD_TRY(SealField(c.narrative, "cases", "narrative_enc", c.id));
    if (c.employment && c.employment->Empty()) c.employment.reset();
    sealed.employment = c.employment;
    FD_TRY_VOID(SealEmployment(sealed));
    if (!FD_TRY(store_.UpdateCase(s, sealed, SearchText(c, topics), before.version))) return Fail(Error::Stale());
    if (c.employment != before.employment && before.employment) {
      // The employment as it was stays readable in the history (encrypted), like a corrected note.
      FD_TRY_VOID(SaveHistory(s, p, c.id, "case", c.id, before.version, "correct",
                              json::object{{"employment", ToJson(*before.employment)}}, reason));
    }
    if (c.assignee_id != before.assignee_id) FD_TRY_VOID(SaveAssignment(s, p, before));
    if (reopening) {
      json::object was = ToJson(before);
      was.erase("narrative");
      was.erase("employment");
      FD_TRY_VOID(SaveHistory(s, p, c.id, "case", c.id, before.version, "reopen", was, reason));
    } else if (c.narrative != before.narrative && before.narrative) {
      // The earlier narrative stays readable in the history, like a corrected note.
      FD_TRY_VOID(SaveHistory(s, p, c.id, "case", c.id, before.version, "correct",
                              json::object{{"narrative", *before.narrative}}, reason));
    }
    result.c = FD_TRY(LoadCase(s, p, c.id));  // the assignee's name may have changed
    result.c.narrative = c.narrative;
    result.c.employment = c.employment;
    FD_TRY_VOID(CaseChanged(s, c.id));
    return audit::Record(s, p, audit::kUpdate, "case", c.id, c.centre_id);
  }));
  return result;
}

Result<Page<Case>> Service::ListCases(const Principal& p, CaseFilter filter) {
  auto centre = FD_TRY(CallerCentre(p));
  std::optional<std::pair<std::int64_t, std::string>> after;
  std::int64_t offset = 0;
  if (filter.sort == "-created") {
    after = FD_TRY(ParseCursor(filter.cursor));
  } else if (filter.cursor && !filter.cursor->empty()) {
    // Other orders page by position: "o<offset>".
    const std::string& cur = *filter.cursor;
    if (cur.size() < 2 || cur.size() > 10 || cur[0] != 'o' ||
        !std::all_of(cur.begin() + 1, cur.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); })) {
      return Fail(Error::Invalid("cursor", "is not a cursor of this list"));
    }
    offset = std::stoll(cur.substr(1));
  }
  if (filter.topic) FD_TRY_VOID(CheckTopics({*filter.topic}, "topic"));
  if (filter.assignee == "me") filter.assignee = p.user_id;
  if (filter.q) {
    filter.key_prefix = KeyPrefix(*filter.q);
    filter.text_phrase = TextPhrase(*filter.q);
    filter.q = filter.q->empty() ? std::nullopt : std::optional(LikePattern(*filter.q));
  }
  Page<Case> page;
  // Audited per listed case (see ListClients).
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    page.items = FD_TRY(store_.ListCases(s, centre, filter, after, offset, Today()));
    if (static_cast<int>(page.items.size()) > filter.limit) {
      page.items.resize(filter.limit);
      page.next_cursor = filter.sort == "-created"
                             ? MakeCursor(page.items.back().created_at, page.items.back().id)
                             : "o" + std::to_string(offset + filter.limit);
    }
    return {};
  }));
  // One audit entry naming every record listed, before the answer (group commit).
  std::vector<audit::ReadRef> seen;
  for (const auto& c : page.items) seen.push_back({c.id, c.centre_id});
  FD_TRY_VOID(audit::RecordReads(db_, p, "case", seen));
  for (auto& c : page.items) {  // the narrative and the employment only in the case itself
    c.narrative.reset();
    c.employment.reset();
  }
  return page;
}

Result<std::vector<Case>> Service::AssignCases(const Principal& p, const std::vector<std::string>& case_ids,
                                               std::optional<std::string> assignee_id) {
  if (p.role != Role::kCentreLead) return Fail(Error::Forbidden("Only centre leads assign cases."));
  auto centre = FD_TRY(CallerCentre(p));
  auto topics = FD_TRY(Topics());
  std::vector<Case> out;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(CheckAssignee(s, p, centre, assignee_id));
    std::vector<FieldError> errors;
    std::vector<Case> cases;
    for (std::size_t i = 0; i < case_ids.size(); ++i) {
      const std::string field = "case_ids[" + std::to_string(i) + "]";
      auto c = FD_TRY(store_.FindCase(s, case_ids[i]));
      if (!c || c->centre_id != centre) {
        errors.push_back({field, "is not a case of your centre"});
      } else if (c->anonymised_at || c->status == "closed") {
        errors.push_back({field, "is closed: reopen it before assigning it"});
      } else {
        cases.push_back(*c);
      }
    }
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    for (auto& c : cases) {
      if (c.assignee_id == assignee_id) {
        out.push_back(c);
        continue;
      }
      const Case before = c;
      c.assignee_id = assignee_id;
      c.updated_at = clock::NowUnix();
      // The narrative column is written back as it was read (sealed).
      FD_TRY_VOID(store_.UpdateCase(s, c, SearchText(c, topics), c.version));
      FD_TRY_VOID(SaveAssignment(s, p, before));
      out.push_back(FD_TRY(LoadCase(s, p, c.id)));
      FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "case", c.id, centre));
    }
    return {};
  }));
  for (auto& c : out) c.narrative.reset();
  return out;
}

Result<std::vector<Caseload>> Service::CaseloadOfCentre(const Principal& p) {
  if (p.role != Role::kCentreLead) return Fail(Error::Forbidden("Only centre leads see the caseload of the centre."));
  auto centre = FD_TRY(CallerCentre(p));
  std::vector<Caseload> out;
  // Counts only, no case data: read without an audit entry.
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.CaseloadOfCentre(s, centre, Today()));
    return {};
  }));
  return out;
}

Result<Transfer> Service::TransferCase(const Principal& p, std::string_view id, std::string_view centre_id,
                                       std::string consent_date, bool client_consent) {
  auto target = directory_.CentreById(centre_id);
  if (!target) return Fail(Error::Invalid("centre_id", "is not a centre of the directory"));
  if (target->kind != "advice_centre") {
    return Fail(Error::Invalid("centre_id", "is not an advice centre: cases are transferred to advice centres only"));
  }
  if (!client_consent) {
    return Fail(Error::Invalid("client_consent", "the client's consent to the transfer is required"));
  }
  Transfer t;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case c = FD_TRY(LoadCase(s, p, id));
    if (c.centre_id == centre_id) return Fail(Error::Invalid("centre_id", "is the case's own centre"));
    FD_TRY_VOID(CheckEditable(s, c, "status"));
    if (c.pending_transfer_to) return Fail(Locked("transfer", "a transfer of this case is already waiting for acceptance"));
    if (!c.client_id.empty()) {
      for (const auto& other : FD_TRY(store_.CasesOfClient(s, c.client_id))) {
        if (other.id != c.id && other.centre_id == c.centre_id) {
          return Fail(Error::Conflict(
              "The client has other cases at this centre; the client moves with the last of them."));
        }
      }
    }
    const std::string tid = crypto::NewId("trf");
    FD_TRY_VOID(store_.InsertTransfer(s, tid, c.id, c.centre_id, centre_id, consent_date, p.user_id, "pending"));
    t = *FD_TRY(store_.FindTransfer(s, tid));
    return audit::Record(s, p, audit::kTransfer, "case", c.id, c.centre_id);
  }));
  return t;
}

Result<std::vector<Transfer>> Service::PendingTransfers(const Principal& p) {
  auto centre = FD_TRY(CallerCentre(p));
  std::vector<Transfer> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.PendingTransfers(s, centre));
    return {};
  }));
  return out;
}

Result<Transfer> Service::DecideTransfer(const Principal& p, std::string_view transfer_id, std::string_view decision) {
  auto centre = FD_TRY(CallerCentre(p));
  Transfer t;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindTransfer(s, transfer_id));
    if (!found || (found->to_centre_id != centre && found->from_centre_id != centre)) {
      return Fail(Error::NotFound("No such transfer."));
    }
    t = *found;
    if (t.status != "pending") return Fail(Error::Conflict("This transfer has already been decided."));
    const bool receiver = t.to_centre_id == centre;
    if ((decision == "accept" || decision == "decline") && !receiver) {
      return Fail(Error::Forbidden("Only the receiving centre accepts or declines a transfer."));
    }
    if (decision == "cancel" && receiver) return Fail(Error::Forbidden("Only the sending centre cancels a transfer."));
    const std::string status = decision == "accept" ? "accepted" : decision == "decline" ? "declined" : "cancelled";
    auto c = FD_TRY(store_.FindCase(s, t.case_id));
    if (!c || c->centre_id != t.from_centre_id) return Fail(Error::Conflict("The case is no longer at the sending centre."));
    if (!FD_TRY(store_.DecideTransfer(s, t.id, status, p.user_id))) {
      return Fail(Error::Conflict("This transfer has already been decided."));
    }
    if (status == "accepted") {
      if (!c->client_id.empty()) {
        for (const auto& other : FD_TRY(store_.CasesOfClient(s, c->client_id))) {
          if (other.id != c->id && other.centre_id == c->centre_id) {
            return Fail(Error::Conflict(
                "The client has other cases at the sending centre; the client moves with the last of them."));
          }
        }
      }
      FD_TRY_VOID(store_.MoveCase(s, c->id, t.to_centre_id));
      FD_TRY_VOID(CaseChanged(s, c->id));  // the centre is a statistical dimension
      if (!c->client_id.empty()) {
        FD_TRY_VOID(store_.MoveClient(s, c->client_id, t.to_centre_id));
        FD_TRY_VOID(audit::Record(s, p, audit::kTransfer, "client", c->client_id, t.from_centre_id));
      }
    }
    t = *FD_TRY(store_.FindTransfer(s, t.id));
    return audit::Record(s, p, status == "accepted" ? audit::kTransfer : audit::kUpdate, "case", c->id, t.from_centre_id);
  }));
  return t;
}

Result<std::vector<HistoryEntry>> Service::CaseHistory(const Principal& p, std::string_view case_id) {
  std::vector<HistoryEntry> out;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    out = FD_TRY(store_.History(s, k.id));
    audit_read_id = k.id;
    audit_read_centre = k.centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "case", audit_read_id, audit_read_centre));
  for (auto& h : out) {
    h.before_json = FD_TRY(OpenField(h.before_json, "case_record_history", "before_enc", h.id));
    h.reason = FD_TRY(OpenField(h.reason, "case_record_history", "reason_enc", h.id));
  }
  return out;
}

// ---- Consultations ----

Result<Consultation> Service::AddConsultation(const Principal& p, std::string_view case_id, Consultation c) {
  if (!c.topics.empty()) FD_TRY_VOID(CheckTopics(c.topics, "topics"));
  c.id = crypto::NewId("con");
  c.created_by = p.user_id;
  c.created_at = c.updated_at = clock::NowUnix();
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    FD_TRY_VOID(CheckEditable(s, k, "case.status"));
    c.case_id = k.id;
    Consultation sealed = c;
    sealed.notes = FD_TRY(SealField(c.notes, "consultations", "notes_enc", c.id));
    FD_TRY_VOID(store_.InsertConsultation(s, sealed));
    c.created_by_name = FD_TRY(store_.FindConsultation(s, c.id))->created_by_name;
    FD_TRY_VOID(CaseChanged(s, k.id));
    return audit::Record(s, p, audit::kCreate, "consultation", c.id, k.centre_id);
  }));
  return c;
}

Result<std::vector<Consultation>> Service::ListConsultations(const Principal& p, std::string_view case_id) {
  std::vector<Consultation> out;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    out = FD_TRY(store_.Consultations(s, k.id));
    audit_read_id = k.id;
    audit_read_centre = k.centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "case", audit_read_id, audit_read_centre));
  for (auto& c : out) {
    c.notes = FD_TRY(OpenField(c.notes, "consultations", "notes_enc", c.id));
    c = FD_TRY(OpenMarks(std::move(c), "consultations"));
  }
  return out;
}

Result<Consultation> Service::GetConsultation(const Principal& p, std::string_view id) {
  Consultation c;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindConsultation(s, id));
    if (!found) return Fail(Error::NotFound("No such consultation."));
    auto k = LoadCase(s, p, found->case_id);
    if (!k) return Fail(Error::NotFound("No such consultation."));
    c = *found;
    audit_read_id = c.id;
    audit_read_centre = k->centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "consultation", audit_read_id, audit_read_centre));
  c.notes = FD_TRY(OpenField(c.notes, "consultations", "notes_enc", c.id));
  return OpenMarks(std::move(c), "consultations");
}

Result<Consultation> Service::CorrectConsultation(const Principal& p, std::string_view id, const Correction& correction,
                                                  const std::function<Status(Consultation&)>& change) {
  auto topics = FD_TRY(Topics());
  Consultation after;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindConsultation(s, id));
    if (!found) return Fail(Error::NotFound("No such consultation."));
    auto k = LoadCase(s, p, found->case_id);
    if (!k) return Fail(k.error().kind == ErrorKind::kNotFound ? Error::NotFound("No such consultation.") : k.error());
    if (!correction.if_match.Allows(MakeETag(found->id, found->version))) return Fail(Error::Stale());
    FD_TRY_VOID(CheckEditable(s, *k, "case.status"));
    FD_TRY_VOID(CheckCorrector(p, found->created_by));
    if (found->marks.withdrawn_at) return Fail(Locked("withdrawn", "this entry has been withdrawn and is kept as it was"));
    Consultation before = *found;
    before.notes = FD_TRY(OpenField(before.notes, "consultations", "notes_enc", before.id));
    before = FD_TRY(OpenMarks(std::move(before), "consultations"));
    after = before;
    FD_TRY_VOID(change(after));
    const bool changed = after.date != before.date || after.duration_minutes != before.duration_minutes ||
                         after.channel != before.channel || after.language != before.language ||
                         after.interpreter != before.interpreter || after.topics != before.topics ||
                         after.kind != before.kind || after.notes != before.notes;
    if (!changed && !correction.withdraw) {
      after = before;
      return {};
    }
    if (!correction.reason || correction.reason->empty()) {
      return Fail(Error::Invalid("reason", "is required to correct or withdraw an entry"));
    }
    if (after.topics != before.topics && !after.topics.empty()) FD_TRY_VOID(CheckTopicCodes(topics, after.topics, "topics"));
    const auto now = clock::NowUnix();
    after.updated_at = now;
    if (correction.withdraw) {
      after = before;  // a withdrawal keeps the content as it was
      after.updated_at = now;
      after.marks.withdrawn_at = now;
      after.marks.withdrawn_by = p.user_id;
    } else {
      after.marks.corrected_at = now;
      after.marks.corrected_by = p.user_id;
    }
    after.marks.reason = correction.reason;
    Consultation sealed = after;
    sealed.notes = FD_TRY(SealField(after.notes, "consultations", "notes_enc", after.id));
    sealed.marks.reason = FD_TRY(SealField(after.marks.reason, "consultations", "change_reason_enc", after.id));
    if (!FD_TRY(store_.UpdateConsultation(s, sealed, before.version))) return Fail(Error::Stale());
    FD_TRY_VOID(SaveHistory(s, p, k->id, "consultation", before.id, before.version,
                            correction.withdraw ? "withdraw" : "correct", ToJson(before), correction.reason));
    auto stored = FD_TRY(store_.FindConsultation(s, after.id));
    after.version = stored->version;
    after.marks.corrected_by_name = stored->marks.corrected_by_name;
    after.marks.withdrawn_by_name = stored->marks.withdrawn_by_name;
    FD_TRY_VOID(CaseChanged(s, k->id));
    return audit::Record(s, p, audit::kUpdate, "consultation", after.id, k->centre_id);
  }));
  return after;
}

// ---- Deadlines ----

Result<Deadline> Service::AddDeadline(const Principal& p, std::string_view case_id, Deadline d,
                                      std::optional<CalculatorSource> source, bool confirm_past) {
  if (d.due_date < Today() && !confirm_past) {
    return Fail(Error::Invalid("due_date", "is in the past: send confirm_past: true to record it anyway"));
  }
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
  d.created_at = d.updated_at = clock::NowUnix();
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    FD_TRY_VOID(CheckEditable(s, k, "case.status"));
    d.case_id = k.id;
    d.case_number = k.number;
    d.assignee_id = k.assignee_id;
    Deadline sealed = d;
    sealed.note = FD_TRY(SealField(d.note, "deadlines", "note_enc", d.id));
    FD_TRY_VOID(store_.InsertDeadline(s, sealed));
    d.created_by_name = FD_TRY(store_.FindDeadline(s, d.id))->created_by_name;
    return audit::Record(s, p, audit::kCreate, "deadline", d.id, k.centre_id);
  }));
  return d;
}

Result<Deadline> Service::GetDeadline(const Principal& p, std::string_view id) {
  Deadline d;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindDeadline(s, id));
    if (!found) return Fail(Error::NotFound("No such deadline."));
    auto k = LoadCase(s, p, found->case_id);
    if (!k) return Fail(Error::NotFound("No such deadline."));
    d = *found;
    audit_read_id = d.id;
    audit_read_centre = k->centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "deadline", audit_read_id, audit_read_centre));
  d.note = FD_TRY(OpenField(d.note, "deadlines", "note_enc", d.id));
  return OpenMarks(std::move(d), "deadlines");
}

Result<Deadline> Service::UpdateDeadline(const Principal& p, std::string_view id, const Correction& correction,
                                         const std::function<Status(Deadline&)>& change, bool confirm_past) {
  Deadline after;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindDeadline(s, id));
    if (!found) return Fail(Error::NotFound("No such deadline."));
    auto k = LoadCase(s, p, found->case_id);
    if (!k) return Fail(k.error().kind == ErrorKind::kNotFound ? Error::NotFound("No such deadline.") : k.error());
    if (!correction.if_match.Allows(MakeETag(found->id, found->version))) return Fail(Error::Stale());
    FD_TRY_VOID(CheckEditable(s, *k, "case.status"));
    if (found->marks.withdrawn_at) return Fail(Locked("withdrawn", "this entry has been withdrawn and is kept as it was"));
    Deadline before = *found;
    before.note = FD_TRY(OpenField(before.note, "deadlines", "note_enc", before.id));
    before = FD_TRY(OpenMarks(std::move(before), "deadlines"));
    after = before;
    FD_TRY_VOID(change(after));
    const bool content = after.kind != before.kind || after.due_date != before.due_date || after.note != before.note;
    const auto now = clock::NowUnix();
    if (content || correction.withdraw) {
      // A correction (kind, date, note) or withdrawal: by the author or the centre lead, with a reason.
      FD_TRY_VOID(CheckCorrector(p, before.created_by));
      if (!correction.reason || correction.reason->empty()) {
        return Fail(Error::Invalid("reason", "is required to correct or withdraw an entry"));
      }
      if (after.due_date != before.due_date && after.due_date < Today() && !confirm_past) {
        return Fail(Error::Invalid("due_date", "is in the past: send confirm_past: true to record it anyway"));
      }
      if (correction.withdraw) {
        after = before;
        after.marks.withdrawn_at = now;
        after.marks.withdrawn_by = p.user_id;
      } else {
        after.marks.corrected_at = now;
        after.marks.corrected_by = p.user_id;
      }
      after.marks.reason = correction.reason;
      FD_TRY_VOID(SaveHistory(s, p, k->id, "deadline", before.id, before.version,
                              correction.withdraw ? "withdraw" : "correct", ToJson(before), correction.reason));
    } else if (after.done == before.done) {
      after = before;  // nothing changes
      return {};
    }
    after.updated_at = now;
    Deadline sealed = after;
    sealed.note = FD_TRY(SealField(after.note, "deadlines", "note_enc", after.id));
    sealed.marks.reason = FD_TRY(SealField(after.marks.reason, "deadlines", "change_reason_enc", after.id));
    if (!FD_TRY(store_.UpdateDeadline(s, sealed, before.version))) return Fail(Error::Stale());
    auto stored = FD_TRY(store_.FindDeadline(s, after.id));
    after.version = stored->version;
    after.marks.corrected_by_name = stored->marks.corrected_by_name;
    after.marks.withdrawn_by_name = stored->marks.withdrawn_by_name;
    return audit::Record(s, p, audit::kUpdate, "deadline", after.id, k->centre_id);
  }));
  return after;
}

Result<std::vector<Deadline>> Service::ListDeadlines(const Principal& p, std::string_view case_id) {
  std::vector<Deadline> out;
  // One case's deadlines: audited as a read of the case (like its consultations and referrals).
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    out = FD_TRY(store_.Deadlines(s, k.id));
    audit_read_id = k.id;
    audit_read_centre = k.centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "case", audit_read_id, audit_read_centre));
  for (auto& d : out) {
    d.note = FD_TRY(OpenField(d.note, "deadlines", "note_enc", d.id));
    d = FD_TRY(OpenMarks(std::move(d), "deadlines"));
  }
  return out;
}

Result<std::vector<Deadline>> Service::DueDeadlines(const Principal& p, int days, bool mine) {
  auto centre = FD_TRY(CallerCentre(p));
  std::vector<Deadline> out;
  std::string until = ShiftDays(Today(), days);
  // Audited per listed deadline (see ListClients).
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.DueDeadlines(s, centre, until, mine ? std::optional(p.user_id) : std::nullopt));
    return {};
  }));
  // One audit entry naming every record listed, before the answer (group commit).
  std::vector<audit::ReadRef> seen;
  for (const auto& d : out) seen.push_back({d.id, centre});
  FD_TRY_VOID(audit::RecordReads(db_, p, "deadline", seen));
  for (auto& d : out) {
    d.note = FD_TRY(OpenField(d.note, "deadlines", "note_enc", d.id));
    d = FD_TRY(OpenMarks(std::move(d), "deadlines"));
  }
  return out;
}

// ---- Referrals ----

namespace {
// Sets the date of the step a referral has reached (suggested is the creation date).
void StampStep(Referral& r, const std::string& date) {
  if (r.status == "made") r.made_on = date;
  if (r.status == "confirmed") r.confirmed_on = date;
  if (r.status == "completed") r.completed_on = date;
  if (r.status == "declined") r.declined_on = date;
}
}  // namespace

Result<Referral> Service::AddReferral(const Principal& p, std::string_view case_id, Referral r) {
  FD_TRY_VOID(CheckOrganisation(r.target, r.organisation_id));
  if (r.status != "suggested" && r.status != "declined" && !r.client_consent) {
    return Fail(Error::Invalid("client_consent", "the client's consent is required before a referral is made"));
  }
  r.id = crypto::NewId("ref");
  r.created_by = p.user_id;
  r.created_at = r.updated_at = clock::NowUnix();
  StampStep(r, Today());
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    FD_TRY_VOID(CheckEditable(s, k, "case.status"));
    r.case_id = k.id;
    Referral sealed = r;
    sealed.note = FD_TRY(SealField(r.note, "referrals", "note_enc", r.id));
    FD_TRY_VOID(store_.InsertReferral(s, sealed));
    r.created_by_name = FD_TRY(store_.FindReferral(s, r.id))->created_by_name;
    FD_TRY_VOID(CaseChanged(s, k.id));
    return audit::Record(s, p, audit::kCreate, "referral", r.id, k.centre_id);
  }));
  std::vector<Referral> one{r};
  FillOrganisationNames(one);
  return one.front();
}

Result<Referral> Service::GetReferral(const Principal& p, std::string_view id) {
  Referral r;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindReferral(s, id));
    if (!found) return Fail(Error::NotFound("No such referral."));
    auto k = LoadCase(s, p, found->case_id);
    if (!k) return Fail(Error::NotFound("No such referral."));
    r = *found;
    audit_read_id = r.id;
    audit_read_centre = k->centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "referral", audit_read_id, audit_read_centre));
  r.note = FD_TRY(OpenField(r.note, "referrals", "note_enc", r.id));
  r = FD_TRY(OpenMarks(std::move(r), "referrals"));
  std::vector<Referral> one{r};
  FillOrganisationNames(one);
  return one.front();
}

Result<Referral> Service::UpdateReferral(const Principal& p, std::string_view case_id, std::string_view id,
                                         const Correction& correction, const std::function<Status(Referral&)>& change,
                                         std::optional<std::string> step_date) {
  Referral after;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindReferral(s, id));
    if (!found || (!case_id.empty() && found->case_id != case_id)) return Fail(Error::NotFound("No such referral."));
    auto k = LoadCase(s, p, found->case_id);
    if (!k) return Fail(k.error().kind == ErrorKind::kNotFound ? Error::NotFound("No such referral.") : k.error());
    if (!correction.if_match.Allows(MakeETag(found->id, found->version))) return Fail(Error::Stale());
    FD_TRY_VOID(CheckEditable(s, *k, "case.status"));
    if (found->marks.withdrawn_at) return Fail(Locked("withdrawn", "this entry has been withdrawn and is kept as it was"));
    Referral before = *found;
    before.note = FD_TRY(OpenField(before.note, "referrals", "note_enc", before.id));
    before = FD_TRY(OpenMarks(std::move(before), "referrals"));
    after = before;
    FD_TRY_VOID(change(after));
    const bool forward = after.status != before.status && !IsFinalReferral(before.status) &&
                         ReferralRank(after.status) > ReferralRank(before.status);
    const bool content = after.target != before.target || after.organisation_id != before.organisation_id ||
                         after.note != before.note || (after.status != before.status && !forward);
    const bool progress = forward || after.client_consent != before.client_consent ||
                          after.consent_date != before.consent_date;
    if (!content && !progress && !correction.withdraw) {
      after = before;
      return {};
    }
    if (content) FD_TRY_VOID(CheckOrganisation(after.target, after.organisation_id));
    if (after.status != "suggested" && after.status != "declined" && !after.client_consent) {
      return Fail(Error::Invalid("client_consent", "the client's consent is required before a referral is made"));
    }
    const auto now = clock::NowUnix();
    if (content || correction.withdraw) {
      FD_TRY_VOID(CheckCorrector(p, before.created_by));
      if (!correction.reason || correction.reason->empty()) {
        return Fail(Error::Invalid("reason", "is required to correct or withdraw an entry"));
      }
      if (correction.withdraw) {
        after = before;
        after.marks.withdrawn_at = now;
        after.marks.withdrawn_by = p.user_id;
      } else {
        after.marks.corrected_at = now;
        after.marks.corrected_by = p.user_id;
      }
      after.marks.reason = correction.reason;
      FD_TRY_VOID(SaveHistory(s, p, k->id, "referral", before.id, before.version,
                              correction.withdraw ? "withdraw" : "correct", ToJson(before), correction.reason));
    }
    if (after.status != before.status && !correction.withdraw) {
      // The date of the new step; a step taken back loses its date.
      if (ReferralRank(after.status) < 1) after.made_on.reset();
      if (ReferralRank(after.status) < 2) after.confirmed_on.reset();
      if (after.status != "completed") after.completed_on.reset();
      if (after.status != "declined") after.declined_on.reset();
      StampStep(after, step_date.value_or(Today()));
    }
    after.updated_at = now;
    Referral sealed = after;
    sealed.note = FD_TRY(SealField(after.note, "referrals", "note_enc", after.id));
    sealed.marks.reason = FD_TRY(SealField(after.marks.reason, "referrals", "change_reason_enc", after.id));
    if (!FD_TRY(store_.UpdateReferral(s, sealed, before.version))) return Fail(Error::Stale());
    auto stored = FD_TRY(store_.FindReferral(s, after.id));
    after.version = stored->version;
    after.marks.corrected_by_name = stored->marks.corrected_by_name;
    after.marks.withdrawn_by_name = stored->marks.withdrawn_by_name;
    FD_TRY_VOID(CaseChanged(s, k->id));  // the referral target is a statistical dimension
    return audit::Record(s, p, audit::kUpdate, "referral", after.id, k->centre_id);
  }));
  std::vector<Referral> one{after};
  FillOrganisationNames(one);
  return one.front();
}

Result<std::vector<Referral>> Service::ListReferrals(const Principal& p, std::string_view case_id) {
  std::vector<Referral> out;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    Case k = FD_TRY(LoadCase(s, p, case_id));
    out = FD_TRY(store_.Referrals(s, k.id));
    audit_read_id = k.id;
    audit_read_centre = k.centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "case", audit_read_id, audit_read_centre));
  for (auto& r : out) {
    r.note = FD_TRY(OpenField(r.note, "referrals", "note_enc", r.id));
    r = FD_TRY(OpenMarks(std::move(r), "referrals"));
  }
  FillOrganisationNames(out);
  return out;
}

// ---- Saved filters ----

Result<std::vector<SavedFilter>> Service::SavedFilters(const Principal& p) {
  FD_TRY_VOID(CallerCentre(p));
  std::vector<SavedFilter> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.SavedFilters(s, p.user_id));
    return {};
  }));
  return out;
}

Result<SavedFilter> Service::SaveFilter(const Principal& p, std::optional<std::string> id, std::string name,
                                        std::string query) {
  FD_TRY_VOID(CallerCentre(p));
  SavedFilter f;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    const auto now = clock::NowUnix();
    if (id) {
      auto found = FD_TRY(store_.SavedFilters(s, p.user_id, *id));
      if (found.empty()) return Fail(Error::NotFound("No such saved filter."));
      f = found.front();
      f.name = name;
      f.query = query;
      f.updated_at = now;
      if (!FD_TRY(store_.UpdateSavedFilter(s, f))) return Fail(Error::NotFound("No such saved filter."));
      return {};
    }
    if (FD_TRY(store_.SavedFilters(s, p.user_id)).size() >= 50) {
      return Fail(Error::Conflict("At most 50 saved filters per person."));
    }
    f = {crypto::NewId("flt"), p.user_id, name, query, now, now};
    return store_.InsertSavedFilter(s, f);
  }));
  return f;
}

Status Service::DeleteSavedFilter(const Principal& p, std::string_view id) {
  FD_TRY_VOID(CallerCentre(p));
  return db_.Write([&](db::Session& s) -> Status {
    if (!FD_TRY(store_.DeleteSavedFilter(s, p.user_id, id))) return Fail(Error::NotFound("No such saved filter."));
    return {};
  });
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
    auto found = IdentifyingData(*text, client);
    if (found.empty()) continue;
    std::string what;
    for (const auto& kind : found) what += (what.empty() ? "" : ", ") + kind;
    errors.push_back({std::string(field), "must be anonymised: it contains the client's " + what});
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
    FD_TRY_VOID(CheckEditable(s, k, "case.status"));
    FD_TRY_VOID(CheckAnonymous(s, k.client_id, {{"summary", &e.summary}, {"question", &e.question}}));
    e.case_id = k.id;
    e.centre_id = k.centre_id;
    FD_TRY_VOID(store_.InsertEscalation(s, e));
    e = *FD_TRY(store_.FindEscalation(s, e.id));
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
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.Escalations(s, scope, status));
    return {};
  }));
  // One audit entry naming every record listed, before the answer (group commit).
  std::vector<audit::ReadRef> seen;
  for (const auto& e : out) seen.push_back({e.id, e.centre_id});
  FD_TRY_VOID(audit::RecordReads(db_, p, "escalation", seen));
  return out;
}

Result<Escalation> Service::GetEscalation(const Principal& p, std::string_view id) {
  auto centre = FD_TRY(CallerCentre(p));
  Escalation e;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    auto found = FD_TRY(store_.FindEscalation(s, id));
    if (!found || found->summary.empty() ||
        (p.role != Role::kCompetenceCentre && found->centre_id != centre)) {
      return Fail(Error::NotFound("No such escalation."));
    }
    e = *found;
    e.messages = FD_TRY(store_.Messages(s, e.id));
    audit_read_id = e.id;
    audit_read_centre = e.centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "escalation", audit_read_id, audit_read_centre));
  return e;
}

Result<Service::EscalationSource> Service::EscalationForCaseDescription(const Principal& p, std::string_view id) {
  if (p.role != Role::kCompetenceCentre) return Fail(Error::NotFound("No such escalation."));
  EscalationSource out;
  std::string audit_read_id;
  std::optional<std::string> audit_read_centre;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
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
    audit_read_id = found->id;
    audit_read_centre = found->centre_id;
    return {};
  }));
  // Audited before the answer, by group commit (audit::RecordRead).
  FD_TRY_VOID(audit::RecordRead(db_, p, "escalation", audit_read_id, audit_read_centre));
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
    const bool from_competence_centre = p.role == Role::kCompetenceCentre && e->centre_id != centre;
    // Only the asking centre's messages are checked: the competence centre does not know the
    // client, and an answer to its probe ("is it Ms X?") would tell it. Its own messages pass
    // unchecked, so that nothing it sends can learn anything about the client's data.
    if (!from_competence_centre) {
      if (auto k = FD_TRY(store_.FindCase(s, e->case_id))) {
        FD_TRY_VOID(CheckAnonymous(s, k->client_id, {{"body", &body}}));
      }
    }
    m = {crypto::NewId("msg"), e->id, p.user_id, std::string(RoleName(p.role)), std::move(body), clock::NowUnix()};
    FD_TRY_VOID(store_.InsertMessage(s, m));
    // An answer from the competence centre marks the escalation answered; a follow-up question of
    // the centre opens it again.
    std::string status = from_competence_centre ? "answered" : "open";
    FD_TRY_VOID(store_.UpdateEscalationStatus(s, e->id, status, m.created_at));
    for (const auto& x : FD_TRY(store_.Messages(s, e->id))) {
      if (x.id == m.id) m.author_name = x.author_name;
    }
    return audit::Record(s, p, audit::kUpdate, "escalation", e->id, e->centre_id);
  }));
  return m;
}

Result<Escalation> Service::SetEscalationStatus(const Principal& p, std::string_view id, std::string status) {
  auto current = FD_TRY(GetEscalation(p, id));
  const bool own = p.centre_id && *p.centre_id == current.centre_id;
  if (p.role == Role::kCompetenceCentre && !own && status == "open" && current.status != "open") {
    // Reopening is the asking centre's decision (a closed thread cannot be reopened to probe).
    return Fail(Error::Forbidden("Only the asking centre reopens an escalation."));
  }
  if (!own && p.role != Role::kCompetenceCentre) return Fail(Error::NotFound("No such escalation."));
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(store_.UpdateEscalationStatus(s, id, status, clock::NowUnix()));
    return audit::Record(s, p, audit::kUpdate, "escalation", id, current.centre_id);
  }));
  return GetEscalation(p, id);
}

Result<Escalation> Service::AssignEscalation(const Principal& p, std::string_view id,
                                             std::optional<std::string> assignee) {
  if (p.role != Role::kCompetenceCentre) {
    return Fail(Error::Forbidden("Only the competence centre assigns escalations to its members."));
  }
  auto current = FD_TRY(GetEscalation(p, id));
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    if (assignee) {
      auto user = FD_TRY(store_.UserCentreRole(s, *assignee));
      if (!user || user->second != RoleName(Role::kCompetenceCentre)) {
        return Fail(Error::Invalid("assignee_id", "is not an active member of the competence centre"));
      }
    }
    FD_TRY_VOID(store_.AssignEscalation(s, id, assignee, clock::NowUnix()));
    return audit::Record(s, p, audit::kUpdate, "escalation", id, current.centre_id);
  }));
  return GetEscalation(p, id);
}

Result<Escalation> Service::MarkAnswersRead(const Principal& p, std::string_view id,
                                            std::optional<std::string> message_id) {
  auto current = FD_TRY(GetEscalation(p, id));
  if (!p.centre_id || *p.centre_id != current.centre_id) {
    return Fail(Error::Forbidden("Only the asking centre marks answers read."));
  }
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    if (message_id) {
      bool known = false;
      for (const auto& m : current.messages) known = known || (m.id == *message_id && m.author_role == "competence_centre");
      if (!known) return Fail(Error::Invalid("message_id", "is not an answer of this escalation"));
    }
    FD_TRY_VOID(store_.MarkAnswersRead(s, id, p.user_id, message_id));
    return audit::Record(s, p, audit::kUpdate, "escalation", id, current.centre_id);
  }));
  return GetEscalation(p, id);
}

// ---- Retention, export, erasure ----

Result<RetentionReport> Service::RunRetention(bool dry_run, const std::function<bool()>& proceed) {
  RetentionReport report;
  report.dry_run = dry_run;
  auto today = Date::Parse(Today());
  const int years = FD_TRY(Retention()).years;  // the admins' setting, else --retention-years
  auto cutoff = today ? today->AddYears(-years) : Date::FromDaysSinceEpoch(0);
  report.closed_before = cutoff.ToString();
  // One transaction per batch of at most kBatch cases, not one for the whole run: a long run must
  // not hold the single writer (SQLite) or one huge transaction (PostgreSQL), and it can stop
  // between two batches (`proceed`) with everything before committed. Each batch checks its
  // cases again, since they may have changed after the list was read. A run that stopped leaves
  // the rest due: the next run reads the list anew and goes on where this one ended.
  constexpr std::size_t kBatch = 50;
  std::vector<std::string> due;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    due = FD_TRY(store_.CaseIdsClosedBefore(s, report.closed_before));
    return {};
  }));
  if (dry_run) {
    report.case_ids = std::move(due);
    return report;
  }
  const auto go_on = [&] {
    if (!proceed || proceed()) return true;
    report.stopped = true;
    return false;
  };
  for (std::size_t at = 0; at < due.size(); at += kBatch) {
    if (!go_on()) return report;
    std::vector<std::string> done;
    FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
      done.clear();
      for (std::size_t i = at; i < std::min(due.size(), at + kBatch); ++i) {
        auto c = FD_TRY(store_.FindCase(s, due[i]));
        if (!c || c->anonymised_at || c->status != "closed") continue;
        FD_TRY_VOID(store_.AnonymiseCase(s, c->id));
        for (const auto& erase : erasers_) FD_TRY_VOID(erase(s, c->id));
        FD_TRY_VOID(audit::RecordSystem(s, audit::kErase, "case", c->id, c->centre_id));
        done.push_back(c->id);
      }
      return {};
    }));
    for (auto& id : done) report.case_ids.push_back(std::move(id));
  }
  // Clients registered before the cutoff with no case left that is not anonymised: those whose
  // cases all went above, and those who never had a case. One query per batch, no N+1.
  const std::int64_t created_before = cutoff.DaysSinceEpoch() * 86400;
  for (;;) {
    if (!go_on()) return report;
    std::size_t done = 0;
    FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
      auto clients = FD_TRY(store_.ClientsDueForAnonymisation(s, created_before, static_cast<int>(kBatch)));
      done = clients.size();
      for (auto& client : clients) {
        // Statistical facts (nationality, birth year, gender, sector, employment status, residence
        // status, abroad) stay.
        client.personal = {};
        client.employer.reset();
        client.anonymised_at = clock::NowUnix();
        FD_TRY_VOID(store_.UpdateClient(s, client));
        FD_TRY_VOID(store_.ReplaceSearchHashes(s, client.id, {}));
        FD_TRY_VOID(audit::RecordSystem(s, audit::kErase, "client", client.id, client.centre_id));
      }
      return {};
    }));
    report.clients_anonymised += done;
    if (done < kBatch) break;
  }
  if (auto st = db_.Checkpoint(); !st) log::Warn("checkpoint_failed", {{"internal", st.error().internal}});
  return report;
}

Result<ClientExport> Service::ExportClient(const Principal& p, std::string_view id) {
  Client client;
  std::vector<CaseDetail> cases;
  std::vector<std::vector<Transfer>> transfers;
  std::vector<json::object> extra;  // per case: what other modules (documents) export
  std::vector<ExportFile> files;
  // One read snapshot for every record (issue 8 #4: no write transaction held while the export
  // is assembled; the documents' content is read later, one at a time, while it is sent).
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
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
      for (const auto& add : exporters_) FD_TRY_VOID(add(s, c.id, more, files));
      extra.push_back(std::move(more));
      cases.push_back(std::move(d));
    }
    return {};
  }));
  // Recorded before anything is sent; if the audit log cannot be written, nothing is.
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    return audit::Record(s, p, audit::kExport, "client", client.id, client.centre_id);
  }));
  client = FD_TRY(Open(std::move(client)));
  for (auto& d : cases) {
    d.c.narrative = FD_TRY(OpenField(d.c.narrative, "cases", "narrative_enc", d.c.id));
    FD_TRY_VOID(OpenEmployment(d.c));
    for (auto& c : d.consultations) {
      c.notes = FD_TRY(OpenField(c.notes, "consultations", "notes_enc", c.id));
      c = FD_TRY(OpenMarks(std::move(c), "consultations"));
    }
    for (auto& x : d.deadlines) {
      x.note = FD_TRY(OpenField(x.note, "deadlines", "note_enc", x.id));
      x = FD_TRY(OpenMarks(std::move(x), "deadlines"));
    }
    for (auto& r : d.referrals) {
      r.note = FD_TRY(OpenField(r.note, "referrals", "note_enc", r.id));
      r = FD_TRY(OpenMarks(std::move(r), "referrals"));
    }
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
  return ClientExport{std::move(out), std::move(files)};
}

Status Service::EraseClient(const Principal& p, std::string_view id) {
  FD_TRY_VOID(EraseClientRecords(p, id));
  // Erased values must not linger in the write-ahead log (issue 8 #15).
  if (auto st = db_.Checkpoint(); !st) log::Warn("checkpoint_failed", {{"internal", st.error().internal}});
  return {};
}

Status Service::EraseClientRecords(const Principal& p, std::string_view id) {
  return db_.Write([&](db::Session& s) -> Status {
    Client client = FD_TRY(LoadClient(s, p, id));
    for (const auto& c : FD_TRY(store_.CasesOfClient(s, client.id))) {
      FD_TRY_VOID(store_.AnonymiseCase(s, c.id));
      for (const auto& erase : erasers_) FD_TRY_VOID(erase(s, c.id));
      Case k = c;
      k.client_id.clear();
      k.assignee_id.reset();
      k.narrative.reset();
      k.employment.reset();
      k.employment_sealed.reset();
      k.anonymised_at = clock::NowUnix();
      FD_TRY_VOID(store_.UpdateCase(s, k, k.number));
      FD_TRY_VOID(audit::Record(s, p, audit::kErase, "case", c.id, c.centre_id));
    }
    FD_TRY_VOID(store_.DeleteClient(s, client.id));
    return audit::Record(s, p, audit::kErase, "client", client.id, client.centre_id);
  });
}

}  // namespace fairdesk::cases
