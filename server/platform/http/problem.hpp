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

}  // namespace fairdesk::http
