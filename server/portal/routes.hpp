#pragma once
/// The public portal's pages (server-rendered HTML under /{lang}/ for every portal language, no
/// session read, no cookies, no third-party requests), its assets, and the staff API of contact
/// requests and legal pages.

#include "directory/service.hpp"
#include "knowledge/service.hpp"
#include "platform/http/router.hpp"
#include "portal/service.hpp"

namespace fairdesk::portal {
void RegisterRoutes(http::Router& router, Service& service, directory::Service& directory, knowledge::Service& knowledge);
}  // namespace fairdesk::portal
