#include "ops/routes.hpp"

#include "platform/db/job_stats.hpp"
#include "platform/db/query_stats.hpp"

#include <memory>
#include <regex>

#include <sodium.h>

namespace fairdesk::ops {
namespace json = boost::json;
namespace {

json::object ProblemSchemaRef() { return json::object{{"$ref", "#/components/schemas/Problem"}}; }

json::object ProblemResponse(std::string_view description) {
  return json::object{{"description", description},
                      {"content", json::object{{"application/problem+json", json::object{{"schema", ProblemSchemaRef()}}}}}};
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

json::object BuildOpenApi(const http::Router& router) {
  json::object paths;
  static const std::regex kParam("\\{([a-z_]+)\\}");
  for (const auto& route : router.routes()) {
    if (route.hidden) continue;
    json::object op;
    op["summary"] = route.doc.summary;
    op["operationId"] = Lower(route.method) + std::regex_replace(route.pattern, std::regex("[^A-Za-z0-9]+"), "_");
    if (!route.doc.tag.empty()) op["tags"] = json::array{json::value(route.doc.tag)};
    json::array params;
    for (std::sregex_iterator it(route.pattern.begin(), route.pattern.end(), kParam), end; it != end; ++it) {
      params.push_back(json::object{{"name", (*it)[1].str()}, {"in", "path"}, {"required", true},
                                    {"schema", json::object{{"type", "string"}}}});
    }
    for (const auto& q : route.doc.query_params) {
      params.push_back(json::object{{"name", q}, {"in", "query"}, {"required", false},
                                    {"schema", json::object{{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (!route.doc.request_schema.is_null()) {
      op["requestBody"] = json::object{
          {"required", true},
          {"content", json::object{{"application/json", json::object{{"schema", route.doc.request_schema}}}}}};
    }
    json::object responses;
    json::object ok{{"description", "Success"}};
    if (route.doc.success_status != 204) {
      json::value schema = route.doc.response_schema.is_null() ? json::value(json::object{{"type", "object"}})
                                                               : route.doc.response_schema;
      ok["content"] = json::object{{"application/json", json::object{{"schema", schema}}}};
    }
    responses[std::to_string(route.doc.success_status)] = std::move(ok);
    if (!route.doc.request_schema.is_null()) {
      responses["400"] = ProblemResponse("Malformed request");
      responses["422"] = ProblemResponse("Invalid values; `errors` names each field");
    }
    if (route.access != http::Access::kPublic) {
      responses["401"] = ProblemResponse("Not signed in");
      responses["403"] = ProblemResponse("Not allowed for this role, or missing X-CSRF-Token");
      op["security"] = json::array{json::object{{"session", json::array{}}}};
    }
    if (route.pattern.find('{') != std::string::npos) responses["404"] = ProblemResponse("Not found or not visible");
    op["responses"] = std::move(responses);
    std::string roles;
    for (auto r : route.roles) roles += (roles.empty() ? "" : ", ") + std::string(RoleName(r));
    if (!roles.empty()) op["description"] = "Roles: " + roles;
    auto& item = paths[route.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[Lower(route.method)] = std::move(op);
  }
  json::object doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = json::object{{"title", "fairdesk API"},
                             {"version", "1"},
                             {"description", "Conventions: see shared/API.md. Errors are RFC 9457 problem+json."}};
  doc["servers"] = json::array{json::object{{"url", "/"}}};
  doc["paths"] = std::move(paths);
  doc["components"] = json::parse(R"({
    "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "fd_session"}},
    "schemas": {"Problem": {"type": "object", "required": ["type", "title", "status"],
      "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                     "detail": {"type": "string"},
                     "errors": {"type": "array", "items": {"type": "object",
                       "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}}}})");
  return doc;
}

void RegisterRoutes(http::Router& router, db::Database& db, http::Metrics& metrics, std::string metrics_token) {
  using http::Access;
  auto& health = router.Get("/healthz", [](http::Request&) -> Result<http::Response> {
    return http::Response::Json(json::object{{"status", "ok"}});
  });
  health.access = Access::kPublic;
  health.blocking = false;
  health.doc = {"The process is alive", "operations"};

  auto& ready = router.Get("/readyz", [&db](http::Request&) -> Result<http::Response> {
    FD_TRY_VOID(db.Ping());
    return http::Response::Json(json::object{{"status", "ready"}});
  });
  ready.access = Access::kPublic;
  ready.doc = {"The database is reachable", "operations"};

  auto& m = router.Get("/metrics", [&metrics, token = std::move(metrics_token)](http::Request& req) -> Result<http::Response> {
    // The same answer for "off", "no token" and "wrong token": nothing tells a scanner it exists.
    const std::string expected = "Bearer " + token;
    const std::string given = req.Header("authorization").value_or("");
    if (token.empty() || given.size() != expected.size() ||
        sodium_memcmp(given.data(), expected.data(), given.size()) != 0) {
      return Fail(Error::NotFound("No such resource."));
    }
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.Render();
    r.body += db::RenderQueryStats();  // latency per named query
    r.body += db::RenderJobStats();    // runs of the scheduled jobs
    return r;
  });
  m.access = Access::kPublic;
  m.doc = {"Prometheus metrics (Authorization: Bearer <--metrics-token>; 404 without it)", "operations"};

  // The document is built on first request, when the table is complete.
  auto cached = std::make_shared<std::string>();
  auto mu = std::make_shared<std::mutex>();
  auto& openapi = router.Get("/api/v1/openapi.json", [&router, cached, mu](http::Request&) -> Result<http::Response> {
    std::lock_guard lock(*mu);
    if (cached->empty()) *cached = json::serialize(BuildOpenApi(router));
    http::Response r;
    r.body = *cached;
    return r;
  });
  openapi.access = Access::kPublic;
  openapi.blocking = false;
  openapi.doc = {"This OpenAPI 3.1 document", "operations"};
}

}  // namespace fairdesk::ops
