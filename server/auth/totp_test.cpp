#include "auth/totp.hpp"

#include <gtest/gtest.h>

#include "auth/throttle.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::auth {
namespace {

// RFC 6238 Appendix B, the SHA-1 rows: the 20-byte ASCII key "12345678901234567890", 8 digits.
TEST(Totp, Rfc6238AppendixBSha1Vectors) {
  const std::string key = "12345678901234567890";
  struct Vector {
    std::int64_t time;
    const char* code;
  };
  const Vector vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const Vector& v : vectors) {
    EXPECT_EQ(totp::TotpAt(key, v.time, 8), v.code) << "T = " << v.time;
  }
}

// RFC 4226 Appendix D: HOTP values for counters 0 and 9 with the same key, 6 digits.
TEST(Totp, Rfc4226AppendixDHotp) {
  const std::string key = "12345678901234567890";
  EXPECT_EQ(totp::Hotp(key, 0), "755224");
  EXPECT_EQ(totp::Hotp(key, 1), "287082");
  EXPECT_EQ(totp::Hotp(key, 9), "520489");
}

TEST(Totp, VerifyAcceptsOneStepOfDriftAndRefusesReplay) {
  const std::string key = "12345678901234567890";
  const std::int64_t now = 1'700'000'000;
  const std::int64_t step = totp::StepOf(now);
  EXPECT_EQ(totp::Verify(key, totp::TotpAt(key, now), now, std::nullopt), step);
  EXPECT_EQ(totp::Verify(key, totp::TotpAt(key, now - 30), now, std::nullopt), step - 1);
  EXPECT_EQ(totp::Verify(key, totp::TotpAt(key, now + 30), now, std::nullopt), step + 1);
  EXPECT_FALSE(totp::Verify(key, totp::TotpAt(key, now - 60), now, std::nullopt));
  EXPECT_FALSE(totp::Verify(key, totp::TotpAt(key, now + 60), now, std::nullopt));
  // A step at or before the last used one is refused.
  EXPECT_FALSE(totp::Verify(key, totp::TotpAt(key, now), now, step));
  EXPECT_EQ(totp::Verify(key, totp::TotpAt(key, now + 30), now, step), step + 1);
  EXPECT_FALSE(totp::Verify(key, "12345", now, std::nullopt));
  EXPECT_FALSE(totp::Verify(key, "abcdef", now, std::nullopt));
}

TEST(Totp, Base32RoundTrip) {
  crypto::Init();
  for (int i = 0; i < 20; ++i) {
    const std::string raw = totp::RandomBytes(static_cast<std::size_t>(i));
    const std::string text = crypto::Base32Encode(raw);
    EXPECT_EQ(totp::Base32Decode(text), raw);
  }
  EXPECT_EQ(totp::Base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), "12345678901234567890");
  EXPECT_EQ(totp::Base32Decode("gezdgnbvgy3tqojq"), "1234567890");
  EXPECT_FALSE(totp::Base32Decode("GEZ=="));
  EXPECT_EQ(totp::NewSecret().size(), 32u);  // 20 bytes
}

TEST(Totp, OtpauthUriEncodesTheAccount) {
  EXPECT_EQ(totp::OtpauthUri("fairdesk", "a b@example.org", "ABC"),
            "otpauth://totp/fairdesk:a%20b%40example.org?secret=ABC&issuer=fairdesk&algorithm=SHA1&digits=6&period=30");
}

TEST(Totp, QrSvgIsAnSvgDocument) {
  const std::string svg = totp::QrSvg("otpauth://totp/fairdesk:x?secret=ABC");
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg.ends_with("</svg>"));
  EXPECT_NE(svg.find("h1v1h-1z"), std::string::npos);
}

TEST(Throttle, ExponentialBackOffCappedAtFifteenMinutes) {
  EXPECT_EQ(BackoffSeconds(0, kAccountThrottle), 0);
  EXPECT_EQ(BackoffSeconds(4, kAccountThrottle), 0);
  EXPECT_EQ(BackoffSeconds(5, kAccountThrottle), 1);
  EXPECT_EQ(BackoffSeconds(6, kAccountThrottle), 2);
  EXPECT_EQ(BackoffSeconds(7, kAccountThrottle), 4);
  EXPECT_EQ(BackoffSeconds(14, kAccountThrottle), 512);
  EXPECT_EQ(BackoffSeconds(15, kAccountThrottle), 900);
  EXPECT_EQ(BackoffSeconds(1000, kAccountThrottle), 900);
  EXPECT_EQ(BackoffSeconds(19, kAddressThrottle), 0);
  EXPECT_EQ(BackoffSeconds(20, kAddressThrottle), 1);
}

}  // namespace
}  // namespace fairdesk::auth
