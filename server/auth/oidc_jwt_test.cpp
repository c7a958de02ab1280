// ID-token validation with keys generated here by OpenSSL: RS256 and ES256 signatures, key
// selection by kid, and every claim check (iss, aud, azp, exp, iat, nonce), plus PKCE S256.

#include "auth/oidc_jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <memory>

namespace fairdesk::auth::oidc {
namespace {
namespace json = boost::json;

struct KeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

std::string Bn(EVP_PKEY* key, const char* name, std::size_t pad = 0) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(key, name, &bn);
  std::string out(std::max<std::size_t>(pad, BN_num_bytes(bn)), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return out;
}

json::object Jwk(EVP_PKEY* key, std::string kid) {
  if (EVP_PKEY_is_a(key, "RSA")) {
    return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"alg", "RS256"},
            {"n", Base64UrlEncode(Bn(key, OSSL_PKEY_PARAM_RSA_N))}, {"e", Base64UrlEncode(Bn(key, OSSL_PKEY_PARAM_RSA_E))}};
  }
  return {{"kty", "EC"}, {"kid", kid}, {"crv", "P-256"},
          {"x", Base64UrlEncode(Bn(key, OSSL_PKEY_PARAM_EC_PUB_X, 32))},
          {"y", Base64UrlEncode(Bn(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
}

std::string Sign(EVP_PKEY* key, const json::object& header, const json::object& claims) {
  const std::string input = Base64UrlEncode(json::serialize(header)) + "." + Base64UrlEncode(json::serialize(claims));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t len = 0;
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string sig(len, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  if (EVP_PKEY_is_a(key, "EC")) {
    // DER → r||s as JWS wants it.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    sig = raw;
  }
  return input + "." + Base64UrlEncode(sig);
}

constexpr std::int64_t kNow = 1'800'000'000;

class IdToken : public ::testing::Test {
 protected:
  Key rsa{EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))};
  Key ec{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")};
  Key other{EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))};
  Jwks keys{json::array{Jwk(rsa.get(), "r1"), Jwk(ec.get(), "e1")}};
  Expectation expect{.issuer = "https://idp.example", .client_id = "fairdesk", .nonce = "n-123", .now = kNow};

  json::object Claims() {
    return {{"iss", "https://idp.example"}, {"aud", "fairdesk"}, {"sub", "u-1"},
            {"exp", kNow + 300}, {"iat", kNow - 5}, {"nonce", "n-123"}};
  }
  std::variant<Validated, Refusal> Check(const std::string& token) { return ValidateIdToken(token, keys, expect); }
  static Refusal Refused(const std::variant<Validated, Refusal>& v) {
    return std::holds_alternative<Refusal>(v) ? std::get<Refusal>(v) : static_cast<Refusal>(-1);
  }
};

TEST_F(IdToken, AcceptsRs256AndEs256) {
  auto a = Check(Sign(rsa.get(), {{"alg", "RS256"}, {"kid", "r1"}}, Claims()));
  ASSERT_TRUE(std::holds_alternative<Validated>(a));
  EXPECT_EQ(std::get<Validated>(a).claims.at("sub").as_string(), "u-1");
  auto b = Check(Sign(ec.get(), {{"alg", "ES256"}, {"kid", "e1"}}, Claims()));
  ASSERT_TRUE(std::holds_alternative<Validated>(b));
}

TEST_F(IdToken, RefusesAForeignKeyAndAnUnknownKid) {
  EXPECT_EQ(Refused(Check(Sign(other.get(), {{"alg", "RS256"}, {"kid", "r1"}}, Claims()))), Refusal::kSignature);
  EXPECT_EQ(Refused(Check(Sign(other.get(), {{"alg", "RS256"}, {"kid", "r2"}}, Claims()))), Refusal::kUnknownKey);
  EXPECT_EQ(TokenKeyId(Sign(other.get(), {{"alg", "RS256"}, {"kid", "r2"}}, Claims())), "r2");
  // ES256 header on an RSA key id: no key of that type with that kid.
  EXPECT_EQ(Refused(Check(Sign(ec.get(), {{"alg", "ES256"}, {"kid", "r1"}}, Claims()))), Refusal::kUnknownKey);
}

TEST_F(IdToken, RefusesNoneAndHmacAndATamperedPayload) {
  const std::string good = Sign(rsa.get(), {{"alg", "RS256"}, {"kid", "r1"}}, Claims());
  const std::string body = good.substr(good.find('.') + 1);
  EXPECT_EQ(Refused(Check(Base64UrlEncode(R"({"alg":"none"})") + "." + body.substr(0, body.find('.')) + ".")),
            Refusal::kAlgorithm);
  EXPECT_EQ(Refused(Check(Base64UrlEncode(R"({"alg":"HS256","kid":"r1"})") + "." + body)), Refusal::kAlgorithm);
  json::object changed = Claims();
  changed["sub"] = "admin";
  const std::string forged = good.substr(0, good.find('.')) + "." + Base64UrlEncode(json::serialize(changed)) +
                             good.substr(good.rfind('.'));
  EXPECT_EQ(Refused(Check(forged)), Refusal::kSignature);
  EXPECT_EQ(Refused(Check("not.a-token")), Refusal::kMalformed);
}

TEST_F(IdToken, ChecksEveryClaim) {
  auto with = [&](const char* key, json::value v) {
    json::object c = Claims();
    c[key] = std::move(v);
    return Refused(Check(Sign(rsa.get(), {{"alg", "RS256"}, {"kid", "r1"}}, c)));
  };
  EXPECT_EQ(with("iss", "https://evil.example"), Refusal::kIssuer);
  EXPECT_EQ(with("aud", "other-app"), Refusal::kAudience);
  EXPECT_EQ(with("aud", json::array{"other-app", "fairdesk"}), Refusal::kAuthorizedParty);  // no azp
  EXPECT_EQ(with("azp", "other-app"), Refusal::kAuthorizedParty);
  EXPECT_EQ(with("exp", kNow - 61), Refusal::kExpired);
  EXPECT_EQ(with("iat", kNow + 61), Refusal::kIssuedAt);
  EXPECT_EQ(with("iat", kNow - 3600), Refusal::kIssuedAt);
  EXPECT_EQ(with("nonce", "n-other"), Refusal::kNonce);
  // Within the skew, and several audiences with azp = fairdesk: accepted.
  json::object c = Claims();
  c["exp"] = kNow - 30;
  c["aud"] = json::array{"other-app", "fairdesk"};
  c["azp"] = "fairdesk";
  EXPECT_TRUE(std::holds_alternative<Validated>(Check(Sign(rsa.get(), {{"alg", "RS256"}, {"kid", "r1"}}, c))));
  json::object no_nonce = Claims();
  no_nonce.erase("nonce");
  EXPECT_EQ(Refused(Check(Sign(rsa.get(), {{"alg", "RS256"}, {"kid", "r1"}}, no_nonce))), Refusal::kNonce);
}

TEST(Pkce, S256AsNodeComputesIt) {
  // Reference value from Node.js: crypto.createHash('sha256').update(v).digest('base64url').
  EXPECT_EQ(CodeChallengeS256("dBjftJeZ4CVP-mJ92K9z1OO2TbgJWn5dEcMdnwDIJEk"), "KeEgceVk_3AhkNTs7T-daYSTZPbwlp4tTGkkTwF0deA");
  EXPECT_EQ(Base64UrlDecode(Base64UrlEncode("any bytes\x01\xff")), std::string("any bytes\x01\xff"));
  EXPECT_FALSE(Base64UrlDecode("a+b/").has_value());
}

}  // namespace
}  // namespace fairdesk::auth::oidc
