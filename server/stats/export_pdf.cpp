// PDF export of a statistics table (platform/pdf: Cairo + Pango): title, period, whether the
// figures are exact or protected, a bar chart of the row totals drawn with Cairo, and the table.
// The figures are the table's own (suppressed as "·"), so the PDF shows what JSON, CSV and XLSX show.

#include <cairo.h>

#include <algorithm>

#include "platform/pdf/pdf.hpp"
#include "stats/export.hpp"
#include "stats/labels.hpp"

namespace fairdesk::stats {
namespace {

std::string Number(const Figure& f, bool money, bool de) {
  if (f.suppressed || !f.value) return std::string(kSuppressedMark);
  return FormatFigure(*f.value, money, de);
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Bars of the row totals (suppressed rows get no bar); labels stay in the table below, so the
// chart needs no text of its own.
std::string BarChartPng(const Table& t) {
  const int W = 1000, H = 360, pad = 20;
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  std::int64_t max = 1;
  for (const auto& f : t.row_totals) max = std::max(max, f.value.value_or(0));
  const std::size_t n = std::max<std::size_t>(1, t.row_totals.size());
  const double slot = static_cast<double>(W - 2 * pad) / static_cast<double>(n);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  cairo_rectangle(cr, pad, H - pad, W - 2 * pad, 2);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0.0, 0.33, 0.58);
  for (std::size_t i = 0; i < t.row_totals.size(); ++i) {
    const auto& f = t.row_totals[i];
    if (f.suppressed || !f.value || *f.value <= 0) continue;
    const double h = static_cast<double>(*f.value) / static_cast<double>(max) * (H - 2 * pad);
    cairo_rectangle(cr, pad + slot * static_cast<double>(i) + slot * 0.15, H - pad - h, slot * 0.7, h);
    cairo_fill(cr);
  }
  cairo_destroy(cr);
  std::string png;
  cairo_surface_write_to_png_stream(surface, Append, &png);
  cairo_surface_destroy(surface);
  return png;
}

}  // namespace

Result<std::string> TablePdf(const Table& t, const std::string& lang, const ReportLabels& labels) {
  const bool de = lang == "de";
  const bool money = t.measure == "wages_recovered_cents";
  auto name = [&](std::string_view dim, const std::string& key) { return ValueName(dim, key, de, labels); };
  const std::string title = (de ? "fairdesk-Statistik: " : "fairdesk statistics: ") + MeasureName(t.measure, de);
  pdf::Document doc({.title = title, .author = "fairdesk", .footer = title});
  doc.Heading(title);
  std::string scope = (de ? "Zeitraum " : "Period ") + t.from + " – " + t.to;
  if (t.scope_state) scope += (de ? ", Land " : ", state ") + name("state", *t.scope_state);
  if (t.scope_centre) scope += (de ? ", Beratungsstelle " : ", centre ") + name("centre", *t.scope_centre);
  doc.Paragraph(scope);
  doc.Paragraph(t.protected_ ? (de ? "Geschützt: Werte 1–4 als ·, übrige Werte leicht überlagert (Cell-Key-Verfahren)"
                                   : "Protected: values 1–4 shown as ·, other values slightly perturbed (cell-key method)")
                             : (de ? "Exakte Werte" : "Exact figures"),
                {.italic = true});
  if (!t.row_keys.empty()) doc.Image(BarChartPng(t), doc.TextWidth());
  const bool two = !t.col_keys.empty();
  std::vector<std::string> header{DimensionName(t.rows, de)};
  if (two) {
    for (const auto& c : t.col_keys) header.push_back(name(*t.cols, c));
    header.push_back(de ? "Summe" : "Total");
  } else {
    header.push_back(MeasureName(t.measure, de));
  }
  const std::size_t C = two ? t.col_keys.size() : 1;
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < t.row_keys.size(); ++i) {
    std::vector<std::string> row{name(t.rows, t.row_keys[i])};
    for (std::size_t j = 0; j < C; ++j) row.push_back(Number(t.cells[i * C + j], money, de));
    if (two) row.push_back(Number(t.row_totals[i], money, de));
    rows.push_back(std::move(row));
  }
  std::vector<std::string> last{de ? "Summe" : "Total"};
  for (const auto& f : t.col_totals) last.push_back(Number(f, money, de));
  last.push_back(Number(t.total, money, de));
  rows.push_back(std::move(last));
  doc.Table(header, rows);
  return doc.Finish();
}

}  // namespace fairdesk::stats
