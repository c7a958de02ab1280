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

}  // namespace

int StatusOf(ErrorKind kind) { return InfoOf(kind).status; }

Response Problem(const Error& error, std::string_view type_slug) {
  const KindInfo& info = InfoOf(error.kind);
  json::object o;
  std::string_view slug = !type_slug.empty() ? type_slug : !error.slug.empty() ? std::string_view(error.slug) : info.slug;
  o["type"] = "/problems/" + std::string(slug);
  o["title"] = info.title;
  o["status"] = info.status;
  o["detail"] = error.detail.empty() ? std::string(info.title) : error.detail;
  if (!error.errors.empty()) {
    json::array errs;
    for (const auto& fe : error.errors) {
      errs.push_back(json::object{{"field", fe.field}, {"message", fe.message}});
    }
    o["errors"] = std::move(errs);
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
