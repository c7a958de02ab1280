#pragma once
/// The text inside a knowledge attachment, for the redaction check (issue 9): what a reader of
/// the file would see. PDF through Poppler (libpoppler-cpp from Debian, every page); DOCX and
/// ODT by reading their ZIP archive (zlib inflate) and taking the text of the document XML
/// (DOCX: word/document.xml, headers, footers, footnotes, comments; ODT: content.xml,
/// styles.xml for headers and footers) and of their document properties (docProps/core.xml,
/// docProps/app.xml, meta.xml); plain text as it is. Images carry no text that can be read here
/// (no OCR): `readable` is false for them, and the service asks the editor to confirm that they
/// show no personal data.

#include <string>
#include <string_view>

namespace fairdesk::knowledge {

struct AttachmentText {
  /// False when the file's text cannot be read (images; a PDF or archive that does not open).
  bool readable = false;
  std::string text;
};

/// The text of `content` of (canonical) type `content_type`. Never throws.
AttachmentText ExtractText(std::string_view content_type, std::string_view content);

/// True for the types whose text ExtractText cannot read at all (images).
bool IsImageType(std::string_view content_type);

}  // namespace fairdesk::knowledge
