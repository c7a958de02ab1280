// HTTP for the auth module: read the body strictly, call the service, map the answer to JSON.

#include <boost/json.hpp>

#include <array>
#include <charconv>

#include "auth/auth.hpp"
#include "platform/core/body.hpp"
#include "platform/core/json_input.hpp"
#include "platform/http/problem.hpp"

namespace fairdesk::auth {
namespace json = boost::json;
namespace {

constexpr std::size_t kSmallBody = 16 * 1024;
constexpr std::array<std::string_view, 2> kLanguageNames = {"de", "en"};
constexpr std::array<std::string_view, 6> kRoleNames = {"advisor",           "centre_lead", "state_coordinator",
                                                        "competence_centre", "programme",   "admin"};

json::value OptString(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::object UserJson(const User& u) {
  return json::object{
      {"id", u.id},
      {"email", u.email},
      {"display_name", u.display_name},
      {"role", RoleName(u.role)},
      {"centre_id", OptString(u.centre_id)},
      {"centre_name", OptString(u.centre_name)},
      {"state", OptString(u.state)},
      {"language", u.language},
      {"totp_enabled", u.TotpEnabled()},
  };
}

// Administrators and leads also see whether an account is disabled.
json::object AdminUserJson(const User& u) {
  json::object o = UserJson(u);
  o["disabled"] = u.disabled;
  return o;
}

std::string SessionCookie(std::string_view token, bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=" + std::string(token) + "; Path=/; HttpOnly; SameSite=Strict";
  if (secure) {
    cookie += "; Secure";
  }
  return cookie;
}

std::string ClearedCookie(bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  if (secure) {
    cookie += "; Secure";
  }
  return cookie;
}

Result<json::value> Body(const http::Request& req) { return ParseJsonBody(req.body); }

// ?limit= (1 to 200, default 50) and ?cursor= of API.md.
Result<std::pair<int, std::string>> Paging(const http::Request& req) {
  int limit = 50;
  if (auto text = req.Query("limit")) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size() || value < 1 || value > 200) {
      return Fail(Error::Invalid("limit", "must be an integer from 1 to 200"));
    }
    limit = value;
  }
  std::string cursor = req.Query("cursor").value_or("");
  if (cursor.size() > 100) {
    return Fail(Error::Invalid("cursor", "is not a valid cursor"));
  }
  return std::pair{limit, cursor};
}

json::value Schema(std::string_view text) { return json::parse(text); }

constexpr std::string_view kUserSchema = R"({"type":"object","properties":{
  "id":{"type":"string"},"email":{"type":"string"},"display_name":{"type":"string"},
  "role":{"type":"string","enum":["advisor","centre_lead","state_coordinator","competence_centre","programme","admin"]},
  "centre_id":{"type":["string","null"]},"centre_name":{"type":["string","null"]},"state":{"type":["string","null"]},
  "language":{"type":"string","enum":["de","en"]},"totp_enabled":{"type":"boolean"},"disabled":{"type":"boolean"}}})";

json::value UserEnvelopeSchema(bool with_csrf) {
  json::object props{{"user", Schema(kUserSchema)}};
  if (with_csrf) {
    props["csrf_token"] = json::object{{"type", "string"}};
    props["totp_enrolment_required"] = json::object{{"type", "boolean"}};
  }
  return json::object{{"type", "object"}, {"properties", std::move(props)}};
}

// ---- Request bodies, each declared once (platform/core/body.hpp): validation and OpenAPI schema ----

// A password as typed (any plain text; the service checks it); a new one at least 12 characters
// (the service checks the rest of the rules).
constexpr body::TextRule kPassword{.max = kMaxPasswordLength, .min = 1, .multiline = true};
constexpr body::TextRule kNewPassword{.max = kMaxPasswordLength, .min = kMinPasswordLength, .multiline = true};
constexpr body::TextRule kEmail{.max = 254, .min = 1};

struct ProofBody {
  std::string challenge, nonce;
};
struct SignInBody {
  std::string email, password;
  std::optional<std::string> totp;
  std::optional<ProofBody> proof;
};
const auto kSignInBody =
    body::Body<SignInBody>()
        .Text("email", &SignInBody::email, Need::kRequired, kEmail)
        .Text("password", &SignInBody::password, Need::kRequired, kPassword)
        .Text("totp", &SignInBody::totp, Need::kOptional, {.max = 64, .description = "6-digit code or a recovery code"})
        .Object("proof", &SignInBody::proof, Need::kOptional,
                body::Body<ProofBody>()
                    .Text("challenge", &ProofBody::challenge, Need::kRequired, {.max = 200, .min = 1})
                    .Text("nonce", &ProofBody::nonce, Need::kRequired, {.max = 64, .min = 1})
                    .Describe("after a 429 proof-of-work-required: a nonce such that SHA-256(challenge ':' nonce) "
                              "starts with `difficulty` zero bits"));

struct LanguageBody {
  std::string language;
};
const auto kLanguageBody =
    body::Body<LanguageBody>().Enum("language", &LanguageBody::language, Need::kRequired, kLanguageNames);

struct PasswordChangeBody {
  std::string current_password, new_password;
};
const auto kPasswordChangeBody =
    body::Body<PasswordChangeBody>()
        .Text("current_password", &PasswordChangeBody::current_password, Need::kRequired, kPassword)
        .Text("new_password", &PasswordChangeBody::new_password, Need::kRequired, kNewPassword);

struct TotpCodeBody {
  std::string code;
};
const auto kTotpCodeBody = body::Body<TotpCodeBody>().Text("code", &TotpCodeBody::code, Need::kRequired,
                                                           {.max = 16, .min = 1, .description = "the 6-digit code"});

struct TotpOffBody {
  std::string password, code;
};
const auto kTotpOffBody = body::Body<TotpOffBody>()
                              .Text("password", &TotpOffBody::password, Need::kRequired, kPassword)
                              .Text("code", &TotpOffBody::code, Need::kRequired,
                                    {.max = 32, .min = 1, .description = "a current 6-digit code or a recovery code"});

struct ResetRequestBody {
  std::string email;
};
const auto kResetRequestBody =
    body::Body<ResetRequestBody>().Text("email", &ResetRequestBody::email, Need::kRequired, kEmail);

struct ResetBody {
  std::string token, new_password;
};
const auto kResetBody = body::Body<ResetBody>()
                            .Text("token", &ResetBody::token, Need::kRequired, {.max = 100, .min = 1})
                            .Text("new_password", &ResetBody::new_password, Need::kRequired, kNewPassword);

struct NewUserBody {
  std::string email, display_name, role, language = "de";
  std::optional<std::string> centre_id, state, password;
};
const auto kNewUserBody = body::Body<NewUserBody>()
                              .Text("email", &NewUserBody::email, Need::kRequired, kEmail)
                              .Text("display_name", &NewUserBody::display_name, Need::kRequired, {.max = 200, .min = 1})
                              .Enum("role", &NewUserBody::role, Need::kRequired, kRoleNames)
                              .Text("centre_id", &NewUserBody::centre_id, Need::kOptional, {.max = 100, .min = 1})
                              .Text("state", &NewUserBody::state, Need::kOptional, {.max = 2, .min = 2})
                              .Enum("language", &NewUserBody::language, Need::kOptional, kLanguageNames)
                              .Text("password", &NewUserBody::password, Need::kOptional, kNewPassword);

// A user's change: only the fields sent; centre_id and state may be null (no centre / no state).
struct UserPatchBody {
  std::optional<std::string> display_name, role, centre_id, state;
  std::optional<bool> disabled;
};
const auto kUserPatchBody =
    body::Body<UserPatchBody>()
        .Text("display_name", &UserPatchBody::display_name, Need::kOptional, {.max = 200, .min = 1})
        .Enum("role", &UserPatchBody::role, Need::kOptional, kRoleNames)
        .Text("centre_id", &UserPatchBody::centre_id, Need::kOptional, {.max = 100, .min = 1})
        .Text("state", &UserPatchBody::state, Need::kOptional, {.max = 2, .min = 2})
        .Bool("disabled", &UserPatchBody::disabled, Need::kOptional);

http::RouteDoc Doc(std::string summary, json::value request_schema = nullptr, json::value response = nullptr,
                   int status = 200) {
  http::RouteDoc d;
  d.summary = std::move(summary);
  d.tag = "auth";
  d.request_schema = std::move(request_schema);
  d.response_schema = std::move(response);
  d.success_status = status;
  return d;
}

Result<http::Response> Login(Service& service, http::Request& req) {
  SignInBody b = FD_TRY(kSignInBody.Parse(req.body));
  Credentials c;
  c.email = std::move(b.email);
  c.password = std::move(b.password);
  c.totp = std::move(b.totp);
  if (b.proof) {
    c.proof_challenge = std::move(b.proof->challenge);
    c.proof_nonce = std::move(b.proof->nonce);
  }
  c.remote_address = req.remote_address;
  auto signed_in = service.Login(c);
  if (!signed_in && signed_in.error().slug == "proof-of-work-required") {
    // The problem carries the challenge to solve (RFC 9457 extension members).
    Challenge challenge = FD_TRY(service.NewChallenge(c.email, c.remote_address));
    http::Response res = http::Problem(signed_in.error());
    json::object doc = json::parse(res.body).as_object();
    doc["challenge"] = challenge.challenge;
    doc["difficulty"] = challenge.difficulty;
    res.body = json::serialize(doc);
    return res;
  }
  SignedIn s = FD_TRY(std::move(signed_in));
  // A session that the browser still holds is replaced, not left behind.
  if (std::string old = req.Cookie(kSessionCookie); !old.empty()) {
    (void)service.Logout(old);
  }
  http::Response res = http::Response::Json(json::object{{"user", UserJson(s.user)},
                                                          {"csrf_token", s.csrf_token},
                                                          {"totp_enrolment_required", s.totp_enrolment_required},
                                                          {"password_change_required", s.password_change_required}});
  res.With("Set-Cookie", SessionCookie(s.token, service.options().secure_cookies));
  res.With("Cache-Control", "no-store");
  return res;
}

Result<http::Response> Logout(Service& service, http::Request& req) {
  FD_TRY_VOID(service.Logout(req.Cookie(kSessionCookie)));
  http::Response res = http::Response::NoContent();
  res.With("Set-Cookie", ClearedCookie(service.options().secure_cookies));
  return res;
}

Result<http::Response> Me(Service& service, http::Request& req) {
  User user = FD_TRY(service.Me(req.User()));
  http::Response res = http::Response::Json(json::object{{"user", UserJson(user)},
                                                          {"csrf_token", req.User().csrf_token},
                                                          {"totp_enrolment_required", service.TotpEnrolmentRequired(user)},
                                                          {"password_change_required", user.must_change_password}});
  res.With("Cache-Control", "no-store");
  return res;
}

Result<http::Response> PatchMe(Service& service, http::Request& req) {
  LanguageBody b = FD_TRY(kLanguageBody.Parse(req.body));
  User user = FD_TRY(service.SetLanguage(req.User(), b.language));
  return http::Response::Json(json::object{{"user", UserJson(user)}});
}

Result<http::Response> ChangePassword(Service& service, http::Request& req) {
  PasswordChangeBody b = FD_TRY(kPasswordChangeBody.Parse(req.body));
  FD_TRY_VOID(service.ChangePassword(req.User(), b.current_password, b.new_password, req.remote_address));
  return http::Response::NoContent();
}

Result<http::Response> StartTotp(Service& service, http::Request& req) {
  if (!req.body.empty()) {
    json::value body = FD_TRY(Body(req));
    JsonReader r(body);
    FD_TRY_VOID(r.Finish());
  }
  TotpEnrolment e = FD_TRY(service.StartTotp(req.User()));
  http::Response res = http::Response::Json(
      json::object{{"secret", e.secret}, {"otpauth_uri", e.otpauth_uri}, {"qr_svg", e.qr_svg}});
  res.With("Cache-Control", "no-store");
  return res;
}

Result<http::Response> ConfirmTotp(Service& service, http::Request& req) {
  TotpCodeBody b = FD_TRY(kTotpCodeBody.Parse(req.body));
  std::vector<std::string> codes = FD_TRY(service.ConfirmTotp(req.User(), b.code));
  json::array list;
  for (const std::string& c : codes) {
    list.emplace_back(c);
  }
  http::Response res = http::Response::Json(json::object{{"recovery_codes", std::move(list)}});
  res.With("Cache-Control", "no-store");
  return res;
}

Result<http::Response> DisableTotp(Service& service, http::Request& req) {
  TotpOffBody b = FD_TRY(kTotpOffBody.Parse(req.body));
  FD_TRY_VOID(service.DisableTotp(req.User(), b.password, b.code, req.remote_address));
  return http::Response::NoContent();
}

Result<http::Response> RequestReset(Service& service, http::Request& req) {
  ResetRequestBody b = FD_TRY(kResetRequestBody.Parse(req.body));
  FD_TRY_VOID(service.RequestPasswordReset(b.email, req.remote_address));
  // The same answer whether or not the address has an account.
  return http::Response::Json(json::object{{"status", "sent-if-known"}}, 202);
}

Result<http::Response> CompleteReset(Service& service, http::Request& req) {
  ResetBody b = FD_TRY(kResetBody.Parse(req.body));
  FD_TRY_VOID(service.CompletePasswordReset(b.token, b.new_password, req.remote_address));
  return http::Response::NoContent();
}

Result<http::Response> AdminResetPassword(Service& service, http::Request& req) {
  if (!req.body.empty()) {
    json::value body = FD_TRY(Body(req));
    JsonReader r(body);
    FD_TRY_VOID(r.Finish());
  }
  std::string password = FD_TRY(service.AdminResetPassword(req.User(), req.Param("id")));
  http::Response res = http::Response::Json(json::object{{"initial_password", password}});
  res.With("Cache-Control", "no-store");
  return res;
}

Result<http::Response> AdminResetTotp(Service& service, http::Request& req) {
  FD_TRY_VOID(service.AdminResetTotp(req.User(), req.Param("id")));
  return http::Response::NoContent();
}

Result<http::Response> SecurityEvents(Service& service, http::Request& req) {
  auto [limit, cursor] = FD_TRY(Paging(req));
  SecurityEventPage page = FD_TRY(service.ListSecurityEvents(req.User(), limit, cursor));
  json::array items;
  for (const SecurityEvent& e : page.items) {
    items.push_back(json::object{{"id", e.id},
                                 {"at", e.at},
                                 {"event", e.event},
                                 {"user_id", OptString(e.user_id)},
                                 {"user_name", OptString(e.user_name)},
                                 {"centre_id", OptString(e.centre_id)},
                                 {"address", e.address},
                                 {"detail", e.detail}});
  }
  return http::Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", OptString(page.next_cursor)}});
}

Result<http::Response> ListUsers(Service& service, http::Request& req) {
  auto [limit, cursor] = FD_TRY(Paging(req));
  UserPage page = FD_TRY(service.ListUsers(req.User(), limit, cursor));
  json::array items;
  for (const User& u : page.items) {
    items.emplace_back(AdminUserJson(u));
  }
  return http::Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", OptString(page.next_cursor)}});
}

Result<http::Response> GetUser(Service& service, http::Request& req) {
  User user = FD_TRY(service.GetUser(req.User(), req.Param("id")));
  return http::Response::Json(json::object{{"user", AdminUserJson(user)}});
}

Result<http::Response> CreateUser(Service& service, http::Request& req) {
  NewUserBody b = FD_TRY(kNewUserBody.Parse(req.body));
  NewUser u;
  u.email = std::move(b.email);
  u.display_name = std::move(b.display_name);
  u.role = *ParseRole(b.role);
  u.centre_id = std::move(b.centre_id);
  u.state = std::move(b.state);
  u.language = std::move(b.language);
  u.password = std::move(b.password);
  CreatedUser created = FD_TRY(service.CreateUser(req.User(), std::move(u)));
  json::object out{{"user", AdminUserJson(created.user)}};
  if (created.generated_password) {
    out["initial_password"] = *created.generated_password;
  }
  http::Response res = http::Response::Json(out, 201);
  res.With("Cache-Control", "no-store");
  return res;
}

Result<http::Response> PatchUser(Service& service, http::Request& req) {
  json::value body = FD_TRY(Body(req));
  UserPatchBody b;
  const auto sent = FD_TRY(kUserPatchBody.Apply(body, b));
  const auto was_sent = [&](std::string_view name) { return std::find(sent.begin(), sent.end(), name) != sent.end(); };
  UserPatch p;
  p.display_name = std::move(b.display_name);
  if (b.role) p.role = ParseRole(*b.role);
  if (was_sent("centre_id")) p.centre_id = std::move(b.centre_id);  // null: no centre
  if (was_sent("state")) p.state = std::move(b.state);              // null: no state
  p.disabled = b.disabled;
  User user = FD_TRY(service.UpdateUser(req.User(), req.Param("id"), p));
  return http::Response::Json(json::object{{"user", AdminUserJson(user)}});
}

using Method = Result<http::Response> (*)(Service&, http::Request&);

http::Handler Bind(Service& service, Method method) {
  return [&service, method](http::Request& req) { return method(service, req); };
}

bool AllowedDuringEnrolment(const http::Request& req) {
  const std::string_view path = req.path;
  if (path == "/api/v1/me" || path == "/api/v1/me/totp" || path.starts_with("/api/v1/me/totp/")) {
    return true;
  }
  return path == "/api/v1/session" && req.method == "DELETE";
}

// While a one-time password is in use: only reading the own account, changing the password and
// signing out (issue 8 #9).
bool AllowedWithOneTimePassword(const http::Request& req) {
  const std::string_view path = req.path;
  if ((path == "/api/v1/me" && req.method == "GET") || (path == "/api/v1/me/password" && req.method == "POST")) {
    return true;
  }
  return path == "/api/v1/session" && req.method == "DELETE";
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  const std::vector<Role> kUserAdmins = {Role::kAdmin, Role::kCentreLead};

  http::Route& login = router.Post("/api/v1/session", Bind(service, Login));
  login.access = http::Access::kPublic;
  login.csrf = false;  // there is no session yet; SameSite=Strict and the JSON body guard it
  login.max_body_bytes = kSmallBody;
  login.hashing = true;
  login.doc = Doc("Sign in", kSignInBody.Schema(), UserEnvelopeSchema(true));

  // Public so that signing out works with an expired session too; a live session still needs the
  // CSRF header, which the server checks whenever there is a principal.
  http::Route& logout = router.Delete("/api/v1/session", Bind(service, Logout));
  logout.access = http::Access::kPublic;
  logout.max_body_bytes = kSmallBody;
  logout.doc = Doc("Sign out", {}, nullptr, 204);

  router.Get("/api/v1/me", Bind(service, Me)).doc = Doc("The signed-in user", {}, UserEnvelopeSchema(true));

  http::Route& patch_me = router.Patch("/api/v1/me", Bind(service, PatchMe));
  patch_me.max_body_bytes = kSmallBody;
  patch_me.doc = Doc("Change the signed-in user's language", kLanguageBody.Schema(), UserEnvelopeSchema(false));

  http::Route& password = router.Post("/api/v1/me/password", Bind(service, ChangePassword));
  password.max_body_bytes = kSmallBody;
  password.hashing = true;
  password.doc =
      Doc("Change the own password; ends the user's other sessions", kPasswordChangeBody.Schema(), nullptr, 204);

  http::Route& totp = router.Post("/api/v1/me/totp", Bind(service, StartTotp));
  totp.max_body_bytes = kSmallBody;
  totp.doc = Doc("Start setting up the second factor (TOTP)", {},
                 Schema(R"({"type":"object","properties":{"secret":{"type":"string"},
                            "otpauth_uri":{"type":"string"},"qr_svg":{"type":"string"}}})"));

  http::Route& confirm = router.Post("/api/v1/me/totp/confirm", Bind(service, ConfirmTotp));
  confirm.max_body_bytes = kSmallBody;
  confirm.doc = Doc("Confirm the second factor with a code; answers the recovery codes once", kTotpCodeBody.Schema(),
                    Schema(R"({"type":"object","properties":{"recovery_codes":{"type":"array",
                               "items":{"type":"string"}}}})"));

  http::Route& disable_totp = router.Delete("/api/v1/me/totp", Bind(service, DisableTotp));
  disable_totp.max_body_bytes = kSmallBody;
  disable_totp.hashing = true;
  disable_totp.doc = Doc("Switch the second factor off", kTotpOffBody.Schema(), nullptr, 204);

  http::Route& reset = router.Post("/api/v1/password-reset", Bind(service, RequestReset));
  reset.access = http::Access::kPublic;
  reset.csrf = false;
  reset.max_body_bytes = kSmallBody;
  reset.doc = Doc("Request a password reset link by e-mail (202 whether or not the address has an account)",
                  kResetRequestBody.Schema(), nullptr, 202);

  http::Route& reset_confirm = router.Post("/api/v1/password-reset/confirm", Bind(service, CompleteReset));
  reset_confirm.access = http::Access::kPublic;
  reset_confirm.csrf = false;
  reset_confirm.hashing = true;
  reset_confirm.max_body_bytes = kSmallBody;
  reset_confirm.doc = Doc("Set a new password with the token of a reset link (once, within an hour)",
                          kResetBody.Schema(), nullptr, 204);

  http::Route& admin_reset = router.Post("/api/v1/users/{id}/password-reset", Bind(service, AdminResetPassword));
  admin_reset.roles = kUserAdmins;
  admin_reset.hashing = true;
  admin_reset.max_body_bytes = kSmallBody;
  admin_reset.doc = Doc("Give a user a new one-time password (admin: anyone; centre lead: their centre's); audited",
                        {}, Schema(R"({"type":"object","properties":{"initial_password":{"type":"string"}}})"));

  http::Route& admin_totp = router.Delete("/api/v1/users/{id}/totp", Bind(service, AdminResetTotp));
  admin_totp.roles = kUserAdmins;
  admin_totp.max_body_bytes = kSmallBody;
  admin_totp.doc = Doc("Remove a user's second factor (lost phone); audited", {}, nullptr, 204);

  http::Route& events = router.Get("/api/v1/security-events", Bind(service, SecurityEvents));
  events.roles = kUserAdmins;
  events.doc = Doc("Sign-ins, failed sign-ins and credential changes with the client address (admin: all; centre "
                   "lead: their centre's users; kept 90 days)",
                   {}, nullptr);
  events.doc.query_params = {"limit", "cursor"};

  http::Route& list = router.Get("/api/v1/users", Bind(service, ListUsers));
  list.roles = kUserAdmins;
  list.doc = Doc("Users (admin: all; centre lead: their centre's)", {},
                 json::object{{"type", "object"},
                              {"properties", json::object{{"items", json::object{{"type", "array"},
                                                                                 {"items", Schema(kUserSchema)}}},
                                                          {"next_cursor", json::object{{"type", json::array{"string", "null"}}}}}}});
  list.doc.query_params = {"limit", "cursor"};

  http::Route& create = router.Post("/api/v1/users", Bind(service, CreateUser));
  create.roles = {Role::kAdmin};
  create.max_body_bytes = kSmallBody;
  create.hashing = true;
  create.doc = Doc("Create a user (admin); answers a generated initial_password when none is given",
                   kNewUserBody.Schema(), UserEnvelopeSchema(false), 201);

  http::Route& get = router.Get("/api/v1/users/{id}", Bind(service, GetUser));
  get.roles = kUserAdmins;
  get.doc = Doc("One user (admin: any; centre lead: their centre's)", {}, UserEnvelopeSchema(false));

  http::Route& patch = router.Patch("/api/v1/users/{id}", Bind(service, PatchUser));
  patch.roles = kUserAdmins;
  patch.max_body_bytes = kSmallBody;
  patch.doc =
      Doc("Change a user (admin: role, centre, state, disabled, name; centre lead: disabled and name of "
          "their centre's users)",
          kUserPatchBody.Schema(body::Mode::kPatch), UserEnvelopeSchema(false));
}

http::Authenticator MakeAuthenticator(Service& service) {
  return [&service](http::Request& req) -> Result<std::optional<Principal>> {
    std::optional<Authenticated> auth = FD_TRY(service.Authenticate(req.Cookie(kSessionCookie)));
    if (!auth) {
      return std::optional<Principal>{};
    }
    if (auth->password_change_required && !AllowedWithOneTimePassword(req)) {
      Error e = Error::Forbidden("Choose a new password first: the one you signed in with was set by someone else.");
      e.slug = "password-change-required";
      return Fail(std::move(e));
    }
    if (auth->totp_enrolment_required && !AllowedDuringEnrolment(req)) {
      Error e = Error::Forbidden("Set up the second factor (authenticator app) on your profile page first.");
      e.slug = "totp-enrolment-required";
      return Fail(std::move(e));
    }
    return std::optional<Principal>{std::move(auth->principal)};
  };
}

}  // namespace fairdesk::auth
