#pragma once
/// Exports of a statistics table: the same figures as the JSON answer (suppressed cells as "·").

#include <optional>
#include <string>

#include "stats/service.hpp"

namespace fairdesk::stats {

/// CSV in UTF-8 with a byte-order mark (spreadsheet programs then read the encoding right),
/// `delimiter` ',' or ';' (German spreadsheet programs). Text cells that a spreadsheet would
/// take for a formula are prefixed with an apostrophe.
std::string TableCsv(const Table& t, char delimiter);

/// XLSX (libxlsxwriter): numbers as number cells, months and years as date cells, quarters as
/// text ("2025-Q2"), text never a formula; measure, dimensions and their values named in `lang`
/// (topics and centres by `labels`).
Result<std::string> TableXlsx(const Table& t, const std::string& lang, const ReportLabels& labels);

/// PDF (platform/pdf): title, period, exact or protected, a bar chart of the row totals, the
/// table; names and number formats in `lang`, as in the XLSX.
Result<std::string> TablePdf(const Table& t, const std::string& lang, const ReportLabels& labels);

/// The annual report of a centre, a state or the whole network (GET /api/v1/stats/report).
struct ReportRequest {
  int year = 0;
  std::optional<std::string> state, centre;
  std::optional<int> revision;
  std::string lang = "de";
};

/// A PDF (platform/pdf) of the year's figures as the caller may see them — every figure comes
/// from Service::Query, so protection is that of every other output: key figures with the
/// previous year, a trend line by month, bars by topic and by state (by centre in a state's report,
/// by channel in a centre's), each chart followed by its table, and the cases closed by outcome.
/// A protected year ends with the last complete month.
Result<std::string> AnnualReportPdf(Service& service, const Principal& p, const ReportRequest& r);

/// The text a spreadsheet must not read as a formula: '=', '+', '-', '@', tab or CR at the start
/// get a leading apostrophe.
std::string SafeText(std::string_view s);

inline constexpr std::string_view kSuppressedMark = "\xC2\xB7";  // "·"

}  // namespace fairdesk::stats
