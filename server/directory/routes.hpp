#pragma once
#include "directory/service.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::directory {
/// GET /api/v1/centres, /centres/{id}, /organisations, /organisations/{id}, /partners, /networks
/// (public); POST/PATCH of organisations and centres (admin).
void RegisterRoutes(http::Router& router, Service& service);
}  // namespace fairdesk::directory
