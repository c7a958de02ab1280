#include "portal/protection.hpp"

#include <gtest/gtest.h>

#include "platform/crypto/crypto.hpp"
#include "portal/i18n.hpp"

namespace fairdesk::portal {
namespace {

std::string Solve(const Challenge& c) {
  for (std::int64_t n = 0; n <= c.max_number; ++n) {
    if (crypto::Sha256Hex(c.salt + std::to_string(n)) == c.challenge) return std::to_string(n);
  }
  return "";
}

TEST(ProofOfWork, AcceptsTheSolutionAndRefusesForgeries) {
  crypto::Init();
  ProofOfWork pow(500, std::chrono::seconds(60));
  Challenge c = pow.Create(1000);
  std::string n = Solve(c);
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(pow.Verify(c.salt, c.challenge, c.signature, n, 1010), ProofResult::kValid);
  EXPECT_EQ(pow.Verify(c.salt, c.challenge, c.signature, "", 1010), ProofResult::kMissing);
  EXPECT_EQ(pow.Verify(c.salt, c.challenge, c.signature, n + "1", 1010), ProofResult::kInvalid);
  EXPECT_EQ(pow.Verify(c.salt, c.challenge, c.signature, n, 1061), ProofResult::kExpired);
  // A challenge the attacker made up (with its own salt and number) lacks our signature.
  std::string forged = crypto::Sha256Hex("abc?expires=99999999997");
  EXPECT_EQ(pow.Verify("abc?expires=9999999999", forged, c.signature, "7", 1010), ProofResult::kInvalid);
  // Another server's key does not verify.
  ProofOfWork other(500, std::chrono::seconds(60));
  EXPECT_EQ(other.Verify(c.salt, c.challenge, c.signature, n, 1010), ProofResult::kInvalid);
  EXPECT_EQ(pow.IssuedAt(c.salt, c.challenge, c.signature), 1000);
}

TEST(RateKey, FoldsIpv6To64AndMappedIpv4) {
  EXPECT_EQ(RateKey("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(RateKey("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(RateKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(RateKey("2001:db8:1:2:ffff::1"), "2001:db8:1:2::/64");
  EXPECT_NE(RateKey("2001:db8:1:3::1"), RateKey("2001:db8:1:2::1"));
  EXPECT_EQ(RateKey("not an address"), "");
}

TEST(ProofOfWork, ServersWithTheSameKeyVerifyEachOthersChallenges) {
  crypto::Init();
  ProofOfWork a("shared key", 500, std::chrono::seconds(60)), b("shared key", 500, std::chrono::seconds(60));
  Challenge c = a.Create(1000);
  EXPECT_EQ(b.Verify(c.salt, c.challenge, c.signature, Solve(c), 1010), ProofResult::kValid);
  EXPECT_EQ(b.IssuedAt(c.salt, c.challenge, c.signature), 1000);
  EXPECT_NE(crypto::HmacSha256Hex("k1", "203.0.113.7"), crypto::HmacSha256Hex("k2", "203.0.113.7"));
}

TEST(Catalog, FallsBackAndInterpolates) {
  const auto& c = Catalog::Get();
  EXPECT_EQ(c.T("de", "finder.distance", {{"km", "3"}}), "etwa 3 km entfernt");
  // The entry page is deliberately English where a language lacks it; Leichte Sprache exists in
  // German only.
  EXPECT_EQ(c.T("ti", "entry.heading"), c.T("en", "entry.heading"));
  EXPECT_EQ(c.T("ti", "plain.p1"), c.T("de", "plain.p1"));
  EXPECT_NE(c.T("ti", "home.title"), c.T("en", "home.title"));  // translated
  EXPECT_EQ(c.T("ar", "no.such.key"), "no.such.key");
  EXPECT_EQ(SuggestLanguage("fa-AF,fa;q=0.9"), "prs");
  EXPECT_EQ(SuggestLanguage("fr-FR, uk;q=0.8, de;q=0.9"), "de");
  EXPECT_EQ(SuggestLanguage("fr"), "");
  // Every portal language has the strings of the navigation, the finder, the contact form and
  // the sheet.
  for (auto lang : kLanguages) {
    for (const char* key : {"nav.centres", "nav.contact", "finder.postcode", "finder.submit", "contact.name",
                            "contact.consent", "contact.submit", "sheet.sheetHeading", "sheet.notice",
                            "errors.required", "errors.tooMany"}) {
      EXPECT_TRUE(c.Has(lang, key)) << lang << " " << key;
    }
  }
}

}  // namespace
}  // namespace fairdesk::portal
