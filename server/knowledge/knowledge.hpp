#pragma once
/// The knowledge module. What the app wires:
///
///   knowledge::Migrations()                 // versions 500-549
///   knowledge::Service kb(db, knowledge::MakeSqlStore(), {.topic_codes = …});
///   knowledge::RegisterRoutes(router, kb);
///   kb.SeedDemo(author_id, reviewer_id);    // --demo
///
/// The public portal calls Service::PublicItems(lang) and Service::PublicItem(id, lang).

#include "knowledge/service.hpp"
#include "knowledge/store.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::knowledge {

/// /api/v1/knowledge/… (signed in) and /api/v1/public/knowledge/… (no sign-in).
void RegisterRoutes(http::Router& router, Service& service);

}  // namespace fairdesk::knowledge
