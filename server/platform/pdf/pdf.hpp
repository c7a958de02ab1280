#pragma once
/// Small, reusable PDF writer: pages of flowing text in every script the network works in
/// (German with umlauts, Arabic and Persian right to left, Tigrinya in Ethiopic script, …), shaped
/// by Pango (HarfBuzz + FriBidi) and drawn by Cairo into a PDF with the fonts embedded as subsets.
/// Used by the events module (certificates of attendance), the statistics report and the
/// portal's employer sheet.
///
///   pdf::Document doc({.title = "Teilnahmebescheinigung", .author = "Fair Integration"});
///   doc.Heading("Teilnahmebescheinigung");            // level 1 (default) or 2
///   doc.Paragraph("Hiermit wird bescheinigt, dass …");   // wraps, breaks across pages
///   doc.Paragraph("محمد الأحمد", {.size = 18, .bold = true, .align = pdf::Align::kCenter});
///   doc.Table({"Datum", "Thema"}, {{"2026-03-06", "Arbeitsrecht"}}, {0.3, 0.7});
///   doc.Image(png_bytes, 300);                          // a PNG (e.g. a chart), 300 pt wide
///   doc.Spacer(12); doc.PageBreak();
///   Result<std::string> bytes = doc.Finish();          // the PDF file
///
/// Layout is top-down on A4 (portrait by default) with 56 pt margins. Every block moves to a new
/// page when it does not fit; paragraphs break between lines, tables between rows (the header row
/// is repeated). The direction of each paragraph and cell follows its first strong character
/// (Arabic text runs right to left and is right-aligned when `align` is kStart); mixed text is
/// ordered by the Unicode bidi algorithm. An optional footer (e.g. a certificate number) is
/// printed on every page with the page number. Text is plain text, not markup.
///
/// Tagged PDF (EN 301 549 clause 10, PDF/UA's structure): Cairo's structure tags give a
/// structure tree (Document › Sect › H1/H2, P, Table › TR › TH/TD, Figure) in reading order over
/// real text (embedded font subsets with ToUnicode). Cairo 1.16 writes neither languages nor
/// alternative texts, so Finish() appends an incremental update (the original bytes unchanged)
/// that adds /Lang to the catalog (`Options::lang`) and to every element with a language of its
/// own (`BeginSection(lang)`, `TextStyle::lang`), /Alt to figures, and DisplayDocTitle. Not
/// done: footers and table borders are not marked as artifacts (Cairo cannot).
///
/// Fonts: the family list in `Options::font`: Noto Sans (Latin, Cyrillic, Greek), Amiri (Arabic
/// script; its lam-alef is two glyphs, so text extraction gives the letters in the right order,
/// which Noto Sans Arabic's ligature does not), Noto Sans Ethiopic (Tigrinya, Amharic), then
/// fontconfig's fallback. A
/// Document is not thread-safe; separate Documents on separate threads are fine.
/// pdftotext (poppler-utils) reads the text back in logical order, which the tests rely on.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/error.hpp"

namespace fairdesk::pdf {

enum class Align { kStart, kCenter, kEnd, kJustify };
enum class Orientation { kPortrait, kLandscape };

struct Options {
  std::string title;
  std::string author;
  std::string subject;
  std::string font = "Noto Sans, Amiri, Noto Sans Ethiopic";  // family list; fontconfig falls back further
  double font_size = 10.5;         // points, body text
  Orientation orientation = Orientation::kPortrait;
  double margin = 56;              // points on every side
  std::string footer;              // printed at the bottom of every page with "n" (page number)
  /// Fixed creation date (RFC 3339, e.g. "2026-03-06T09:30:00Z") so equal input gives an equal
  /// file; empty: none is written.
  std::string creation_date;
  /// The document's language (BCP 47, e.g. "de"): the catalog's /Lang.
  std::string lang;
  /// Write a tagged PDF (structure tree, languages, alternative texts; see above). Off by default
  /// until the other documents (certificates, statistics) are checked with it.
  bool tagged = false;
};

struct TextStyle {
  double size = 0;  // points; 0: the document's body size
  bool bold = false;
  bool italic = false;
  Align align = Align::kStart;
  double space_after = 6;  // points after the block
  /// Grey 0 (black) … 1 (white).
  double grey = 0;
  /// The block's language when it differs from its section's (empty: inherited).
  std::string lang;
};

struct Colour {
  double r = 0, g = 0, b = 0;
};

/// What a vector drawing (Document::Drawing) paints with, in points, origin at the top left of
/// the drawing's box of width() x height(). Lines, rectangles and text stay vectors in the PDF.
class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual double width() const = 0;
  virtual double height() const = 0;
  virtual void Line(double x1, double y1, double x2, double y2, double line_width, Colour c, bool dashed = false) = 0;
  /// A polyline through `points` (x, y).
  virtual void Polyline(const std::vector<std::pair<double, double>>& points, double line_width, Colour c,
                        bool dashed = false) = 0;
  virtual void Rect(double x, double y, double w, double h, Colour fill) = 0;
  virtual void Dot(double x, double y, double radius, Colour fill) = 0;
  /// One line of text whose box's top is at `y`; `x` is its left (kStart), centre (kCenter) or
  /// right (kEnd) edge. Answers the text's width. A text wider than `max_width` (> 0) is cut
  /// with "…" at the end so that it fits.
  virtual double Text(double x, double y, std::string_view text, double size, Align align = Align::kStart,
                      Colour c = {}, double max_width = 0) = 0;
};

class Document {
 public:
  explicit Document(Options options = {});
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  /// A heading: level 1 (20 pt bold) or 2 (14 pt bold); kept with the following line.
  void Heading(std::string_view text, int level = 1, std::string_view lang = {});
  /// Groups the following blocks into a section (structure element Sect) in language `lang`
  /// (empty: the document's), until EndSection(). Sections may nest.
  void BeginSection(std::string_view lang = {});
  void EndSection();
  /// A paragraph of plain text; '\n' starts a new line within it.
  void Paragraph(std::string_view text, const TextStyle& style = {});
  /// A table over the full text width. `widths` are fractions of the width (empty: equal).
  /// The header row (may be empty) is bold on a grey background and repeated after page breaks.
  void Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
             std::vector<double> widths = {});
  /// A PNG image, scaled to `width` points (0: its natural size at 72 dpi, at most the text
  /// width), centred, with `alt` as its alternative text. An unreadable PNG makes Finish() fail.
  void Image(std::string_view png_bytes, double width = 0, std::string_view alt = {});
  /// A vector drawing (a chart) over the text width, `height` points tall (kept on one page),
  /// painted by `draw`; tagged as a figure with `alt` as its alternative text.
  void Drawing(double height, std::function<void(Canvas&)> draw, std::string_view alt = {});
  /// Vertical space in points.
  void Spacer(double points);
  /// A horizontal rule across the text width.
  void Rule();
  void PageBreak();

  /// Ends the document and answers the PDF bytes. The Document cannot be used afterwards.
  Result<std::string> Finish();

  /// Text width and the space left on the current page, in points (for callers laying out).
  double TextWidth() const;
  double SpaceLeft() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fairdesk::pdf
