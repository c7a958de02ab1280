#pragma once
/// A streaming ZIP writer (PKWARE APPNOTE 6.3): entries are stored (no compression — documents
/// are PDFs and images, already compressed), names in UTF-8 (flag bit 11), CRC-32 computed here.
/// The writer keeps only the central directory (a few dozen bytes per entry), so an archive of
/// any size is produced piece by piece: LocalHeader, then the entry's bytes as they come, then
/// Finish. Zip64 records are written only where an offset or a count needs them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::zip {

/// CRC-32 (ISO 3309, the one ZIP and gzip use), continuing from `crc` (0 to start).
std::uint32_t Crc32(std::string_view data, std::uint32_t crc = 0);

/// A name safe to extract anywhere: path segments kept, but no absolute path, no "..", no
/// backslash, no control or bidirectional formatting characters (replaced by '_').
std::string SafeEntryName(std::string_view name);

class Writer {
 public:
  /// `zip64_from`: offsets and sizes from this value on are written as Zip64 (tests lower it).
  explicit Writer(std::uint64_t zip64_from = 0xFFFFFFFFu) : zip64_from_(zip64_from) {}

  /// The local header of an entry whose content is `data` (used for its size and CRC only; the
  /// caller sends the bytes after the header). Answers the bytes to send.
  std::string LocalHeader(std::string_view name, std::string_view data, std::int64_t modified_unix);
  /// Counts bytes the caller sent after a LocalHeader (the entry's content).
  void Sent(std::uint64_t n) { offset_ += n; }
  /// The central directory and end records. No entry may follow.
  std::string Finish();
  std::uint64_t Offset() const { return offset_; }

 private:
  struct Entry {
    std::string name;
    std::uint32_t crc = 0;
    std::uint64_t size = 0;
    std::uint64_t offset = 0;
    std::uint16_t dos_time = 0, dos_date = 0;
  };
  std::uint64_t zip64_from_;
  std::uint64_t offset_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace fairdesk::zip
