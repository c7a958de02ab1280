#pragma once
/// Proof of work for sign-ins under attack (issue 8 #6). Instead of refusing an account or an
/// address that has seen many failures (which would let anyone who knows an e-mail address lock
/// its owner out), every further attempt must carry the solution of a fresh challenge: a nonce
/// such that SHA-256(challenge ":" nonce) starts with `bits` zero bits. The owner pays a few
/// seconds of their browser's time once; a guesser pays it for every guess.
///
/// Challenges are stateless (an HMAC under a per-process key names the expiry, the difficulty and
/// the account they are for) and single-use (solved ones are remembered until they expire).

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fairdesk::auth {

/// Leading zero bits of SHA-256(challenge ":" nonce).
int ProofBits(std::string_view challenge, std::string_view nonce);

class ProofOfWork {
 public:
  static constexpr std::int64_t kLifetimeSeconds = 300;
  ProofOfWork();

  /// A new challenge of `bits` difficulty for the account key `binding`.
  std::string Issue(int bits, std::string_view binding, std::int64_t now) const;
  /// True when `challenge` was issued here for `binding` with at least `min_bits`, has not expired
  /// or been used, and `nonce` solves it. A true answer uses the challenge up.
  bool Accept(std::string_view challenge, std::string_view nonce, std::string_view binding, int min_bits,
              std::int64_t now);

 private:
  std::string Mac(std::string_view text) const;
  std::string key_;
  std::mutex mu_;
  std::unordered_map<std::string, std::int64_t> used_;  // challenge → expiry
};

}  // namespace fairdesk::auth
