#include "auth/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <qrencode.h>

#include <fmt/format.h>

#include <array>
#include <memory>
#include <stdexcept>

#include "platform/crypto/crypto.hpp"

namespace fairdesk::auth::totp {
namespace {

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::string Hotp(std::string_view key, std::uint64_t counter, int digits) {
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), mac.data(),
           &mac_len) == nullptr ||
      mac_len != 20) {
    throw std::runtime_error("HMAC-SHA1 failed");
  }
  // RFC 4226 § 5.3: dynamic truncation.
  const unsigned offset = mac[19] & 0x0f;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) {
    modulus *= 10;
  }
  return fmt::format("{:0{}}", binary % modulus, digits);
}

std::int64_t StepOf(std::int64_t unix_seconds) {
  return unix_seconds >= 0 ? unix_seconds / kStepSeconds : (unix_seconds - kStepSeconds + 1) / kStepSeconds;
}

std::string TotpAt(std::string_view key, std::int64_t unix_seconds, int digits) {
  return Hotp(key, static_cast<std::uint64_t>(StepOf(unix_seconds)), digits);
}

std::optional<std::int64_t> Verify(std::string_view key, std::string_view code, std::int64_t unix_seconds,
                                   std::optional<std::int64_t> last_used_step) {
  if (code.size() != static_cast<std::size_t>(kDigits)) {
    return std::nullopt;
  }
  const std::int64_t now_step = StepOf(unix_seconds);
  std::optional<std::int64_t> match;
  // Every candidate is computed and compared in constant time, so the answer's timing does not
  // tell which step matched.
  for (std::int64_t step = now_step - 1; step <= now_step + 1; ++step) {
    if (step < 0) {
      continue;
    }
    const bool equal = crypto::ConstantTimeEquals(Hotp(key, static_cast<std::uint64_t>(step)), code);
    if (equal && (!last_used_step || step > *last_used_step) && !match) {
      match = step;
    }
  }
  return match;
}

std::string RandomBytes(std::size_t bytes) {
  std::string out(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size())) != 1) {
    throw std::runtime_error("the random number generator failed");
  }
  return out;
}

std::string NewSecret() { return crypto::Base32Encode(RandomBytes(kSecretBytes)); }

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char ch : text) {
    int v = -1;
    if (ch >= 'A' && ch <= 'Z') {
      v = ch - 'A';
    } else if (ch >= 'a' && ch <= 'z') {
      v = ch - 'a';
    } else if (ch >= '2' && ch <= '7') {
      v = ch - '2' + 26;
    } else {
      return std::nullopt;
    }
    buffer = ((buffer << 5) | static_cast<unsigned>(v)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32) {
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}",
                     PercentEncode(issuer), PercentEncode(account), secret_base32, PercentEncode(issuer), kDigits,
                     kStepSeconds);
}

std::string QrSvg(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!qr) {
    throw std::runtime_error("the QR code could not be encoded");
  }
  constexpr int kQuiet = 4;  // quiet zone of four modules (ISO/IEC 18004)
  const int width = qr->width;
  const int size = width + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each module byte: 1 = dark.
      if (qr->data[y * width + x] & 1) {
        path += fmt::format("M{} {}h1v1h-1z", x + kQuiet, y + kQuiet);
      }
    }
  }
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" width="{1}" height="{1}" )"
      R"(shape-rendering="crispEdges" role="img" aria-label="QR code"><rect width="{0}" height="{0}" fill="#fff"/>)"
      R"(<path fill="#000" d="{2}"/></svg>)",
      size, size * 6, path);
}

}  // namespace fairdesk::auth::totp
