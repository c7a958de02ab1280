#pragma once
#include "directory/service.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::directory {
/// GET /api/v1/centres, /centres/{id}, /organisations, /organisations/{id}, /partners, /networks
/// (public); POST/PATCH of organisations and centres (admin).
void RegisterRoutes(http::Router& router, Service& service);
/// Reads ?postcode= (five digits or a place name), ?language=, ?abroad= of the public finder
/// (422 naming the field; unknown parameters refused). Shared by the JSON API and the portal.
Result<FinderQuery> ReadFinderQuery(const http::Request& req);
}  // namespace fairdesk::directory
