#pragma once
/// One worksheet written with libxlsxwriter, the way every figures export writes it (statistics
/// tables, ESF Plus indicators): figures as number cells, protected ones as the centred text "·",
/// every text through SafeText as a string cell (never a formula), the title block of three lines.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/error.hpp"

namespace fairdesk::stats {

class XlsxSheet {
 public:
  /// A workbook in a temporary file with one sheet; `number_format` of the figures ("#,##0"),
  /// `date_format` of the date cells ("mm/yyyy").
  static Result<XlsxSheet> Open(std::string_view sheet_name, std::string_view number_format,
                                std::string_view date_format = "mm/yyyy");
  XlsxSheet(XlsxSheet&&) noexcept;
  XlsxSheet& operator=(XlsxSheet&&) noexcept;
  ~XlsxSheet();

  void Text(int row, int col, std::string_view text, bool bold = false);
  /// A figure: the number `value / divisor`, or "·" when suppressed.
  void Figure(int row, int col, std::optional<std::int64_t> value, bool suppressed, double divisor = 1.0);
  /// A date cell of the first day of a month.
  void Month(int row, int col, int year, int month);
  /// Rows 0-2: the title (bold), the period "from – to", and whether the figures are exact or
  /// protected (cell-key method), in German or English.
  void TitleBlock(std::string_view title, std::string_view from, std::string_view to, bool protected_, bool de);
  void ColumnWidth(int first, int last, double width);
  /// Closes the workbook and returns its bytes (the temporary file is removed).
  Result<std::string> Finish();

 private:
  struct Impl;
  explicit XlsxSheet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fairdesk::stats
