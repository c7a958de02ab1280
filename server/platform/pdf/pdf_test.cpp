// The PDF writer on real fonts: what goes in comes back out of poppler's pdftotext (logical
// order), in German, Arabic and Tigrinya, across page breaks, with tables and images.

#include <gtest/gtest.h>

#include <cairo.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "platform/pdf/pdf.hpp"

namespace fairdesk::pdf {
namespace {

struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    std::random_device rd;
    dir = std::filesystem::temp_directory_path() / ("fd-pdf-" + std::to_string(rd()));
    std::filesystem::create_directories(dir);
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
};

std::string Run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// pdftotext of the bytes (logical order per line), without the bidi embedding controls
// (U+202A-U+202E) poppler wraps around runs of the other direction: they are not content.
std::string TextOf(const std::string& pdf) {
  Scratch s;
  auto file = s.dir / "doc.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  std::string raw = Run("pdftotext -enc UTF-8 '" + file.string() + "' - 2>&1");
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i + 2 < raw.size() && static_cast<unsigned char>(raw[i]) == 0xe2 && static_cast<unsigned char>(raw[i + 1]) == 0x80 &&
        static_cast<unsigned char>(raw[i + 2]) >= 0xaa && static_cast<unsigned char>(raw[i + 2]) <= 0xae) {
      i += 2;
      continue;
    }
    out += raw[i];
  }
  return out;
}

std::string FontsOf(const std::string& pdf) {
  Scratch s;
  auto file = s.dir / "doc.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  return Run("pdffonts '" + file.string() + "' 2>&1");
}

int PagesOf(const std::string& pdf) {
  Scratch s;
  auto file = s.dir / "doc.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  auto info = Run("pdfinfo '" + file.string() + "' 2>&1");
  auto pos = info.find("Pages:");
  if (pos == std::string::npos) return -1;
  return std::stoi(info.substr(pos + 6));
}

std::string SmallPng() {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 40, 20);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 0.1, 0.4, 0.8);
  cairo_paint(cr);
  cairo_destroy(cr);
  std::string out;
  cairo_surface_write_to_png_stream(
      s,
      [](void* c, const unsigned char* d, unsigned int n) {
        static_cast<std::string*>(c)->append(reinterpret_cast<const char*>(d), n);
        return CAIRO_STATUS_SUCCESS;
      },
      &out);
  cairo_surface_destroy(s);
  return out;
}

TEST(Pdf, ShapedTextInEveryScriptReadsBackInLogicalOrder) {
  Document doc({.title = "Teilnahmebescheinigung", .author = "Fair Integration", .footer = "Nr. FD-2026-000017"});
  doc.Heading("Teilnahmebescheinigung");
  doc.Paragraph("Jürgen Größmann-Özdemir", {.size = 16, .bold = true, .align = Align::kCenter});
  doc.Paragraph("محمد الأحمد", {.size = 16, .bold = true});
  doc.Paragraph("ሰላም ተስፋይ", {.size = 16});
  doc.Paragraph("Persisch: زهره احمدی, Ukrainisch: Олена Коваленко");
  auto pdf = doc.Finish();
  ASSERT_TRUE(pdf) << pdf.error().internal;
  ASSERT_TRUE(pdf->starts_with("%PDF-1.5"));
  std::string text = TextOf(*pdf);
  EXPECT_NE(text.find("Teilnahmebescheinigung"), std::string::npos) << text;
  EXPECT_NE(text.find("Jürgen Größmann-Özdemir"), std::string::npos) << text;
  EXPECT_NE(text.find("محمد الأحمد"), std::string::npos) << text;
  EXPECT_NE(text.find("ሰላም ተስፋይ"), std::string::npos) << text;
  EXPECT_NE(text.find("زهره احمدی"), std::string::npos) << text;
  EXPECT_NE(text.find("Олена Коваленко"), std::string::npos) << text;
  EXPECT_NE(text.find("Nr. FD-2026-000017 · 1"), std::string::npos) << text;
  // Every font is embedded (a subset), none is left to the reader's machine.
  std::string fonts = FontsOf(*pdf);
  EXPECT_EQ(fonts.find(" no  "), std::string::npos) << fonts;  // the "emb" column
  EXPECT_NE(fonts.find("Amiri"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("Ethiopic"), std::string::npos) << fonts;
}

// Right-to-left text reads back word for word: Cairo, given Pango's right-to-left runs as they
// are, wrote the glyphs in logical order from right to left, and pdftotext read them as letters
// with spaces between ("الترج م ة آلي ة") and with the letters of a ligature swapped. The words
// here are the employer sheet's: Amiri's kerning between a final reh and an initial yeh ("سرية",
// "البريد"), Persian words with a zero-width non-joiner ("پیام‌رسان"), and in Noto Sans Arabic,
// whose lam-alef is one glyph, "الألماني" and "الإلكتروني"; in tables too.
TEST(Pdf, RightToLeftTextReadsBackWordForWord) {
  const std::string arabic = "هذه الترجمة آلية ولم يراجعها متحدثون أصليون باللغة";
  const std::string notice = "من حقك الحصول على استشارة مجانية وسرية حول حقوقك في العمل";
  const std::string persian = "نزدیک‌ترین مرکز مشاوره به محل کار شما";
  const std::string messenger = "پیام‌رسان";
  const std::string ligatures = "النص الألماني هو المعتمد البريد الإلكتروني الخميس";
  for (const char* font : {"Noto Sans, Amiri, Noto Sans Ethiopic", "Noto Sans Arabic"}) {
    Document doc({.title = "Sheet", .font = font, .tagged = true});
    doc.Heading("معلومات حول الاستشارة المجانية");
    doc.Paragraph(arabic);
    doc.Paragraph(notice, {.bold = true});
    doc.Paragraph(persian);
    doc.Paragraph(ligatures);
    doc.Table({}, {{"البريد الإلكتروني", "muenchen@example.org"}, {"راه‌های تماس", messenger + " ሰላም"}}, {0.4, 0.6});
    auto pdf = doc.Finish();
    ASSERT_TRUE(pdf) << pdf.error().internal;
    std::string text = TextOf(*pdf);
    for (const std::string& expected : {std::string("معلومات حول الاستشارة المجانية"), arabic, notice, persian, ligatures,
                                        std::string("البريد الإلكتروني"), messenger, std::string("muenchen@example.org")}) {
      EXPECT_NE(text.find(expected), std::string::npos) << font << ": " << expected << " in\n" << text;
    }
  }
}

TEST(Pdf, LongContentBreaksAcrossPagesWithTablesAndImages) {
  Document doc({.title = "Bericht", .footer = "Bericht"});
  doc.Heading("Bericht 2026");
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 120; ++i) rows.push_back({"Zeile " + std::to_string(i), "عربي " + std::to_string(i), "ä ö ü ß"});
  doc.Table({"Spalte", "العمود", "Umlaute"}, rows, {0.3, 0.4, 0.3});
  doc.Heading("Grafik", 2);
  doc.Image(SmallPng(), 200);
  std::string long_text;
  for (int i = 0; i < 400; ++i) long_text += "Wort" + std::to_string(i) + " ";
  doc.Paragraph(long_text, {.align = Align::kJustify});
  auto pdf = doc.Finish();
  ASSERT_TRUE(pdf) << pdf.error().internal;
  EXPECT_GE(PagesOf(*pdf), 4);
  std::string text = TextOf(*pdf);
  EXPECT_NE(text.find("Zeile 0"), std::string::npos);
  EXPECT_NE(text.find("Zeile 119"), std::string::npos);
  EXPECT_NE(text.find("Wort399"), std::string::npos);
  // The header row is repeated on the pages the table continues on.
  std::size_t headers = 0;
  for (auto pos = text.find("Spalte"); pos != std::string::npos; pos = text.find("Spalte", pos + 1)) ++headers;
  EXPECT_GE(headers, 3u);
  // A table row is never split: each "Zeile n" is followed by its own cells in the text order.
  EXPECT_NE(text.find("Bericht · 3"), std::string::npos);
}

TEST(Pdf, AnUnreadableImageFailsTheDocument) {
  Document doc;
  doc.Paragraph("x");
  doc.Image("not a png");
  auto pdf = doc.Finish();
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().kind, ErrorKind::kInternal);
}

TEST(Pdf, InvalidUtf8IsReplacedNotFatal) {
  Document doc;
  doc.Paragraph(std::string("Gr\xfc\xdf Gott"));
  auto pdf = doc.Finish();
  ASSERT_TRUE(pdf);
  EXPECT_NE(TextOf(*pdf).find("Gott"), std::string::npos);
}

TEST(Pdf, TaggedWithLanguagesAndAltText) {
  Document doc({.title = "Informationsblatt", .lang = "de", .tagged = true});
  doc.BeginSection("de");
  doc.Heading("Information über die kostenlose Beratung");
  doc.Paragraph("Sie haben das Recht auf Beratung.");
  doc.Table({"Tag", "Zeit"}, {{"Montag", "9–12"}});
  doc.EndSection();
  doc.BeginSection("ar");
  doc.Heading("معلومات حول الاستشارة المجانية");
  doc.Paragraph("Deutsch im arabischen Teil", {.lang = "de"});
  doc.EndSection();
  auto bytes = doc.Finish();
  ASSERT_TRUE(bytes) << bytes.error().internal;
  EXPECT_NE(bytes->find("/StructTreeRoot"), std::string::npos);
  EXPECT_NE(bytes->find("/MarkInfo << /Marked true >>"), std::string::npos);
  EXPECT_NE(bytes->find("/Type /Catalog /Lang (de) /ViewerPreferences << /DisplayDocTitle true >>"), std::string::npos);
  EXPECT_NE(bytes->find("/Type /StructElem /Lang (ar)\n   /S /Sect"), std::string::npos);
  EXPECT_NE(bytes->find("/Type /StructElem /Lang (de)\n   /S /P"), std::string::npos);
  EXPECT_NE(bytes->find("/S /TH"), std::string::npos);
  // The update keeps the file readable: same text, and qpdf finds no error.
  EXPECT_NE(TextOf(*bytes).find("معلومات حول الاستشارة المجانية"), std::string::npos);
  Scratch s;
  auto file = s.dir / "tagged.pdf";
  std::ofstream(file, std::ios::binary) << *bytes;
  EXPECT_NE(fairdesk::pdf::Run("qpdf --check '" + file.string() + "' 2>&1").find("No syntax or stream encoding errors found"), std::string::npos);
}

// Cairo 1.16 refuses some structures (a figure or a page break before any text): the document
// is then written again without tags instead of failing.
TEST(Pdf, StructuresCairoRefusesFallBackToAnUntaggedDocument) {
  {
    Document d({.tagged = true});
    d.Image(SmallPng(), 50, "Chart");
    d.Paragraph("Text nach dem Bild");
    auto b = d.Finish();
    ASSERT_TRUE(b) << b.error().internal;
    EXPECT_NE(TextOf(*b).find("Text nach dem Bild"), std::string::npos);
  }
  {
    Document d({.footer = "Fuß", .tagged = true});
    d.BeginSection("ar");
    d.PageBreak();
    d.Paragraph("نص");
    auto b = d.Finish();
    ASSERT_TRUE(b) << b.error().internal;
    EXPECT_EQ(PagesOf(*b), 2);
  }
  for (int sections = 0; sections < 2; ++sections) {
    Document d({.tagged = true});
    if (sections) d.BeginSection("de");
    d.Table({}, {});
    d.Paragraph("");
    d.PageBreak();
    d.Paragraph("a");
    auto b = d.Finish();
    EXPECT_TRUE(b) << b.error().internal;
  }
}

TEST(Pdf, ImagesCarryTheirAltText) {
  Document doc({.lang = "en", .tagged = true});
  doc.Heading("Cases");
  doc.Image(SmallPng(), 50, "Bar chart: cases per month");
  auto bytes = doc.Finish();
  ASSERT_TRUE(bytes) << bytes.error().internal;
  EXPECT_NE(bytes->find("/Type /StructElem /Alt (Bar chart: cases per month)\n   /S /Figure"), std::string::npos);
}

TEST(Pdf, DrawingsAreVectorFiguresWithTextAndAltText) {
  Document doc({.lang = "de", .tagged = true});
  doc.Heading("Verlauf");
  double seen_w = 0, seen_h = 0;
  doc.Drawing(120, [&](Canvas& k) {
    seen_w = k.width();
    seen_h = k.height();
    k.Line(0, 100, k.width(), 100, 0.5, {0.5, 0.5, 0.5});
    k.Polyline({{10, 90}, {60, 40}, {110, 70}}, 1.5, {0, 0.33, 0.58}, true);
    k.Rect(150, 20, 40, 80, {0, 0.33, 0.58});
    k.Dot(60, 40, 2, {0, 0, 0});
    const double w = k.Text(k.width(), 0, "Legende März", 8, Align::kEnd);
    EXPECT_GT(w, 10);
  }, "Linie je Monat");
  doc.Paragraph("Danach");
  auto bytes = doc.Finish();
  ASSERT_TRUE(bytes) << bytes.error().internal;
  EXPECT_DOUBLE_EQ(seen_h, 120);
  EXPECT_GT(seen_w, 400);
  const std::string text = TextOf(*bytes);
  EXPECT_LT(text.find("Legende März"), text.find("Danach"));
  EXPECT_NE(bytes->find("/Alt (Linie je Monat)"), std::string::npos);
  EXPECT_EQ(bytes->find("/Subtype /Image"), std::string::npos) << "drawn as vectors, not as a picture";
}

}  // namespace

}  // namespace fairdesk::pdf
