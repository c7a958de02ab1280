#pragma once
/// Which files may be uploaded, decided by their content (libmagic), not by their name.

#include <string>
#include <string_view>

#include "platform/core/error.hpp"

namespace fairdesk::documents {

/// The MIME type libmagic reads from the bytes ("application/pdf", "image/png", ...;
/// "application/x-empty" for no bytes). Thread-safe (one libmagic handle per thread).
Result<std::string> SniffContentType(std::string_view bytes);

/// The canonical form of a declared Content-Type: lower case, parameters dropped, aliases such
/// as image/jpg mapped; empty when it is none of the allowed types.
std::string CanonicalAllowedType(std::string_view declared);

/// Checks an upload: the declared type must be allowed (415 naming content_type otherwise), the
/// content must be that type (422 naming content_type), and a file name extension that belongs
/// to another allowed type is refused (422 naming filename). Answers the canonical type.
Result<std::string> CheckUpload(std::string_view declared, std::string_view filename, std::string_view bytes);

/// The name a document is stored under (issue 8 #19): bidirectional controls and other
/// invisible format characters (U+200B-U+200F, U+202A-U+202E, U+2066-U+2069, U+061C, U+FEFF)
/// removed, so that "invoice\u202Efdp.exe" cannot pose as a PDF; and an extension that fits the
/// detected type: one of the type's own is kept, any other is kept as part of the name and the
/// type's extension appended ("letter.html" with text content becomes "letter.html.txt").
std::string StoredFilename(std::string_view filename, std::string_view canonical_type);

/// The allowed types, for documentation and error messages.
std::string AllowedTypesText();

}  // namespace fairdesk::documents
