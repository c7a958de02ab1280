#pragma once
/// libsodium wrappers: random tokens and ids, SHA-256, Argon2id password hashes.

#include <string>
#include <string_view>

namespace fairdesk::crypto {

/// Must be called once before any other function (idempotent).
void Init();

/// `bytes` random bytes, base64url without padding.
std::string RandomToken(std::size_t bytes = 32);
/// An opaque id: prefix + 16 random bytes in lower-case base32 ("cas_5k2...").
std::string NewId(std::string_view prefix);
/// Hex SHA-256 of `data` (session tokens are stored only as this hash).
std::string Sha256Hex(std::string_view data);
/// HMAC-SHA-256 of `data` under `key` (any length): the 32 raw bytes, and as lower-case hex.
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HmacSha256Hex(std::string_view key, std::string_view data);

/// Argon2id (libsodium's crypto_pwhash_str, moderate limits).
std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);

/// A salted hash of a random secret that is checked rarely (recovery codes): Argon2id with a
/// small memory cost (8 MiB), so that ten of them cost little, in crypto_pwhash_str format.
std::string HashSecret(std::string_view secret);
bool VerifySecret(std::string_view hash, std::string_view secret);

bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string Base64UrlEncode(std::string_view bytes);
std::string Base32Encode(std::string_view bytes);  // RFC 4648, no padding (TOTP secrets)

}  // namespace fairdesk::crypto
