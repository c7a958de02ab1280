#pragma once
/// The one place where error kinds become HTTP statuses and RFC 9457 problem documents.

#include <string_view>

#include "platform/core/error.hpp"
#include "platform/http/request.hpp"

namespace fairdesk::http {

int StatusOf(ErrorKind kind);
/// A problem+json response. `type_slug` overrides the default type of the kind
/// ("/problems/<slug>"), e.g. "totp-required" or "session-expired".
Response Problem(const Error& error, std::string_view type_slug = {});
/// A problem+json response with a status that no ErrorKind has (408, 431).
Response ProblemWithStatus(const Error& error, int status, std::string_view title);

/// Problem documents are bounded: at most this many field errors (the rest summarised) ...
constexpr std::size_t kMaxProblemErrors = 50;
/// ... and each text at most this many bytes, cut at a character boundary.
constexpr std::size_t kMaxProblemText = 500;
/// `text` as valid UTF-8 of at most `max_bytes` bytes: invalid sequences become U+FFFD, and a
/// text that is too long is cut at a character boundary and ends with "…".
std::string SafeUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace fairdesk::http
