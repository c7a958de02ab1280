#pragma once
/// Exports of a statistics table: the same figures as the JSON answer (suppressed cells as "·").

#include <string>

#include "stats/service.hpp"

namespace fairdesk::stats {

/// CSV in UTF-8 with a byte-order mark (spreadsheet programs then read the encoding right),
/// `delimiter` ',' or ';' (German spreadsheet programs). Text cells that a spreadsheet would
/// take for a formula are prefixed with an apostrophe.
std::string TableCsv(const Table& t, char delimiter);

/// XLSX (libxlsxwriter): numbers as number cells, the period as date cells, text never a formula.
Result<std::string> TableXlsx(const Table& t, const std::string& lang);

/// PDF (platform/pdf): title, period, exact or protected, a bar chart of the row totals, the table.
Result<std::string> TablePdf(const Table& t, const std::string& lang);

/// The text a spreadsheet must not read as a formula: '=', '+', '-', '@', tab or CR at the start
/// get a leading apostrophe.
std::string SafeText(std::string_view s);

inline constexpr std::string_view kSuppressedMark = "\xC2\xB7";  // "·"

}  // namespace fairdesk::stats
