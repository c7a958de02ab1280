#pragma once
/// The few HTTP requests a relying party makes to its identity provider (discovery, key set,
/// token request): Boost.Beast over TLS (OpenSSL; the system's trusted CAs and those in
/// FAIRDESK_OIDC_CA_FILE; the host name checked during verification).
/// Plain http:// only to a loopback host (tests, a provider on the same machine).

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "platform/core/error.hpp"

namespace fairdesk::auth::oidc {

struct HttpReply {
  int status = 0;
  std::string body;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent with Content-Type application/x-www-form-urlencoded when not empty
  std::chrono::seconds timeout{10};
};

/// Whether a URL may be used at all: https, or http to 127.0.0.1 / ::1 / localhost.
bool IsAllowedUrl(std::string_view url);

/// One request, one connection; answers at most 1 MiB of body. Network and TLS failures are
/// kUnavailable (internal text only).
Result<HttpReply> Fetch(const HttpRequest& request);

/// application/x-www-form-urlencoded encoding of one value.
std::string FormEncode(std::string_view value);
/// Standard base64 with padding (HTTP Basic authentication), by OpenSSL.
std::string Base64Encode(std::string_view bytes);

}  // namespace fairdesk::auth::oidc
