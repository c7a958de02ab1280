// HTTP for OpenID Connect sign-in: the public button info, the redirect to the provider, the
// callback that lands the browser signed in, and the administrator's settings.

#include <boost/json.hpp>

#include <array>

#include "auth/auth.hpp"
#include "auth/oidc.hpp"
#include "platform/core/body.hpp"
#include "platform/http/problem.hpp"

namespace fairdesk::auth {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, 6> kRoles = {"advisor",           "centre_lead", "state_coordinator",
                                                    "competence_centre", "programme",   "admin"};
constexpr std::array<std::string_view, 2> kAuthMethods = {"client_secret_basic", "client_secret_post"};

struct SettingsBody {
  bool enabled = false;
  std::string label;
  std::string issuer;
  std::string client_id;
  std::optional<std::string> client_secret;  // absent or null: keep the stored one
  std::string auth_method = "client_secret_basic";
  std::string scopes = "openid email profile";
  std::vector<OidcRule> rules;
  std::int64_t session_minutes = 60;
};

const auto kRuleBody = body::Body<OidcRule>()
                           .Text("claim", &OidcRule::claim, Need::kOptional, {.max = 100, .min = 1})
                           .Text("value", &OidcRule::value, Need::kRequired, {.max = 200, .min = 1})
                           .Enum("role", &OidcRule::role, Need::kRequired, kRoles)
                           .Text("centre_id", &OidcRule::centre_id, Need::kOptional, {.max = 64, .min = 1})
                           .Text("state", &OidcRule::state, Need::kOptional, {.max = 2, .min = 2});

const auto kSettingsBody =
    body::Body<SettingsBody>()
        .Bool("enabled", &SettingsBody::enabled, Need::kRequired)
        .Text("label", &SettingsBody::label, Need::kOptional, {.max = 80})
        .Text("issuer", &SettingsBody::issuer, Need::kOptional, {.max = 500, .format = "uri"})
        .Text("client_id", &SettingsBody::client_id, Need::kOptional, {.max = 200})
        .Text("client_secret", &SettingsBody::client_secret, Need::kOptional, {.max = 500, .min = 1})
        .Enum("auth_method", &SettingsBody::auth_method, Need::kOptional, kAuthMethods)
        .Text("scopes", &SettingsBody::scopes, Need::kOptional, {.max = 300, .min = 6})
        .Objects("rules", &SettingsBody::rules, Need::kOptional, kRuleBody, {.max_items = 200})
        .Int("session_minutes", &SettingsBody::session_minutes, Need::kOptional, {.min = 5, .max = 720});

json::object SettingsJson(const OidcSettings& s, std::string_view redirect_uri) {
  json::array rules;
  for (const auto& r : s.rules) {
    json::object o{{"claim", r.claim}, {"value", r.value}, {"role", r.role}};
    o["centre_id"] = r.centre_id ? json::value(*r.centre_id) : json::value(nullptr);
    o["state"] = r.state ? json::value(*r.state) : json::value(nullptr);
    rules.push_back(std::move(o));
  }
  return json::object{{"enabled", s.enabled},
                      {"label", s.label},
                      {"issuer", s.issuer},
                      {"client_id", s.client_id},
                      {"client_secret_set", s.client_secret.has_value()},
                      {"auth_method", s.auth_method},
                      {"scopes", s.scopes},
                      {"rules", std::move(rules)},
                      {"session_minutes", s.session_minutes},
                      {"redirect_uri", redirect_uri}};
}

// Where the provider sends the browser back: the configured public address, else the address the
// browser used (Host header; https unless it is a loopback address).
std::string RedirectUri(const http::Request& req, const std::string& public_url) {
  std::string base = public_url;
  if (base.empty()) {
    const std::string host = req.Header("host").value_or("localhost");
    const bool local = host.starts_with("127.0.0.1") || host.starts_with("localhost") || host.starts_with("[::1]");
    base = (local ? "http://" : "https://") + host;
  }
  while (base.ends_with('/')) base.pop_back();
  return base + "/api/v1/oidc/callback";
}

std::string BindingCookie(std::string_view value, bool secure, bool clear) {
  std::string c = std::string(kOidcCookie) + "=" + std::string(value) + "; Path=/api/v1/oidc/; HttpOnly; SameSite=Lax";
  c += clear ? "; Max-Age=0" : "; Max-Age=600";
  if (secure) c += "; Secure";
  return c;
}

http::Response Redirect(std::string location) {
  http::Response res{302, "text/plain; charset=utf-8", {}, ""};
  res.With("Location", std::move(location));
  res.With("Cache-Control", "no-store");
  return res;
}

}  // namespace

void RegisterOidcRoutes(http::Router& router, Oidc& oidc, Service& auth, std::string public_url) {
  const bool secure = auth.options().secure_cookies;

  auto& info = router.Get("/api/v1/oidc", [&oidc](http::Request&) -> Result<http::Response> {
    auto [enabled, label] = FD_TRY(oidc.PublicInfo());
    return http::Response::Json(json::object{{"enabled", enabled}, {"label", label}});
  });
  info.access = http::Access::kPublic;
  info.doc = {"Whether sign-in through the organisation's identity provider is offered, and its label", "auth"};

  auto& start = router.Get("/api/v1/oidc/start", [&oidc, secure, public_url](http::Request& req) -> Result<http::Response> {
    auto started = oidc.Start(req.Query("return_to").value_or("/"), RedirectUri(req, public_url));
    if (!started) {
      const std::string slug = started.error().slug.empty() ? "oidc-unavailable" : started.error().slug;
      return Redirect("/login?oidc_error=" + slug);
    }
    http::Response res = Redirect(started->authorize_url);
    res.With("Set-Cookie", BindingCookie(started->browser_binding, secure, false));
    return res;
  });
  start.access = http::Access::kPublic;
  start.doc = {"Starts a sign-in at the identity provider (302 to its authorization endpoint; PKCE S256, state, nonce)",
               "auth"};
  start.doc.query_params = {"return_to"};

  auto& callback = router.Get("/api/v1/oidc/callback", [&oidc, &auth, secure, public_url](
                                                           http::Request& req) -> Result<http::Response> {
    OidcCallback cb;
    cb.code = req.Query("code").value_or("");
    cb.state = req.Query("state").value_or("");
    cb.error = req.Query("error").value_or("");
    cb.browser_binding = req.Cookie(kOidcCookie);
    cb.redirect_uri = RedirectUri(req, public_url);
    cb.remote_address = req.remote_address;
    auto done = oidc.Finish(cb);
    if (!done) {
      if (done.error().slug.empty()) return Fail(done.error());
      // Only the problem's code goes into the URL, never a name or address.
      http::Response res = Redirect("/login?oidc_error=" + done.error().slug);
      res.With("Set-Cookie", BindingCookie("", secure, true));
      return res;
    }
    // A session that the browser still holds is replaced, not left behind.
    if (std::string old = req.Cookie(kSessionCookie); !old.empty()) (void)auth.Logout(old);
    http::Response res = Redirect(done->return_to);
    std::string cookie =
        std::string(kSessionCookie) + "=" + done->signed_in.token + "; Path=/; HttpOnly; SameSite=Strict";
    if (secure) cookie += "; Secure";
    res.With("Set-Cookie", cookie);
    res.With("Set-Cookie", BindingCookie("", secure, true));
    return res;
  });
  callback.access = http::Access::kPublic;
  callback.slow = true;  // waits for the identity provider's token endpoint
  callback.doc = {"The identity provider's redirect back: checks state, exchanges the code, validates the ID token, "
                  "maps the claims to role and centre and opens a session (302 to the page the user wanted, or to "
                  "/login?oidc_error=<code>)",
                  "auth"};
  callback.doc.query_params = {"code", "state", "error"};

  auto& get = router.Get("/api/v1/settings/oidc", [&oidc, public_url](http::Request& req) -> Result<http::Response> {
    OidcSettings s = FD_TRY(oidc.Settings());
    http::Response res = http::Response::Json(SettingsJson(s, RedirectUri(req, public_url)));
    res.With("Cache-Control", "no-store");
    return res;
  });
  get.roles = {Role::kAdmin};
  get.doc = {"Sign-in through the identity provider: issuer, client, mapping rules (the secret is never shown)", "auth"};

  auto& put = router.Put("/api/v1/settings/oidc", [&oidc, public_url](http::Request& req) -> Result<http::Response> {
    SettingsBody b = FD_TRY(kSettingsBody.Parse(req.body));
    OidcSettings s;
    s.enabled = b.enabled;
    s.label = b.label;
    s.issuer = b.issuer;
    s.client_id = b.client_id;
    s.client_secret = b.client_secret;
    s.auth_method = b.auth_method;
    s.scopes = b.scopes;
    s.rules = std::move(b.rules);
    s.session_minutes = b.session_minutes;
    const bool keep_secret = !b.client_secret.has_value();
    OidcSettings saved = FD_TRY(oidc.SaveSettings(req.User(), std::move(s), keep_secret));
    return http::Response::Json(SettingsJson(saved, RedirectUri(req, public_url)));
  });
  put.roles = {Role::kAdmin};
  put.doc = {"Changes the identity-provider settings (audited); an absent client_secret keeps the stored one", "auth"};
  put.doc.request_schema = kSettingsBody.Schema();
}

}  // namespace fairdesk::auth
