// GET /api/v1/stats/table: JSON, or the same figures as CSV (format=csv[&delimiter=semicolon]).

#include <boost/json.hpp>

#include <algorithm>

#include "audit/audit.hpp"
#include "platform/core/body.hpp"
#include "platform/http/router.hpp"
#include "stats/export.hpp"
#include "stats/stats.hpp"

namespace fairdesk::stats {
namespace json = boost::json;
namespace {

constexpr std::string_view kParams[] = {"measure", "rows", "cols", "from", "to", "state", "centre",
                                        "format", "delimiter", "exact", "lang", "revision"};

bool IsCode(std::string_view s, std::size_t max) {
  return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

struct Parsed {
  TableRequest table;
  std::string format = "json";
  char delimiter = ',';
  std::string lang = "de";
};

Result<Parsed> ReadQuery(const http::Request& req) {
  Parsed out;
  auto& r = out.table;
  std::vector<FieldError> errors;
  for (const auto& [k, v] : req.query) {
    if (std::find(std::begin(kParams), std::end(kParams), k) == std::end(kParams)) {
      errors.push_back({IsCode(k, 40) ? k : std::string("query"), "unknown query parameter"});
    } else if (req.query.count(k) > 1) {
      errors.push_back({k, "given more than once"});
    }
  }
  auto text = [&](std::string_view name, bool required) -> std::optional<std::string> {
    auto v = req.Query(name);
    if (!v || v->empty()) {
      if (required) errors.push_back({std::string(name), "is required"});
      return std::nullopt;
    }
    if (!IsCode(*v, 64)) {
      errors.push_back({std::string(name), "has an invalid value"});
      return std::nullopt;
    }
    return *v;
  };
  r.measure = text("measure", true).value_or("");
  r.rows = text("rows", true).value_or("");
  r.cols = text("cols", false);
  for (auto [name, field] : {std::pair{"from", &r.from}, std::pair{"to", &r.to}}) {
    auto v = text(name, true);
    if (!v) continue;
    auto ym = v->size() == 7 ? YearMonth::Parse(*v) : std::nullopt;
    if (!ym) errors.push_back({name, "must be a month YYYY-MM"});
    else *field = *ym;
  }
  r.state = text("state", false);
  r.centre = text("centre", false);
  if (auto v = text("exact", false)) {
    if (*v != "true" && *v != "false") errors.push_back({"exact", "must be true or false"});
    r.exact = *v == "true";
  }
  if (auto v = text("revision", false)) {
    const bool digits = v->size() <= 4 && std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) errors.push_back({"revision", "must be a revision number 0, 1, 2, ..."});
    else r.revision = std::stoi(*v);
  }
  if (auto v = text("format", false)) {
    if (*v != "json" && *v != "csv" && *v != "xlsx" && *v != "pdf") {
      errors.push_back({"format", "must be json, csv, xlsx or pdf"});
    }
    out.format = *v;
  }
  if (auto v = text("delimiter", false)) {
    if (*v != "comma" && *v != "semicolon") errors.push_back({"delimiter", "must be comma or semicolon"});
    out.delimiter = *v == "semicolon" ? ';' : ',';
  }
  if (auto v = text("lang", false)) {
    if (*v != "de" && *v != "en") errors.push_back({"lang", "must be de or en"});
    out.lang = *v;
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return out;
}

json::value FigureJson(const Figure& f) { return f.value ? json::value(*f.value) : json::value(nullptr); }

json::object PeriodJson(const ClosedPeriod& p) {
  json::array revisions;
  for (const auto& r : p.revisions) {
    revisions.push_back(json::object{{"number", r.number},
                                     {"created_at", r.created_at},
                                     {"reason", r.reason ? json::value(*r.reason) : json::value(nullptr)}});
  }
  return json::object{{"id", p.id},
                      {"period", p.label},
                      {"from", p.from},
                      {"to", p.to},
                      {"scope", p.centre_id ? "centre" : "nationwide"},
                      {"centre", p.centre_id ? json::value(*p.centre_id) : json::value(nullptr)},
                      {"state", p.state.empty() ? json::value(nullptr) : json::value(p.state)},
                      {"closed_at", p.closed_at},
                      {"latest_revision", static_cast<std::int64_t>(p.revisions.size()) - 1},
                      {"revisions", std::move(revisions)},
                      {"changed_since", p.changed},
                      {"can_revise", p.can_revise}};
}

struct CloseBody {
  std::string period;
};
const auto kCloseBody = body::Body<CloseBody>().Text(
    "period", &CloseBody::period, Need::kRequired,
    {.max = 7, .min = 4, .pattern = "^[0-9]{4}(-Q[1-4]|-[0-9]{2})?$"});

struct ReviseBody {
  std::string reason;
};
const auto kReviseBody = body::Body<ReviseBody>().Text("reason", &ReviseBody::reason, Need::kRequired,
                                                      {.max = 500, .min = 3, .multiline = true});

json::object TableJson(const Table& t) {
  json::array cells, row_totals, col_totals;
  const std::size_t C = t.col_keys.empty() ? 1 : t.col_keys.size();
  for (std::size_t i = 0; i < t.row_keys.size(); ++i) {
    for (std::size_t j = 0; j < C; ++j) {
      const Figure& f = t.cells[i * C + j];
      cells.push_back(json::object{{"row", t.row_keys[i]},
                                   {"col", t.col_keys.empty() ? json::value(nullptr) : json::value(t.col_keys[j])},
                                   {"value", FigureJson(f)},
                                   {"suppressed", f.suppressed}});
    }
    row_totals.push_back(json::object{{"row", t.row_keys[i]}, {"value", FigureJson(t.row_totals[i])},
                                      {"suppressed", t.row_totals[i].suppressed}});
  }
  for (std::size_t j = 0; j < t.col_keys.size(); ++j) {
    col_totals.push_back(json::object{{"col", t.col_keys[j]}, {"value", FigureJson(t.col_totals[j])},
                                      {"suppressed", t.col_totals[j].suppressed}});
  }
  return json::object{{"measure", t.measure},
                      {"rows", t.rows},
                      {"cols", t.cols ? json::value(*t.cols) : json::value(nullptr)},
                      {"from", t.from},
                      {"to", t.to},
                      {"state", t.scope_state ? json::value(*t.scope_state) : json::value(nullptr)},
                      {"centre", t.scope_centre ? json::value(*t.scope_centre) : json::value(nullptr)},
                      {"protected", t.protected_},
                      {"closed_period", FrozenJson(t.frozen)},
                      {"cells", std::move(cells)},
                      {"row_totals", std::move(row_totals)},
                      {"col_totals", std::move(col_totals)},
                      {"total", json::object{{"value", FigureJson(t.total)}, {"suppressed", t.total.suppressed}}}};
}

constexpr std::string_view kFigureSchema =
    R"({"type":"object","properties":{"value":{"type":["integer","null"]},"suppressed":{"type":"boolean"}}})";

}  // namespace

json::value FrozenJson(const std::optional<FrozenInfo>& f) {
  if (!f) return nullptr;
  return json::object{{"id", f->period_id},
                      {"period", f->label},
                      {"from", f->from},
                      {"to", f->to},
                      {"centre", f->centre_id ? json::value(*f->centre_id) : json::value(nullptr)},
                      {"closed_at", f->closed_at},
                      {"revision", f->revision},
                      {"latest_revision", f->latest_revision},
                      {"revision_at", f->revision_at},
                      {"revision_reason", f->revision_reason ? json::value(*f->revision_reason) : json::value(nullptr)}};
}

void RegisterRoutes(http::Router& router, Service& service) {
  auto& table = router.Get("/api/v1/stats/table", [&service](http::Request& req) -> Result<http::Response> {
    auto q = FD_TRY(ReadQuery(req));
    auto t = FD_TRY(service.Query(req.User(), q.table));
    const std::string base = "fairdesk-" + t.measure + "-" + t.from + "-" + t.to;
    if (q.format == "csv") {
      http::Response res{200, "text/csv; charset=utf-8", {}, TableCsv(t, q.delimiter)};
      res.With("Content-Disposition", "attachment; filename=\"" + base + ".csv\"");
      return res;
    }
    if (q.format == "xlsx") {
      auto bytes = FD_TRY(TableXlsx(t, q.lang, FD_TRY(service.Labels())));
      http::Response res{200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {}, std::move(bytes)};
      res.With("Content-Disposition", "attachment; filename=\"" + base + ".xlsx\"");
      return res;
    }
    if (q.format == "pdf") {
      auto bytes = FD_TRY(TablePdf(t, q.lang, FD_TRY(service.Labels())));
      http::Response res{200, "application/pdf", {}, std::move(bytes)};
      res.With("Content-Disposition", "attachment; filename=\"" + base + ".pdf\"");
      return res;
    }
    return http::Response::Json(TableJson(t));
  });
  table.slow = true;
  table.roles = {Role::kAdvisor, Role::kCentreLead, Role::kStateCoordinator, Role::kCompetenceCentre, Role::kProgramme};
  table.doc = {"A statistics table: one measure by one or two dimensions over months; protected (small counts "
               "suppressed as null, others perturbed) where the caller could not open the cases. format=csv, "
               "xlsx or pdf exports the same figures.",
               "stats",
               nullptr,
               json::object{{"type", "object"},
                            {"properties",
                             json::object{{"protected", json::object{{"type", "boolean"}}},
                                          {"cells", json::object{{"type", "array"}}},
                                          {"row_totals", json::object{{"type", "array"}}},
                                          {"col_totals", json::object{{"type", "array"}}},
                                          {"total", json::parse(kFigureSchema)}}}},
               {std::begin(kParams), std::end(kParams)}};

  // The annual report (a PDF) of the caller's centre, a state or the network.
  auto& report = router.Get("/api/v1/stats/report", [&service](http::Request& req) -> Result<http::Response> {
    static constexpr std::string_view kReportParams[] = {"year", "state", "centre", "revision", "lang"};
    std::vector<FieldError> errors;
    for (const auto& [k, v] : req.query) {
      if (std::find(std::begin(kReportParams), std::end(kReportParams), k) == std::end(kReportParams)) {
        errors.push_back({IsCode(k, 40) ? k : std::string("query"), "unknown query parameter"});
      } else if (req.query.count(k) > 1) {
        errors.push_back({k, "given more than once"});
      }
    }
    ReportRequest r;
    auto digits = [](const std::string& v, std::size_t max) {
      return !v.empty() && v.size() <= max && std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    };
    if (auto v = req.Query("year"); !v || v->empty()) errors.push_back({"year", "is required"});
    else if (!digits(*v, 4)) errors.push_back({"year", "must be a year such as 2025"});
    else r.year = std::stoi(*v);
    for (auto [name, field] : {std::pair{"state", &r.state}, std::pair{"centre", &r.centre}}) {
      if (auto v = req.Query(name); v && !v->empty()) {
        if (!IsCode(*v, 64)) errors.push_back({name, "has an invalid value"});
        else *field = *v;
      }
    }
    if (auto v = req.Query("revision"); v && !v->empty()) {
      if (!digits(*v, 4)) errors.push_back({"revision", "must be a revision number 0, 1, 2, ..."});
      else r.revision = std::stoi(*v);
    }
    if (auto v = req.Query("lang"); v && !v->empty()) {
      if (*v != "de" && *v != "en") errors.push_back({"lang", "must be de or en"});
      else r.lang = *v;
    }
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    auto bytes = FD_TRY(AnnualReportPdf(service, req.User(), r));
    http::Response res{200, "application/pdf", {}, std::move(bytes)};
    std::string name = "fairdesk-annual-report-" + std::to_string(r.year);
    if (r.state) name += "-" + *r.state;
    if (r.centre) name += "-" + *r.centre;
    res.With("Content-Disposition", "attachment; filename=\"" + name + "-" + r.lang + ".pdf\"");
    return res;
  });
  report.slow = true;
  report.roles = table.roles;
  report.doc = {"The annual report as a PDF (de or en): key figures with the previous year, consultations by month "
                "(line), by topic and by state (bars; by centre for a state, by channel for a centre), each chart "
                "followed by its table, and cases closed by outcome; the figures of GET /api/v1/stats/table with "
                "the same protection and closed periods.",
                "stats", nullptr, nullptr, {"year", "state", "centre", "revision", "lang"}};

  // Closed reporting periods (docs/STATISTICS.md, "Closed periods").
  auto& periods = router.Get("/api/v1/stats/periods", [&service](http::Request& req) -> Result<http::Response> {
    for (const auto& [k, v] : req.query) {
      return Fail(Error::Invalid(IsCode(k, 40) ? k : std::string("query"), "unknown query parameter"));
    }
    json::array items;
    for (const auto& p : FD_TRY(service.ListPeriods(req.User()))) items.push_back(PeriodJson(p));
    return http::Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  periods.roles = table.roles;
  periods.doc = {"The closed reporting periods the caller can report on, newest first, with their revisions and "
                 "whether the live figures have changed since the latest revision",
                 "stats"};

  auto& close = router.Post("/api/v1/stats/periods", [&service](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kCloseBody.Parse(req.body));
    auto p = FD_TRY(service.ClosePeriod(req.User(), b.period));
    return http::Response::Json(PeriodJson(p), 201);
  });
  close.roles = {Role::kCentreLead, Role::kCompetenceCentre};
  close.doc = {"Close a reporting period (a year 2025, a quarter 2025-Q2 or a month 2025-05 that has ended): a "
               "centre lead for the centre, the Competence Centre nationwide. Its figures are frozen from then on; "
               "an overlapping closed period of the same scope is a 409. Audited.",
               "stats", kCloseBody.Schema(), nullptr, {}, 201};

  auto& revise = router.Post("/api/v1/stats/periods/{id}/revisions", [&service](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kReviseBody.Parse(req.body));
    auto p = FD_TRY(service.RevisePeriod(req.User(), req.Param("id"), b.reason));
    return http::Response::Json(PeriodJson(p), 201);
  });
  revise.roles = {Role::kCentreLead, Role::kCompetenceCentre};
  revise.doc = {"Record a revision of a closed period with its reason: its figures are taken anew from the "
                "statistics records; earlier revisions stay readable (GET /api/v1/stats/table?revision=N). Audited.",
                "stats", kReviseBody.Schema(), nullptr, {}, 201};
}

}  // namespace fairdesk::stats
