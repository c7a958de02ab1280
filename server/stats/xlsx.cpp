// The shared worksheet writer of the XLSX exports (libxlsxwriter, Debian libxlsxwriter-dev).

#include "stats/xlsx.hpp"

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/crypto/crypto.hpp"
#include "stats/export.hpp"

namespace fairdesk::stats {

struct XlsxSheet::Impl {
  std::filesystem::path path;
  std::string tmpdir;
  lxw_workbook* wb = nullptr;
  lxw_worksheet* ws = nullptr;
  lxw_format *bold = nullptr, *number = nullptr, *centred = nullptr, *date = nullptr;
  ~Impl() {
    if (wb) {
      workbook_close(wb);
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  }
};

XlsxSheet::XlsxSheet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxSheet::XlsxSheet(XlsxSheet&&) noexcept = default;
XlsxSheet& XlsxSheet::operator=(XlsxSheet&&) noexcept = default;
XlsxSheet::~XlsxSheet() = default;

Result<XlsxSheet> XlsxSheet::Open(std::string_view sheet_name, std::string_view number_format,
                                  std::string_view date_format) {
  auto impl = std::make_unique<Impl>();
  impl->path = std::filesystem::temp_directory_path() / ("fairdesk-export-" + crypto::RandomToken(12) + ".xlsx");
  impl->tmpdir = std::filesystem::temp_directory_path().string();
  lxw_workbook_options options{0, impl->tmpdir.data(), 0};
  impl->wb = workbook_new_opt(impl->path.c_str(), &options);
  if (!impl->wb) return Fail(Error::Internal("xlsx: cannot create the workbook"));
  impl->ws = workbook_add_worksheet(impl->wb, std::string(sheet_name.substr(0, 31)).c_str());
  impl->bold = workbook_add_format(impl->wb);
  format_set_bold(impl->bold);
  impl->number = workbook_add_format(impl->wb);
  format_set_num_format(impl->number, std::string(number_format).c_str());
  impl->centred = workbook_add_format(impl->wb);
  format_set_align(impl->centred, LXW_ALIGN_CENTER);
  impl->date = workbook_add_format(impl->wb);
  format_set_num_format(impl->date, std::string(date_format).c_str());
  return XlsxSheet(std::move(impl));
}

void XlsxSheet::Text(int row, int col, std::string_view text, bool bold) {
  worksheet_write_string(impl_->ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), SafeText(text).c_str(),
                         bold ? impl_->bold : nullptr);
}

void XlsxSheet::Figure(int row, int col, std::optional<std::int64_t> value, bool suppressed, double divisor) {
  if (suppressed) {
    worksheet_write_string(impl_->ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col),
                           std::string(kSuppressedMark).c_str(), impl_->centred);
    return;
  }
  worksheet_write_number(impl_->ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col),
                         static_cast<double>(value.value_or(0)) / divisor, impl_->number);
}

void XlsxSheet::Month(int row, int col, int year, int month) {
  lxw_datetime d{};
  d.year = year;
  d.month = month;
  d.day = 1;
  worksheet_write_datetime(impl_->ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), &d, impl_->date);
}

void XlsxSheet::TitleBlock(std::string_view title, std::string_view from, std::string_view to, bool protected_,
                           bool de) {
  Text(0, 0, title, true);
  Text(1, 0, std::string(de ? "Zeitraum " : "Period ") + std::string(from) + " – " + std::string(to));
  Text(2, 0,
       protected_ ? (de ? "Geschützt: Werte 1–4 als ·, übrige Werte leicht überlagert (Cell-Key-Verfahren)"
                        : "Protected: values 1–4 shown as ·, other values slightly perturbed (cell-key method)")
                  : (de ? "Exakte Werte" : "Exact figures"));
}

void XlsxSheet::ColumnWidth(int first, int last, double width) {
  worksheet_set_column(impl_->ws, static_cast<lxw_col_t>(first), static_cast<lxw_col_t>(last), width, nullptr);
}

Result<std::string> XlsxSheet::Finish() {
  const lxw_error err = workbook_close(impl_->wb);
  impl_->wb = nullptr;
  std::error_code ec;
  if (err != LXW_NO_ERROR) {
    std::filesystem::remove(impl_->path, ec);
    return Fail(Error::Internal(std::string("xlsx: ") + lxw_strerror(err)));
  }
  std::ifstream in(impl_->path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  in.close();
  std::filesystem::remove(impl_->path, ec);
  return ss.str();
}

}  // namespace fairdesk::stats
