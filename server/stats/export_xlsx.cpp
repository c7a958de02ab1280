// XLSX export with libxlsxwriter (Debian libxlsxwriter-dev): figures are number cells, months and
// quarters date cells (first day of the period), every text goes through SafeText and is written
// as a string cell, so nothing is ever a formula.

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/crypto/crypto.hpp"
#include "stats/export.hpp"

namespace fairdesk::stats {
namespace {

struct Workbook {
  lxw_workbook* wb = nullptr;
  ~Workbook() {
    if (wb) workbook_close(wb);
  }
};

// "2026-03" → 2026-03-01, "2026-Q2" → 2026-04-01, "2026" → 2026-01-01.
std::optional<lxw_datetime> PeriodDate(std::string_view dim, const std::string& key) {
  if (dim != "month" && dim != "quarter" && dim != "year") return std::nullopt;
  if (key.size() < 4 || !std::all_of(key.begin(), key.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  lxw_datetime d{};
  d.year = std::stoi(key.substr(0, 4));
  d.day = 1;
  if (dim == "month" && key.size() == 7) d.month = std::stoi(key.substr(5, 2));
  else if (dim == "quarter" && key.size() == 7) d.month = (key[6] - '1') * 3 + 1;
  else if (dim == "year") d.month = 1;
  else return std::nullopt;
  return d;
}

}  // namespace

Result<std::string> TableXlsx(const Table& t, const std::string& lang) {
  const bool de = lang == "de";
  const auto path = std::filesystem::temp_directory_path() / ("fairdesk-stats-" + crypto::RandomToken(12) + ".xlsx");
  std::string tmpdir = std::filesystem::temp_directory_path().string();
  lxw_workbook_options options{0, tmpdir.data(), 0};
  {
    Workbook book;
    book.wb = workbook_new_opt(path.c_str(), &options);
    if (!book.wb) return Fail(Error::Internal("stats: xlsx workbook"));
    lxw_worksheet* ws = workbook_add_worksheet(book.wb, t.measure.substr(0, 31).c_str());
    lxw_format* bold = workbook_add_format(book.wb);
    format_set_bold(bold);
    lxw_format* date = workbook_add_format(book.wb);
    format_set_num_format(date, t.rows == "year" ? "yyyy" : "mm/yyyy");
    lxw_format* number = workbook_add_format(book.wb);
    const bool money = t.measure == "wages_recovered_cents";
    format_set_num_format(number, money ? "#,##0.00" : "#,##0");
    lxw_format* centred = workbook_add_format(book.wb);
    format_set_align(centred, LXW_ALIGN_CENTER);

    auto text = [&](int r, int c, std::string_view s, lxw_format* f) {
      worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), SafeText(s).c_str(), f);
    };
    auto figure = [&](int r, int c, const Figure& f) {
      if (f.suppressed) {
        text(r, c, kSuppressedMark, centred);
      } else {
        const double v = static_cast<double>(f.value.value_or(0)) / (money ? 100.0 : 1.0);
        worksheet_write_number(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), v, number);
      }
    };
    // Title lines: what, which months, protected or exact.
    std::string title = (de ? "fairdesk-Statistik: " : "fairdesk statistics: ") + t.measure +
                        (money ? (de ? " (Euro)" : " (euro)") : "");
    text(0, 0, title, bold);
    text(1, 0, (de ? "Zeitraum " : "Period ") + t.from + " – " + t.to, nullptr);
    text(2, 0,
         t.protected_ ? (de ? "Geschützt: Werte 1–4 als ·, übrige Werte leicht überlagert (Cell-Key-Verfahren)"
                            : "Protected: values 1–4 shown as ·, other values slightly perturbed (cell-key method)")
                      : (de ? "Exakte Werte" : "Exact figures"),
         nullptr);
    const int h = 4;
    const bool two = !t.col_keys.empty();
    text(h, 0, t.rows, bold);
    if (two) {
      for (std::size_t j = 0; j < t.col_keys.size(); ++j) text(h, static_cast<int>(j + 1), t.col_keys[j], bold);
      text(h, static_cast<int>(t.col_keys.size() + 1), de ? "Summe" : "Total", bold);
    } else {
      text(h, 1, t.measure, bold);
    }
    const std::size_t C = two ? t.col_keys.size() : 1;
    for (std::size_t i = 0; i < t.row_keys.size(); ++i) {
      const int r = h + 1 + static_cast<int>(i);
      if (auto d = PeriodDate(t.rows, t.row_keys[i])) {
        worksheet_write_datetime(ws, static_cast<lxw_row_t>(r), 0, &*d, date);
      } else {
        text(r, 0, t.row_keys[i], nullptr);
      }
      for (std::size_t j = 0; j < C; ++j) figure(r, static_cast<int>(j + 1), t.cells[i * C + j]);
      if (two) figure(r, static_cast<int>(C + 1), t.row_totals[i]);
    }
    const int last = h + 1 + static_cast<int>(t.row_keys.size());
    text(last, 0, de ? "Summe" : "Total", bold);
    for (std::size_t j = 0; j < t.col_totals.size(); ++j) figure(last, static_cast<int>(j + 1), t.col_totals[j]);
    figure(last, two ? static_cast<int>(C + 1) : 1, t.total);
    worksheet_set_column(ws, 0, 0, 22, nullptr);
    worksheet_set_column(ws, 1, static_cast<lxw_col_t>(C + 1), 12, nullptr);
    const lxw_error err = workbook_close(book.wb);
    book.wb = nullptr;
    if (err != LXW_NO_ERROR) {
      std::filesystem::remove(path);
      return Fail(Error::Internal(std::string("stats: xlsx ") + lxw_strerror(err)));
    }
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return ss.str();
}

}  // namespace fairdesk::stats
