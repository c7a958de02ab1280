#include "platform/http/problem.hpp"

#include <array>

namespace fairdesk::http {
namespace json = boost::json;
namespace {

struct KindInfo {
  ErrorKind kind;
  int status;
  std::string_view slug;
  std::string_view title;
};

constexpr std::array kKinds = {
    KindInfo{ErrorKind::kBadRequest, 400, "bad-request", "Malformed request"},
    KindInfo{ErrorKind::kUnauthenticated, 401, "unauthenticated", "Not signed in"},
    KindInfo{ErrorKind::kForbidden, 403, "forbidden", "Not allowed"},
    KindInfo{ErrorKind::kNotFound, 404, "not-found", "Not found"},
    KindInfo{ErrorKind::kMethodNotAllowed, 405, "method-not-allowed", "Method not allowed"},
    KindInfo{ErrorKind::kConflict, 409, "conflict", "Conflict"},
    KindInfo{ErrorKind::kStale, 412, "precondition-failed", "Precondition failed"},
    KindInfo{ErrorKind::kTooLarge, 413, "too-large", "Request too large"},
    KindInfo{ErrorKind::kUnsupportedMedia, 415, "unsupported-media-type", "Unsupported media type"},
    KindInfo{ErrorKind::kInvalid, 422, "validation", "Invalid values"},
    KindInfo{ErrorKind::kTooManyRequests, 429, "too-many-requests", "Too many requests"},
    KindInfo{ErrorKind::kUnavailable, 503, "unavailable", "Service unavailable"},
    KindInfo{ErrorKind::kInternal, 500, "internal", "Internal error"},
};

const KindInfo& InfoOf(ErrorKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds.back();
}

// The length of the UTF-8 sequence that starts `s` (1 to 4), or 0 when it is not a valid one
// (overlong forms, surrogates and code points beyond U+10FFFF included).
std::size_t SequenceLength(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](std::size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;
    if (c == 0xF4 && b(1) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

std::string SafeUtf8(std::string_view text, std::size_t max_bytes) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  while (!text.empty()) {
    const std::size_t n = SequenceLength(text);
    const std::string_view piece = n ? text.substr(0, n) : kReplacement;
    if (out.size() + piece.size() > max_bytes) {
      while (!out.empty() && out.size() + kEllipsis.size() > max_bytes) {
        // Remove whole characters until the ellipsis fits.
        std::size_t cut = out.size() - 1;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
      }
      out += kEllipsis;
      break;
    }
    out += piece;
    text.remove_prefix(n ? n : 1);
  }
  return out;
}

int StatusOf(ErrorKind kind) { return InfoOf(kind).status; }

Response ProblemWithStatus(const Error& error, int status, std::string_view title) {
  Response r = Problem(error);
  json::value parsed = json::parse(r.body);
  parsed.as_object()["status"] = status;
  parsed.as_object()["title"] = title;
  r.status = status;
  r.body = json::serialize(parsed);
  return r;
}

Response Problem(const Error& error, std::string_view type_slug) {
  const KindInfo& info = InfoOf(error.kind);
  json::object o;
  std::string_view slug = !type_slug.empty() ? type_slug : !error.slug.empty() ? std::string_view(error.slug) : info.slug;
  o["type"] = "/problems/" + SafeUtf8(slug, 100);
  o["title"] = info.title;
  o["status"] = info.status;
  o["detail"] = error.detail.empty() ? std::string(info.title) : SafeUtf8(error.detail, kMaxProblemText);
  if (!error.errors.empty()) {
    // Bounded (issue 8 #18): a body with thousands of bad fields gets the first fifty.
    json::array errs;
    for (std::size_t i = 0; i < error.errors.size() && i < kMaxProblemErrors; ++i) {
      const auto& fe = error.errors[i];
      errs.push_back(json::object{{"field", SafeUtf8(fe.field, 200)}, {"message", SafeUtf8(fe.message, kMaxProblemText)}});
    }
    o["errors"] = std::move(errs);
    if (error.errors.size() > kMaxProblemErrors) {
      o["errors_omitted"] = error.errors.size() - kMaxProblemErrors;
    }
  }
  Response r;
  r.status = info.status;
  r.content_type = "application/problem+json";
  if (error.kind == ErrorKind::kTooManyRequests && error.retry_after_seconds > 0) {
    o["retry_after_seconds"] = error.retry_after_seconds;
    r.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  }
  r.body = json::serialize(o);
  return r;
}

}  // namespace fairdesk::http
