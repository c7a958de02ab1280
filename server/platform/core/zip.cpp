#include "platform/core/zip.hpp"

#include <array>
#include <ctime>

namespace fairdesk::zip {
namespace {

constexpr std::array<std::uint32_t, 256> MakeTable() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kTable = MakeTable();

void U16(std::string& out, std::uint64_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void U32(std::string& out, std::uint64_t v) {
  U16(out, v & 0xFFFF);
  U16(out, (v >> 16) & 0xFFFF);
}
void U64(std::string& out, std::uint64_t v) {
  U32(out, v & 0xFFFFFFFFu);
  U32(out, v >> 32);
}

constexpr std::uint16_t kUtf8Flag = 1u << 11;
constexpr std::uint16_t kMadeBy = (3u << 8) | 45;  // Unix, version 4.5 (Zip64)

}  // namespace

std::uint32_t Crc32(std::string_view data, std::uint32_t crc) {
  crc = ~crc;
  for (unsigned char b : data) crc = kTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::string SafeEntryName(std::string_view name) {
  std::string out;
  std::string segment;
  auto flush = [&] {
    if (segment.empty() || segment == "." || segment == "..") {
      segment.clear();
      return;
    }
    if (!out.empty()) out.push_back('/');
    out += segment;
    segment.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == '/' || c == '\\') {
      flush();
      continue;
    }
    if (c < 0x20 || c == 0x7F || c == ':') {
      segment.push_back('_');
      continue;
    }
    // U+200E/F, U+202A-E, U+2066-9 (E2 80 8E/8F, E2 80 AA-AE, E2 81 A6-A9): bidi formatting.
    if (c == 0xE2 && i + 2 < name.size()) {
      const auto b1 = static_cast<unsigned char>(name[i + 1]);
      const auto b2 = static_cast<unsigned char>(name[i + 2]);
      if ((b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) ||
          (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        segment.push_back('_');
        i += 2;
        continue;
      }
    }
    segment.push_back(static_cast<char>(c));
  }
  flush();
  return out.empty() ? std::string("_") : out;
}

std::string Writer::LocalHeader(std::string_view name, std::string_view data, std::int64_t modified_unix) {
  Entry e;
  e.name = SafeEntryName(name);
  e.crc = Crc32(data);
  e.size = data.size();
  e.offset = offset_;
  std::time_t t = static_cast<std::time_t>(modified_unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  if (tm.tm_year < 80) tm = std::tm{0, 0, 0, 1, 0, 80, 0, 0, 0, 0, nullptr};
  e.dos_time = static_cast<std::uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  e.dos_date = static_cast<std::uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  const bool big = e.size >= zip64_from_;
  std::string out;
  U32(out, 0x04034b50);
  U16(out, big ? 45 : 20);
  U16(out, kUtf8Flag);
  U16(out, 0);  // stored
  U16(out, e.dos_time);
  U16(out, e.dos_date);
  U32(out, e.crc);
  U32(out, big ? 0xFFFFFFFFu : e.size);
  U32(out, big ? 0xFFFFFFFFu : e.size);
  U16(out, e.name.size());
  U16(out, big ? 20 : 0);
  out += e.name;
  if (big) {
    U16(out, 0x0001);
    U16(out, 16);
    U64(out, e.size);
    U64(out, e.size);
  }
  offset_ += out.size();
  entries_.push_back(std::move(e));
  return out;
}

std::string Writer::Finish() {
  std::string out;
  const std::uint64_t cd_start = offset_;
  for (const auto& e : entries_) {
    const bool big_size = e.size >= zip64_from_;
    const bool big_offset = e.offset >= zip64_from_;
    std::string extra;
    if (big_size || big_offset) {
      std::string fields;
      if (big_size) {
        U64(fields, e.size);
        U64(fields, e.size);
      }
      if (big_offset) U64(fields, e.offset);
      U16(extra, 0x0001);
      U16(extra, fields.size());
      extra += fields;
    }
    U32(out, 0x02014b50);
    U16(out, kMadeBy);
    U16(out, extra.empty() ? 20 : 45);
    U16(out, kUtf8Flag);
    U16(out, 0);
    U16(out, e.dos_time);
    U16(out, e.dos_date);
    U32(out, e.crc);
    U32(out, big_size ? 0xFFFFFFFFu : e.size);
    U32(out, big_size ? 0xFFFFFFFFu : e.size);
    U16(out, e.name.size());
    U16(out, extra.size());
    U16(out, 0);  // comment
    U16(out, 0);  // disk
    U16(out, 0);  // internal attributes
    U32(out, 0100644u << 16);  // external: a regular file, rw-r--r--
    U32(out, big_offset ? 0xFFFFFFFFu : e.offset);
    out += e.name;
    out += extra;
  }
  const std::uint64_t cd_size = out.size();
  const std::uint64_t count = entries_.size();
  const bool zip64 = cd_start >= zip64_from_ || cd_size >= zip64_from_ || count >= 0xFFFF ||
                     cd_start + cd_size >= zip64_from_;
  if (zip64) {
    const std::uint64_t record_at = cd_start + cd_size;
    U32(out, 0x06064b50);
    U64(out, 44);
    U16(out, kMadeBy);
    U16(out, 45);
    U32(out, 0);
    U32(out, 0);
    U64(out, count);
    U64(out, count);
    U64(out, cd_size);
    U64(out, cd_start);
    U32(out, 0x07064b50);  // locator
    U32(out, 0);
    U64(out, record_at);
    U32(out, 1);
  }
  U32(out, 0x06054b50);
  U16(out, 0);
  U16(out, 0);
  U16(out, zip64 ? 0xFFFF : count);
  U16(out, zip64 ? 0xFFFF : count);
  U32(out, zip64 ? 0xFFFFFFFFu : cd_size);
  U32(out, zip64 ? 0xFFFFFFFFu : cd_start);
  U16(out, 0);
  offset_ += out.size();
  entries_.clear();
  return out;
}

}  // namespace fairdesk::zip
