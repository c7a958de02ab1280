#include "portal/protection.hpp"

#include <sodium.h>

#include <boost/asio/ip/address.hpp>

#include "platform/crypto/crypto.hpp"

namespace fairdesk::portal {
namespace {

std::string Hex(const unsigned char* p, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

}  // namespace

ProofOfWork::ProofOfWork(std::int64_t max_number, std::chrono::seconds ttl)
    : ProofOfWork(crypto::RandomToken(32), max_number, ttl) {}

ProofOfWork::ProofOfWork(std::string key, std::int64_t max_number, std::chrono::seconds ttl)
    : key_(std::move(key)), max_number_(max_number), ttl_(ttl) {}

std::string ProofOfWork::Sign(std::string_view challenge) const { return crypto::HmacSha256Hex(key_, challenge); }

Challenge ProofOfWork::Create(std::int64_t now_unix) const {
  Challenge c;
  c.max_number = max_number_;
  unsigned char salt_bytes[12];
  randombytes_buf(salt_bytes, sizeof salt_bytes);
  c.salt = Hex(salt_bytes, sizeof salt_bytes) + "?expires=" + std::to_string(now_unix + ttl_.count());
  std::int64_t number = static_cast<std::int64_t>(randombytes_uniform(static_cast<std::uint32_t>(max_number_ + 1)));
  c.challenge = crypto::Sha256Hex(c.salt + std::to_string(number));
  c.signature = Sign(c.challenge);
  return c;
}

std::int64_t ProofOfWork::ExpiresAt(std::string_view salt) const {
  auto pos = salt.find("?expires=");
  if (pos == std::string_view::npos) return 0;
  std::string_view digits = salt.substr(pos + 9);
  if (digits.empty() || digits.size() > 12) return 0;
  std::int64_t v = 0;
  for (char ch : digits) {
    if (ch < '0' || ch > '9') return 0;
    v = v * 10 + (ch - '0');
  }
  return v;
}

std::optional<std::int64_t> ProofOfWork::IssuedAt(std::string_view salt, std::string_view challenge,
                                                  std::string_view signature) const {
  if (salt.size() > 100 || challenge.size() != 64 || signature.size() != 64) return std::nullopt;
  if (!crypto::ConstantTimeEquals(Sign(challenge), signature)) return std::nullopt;
  // The salt is bound to the challenge only through the number; the issue time is trusted only
  // from salts whose expiry lies within one TTL of now (checked by the caller via ExpiresAt).
  std::int64_t expires = ExpiresAt(salt);
  if (expires == 0) return std::nullopt;
  return expires - ttl_.count();
}

ProofResult ProofOfWork::Verify(std::string_view salt, std::string_view challenge, std::string_view signature,
                                std::string_view number, std::int64_t now_unix) const {
  if (number.empty()) return ProofResult::kMissing;
  if (number.size() > 12 || salt.size() > 100 || challenge.size() != 64 || signature.size() != 64) {
    return ProofResult::kInvalid;
  }
  for (char ch : number) {
    if (ch < '0' || ch > '9') return ProofResult::kInvalid;
  }
  if (!crypto::ConstantTimeEquals(Sign(challenge), signature)) return ProofResult::kInvalid;
  if (crypto::Sha256Hex(std::string(salt) + std::string(number)) != challenge) return ProofResult::kInvalid;
  std::int64_t expires = ExpiresAt(salt);
  if (expires == 0) return ProofResult::kInvalid;
  if (expires < now_unix) return ProofResult::kExpired;
  return ProofResult::kValid;
}

std::string RateKey(std::string_view remote) {
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(std::string(remote), ec);
  if (ec) return "";
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, addr.to_v6()).to_string();
  }
  if (addr.is_v4()) return addr.to_string();
  auto bytes = addr.to_v6().to_bytes();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

}  // namespace fairdesk::portal
