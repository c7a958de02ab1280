// OpenID Connect sign-in: settings, discovery, the login attempt, the token request, ID-token
// validation (auth/oidc_jwt.*), the mapping of claims to role and centre, provisioning.

#include "auth/oidc.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "audit/audit.hpp"
#include "auth/oidc_http.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"
#include "platform/db/notify.hpp"
#include "platform/log/log.hpp"

namespace fairdesk::auth {
namespace json = boost::json;
using db::Query;
using db::Value;

namespace {

constexpr std::int64_t kAttemptSeconds = 600;
constexpr auto kDiscoveryTtl = std::chrono::hours(1);
constexpr auto kJwksTtl = std::chrono::hours(1);
/// A token signed with a key we do not know makes us refetch the key set (the provider rotated
/// its keys), but not more often than this, so forged tokens cannot make us hammer the provider.
constexpr auto kJwksRefetchInterval = std::chrono::seconds(30);

constexpr Query kLoadSettings{
    "oidc.load_settings",
    "SELECT enabled, label, issuer, client_id, client_secret, auth_method, scopes, rules, session_minutes "
    "FROM oidc_settings WHERE id = 'default'"};
constexpr Query kSaveSettings{
    "oidc.save_settings",
    "INSERT INTO oidc_settings (id, enabled, label, issuer, client_id, client_secret, auth_method, scopes, rules, "
    "session_minutes, updated_at) VALUES ('default', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
    "ON CONFLICT (id) DO UPDATE SET enabled = $1, label = $2, issuer = $3, client_id = $4, client_secret = $5, "
    "auth_method = $6, scopes = $7, rules = $8, session_minutes = $9, updated_at = $10"};
constexpr Query kForgetAttempts{"oidc.forget_attempts", "DELETE FROM oidc_logins WHERE expires_at < $1"};
constexpr Query kInsertAttempt{
    "oidc.insert_attempt",
    "INSERT INTO oidc_logins (state_hash, binding_hash, nonce, code_verifier, return_to, issuer, created_at, "
    "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
constexpr Query kConsumeAttempt{
    "oidc.consume_attempt",
    "DELETE FROM oidc_logins WHERE state_hash = $1 "
    "RETURNING binding_hash, nonce, code_verifier, return_to, issuer, expires_at"};
constexpr Query kFindIdentity{"oidc.find_identity",
                              "SELECT user_id FROM oidc_identities WHERE issuer = $1 AND subject = $2"};
constexpr Query kEmailTaken{"oidc.email_taken", "SELECT COUNT(*) FROM users WHERE email = $1"};
constexpr Query kInsertUser{
    "oidc.insert_user",
    "INSERT INTO users (id, email, display_name, role, centre_id, state, language, password_hash, disabled, "
    "created_at, updated_at, must_change_password) VALUES ($1, $2, $3, $4, $5, $6, 'de', $7, 0, $8, $8, 0)"};
constexpr Query kInsertIdentity{
    "oidc.insert_identity",
    "INSERT INTO oidc_identities (issuer, subject, user_id, created_at, last_sign_in_at) VALUES ($1, $2, $3, $4, $4)"};
constexpr Query kUserPlacement{"oidc.user_placement",
                               "SELECT role, centre_id, state, display_name FROM users WHERE id = $1"};
constexpr Query kUpdatePlacement{
    "oidc.update_placement",
    "UPDATE users SET role = $2, centre_id = $3, state = $4, display_name = $5, updated_at = $6 WHERE id = $1"};
constexpr Query kTouchIdentity{"oidc.touch_identity",
                               "UPDATE oidc_identities SET last_sign_in_at = $3 WHERE issuer = $1 AND subject = $2"};
constexpr Query kCentreExists{"oidc.centre_exists", "SELECT COUNT(*) FROM centres WHERE id = $1"};

const std::string kSecretAd = crypto::AssociatedData("oidc_settings", "client_secret", "default");

Error Refused(std::string_view slug, std::string detail, std::string internal = {}) {
  Error e = Error::Forbidden(std::move(detail));
  e.slug = std::string(slug);
  e.internal = std::move(internal);
  return e;
}

std::string RulesJson(const std::vector<OidcRule>& rules) {
  json::array a;
  for (const auto& r : rules) {
    json::object o{{"claim", r.claim}, {"value", r.value}, {"role", r.role}};
    o["centre_id"] = r.centre_id ? json::value(*r.centre_id) : json::value(nullptr);
    o["state"] = r.state ? json::value(*r.state) : json::value(nullptr);
    a.push_back(std::move(o));
  }
  return json::serialize(a);
}

std::vector<OidcRule> ParseRules(std::string_view text) {
  std::vector<OidcRule> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    OidcRule r;
    auto str = [&](std::string_view k) -> std::optional<std::string> {
      auto it = o.find(k);
      if (it == o.end() || !it->value().is_string()) return std::nullopt;
      return std::string(it->value().as_string());
    };
    r.claim = str("claim").value_or("groups");
    r.value = str("value").value_or("");
    r.role = str("role").value_or("");
    r.centre_id = str("centre_id");
    r.state = str("state");
    out.push_back(std::move(r));
  }
  return out;
}

bool ClaimMatches(const json::object& claims, const OidcRule& rule) {
  auto it = claims.find(rule.claim);
  if (it == claims.end()) return false;
  if (it->value().is_string()) return it->value().as_string() == rule.value;
  if (it->value().is_array()) {
    for (const auto& v : it->value().as_array()) {
      if (v.is_string() && v.as_string() == rule.value) return true;
    }
  }
  return false;
}

std::optional<std::string> ClaimText(const json::object& claims, std::string_view key) {
  auto it = claims.find(key);
  if (it == claims.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}

bool SafeReturnTo(std::string_view p) {
  return !p.empty() && p.size() <= 500 && p.front() == '/' && !p.starts_with("//") &&
         p.find('\\') == std::string_view::npos &&
         std::none_of(p.begin(), p.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

bool NeedsCentre(Role role) {
  return role == Role::kAdvisor || role == Role::kCentreLead || role == Role::kCompetenceCentre;
}

Result<json::object> JsonObject(const oidc::HttpReply& reply, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(reply.body, ec);
  if (ec || !v.is_object()) return Fail(Error::Unavailable(std::string("oidc: ") + std::string(what) + " is not JSON"));
  return std::move(v.as_object());
}

}  // namespace

struct Oidc::Provider {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string userinfo_endpoint;
};

namespace {
// Changes of the settings on another app server: the cached discovery document and keys are
// fetched again (the issuer may be the same, its client or endpoints not).
constexpr std::string_view kSettingsChannel = "fairdesk_oidc_settings";
}  // namespace

Oidc::Oidc(db::Database& database, Service& auth, const crypto::Keyring& keyring)
    : db_(database), auth_(auth), keyring_(keyring) {
  db::Subscribe(db_, std::string(kSettingsChannel), [generation = settings_generation_] { ++*generation; });
}
Oidc::~Oidc() = default;

Result<OidcSettings> Oidc::Settings() {
  OidcSettings s;
  std::optional<std::string> sealed;
  FD_TRY_VOID(db_.Read([&](db::Session& tx) -> Status {
    auto row = FD_TRY(tx.MaybeOne(kLoadSettings, {}));
    if (!row) return {};
    s.enabled = row->Bool(0);
    s.label = row->Text(1);
    s.issuer = row->Text(2);
    s.client_id = row->Text(3);
    sealed = row->OptText(4);
    s.auth_method = row->Text(5);
    s.scopes = row->Text(6);
    s.rules = ParseRules(row->Text(7));
    s.session_minutes = row->Int(8);
    return {};
  }));
  if (sealed) s.client_secret = FD_TRY(keyring_.DecryptText(*sealed, kSecretAd));
  return s;
}

Result<OidcSettings> Oidc::SaveSettings(const Principal& by, OidcSettings s, bool keep_secret) {
  std::vector<FieldError> errors;
  while (s.issuer.ends_with('/')) s.issuer.pop_back();
  if (s.enabled || !s.issuer.empty()) {
    if (!oidc::IsAllowedUrl(s.issuer)) {
      errors.push_back({"issuer", "must be an https:// address (http:// only for a loopback address)"});
    }
  }
  if (s.enabled && s.client_id.empty()) errors.push_back({"client_id", "is required when sign-in is enabled"});
  if (s.enabled && s.label.empty()) errors.push_back({"label", "is required when sign-in is enabled"});
  if (s.scopes.find("openid") == std::string::npos) errors.push_back({"scopes", "must contain openid"});
  for (std::size_t i = 0; i < s.rules.size(); ++i) {
    const OidcRule& r = s.rules[i];
    const std::string at = "rules/" + std::to_string(i);
    auto role = ParseRole(r.role);
    if (!role) {
      errors.push_back({at + "/role", "is not a role"});
      continue;
    }
    if (NeedsCentre(*role)) {
      bool exists = false;
      if (r.centre_id) {
        FD_TRY_VOID(db_.Read([&](db::Session& tx) -> Status {
          exists = FD_TRY(tx.One(kCentreExists, {Value{*r.centre_id}})).Int(0) > 0;
          return {};
        }));
      }
      if (!exists) errors.push_back({at + "/centre_id", "must name an existing centre for this role"});
    } else if (r.centre_id) {
      errors.push_back({at + "/centre_id", "must be empty for this role"});
    }
    if (*role == Role::kStateCoordinator) {
      if (!r.state || !IsValidState(*r.state)) errors.push_back({at + "/state", "must be a federal state code"});
    } else if (r.state) {
      errors.push_back({at + "/state", "must be empty for this role"});
    }
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));

  std::optional<std::string> sealed;
  if (keep_secret) {
    OidcSettings old = FD_TRY(Settings());
    s.client_secret = old.client_secret;
  }
  if (s.enabled && (!s.client_secret || s.client_secret->empty())) {
    return Fail(Error::Invalid("client_secret", "is required when sign-in is enabled"));
  }
  if (s.client_secret && !s.client_secret->empty()) sealed = FD_TRY(keyring_.EncryptToText(*s.client_secret, kSecretAd));
  const std::int64_t now = clock::NowUnix();
  FD_TRY_VOID(db_.Write([&](db::Session& tx) -> Status {
    FD_TRY_VOID(tx.Exec(kSaveSettings, {Value{std::int64_t{s.enabled ? 1 : 0}}, Value{s.label}, Value{s.issuer},
                                        Value{s.client_id}, db::Opt(sealed), Value{s.auth_method}, Value{s.scopes},
                                        Value{RulesJson(s.rules)}, Value{s.session_minutes}, Value{now}}));
    FD_TRY_VOID(audit::Record(tx, by, audit::kUpdate, "oidc_settings", "default"));
    return db::Notify(tx, kSettingsChannel);
  }));
  ++*settings_generation_;
  log::Info("oidc_settings_saved", {{"user_id", by.user_id}, {"enabled", s.enabled}});
  return s;
}

Result<std::pair<bool, std::string>> Oidc::PublicInfo() {
  OidcSettings s = FD_TRY(Settings());
  return std::pair{s.enabled, s.enabled ? s.label : std::string()};
}

Result<std::shared_ptr<const Oidc::Provider>> Oidc::Discover(const OidcSettings& s, bool force) {
  {
    std::lock_guard lock(mu_);
    if (provider_generation_ != settings_generation_->load()) {
      provider_.reset();
      jwks_.reset();
    }
    if (!force && provider_ && provider_->issuer == s.issuer &&
        std::chrono::steady_clock::now() - provider_fetched_ < kDiscoveryTtl) {
      return provider_;
    }
  }
  const std::uint64_t generation = settings_generation_->load();
  auto reply = FD_TRY(oidc::Fetch({.url = s.issuer + "/.well-known/openid-configuration"}));
  if (reply.status != 200) {
    return Fail(Error::Unavailable("oidc: discovery answered HTTP " + std::to_string(reply.status)));
  }
  json::object doc = FD_TRY(JsonObject(reply, "the discovery document"));
  auto p = std::make_shared<Provider>();
  p->issuer = ClaimText(doc, "issuer").value_or("");
  p->authorization_endpoint = ClaimText(doc, "authorization_endpoint").value_or("");
  p->token_endpoint = ClaimText(doc, "token_endpoint").value_or("");
  p->jwks_uri = ClaimText(doc, "jwks_uri").value_or("");
  p->userinfo_endpoint = ClaimText(doc, "userinfo_endpoint").value_or("");
  // The document must be about the configured issuer (OpenID Connect Discovery §4.3).
  if (p->issuer != s.issuer) return Fail(Error::Unavailable("oidc: discovery names another issuer"));
  for (const std::string* url : {&p->authorization_endpoint, &p->token_endpoint, &p->jwks_uri}) {
    if (!oidc::IsAllowedUrl(*url)) return Fail(Error::Unavailable("oidc: discovery names a refused endpoint URL"));
  }
  if (!p->userinfo_endpoint.empty() && !oidc::IsAllowedUrl(p->userinfo_endpoint)) p->userinfo_endpoint.clear();
  std::lock_guard lock(mu_);
  if (!provider_ || provider_->jwks_uri != p->jwks_uri) jwks_.reset();
  provider_ = p;
  provider_fetched_ = std::chrono::steady_clock::now();
  provider_generation_ = generation;
  return std::shared_ptr<const Provider>(p);
}

Result<oidc::Jwks> Oidc::Keys(const Provider& p, bool refetch) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    const bool fresh = jwks_ && now - jwks_fetched_ < kJwksTtl;
    if (fresh && (!refetch || now - jwks_refetched_ < kJwksRefetchInterval)) return *jwks_;
    if (refetch) jwks_refetched_ = now;
  }
  auto reply = FD_TRY(oidc::Fetch({.url = p.jwks_uri}));
  if (reply.status != 200) return Fail(Error::Unavailable("oidc: the key set answered HTTP " + std::to_string(reply.status)));
  oidc::Jwks keys = FD_TRY(oidc::ParseJwks(reply.body));
  std::lock_guard lock(mu_);
  jwks_ = keys;
  jwks_fetched_ = now;
  if (refetch) log::Info("oidc_keys_refetched", {{"keys", static_cast<std::int64_t>(keys.keys.size())}});
  return keys;
}

Result<OidcStart> Oidc::Start(std::string_view return_to, std::string_view redirect_uri) {
  OidcSettings s = FD_TRY(Settings());
  if (!s.enabled) return Fail(Error::NotFound("Sign-in through an identity provider is not configured."));
  auto provider = Discover(s, false);
  if (!provider) {
    log::Warn("oidc_unavailable", {{"internal", provider.error().internal}});
    return Fail(Refused(oidc_error::kUnavailable, "The identity provider cannot be reached.", provider.error().internal));
  }
  const std::string state = crypto::RandomToken(32);
  const std::string nonce = crypto::RandomToken(32);
  const std::string verifier = crypto::RandomToken(32);  // 43 characters (RFC 7636: 43-128)
  OidcStart out;
  out.browser_binding = crypto::RandomToken(32);
  const std::int64_t now = clock::NowUnix();
  const std::string target = SafeReturnTo(return_to) ? std::string(return_to) : std::string("/");
  FD_TRY_VOID(db_.Write([&](db::Session& tx) -> Status {
    FD_TRY_VOID(tx.Exec(kForgetAttempts, {Value{now}}));
    FD_TRY_VOID(tx.Exec(kInsertAttempt, {Value{crypto::Sha256Hex(state)}, Value{crypto::Sha256Hex(out.browser_binding)},
                                         Value{nonce}, Value{verifier}, Value{target}, Value{s.issuer}, Value{now},
                                         Value{now + kAttemptSeconds}}));
    return {};
  }));
  const Provider& p = **provider;
  std::string url = p.authorization_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "response_type=code&client_id=" + oidc::FormEncode(s.client_id) +
         "&redirect_uri=" + oidc::FormEncode(redirect_uri) + "&scope=" + oidc::FormEncode(s.scopes) +
         "&state=" + state + "&nonce=" + nonce + "&code_challenge=" + oidc::CodeChallengeS256(verifier) +
         "&code_challenge_method=S256";
  out.authorize_url = std::move(url);
  return out;
}

Result<OidcSignedIn> Oidc::Finish(const OidcCallback& cb) {
  const std::int64_t now = clock::NowUnix();
  // The attempt is used up by this callback whatever happens next: a replayed callback (the
  // same state and code again) finds nothing.
  struct Attempt {
    std::string binding_hash, nonce, verifier, return_to, issuer;
    std::int64_t expires_at = 0;
  };
  std::optional<Attempt> attempt;
  if (!cb.state.empty() && cb.state.size() <= 200) {
    FD_TRY_VOID(db_.Write([&](db::Session& tx) -> Status {
      auto row = FD_TRY(tx.MaybeOne(kConsumeAttempt, {Value{crypto::Sha256Hex(cb.state)}}));
      if (row) attempt = Attempt{row->Text(0), row->Text(1), row->Text(2), row->Text(3), row->Text(4), row->Int(5)};
      return {};
    }));
  }
  auto refuse = [&](std::string_view slug, std::string detail, std::string_view reason) -> Error {
    auth_.RecordEvent("sign_in_failed", std::nullopt, cb.remote_address, std::string("oidc-") + std::string(reason));
    log::Info("oidc_refused", {{"reason", std::string(reason)}, {"address", cb.remote_address}});
    return Refused(slug, std::move(detail));
  };
  if (!attempt || attempt->expires_at < now ||
      !crypto::ConstantTimeEquals(attempt->binding_hash, crypto::Sha256Hex(cb.browser_binding))) {
    return Fail(refuse(oidc_error::kState, "The sign-in was not started here, took too long or was already used. Please start again.", "state"));
  }
  if (!cb.error.empty()) {
    const bool denied = cb.error == "access_denied" || cb.error == "login_required" || cb.error == "consent_required";
    return Fail(refuse(denied ? oidc_error::kDenied : oidc_error::kProvider,
                       denied ? "The identity provider refused the sign-in." : "The identity provider reported an error.",
                       denied ? "denied" : "provider-error"));
  }
  OidcSettings s = FD_TRY(Settings());
  if (!s.enabled || s.issuer != attempt->issuer || !s.client_secret) {
    return Fail(refuse(oidc_error::kState, "The sign-in settings changed meanwhile. Please start again.", "settings"));
  }
  auto provider = Discover(s, false);
  if (!provider) {
    log::Warn("oidc_unavailable", {{"internal", provider.error().internal}});
    return Fail(Refused(oidc_error::kUnavailable, "The identity provider cannot be reached."));
  }
  const Provider& p = **provider;

  // The token request (RFC 6749 §4.1.3 with the PKCE verifier).
  oidc::HttpRequest token_request{.method = "POST", .url = p.token_endpoint};
  token_request.body = "grant_type=authorization_code&code=" + oidc::FormEncode(cb.code) +
                       "&redirect_uri=" + oidc::FormEncode(cb.redirect_uri) +
                       "&code_verifier=" + oidc::FormEncode(attempt->verifier);
  if (s.auth_method == "client_secret_post") {
    token_request.body += "&client_id=" + oidc::FormEncode(s.client_id) +
                          "&client_secret=" + oidc::FormEncode(*s.client_secret);
  } else {
    // RFC 6749 §2.3.1: both parts form-encoded before the Basic encoding.
    const std::string pair = oidc::FormEncode(s.client_id) + ":" + oidc::FormEncode(*s.client_secret);
    token_request.headers.emplace_back("Authorization", "Basic " + oidc::Base64Encode(pair));
  }
  auto token_reply = oidc::Fetch(token_request);
  if (!token_reply) {
    log::Warn("oidc_unavailable", {{"internal", token_reply.error().internal}});
    return Fail(Refused(oidc_error::kUnavailable, "The identity provider cannot be reached."));
  }
  if (token_reply->status != 200) {
    return Fail(refuse(oidc_error::kToken, "The identity provider did not accept the sign-in code. Please start again.",
                       "token-refused"));
  }
  auto tokens = JsonObject(*token_reply, "the token answer");
  if (!tokens) return Fail(refuse(oidc_error::kToken, "The identity provider's answer was not understood.", "token-answer"));
  const std::string id_token = ClaimText(*tokens, "id_token").value_or("");
  const std::string access_token = ClaimText(*tokens, "access_token").value_or("");

  oidc::Expectation expect{.issuer = s.issuer, .client_id = s.client_id, .nonce = attempt->nonce, .now = now};
  oidc::Jwks keys = FD_TRY(Keys(p, false));
  auto checked = oidc::ValidateIdToken(id_token, keys, expect);
  if (std::holds_alternative<oidc::Refusal>(checked) && std::get<oidc::Refusal>(checked) == oidc::Refusal::kUnknownKey) {
    // Key rotation: the provider signs with a key published after our copy of the set.
    keys = FD_TRY(Keys(p, true));
    checked = oidc::ValidateIdToken(id_token, keys, expect);
  }
  if (auto* refusal = std::get_if<oidc::Refusal>(&checked)) {
    return Fail(refuse(oidc_error::kToken, "The identity provider's ID token was not valid.",
                       std::string("id-token-") + std::string(oidc::RefusalCode(*refusal))));
  }
  json::object claims = std::get<oidc::Validated>(checked).claims;
  const std::string sub = ClaimText(claims, "sub").value_or("");

  // Groups and profile claims usually come from the userinfo endpoint; its sub must be the same.
  if (!p.userinfo_endpoint.empty() && !access_token.empty()) {
    oidc::HttpRequest ui{.url = p.userinfo_endpoint};
    ui.headers.emplace_back("Authorization", "Bearer " + access_token);
    auto reply = oidc::Fetch(ui);
    if (!reply || reply->status != 200) {
      return Fail(refuse(oidc_error::kDenied, "The identity provider refused the sign-in.", "userinfo"));
    }
    auto info = JsonObject(*reply, "the userinfo answer");
    if (!info || ClaimText(*info, "sub").value_or("") != sub) {
      return Fail(refuse(oidc_error::kToken, "The identity provider's answer was not understood.", "userinfo-sub"));
    }
    for (auto& [k, v] : *info) {
      if (k != "iss" && k != "aud" && k != "sub") claims[k] = v;
    }
  }

  // The mapping: first matching rule.
  const OidcRule* rule = nullptr;
  for (const OidcRule& r : s.rules) {
    if (ClaimMatches(claims, r)) {
      rule = &r;
      break;
    }
  }
  if (!rule) {
    return Fail(refuse(oidc_error::kNoMapping,
                       "Your account at the identity provider has no role in fairdesk. Ask your administrator to "
                       "assign you a group that fairdesk knows.",
                       "no-mapping"));
  }
  const Role role = *ParseRole(rule->role);
  const std::optional<std::string> centre = NeedsCentre(role) ? rule->centre_id : std::nullopt;
  const std::optional<std::string> state = role == Role::kStateCoordinator ? rule->state : std::nullopt;
  std::string name = ClaimText(claims, "name").value_or("");
  if (name.empty()) name = ClaimText(claims, "preferred_username").value_or("");
  std::string email = NormaliseEmail(ClaimText(claims, "email").value_or(""));
  if (email.empty() || email.find('@') == std::string::npos || email.size() > 254) {
    email = "oidc-" + crypto::Sha256Hex(s.issuer + "\n" + sub).substr(0, 24) + "@oidc.invalid";
  }
  if (name.empty()) name = email;
  if (name.size() > 200) name.resize(200);

  // Provisioning and linking by (issuer, sub) only: the e-mail address never links an identity to
  // an existing account.
  std::string user_id;
  bool email_taken = false;
  FD_TRY_VOID(db_.Write([&](db::Session& tx) -> Status {
    auto linked = FD_TRY(tx.MaybeOne(kFindIdentity, {Value{s.issuer}, Value{sub}}));
    const std::string role_name(RoleName(role));
    if (!linked) {
      if (FD_TRY(tx.One(kEmailTaken, {Value{email}})).Int(0) > 0) {
        email_taken = true;
        return {};
      }
      user_id = crypto::NewId("usr");
      FD_TRY_VOID(tx.Exec(kInsertUser, {Value{user_id}, Value{email}, Value{name}, Value{role_name}, db::Opt(centre),
                                        db::Opt(state), Value{std::string(User::kFederatedPasswordHash)}, Value{now}}));
      FD_TRY_VOID(tx.Exec(kInsertIdentity, {Value{s.issuer}, Value{sub}, Value{user_id}, Value{now}}));
      const std::optional<std::string_view> owner = centre ? std::optional<std::string_view>(*centre) : std::nullopt;
      return audit::RecordSystem(tx, audit::kCreate, "user", user_id, owner);
    }
    user_id = linked->Text(0);
    auto placed = FD_TRY(tx.One(kUserPlacement, {Value{user_id}}));
    if (placed.Text(0) != role_name || placed.OptText(1) != centre || placed.OptText(2) != state ||
        placed.Text(3) != name) {
      FD_TRY_VOID(tx.Exec(kUpdatePlacement, {Value{user_id}, Value{role_name}, db::Opt(centre), db::Opt(state),
                                             Value{name}, Value{now}}));
      const std::optional<std::string_view> owner = centre ? std::optional<std::string_view>(*centre) : std::nullopt;
      FD_TRY_VOID(audit::RecordSystem(tx, audit::kUpdate, "user", user_id, owner));
    }
    FD_TRY_VOID(tx.Exec(kTouchIdentity, {Value{s.issuer}, Value{sub}, Value{now}}));
    return {};
  }));
  if (email_taken) {
    return Fail(refuse(oidc_error::kEmailTaken,
                       "A fairdesk account with your e-mail address exists already. Ask your administrator to link it "
                       "to your identity provider account.",
                       "email-taken"));
  }
  User user = FD_TRY(auth_.FindUser(user_id));
  if (user.disabled) {
    return Fail(refuse(oidc_error::kDisabled, "Your fairdesk account is disabled.", "disabled"));
  }
  OidcSignedIn out;
  out.signed_in = FD_TRY(auth_.OpenSession(user, s.session_minutes * 60, cb.remote_address, "oidc"));
  out.return_to = attempt->return_to;
  return out;
}

Status LinkIdentity(db::Database& database, std::string_view user_id, std::string_view issuer_in,
                    std::string_view subject) {
  std::string issuer(issuer_in);
  while (issuer.ends_with('/')) issuer.pop_back();
  if (!oidc::IsAllowedUrl(issuer)) {
    return Fail(Error::Invalid("issuer", "must be an https:// address (http:// only for a loopback address)"));
  }
  if (subject.empty() || subject.size() > 255) return Fail(Error::Invalid("subject", "must be 1 to 255 characters"));
  bool taken = false;
  FD_TRY_VOID(database.Write([&](db::Session& tx) -> Status {
    if (FD_TRY(tx.MaybeOne(kFindIdentity, {Value{issuer}, Value{std::string(subject)}}))) {
      taken = true;
      return {};
    }
    FD_TRY_VOID(tx.Exec(kInsertIdentity, {Value{issuer}, Value{std::string(subject)}, Value{std::string(user_id)},
                                          Value{clock::NowUnix()}}));
    return audit::RecordSystem(tx, audit::kUpdate, "user", user_id);
  }));
  if (taken) return Fail(Error::Conflict("This identity is linked to an account already."));
  return {};
}

}  // namespace fairdesk::auth
