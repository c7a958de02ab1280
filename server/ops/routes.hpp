#pragma once
/// Operations endpoints: /healthz, /readyz, /metrics and the OpenAPI document built from the
/// route table.

#include "platform/db/database.hpp"
#include "platform/http/metrics.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::ops {

/// Registers the endpoints; call last, so that the OpenAPI document sees every route.
/// /metrics answers only a request with `Authorization: Bearer <metrics_token>` (issue 8 #10);
/// with no token configured it is off (404), so that it is never public by accident.
void RegisterRoutes(http::Router& router, db::Database& db, http::Metrics& metrics, std::string metrics_token = {});
/// OpenAPI 3.1 for every documented route of the table.
boost::json::object BuildOpenApi(const http::Router& router);

}  // namespace fairdesk::ops
