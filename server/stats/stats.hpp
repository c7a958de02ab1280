#pragma once
/// The statistics module. What the app wires:
///
///   stats::Migrations()                           // versions 600-649, after case work
///   cases.OnCaseChanged(stats::SyncCase);         // same transaction as the case work
///   cases.OnCaseAnonymised(stats::UnlinkCase);    // retention and erasure cut the link
///   stats::Service stats(db, directory, secret);  stats::RegisterRoutes(router, stats);
///
/// `fairdesk demo-data --cases N --seed S`: stats::Generate (generator.hpp).

#include <boost/json.hpp>

#include <optional>
#include <span>
#include <string_view>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"
#include "platform/http/router.hpp"
#include "stats/generator.hpp"
#include "stats/service.hpp"
#include "stats/store.hpp"

namespace fairdesk::stats {

/// Brings the statistics record of a case up to date with the case, its client and its
/// consultations: creates it on the first call, adds a record per new consultation, updates the
/// case attributes. The centre a consultation was given by and its month never change.
Status SyncCase(db::Session& tx, std::string_view case_id);

/// Cuts the link from the statistics record to the case, its consultations and (when no other
/// linked case is left) the client. The figures stay as they are.
Status UnlinkCase(db::Session& tx, std::string_view case_id);

/// The closed period a table was answered from, as the API shows it (`closed_period`; null when
/// the table was computed from the live records).
boost::json::value FrozenJson(const std::optional<FrozenInfo>& f);

/// GET /api/v1/stats/table (JSON, CSV, XLSX).
void RegisterRoutes(http::Router& router, Service& service);

}  // namespace fairdesk::stats
