#include "platform/pdf/pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

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

// Draws one laid-out line with its baseline's start at the current point, as
// pango_cairo_show_layout_line does, but hands Cairo every run's glyphs in visual order (left to
// right) with forward clusters. Pango's own renderer passes a right-to-left run "backward", and
// Cairo then writes its glyphs in logical order, each one to the left of the one before. PDF text
// extractors (poppler's pdftotext, and so Evince's copy) build words from glyphs that advance left
// to right: they read such a run back as single letters with spaces in between ("الترج م ة") and
// letters of a ligature swapped ("اخلميس"). Written left to right, as Chromium and LibreOffice
// write Arabic, the extractor finds the words and puts each line back into logical order with the
// Unicode bidi algorithm. A glyph that stands for several letters of a right-to-left run (a
// lam-alef ligature) and a group of glyphs under one ActualText (below) carry their letters in
// visual order, because the extractor spreads a glyph's text left to right over its width before
// it reverses the run (checked with Amiri and Noto Sans Arabic, which has a lam-alef ligature).
void ShowLine(cairo_t* cr, PangoLayoutLine* line) {
  double origin_x = 0, origin_y = 0;
  cairo_get_current_point(cr, &origin_x, &origin_y);
  const char* text = pango_layout_get_text(line->layout);
  double x = origin_x;
  for (GSList* l = line->runs; l != nullptr; l = l->next) {
    auto* run = static_cast<PangoGlyphItem*>(l->data);
    PangoGlyphString* gs = run->glyphs;
    // Visual x of every glyph, and whether it is drawn at all.
    std::vector<double> gx(static_cast<std::size_t>(gs->num_glyphs));
    double run_x = x;
    for (int i = 0; i < gs->num_glyphs; ++i) {
      gx[static_cast<std::size_t>(i)] = run_x;
      run_x += static_cast<double>(gs->glyphs[i].geometry.width) / PANGO_SCALE;
    }
    auto drawn_x = [&](int i) {
      return gx[static_cast<std::size_t>(i)] + static_cast<double>(gs->glyphs[i].geometry.x_offset) / PANGO_SCALE;
    };
    auto drawn = [&](int i) {
      PangoGlyph g = gs->glyphs[i].glyph;
      return g != PANGO_GLYPH_EMPTY && (g & PANGO_GLYPH_UNKNOWN_FLAG) == 0;
    };
    struct Cluster {
      int first_glyph, last_glyph;  // visual, inclusive; first > last: no glyph
      int start, end;               // byte range of the text
    };
    std::vector<Cluster> clusters;
    PangoGlyphItemIter iter;
    for (gboolean more = pango_glyph_item_iter_init_start(&iter, run, text); more;
         more = pango_glyph_item_iter_next_cluster(&iter)) {
      Cluster c{};
      if (iter.start_glyph <= iter.end_glyph) {
        c.first_glyph = iter.start_glyph, c.last_glyph = iter.end_glyph - 1;
      } else {
        c.first_glyph = iter.end_glyph + 1, c.last_glyph = iter.start_glyph;
      }
      c.start = iter.start_index, c.end = iter.end_index;
      clusters.push_back(c);
    }
    const bool rtl = (run->item->analysis.level & 1) != 0;
    x = run_x;
    cairo_scaled_font_t* font = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(run->item->analysis.font));
    if (font == nullptr) continue;
    cairo_set_scaled_font(cr, font);
    cairo_matrix_t font_matrix;
    cairo_scaled_font_get_font_matrix(font, &font_matrix);
    const double em = font_matrix.xx;
    if (rtl) std::reverse(clusters.begin(), clusters.end());  // logical -> visual
    auto space = [&](const Cluster& c) {
      return c.end > c.start && g_unichar_isspace(g_utf8_get_char(text + c.start));
    };
    auto joiner = [&](const Cluster& c) {
      gunichar u = c.end > c.start ? g_utf8_get_char(text + c.start) : 0;
      return u == 0x200C || u == 0x200D;
    };
    std::string utf8;
    std::vector<cairo_glyph_t> glyphs;
    std::vector<cairo_text_cluster_t> cairo_clusters;
    for (std::size_t k = 0; k < clusters.size();) {
      // A group of clusters: one, or in a right-to-left word several whose glyphs the font set
      // apart or on top of each other (Amiri kerns a final reh away from an initial yeh by
      // 0.16 em): an extractor takes a gap of 0.1 em for a space ("سر ية"). Cairo writes a group of
      // several glyphs under one ActualText, whose text the extractor spreads over the group.
      std::size_t end = k + 1;
      auto last_drawn = [&](const Cluster& c) {
        int found = -1;
        for (int i = c.first_glyph; i <= c.last_glyph; ++i) if (drawn(i)) found = i;
        return found;
      };
      auto first_drawn = [&](const Cluster& c) {
        for (int i = c.first_glyph; i <= c.last_glyph; ++i) if (drawn(i)) return i;
        return -1;
      };
      while (rtl && end < clusters.size() && !space(clusters[end - 1]) && !space(clusters[end])) {
        int a = last_drawn(clusters[end - 1]), b = first_drawn(clusters[end]);
        if (a < 0 || b < 0) {
          // A zero-width (non-)joiner has no glyph: alone it would be an ActualText without a
          // glyph, which extractors drop ("پیامرسان"); inside the group it stays in the word.
          if (!joiner(clusters[end - 1]) && !joiner(clusters[end])) break;
          ++end;
          continue;
        }
        cairo_glyph_t g{static_cast<unsigned long>(gs->glyphs[a].glyph), 0, 0};
        cairo_text_extents_t e;
        cairo_scaled_font_glyph_extents(font, &g, 1, &e);
        double gap = drawn_x(b) - drawn_x(a) - e.x_advance;
        if (gap <= 0.05 * em && gap >= -0.15 * em) break;
        ++end;
      }
      int count = 0;
      for (std::size_t m = k; m < end; ++m) {
        for (int i = clusters[m].first_glyph; i <= clusters[m].last_glyph; ++i) {
          if (!drawn(i)) continue;
          const PangoGlyphInfo& gi = gs->glyphs[i];
          glyphs.push_back({gi.glyph, drawn_x(i),
                            origin_y + static_cast<double>(gi.geometry.y_offset) / PANGO_SCALE});
          ++count;
        }
      }
      // The group's text in logical order; right to left in visual order (see above).
      std::string part;
      if (rtl) {
        for (std::size_t m = end; m-- > k;) part.append(text + clusters[m].start, static_cast<std::size_t>(clusters[m].end - clusters[m].start));
        gchar* reversed = g_utf8_strreverse(part.c_str(), static_cast<gssize>(part.size()));
        part = reversed;
        g_free(reversed);
      } else {
        part.assign(text + clusters[k].start, static_cast<std::size_t>(clusters[k].end - clusters[k].start));
      }
      k = end;
      if (count == 0 && part.empty()) continue;
      utf8 += part;
      cairo_clusters.push_back({static_cast<int>(part.size()), count});
    }
    if (glyphs.empty()) continue;
    cairo_show_text_glyphs(cr, utf8.data(), static_cast<int>(utf8.size()), glyphs.data(), static_cast<int>(glyphs.size()),
                           cairo_clusters.data(), static_cast<int>(cairo_clusters.size()), static_cast<cairo_text_cluster_flags_t>(0));
  }
  cairo_move_to(cr, origin_x, origin_y);
}

// pango_cairo_show_layout with ShowLine: the current point is the layout's top left corner.
void ShowLayout(cairo_t* cr, PangoLayout* layout) {
  double left = 0, top = 0;
  cairo_get_current_point(cr, &left, &top);
  PangoLayoutIter* it = pango_layout_get_iter(layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    double baseline = top + static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE;
    cairo_move_to(cr, left + static_cast<double>(logical.x) / PANGO_SCALE, baseline);
    ShowLine(cr, pango_layout_iter_get_line_readonly(it));
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  cairo_move_to(cr, left, top);
}

// A PDF text string: ASCII as a literal string, anything else as UTF-16BE with a BOM in hex.
std::string PdfText(std::string_view utf8) {
  bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (ascii) {
    std::string out = "(";
    for (char c : utf8) {
      if (c == '(' || c == ')' || c == '\\') out += '\\';
      out += c;
    }
    return out + ")";
  }
  std::string clean = Clean(utf8);
  glong n = 0;
  gunichar2* u16 = g_utf8_to_utf16(clean.c_str(), static_cast<glong>(clean.size()), nullptr, &n, nullptr);
  std::string out = "<FEFF";
  char buf[8];
  for (glong i = 0; u16 && i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(u16[i]));
    out += buf;
  }
  g_free(u16);
  return out + ">";
}

// Set while Finish() builds the untagged copy of a document (the constructor begins no tag).
thread_local bool construct_untagged = false;

struct ElementInfo {
  std::string lang, alt;
};

// An object "N 0 obj … endobj" of the file: its number and text.
struct PdfObject {
  int number = 0;
  std::string text;
};

std::optional<PdfObject> ObjectAround(const std::string& pdf, std::size_t inside) {
  std::size_t head = pdf.rfind(" 0 obj", inside);
  if (head == std::string::npos) return std::nullopt;
  std::size_t line = pdf.rfind('\n', head);
  line = line == std::string::npos ? 0 : line + 1;
  std::size_t end = pdf.find("endobj", inside);
  if (end == std::string::npos) return std::nullopt;
  PdfObject o;
  try {
    o.number = std::stoi(pdf.substr(line, head - line));
  } catch (...) {
    return std::nullopt;
  }
  o.text = pdf.substr(line, end + 6 - line);
  return o;
}

std::optional<std::string> TrailerValue(const std::string& trailer, std::string_view key) {
  std::size_t at = trailer.find(key);
  if (at == std::string::npos) return std::nullopt;
  at += key.size();
  while (at < trailer.size() && trailer[at] == ' ') ++at;
  std::size_t end = at;
  while (end < trailer.size() && (std::isdigit(static_cast<unsigned char>(trailer[end])) != 0)) ++end;
  if (end == at) return std::nullopt;
  return trailer.substr(at, end - at);
}

// Appends an incremental update to Cairo's tagged PDF: /Lang on the catalog and on the structure
// elements that have one, /Alt on figures, DisplayDocTitle. The structure elements are found in
// file order, which is Cairo's pre-order of the tag tree, the order they were begun in; if the
// counts differ nothing is added to the elements (the catalog still gets its language).
std::string AddLanguages(std::string pdf, const std::vector<ElementInfo>& elements, const std::string& doc_lang) {
  std::size_t trailer_at = pdf.rfind("trailer");
  std::size_t startxref_at = pdf.rfind("startxref");
  if (trailer_at == std::string::npos || startxref_at == std::string::npos || startxref_at < trailer_at) return pdf;
  std::string trailer = pdf.substr(trailer_at, startxref_at - trailer_at);
  auto size = TrailerValue(trailer, "/Size");
  auto root = TrailerValue(trailer, "/Root");
  auto info = TrailerValue(trailer, "/Info");
  auto prev = TrailerValue(pdf.substr(startxref_at), "startxref\n");
  if (!size || !root || !prev) return pdf;

  std::map<int, std::string> changed;
  std::vector<PdfObject> structure;
  for (std::size_t at = pdf.find("<< /Type /StructElem"); at != std::string::npos; at = pdf.find("<< /Type /StructElem", at + 1)) {
    if (auto o = ObjectAround(pdf, at)) structure.push_back(std::move(*o));
  }
  if (structure.size() == elements.size()) {
    for (std::size_t i = 0; i < structure.size(); ++i) {
      std::string extra;
      if (!elements[i].lang.empty()) extra += " /Lang " + PdfText(elements[i].lang);
      if (!elements[i].alt.empty()) extra += " /Alt " + PdfText(elements[i].alt);
      if (extra.empty()) continue;
      std::string text = structure[i].text;
      std::size_t type = text.find("/Type /StructElem");
      text.insert(type + std::strlen("/Type /StructElem"), extra);
      changed[structure[i].number] = std::move(text);
    }
  }
  std::size_t catalog_at = pdf.find(*root + " 0 obj");
  while (catalog_at != std::string::npos && catalog_at > 0 && pdf[catalog_at - 1] != '\n') {
    catalog_at = pdf.find(*root + " 0 obj", catalog_at + 1);
  }
  if (catalog_at != std::string::npos) {
    if (auto o = ObjectAround(pdf, catalog_at + root->size() + 6); o && o->text.find("/Type /Catalog") != std::string::npos) {
      std::string extra = " /ViewerPreferences << /DisplayDocTitle true >>";
      if (!doc_lang.empty()) extra = " /Lang " + PdfText(doc_lang) + extra;
      o->text.insert(o->text.find("/Type /Catalog") + std::strlen("/Type /Catalog"), extra);
      changed[o->number] = std::move(o->text);
    }
  }
  if (changed.empty()) return pdf;
  if (pdf.back() != '\n') pdf += '\n';
  std::map<int, std::size_t> offsets;
  for (const auto& [number, text] : changed) {
    offsets[number] = pdf.size();
    pdf += text;
    pdf += '\n';
  }
  std::size_t xref = pdf.size();
  pdf += "xref\n";
  char line[32];
  for (const auto& [number, offset] : offsets) {
    std::snprintf(line, sizeof line, "%d 1\n", number);
    pdf += line;
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + *size + " /Root " + *root + " 0 R";
  if (info) pdf += " /Info " + *info + " 0 R";
  pdf += " /Prev " + *prev + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace

struct Document::Impl {
  // Tagging: Cairo 1.16 refuses some tag sequences at the end (e.g. a figure or a page break
  // before any text: CAIRO_STATUS_TAG_ERROR). Every call is recorded, so that Finish() can draw
  // the same document again untagged rather than fail.
  bool tagged = true;
  std::vector<std::function<void(Document&)>> replay;
  std::vector<ElementInfo> elements;  // structure elements in the order they were begun
  int open_sections = 0;

  void Begin(const char* tag, std::string_view lang = {}, std::string_view alt = {}) {
    if (!tagged) return;
    elements.push_back({std::string(lang), std::string(alt)});
    cairo_tag_begin(cr, tag, "");
  }
  void End(const char* tag) {
    if (tagged) cairo_tag_end(cr, tag);
  }
  void Record(std::function<void(Document&)> call) {
    if (tagged) replay.push_back(std::move(call));
  }

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
    // Glyphs where the font puts them: Pango rounds positions to whole points by default (for
    // screens), which shifts an Arabic letter by up to half a point against its neighbours.
    pango_context_set_round_glyph_positions(pango_layout_get_context(layout), FALSE);
    pango_layout_context_changed(layout);
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
    ShowLayout(cr, layout);
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
      ShowLine(cr, line);
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
  s.tagged = s.options.tagged && !construct_untagged;
  construct_untagged = false;
  s.Begin("Document", s.options.lang);
}

Document::~Document() {
  if (impl_->cr) cairo_destroy(impl_->cr);
  if (impl_->surface) cairo_surface_destroy(impl_->surface);
}

double Document::TextWidth() const { return impl_->Width(); }
double Document::SpaceLeft() const { return impl_->Bottom() - impl_->y; }

void Document::BeginSection(std::string_view lang) {
  auto& s = *impl_;
  if (s.finished) return;
  s.Record([l = std::string(lang)](Document& d) { d.BeginSection(l); });
  s.Begin("Sect", lang);
  ++s.open_sections;
}

void Document::EndSection() {
  auto& s = *impl_;
  if (s.finished || s.open_sections == 0) return;
  s.Record([](Document& d) { d.EndSection(); });
  s.End("Sect");
  --s.open_sections;
}

void Document::Heading(std::string_view text, int level, std::string_view lang) {
  auto& s = *impl_;
  if (s.finished) return;
  s.Record([t = std::string(text), level, l = std::string(lang)](Document& d) { d.Heading(t, level, l); });
  const char* tag = level <= 1 ? "H1" : "H2";
  TextStyle st{.size = level <= 1 ? 20.0 : 14.0, .bold = true, .space_after = level <= 1 ? 10.0 : 6.0};
  PangoLayout* layout = s.MakeLayout(text, st, s.Width());
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  // Keep the heading with at least two lines of what follows.
  s.Ensure(static_cast<double>(h) / PANGO_SCALE + 3 * s.options.font_size);
  if (s.page_has_content) s.y += level <= 1 ? 8 : 4;
  s.Begin(tag, lang);
  s.Flow(layout, s.Left(), 0);
  s.End(tag);
  g_object_unref(layout);
  s.y += st.space_after;
}

void Document::Paragraph(std::string_view text, const TextStyle& style) {
  auto& s = *impl_;
  if (s.finished) return;
  s.Record([t = std::string(text), style](Document& d) { d.Paragraph(t, style); });
  PangoLayout* layout = s.MakeLayout(text, style, s.Width());
  s.Begin("P", style.lang);
  s.Flow(layout, s.Left(), style.grey);
  s.End("P");
  g_object_unref(layout);
  s.y += style.space_after;
}

void Document::Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                     std::vector<double> widths) {
  auto& s = *impl_;
  if (s.finished) return;
  s.Record([header, rows, widths](Document& d) { d.Table(header, rows, widths); });
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
    s.Begin("TR");
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
      s.Begin(is_header ? "TH" : "TD");
      ShowLayout(s.cr, layouts[i]);
      s.End(is_header ? "TH" : "TD");
      cairo_set_source_rgb(s.cr, 0.6, 0.6, 0.6);
      x += col_w[i];
      g_object_unref(layouts[i]);
    }
    s.End("TR");
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
  s.Begin("Table");
  if (!header.empty()) draw_row(header, true);
  for (const auto& r : rows) {
    double h = row_height(r, false);
    if (s.y + h > s.Bottom()) {
      s.NewPage();
      if (!header.empty()) draw_row(header, true);
    }
    draw_row(r, false);
  }
  s.End("Table");
  s.y += 8;
}

void Document::Image(std::string_view png_bytes, double width, std::string_view alt) {
  auto& s = *impl_;
  if (s.finished) return;
  s.Record([png = std::string(png_bytes), width, a = std::string(alt)](Document& d) { d.Image(png, width, a); });
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
  s.Begin("Figure", {}, alt);
  cairo_save(s.cr);
  cairo_translate(s.cr, x, s.y);
  cairo_scale(s.cr, scale, scale);
  cairo_set_source_surface(s.cr, img, 0, 0);
  cairo_paint(s.cr);
  cairo_restore(s.cr);
  s.End("Figure");
  cairo_surface_destroy(img);
  s.y += h + 8;
  s.page_has_content = true;
}

namespace {
class CairoCanvas final : public Canvas {
 public:
  CairoCanvas(cairo_t* cr, double w, double h, std::function<PangoLayout*(std::string_view, const TextStyle&)> layout)
      : cr_(cr), w_(w), h_(h), layout_(std::move(layout)) {}
  double width() const override { return w_; }
  double height() const override { return h_; }
  void Line(double x1, double y1, double x2, double y2, double line_width, Colour c, bool dashed) override {
    Polyline({{x1, y1}, {x2, y2}}, line_width, c, dashed);
  }
  void Polyline(const std::vector<std::pair<double, double>>& points, double line_width, Colour c, bool dashed) override {
    if (points.size() < 2) return;
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, c.r, c.g, c.b);
    cairo_set_line_width(cr_, line_width);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    if (dashed) {
      const double dash[] = {4, 3};
      cairo_set_dash(cr_, dash, 2, 0);
    }
    cairo_move_to(cr_, points[0].first, points[0].second);
    for (std::size_t i = 1; i < points.size(); ++i) cairo_line_to(cr_, points[i].first, points[i].second);
    cairo_stroke(cr_);
    cairo_restore(cr_);
  }
  void Rect(double x, double y, double w, double h, Colour fill) override {
    cairo_set_source_rgb(cr_, fill.r, fill.g, fill.b);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
  }
  void Dot(double x, double y, double radius, Colour fill) override {
    cairo_set_source_rgb(cr_, fill.r, fill.g, fill.b);
    cairo_new_sub_path(cr_);
    cairo_arc(cr_, x, y, radius, 0, 6.283185307179586);
    cairo_fill(cr_);
  }
  double Text(double x, double y, std::string_view text, double size, Align align, Colour c, double max_width) override {
    PangoLayout* layout = layout_(text, TextStyle{.size = size});
    pango_layout_set_width(layout, max_width > 0 ? static_cast<int>(max_width * PANGO_SCALE) : -1);
    if (max_width > 0) pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    int pw = 0, ph = 0;
    pango_layout_get_size(layout, &pw, &ph);
    const double tw = static_cast<double>(pw) / PANGO_SCALE;
    double left = x;
    if (align == Align::kCenter) left = x - tw / 2;
    else if (align == Align::kEnd) left = x - tw;
    cairo_set_source_rgb(cr_, c.r, c.g, c.b);
    cairo_move_to(cr_, left, y);
    ShowLayout(cr_, layout);
    g_object_unref(layout);
    return tw;
  }

 private:
  cairo_t* cr_;
  double w_, h_;
  std::function<PangoLayout*(std::string_view, const TextStyle&)> layout_;
};
}  // namespace

void Document::Drawing(double height, std::function<void(Canvas&)> draw, std::string_view alt) {
  auto& s = *impl_;
  if (s.finished) return;
  s.Record([height, draw, a = std::string(alt)](Document& d) { d.Drawing(height, draw, a); });
  const double h = std::min(std::max(height, 1.0), s.Bottom() - s.options.margin);
  s.Ensure(h);
  s.Begin("Figure", {}, alt);
  cairo_save(s.cr);
  cairo_translate(s.cr, s.Left(), s.y);
  cairo_rectangle(s.cr, 0, 0, s.Width(), h);
  cairo_clip(s.cr);
  CairoCanvas canvas(s.cr, s.Width(), h, [&s](std::string_view text, const TextStyle& st) {
    return s.MakeLayout(text, st, s.Width());
  });
  draw(canvas);
  cairo_restore(s.cr);
  s.End("Figure");
  s.y += h + 8;
  s.page_has_content = true;
}

void Document::Spacer(double points) {
  auto& s = *impl_;
  if (s.finished) return;
  s.Record([points](Document& d) { d.Spacer(points); });
  s.y += std::max(points, 0.0);
  if (s.y > s.Bottom()) s.NewPage();
}

void Document::Rule() {
  auto& s = *impl_;
  if (s.finished) return;
  s.Record([](Document& d) { d.Rule(); });
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
  s.Record([](Document& d) { d.PageBreak(); });
  s.NewPage();
}

Result<std::string> Document::Finish() {
  auto& s = *impl_;
  if (s.finished) return Fail(Error::Internal("pdf: Finish called twice"));
  s.finished = true;
  s.Footer();
  while (s.open_sections > 0) {
    s.End("Sect");
    --s.open_sections;
  }
  s.End("Document");
  cairo_show_page(s.cr);
  cairo_destroy(s.cr);
  s.cr = nullptr;
  cairo_surface_finish(s.surface);
  cairo_status_t status = cairo_surface_status(s.surface);
  cairo_surface_destroy(s.surface);
  s.surface = nullptr;
  if (s.failed) return Fail(Error::Internal("pdf: " + s.failure));
  if (status == CAIRO_STATUS_TAG_ERROR && s.tagged) {
    // Cairo did not accept the structure: the same document without tags (still real text).
    construct_untagged = true;
    Document plain(s.options);
    for (const auto& call : s.replay) call(plain);
    return plain.Finish();
  }
  if (status != CAIRO_STATUS_SUCCESS) return Fail(Error::Internal(std::string("pdf: ") + cairo_status_to_string(status)));
  if (!s.tagged) return std::move(s.out);
  return AddLanguages(std::move(s.out), s.elements, s.options.lang);
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
