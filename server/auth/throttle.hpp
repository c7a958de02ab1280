#pragma once
/// Exponential back-off for failed sign-ins. Pure, so that the curve has its own unit test.

#include <algorithm>
#include <cstdint>

namespace fairdesk::auth {

struct ThrottlePolicy {
  std::int64_t free_failures;      // failures that cost nothing
  std::int64_t max_delay_seconds;  // the cap
};

/// Per account: after 5 failures 1 s, then 2 s, 4 s, ... up to 15 minutes.
constexpr ThrottlePolicy kAccountThrottle{5, 15 * 60};
/// Per remote address: more headroom, because several people of one advice centre may sign in
/// from behind the same address.
constexpr ThrottlePolicy kAddressThrottle{20, 15 * 60};
/// Per account and address pair (issue 8 #6): the hard back-off above, but only for attempts on
/// this account from this address, so that nobody elsewhere is refused.
constexpr ThrottlePolicy kPairThrottle{5, 15 * 60};

/// Beyond these counts of failures an attempt needs a proof of work instead of being refused:
/// per account (from anywhere) and per address (on any account).
constexpr std::int64_t kAccountProofAfter = 10;
constexpr std::int64_t kAddressProofAfter = 20;
constexpr int kMinProofBits = 10;  // about a thousand hashes
constexpr int kMaxProofBits = 18;  // about 260,000 hashes: a few seconds in a browser

/// The proof-of-work difficulty (leading zero bits; 0: none) after `failures`, with `free`
/// failures that cost nothing; one bit more per `per_bit` further failures, up to the cap.
constexpr int ProofBitsFor(std::int64_t failures, std::int64_t free, std::int64_t per_bit) {
  if (failures < free) return 0;
  const std::int64_t bits = kMinProofBits + (failures - free) / per_bit;
  return static_cast<int>(std::min<std::int64_t>(bits, kMaxProofBits));
}

/// A count whose last failure is this old starts again.
constexpr std::int64_t kThrottleForgetSeconds = 24 * 60 * 60;

/// Seconds to block after the `failures`-th consecutive failure (0: no block).
constexpr std::int64_t BackoffSeconds(std::int64_t failures, ThrottlePolicy policy) {
  if (failures < policy.free_failures) {
    return 0;
  }
  const std::int64_t exponent = failures - policy.free_failures;
  if (exponent >= 30) {
    return policy.max_delay_seconds;
  }
  return std::min(std::int64_t{1} << exponent, policy.max_delay_seconds);
}

}  // namespace fairdesk::auth
