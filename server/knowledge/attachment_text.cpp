#include "knowledge/attachment_text.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <zlib.h>

namespace fairdesk::knowledge {
namespace {

constexpr std::size_t kMaxInflated = 32u << 20;  // a part larger than this is not read (zip bomb)

std::uint32_t Le32(std::string_view s, std::size_t at) {
  if (at + 4 > s.size()) return 0;
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}
std::uint16_t Le16(std::string_view s, std::size_t at) {
  if (at + 2 > s.size()) return 0;
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                    static_cast<unsigned char>(s[at + 1]) << 8);
}

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;
  std::uint32_t compressed = 0;
  std::uint32_t size = 0;
  std::uint32_t local_offset = 0;
};

// The entries of a ZIP archive from its central directory; nullopt if it is not one.
std::optional<std::vector<ZipEntry>> ZipEntries(std::string_view zip) {
  if (zip.size() < 22) return std::nullopt;
  // End of central directory: the last "PK\5\6" within the final 64 KiB + 22 bytes.
  std::size_t lowest = zip.size() > 65557 ? zip.size() - 65557 : 0;
  std::optional<std::size_t> eocd;
  for (std::size_t i = zip.size() - 22 + 1; i-- > lowest;) {
    if (Le32(zip, i) == 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (!eocd) return std::nullopt;
  std::size_t count = Le16(zip, *eocd + 10);
  std::size_t at = Le32(zip, *eocd + 16);
  std::vector<ZipEntry> out;
  for (std::size_t n = 0; n < count; ++n) {
    if (at + 46 > zip.size() || Le32(zip, at) != 0x02014b50) return std::nullopt;
    ZipEntry e;
    e.method = Le16(zip, at + 10);
    e.compressed = Le32(zip, at + 20);
    e.size = Le32(zip, at + 24);
    std::size_t name_len = Le16(zip, at + 28), extra = Le16(zip, at + 30), comment = Le16(zip, at + 32);
    e.local_offset = Le32(zip, at + 42);
    if (at + 46 + name_len > zip.size()) return std::nullopt;
    e.name = std::string(zip.substr(at + 46, name_len));
    out.push_back(std::move(e));
    at += 46 + name_len + extra + comment;
  }
  return out;
}

// The bytes of one entry (stored or deflated); nullopt when they cannot be read.
std::optional<std::string> ZipRead(std::string_view zip, const ZipEntry& e) {
  std::size_t at = e.local_offset;
  if (at + 30 > zip.size() || Le32(zip, at) != 0x04034b50) return std::nullopt;
  std::size_t start = at + 30 + Le16(zip, at + 26) + Le16(zip, at + 28);
  if (start > zip.size() || e.compressed > zip.size() - start) return std::nullopt;
  std::string_view data = zip.substr(start, e.compressed);
  if (e.method == 0) return std::string(data);
  if (e.method != 8) return std::nullopt;
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return std::nullopt;
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > kMaxInflated) {
      rc = Z_DATA_ERROR;
      break;
    }
    if (z.avail_in == 0 && rc == Z_OK && z.avail_out != 0) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END && rc != Z_OK) return std::nullopt;
  return out;
}

// The character data of an XML part: tags dropped; a paragraph, line or cell end, a tab, and
// every tag boundary become spaces (so that "<w:t>Max</w:t><w:t>Muster</w:t>" split runs are
// also seen joined: runs inside one word are common in DOCX). Entities decoded.
std::string XmlText(std::string_view xml) {
  std::string spaced, joined;
  auto put = [&](std::string_view s) {
    spaced += s;
    joined += s;
  };
  std::size_t i = 0;
  while (i < xml.size()) {
    char c = xml[i];
    if (c == '<') {
      auto end = xml.find('>', i);
      if (end == std::string_view::npos) break;
      std::string_view tag = xml.substr(i + 1, end - i - 1);
      // Word and ODF paragraph, break, tab and cell ends separate words in both forms.
      bool separator = tag.starts_with("/w:p") || tag.starts_with("w:br") || tag.starts_with("w:tab") ||
                       tag.starts_with("/text:p") || tag.starts_with("/text:h") || tag.starts_with("text:line-break") ||
                       tag.starts_with("text:tab") || tag.starts_with("text:s") || tag.starts_with("/w:tc") ||
                       tag.starts_with("/table:table-cell") || tag.starts_with("/dc:") || tag.starts_with("/cp:") ||
                       tag.starts_with("/dcterms:") || tag.starts_with("/meta:") || tag.starts_with("/Company") ||
                       tag.starts_with("/Manager");
      spaced += ' ';
      if (separator) joined += ' ';
      i = end + 1;
      continue;
    }
    if (c == '&') {
      auto end = xml.find(';', i);
      if (end != std::string_view::npos && end - i <= 10) {
        std::string_view ent = xml.substr(i + 1, end - i - 1);
        std::string decoded;
        if (ent == "amp") decoded = "&";
        else if (ent == "lt") decoded = "<";
        else if (ent == "gt") decoded = ">";
        else if (ent == "quot") decoded = "\"";
        else if (ent == "apos") decoded = "'";
        else if (!ent.empty() && ent[0] == '#') {
          unsigned long cp = 0;
          bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
          for (char d : ent.substr(hex ? 2 : 1)) {
            int v = d >= '0' && d <= '9' ? d - '0' : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10 : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
            if (v < 0) break;
            cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
            if (cp > 0x10FFFF) break;
          }
          if (cp > 0 && cp <= 0x10FFFF) {
            if (cp < 0x80) decoded += static_cast<char>(cp);
            else if (cp < 0x800) {
              decoded += static_cast<char>(0xC0 | (cp >> 6));
              decoded += static_cast<char>(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
              decoded += static_cast<char>(0xE0 | (cp >> 12));
              decoded += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
              decoded += static_cast<char>(0x80 | (cp & 0x3F));
            } else {
              decoded += static_cast<char>(0xF0 | (cp >> 18));
              decoded += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
              decoded += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
              decoded += static_cast<char>(0x80 | (cp & 0x3F));
            }
          }
        }
        put(decoded);
        i = end + 1;
        continue;
      }
    }
    spaced += c;
    joined += c;
    ++i;
  }
  return joined + "\n" + spaced;
}

bool Wanted(std::string_view name, bool docx) {
  if (docx) {
    return name == "word/document.xml" || name == "docProps/core.xml" || name == "docProps/app.xml" ||
           name == "docProps/custom.xml" ||
           ((name.starts_with("word/header") || name.starts_with("word/footer") || name == "word/footnotes.xml" ||
             name == "word/endnotes.xml" || name == "word/comments.xml") &&
            name.ends_with(".xml"));
  }
  return name == "content.xml" || name == "styles.xml" || name == "meta.xml";
}

AttachmentText ZipText(std::string_view content, bool docx) {
  AttachmentText out;
  auto entries = ZipEntries(content);
  if (!entries) return out;
  bool main_found = false;
  for (const auto& e : *entries) {
    if (!Wanted(e.name, docx)) continue;
    auto data = ZipRead(content, e);
    if (!data) return out;  // a part that cannot be read: the text is not known
    if (e.name == (docx ? "word/document.xml" : "content.xml")) main_found = true;
    out.text += XmlText(*data);
    out.text += '\n';
  }
  out.readable = main_found;
  return out;
}

AttachmentText PdfText(std::string_view content) {
  // Poppler's complaints about damaged files would go to stderr, next to the server's log.
  static const bool quiet = [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
    return true;
  }();
  (void)quiet;
  AttachmentText out;
  try {
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(content.data(), static_cast<int>(content.size())));
    if (!doc || doc->is_locked()) return out;
    for (int i = 0; i < doc->pages(); ++i) {
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      if (!page) continue;
      auto bytes = page->text().to_utf8();
      out.text.append(bytes.begin(), bytes.end());
      out.text += '\n';
    }
    // The document properties that are left (the upload blanks those it can reach).
    for (const auto& key : doc->info_keys()) {
      auto bytes = doc->info_key(key).to_utf8();
      out.text.append(bytes.begin(), bytes.end());
      out.text += '\n';
    }
    out.readable = true;
  } catch (...) {
    out = AttachmentText{};
  }
  return out;
}

}  // namespace

bool IsImageType(std::string_view content_type) { return content_type.starts_with("image/"); }

AttachmentText ExtractText(std::string_view content_type, std::string_view content) {
  if (content_type == "text/plain") return {true, std::string(content)};
  if (content_type == "application/pdf") return PdfText(content);
  if (content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document") {
    return ZipText(content, true);
  }
  if (content_type == "application/vnd.oasis.opendocument.text") return ZipText(content, false);
  return {};
}

}  // namespace fairdesk::knowledge
