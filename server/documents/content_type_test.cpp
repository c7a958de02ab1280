#include "documents/content_type.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fairdesk::documents {
namespace {

std::string Png() {
  std::string s("\x89PNG\r\n\x1a\n", 8);
  s += std::string("\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde", 25);
  s += std::string("\0\0\0\x0cIDATx\x9c""c\xf8\xcf\xc0\0\0\x03\x01\x01\0\x18\xdd\x8d\xb0", 24);
  s += std::string("\0\0\0\0IEND\xae" "B`\x82", 12);
  return s;
}

std::string Jpeg() {
  std::string s("\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 20);
  s += std::string(64, '\0');
  s += "\xff\xd9";
  return s;
}

std::string Pdf() {
  return "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n"
         "endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
}

void Le16(std::string& s, std::uint16_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>(v >> 8);
}
void Le32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}

// A zip archive of stored (uncompressed) entries: local headers only, which is what content
// sniffing reads.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  for (const auto& [name, data] : entries) {
    out += "PK\x03\x04";
    Le16(out, 20);  // version
    Le16(out, 0);   // flags
    Le16(out, 0);   // stored
    Le16(out, 0);   // time
    Le16(out, 0x21);  // date
    Le32(out, 0);   // crc (not checked by sniffing)
    Le32(out, static_cast<std::uint32_t>(data.size()));
    Le32(out, static_cast<std::uint32_t>(data.size()));
    Le16(out, static_cast<std::uint16_t>(name.size()));
    Le16(out, 0);
    out += name;
    out += data;
  }
  return out;
}

std::string Docx() {
  return Zip({{"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"},
              {"_rels/.rels", "<Relationships/>"},
              {"word/document.xml", "<w:document/>"}});
}

std::string Odt() {
  return Zip({{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", "<x/>"}});
}

constexpr std::string_view kDocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kOdtType = "application/vnd.oasis.opendocument.text";

TEST(ContentType, SniffsTheAllowedTypes) {
  EXPECT_EQ(SniffContentType(Png()).value(), "image/png");
  EXPECT_EQ(SniffContentType(Jpeg()).value(), "image/jpeg");
  EXPECT_EQ(SniffContentType(Pdf()).value(), "application/pdf");
  EXPECT_EQ(SniffContentType("Lohn für März fehlt.\nBitte prüfen.\n").value(), "text/plain");
  EXPECT_EQ(SniffContentType(Docx()).value(), kDocxType);
  EXPECT_EQ(SniffContentType(Odt()).value(), kOdtType);
}

TEST(ContentType, AcceptsMatchingUploads) {
  EXPECT_EQ(CheckUpload("application/pdf", "Kündigung.pdf", Pdf()).value(), "application/pdf");
  EXPECT_EQ(CheckUpload("image/png", "scan.png", Png()).value(), "image/png");
  EXPECT_EQ(CheckUpload("image/jpg", "photo.JPG", Jpeg()).value(), "image/jpeg");
  EXPECT_EQ(CheckUpload("text/plain; charset=utf-8", "notes", "hello\n").value(), "text/plain");
  EXPECT_EQ(CheckUpload(kDocxType, "Vertrag.docx", Docx()).value(), kDocxType);
  EXPECT_EQ(CheckUpload(kOdtType, "Vertrag.odt", Odt()).value(), kOdtType);
}

TEST(ContentType, RefusesAPdfThatIsAPng) {
  auto r = CheckUpload("application/pdf", "payslip.pdf", Png());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalid);
  ASSERT_EQ(r.error().errors.size(), 1u);
  EXPECT_EQ(r.error().errors[0].field, "content_type");
  EXPECT_NE(r.error().errors[0].message.find("image/png"), std::string::npos);
}

TEST(ContentType, RefusesTypesNotAllowed) {
  auto declared = CheckUpload("text/html", "x.html", "<html><script>alert(1)</script></html>");
  ASSERT_FALSE(declared);
  EXPECT_EQ(declared.error().kind, ErrorKind::kUnsupportedMedia);
  EXPECT_EQ(declared.error().errors.at(0).field, "content_type");
  // Declared as text, but the content is HTML: refused, a browser might run it.
  auto html = CheckUpload("text/plain", "x.txt", "<html><body><script>alert(1)</script></body></html>\n");
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().errors.at(0).field, "content_type");
  // A plain zip is not a word-processor file.
  auto zip = CheckUpload(kDocxType, "x.docx", Zip({{"a.txt", "hello"}}));
  ASSERT_FALSE(zip);
  EXPECT_EQ(zip.error().errors.at(0).field, "content_type");
  EXPECT_FALSE(CheckUpload("", "x.pdf", Pdf()));
  EXPECT_FALSE(CheckUpload("application/octet-stream", "x.pdf", Pdf()));
}

TEST(ContentType, RefusesEmptyContent) {
  auto r = CheckUpload("text/plain", "empty.txt", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errors.at(0).field, "content");
}

TEST(ContentType, RefusesANameWithTheExtensionOfAnotherType) {
  auto r = CheckUpload("image/png", "payslip.pdf", Png());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errors.at(0).field, "filename");
  EXPECT_TRUE(CheckUpload("image/png", "payslip.scan", Png()));
}

}  // namespace
}  // namespace fairdesk::documents

namespace fairdesk::documents {
namespace {

TEST(StoredFilename, Issue8_19_ExtensionFitsTheTypeAndNoBidiControls) {
  EXPECT_EQ(StoredFilename("Lohnabrechnung.pdf", "application/pdf"), "Lohnabrechnung.pdf");
  EXPECT_EQ(StoredFilename("Foto.JPEG", "image/jpeg"), "Foto.JPEG");
  EXPECT_EQ(StoredFilename("Vertrag", "application/pdf"), "Vertrag.pdf");
  EXPECT_EQ(StoredFilename("brief.html", "text/plain"), "brief.html.txt");
  EXPECT_EQ(StoredFilename("scan.exe", "image/png"), "scan.exe.png");
  // U+202E RIGHT-TO-LEFT OVERRIDE would show "invoiceexe.pdf" for "invoice\u202Efdp.exe".
  EXPECT_EQ(StoredFilename("invoice\xE2\x80\xAE" "fdp.exe", "application/pdf"), "invoicefdp.exe.pdf");
  EXPECT_EQ(StoredFilename("a\xE2\x81\xA6" "b\xE2\x80\x8F" "c\xEF\xBB\xBF.txt", "text/plain"), "abc.txt");
  EXPECT_EQ(StoredFilename("\xE2\x80\xAE", "text/plain"), "document.txt");
  EXPECT_EQ(StoredFilename("Ärztliche Bescheinigung.pdf", "application/pdf"), "Ärztliche Bescheinigung.pdf");
}

}  // namespace
}  // namespace fairdesk::documents
