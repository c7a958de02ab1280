#include "auth/proof_of_work.hpp"

#include <sodium.h>

#include <charconv>
#include <vector>

#include "platform/crypto/crypto.hpp"

namespace fairdesk::auth {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const auto i = s.find(sep);
    out.push_back(s.substr(0, i));
    if (i == std::string_view::npos) break;
    s.remove_prefix(i + 1);
  }
  return out;
}

template <typename T>
bool ParseInt(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

int ProofBits(std::string_view challenge, std::string_view nonce) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(challenge.data()), challenge.size());
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(":"), 1);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(nonce.data()), nonce.size());
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  int bits = 0;
  for (unsigned char byte : digest) {
    if (byte == 0) {
      bits += 8;
      continue;
    }
    for (int b = 7; b >= 0 && !(byte & (1 << b)); --b) ++bits;
    break;
  }
  return bits;
}

ProofOfWork::ProofOfWork() : key_((crypto::Init(), crypto::RandomToken(32))) {}

ProofOfWork::ProofOfWork(std::string key) : key_(std::move(key)) {}

std::string ProofOfWork::Mac(std::string_view text) const {
  return crypto::Base64UrlEncode(crypto::HmacSha256(key_, text).substr(0, 16));
}

std::string ProofOfWork::Issue(int bits, std::string_view binding, std::int64_t now) const {
  const std::string body = "v1." + std::to_string(now + kLifetimeSeconds) + "." + std::to_string(bits) + "." +
                           crypto::RandomToken(12);
  return body + "." + Mac(body + "|" + std::string(binding));
}

std::optional<std::int64_t> ProofOfWork::Check(std::string_view challenge, std::string_view nonce,
                                               std::string_view binding, int min_bits, std::int64_t now) const {
  if (challenge.size() > 200 || nonce.empty() || nonce.size() > 64) return std::nullopt;
  const auto parts = Split(challenge, '.');
  std::int64_t expires = 0;
  int bits = 0;
  if (parts.size() != 5 || parts[0] != "v1" || !ParseInt(parts[1], expires) || !ParseInt(parts[2], bits)) {
    return std::nullopt;
  }
  const std::string_view body = challenge.substr(0, challenge.size() - parts[4].size() - 1);
  const std::string mac = Mac(std::string(body) + "|" + std::string(binding));
  if (!crypto::ConstantTimeEquals(mac, parts[4])) return std::nullopt;
  if (expires <= now || bits < min_bits || ProofBits(challenge, nonce) < bits) return std::nullopt;
  return expires;
}

}  // namespace fairdesk::auth
