// The indicator table as XLSX (libxlsxwriter, as the statistics exports): figures are number
// cells, protected ones the text "·", every text through stats::SafeText and written as a string
// cell, so nothing is ever a formula.

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "esf/esf.hpp"
#include "platform/crypto/crypto.hpp"
#include "stats/export.hpp"

namespace fairdesk::esf {

Result<std::string> IndicatorsXlsx(const IndicatorTable& t, std::string_view lang) {
  const bool de = lang == "de";
  const auto path = std::filesystem::temp_directory_path() / ("fairdesk-esf-" + crypto::RandomToken(12) + ".xlsx");
  std::string tmpdir = std::filesystem::temp_directory_path().string();
  lxw_workbook_options options{0, tmpdir.data(), 0};
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return Fail(Error::Internal("esf: xlsx workbook"));
  lxw_worksheet* ws = workbook_add_worksheet(wb, de ? "ESF-Plus-Indikatoren" : "ESF Plus indicators");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* number = workbook_add_format(wb);
  format_set_num_format(number, "#,##0");
  lxw_format* centred = workbook_add_format(wb);
  format_set_align(centred, LXW_ALIGN_CENTER);
  auto text = [&](int r, int c, std::string_view s, lxw_format* f) {
    worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), stats::SafeText(s).c_str(), f);
  };
  auto figure = [&](int r, int c, const Figure& f) {
    if (f.suppressed) {
      text(r, c, stats::kSuppressedMark, centred);
    } else {
      worksheet_write_number(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                             static_cast<double>(f.value.value_or(0)), number);
    }
  };
  text(0, 0, de ? "ESF-Plus-Indikatoren (Verordnung (EU) 2021/1057, Anhang I)"
                : "ESF Plus indicators (Regulation (EU) 2021/1057, Annex I)", bold);
  text(1, 0, (de ? "Zeitraum " : "Period ") + t.from + " – " + t.to, nullptr);
  text(2, 0,
       t.protected_ ? (de ? "Geschützt: Werte 1–4 als ·, übrige Werte leicht überlagert (Cell-Key-Verfahren)"
                          : "Protected: values 1–4 shown as ·, other values slightly perturbed (cell-key method)")
                    : (de ? "Exakte Werte" : "Exact figures"),
       nullptr);
  const int h = 4;
  const char* heads_de[] = {"Code", "Indikator", "Frauen", "Männer", "nicht-binär", "ohne Angabe", "Insgesamt"};
  const char* heads_en[] = {"code", "indicator", "women", "men", "non-binary", "not stated", "total"};
  for (int c = 0; c < 7; ++c) text(h, c, de ? heads_de[c] : heads_en[c], bold);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto& row = t.rows[i];
    const int r = h + 1 + static_cast<int>(i);
    text(r, 0, row.code, nullptr);
    text(r, 1, de ? row.label_de : row.label_en, nullptr);
    for (std::size_t j = 0; j < row.by_gender.size(); ++j) figure(r, 2 + static_cast<int>(j), row.by_gender[j]);
    figure(r, 2 + static_cast<int>(row.by_gender.size()), row.total);
  }
  worksheet_set_column(ws, 0, 0, 20, nullptr);
  worksheet_set_column(ws, 1, 1, 60, nullptr);
  worksheet_set_column(ws, 2, 6, 12, nullptr);
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    std::filesystem::remove(path);
    return Fail(Error::Internal(std::string("esf: xlsx ") + lxw_strerror(err)));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return ss.str();
}

}  // namespace fairdesk::esf
