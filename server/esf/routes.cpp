// HTTP layer of the ESF Plus participant data: one body declaration per request body
// (platform/core/body.hpp), ETag/If-Match on the record (a stale tag is 412), and the indicator
// table as JSON or CSV.

#include <boost/json.hpp>

#include <algorithm>
#include <span>

#include "esf/esf.hpp"
#include "platform/core/body.hpp"
#include "platform/core/clock.hpp"
#include "platform/http/conditional.hpp"
#include "platform/http/problem.hpp"
#include "stats/export.hpp"
#include "stats/stats.hpp"

namespace fairdesk::esf {
namespace json = boost::json;
namespace {

const body::Body<Participant> kParticipantBody =
    body::Body<Participant>()
        .Date("entry_date", &Participant::entry_date, Need::kRequired, {.when = body::When::kPastOrToday})
        .Enum("gender", &Participant::gender, Need::kRequired, kGenders)
        .Int("birth_year", &Participant::birth_year, Need::kRequired, {.min = 1900, .max = 2100})
        .Enum("employment_status", &Participant::employment_status, Need::kRequired, kEmployment)
        .Enum("education", &Participant::education, Need::kRequired, kEducation)
        .Enum("third_country_national", &Participant::third_country_national, Need::kRequired, kYesNo)
        .Enum("foreign_background", &Participant::foreign_background, Need::kRequired, kYesNo)
        .Enum("homeless", &Participant::homeless, Need::kRequired, kYesNo)
        .Enum("rural", &Participant::rural, Need::kRequired, kYesNo)
        .Enum("disability", &Participant::disability, Need::kRequired, kSpecialAnswers)
        .Enum("minority", &Participant::minority, Need::kRequired, kSpecialAnswers)
        .Date("exit_date", &Participant::exit_date, Need::kOptional, {.when = body::When::kPastOrToday})
        .Enum("exit_status", &Participant::exit_status, Need::kOptional, kExitStatus)
        .Enum("qualification", &Participant::qualification, Need::kOptional, kYesNo)
        .Enum("long_term_status", &Participant::long_term_status, Need::kOptional, kLongTermStatus);

json::value Opt(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::value FigureJson(const Figure& f) { return f.value ? json::value(*f.value) : json::value(nullptr); }

json::object TableJson(const IndicatorTable& t) {
  json::array rows;
  for (const auto& r : t.rows) {
    json::object by_gender;
    for (std::size_t j = 0; j < std::size(kGenders); ++j) {
      by_gender[kGenders[j]] = json::object{{"value", FigureJson(r.by_gender[j])}, {"suppressed", r.by_gender[j].suppressed}};
    }
    rows.push_back(json::object{{"code", r.code},
                                {"label_de", r.label_de},
                                {"label_en", r.label_en},
                                {"by_gender", std::move(by_gender)},
                                {"total", json::object{{"value", FigureJson(r.total)}, {"suppressed", r.total.suppressed}}}});
  }
  return json::object{{"from", t.from},
                      {"to", t.to},
                      {"protected", t.protected_},
                      {"state", Opt(t.state)},
                      {"centre", Opt(t.centre)},
                      {"closed_period", stats::FrozenJson(t.frozen)},
                      {"genders", json::array(std::begin(kGenders), std::end(kGenders))},
                      {"rows", std::move(rows)}};
}


Status CheckQuery(const http::Request& req, std::span<const std::string_view> allowed = {}) {
  std::vector<FieldError> errors;
  for (const auto& [k, v] : req.query) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      errors.push_back({k.size() <= 40 ? k : std::string("query"), "unknown query parameter"});
    } else if (req.query.count(k) > 1) {
      errors.push_back({k, "given more than once"});
    }
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

http::Response WithETag(http::Response r, const Participant& p) {
  r.headers.emplace_back("ETag", MakeETag(p));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// A CSV field: safe against formula injection, quoted where it holds the delimiter, a quote or a
// line break.
std::string CsvField(std::string_view s, char d) {
  std::string v = stats::SafeText(s);
  if (v.find_first_of(std::string("\"\r\n") + d) == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The columns of the record export, in order: name and the value of a row.
struct RecordColumn {
  std::string_view name;
  std::string (*value)(const RecordRow&);
};
const RecordColumn kRecordColumns[] = {
    {"pseudonym", [](const RecordRow& r) { return r.pseudonym; }},
    {"entry_month", [](const RecordRow& r) { return r.facts.entry_month; }},
    {"exit_month", [](const RecordRow& r) { return r.facts.exit_month.value_or(""); }},
    {"gender", [](const RecordRow& r) { return r.facts.gender; }},
    {"age_band", [](const RecordRow& r) { return r.facts.age_band; }},
    {"employment_status", [](const RecordRow& r) { return r.facts.employment_status; }},
    {"education", [](const RecordRow& r) { return r.facts.education; }},
    {"third_country_national", [](const RecordRow& r) { return r.facts.third_country_national; }},
    {"foreign_background", [](const RecordRow& r) { return r.facts.foreign_background; }},
    {"homeless", [](const RecordRow& r) { return r.facts.homeless; }},
    {"rural", [](const RecordRow& r) { return r.facts.rural; }},
    {"disability", [](const RecordRow& r) { return r.facts.disability; }},
    {"minority", [](const RecordRow& r) { return r.facts.minority; }},
    {"exit_status", [](const RecordRow& r) { return r.facts.exit_status.value_or(""); }},
    {"qualification", [](const RecordRow& r) { return r.facts.qualification.value_or(""); }},
    {"long_term_status", [](const RecordRow& r) { return r.facts.long_term_status.value_or(""); }},
};

// Query parameters from and to as months (both required).
void ReadPeriod(const http::Request& req, YearMonth& from, YearMonth& to, std::vector<FieldError>& errors) {
  for (auto [name, field] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    auto v = req.Query(name);
    std::optional<YearMonth> ym;
    if (v && v->size() == 7) ym = YearMonth::Parse(*v);
    if (!v || v->empty()) errors.push_back({name, "is required"});
    else if (!ym) errors.push_back({name, "must be a month YYYY-MM"});
    else *field = *ym;
  }
}

constexpr std::string_view kRecordParams[] = {"from", "to", "format", "delimiter"};
constexpr std::string_view kIndicatorParams[] = {"from",   "to",        "state", "centre",
                                                 "format", "delimiter", "lang",  "revision"};

}  // namespace

std::array<std::string_view, 7> IndicatorHeads(std::string_view lang) {
  static_assert(std::size(kGenders) == 4, "one column per gender");
  if (lang == "de") return {"Code", "Indikator", "Frauen", "Männer", "nicht-binär", "ohne Angabe", "Insgesamt"};
  return {"code", "indicator", "women", "men", "non-binary", "not stated", "total"};
}

std::string IndicatorsCsv(const IndicatorTable& t, char d, std::string_view lang) {
  const bool de = lang == "de";
  auto field = [d](std::string_view s) { return CsvField(s, d); };
  auto value = [](const Figure& f) {
    return f.suppressed ? std::string(stats::kSuppressedMark) : std::to_string(f.value.value_or(0));
  };
  const std::string sep(1, d);
  std::string out = "\xEF\xBB\xBF";
  const auto heads = IndicatorHeads(lang);
  for (std::size_t c = 0; c < heads.size(); ++c) out += (c ? sep : std::string()) + field(heads[c]);
  out += "\r\n";
  for (const auto& r : t.rows) {
    out += field(r.code) + sep + field(de ? r.label_de : r.label_en);
    for (const auto& f : r.by_gender) out += sep + value(f);
    out += sep + value(r.total) + "\r\n";
  }
  return out;
}

void RegisterRoutes(http::Router& router, Service& service) {
  Service* svc = &service;
  const std::vector<Role> case_roles = {Role::kAdvisor, Role::kCentreLead, Role::kCompetenceCentre};
  // The reporting endpoints take every signed-in role and answer 403 with a reason in the service.
  const std::vector<Role> every_role = {Role::kAdvisor,          Role::kCentreLead, Role::kStateCoordinator,
                                        Role::kCompetenceCentre, Role::kProgramme,  Role::kAdmin};

  auto& get = router.Get("/api/v1/cases/{id}/esf", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req));
    auto view = FD_TRY(svc->Get(req.User(), req.Param("id")));
    json::object o{{"case_id", req.Param("id")},
                   {"consultations", view.consultations},
                   {"min_consultations", kMinConsultations},
                   {"eligible", view.eligible},
                   {"participant", view.participant ? json::value(ToJson(*view.participant)) : json::value(nullptr)}};
    auto res = http::Response::Json(std::move(o));
    if (view.participant) return WithETag(std::move(res), *view.participant);
    return res;
  });
  get.roles = case_roles;
  get.doc = {"The ESF Plus participant record of a case (advisors and centre leads of the owning centre; audited "
             "read): whether the client can be recorded (at least 2 consultations: short one-off advice is not a "
             "participation) and the record or null; ETag of the record",
             "esf"};

  auto& create = router.Post("/api/v1/cases/{id}/esf", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req));
    auto in = FD_TRY(kParticipantBody.Parse(req.body));
    auto created = FD_TRY(svc->Create(req.User(), req.Param("id"), std::move(in)));
    return WithETag(http::Response::Json(ToJson(created), 201), created);
  });
  create.roles = case_roles;
  create.doc = {"Record a client's entry as an ESF Plus participant (Annex I items of Regulation (EU) 2021/1057; "
                "disability and minority may be answered \"refused\"; birth year, disability and minority sealed). "
                "422 on the field consultations for short one-off advice; 409 when the case has a record",
                "esf", kParticipantBody.Schema(), nullptr, {}, 201};

  auto& patch = router.Patch("/api/v1/cases/{id}/esf", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req));
    auto json_body = FD_TRY(ParseJsonBody(req.body));
    // Checked once before the transaction, so that bad input answers without touching anything.
    Participant probe;
    probe.entry_date = "2021-01-01";
    FD_TRY_VOID(kParticipantBody.Apply(json_body, probe));
    auto updated = FD_TRY(svc->Update(req.User(), req.Param("id"), http::IfMatchTags(req), [&](Participant& p) -> Status {
      FD_TRY_VOID(kParticipantBody.Apply(json_body, p));
      return {};
    }));
    return WithETag(http::Response::Json(ToJson(updated)), updated);
  });
  patch.roles = case_roles;
  patch.doc = {"Correct the ESF Plus record or record the exit (exit_date, exit_status, qualification; "
               "long_term_status six months after leaving); only the fields sent change, null clears an exit field. "
               "If-Match with the ETag: a stale one is 412. Audited",
               "esf", kParticipantBody.Schema(body::Mode::kPatch)};

  auto& indicators = router.Get("/api/v1/esf/indicators", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, kIndicatorParams));
    IndicatorRequest r;
    std::vector<FieldError> errors;
    ReadPeriod(req, r.from, r.to, errors);
    if (auto v = req.Query("state"); v && !v->empty()) {
      if (std::find(std::begin(stats::kStates), std::end(stats::kStates), *v) == std::end(stats::kStates)) {
        errors.push_back({"state", "is not a federal state code such as BE or NW"});
      } else {
        r.state = *v;
      }
    }
    if (auto v = req.Query("centre"); v && !v->empty()) {
      if (v->size() > 100) errors.push_back({"centre", "is not a centre you can report on"});
      else r.centre = *v;
    }
    if (auto v = req.Query("revision"); v && !v->empty()) {
      if (v->size() > 4 || !std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; })) {
        errors.push_back({"revision", "must be a revision number 0, 1, 2, ..."});
      } else {
        r.revision = std::stoi(*v);
      }
    }
    std::string format = req.Query("format").value_or("json");
    if (format != "json" && format != "csv" && format != "xlsx") errors.push_back({"format", "must be json, csv or xlsx"});
    std::string delimiter = req.Query("delimiter").value_or("comma");
    if (delimiter != "comma" && delimiter != "semicolon") errors.push_back({"delimiter", "must be comma or semicolon"});
    std::string lang = req.Query("lang").value_or("de");
    if (lang != "de" && lang != "en") errors.push_back({"lang", "must be de or en"});
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    auto t = FD_TRY(svc->Indicators(req.User(), r));
    if (format == "csv") {
      http::Response res{200, "text/csv; charset=utf-8", {}, IndicatorsCsv(t, delimiter == "semicolon" ? ';' : ',', lang)};
      res.With("Content-Disposition", "attachment; filename=\"fairdesk-esf-indicators-" + t.from + "-" + t.to + ".csv\"");
      return res;
    }
    if (format == "xlsx") {
      auto bytes = FD_TRY(IndicatorsXlsx(t, lang));
      http::Response res{200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {}, std::move(bytes)};
      res.With("Content-Disposition", "attachment; filename=\"fairdesk-esf-indicators-" + t.from + "-" + t.to + ".xlsx\"");
      return res;
    }
    return http::Response::Json(TableJson(t));
  });
  indicators.slow = true;
  indicators.roles = every_role;
  indicators.doc = {"ESF Plus common output and result indicators of a period by gender (entries and leavers of "
                    "the months from..to): centre lead own centre exact; the Competence Centre exact for its own centre "
                    "(centre=its id); state coordinator own state, Competence Centre and programme nationwide or one "
                    "centre (centre=), protected (counts 1-4 null and suppressed, secondary suppression, cell-key "
                    "perturbation). Within a closed statistics period the figures come from its frozen copy "
                    "(closed_period; revision=N for an earlier revision). format=csv or xlsx exports the same figures",
                    "esf",
                    nullptr,
                    nullptr,
                    {std::begin(kIndicatorParams), std::end(kIndicatorParams)}};

  auto& records = router.Get("/api/v1/esf/records", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req, kRecordParams));
    YearMonth from = *YearMonth::FromYm(2021, 1), to = from;
    std::vector<FieldError> errors;
    ReadPeriod(req, from, to, errors);
    std::string format = req.Query("format").value_or("json");
    if (format != "json" && format != "csv") errors.push_back({"format", "must be json or csv"});
    std::string delimiter = req.Query("delimiter").value_or("comma");
    if (delimiter != "comma" && delimiter != "semicolon") errors.push_back({"delimiter", "must be comma or semicolon"});
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    auto x = FD_TRY(svc->Records(req.User(), from, to));
    if (format == "csv") {
      const char d = delimiter == "semicolon" ? ';' : ',';
      std::string out = "\xEF\xBB\xBF";
      for (const auto& c : kRecordColumns) out += CsvField(c.name, d) + d;
      out += "indicators\r\n";
      for (const auto& r : x.rows) {
        for (const auto& c : kRecordColumns) out += CsvField(c.value(r), d) + d;
        std::string codes;
        for (const auto& code : r.codes) codes += (codes.empty() ? "" : " ") + code;
        out += CsvField(codes, d) + "\r\n";
      }
      http::Response res{200, "text/csv; charset=utf-8", {}, std::move(out)};
      res.With("Content-Disposition", "attachment; filename=\"fairdesk-esf-records-" + x.from + "-" + x.to + ".csv\"");
      res.With("Cache-Control", "no-store");
      return res;
    }
    json::array rows;
    for (const auto& r : x.rows) {
      json::object o;
      for (const auto& c : kRecordColumns) {
        std::string v = c.value(r);
        o[c.name] = v.empty() ? json::value(nullptr) : json::value(v);
      }
      o["indicators"] = json::array(r.codes.begin(), r.codes.end());
      rows.push_back(std::move(o));
    }
    auto res = http::Response::Json(json::object{{"from", x.from}, {"to", x.to}, {"centre", x.centre}, {"records", std::move(rows)}});
    res.With("Cache-Control", "no-store");
    return res;
  });
  records.slow = true;
  records.roles = every_role;
  records.doc = {"Pseudonymised ESF Plus records of the centre lead's centre whose entry or exit month lies in "
                 "from..to: one row per participant with a stable pseudonym (not the record id), months instead of "
                 "days, the age band instead of the birth year, the Annex I items and results and the indicator "
                 "codes the participant counts in; format=csv (UTF-8, comma or semicolon). Centre leads only; audited "
                 "export",
                 "esf"};

  auto& due = router.Get("/api/v1/esf/due", [svc](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(CheckQuery(req));
    json::array items;
    for (const auto& d : FD_TRY(svc->Due(req.User()))) {
      items.push_back(json::object{{"case_id", d.case_id},
                                   {"case_number", d.case_number},
                                   {"kind", d.kind},
                                   {"exit_date", d.exit_date},
                                   {"due_from", d.due_from},
                                   {"due", d.due}});
    }
    auto res = http::Response::Json(json::object{{"items", std::move(items)}});
    res.With("Cache-Control", "no-store");
    return res;
  });
  due.roles = every_role;
  due.doc = {"ESF Plus results still to be recorded at the caller's centre (roles with case work, own centre): per case "
             "with an exit, the immediate result (exit_status, due from the 28th day after leaving) and the "
             "longer-term result (long_term_status, due six months after leaving), by date due",
             "esf"};
}

}  // namespace fairdesk::esf
