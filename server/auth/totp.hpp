#pragma once
/// One-time passwords (RFC 4226 HOTP, RFC 6238 TOTP with HMAC-SHA1, 30-second steps) and the
/// helpers around enrolment: base32 secrets, otpauth URIs and the QR code as SVG.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fairdesk::auth::totp {

constexpr std::int64_t kStepSeconds = 30;
constexpr int kDigits = 6;
constexpr int kSecretBytes = 20;  // 160 bits, the key length RFC 4226 § 4 recommends

/// HOTP value of `counter` under `key` (raw bytes), zero-padded to `digits` (6 to 8).
std::string Hotp(std::string_view key, std::uint64_t counter, int digits = kDigits);
/// The time step of a unix time.
std::int64_t StepOf(std::int64_t unix_seconds);
/// The TOTP value at a unix time.
std::string TotpAt(std::string_view key, std::int64_t unix_seconds, int digits = kDigits);
/// Checks `code` against the steps now-1, now and now+1 (clock drift of the phone) and answers
/// the matching step. Steps at or before `last_used_step` are refused, so a code works once.
std::optional<std::int64_t> Verify(std::string_view key, std::string_view code, std::int64_t unix_seconds,
                                   std::optional<std::int64_t> last_used_step);

/// A fresh random secret, base32 (RFC 4648, no padding) as authenticator apps expect it.
std::string NewSecret();
/// Decodes base32 (upper or lower case, no padding); nullopt for other characters.
std::optional<std::string> Base32Decode(std::string_view text);

/// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32);
/// The QR code of `text` (libqrencode, error correction M) as a self-contained SVG document.
std::string QrSvg(std::string_view text);

/// `bytes` bytes from the operating system's CSPRNG (OpenSSL RAND_bytes).
std::string RandomBytes(std::size_t bytes);

}  // namespace fairdesk::auth::totp
