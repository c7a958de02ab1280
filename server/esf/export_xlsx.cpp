// The indicator table as XLSX, written like the statistics exports (stats/xlsx.hpp): figures are
// number cells, protected ones the text "·", every text a string cell, so nothing is a formula.

#include "esf/esf.hpp"
#include "stats/xlsx.hpp"

namespace fairdesk::esf {

Result<std::string> IndicatorsXlsx(const IndicatorTable& t, std::string_view lang) {
  const bool de = lang == "de";
  auto sheet = FD_TRY(stats::XlsxSheet::Open(de ? "ESF-Plus-Indikatoren" : "ESF Plus indicators", "#,##0"));
  sheet.TitleBlock(de ? "ESF-Plus-Indikatoren (Verordnung (EU) 2021/1057, Anhang I)"
                      : "ESF Plus indicators (Regulation (EU) 2021/1057, Annex I)",
                   t.from, t.to, t.protected_, de);
  const int h = 4;
  const auto heads = IndicatorHeads(lang);
  for (int c = 0; c < static_cast<int>(heads.size()); ++c) sheet.Text(h, c, heads[c], true);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto& row = t.rows[i];
    const int r = h + 1 + static_cast<int>(i);
    sheet.Text(r, 0, row.code);
    sheet.Text(r, 1, de ? row.label_de : row.label_en);
    for (std::size_t j = 0; j < row.by_gender.size(); ++j) {
      sheet.Figure(r, 2 + static_cast<int>(j), row.by_gender[j].value, row.by_gender[j].suppressed);
    }
    sheet.Figure(r, 2 + static_cast<int>(row.by_gender.size()), row.total.value, row.total.suppressed);
  }
  sheet.ColumnWidth(0, 0, 20);
  sheet.ColumnWidth(1, 1, 60);
  sheet.ColumnWidth(2, 6, 12);
  return sheet.Finish();
}

}  // namespace fairdesk::esf
