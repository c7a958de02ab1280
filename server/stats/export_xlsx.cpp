// XLSX export of a statistics table (stats/xlsx.hpp writes the cells): figures are number cells,
// months and years date cells (first day of the period; a quarter is text, "2025-Q2", since no
// date format shows a quarter), every text a string cell through SafeText, so nothing is ever a
// formula. Measure, dimensions and their values are named in the requested language.

#include <algorithm>

#include "stats/export.hpp"
#include "stats/labels.hpp"
#include "stats/xlsx.hpp"

namespace fairdesk::stats {
namespace {

// "2026-03" → 2026-03, "2026" → 2026-01 (year, month of the first day).
std::optional<std::pair<int, int>> PeriodStart(std::string_view dim, const std::string& key) {
  if (dim != "month" && dim != "year") return std::nullopt;
  if (key.size() < 4 || !std::all_of(key.begin(), key.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const int year = std::stoi(key.substr(0, 4));
  if (dim == "month" && key.size() == 7) return std::pair{year, std::stoi(key.substr(5, 2))};
  if (dim == "year") return std::pair{year, 1};
  return std::nullopt;
}

}  // namespace

Result<std::string> TableXlsx(const Table& t, const std::string& lang, const ReportLabels& labels) {
  const bool de = lang == "de";
  const bool money = t.measure == "wages_recovered_cents";
  auto name = [&](std::string_view dim, const std::string& key) { return ValueName(dim, key, de, labels); };
  const std::string measure = MeasureName(t.measure, de) + (money ? (de ? " (Euro)" : " (euro)") : "");
  auto sheet = FD_TRY(XlsxSheet::Open(t.measure, money ? "#,##0.00" : "#,##0", t.rows == "year" ? "yyyy" : "mm/yyyy"));
  const double divisor = money ? 100.0 : 1.0;
  auto figure = [&](int r, int c, const Figure& f) { sheet.Figure(r, c, f.value, f.suppressed, divisor); };
  sheet.TitleBlock((de ? "fairdesk-Statistik: " : "fairdesk statistics: ") + measure, t.from, t.to, t.protected_, de);
  const int h = 4;
  const bool two = !t.col_keys.empty();
  sheet.Text(h, 0, DimensionName(t.rows, de), true);
  if (two) {
    for (std::size_t j = 0; j < t.col_keys.size(); ++j) {
      sheet.Text(h, static_cast<int>(j + 1), name(*t.cols, t.col_keys[j]), true);
    }
    sheet.Text(h, static_cast<int>(t.col_keys.size() + 1), de ? "Summe" : "Total", true);
  } else {
    sheet.Text(h, 1, measure, true);
  }
  const std::size_t C = two ? t.col_keys.size() : 1;
  for (std::size_t i = 0; i < t.row_keys.size(); ++i) {
    const int r = h + 1 + static_cast<int>(i);
    if (auto d = PeriodStart(t.rows, t.row_keys[i])) {
      sheet.Month(r, 0, d->first, d->second);
    } else {
      sheet.Text(r, 0, name(t.rows, t.row_keys[i]));
    }
    for (std::size_t j = 0; j < C; ++j) figure(r, static_cast<int>(j + 1), t.cells[i * C + j]);
    if (two) figure(r, static_cast<int>(C + 1), t.row_totals[i]);
  }
  const int last = h + 1 + static_cast<int>(t.row_keys.size());
  sheet.Text(last, 0, de ? "Summe" : "Total", true);
  for (std::size_t j = 0; j < t.col_totals.size(); ++j) figure(last, static_cast<int>(j + 1), t.col_totals[j]);
  figure(last, two ? static_cast<int>(C + 1) : 1, t.total);
  sheet.ColumnWidth(0, 0, 22);
  sheet.ColumnWidth(1, static_cast<int>(C + 1), 12);
  return sheet.Finish();
}

}  // namespace fairdesk::stats
