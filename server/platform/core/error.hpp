#pragma once
/// Expected failures as values. Every module returns Result<T>; the HTTP layer maps ErrorKind to a
/// status and problem type in one place (platform/http/problem.cpp).

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fairdesk {

enum class ErrorKind {
  kBadRequest,       // malformed request (400)
  kUnauthenticated,  // not logged in (401)
  kForbidden,        // logged in but not allowed (403)
  kNotFound,         // does not exist or caller may not see it (404)
  kMethodNotAllowed, // route exists, method does not (405)
  kConflict,         // state conflict, duplicate (409)
  kStale,            // a stale If-Match: the record changed since the caller read it (412)
  kTooLarge,         // body or upload too large (413)
  kUnsupportedMedia, // wrong content type (415)
  kInvalid,          // invalid values, with field errors (422)
  kTooManyRequests,  // throttled (429)
  kUnavailable,      // database unreachable (503)
  kInternal,         // a fault of ours (500)
};

/// One invalid input field, named by its JSON path ("periods[0].month").
struct FieldError {
  std::string field;
  std::string message;
};

/// An expected failure. `detail` goes to the caller and must never hold personal data;
/// `internal` is for the log only (also free of personal data).
struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string detail;
  std::vector<FieldError> errors;
  std::string internal;
  int retry_after_seconds = 0;  // for kTooManyRequests
  std::string slug;             // a more specific problem type ("session-expired"); empty: the kind's

  static Error BadRequest(std::string detail) { return {ErrorKind::kBadRequest, std::move(detail)}; }
  static Error Unauthenticated(std::string detail = "Please sign in.") {
    return {ErrorKind::kUnauthenticated, std::move(detail)};
  }
  static Error Forbidden(std::string detail = "You are not allowed to do this.") {
    return {ErrorKind::kForbidden, std::move(detail)};
  }
  static Error NotFound(std::string detail = "Not found.") { return {ErrorKind::kNotFound, std::move(detail)}; }
  static Error Conflict(std::string detail) { return {ErrorKind::kConflict, std::move(detail)}; }
  /// A stale If-Match (412 Precondition Failed, problem type "precondition-failed"), naming the
  /// If-Match header: `what` is the record ("The record", "The ESF Plus record").
  static Error Stale(std::string_view what = "The record") {
    Error e{ErrorKind::kStale, std::string(what) +
                                   " was changed by someone else since you loaded it. Load it again and apply your "
                                   "change to the current version."};
    e.errors.push_back({"If-Match", "does not match the current version of the record"});
    return e;
  }
  static Error TooLarge(std::string detail) { return {ErrorKind::kTooLarge, std::move(detail)}; }
  static Error Invalid(std::string field, std::string message) {
    Error e{ErrorKind::kInvalid, "The request contains invalid values."};
    e.errors.push_back({std::move(field), std::move(message)});
    return e;
  }
  static Error Invalid(std::vector<FieldError> errors) {
    Error e{ErrorKind::kInvalid, "The request contains invalid values."};
    e.errors = std::move(errors);
    return e;
  }
  static Error Unavailable(std::string internal) {
    Error e{ErrorKind::kUnavailable, "The service is temporarily unavailable."};
    e.internal = std::move(internal);
    return e;
  }
  static Error Internal(std::string internal) {
    Error e{ErrorKind::kInternal, "An internal error occurred."};
    e.internal = std::move(internal);
    return e;
  }
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace fairdesk

/// Propagates the error of an expression returning Result<T>; yields the value otherwise.
#define FD_TRY(expr)                                              \
  ({                                                              \
    auto&& fd_try_result_ = (expr);                               \
    if (!fd_try_result_) return ::fairdesk::Fail(std::move(fd_try_result_.error())); \
    std::move(*fd_try_result_);                                   \
  })
#define FD_TRY_VOID(expr)                                         \
  do {                                                            \
    auto&& fd_try_result_ = (expr);                               \
    if (!fd_try_result_) return ::fairdesk::Fail(std::move(fd_try_result_.error())); \
  } while (false)
