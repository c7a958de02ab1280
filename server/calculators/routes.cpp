#include "calculators/routes.hpp"

#include <charconv>

#include "labour_law/calculators.hpp"
#include "platform/core/json_input.hpp"

namespace fairdesk::calculators {
namespace json = boost::json;

Result<json::object> Run(std::string_view name, std::string_view body) {
  auto input = FD_TRY(ParseJsonBody(body));
  auto outcome = labour_law::RunCalculator(name, input);
  switch (outcome.kind) {
    case labour_law::CalcOutcome::Kind::kOk:
      return std::move(outcome.result);
    case labour_law::CalcOutcome::Kind::kUnknownCalculator:
      return Fail(Error::NotFound("No such calculator."));
    case labour_law::CalcOutcome::Kind::kInvalid: {
      std::vector<FieldError> errors;
      for (auto& e : outcome.errors) errors.push_back({std::move(e.field), std::move(e.message)});
      return Fail(Error::Invalid(std::move(errors)));
    }
  }
  return Fail(Error::Internal("unknown calculator outcome"));
}

void RegisterRoutes(http::Router& router) {
  using http::Access;
  auto& list = router.Get("/api/v1/calc", [](http::Request&) -> Result<http::Response> {
    json::array names;
    for (auto n : labour_law::CalculatorNames()) names.emplace_back(n);
    return http::Response::Json(json::object{{"items", std::move(names)}, {"next_cursor", nullptr}});
  });
  list.access = Access::kPublic;
  list.blocking = false;
  list.doc = {"Names of the labour-law calculators", "calculators"};

  auto& calc = router.Post("/api/v1/calc/{name}", [](http::Request& req) -> Result<http::Response> {
    return http::Response::Json(FD_TRY(Run(req.Param("name"), req.body)));
  });
  calc.access = Access::kPublic;
  calc.blocking = false;  // pure computation, microseconds
  calc.csrf = false;  // public and without side effects
  calc.max_body_bytes = 256 * 1024;
  calc.doc = {"Run a labour-law calculator (input and result as in shared/API.md)", "calculators",
              json::object{{"type", "object"}}};

  auto& holidays = router.Get("/api/v1/holidays", [](http::Request& req) -> Result<http::Response> {
    json::object input;
    std::vector<FieldError> errors;
    for (const auto& [k, v] : req.query) {
      if (k != "state" && k != "year") errors.push_back({k.substr(0, 64), "unknown query parameter"});
    }
    auto state = req.Query("state");
    auto year = req.Query("year");
    if (!state) errors.push_back({"state", "is required"});
    if (!year) errors.push_back({"year", "is required"});
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    input["state"] = *state;
    int y = 0;
    auto [ptr, ec] = std::from_chars(year->data(), year->data() + year->size(), y);
    if (ec != std::errc() || ptr != year->data() + year->size()) return Fail(Error::Invalid("year", "must be a year"));
    input["year"] = y;
    return http::Response::Json(FD_TRY(Run("holidays", json::serialize(input))));
  });
  holidays.access = Access::kPublic;
  holidays.blocking = false;
  holidays.doc = {"Public holidays of a federal state in a year", "calculators", nullptr, nullptr, {"state", "year"}};
}

}  // namespace fairdesk::calculators
