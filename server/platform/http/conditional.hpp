#pragma once
/// Conditional and partial requests (RFC 9110 §13, §14): the entity tags of If-Match, and the one
/// byte range of a Range header (with If-Range) that an answer of a known size serves.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/request.hpp"

namespace fairdesk::http {

/// The entity tags of a header such as If-Match or If-None-Match (weak ones compared by their
/// value; "*" kept). Empty when the request has no such header; a header that names no tag gives
/// a tag that matches nothing.
std::vector<std::string> EntityTags(const Request& req, std::string_view lower_name);
inline std::vector<std::string> IfMatchTags(const Request& req) { return EntityTags(req, "if-match"); }
/// Whether If-None-Match names `etag` (or "*"): the client's copy is current (304 for a GET).
bool IfNoneMatchHits(const Request& req, std::string_view etag);
/// Whether `etag` satisfies tags read by IfMatchTags (none: no precondition, yes).
bool IfMatchAllows(const std::vector<std::string>& tags, std::string_view etag);

/// The part of a representation of `size` bytes that a GET asks for.
struct ByteRange {
  enum class Kind {
    kWhole,          // 200: no Range, another method or unit, an If-Range that does not match, an
                     // unreadable header, or several ranges (fairdesk answers those whole)
    kPart,           // 206 with Content-Range: bytes first-last/size
    kUnsatisfiable,  // 416 with Content-Range: bytes */size
  };
  Kind kind = Kind::kWhole;
  std::uint64_t first = 0, last = 0;  // inclusive, for kPart
  std::uint64_t length() const { return last - first + 1; }
};
/// Reads Range and If-Range (compared with the representation's strong `etag`) of a GET.
ByteRange ReadByteRange(const Request& req, std::uint64_t size, std::string_view etag);
/// `bytes=first-last/size` or `bytes */size`: the Content-Range of a 206 or 416 answer.
std::string ContentRange(const ByteRange& range, std::uint64_t size);

}  // namespace fairdesk::http
