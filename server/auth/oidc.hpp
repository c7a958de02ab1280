#pragma once
/// Sign-in through the organisation's identity provider (OpenID Connect, authorization code flow
/// with PKCE S256, state and nonce). An administrator configures the issuer, the client and the
/// rules that map a claim value (a group) to a role and centre; the first sign-in provisions the
/// account by (issuer, sub), later ones update role and centre from the rules (audited). The
/// login attempt (state, nonce, code verifier, where to go afterwards) lives in the database for
/// ten minutes and is used once, so any app server may receive the callback. See docs/SECURITY.md.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/oidc_jwt.hpp"
#include "auth/service.hpp"
#include "platform/core/access.hpp"
#include "platform/core/error.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::auth {

/// The browser-binding cookie of a login attempt (SameSite=Lax: it must come back with the
/// provider's redirect, a top-level navigation from another site).
constexpr std::string_view kOidcCookie = "fd_oidc";

/// One mapping rule: when claim `claim` equals `value` (or, for an array claim such as
/// "groups", contains it), the account gets `role` in `centre_id` (or `state`). First match wins.
struct OidcRule {
  std::string claim = "groups";
  std::string value;
  std::string role;
  std::optional<std::string> centre_id;
  std::optional<std::string> state;
};

struct OidcSettings {
  bool enabled = false;
  std::string label;  // "Sign in with <label>"
  std::string issuer;
  std::string client_id;
  std::optional<std::string> client_secret;  // write-only towards the API
  std::string auth_method = "client_secret_basic";  // or client_secret_post
  std::string scopes = "openid email profile";
  std::vector<OidcRule> rules;
  std::int64_t session_minutes = 60;  // a session of an OIDC user ends after this, at most 12 h
};

struct OidcStart {
  std::string authorize_url;
  std::string browser_binding;  // goes into the fd_oidc cookie
};

struct OidcCallback {
  std::string code;
  std::string state;
  std::string error;  // the provider's error parameter (access_denied, ...)
  std::string browser_binding;
  std::string redirect_uri;
  std::string remote_address;
};

struct OidcSignedIn {
  SignedIn signed_in;
  std::string return_to;
};

/// The problem slugs of a refused callback; the web app shows a message per slug.
namespace oidc_error {
inline constexpr std::string_view kState = "oidc-state";          // unknown, used or expired attempt
inline constexpr std::string_view kProvider = "oidc-provider";    // the provider answered an error
inline constexpr std::string_view kDenied = "oidc-denied";        // the provider refused the sign-in
inline constexpr std::string_view kToken = "oidc-token";          // code refused or ID token invalid
inline constexpr std::string_view kNoMapping = "oidc-no-mapping"; // no rule matched
inline constexpr std::string_view kDisabled = "oidc-disabled";    // the fairdesk account is disabled
inline constexpr std::string_view kEmailTaken = "oidc-email-taken";
inline constexpr std::string_view kUnavailable = "oidc-unavailable";
}  // namespace oidc_error

class Oidc {
 public:
  Oidc(db::Database& database, Service& auth, const crypto::Keyring& keyring);
  ~Oidc();

  /// The stored settings (nullopt secret: none stored); admins only (the route checks the role).
  Result<OidcSettings> Settings();
  /// Validates and stores the settings; an absent client_secret keeps the stored one. Audited.
  Result<OidcSettings> SaveSettings(const Principal& by, OidcSettings settings, bool keep_secret);
  /// Whether the sign-in page shows the button, and its label.
  Result<std::pair<bool, std::string>> PublicInfo();

  Result<OidcStart> Start(std::string_view return_to, std::string_view redirect_uri);
  Result<OidcSignedIn> Finish(const OidcCallback& callback);

 private:
  struct Provider;
  Result<std::shared_ptr<const Provider>> Discover(const OidcSettings& s, bool force);
  Result<oidc::Jwks> Keys(const Provider& p, bool refetch);

  db::Database& db_;
  Service& auth_;
  const crypto::Keyring& keyring_;
  std::mutex mu_;
  std::shared_ptr<const Provider> provider_;
  std::chrono::steady_clock::time_point provider_fetched_{};
  std::optional<oidc::Jwks> jwks_;
  std::chrono::steady_clock::time_point jwks_fetched_{};
  std::chrono::steady_clock::time_point jwks_refetched_{};
  // Counts changes of the settings (here or, through NOTIFY, on another app server); the cached
  // discovery document and keys belong to the count they were fetched at. Shared with the
  // database's change callback, which may outlive this object.
  std::shared_ptr<std::atomic<std::uint64_t>> settings_generation_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  std::uint64_t provider_generation_ = 0;
};

/// Links an existing account to an identity at the provider (`fairdesk user link-oidc`): the
/// operator's decision, since sign-in never links by e-mail. The account keeps its password; its
/// role and centre follow the mapping rules from its next sign-in through the provider. Audited.
/// kConflict when the identity is linked already.
Status LinkIdentity(db::Database& database, std::string_view user_id, std::string_view issuer, std::string_view subject);

/// GET /api/v1/oidc (public: enabled, label), GET /api/v1/oidc/start, GET /api/v1/oidc/callback,
/// GET/PUT /api/v1/settings/oidc (admin).
void RegisterOidcRoutes(http::Router& router, Oidc& oidc, Service& auth, std::string public_url);

}  // namespace fairdesk::auth
