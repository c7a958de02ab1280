#include "cases/routes.hpp"

#include "cases/json.hpp"
#include "cases/reference.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/core/json_input.hpp"

namespace fairdesk::cases {
namespace json = boost::json;
namespace {

const std::vector<Role> kCaseRoles = {Role::kAdvisor, Role::kCentreLead, Role::kCompetenceCentre};

enum class When { kAny, kPastOrToday };

// A date field: strict YYYY-MM-DD, and where only the past makes sense not after today.
std::optional<std::string> ReadDate(JsonReader& r, std::string_view key, Need need, When when) {
  auto v = r.String(key, need, 10, 0);
  if (!v) return v;
  auto d = Date::Parse(*v);
  if (!d || d->year() < 1900) {
    r.AddError(r.PathOf(key), "must be a date YYYY-MM-DD");
    return std::nullopt;
  }
  if (when == When::kPastOrToday && *v > clock::TodayIso()) {
    r.AddError(r.PathOf(key), "must not be in the future");
    return std::nullopt;
  }
  return v;
}

// Reads an optional text field that may be cleared with null (PATCH) or left out.
void ReadOptText(JsonReader& r, std::string_view key, std::size_t max_len, std::optional<std::string>& field) {
  if (r.IsNull(key)) {
    r.MarkRead(key);
    field.reset();
  } else if (auto v = r.String(key, Need::kOptional, max_len, 1)) {
    field = *v;
  }
}

Result<json::value> Body(const http::Request& req) { return ParseJsonBody(req.body); }

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

template <typename T, typename F>
json::object ListJson(const std::vector<T>& list, F to_json) {
  json::array items;
  for (const auto& i : list) items.push_back(to_json(i));
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

// ---- Clients ----

Status ReadClient(const json::value& body, Client& c, bool create) {
  JsonReader r(body);
  if (r.IsNull("nationality")) {
    r.MarkRead("nationality");
    c.nationality.reset();
  } else if (auto v = r.String("nationality", Need::kOptional, 2, 2)) {
    if (!IsCountryCode(*v)) r.AddError("nationality", "must be an ISO 3166-1 alpha-2 country code (upper case)");
    c.nationality = *v;
  }
  if (r.IsNull("birth_year")) {
    r.MarkRead("birth_year");
    c.birth_year.reset();
  } else if (auto v = r.Int("birth_year", Need::kOptional, 1900, std::stoi(clock::TodayIso().substr(0, 4)))) {
    c.birth_year = *v;
  }
  if (auto v = r.Enum("gender", Need::kOptional, kGenders)) c.gender = *v;
  if (auto v = r.StringArray("languages", Need::kOptional, 20, 3)) {
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!IsLanguageCode((*v)[i])) r.AddError("languages[" + std::to_string(i) + "]", "must be an ISO 639 code");
    }
    c.languages = *v;
  }
  if (r.IsNull("employment_status")) {
    r.MarkRead("employment_status");
    c.employment_status.reset();
  } else if (auto v = r.Enum("employment_status", Need::kOptional, kEmploymentStatuses)) {
    c.employment_status = *v;
  }
  if (r.IsNull("sector")) {
    r.MarkRead("sector");
    c.sector.reset();
  } else if (auto v = r.String("sector", Need::kOptional, 1, 1)) {
    if (!IsWzSection(*v)) r.AddError("sector", "must be a WZ 2008 section letter A to U");
    c.sector = *v;
  }
  ReadOptText(r, "employer", 200, c.employer);
  if (auto k = r.Object("consents", Need::kOptional)) {
    if (auto v = k->Bool("storage", Need::kOptional)) c.consents.storage = *v;
    if (auto v = k->Bool("contact", Need::kOptional)) c.consents.contact = *v;
    if (auto v = k->Bool("anonymised_use", Need::kOptional)) c.consents.anonymised_use = *v;
    if (auto v = ReadDate(*k, "date", Need::kOptional, When::kPastOrToday)) c.consents.date = *v;
    k->CheckUnknown();
    if ((c.consents.storage || c.consents.contact || c.consents.anonymised_use) && !c.consents.date && r.Ok()) {
      r.AddError("consents.date", "is required when a consent is given");
    }
  }
  ReadOptText(r, "name", 200, c.personal.name);
  ReadOptText(r, "phone", 50, c.personal.phone);
  if (c.personal.phone &&
      !std::all_of(c.personal.phone->begin(), c.personal.phone->end(),
                   [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) || ch == '+' || ch == ' ' || ch == '-' || ch == '/' || ch == '(' || ch == ')'; })) {
    r.AddError("phone", "may contain only digits, spaces and + - / ( )");
  }
  ReadOptText(r, "email", 254, c.personal.email);
  if (c.personal.email && c.personal.email->find('@') == std::string::npos) r.AddError("email", "must be an e-mail address");
  ReadOptText(r, "address", 500, c.personal.address);
  ReadOptText(r, "safe_contact", 2000, c.personal.safe_contact);
  (void)create;
  return r.Finish();
}

json::value ClientSchema() {
  return json::parse(R"({"type":"object","properties":{"nationality":{"type":["string","null"]},
    "birth_year":{"type":["integer","null"]},"gender":{"enum":["female","male","diverse","unspecified"]},
    "languages":{"type":"array","items":{"type":"string"}},"employment_status":{"type":["string","null"]},
    "sector":{"type":["string","null"]},"employer":{"type":["string","null"]},
    "consents":{"type":"object","properties":{"storage":{"type":"boolean"},"contact":{"type":"boolean"},
    "anonymised_use":{"type":"boolean"},"date":{"type":"string","format":"date"}}},
    "name":{"type":["string","null"]},"phone":{"type":["string","null"]},"email":{"type":["string","null"]},
    "address":{"type":["string","null"]},"safe_contact":{"type":["string","null"]}},"additionalProperties":false})");
}

// ---- Cases ----

Status ReadOutcome(JsonReader& r, Case& c) {
  if (r.IsNull("outcome")) {
    r.MarkRead("outcome");
    c.outcome.reset();
    return {};
  }
  if (auto o = r.Object("outcome", Need::kOptional)) {
    Outcome out;
    if (auto v = o->Int("wages_recovered_cents", Need::kOptional, 0, kMaxWagesRecoveredCents)) out.wages_recovered_cents = *v;
    if (auto v = o->Bool("claim_filed", Need::kOptional)) out.claim_filed = *v;
    if (auto v = o->Bool("settled", Need::kOptional)) out.settled = *v;
    if (auto v = o->Bool("referred", Need::kOptional)) out.referred = *v;
    if (auto v = o->Bool("no_further_action", Need::kOptional)) out.no_further_action = *v;
    o->CheckUnknown();
    c.outcome = out;
  }
  return {};
}

Status ReadCaseFields(JsonReader& r, Case& c, bool create) {
  if (auto v = r.StringArray("topics", create ? Need::kRequired : Need::kOptional, 16, 40)) {
    if (v->empty()) r.AddError("topics", "must name at least one topic");
    c.topics = *v;
  }
  if (auto v = r.Enum("priority", Need::kOptional, kPriorities)) c.priority = *v;
  if (auto v = r.EnumArray("risk_flags", Need::kOptional, kRiskFlags, std::size(kRiskFlags))) c.risk_flags = *v;
  if (r.IsNull("assignee_id")) {
    r.MarkRead("assignee_id");
    c.assignee_id.reset();
  } else if (auto v = r.String("assignee_id", Need::kOptional, 64, 1)) {
    c.assignee_id = *v;
  }
  return {};
}

json::value CaseSchema(bool create) {
  std::string s = R"({"type":"object",)";
  if (create) s += R"("required":["client_id","topics"],)";
  s += R"("properties":{)";
  if (create) s += R"("client_id":{"type":"string"},)";
  s += R"("topics":{"type":"array","items":{"type":"string"}},"priority":{"enum":["low","normal","high","urgent"]},
    "risk_flags":{"type":"array","items":{"enum":["exploitation_indicators","employer_tied_housing","threats","undeclared_work"]}},
    "assignee_id":{"type":["string","null"]})";
  if (!create) {
    s += R"(,"status":{"enum":["open","waiting","referred","closed"]},
      "outcome":{"type":["object","null"],"properties":{"wages_recovered_cents":{"type":"integer","minimum":0},
      "claim_filed":{"type":"boolean"},"settled":{"type":"boolean"},"referred":{"type":"boolean"},
      "no_further_action":{"type":"boolean"}}},"closing_reason":{"type":["string","null"]})";
  }
  s += R"(},"additionalProperties":false})";
  return json::parse(s);
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

bool SeesCase(const Principal& p, const Escalation& e) { return p.centre_id && *p.centre_id == e.centre_id; }

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  using http::Access;
  Service* svc = &service;

  // ---- Topics and routing ----
  auto& topics = router.Get("/api/v1/topics", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->Topics());
    return http::Response::Json(ListJson(list, [](const Topic& t) { return ToJson(t); }));
  });
  topics.access = Access::kPublic;
  topics.doc = {"Topics of the case-work taxonomy (codes, labels de/en, in scope or not)", "cases"};

  auto& rules = router.Get("/api/v1/routing-rules", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->RoutingRules());
    return http::Response::Json(ListJson(list, [](const RoutingRule& r) { return ToJson(r); }));
  });
  rules.roles = kCaseRoles;
  rules.doc = {"Intake routing rules, in evaluation order", "cases"};

  auto& put_rules = router.Put("/api/v1/routing-rules", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    std::vector<RoutingRule> list;
    if (const auto* arr = r.Array("rules", Need::kRequired, 200)) {
      for (std::size_t i = 0; i < arr->size(); ++i) {
        JsonReader x((*arr)[i], "rules[" + std::to_string(i) + "]", r.Errors());
        RoutingRule rule;
        if (auto v = x.String("id", Need::kRequired, 64, 1)) rule.id = *v;
        if (auto v = x.Enum("nationality", Need::kOptional, kNationalityGroups)) rule.nationality = *v;
        if (auto v = x.StringArray("topics", Need::kOptional, 30, 40)) rule.topics = *v;
        if (auto v = x.Bool("in_scope_topics", Need::kOptional)) rule.in_scope_topics = *v;
        if (auto v = x.EnumArray("flags", Need::kOptional, kRiskFlags, std::size(kRiskFlags))) rule.flags = *v;
        if (auto v = x.Enum("target", Need::kRequired, kRoutingTargets)) rule.target = *v;
        ReadOptText(x, "organisation_id", 64, rule.organisation_id);
        if (auto v = x.Bool("stop", Need::kOptional)) rule.stop = *v;
        if (auto v = x.Bool("enabled", Need::kOptional)) rule.enabled = *v;
        if (auto reason = x.Object("reason", Need::kRequired)) {
          if (auto v = reason->String("de", Need::kRequired, 1000, 1)) rule.reason_de = *v;
          if (auto v = reason->String("en", Need::kRequired, 1000, 1)) rule.reason_en = *v;
          reason->CheckUnknown();
        }
        x.CheckUnknown();
        list.push_back(std::move(rule));
      }
    }
    FD_TRY_VOID(r.Finish());
    FD_TRY_VOID(svc->ReplaceRoutingRules(req.User(), list));
    auto stored = FD_TRY(svc->RoutingRules());
    return http::Response::Json(ListJson(stored, [](const RoutingRule& x) { return ToJson(x); }));
  });
  put_rules.roles = {Role::kCompetenceCentre};
  put_rules.doc = {"Replace the routing rules (competence centre)", "cases",
                   json::parse(R"({"type":"object","required":["rules"],"properties":{"rules":{"type":"array",
                     "items":{"type":"object","required":["id","target","reason"],"properties":{"id":{"type":"string"},
                     "nationality":{"enum":["any","eu_eea_ch","third_country"]},"topics":{"type":"array"},
                     "in_scope_topics":{"type":"boolean"},"flags":{"type":"array"},"target":{"type":"string"},
                     "organisation_id":{"type":["string","null"]},"stop":{"type":"boolean"},"enabled":{"type":"boolean"},
                     "reason":{"type":"object","properties":{"de":{"type":"string"},"en":{"type":"string"}}}}}}}})")};

  auto& route = router.Post("/api/v1/intake/route", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    IntakeInput in;
    if (auto v = r.String("nationality", Need::kRequired, 2, 2)) {
      if (!IsCountryCode(*v)) r.AddError("nationality", "must be an ISO 3166-1 alpha-2 country code (upper case)");
      in.nationality = *v;
    }
    if (auto v = r.StringArray("topics", Need::kRequired, 16, 40)) {
      if (v->empty()) r.AddError("topics", "must name at least one topic");
      in.topics = *v;
    }
    if (r.IsNull("postcode")) {
      r.MarkRead("postcode");
    } else if (auto v = r.String("postcode", Need::kOptional, 5, 5)) {
      if (!IsPostcode(*v)) r.AddError("postcode", "must be five digits");
      in.postcode = *v;
    }
    if (auto v = r.EnumArray("flags", Need::kOptional, kRiskFlags, std::size(kRiskFlags))) in.flags = *v;
    FD_TRY_VOID(r.Finish());
    auto suggestions = FD_TRY(svc->RouteIntake(in));
    json::array a;
    std::string lang = req.User().language == "en" ? "en" : "de";
    for (const auto& s : suggestions) a.push_back(ToJson(s, lang));
    return http::Response::Json(json::object{{"suggestions", std::move(a)}});
  });
  route.roles = kCaseRoles;
  route.doc = {"Who is responsible: routing suggestions from nationality, topics and postcode", "cases",
               json::parse(R"({"type":"object","required":["nationality","topics"],"properties":{
                 "nationality":{"type":"string"},"topics":{"type":"array","items":{"type":"string"}},
                 "postcode":{"type":["string","null"]},"flags":{"type":"array","items":{"type":"string"}}},
                 "additionalProperties":false})")};

  // ---- Clients ----
  auto& create_client = router.Post("/api/v1/clients", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    Client c;
    FD_TRY_VOID(ReadClient(body, c, true));
    auto created = FD_TRY(svc->CreateClient(req.User(), std::move(c)));
    return http::Response::Json(ToJson(created, true), 201);
  });
  create_client.roles = kCaseRoles;
  create_client.doc = {"Register a client (pseudonymous; name and contact optional, encrypted)", "clients",
                       ClientSchema(), nullptr, {}, 201};

  auto& clients = router.Get("/api/v1/clients", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {"q", "limit", "cursor"}));
    int limit = FD_TRY(ReadLimit(req));
    auto q = req.Query("q");
    if (q && q->size() > 100) return Fail(Error::Invalid("q", "must be at most 100 characters"));
    auto page = FD_TRY(svc->ListClients(req.User(), q, limit, req.Query("cursor")));
    return http::Response::Json(
        PageJson<Client>(page, [](const Client& c) { return ToJson(c, false); }));
  });
  clients.roles = kCaseRoles;
  clients.doc = {"Clients of the caller's centre (q: client code)", "clients", nullptr, nullptr, {"q", "limit", "cursor"}};

  auto& client = router.Get("/api/v1/clients/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    return http::Response::Json(ToJson(FD_TRY(svc->GetClient(req.User(), req.Param("id"))), true));
  });
  client.roles = kCaseRoles;
  client.doc = {"One client with decrypted contact data (audited)", "clients"};

  auto& patch_client = router.Patch("/api/v1/clients/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    auto updated = FD_TRY(svc->UpdateClient(req.User(), req.Param("id"),
                                            [&](Client& c) { return ReadClient(body, c, false); }));
    return http::Response::Json(ToJson(updated, true));
  });
  patch_client.roles = kCaseRoles;
  patch_client.doc = {"Change a client (null clears an optional field)", "clients", ClientSchema()};

  auto& export_client = router.Get("/api/v1/clients/{id}/export", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto out = FD_TRY(svc->ExportClient(req.User(), req.Param("id")));
    return http::Response::Json(out).With("Content-Disposition", "attachment; filename=\"client-export.json\"");
  });
  export_client.roles = kCaseRoles;
  export_client.doc = {"Data-subject export: everything stored about a client", "clients"};

  auto& erase_client = router.Delete("/api/v1/clients/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(svc->EraseClient(req.User(), req.Param("id")));
    return http::Response::NoContent();
  });
  erase_client.roles = kCaseRoles;
  erase_client.doc = {"Erasure on request: the client's data is deleted, the cases anonymised", "clients", nullptr,
                      nullptr, {}, 204};

  // ---- Cases ----
  auto& create_case = router.Post("/api/v1/cases", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    Case c;
    if (auto v = r.String("client_id", Need::kRequired, 64, 1)) c.client_id = *v;
    FD_TRY_VOID(ReadCaseFields(r, c, true));
    FD_TRY_VOID(r.Finish());
    auto created = FD_TRY(svc->CreateCase(req.User(), std::move(c)));
    return http::Response::Json(ToJson(created), 201);
  });
  create_case.roles = kCaseRoles;
  create_case.doc = {"Open a case for a client", "cases", CaseSchema(true), nullptr, {}, 201};

  auto& cases = router.Get("/api/v1/cases", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {"status", "topic", "assignee", "q", "limit", "cursor"}));
    CaseFilter f;
    f.limit = FD_TRY(ReadLimit(req));
    std::vector<FieldError> errors;
    if (auto v = req.Query("status"); v && !v->empty()) {
      if (!Contains(kCaseStatuses, *v)) errors.push_back({"status", "must be open, waiting, referred or closed"});
      f.status = *v;
    }
    if (auto v = req.Query("topic"); v && !v->empty()) {
      if (v->size() > 40) errors.push_back({"topic", "is not a topic code"});
      f.topic = *v;
    }
    if (auto v = req.Query("assignee"); v && !v->empty()) {
      if (v->size() > 64) errors.push_back({"assignee", "is not a user id"});
      f.assignee = *v;
    }
    if (auto v = req.Query("q"); v && !v->empty()) {
      if (v->size() > 100) errors.push_back({"q", "must be at most 100 characters"});
      f.q = *v;
    }
    f.cursor = req.Query("cursor");
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    auto page = FD_TRY(svc->ListCases(req.User(), f));
    return http::Response::Json(PageJson<Case>(page, [](const Case& c) { return ToJson(c); }));
  });
  cases.roles = kCaseRoles;
  cases.doc = {"Cases of the caller's centre (assignee=me for one's own)", "cases", nullptr, nullptr,
               {"status", "topic", "assignee", "q", "limit", "cursor"}};

  auto& get_case = router.Get("/api/v1/cases/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    return http::Response::Json(CaseDetailJson(FD_TRY(svc->GetCase(req.User(), req.Param("id")))));
  });
  get_case.roles = kCaseRoles;
  get_case.doc = {"One case with its timeline (audited)", "cases"};

  auto& patch_case = router.Patch("/api/v1/cases/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    auto updated = FD_TRY(svc->UpdateCase(req.User(), req.Param("id"), [&](Case& c) -> Status {
      JsonReader r(body);
      FD_TRY_VOID(ReadCaseFields(r, c, false));
      if (auto v = r.Enum("status", Need::kOptional, kCaseStatuses)) c.status = *v;
      FD_TRY_VOID(ReadOutcome(r, c));
      if (r.IsNull("closing_reason")) {
        r.MarkRead("closing_reason");
        c.closing_reason.reset();
      } else if (auto v = r.Enum("closing_reason", Need::kOptional, kClosingReasons)) {
        c.closing_reason = *v;
      }
      return r.Finish();
    }));
    return http::Response::Json(ToJson(updated));
  });
  patch_case.roles = kCaseRoles;
  patch_case.doc = {"Change a case: status, priority, assignee, risk flags, topics; closing with outcome", "cases",
                    CaseSchema(false)};

  auto& transfer = router.Post("/api/v1/cases/{id}/transfer", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    auto centre = r.String("centre_id", Need::kRequired, 64, 1);
    auto consent = ReadDate(r, "consent_date", Need::kRequired, When::kPastOrToday);
    FD_TRY_VOID(r.Finish());
    FD_TRY_VOID(svc->TransferCase(req.User(), req.Param("id"), *centre, *consent));
    return http::Response::Json(json::object{{"id", req.Param("id")}, {"centre_id", *centre}, {"transferred", true}});
  });
  transfer.roles = kCaseRoles;
  transfer.doc = {"Transfer a case (and its client) to another centre, with the client's consent", "cases",
                  json::parse(R"({"type":"object","required":["centre_id","consent_date"],"properties":{
                    "centre_id":{"type":"string"},"consent_date":{"type":"string","format":"date"}},
                    "additionalProperties":false})")};

  // ---- Consultations ----
  auto& add_consultation = router.Post("/api/v1/cases/{id}/consultations", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    Consultation c;
    if (auto v = ReadDate(r, "date", Need::kRequired, When::kPastOrToday)) c.date = *v;
    if (auto v = r.Int("duration_minutes", Need::kRequired, 1, 600)) c.duration_minutes = *v;
    if (auto v = r.Enum("channel", Need::kRequired, kChannels)) c.channel = *v;
    if (auto v = r.String("language", Need::kRequired, 3, 2)) {
      if (!IsLanguageCode(*v)) r.AddError("language", "must be an ISO 639 code");
      c.language = *v;
    }
    if (auto v = r.Bool("interpreter", Need::kOptional)) c.interpreter = *v;
    if (auto v = r.StringArray("topics", Need::kOptional, 16, 40)) c.topics = *v;
    if (auto v = r.Enum("kind", Need::kRequired, kConsultationKinds)) c.kind = *v;
    if (r.IsNull("notes")) r.MarkRead("notes");
    else if (auto v = r.String("notes", Need::kOptional, 20000)) {
      if (!v->empty()) c.notes = *v;
    }
    FD_TRY_VOID(r.Finish());
    auto created = FD_TRY(svc->AddConsultation(req.User(), req.Param("id"), std::move(c)));
    return http::Response::Json(ToJson(created), 201);
  });
  add_consultation.roles = kCaseRoles;
  add_consultation.doc = {"Record a consultation (notes encrypted)", "cases",
                          json::parse(R"({"type":"object","required":["date","duration_minutes","channel","language","kind"],
                            "properties":{"date":{"type":"string","format":"date"},"duration_minutes":{"type":"integer","minimum":1,"maximum":600},
                            "channel":{"enum":["in_person","phone","video","messenger","email","outreach"]},"language":{"type":"string"},
                            "interpreter":{"type":"boolean"},"topics":{"type":"array","items":{"type":"string"}},
                            "kind":{"enum":["preventive","acute"]},"notes":{"type":["string","null"],"maxLength":20000}},
                            "additionalProperties":false})"),
                          nullptr, {}, 201};

  auto& consultations = router.Get("/api/v1/cases/{id}/consultations", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->ListConsultations(req.User(), req.Param("id")));
    return http::Response::Json(ListJson(list, [](const Consultation& c) { return ToJson(c); }));
  });
  consultations.roles = kCaseRoles;
  consultations.doc = {"Consultations of a case", "cases"};

  // ---- Deadlines ----
  auto& add_deadline = router.Post("/api/v1/cases/{id}/deadlines", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    Deadline d;
    if (auto v = r.Enum("kind", Need::kRequired, kDeadlineKinds)) d.kind = *v;
    if (auto v = ReadDate(r, "due_date", Need::kRequired, When::kAny)) d.due_date = *v;
    ReadOptText(r, "note", 1000, d.note);
    if (auto v = r.Bool("done", Need::kOptional)) d.done = *v;
    std::optional<CalculatorSource> source;
    if (auto src = r.Object("source", Need::kOptional)) {
      auto calc = src->String("calculator", Need::kRequired, 64, 1);
      src->MarkRead("input");
      // `source` is caller input: not an object ("x", []) is a 422 the reader has already
      // recorded for `source`, never an exception from as_object().
      const json::value* in = nullptr;
      if (src->IsObject()) {
        if (const auto* o = body.if_object()) {
          if (const auto* s = o->if_contains("source"); s && s->is_object()) in = s->as_object().if_contains("input");
        }
        if (!in || !in->is_object()) src->AddError(src->PathOf("input"), "must be the calculator's input object");
      }
      src->CheckUnknown();
      if (calc && in && in->is_object()) source = CalculatorSource{*calc, *in};
    }
    FD_TRY_VOID(r.Finish());
    auto created = FD_TRY(svc->AddDeadline(req.User(), req.Param("id"), std::move(d), std::move(source)));
    return http::Response::Json(ToJson(created), 201);
  });
  add_deadline.roles = kCaseRoles;
  add_deadline.doc = {"Add a deadline; with `source` the server recomputes it with the calculator", "cases",
                      json::parse(R"({"type":"object","required":["kind","due_date"],"properties":{
                        "kind":{"type":"string"},"due_date":{"type":"string","format":"date"},"note":{"type":["string","null"]},
                        "done":{"type":"boolean"},"source":{"type":"object","properties":{"calculator":{"type":"string"},
                        "input":{"type":"object"}}}},"additionalProperties":false})"),
                      nullptr, {}, 201};

  auto& deadlines = router.Get("/api/v1/cases/{id}/deadlines", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->ListDeadlines(req.User(), req.Param("id")));
    return http::Response::Json(ListJson(list, [](const Deadline& d) { return ToJson(d); }));
  });
  deadlines.roles = kCaseRoles;
  deadlines.doc = {"Deadlines of a case", "cases"};

  auto& patch_deadline = router.Patch("/api/v1/deadlines/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    auto updated = FD_TRY(svc->UpdateDeadline(req.User(), req.Param("id"), [&](Deadline& d) -> Status {
      JsonReader r(body);
      if (auto v = r.Enum("kind", Need::kOptional, kDeadlineKinds)) d.kind = *v;
      if (auto v = ReadDate(r, "due_date", Need::kOptional, When::kAny)) d.due_date = *v;
      ReadOptText(r, "note", 1000, d.note);
      if (auto v = r.Bool("done", Need::kOptional)) d.done = *v;
      return r.Finish();
    }));
    return http::Response::Json(ToJson(updated));
  });
  patch_deadline.roles = kCaseRoles;
  patch_deadline.doc = {"Change a deadline or mark it done", "cases",
                        json::parse(R"({"type":"object","properties":{"kind":{"type":"string"},
                          "due_date":{"type":"string","format":"date"},"note":{"type":["string","null"]},
                          "done":{"type":"boolean"}},"additionalProperties":false})")};

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
    std::string today = clock::TodayIso();
    return http::Response::Json(ListJson(list, [&](const Deadline& d) {
      auto o = ToJson(d);
      o["overdue"] = d.due_date < today;
      return o;
    }));
  });
  due.roles = kCaseRoles;
  due.doc = {"Open deadlines of the caller's centre due within N days, and overdue ones (dashboard)", "cases", nullptr,
             nullptr, {"due_within_days", "mine"}};

  // ---- Referrals ----
  auto read_referral = [](JsonReader& r, Referral& x, bool create) {
    if (create) {
      if (auto v = r.Enum("target", Need::kRequired, kRoutingTargets)) x.target = *v;
      ReadOptText(r, "organisation_id", 64, x.organisation_id);
    }
    if (auto v = r.Enum("status", Need::kOptional, kReferralStatuses)) x.status = *v;
    if (auto v = r.Bool("client_consent", Need::kOptional)) x.client_consent = *v;
    if (r.IsNull("consent_date")) {
      r.MarkRead("consent_date");
      x.consent_date.reset();
    } else if (auto v = ReadDate(r, "consent_date", Need::kOptional, When::kPastOrToday)) {
      x.consent_date = *v;
    }
    ReadOptText(r, "note", 5000, x.note);
    if (x.client_consent && !x.consent_date && r.Ok()) r.AddError("consent_date", "is required with the client's consent");
  };
  auto& add_referral = router.Post("/api/v1/cases/{id}/referrals", [svc, read_referral](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    Referral x;
    read_referral(r, x, true);
    FD_TRY_VOID(r.Finish());
    auto created = FD_TRY(svc->AddReferral(req.User(), req.Param("id"), std::move(x)));
    return http::Response::Json(ToJson(created), 201);
  });
  add_referral.roles = kCaseRoles;
  add_referral.doc = {"Refer a case to a partner or another IQ service (consent needed from `made` on)", "cases",
                      json::parse(R"({"type":"object","required":["target"],"properties":{"target":{"type":"string"},
                        "organisation_id":{"type":["string","null"]},"status":{"enum":["suggested","made","confirmed","completed"]},
                        "client_consent":{"type":"boolean"},"consent_date":{"type":["string","null"],"format":"date"},
                        "note":{"type":["string","null"]}},"additionalProperties":false})"),
                      nullptr, {}, 201};

  auto& referrals = router.Get("/api/v1/cases/{id}/referrals", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto list = FD_TRY(svc->ListReferrals(req.User(), req.Param("id")));
    return http::Response::Json(ListJson(list, [](const Referral& x) { return ToJson(x); }));
  });
  referrals.roles = kCaseRoles;
  referrals.doc = {"Referrals of a case", "cases"};

  auto& patch_referral = router.Patch("/api/v1/cases/{id}/referrals/{referral_id}", [svc, read_referral](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    auto updated = FD_TRY(svc->UpdateReferral(req.User(), req.Param("id"), req.Param("referral_id"),
                                              [&](Referral& x) -> Status {
                                                JsonReader r(body);
                                                read_referral(r, x, false);
                                                return r.Finish();
                                              }));
    return http::Response::Json(ToJson(updated));
  });
  patch_referral.roles = kCaseRoles;
  patch_referral.doc = {"Change a referral's status, consent or hand-over note", "cases",
                        json::parse(R"({"type":"object","properties":{"status":{"type":"string"},
                          "client_consent":{"type":"boolean"},"consent_date":{"type":["string","null"]},
                          "note":{"type":["string","null"]}},"additionalProperties":false})")};

  // ---- Escalations ----
  auto& escalate = router.Post("/api/v1/cases/{id}/escalations", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    Escalation e;
    if (auto v = r.String("summary", Need::kRequired, 4000, 1)) e.summary = *v;
    if (auto v = r.String("question", Need::kRequired, 4000, 1)) e.question = *v;
    FD_TRY_VOID(r.Finish());
    auto created = FD_TRY(svc->CreateEscalation(req.User(), req.Param("id"), std::move(e)));
    return http::Response::Json(ToJson(created, true), 201);
  });
  escalate.roles = kCaseRoles;
  escalate.doc = {"Escalate a difficult case to the competence centre (anonymised summary and question)", "cases",
                  json::parse(R"({"type":"object","required":["summary","question"],"properties":{
                    "summary":{"type":"string","maxLength":4000},"question":{"type":"string","maxLength":4000}},
                    "additionalProperties":false})"),
                  nullptr, {}, 201};

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
  escalations.doc = {"Escalations: the competence centre sees all, centres their own", "cases", nullptr, nullptr,
                     {"status"}};

  auto& escalation = router.Get("/api/v1/escalations/{id}", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, {}));
    auto e = FD_TRY(svc->GetEscalation(req.User(), req.Param("id")));
    return http::Response::Json(ToJson(e, SeesCase(req.User(), e)));
  });
  escalation.roles = kCaseRoles;
  escalation.doc = {"One escalation with its thread", "cases"};

  auto& patch_escalation = router.Patch("/api/v1/escalations/{id}", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    auto status = r.Enum("status", Need::kRequired, kEscalationStatuses);
    FD_TRY_VOID(r.Finish());
    auto e = FD_TRY(svc->SetEscalationStatus(req.User(), req.Param("id"), *status));
    return http::Response::Json(ToJson(e, SeesCase(req.User(), e)));
  });
  patch_escalation.roles = kCaseRoles;
  patch_escalation.doc = {"Set an escalation's status", "cases",
                          json::parse(R"({"type":"object","required":["status"],"properties":{
                            "status":{"enum":["open","answered","closed"]}},"additionalProperties":false})")};

  auto& message = router.Post("/api/v1/escalations/{id}/messages", [svc](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(Body(req));
    JsonReader r(body);
    auto text = r.String("body", Need::kRequired, 10000, 1);
    FD_TRY_VOID(r.Finish());
    auto m = FD_TRY(svc->AddMessage(req.User(), req.Param("id"), *text));
    return http::Response::Json(ToJson(m), 201);
  });
  message.roles = kCaseRoles;
  message.doc = {"Add a message to an escalation's thread (an answer of the competence centre marks it answered)",
                 "cases",
                 json::parse(R"({"type":"object","required":["body"],"properties":{"body":{"type":"string",
                   "maxLength":10000}},"additionalProperties":false})"),
                 nullptr, {}, 201};
}

}  // namespace fairdesk::cases
