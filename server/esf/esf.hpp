#pragma once
/// ESF Plus participant data (issue 11). What the app wires:
///
///   esf::Migrations()                                  // versions 630-649 (store.hpp)
///   esf::Service esf(db, keyring, esf::MakeSqlStore());  esf::RegisterRoutes(router, esf);
///   stats.AddFrozenSource(&esf);  esf.Init();          // frozen with closed statistics periods
///   cases.OnCaseAnonymised([&](tx, id) { return esf::UnlinkCase(tx, keyring, id); });
///   esf.SeedDemo();                                    // demo data, after the demo cases

#include <array>
#include <string_view>

#include "esf/service.hpp"
#include "esf/store.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::esf {

/// GET/POST/PATCH /api/v1/cases/{id}/esf, GET /api/v1/esf/indicators (JSON, CSV, XLSX),
/// GET /api/v1/esf/records (pseudonymised records, JSON or CSV), GET /api/v1/esf/due.
void RegisterRoutes(http::Router& router, Service& service);

/// The column heads of an exported indicator table in `lang` (de, en): code, indicator, the
/// four gender columns (kGenders), total.
std::array<std::string_view, 7> IndicatorHeads(std::string_view lang);

/// The indicator table as CSV (UTF-8 with BOM; ',' or ';'), labels in `lang` (de, en);
/// suppressed figures as "·", text safe against formula injection.
std::string IndicatorsCsv(const IndicatorTable& t, char delimiter, std::string_view lang);

/// The same figures as XLSX: numbers as number cells, "·" for protected ones, no formulas.
Result<std::string> IndicatorsXlsx(const IndicatorTable& t, std::string_view lang);

}  // namespace fairdesk::esf
