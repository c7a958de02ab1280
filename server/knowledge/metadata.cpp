#include "knowledge/metadata.hpp"

#include <algorithm>
#include <cstdint>

namespace fairdesk::knowledge {
namespace {

void Note(CleanedFile& out, const char* what) {
  if (std::find(out.removed.begin(), out.removed.end(), what) == out.removed.end()) out.removed.emplace_back(what);
}

// JPEG: the segments before the image data. Kept: APP0 (JFIF), APP2 (ICC colour profile),
// APP14 (Adobe colour transform) and every segment the decoder needs; dropped: APP1 (EXIF, XMP),
// APP3-APP13 and APP15 (IPTC, Photoshop, vendor data) and COM (comments).
CleanedFile Jpeg(std::string_view in) {
  CleanedFile out;
  auto failed = [&] {
    CleanedFile raw;
    raw.content = std::string(in);
    raw.unreachable_metadata = true;
    return raw;
  };
  if (in.size() < 4 || static_cast<unsigned char>(in[0]) != 0xFF || static_cast<unsigned char>(in[1]) != 0xD8) return failed();
  out.content.reserve(in.size());
  out.content.append(in.substr(0, 2));
  std::size_t i = 2;
  while (i < in.size()) {
    if (static_cast<unsigned char>(in[i]) != 0xFF) return failed();
    // Fill bytes before a marker.
    while (i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xFF) ++i;
    if (i + 1 >= in.size()) return failed();
    unsigned marker = static_cast<unsigned char>(in[i + 1]);
    if (marker == 0xD9) {  // end of image
      out.content.append(in.substr(i));
      return out;
    }
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {  // no length
      out.content.append(in.substr(i, 2));
      i += 2;
      continue;
    }
    if (i + 4 > in.size()) return failed();
    std::size_t len = (static_cast<std::size_t>(static_cast<unsigned char>(in[i + 2])) << 8) |
                      static_cast<unsigned char>(in[i + 3]);
    if (len < 2 || i + 2 + len > in.size()) return failed();
    if (marker == 0xDA) {  // start of scan: the rest is image data (and further scans)
      out.content.append(in.substr(i));
      return out;
    }
    bool drop = marker == 0xFE || marker == 0xE1 || (marker >= 0xE3 && marker <= 0xED) || marker == 0xEF;
    if (drop) {
      if (marker == 0xFE) {
        Note(out, "comment");
        out.found_text.emplace_back(in.substr(i + 4, len - 2));
      } else if (marker == 0xE1) {
        Note(out, in.substr(i + 4, 4) == "Exif" ? "exif" : "xmp");
        // EXIF and XMP strings (author, description, place names) are plain in the segment.
        out.found_text.emplace_back(in.substr(i + 4, len - 2));
      } else {
        Note(out, "application data");
      }
    } else {
      out.content.append(in.substr(i, 2 + len));
    }
    i += 2 + len;
  }
  return failed();
}

std::uint32_t Be32(std::string_view s, std::size_t i) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 3]));
}

// PNG: text chunks (tEXt, zTXt, iTXt), EXIF (eXIf) and the modification time (tIME) go; every
// other chunk is copied with its checksum, so the image is unchanged.
CleanedFile Png(std::string_view in) {
  CleanedFile out;
  auto failed = [&] {
    CleanedFile raw;
    raw.content = std::string(in);
    raw.unreachable_metadata = true;
    return raw;
  };
  if (in.size() < 8) return failed();
  out.content.append(in.substr(0, 8));
  std::size_t i = 8;
  while (i + 12 <= in.size()) {
    std::size_t len = Be32(in, i);
    if (len > in.size() - i - 12) return failed();
    auto type = in.substr(i + 4, 4);
    auto data = in.substr(i + 8, len);
    if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
      Note(out, "text");
      out.found_text.emplace_back(data);
    } else if (type == "eXIf") {
      Note(out, "exif");
      out.found_text.emplace_back(data);
    } else if (type == "tIME") {
      Note(out, "time");
    } else {
      out.content.append(in.substr(i, 12 + len));
    }
    i += 12 + len;
    if (type == "IEND") return out;
  }
  return failed();
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }
bool IsDelimiter(char c) {
  return IsSpace(c) || c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '/' || c == '%';
}

// The offset just after the "<<" that opens the dictionary of the plain object "num gen obj", or
// npos when the file has no such plain object (it is in a compressed object stream).
std::size_t PlainObject(const std::string& pdf, const std::string& num, const std::string& gen) {
  std::string head = num + " " + gen + " obj";
  std::size_t found = std::string::npos;
  for (std::size_t at = pdf.find(head); at != std::string::npos; at = pdf.find(head, at + 1)) {
    if (at > 0 && !IsDelimiter(pdf[at - 1])) continue;
    std::size_t j = at + head.size();
    while (j < pdf.size() && IsSpace(pdf[j])) ++j;
    if (pdf.compare(j, 2, "<<") == 0) found = j + 2;  // the last one wins: incremental updates
  }
  return found;
}

// Blanks every string value of the dictionary starting at `i` (just after "<<") up to its
// matching ">>": literal strings become spaces, hex strings the hex of spaces. Returns the text
// of the strings (bytes as written, escapes left in).
std::vector<std::string> BlankDictionaryStrings(std::string& pdf, std::size_t i) {
  std::vector<std::string> texts;
  int depth = 1;
  while (i < pdf.size() && depth > 0) {
    char c = pdf[i];
    if (c == '<' && i + 1 < pdf.size() && pdf[i + 1] == '<') {
      ++depth;
      i += 2;
    } else if (c == '>' && i + 1 < pdf.size() && pdf[i + 1] == '>') {
      --depth;
      i += 2;
    } else if (c == '(') {
      std::size_t j = i + 1;
      int parens = 1;
      std::string text;
      while (j < pdf.size() && parens > 0) {
        if (pdf[j] == '\\' && j + 1 < pdf.size()) {
          text += pdf[j + 1];
          pdf[j] = ' ';
          pdf[j + 1] = ' ';
          j += 2;
          continue;
        }
        if (pdf[j] == '(') ++parens;
        if (pdf[j] == ')' && --parens == 0) break;
        text += pdf[j];
        pdf[j] = ' ';
        ++j;
      }
      texts.push_back(std::move(text));
      i = j + 1;
    } else if (c == '<') {
      std::size_t j = i + 1;
      std::string hex;
      std::size_t digits = 0;
      while (j < pdf.size() && pdf[j] != '>') {
        if (!IsSpace(pdf[j])) {
          hex += pdf[j];
          pdf[j] = digits % 2 == 0 ? '2' : '0';
          ++digits;
        }
        ++j;
      }
      std::string text;
      for (std::size_t k = 0; k + 1 < hex.size(); k += 2) {
        auto v = std::strtol(hex.substr(k, 2).c_str(), nullptr, 16);
        if (v != 0 && v != 0xFE && v != 0xFF) text += static_cast<char>(v);
      }
      texts.push_back(std::move(text));
      i = j + 1;
    } else {
      ++i;
    }
  }
  return texts;
}

// PDF: the Info dictionaries named by "/Info n g R" (in trailers and cross-reference stream
// dictionaries, which are never compressed) and the XMP metadata streams.
CleanedFile Pdf(std::string_view in) {
  CleanedFile out;
  out.content = std::string(in);
  std::string& pdf = out.content;
  for (std::size_t at = pdf.find("/Info"); at != std::string::npos; at = pdf.find("/Info", at + 5)) {
    std::size_t j = at + 5;
    if (j < pdf.size() && !IsDelimiter(pdf[j])) continue;  // e.g. /InfoX
    auto skip = [&] {
      while (j < pdf.size() && IsSpace(pdf[j])) ++j;
    };
    auto number = [&] {
      std::string n;
      while (j < pdf.size() && pdf[j] >= '0' && pdf[j] <= '9') n += pdf[j++];
      return n;
    };
    skip();
    if (j < pdf.size() && pdf.compare(j, 2, "<<") == 0) {  // a direct dictionary
      auto texts = BlankDictionaryStrings(pdf, j + 2);
      if (!texts.empty()) Note(out, "info");
      out.found_text.insert(out.found_text.end(), texts.begin(), texts.end());
      continue;
    }
    std::string num = number();
    skip();
    std::string gen = number();
    skip();
    if (num.empty() || gen.empty() || j >= pdf.size() || pdf[j] != 'R') continue;
    auto dict = PlainObject(pdf, num, gen);
    if (dict == std::string::npos) {
      out.unreachable_metadata = true;
      continue;
    }
    auto texts = BlankDictionaryStrings(pdf, dict);
    if (!texts.empty()) Note(out, "info");
    out.found_text.insert(out.found_text.end(), texts.begin(), texts.end());
  }
  // XMP: a metadata stream in plain text has its <x:xmpmeta> element blanked (an empty packet is
  // valid XMP); a compressed one cannot be cleaned in place.
  for (std::size_t at = pdf.find("/XML"); at != std::string::npos; at = pdf.find("/XML", at + 4)) {
    // The (flat) dictionary of a metadata stream: "<< /Type /Metadata /Subtype /XML /Length n >>".
    std::size_t open = pdf.rfind("<<", at);
    std::size_t close = pdf.find(">>", at);
    if (open == std::string::npos || close == std::string::npos) continue;
    std::string_view dict(pdf.data() + open, close - open);
    if (dict.find("/Metadata") == std::string_view::npos || dict.find("/Subtype") == std::string_view::npos) continue;
    if (dict.find("/Filter") != std::string_view::npos) out.unreachable_metadata = true;
  }
  for (std::size_t at = pdf.find("<x:xmpmeta"); at != std::string::npos; at = pdf.find("<x:xmpmeta", at + 1)) {
    std::size_t end = pdf.find("</x:xmpmeta>", at);
    if (end == std::string::npos) break;
    end += 12;
    out.found_text.emplace_back(pdf.substr(at, end - at));
    std::fill(pdf.begin() + static_cast<std::ptrdiff_t>(at), pdf.begin() + static_cast<std::ptrdiff_t>(end), ' ');
    Note(out, "xmp");
  }
  return out;
}

}  // namespace

CleanedFile StripMetadata(std::string_view content_type, std::string_view content) {
  if (content_type == "image/jpeg") return Jpeg(content);
  if (content_type == "image/png") return Png(content);
  if (content_type == "application/pdf") return Pdf(content);
  CleanedFile out;
  out.content = std::string(content);
  // Office documents keep author and editor in a compressed part of their ZIP archive
  // (docProps/core.xml, meta.xml), out of reach without rewriting the archive.
  if (content_type.starts_with("application/vnd.openxmlformats-officedocument") ||
      content_type.starts_with("application/vnd.oasis.opendocument")) {
    out.unreachable_metadata = true;
  }
  return out;
}

}  // namespace fairdesk::knowledge
