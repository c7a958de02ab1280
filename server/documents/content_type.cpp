#include "documents/content_type.hpp"

#include <magic.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace fairdesk::documents {
namespace {

struct AllowedType {
  std::string_view mime;
  std::array<std::string_view, 3> extensions;
};

// PDF, images, plain text and word-processor files: what advice centres receive from clients
// (pay slips, contracts, dismissal letters, photos of them). Nothing that a browser would run.
constexpr AllowedType kAllowed[] = {
    {"application/pdf", {"pdf"}},
    {"image/png", {"png"}},
    {"image/jpeg", {"jpg", "jpeg", "jpe"}},
    {"text/plain", {"txt", "text"}},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}},
    {"application/vnd.oasis.opendocument.text", {"odt"}},
};

constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"image/jpg", "image/jpeg"},
    {"image/pjpeg", "image/jpeg"},
    {"application/x-pdf", "application/pdf"},
};

// libmagic handles are not thread-safe; each worker thread gets its own, loaded once.
class MagicHandle {
 public:
  MagicHandle() {
    cookie_ = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    if (cookie_ != nullptr && magic_load(cookie_, nullptr) != 0) {
      magic_close(cookie_);
      cookie_ = nullptr;
    }
  }
  ~MagicHandle() {
    if (cookie_ != nullptr) magic_close(cookie_);
  }
  MagicHandle(const MagicHandle&) = delete;
  MagicHandle& operator=(const MagicHandle&) = delete;
  magic_t get() const { return cookie_; }

 private:
  magic_t cookie_ = nullptr;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const AllowedType* FindAllowed(std::string_view mime) {
  for (const auto& t : kAllowed) {
    if (t.mime == mime) return &t;
  }
  return nullptr;
}

std::string Extension(std::string_view filename) {
  auto dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  return Lower(filename.substr(dot + 1));
}

// Invisible format characters that reorder or hide what a name shows.
bool IsHiddenFormatChar(char32_t c) {
  return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x061C || c == 0xFEFF;
}

}  // namespace

std::string StoredFilename(std::string_view filename, std::string_view canonical_type) {
  std::string clean;
  for (std::size_t i = 0; i < filename.size();) {
    const auto b0 = static_cast<unsigned char>(filename[i]);
    std::size_t n = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 1;
    if (i + n > filename.size()) n = 1;
    char32_t cp = b0;
    if (n == 3) {
      cp = ((b0 & 0x0F) << 12) | ((static_cast<unsigned char>(filename[i + 1]) & 0x3F) << 6) |
           (static_cast<unsigned char>(filename[i + 2]) & 0x3F);
    } else if (n == 2) {
      cp = ((b0 & 0x1F) << 6) | (static_cast<unsigned char>(filename[i + 1]) & 0x3F);
    }
    if (!IsHiddenFormatChar(cp)) clean.append(filename.substr(i, n));
    i += n;
  }
  while (!clean.empty() && (clean.back() == ' ' || clean.back() == '.')) clean.pop_back();
  while (!clean.empty() && clean.front() == ' ') clean.erase(clean.begin());
  if (clean.empty()) clean = "document";
  const AllowedType* type = FindAllowed(canonical_type);
  if (type == nullptr) return clean;
  const std::string ext = Extension(clean);
  if (std::find(type->extensions.begin(), type->extensions.end(), ext) == type->extensions.end() || ext.empty()) {
    clean += ".";
    clean += type->extensions[0];
  }
  return clean;
}

Result<std::string> SniffContentType(std::string_view bytes) {
  thread_local MagicHandle handle;
  if (handle.get() == nullptr) return Fail(Error::Internal("documents: libmagic could not load its database"));
  const char* type = magic_buffer(handle.get(), bytes.data(), bytes.size());
  if (type == nullptr) return Fail(Error::Internal("documents: libmagic could not classify a buffer"));
  return std::string(type);
}

std::string CanonicalAllowedType(std::string_view declared) {
  std::string mime = Lower(Trim(declared.substr(0, declared.find(';'))));
  for (const auto& [alias, canonical] : kAliases) {
    if (mime == alias) mime = canonical;
  }
  return FindAllowed(mime) != nullptr ? mime : "";
}

std::string AllowedTypesText() {
  std::string out;
  for (const auto& t : kAllowed) {
    if (!out.empty()) out += ", ";
    out += t.mime;
  }
  return out;
}

Result<std::string> CheckUpload(std::string_view declared, std::string_view filename, std::string_view bytes) {
  std::string canonical = CanonicalAllowedType(declared);
  if (canonical.empty()) {
    Error e{ErrorKind::kUnsupportedMedia, "This type of file cannot be stored."};
    e.errors.push_back({"content_type", "must be one of " + AllowedTypesText()});
    return Fail(std::move(e));
  }
  if (bytes.empty()) return Fail(Error::Invalid("content", "must not be empty"));
  std::string sniffed = FD_TRY(SniffContentType(bytes));
  if (sniffed != canonical) {
    const AllowedType* actual = FindAllowed(sniffed);
    return Fail(Error::Invalid(
        "content_type", actual != nullptr ? "does not match the content, which is " + std::string(actual->mime)
                                          : "does not match the content, which is not an allowed type of file"));
  }
  std::string ext = Extension(filename);
  if (!ext.empty()) {
    for (const auto& t : kAllowed) {
      if (t.mime == canonical) continue;
      if (std::find(t.extensions.begin(), t.extensions.end(), ext) != t.extensions.end()) {
        return Fail(Error::Invalid("filename", "has the extension of another type of file than its content"));
      }
    }
  }
  return canonical;
}

}  // namespace fairdesk::documents
