#pragma once
#include "cases/service.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::cases {
/// GET /api/v1/topics (public); /api/v1/routing-rules, /api/v1/intake/route, /api/v1/clients…,
/// /api/v1/cases…, /api/v1/deadlines…, /api/v1/escalations… (roles with case access, scoped to
/// the caller's centre).
void RegisterRoutes(http::Router& router, Service& service);
}  // namespace fairdesk::cases
