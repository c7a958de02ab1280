#pragma once
/// Abuse protection of the contact form without any third party and without tracking:
/// - a proof-of-work challenge in the ALTCHA scheme (SHA-256(salt + number) == challenge, an
///   HMAC-SHA-256 signature over the challenge, the expiry inside the salt), solved by
///   portal.js in the visitor's browser and verified here; each challenge is usable once (the
///   store keeps used ones until they expire);
/// - the time the form was issued (from the salt) for the minimum fill time;
/// - a rate limit per IPv4 address and per IPv6 /64 (IPv4-mapped addresses folded), counted in
///   the database under a keyed pseudonym of the network (RateKey, then crypto::HmacSha256Hex with
///   the portal's secret), so that every app server on the database shares one budget (issue 13).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fairdesk::portal {

struct Challenge {
  std::string algorithm = "SHA-256";
  std::string salt;       // "<random hex>?expires=<unix seconds>"
  std::string challenge;  // hex SHA-256(salt + number)
  std::string signature;  // hex HMAC-SHA-256(key, challenge)
  std::int64_t max_number = 0;
};

enum class ProofResult { kValid, kMissing, kInvalid, kExpired };

class ProofOfWork {
 public:
  /// `max_number` sets the cost: a browser tries on average half of it. Signs with a random key
  /// of its own (this process only).
  ProofOfWork(std::int64_t max_number, std::chrono::seconds ttl);
  /// Signs with `key`: servers that share it verify each other's challenges.
  ProofOfWork(std::string key, std::int64_t max_number, std::chrono::seconds ttl);
  Challenge Create(std::int64_t now_unix) const;
  ProofResult Verify(std::string_view salt, std::string_view challenge, std::string_view signature,
                     std::string_view number, std::int64_t now_unix) const;
  /// When the form carrying this (signed) salt was issued, or nullopt when the salt was not made here.
  std::optional<std::int64_t> IssuedAt(std::string_view salt, std::string_view challenge,
                                       std::string_view signature) const;
  std::int64_t ExpiresAt(std::string_view salt) const;
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  std::string Sign(std::string_view challenge) const;
  std::string key_;
  std::int64_t max_number_;
  std::chrono::seconds ttl_;
};

/// "203.0.113.7" → "203.0.113.7"; "::ffff:203.0.113.7" → "203.0.113.7";
/// "2001:db8:1:2:3:4:5:6" → "2001:db8:1:2::/64". Empty for an unparsable address.
std::string RateKey(std::string_view remote_address);

}  // namespace fairdesk::portal
