// ID-token validation with OpenSSL 3 (EVP): JWK → EVP_PKEY, RS256 = RSASSA-PKCS1-v1_5 with
// SHA-256, ES256 = ECDSA P-256 with SHA-256 (the JWS signature is r||s, OpenSSL wants DER).

#include "auth/oidc_jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>

#include <array>
#include <memory>

namespace fairdesk::auth::oidc {
namespace json = boost::json;
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::optional<std::string> Str(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}

std::optional<std::int64_t> Int(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().as_int64();
  if (it->value().is_uint64() && it->value().as_uint64() < (1ull << 62)) return static_cast<std::int64_t>(it->value().as_uint64());
  if (it->value().is_double()) return static_cast<std::int64_t>(it->value().as_double());
  return std::nullopt;
}

std::optional<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

Pkey RsaKey(const std::string& n, const std::string& e) {
  Pkey out;
  BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* pkey = nullptr;
  if (bn_n && bn_e && bld && ctx && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1 && (params = OSSL_PARAM_BLD_to_param(bld)) &&
      EVP_PKEY_fromdata_init(ctx) == 1 && EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1) {
    out.reset(pkey);
  }
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX_free(ctx);
  BN_free(bn_n);
  BN_free(bn_e);
  return out;
}

Pkey EcKey(const std::string& x, const std::string& y) {
  Pkey out;
  if (x.size() != 32 || y.size() != 32) return out;
  std::string point = "\x04" + x + y;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* pkey = nullptr;
  if (bld && ctx && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) == 1 &&
      (params = OSSL_PARAM_BLD_to_param(bld)) && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1) {
    out.reset(pkey);
  }
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX_free(ctx);
  return out;
}

// The key of a JWK for `alg`, or null when the JWK is of another type or damaged.
Pkey KeyFromJwk(const json::object& jwk, std::string_view alg) {
  const std::string kty = Str(jwk, "kty").value_or("");
  if (auto use = Str(jwk, "use"); use && *use != "sig") return {};
  if (auto a = Str(jwk, "alg"); a && *a != alg) return {};
  if (alg == "RS256" && kty == "RSA") {
    auto n = Base64UrlDecode(Str(jwk, "n").value_or(""));
    auto e = Base64UrlDecode(Str(jwk, "e").value_or(""));
    // At least 2048-bit moduli.
    if (!n || !e || n->size() < 256 || e->empty()) return {};
    return RsaKey(*n, *e);
  }
  if (alg == "ES256" && kty == "EC" && Str(jwk, "crv").value_or("") == "P-256") {
    auto x = Base64UrlDecode(Str(jwk, "x").value_or(""));
    auto y = Base64UrlDecode(Str(jwk, "y").value_or(""));
    if (!x || !y) return {};
    return EcKey(*x, *y);
  }
  return {};
}

bool Verify(EVP_PKEY* key, std::string_view alg, std::string_view input, std::string signature) {
  if (alg == "ES256") {
    // JWS: r||s, 32 bytes each. OpenSSL: DER ECDSA-Sig-Value.
    if (signature.size() != 64) return false;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()), 32, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()) + 32, 32, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
      BN_free(r);
      BN_free(s);
      ECDSA_SIG_free(sig);
      return false;
    }
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    if (len <= 0) return false;
    signature.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

struct Parts {
  json::object header;
  json::object payload;
  std::string_view signing_input;
  std::string signature;
};

std::optional<Parts> Split(std::string_view token) {
  const auto a = token.find('.');
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) return std::nullopt;
  auto header = Base64UrlDecode(token.substr(0, a));
  auto payload = Base64UrlDecode(token.substr(a + 1, b - a - 1));
  auto signature = Base64UrlDecode(token.substr(b + 1));
  if (!header || !payload || !signature) return std::nullopt;
  auto h = ParseObject(*header);
  auto p = ParseObject(*payload);
  if (!h || !p) return std::nullopt;
  return Parts{std::move(*h), std::move(*p), token.substr(0, b), std::move(*signature)};
}

}  // namespace

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const auto pos = kAlphabet.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (text.size() % 4 == 1) return std::nullopt;
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
  return out;
}

std::string CodeChallengeS256(std::string_view verifier) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest.data());
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Result<Jwks> ParseJwks(std::string_view text) {
  auto o = ParseObject(text);
  if (!o || !o->contains("keys") || !o->at("keys").is_array()) {
    return Fail(Error::Unavailable("oidc: the issuer's key set is not a JWKS document"));
  }
  return Jwks{std::move(o->at("keys").as_array())};
}

std::string_view RefusalCode(Refusal r) {
  switch (r) {
    case Refusal::kMalformed: return "malformed";
    case Refusal::kAlgorithm: return "algorithm";
    case Refusal::kUnknownKey: return "unknown-key";
    case Refusal::kSignature: return "signature";
    case Refusal::kIssuer: return "issuer";
    case Refusal::kAudience: return "audience";
    case Refusal::kAuthorizedParty: return "azp";
    case Refusal::kExpired: return "expired";
    case Refusal::kIssuedAt: return "iat";
    case Refusal::kNonce: return "nonce";
  }
  return "unknown";
}

std::string TokenKeyId(std::string_view token) {
  auto parts = Split(token);
  if (!parts) return {};
  return Str(parts->header, "kid").value_or("");
}

std::variant<Validated, Refusal> ValidateIdToken(std::string_view token, const Jwks& keys, const Expectation& expect) {
  auto parts = Split(token);
  if (!parts) return Refusal::kMalformed;
  const std::string alg = Str(parts->header, "alg").value_or("");
  if (alg != "RS256" && alg != "ES256") return Refusal::kAlgorithm;
  if (parts->header.contains("crit")) return Refusal::kMalformed;
  const std::string kid = Str(parts->header, "kid").value_or("");
  const std::string kty = alg == "RS256" ? "RSA" : "EC";

  // The key: the one with the token's kid; without a kid only an unambiguous key of the type.
  const json::object* jwk = nullptr;
  int candidates = 0;
  for (const json::value& k : keys.keys) {
    if (!k.is_object() || Str(k.as_object(), "kty").value_or("") != kty) continue;
    if (!kid.empty()) {
      if (Str(k.as_object(), "kid").value_or("") == kid) jwk = &k.as_object();
    } else {
      ++candidates;
      jwk = &k.as_object();
    }
  }
  if (!jwk || (kid.empty() && candidates != 1)) return Refusal::kUnknownKey;
  Pkey key = KeyFromJwk(*jwk, alg);
  if (!key) return Refusal::kUnknownKey;
  if (!Verify(key.get(), alg, parts->signing_input, parts->signature)) return Refusal::kSignature;

  const json::object& c = parts->payload;
  if (Str(c, "iss").value_or("") != expect.issuer) return Refusal::kIssuer;
  // aud: the client id, as a string or in an array; more than one audience needs azp = client.
  auto aud = c.find("aud");
  bool aud_ok = false;
  std::size_t audiences = 0;
  if (aud != c.end() && aud->value().is_string()) {
    aud_ok = aud->value().as_string() == expect.client_id;
    audiences = 1;
  } else if (aud != c.end() && aud->value().is_array()) {
    for (const json::value& a : aud->value().as_array()) {
      ++audiences;
      if (a.is_string() && a.as_string() == expect.client_id) aud_ok = true;
    }
  }
  if (!aud_ok) return Refusal::kAudience;
  if (auto azp = Str(c, "azp"); (azp && *azp != expect.client_id) || (!azp && audiences > 1)) {
    return Refusal::kAuthorizedParty;
  }
  auto exp = Int(c, "exp");
  auto iat = Int(c, "iat");
  if (!exp || expect.now > *exp + expect.skew_seconds) return Refusal::kExpired;
  if (!iat || *iat > expect.now + expect.skew_seconds || *iat < expect.now - expect.max_age_seconds) {
    return Refusal::kIssuedAt;
  }
  if (auto nbf = Int(c, "nbf"); nbf && *nbf > expect.now + expect.skew_seconds) return Refusal::kIssuedAt;
  if (!Str(c, "sub") || Str(c, "sub")->empty()) return Refusal::kMalformed;
  if (Str(c, "nonce").value_or("") != expect.nonce || expect.nonce.empty()) return Refusal::kNonce;
  return Validated{c, kid};
}

}  // namespace fairdesk::auth::oidc
