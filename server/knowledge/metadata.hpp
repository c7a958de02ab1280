#pragma once
/// Metadata of knowledge attachments (issue 9, redaction): what a file says about who made it,
/// where and when, besides its visible content. Images lose it on upload (EXIF with camera,
/// place and author; XMP; IPTC; comments; PNG text chunks); a PDF keeps its structure and gets
/// its document properties (the Info dictionary: author, title, subject, keywords, creator,
/// producer, dates) and its XMP packet blanked in place, byte for byte, so that the offsets of
/// its cross-reference table stay valid. A PDF whose properties sit in a compressed object or
/// stream, where they cannot be reached without rewriting the file, is reported as such, and so
/// is every DOCX and ODT file (author and editor in a compressed part of the archive): the
/// service refuses them for public items and case descriptions (docs/DECISIONS.md).

#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::knowledge {

struct CleanedFile {
  std::string content;
  /// What was removed (e.g. "exif", "xmp", "comment", "text", "info"), for the audit and tests.
  std::vector<std::string> removed;
  /// A PDF whose document properties could not be reached (compressed): not cleaned completely.
  bool unreachable_metadata = false;
  /// The text of the properties found before they were blanked (PDF Info values, PNG text,
  /// JPEG comments), so that the redaction check can still name them if cleaning is refused.
  std::vector<std::string> found_text;
};

/// Removes the metadata of a file of `content_type` (image/jpeg, image/png, application/pdf;
/// other types are returned unchanged). Never fails: a file it cannot parse is returned as is,
/// marked unreachable_metadata.
CleanedFile StripMetadata(std::string_view content_type, std::string_view content);

}  // namespace fairdesk::knowledge
