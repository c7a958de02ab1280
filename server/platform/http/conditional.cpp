#include "platform/http/conditional.hpp"

#include <charconv>

namespace fairdesk::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A non-empty run of digits (no sign, no space) that fits in 64 bits.
std::optional<std::uint64_t> Digits(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::vector<std::string> EntityTags(const Request& req, std::string_view lower_name) {
  std::vector<std::string> tags;
  auto header = req.Header(lower_name);
  if (!header) return tags;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view tag = Trim(rest.substr(0, comma));
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (!tag.empty()) tags.emplace_back(tag);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (tags.empty()) tags.emplace_back("\"\"");  // a header that names no tag matches nothing
  return tags;
}

bool IfMatchAllows(const std::vector<std::string>& tags, std::string_view etag) {
  if (tags.empty()) return true;
  for (const auto& t : tags) {
    if (t == "*" || t == etag) return true;
  }
  return false;
}

bool IfNoneMatchHits(const Request& req, std::string_view etag) {
  auto tags = EntityTags(req, "if-none-match");
  return !tags.empty() && IfMatchAllows(tags, etag);
}

ByteRange ReadByteRange(const Request& req, std::uint64_t size, std::string_view etag) {
  ByteRange whole;
  // Range is defined for GET only (RFC 9110 §14.2): HEAD describes the whole representation.
  if (req.method != "GET") return whole;
  auto header = req.Header("range");
  if (!header) return whole;
  // If-Range with an entity tag: the range only if the representation is still that one (a
  // strong comparison); a date or another tag: the whole representation.
  if (auto if_range = req.Header("if-range"); if_range && Trim(*if_range) != etag) return whole;
  std::string_view spec = Trim(*header);
  if (!spec.starts_with("bytes=")) return whole;  // another unit: ignored
  spec.remove_prefix(6);
  if (spec.find(',') != std::string_view::npos) return whole;  // several ranges: the whole file
  spec = Trim(spec);
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  ByteRange r{ByteRange::Kind::kPart};
  if (a.empty()) {  // bytes=-N: the last N bytes
    auto n = Digits(b);
    if (!n) return whole;
    if (*n == 0 || size == 0) return {ByteRange::Kind::kUnsatisfiable};
    r.first = *n >= size ? 0 : size - *n;
    r.last = size - 1;
    return r;
  }
  auto first = Digits(a);
  if (!first) return whole;
  std::optional<std::uint64_t> last;
  if (!b.empty()) {
    last = Digits(b);
    if (!last || *last < *first) return whole;  // invalid: ignored (RFC 9110 §14.1.1)
  }
  if (*first >= size) return {ByteRange::Kind::kUnsatisfiable};
  r.first = *first;
  r.last = last ? std::min(*last, size - 1) : size - 1;
  return r;
}

std::string ContentRange(const ByteRange& range, std::uint64_t size) {
  if (range.kind == ByteRange::Kind::kPart) {
    return "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" + std::to_string(size);
  }
  return "bytes */" + std::to_string(size);
}

}  // namespace fairdesk::http
