#include "knowledge/attachment_text.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fairdesk::knowledge {
namespace {

// A one-page PDF showing `line` in Helvetica, with a correct cross-reference table.
std::string Pdf(const std::string& line) {
  std::string stream = "BT /F1 12 Tf 72 720 Td (" + line + ") Tj ET";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string out = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (auto o : offsets) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", o);
    out += buf;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

void Put16(std::string& s, std::uint32_t v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>((v >> 8) & 0xFF);
}
void Put32(std::string& s, std::uint32_t v) {
  Put16(s, v & 0xFFFF);
  Put16(s, v >> 16);
}

std::string Deflate(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A ZIP archive of `files` (deflated), as word processors write them.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string out, central;
  for (const auto& [name, data] : files) {
    auto packed = Deflate(data);
    auto crc = static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    std::uint32_t offset = static_cast<std::uint32_t>(out.size());
    Put32(out, 0x04034b50);
    Put16(out, 20), Put16(out, 0), Put16(out, 8), Put16(out, 0), Put16(out, 0);
    Put32(out, crc), Put32(out, static_cast<std::uint32_t>(packed.size())), Put32(out, static_cast<std::uint32_t>(data.size()));
    Put16(out, static_cast<std::uint32_t>(name.size())), Put16(out, 0);
    out += name + packed;
    Put32(central, 0x02014b50);
    Put16(central, 20), Put16(central, 20), Put16(central, 0), Put16(central, 8), Put16(central, 0), Put16(central, 0);
    Put32(central, crc), Put32(central, static_cast<std::uint32_t>(packed.size())),
        Put32(central, static_cast<std::uint32_t>(data.size()));
    Put16(central, static_cast<std::uint32_t>(name.size())), Put16(central, 0), Put16(central, 0), Put16(central, 0),
        Put16(central, 0);
    Put32(central, 0), Put32(central, offset);
    central += name;
  }
  std::uint32_t at = static_cast<std::uint32_t>(out.size());
  out += central;
  Put32(out, 0x06054b50);
  Put16(out, 0), Put16(out, 0), Put16(out, static_cast<std::uint32_t>(files.size())),
      Put16(out, static_cast<std::uint32_t>(files.size()));
  Put32(out, static_cast<std::uint32_t>(central.size())), Put32(out, at);
  Put16(out, 0);
  return out;
}

constexpr const char* kDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr const char* kOdt = "application/vnd.oasis.opendocument.text";

TEST(AttachmentText, PdfPagesAreRead) {
  auto t = ExtractText("application/pdf", Pdf("Samira Haddad, Lindenstrasse 12"));
  ASSERT_TRUE(t.readable);
  EXPECT_NE(t.text.find("Samira Haddad"), std::string::npos) << t.text;
  EXPECT_NE(t.text.find("Lindenstrasse 12"), std::string::npos) << t.text;
}

TEST(AttachmentText, DocxTextRunsHeadersAndPropertiesAreRead) {
  // A name split over two runs (as Word writes it after an edit), a header, the author property.
  std::string doc =
      "<?xml version=\"1.0\"?><w:document><w:body><w:p><w:r><w:t>Frau Sam</w:t></w:r><w:r><w:t>ira Haddad</w:t></w:r>"
      "</w:p><w:p><w:r><w:t>Tel. 0151&#160;2345&amp;6789</w:t></w:r></w:p></w:body></w:document>";
  auto t = ExtractText(kDocx, Zip({{"[Content_Types].xml", "<Types/>"},
                                    {"word/document.xml", doc},
                                    {"word/header1.xml", "<w:hdr><w:p><w:r><w:t>Akte Haddad</w:t></w:r></w:p></w:hdr>"},
                                    {"docProps/core.xml", "<cp:coreProperties><dc:creator>M. Beispiel</dc:creator></cp:coreProperties>"}}));
  ASSERT_TRUE(t.readable);
  EXPECT_NE(t.text.find("Frau Samira Haddad"), std::string::npos) << t.text;
  EXPECT_NE(t.text.find("0151\xC2\xA0" "2345&6789"), std::string::npos) << t.text;
  EXPECT_NE(t.text.find("Akte Haddad"), std::string::npos);
  EXPECT_NE(t.text.find("M. Beispiel"), std::string::npos);
}

TEST(AttachmentText, OdtContentAndMetaAreRead) {
  auto t = ExtractText(kOdt, Zip({{"mimetype", "application/vnd.oasis.opendocument.text"},
                                   {"content.xml", "<office:document-content><office:body><office:text><text:p>"
                                                   "Wohnt in der Lindenstra\xC3\x9F" "e 12</text:p></office:text></office:body>"
                                                   "</office:document-content>"},
                                   {"meta.xml", "<office:meta><meta:initial-creator>Samira</meta:initial-creator></office:meta>"}}));
  ASSERT_TRUE(t.readable);
  EXPECT_NE(t.text.find("Lindenstra\xC3\x9F" "e 12"), std::string::npos) << t.text;
  EXPECT_NE(t.text.find("Samira"), std::string::npos);
}

TEST(AttachmentText, WhatCannotBeReadIsSaidSo) {
  EXPECT_FALSE(ExtractText("application/pdf", "%PDF-1.4 nothing here").readable);
  EXPECT_FALSE(ExtractText(kDocx, "PK not really").readable);
  EXPECT_FALSE(ExtractText(kDocx, Zip({{"word/other.xml", "<x/>"}})).readable);  // no document part
  EXPECT_FALSE(ExtractText("image/png", "\x89PNG").readable);
  EXPECT_TRUE(IsImageType("image/jpeg"));
  EXPECT_FALSE(IsImageType("application/pdf"));
  auto plain = ExtractText("text/plain", "Samira");
  EXPECT_TRUE(plain.readable);
  EXPECT_EQ(plain.text, "Samira");
}

}  // namespace
}  // namespace fairdesk::knowledge
