#pragma once
/// Proof of work for sign-ins under attack (issue 8 #6). Instead of refusing an account or an
/// address that has seen many failures (which would let anyone who knows an e-mail address lock
/// its owner out), every further attempt must carry the solution of a fresh challenge: a nonce
/// such that SHA-256(challenge ":" nonce) starts with `bits` zero bits. The owner pays a few
/// seconds of their browser's time once; a guesser pays it for every guess.
///
/// Challenges are stateless (an HMAC under a key that every app server on the database shares
/// names the expiry, the difficulty and the account they are for), so any server verifies what
/// another issued; single use is the caller's: a solved challenge is marked used in the database
/// (auth::Store::UseChallenge, platform/cluster), once across all servers (issue 13).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fairdesk::auth {

/// Leading zero bits of SHA-256(challenge ":" nonce).
int ProofBits(std::string_view challenge, std::string_view nonce);

class ProofOfWork {
 public:
  static constexpr std::int64_t kLifetimeSeconds = 300;
  /// Signs with a random key of its own (this process only).
  ProofOfWork();
  /// Signs with `key`: servers that share it verify each other's challenges.
  explicit ProofOfWork(std::string key);

  /// A new challenge of `bits` difficulty for the account key `binding`.
  std::string Issue(int bits, std::string_view binding, std::int64_t now) const;
  /// The challenge's expiry when `challenge` was issued under this key for `binding` with at
  /// least `min_bits`, has not expired, and `nonce` solves it; nullopt otherwise. Whether it was
  /// used before is not checked here.
  std::optional<std::int64_t> Check(std::string_view challenge, std::string_view nonce, std::string_view binding,
                                    int min_bits, std::int64_t now) const;

 private:
  std::string Mac(std::string_view text) const;
  std::string key_;
};

}  // namespace fairdesk::auth
