#include "platform/pdf/pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstring>

namespace fairdesk::pdf {
namespace {

constexpr double kA4Width = 595.276;
constexpr double kA4Height = 841.890;
constexpr double kCellPad = 4;

cairo_status_t WriteToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct PngReader {
  std::string_view bytes;
  std::size_t pos = 0;
};

cairo_status_t ReadFromView(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->bytes.size() - r->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes.data() + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

// Pango wants valid UTF-8 without NUL; the callers pass checked input, but a stray byte must not
// crash the server: replace what is not UTF-8.
std::string Clean(std::string_view text) {
  const char* end = nullptr;
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), &end)) return std::string(text);
  gchar* fixed = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string out(fixed);
  g_free(fixed);
  return out;
}

PangoAlignment ToPango(Align a) {
  switch (a) {
    case Align::kCenter: return PANGO_ALIGN_CENTER;
    case Align::kEnd: return PANGO_ALIGN_RIGHT;
    default: return PANGO_ALIGN_LEFT;  // with auto-dir, LEFT means the start side of the paragraph
  }
}

}  // namespace

struct Document::Impl {
  Options options;
  std::string out;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  double page_w = kA4Width, page_h = kA4Height;
  double y = 0;
  int page = 1;
  bool page_has_content = false;
  bool finished = false;
  bool failed = false;
  std::string failure;

  double Left() const { return options.margin; }
  double Width() const { return page_w - 2 * options.margin; }
  double Bottom() const { return page_h - options.margin - (options.footer.empty() ? 0 : 18); }

  PangoLayout* MakeLayout(std::string_view text, const TextStyle& style, double width) {
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* fd = pango_font_description_from_string(options.font.c_str());
    pango_font_description_set_size(fd, static_cast<gint>((style.size > 0 ? style.size : options.font_size) * PANGO_SCALE));
    if (style.bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (style.italic) pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_auto_dir(layout, TRUE);
    pango_layout_set_alignment(layout, ToPango(style.align));
    pango_layout_set_justify(layout, style.align == Align::kJustify);
    std::string clean = Clean(text);
    pango_layout_set_text(layout, clean.c_str(), static_cast<int>(clean.size()));
    return layout;
  }

  void Footer() {
    if (options.footer.empty()) return;
    TextStyle st{.size = 8, .align = Align::kCenter, .grey = 0.35};
    std::string text = options.footer + " · " + std::to_string(page);
    PangoLayout* layout = MakeLayout(text, st, Width());
    cairo_set_source_rgb(cr, st.grey, st.grey, st.grey);
    cairo_move_to(cr, Left(), page_h - options.margin - 10);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
  }

  void NewPage() {
    Footer();
    cairo_show_page(cr);
    ++page;
    y = options.margin;
    page_has_content = false;
  }

  void Ensure(double height) {
    if (y + height > Bottom() && page_has_content) NewPage();
  }

  // Draws a laid-out block line by line, breaking across pages between lines.
  void Flow(PangoLayout* layout, double x, double grey) {
    PangoLayoutIter* it = pango_layout_get_iter(layout);
    double block_top = y;
    int offset_top = 0;  // layout y (Pango units) at the top of the current page's part
    bool first = true;
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      double line_top = static_cast<double>(logical.y - offset_top) / PANGO_SCALE;
      double line_h = static_cast<double>(logical.height) / PANGO_SCALE;
      if (block_top + line_top + line_h > Bottom() && (page_has_content || !first)) {
        NewPage();
        block_top = y;
        offset_top = logical.y;
        line_top = 0;
      }
      double baseline = block_top + static_cast<double>(pango_layout_iter_get_baseline(it) - offset_top) / PANGO_SCALE;
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
      cairo_set_source_rgb(cr, grey, grey, grey);
      cairo_move_to(cr, x + static_cast<double>(logical.x) / PANGO_SCALE, baseline);
      pango_cairo_show_layout_line(cr, line);
      y = block_top + line_top + line_h;
      page_has_content = true;
      first = false;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }

  void Fail(std::string why) {
    if (!failed) {
      failed = true;
      failure = std::move(why);
    }
  }
};

Document::Document(Options options) : impl_(std::make_unique<Impl>()) {
  auto& s = *impl_;
  s.options = std::move(options);
  if (s.options.orientation == Orientation::kLandscape) std::swap(s.page_w, s.page_h);
  s.surface = cairo_pdf_surface_create_for_stream(WriteToString, &s.out, s.page_w, s.page_h);
  cairo_pdf_surface_restrict_to_version(s.surface, CAIRO_PDF_VERSION_1_5);
  if (!s.options.title.empty()) cairo_pdf_surface_set_metadata(s.surface, CAIRO_PDF_METADATA_TITLE, s.options.title.c_str());
  if (!s.options.author.empty()) cairo_pdf_surface_set_metadata(s.surface, CAIRO_PDF_METADATA_AUTHOR, s.options.author.c_str());
  if (!s.options.subject.empty()) cairo_pdf_surface_set_metadata(s.surface, CAIRO_PDF_METADATA_SUBJECT, s.options.subject.c_str());
  cairo_pdf_surface_set_metadata(s.surface, CAIRO_PDF_METADATA_CREATOR, "fairdesk");
  if (!s.options.creation_date.empty()) {
    cairo_pdf_surface_set_metadata(s.surface, CAIRO_PDF_METADATA_CREATE_DATE, s.options.creation_date.c_str());
  }
  s.cr = cairo_create(s.surface);
  s.y = s.options.margin;
}

Document::~Document() {
  if (impl_->cr) cairo_destroy(impl_->cr);
  if (impl_->surface) cairo_surface_destroy(impl_->surface);
}

double Document::TextWidth() const { return impl_->Width(); }
double Document::SpaceLeft() const { return impl_->Bottom() - impl_->y; }

void Document::Heading(std::string_view text, int level) {
  auto& s = *impl_;
  if (s.finished) return;
  TextStyle st{.size = level <= 1 ? 20.0 : 14.0, .bold = true, .space_after = level <= 1 ? 10.0 : 6.0};
  PangoLayout* layout = s.MakeLayout(text, st, s.Width());
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  // Keep the heading with at least two lines of what follows.
  s.Ensure(static_cast<double>(h) / PANGO_SCALE + 3 * s.options.font_size);
  if (s.page_has_content) s.y += level <= 1 ? 8 : 4;
  s.Flow(layout, s.Left(), 0);
  g_object_unref(layout);
  s.y += st.space_after;
}

void Document::Paragraph(std::string_view text, const TextStyle& style) {
  auto& s = *impl_;
  if (s.finished) return;
  PangoLayout* layout = s.MakeLayout(text, style, s.Width());
  s.Flow(layout, s.Left(), style.grey);
  g_object_unref(layout);
  s.y += style.space_after;
}

void Document::Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                     std::vector<double> widths) {
  auto& s = *impl_;
  if (s.finished) return;
  std::size_t cols = header.size();
  for (const auto& r : rows) cols = std::max(cols, r.size());
  if (cols == 0) return;
  if (widths.size() != cols) widths.assign(cols, 1.0 / static_cast<double>(cols));
  double total = 0;
  for (double w : widths) total += std::max(w, 0.0);
  if (total <= 0) widths.assign(cols, 1.0 / static_cast<double>(cols)), total = 1;
  std::vector<double> col_w(cols);
  for (std::size_t i = 0; i < cols; ++i) col_w[i] = s.Width() * std::max(widths[i], 0.0) / total;
  double size = s.options.font_size * 0.95;

  auto draw_row = [&](const std::vector<std::string>& cells, bool is_header) {
    std::vector<PangoLayout*> layouts;
    double row_h = 0;
    for (std::size_t i = 0; i < cols; ++i) {
      std::string_view text = i < cells.size() ? std::string_view(cells[i]) : std::string_view();
      TextStyle st{.size = size, .bold = is_header};
      PangoLayout* l = s.MakeLayout(text, st, std::max(col_w[i] - 2 * kCellPad, 1.0));
      int w = 0, h = 0;
      pango_layout_get_size(l, &w, &h);
      row_h = std::max(row_h, static_cast<double>(h) / PANGO_SCALE + 2 * kCellPad);
      layouts.push_back(l);
    }
    double x = s.Left();
    if (is_header) {
      cairo_set_source_rgb(s.cr, 0.9, 0.9, 0.9);
      cairo_rectangle(s.cr, x, s.y, s.Width(), row_h);
      cairo_fill(s.cr);
    }
    cairo_set_source_rgb(s.cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(s.cr, 0.5);
    for (std::size_t i = 0; i < cols; ++i) {
      cairo_rectangle(s.cr, x, s.y, col_w[i], row_h);
      cairo_stroke(s.cr);
      cairo_set_source_rgb(s.cr, 0, 0, 0);
      cairo_move_to(s.cr, x + kCellPad, s.y + kCellPad);
      pango_cairo_show_layout(s.cr, layouts[i]);
      cairo_set_source_rgb(s.cr, 0.6, 0.6, 0.6);
      x += col_w[i];
      g_object_unref(layouts[i]);
    }
    s.y += row_h;
    s.page_has_content = true;
  };
  // Measures a row without drawing (for the page-break decision).
  auto row_height = [&](const std::vector<std::string>& cells, bool is_header) {
    double row_h = 0;
    for (std::size_t i = 0; i < cols; ++i) {
      std::string_view text = i < cells.size() ? std::string_view(cells[i]) : std::string_view();
      TextStyle st{.size = size, .bold = is_header};
      PangoLayout* l = s.MakeLayout(text, st, std::max(col_w[i] - 2 * kCellPad, 1.0));
      int w = 0, h = 0;
      pango_layout_get_size(l, &w, &h);
      row_h = std::max(row_h, static_cast<double>(h) / PANGO_SCALE + 2 * kCellPad);
      g_object_unref(l);
    }
    return row_h;
  };

  double header_h = header.empty() ? 0 : row_height(header, true);
  s.Ensure(header_h + (rows.empty() ? 0 : row_height(rows.front(), false)));
  if (!header.empty()) draw_row(header, true);
  for (const auto& r : rows) {
    double h = row_height(r, false);
    if (s.y + h > s.Bottom()) {
      s.NewPage();
      if (!header.empty()) draw_row(header, true);
    }
    draw_row(r, false);
  }
  s.y += 8;
}

void Document::Image(std::string_view png_bytes, double width) {
  auto& s = *impl_;
  if (s.finished) return;
  PngReader reader{png_bytes};
  cairo_surface_t* img = cairo_image_surface_create_from_png_stream(ReadFromView, &reader);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(img);
    s.Fail("the image is not a readable PNG");
    return;
  }
  double iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
  if (iw <= 0 || ih <= 0) {
    cairo_surface_destroy(img);
    s.Fail("the image is empty");
    return;
  }
  double w = width > 0 ? width : iw;
  w = std::min(w, s.Width());
  double scale = w / iw;
  double h = ih * scale;
  h = std::min(h, s.Bottom() - s.options.margin);  // never taller than a page
  scale = h / ih;
  w = iw * scale;
  s.Ensure(h);
  double x = s.Left() + (s.Width() - w) / 2;
  cairo_save(s.cr);
  cairo_translate(s.cr, x, s.y);
  cairo_scale(s.cr, scale, scale);
  cairo_set_source_surface(s.cr, img, 0, 0);
  cairo_paint(s.cr);
  cairo_restore(s.cr);
  cairo_surface_destroy(img);
  s.y += h + 8;
  s.page_has_content = true;
}

void Document::Spacer(double points) {
  auto& s = *impl_;
  if (s.finished) return;
  s.y += std::max(points, 0.0);
  if (s.y > s.Bottom()) s.NewPage();
}

void Document::Rule() {
  auto& s = *impl_;
  if (s.finished) return;
  s.Ensure(8);
  cairo_set_source_rgb(s.cr, 0.5, 0.5, 0.5);
  cairo_set_line_width(s.cr, 0.7);
  cairo_move_to(s.cr, s.Left(), s.y + 3);
  cairo_line_to(s.cr, s.Left() + s.Width(), s.y + 3);
  cairo_stroke(s.cr);
  s.y += 8;
  s.page_has_content = true;
}

void Document::PageBreak() {
  auto& s = *impl_;
  if (s.finished) return;
  s.NewPage();
}

Result<std::string> Document::Finish() {
  auto& s = *impl_;
  if (s.finished) return Fail(Error::Internal("pdf: Finish called twice"));
  s.finished = true;
  s.Footer();
  cairo_show_page(s.cr);
  cairo_destroy(s.cr);
  s.cr = nullptr;
  cairo_surface_finish(s.surface);
  cairo_status_t status = cairo_surface_status(s.surface);
  cairo_surface_destroy(s.surface);
  s.surface = nullptr;
  if (s.failed) return Fail(Error::Internal("pdf: " + s.failure));
  if (status != CAIRO_STATUS_SUCCESS) return Fail(Error::Internal(std::string("pdf: ") + cairo_status_to_string(status)));
  return std::move(s.out);
}

}  // namespace fairdesk::pdf

#if defined(__SANITIZE_ADDRESS__)
// fontconfig and Pango keep their font caches for the life of the process on purpose; they are
// not leaks of ours. LeakSanitizer reads this hook from any program that links the PDF writer.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libpango-1.0.so\nleak:libpangoft2-1.0.so\nleak:libpangocairo-1.0.so\n"
         "leak:libcairo.so\nleak:libglib-2.0.so\nleak:libgobject-2.0.so\nleak:libharfbuzz.so\n";
}
#endif
