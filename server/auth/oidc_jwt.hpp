#pragma once
/// The pure parts of OpenID Connect sign-in: base64url, PKCE (S256), JSON Web Keys and the
/// validation of an ID token (JWS compact form) against the expectations of one login attempt.
/// Signatures are checked by OpenSSL (RS256, ES256); nothing here does network or storage.

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/core/error.hpp"

namespace fairdesk::auth::oidc {

/// base64url without padding (RFC 7515 §2); nullopt for characters outside the alphabet.
std::optional<std::string> Base64UrlDecode(std::string_view text);
std::string Base64UrlEncode(std::string_view bytes);
/// The PKCE code challenge of a verifier (RFC 7636, method S256).
std::string CodeChallengeS256(std::string_view verifier);

/// A JSON Web Key Set as published at the issuer's jwks_uri.
struct Jwks {
  boost::json::array keys;
};
Result<Jwks> ParseJwks(std::string_view text);

/// What an ID token must satisfy (OpenID Connect Core §3.1.3.7).
struct Expectation {
  std::string issuer;
  std::string client_id;
  std::string nonce;
  std::int64_t now = 0;
  std::int64_t skew_seconds = 60;  // allowed clock difference for exp, iat and nbf
  std::int64_t max_age_seconds = 600;  // an iat further back than this is refused
};

/// Why a token was refused; the reason is a code for logs and security events, never a claim.
enum class Refusal {
  kMalformed,
  kAlgorithm,    // none, HS256 or anything but RS256/ES256
  kUnknownKey,   // no key in the set with the token's kid: the caller may refetch the set once
  kSignature,
  kIssuer,
  kAudience,
  kAuthorizedParty,
  kExpired,
  kIssuedAt,
  kNonce,
};
std::string_view RefusalCode(Refusal r);

struct Validated {
  boost::json::object claims;
  std::string kid;
};

/// Checks the token's signature with the key of its `kid` in `keys` (a key without kid matches
/// only when the set has exactly one key of the algorithm's type) and then its claims.
std::variant<Validated, Refusal> ValidateIdToken(std::string_view token, const Jwks& keys, const Expectation& expect);

/// The `kid` of a token's header (empty when none or malformed), to decide whether to refetch.
std::string TokenKeyId(std::string_view token);

}  // namespace fairdesk::auth::oidc
