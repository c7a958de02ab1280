#pragma once
#include "platform/http/router.hpp"

namespace fairdesk::calculators {
/// POST /api/v1/calc/{name}, GET /api/v1/calc, GET /api/v1/holidays (public, no login).
void RegisterRoutes(http::Router& router);
/// Runs a calculator on a JSON text: the result object or the problem (same for HTTP and CLI).
Result<boost::json::object> Run(std::string_view name, std::string_view body);
}  // namespace fairdesk::calculators
