#pragma once
/// The events module (issue 10): trainings, networking meetings, information events, workshops
/// and group offers; registration with a waiting list; attendance; certificates of attendance;
/// calendars; reporting counts. What the app wires:
///
///   events::Service events(db, events::Options{...});   // migrations: events.Migrations(), 550-599
///   events::RegisterRoutes(router, events);
///   events.StartJobs(std::chrono::seconds(60));           // offer expiry + deletion of client data
///   events.SeedDemo();                                     // serve --demo, after the demo users
///
/// Other modules (statistics) read the counts through Service::ReportCounts.

#include "events/service.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::events {

/// /api/v1/events…, /api/v1/calendar/{token}/…, /api/v1/public/events/calendar.ics,
/// /api/v1/public/certificates/{code}.
void RegisterRoutes(http::Router& router, Service& service);

/// Personal columns sealed with the Keyring (public registrants; for `fairdesk keys reencrypt`).
std::vector<crypto::EncryptedColumn> EncryptedColumns();

}  // namespace fairdesk::events
