// Metadata of knowledge attachments removed before they are stored.

#include <gtest/gtest.h>

#include "knowledge/metadata.hpp"

namespace fairdesk::knowledge {
namespace {

std::string Segment(unsigned char marker, std::string_view payload) {
  std::string s = {'\xFF', static_cast<char>(marker)};
  std::size_t len = payload.size() + 2;
  s += static_cast<char>(len >> 8);
  s += static_cast<char>(len & 0xFF);
  s += payload;
  return s;
}

TEST(Metadata, JpegLosesExifXmpAndCommentsKeepsImage) {
  std::string jfif = Segment(0xE0, std::string("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 14));
  std::string icc = Segment(0xE2, "ICC_PROFILE");
  std::string quant = Segment(0xDB, std::string(65, '\x01'));
  std::string scan = Segment(0xDA, std::string("\x01\x01\x00\x00\x3F\x00", 6)) + "\x12\x34\xFF\x00\x56" + "\xFF\xD9";
  std::string jpeg = std::string("\xFF\xD8") + jfif + Segment(0xE1, std::string("Exif\0\0Artist Samira Al-Haddad", 30)) +
                     icc + Segment(0xE1, "http://ns.adobe.com/xap/1.0/ <dc:creator>Samira</dc:creator>") +
                     Segment(0xED, "Photoshop 3.0 8BIM") + Segment(0xFE, "Lindenstrasse 12") + quant + scan;
  auto out = StripMetadata("image/jpeg", jpeg);
  EXPECT_FALSE(out.unreachable_metadata);
  EXPECT_EQ(out.content, std::string("\xFF\xD8") + jfif + icc + quant + scan);
  EXPECT_EQ(out.removed, (std::vector<std::string>{"exif", "xmp", "application data", "comment"}));
  EXPECT_EQ(out.content.find("Samira"), std::string::npos);
}

TEST(Metadata, BrokenJpegIsReportedNotGuessed) {
  auto out = StripMetadata("image/jpeg", std::string("\xFF\xD8\xFF\xE1\x00\x40" "Exif", 10));
  EXPECT_TRUE(out.unreachable_metadata);
}

std::string Chunk(std::string_view type, std::string_view data) {
  std::string s;
  for (int shift : {24, 16, 8, 0}) s += static_cast<char>((data.size() >> shift) & 0xFF);
  s += type;
  s += data;
  s += "CRC!";  // copied as is
  return s;
}

TEST(Metadata, PngLosesTextExifAndTime) {
  std::string sig = "\x89PNG\r\n\x1A\n";
  std::string ihdr = Chunk("IHDR", std::string(13, '\x01'));
  std::string idat = Chunk("IDAT", "pixels");
  std::string iend = Chunk("IEND", "");
  std::string png = sig + ihdr + Chunk("tEXt", std::string("Author\0Samira Al-Haddad", 23)) + Chunk("tIME", "1234567") +
                    Chunk("iTXt", "Comment") + Chunk("eXIf", "MM GPS") + idat + iend;
  auto out = StripMetadata("image/png", png);
  EXPECT_FALSE(out.unreachable_metadata);
  EXPECT_EQ(out.content, sig + ihdr + idat + iend);
  EXPECT_EQ(out.removed, (std::vector<std::string>{"text", "time", "exif"}));
}

TEST(Metadata, PdfPropertiesBlankedInPlace) {
  std::string pdf =
      "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>\nendobj\n"
      "3 0 obj\n<< /Author (Samira \\(Al-Haddad\\)) /Title <FEFF00530061006D> /Producer (Writer) >>\nendobj\n"
      "4 0 obj\n<< /Type /Metadata /Subtype /XML /Length 60 >>\nstream\n"
      "<x:xmpmeta><dc:creator>Samira</dc:creator></x:xmpmeta>\nendstream\nendobj\n"
      "trailer\n<< /Root 1 0 R /Info 3 0 R >>\n%%EOF\n";
  auto out = StripMetadata("application/pdf", pdf);
  EXPECT_FALSE(out.unreachable_metadata);
  EXPECT_EQ(out.content.size(), pdf.size());  // offsets unchanged
  EXPECT_EQ(out.content.find("Samira"), std::string::npos);
  EXPECT_EQ(out.content.find("Writer"), std::string::npos);
  EXPECT_NE(out.content.find("/Author (                    ) /Title <2020202020202020>"), std::string::npos);
  EXPECT_EQ(out.removed, (std::vector<std::string>{"info", "xmp"}));
  ASSERT_GE(out.found_text.size(), 3u);
  EXPECT_EQ(out.found_text[0], "Samira (Al-Haddad)");
  EXPECT_EQ(out.found_text[1], "Sam");
}

TEST(Metadata, PdfWithCompressedPropertiesIsReported) {
  // The Info dictionary in a compressed object stream: not reachable in place.
  std::string pdf =
      "%PDF-1.5\n5 0 obj\n<< /Type /XRef /Root 1 0 R /Info 9 0 R /Filter /FlateDecode /Length 3 >>\nstream\nxyz\n"
      "endstream\nendobj\n%%EOF\n";
  EXPECT_TRUE(StripMetadata("application/pdf", pdf).unreachable_metadata);
  std::string xmp =
      "%PDF-1.5\n4 0 obj\n<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length 3 >>\nstream\nxyz\nendstream\n";
  EXPECT_TRUE(StripMetadata("application/pdf", xmp).unreachable_metadata);
  // A PDF without properties is fine and unchanged.
  std::string plain = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
  auto out = StripMetadata("application/pdf", plain);
  EXPECT_FALSE(out.unreachable_metadata);
  EXPECT_EQ(out.content, plain);
  EXPECT_EQ(StripMetadata("text/plain", "Samira").content, "Samira");
}

}  // namespace
}  // namespace fairdesk::knowledge
