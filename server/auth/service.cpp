#include "auth/service.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "auth/passwords.hpp"
#include "auth/throttle.hpp"
#include "auth/totp.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"
#include "platform/log/log.hpp"

namespace fairdesk::auth {
namespace {

constexpr std::array<std::string_view, 16> kStates = {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV",
                                                      "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"};
constexpr std::array<std::string_view, 2> kLanguages = {"de", "en"};
constexpr std::string_view kDemoPassword = "fairdesk-demo";

// The TOTP secrets are sealed with the Keyring, each under the associated data of its own column
// and user, so that a value copied to another row or column does not open. The columns held
// Keyring text from their first release on: no plaintext secrets were ever stored, so there is
// nothing to migrate.
constexpr std::string_view kUsersTable = "users";
constexpr std::string_view kTotpSecretColumn = "totp_secret";
constexpr std::string_view kTotpPendingColumn = "totp_pending_secret";

Error InvalidCredentials() {
  Error e = Error::Unauthenticated("The e-mail address or the password is not correct.");
  e.slug = "invalid-credentials";
  return e;
}

Error TotpRequired(std::string detail) {
  Error e = Error::Unauthenticated(std::move(detail));
  e.slug = "totp-required";
  return e;
}

Error SessionExpired() {
  Error e = Error::Unauthenticated("Your session has ended. Please sign in again.");
  e.slug = "session-expired";
  return e;
}

Error TooManyRequests(std::int64_t retry_after) {
  Error e{ErrorKind::kTooManyRequests, "Too many failed sign-in attempts. Please wait before trying again."};
  e.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, retry_after));
  return e;
}

// Throttle keys hold hashes, so the table stores neither e-mail addresses nor IP addresses.
std::string AccountKey(std::string_view normalised_email) {
  return "account:" + crypto::Sha256Hex(normalised_email);
}
std::string AddressKey(std::string_view remote_address) { return "address:" + crypto::Sha256Hex(remote_address); }
// "pair:<account hash>:<address hash>", so that all pairs of an account can be cleared at once.
std::string PairPrefix(std::string_view normalised_email) { return "pair:" + crypto::Sha256Hex(normalised_email) + ":"; }
std::string PairKey(std::string_view normalised_email, std::string_view remote_address) {
  return PairPrefix(normalised_email) + crypto::Sha256Hex(remote_address);
}

Error ProofRequired() {
  Error e{ErrorKind::kTooManyRequests,
          "Many sign-in attempts failed. Your browser must solve a small puzzle before the next attempt."};
  e.slug = "proof-of-work-required";
  return e;
}

// Security events are kept this long.
constexpr std::int64_t kSecurityEventDays = 90;
// Password reset links are valid this long.
constexpr std::int64_t kResetLinkSeconds = 60 * 60;
// At most this many reset links go to one account within the window (a flood of requests for an
// address sends no flood of mail); requests beyond are answered alike and logged as "limited".
constexpr std::int64_t kResetLinksPerHour = 3;
constexpr std::int64_t kResetLimitWindowSeconds = 60 * 60;
// Reset requests waiting for the worker; beyond, requests are answered and dropped (logged).
constexpr std::size_t kResetQueueLimit = 1000;

// An account that must have a second factor: case access or administration (issue 8 #7).
bool NeedsSecondFactor(Role role) { return HasCaseAccess(role) || role == Role::kAdmin; }

std::size_t Utf8Length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool IsValidEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) {
    return false;
  }
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = email.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.') {
    return false;
  }
  return std::none_of(email.begin(), email.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\';
  });
}

// Recovery codes are compared without case, spaces and dashes: "ABCDE-FGHIJ" = "abcdefghij".
std::string NormaliseRecoveryCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') {
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Recovery codes are stored as salted Argon2id hashes (issue 8 #8). Codes stored before that were
// unsalted SHA-256 hex; they still work until used or replaced.
std::string HashRecoveryCode(std::string_view code) { return crypto::HashSecret(NormaliseRecoveryCode(code)); }
bool RecoveryCodeMatches(std::string_view stored, std::string_view code) {
  const std::string normalised = NormaliseRecoveryCode(code);
  if (stored.starts_with("$argon2")) return crypto::VerifySecret(stored, normalised);
  return crypto::ConstantTimeEquals(stored, crypto::Sha256Hex(normalised));
}

std::string NewRecoveryCode() {
  // 50 random bits as 10 base32 characters, grouped for reading aloud: "k3xq7-2mpa9".
  std::string text = crypto::Base32Encode(totp::RandomBytes(7)).substr(0, 10);
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text.substr(0, 5) + "-" + text.substr(5);
}

std::string GeneratePassword() { return crypto::RandomToken(12); }  // 16 characters, 96 bits

bool IsSixDigits(std::string_view s) {
  return s.size() == 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

Principal ToPrincipal(const User& user, const SessionRecord& session) {
  Principal p;
  p.user_id = user.id;
  p.role = user.role;
  p.centre_id = user.centre_id;
  p.state = user.state;
  p.session_id = session.id;
  p.csrf_token = session.csrf_token;
  p.language = user.language;
  return p;
}

bool NeedsCentre(Role role) {
  return role == Role::kAdvisor || role == Role::kCentreLead || role == Role::kCompetenceCentre;
}

}  // namespace

std::string NormaliseEmail(std::string_view email) {
  std::string out = Trim(email);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool IsValidState(std::string_view state) {
  return std::find(kStates.begin(), kStates.end(), state) != kStates.end();
}

bool IsSupportedLanguage(std::string_view language) {
  return std::find(kLanguages.begin(), kLanguages.end(), language) != kLanguages.end();
}

std::vector<crypto::EncryptedColumn> EncryptedColumns() {
  using E = crypto::EncryptedColumn::Encoding;
  return {{std::string(kUsersTable), "id", std::string(kTotpSecretColumn), E::kBase64Text},
          {std::string(kUsersTable), "id", std::string(kTotpPendingColumn), E::kBase64Text},
          {"oidc_settings", "id", "client_secret", E::kBase64Text}};
}

Service::Service(db::Database& database, const crypto::Keyring& keyring, Options options)
    : Service(MakeSqlStore(database), keyring, std::move(options)) {}

Service::Service(std::unique_ptr<Store> store, const crypto::Keyring& keyring, Options options)
    : store_(std::move(store)), keyring_(keyring), options_(std::move(options)) {
  crypto::Init();
  dummy_hash_ = crypto::HashPassword(crypto::RandomToken(16));
}

Service::~Service() { StopResetWorker(); }

Status Service::Init() {
  proof_of_work_ = ProofOfWork(FD_TRY(store_->ProofSecret(keyring_)));
  return {};
}

// ---------------------------------------------------------------------------------------------
// Sessions

namespace {

ThrottleCounter AccountCounter(std::string key) {
  return {std::move(key), [](std::int64_t attempts) { return BackoffSeconds(attempts, kAccountThrottle); }};
}

}  // namespace

Result<AttemptClaim> Service::ClaimAttempt(std::span<const ThrottleCounter> counters, std::int64_t now) {
  // The attempt is counted as a failure before the password is checked, in the same transaction
  // that checks the block: checking first and counting after the slow Argon2id verification let
  // parallel attempts all pass the check. An attempt that turns out not to be a failure is taken
  // back (ReleaseAttempt) or the count cleared.
  AttemptClaim claim = FD_TRY(store_->ClaimAttempt(counters, now, now - kThrottleForgetSeconds));
  if (claim.refused_until) {
    return Fail(TooManyRequests(*claim.refused_until - now));
  }
  return claim;
}

Result<Challenge> Service::NewChallenge(std::string_view email_text, std::string_view remote_address) {
  const std::int64_t now = clock::NowUnix();
  const std::string email = NormaliseEmail(email_text);
  const std::array<std::string, 2> keys = {AccountKey(email), AddressKey(remote_address)};
  const std::vector<std::int64_t> counts = FD_TRY(store_->CountFailures(keys, now - kThrottleForgetSeconds));
  Challenge out;
  out.difficulty = std::max(ProofBitsFor(counts[0], kAccountProofAfter, 1), ProofBitsFor(counts[1], kAddressProofAfter, 2));
  if (out.difficulty > 0) out.challenge = proof_of_work_.Issue(out.difficulty, keys[0], now);
  return out;
}

void Service::RecordEvent(std::string_view event, const std::optional<User>& user, std::string_view address,
                          std::string_view detail) {
  SecurityEvent e;
  e.id = crypto::NewId("sev");
  e.at = clock::NowUnix();
  e.event = std::string(event);
  if (user) {
    e.user_id = user->id;
    e.centre_id = user->centre_id;
  }
  e.address = std::string(address);
  e.detail = std::string(detail);
  // The security log must not make a sign-in fail; a write error is logged instead.
  if (auto st = store_->InsertSecurityEvent(e, e.at - kSecurityEventDays * 24 * 60 * 60); !st) {
    log::Warn("security_event_failed", {{"internal", st.error().internal}});
  }
}

Result<SignedIn> Service::Login(const Credentials& credentials) {
  const std::int64_t now = clock::NowUnix();
  const std::string email = NormaliseEmail(credentials.email);
  const std::string account_key = AccountKey(email);
  const std::string address_key = AddressKey(credentials.remote_address);
  // How much this attempt must cost, from the failures before it (issue 8 #6).
  const std::array<std::string, 2> cost_keys = {account_key, address_key};
  const std::vector<std::int64_t> counts = FD_TRY(store_->CountFailures(cost_keys, now - kThrottleForgetSeconds));
  const int bits =
      std::max(ProofBitsFor(counts[0], kAccountProofAfter, 1), ProofBitsFor(counts[1], kAddressProofAfter, 2));

  // The hard back-off applies only to this account from this address; the account and address
  // counters only count (they raise the cost of further attempts, never block).
  const auto no_block = [](std::int64_t) { return std::int64_t{0}; };
  const std::array<ThrottleCounter, 3> counters = {
      ThrottleCounter{PairKey(email, credentials.remote_address),
                      [](std::int64_t attempts) { return BackoffSeconds(attempts, kPairThrottle); }},
      ThrottleCounter{account_key, no_block}, ThrottleCounter{address_key, no_block}};
  auto claimed = ClaimAttempt(counters, now);
  if (!claimed) {
    RecordEvent("sign_in_throttled", std::nullopt, credentials.remote_address);
    log::Info("login_throttled", {{"address", credentials.remote_address}});
    return Fail(claimed.error());
  }
  const AttemptClaim claim = std::move(*claimed);
  // Takes the attempt back from every counter (it was no failure).
  const auto release_all = [&]() -> Status {
    for (std::size_t i = 0; i < counters.size(); ++i) {
      FD_TRY_VOID(store_->ReleaseAttempt(counters[i].key, claim.set_blocked_until[i]));
    }
    return {};
  };

  if (bits > 0) {
    std::optional<std::int64_t> expires;
    if (credentials.proof_challenge && credentials.proof_nonce) {
      expires = proof_of_work_.Check(*credentials.proof_challenge, *credentials.proof_nonce, account_key, bits, now);
    }
    // Each solution serves once, on whichever app server it arrives (marked used in the database).
    const bool solved = expires && FD_TRY(store_->UseChallenge(*credentials.proof_challenge, *expires));
    if (!solved) {
      FD_TRY_VOID(release_all());
      return Fail(ProofRequired());
    }
  }

  std::optional<User> user = FD_TRY(store_->FindUserByEmail(email));
  // An unknown address costs one Argon2id verification too, so that timing does not tell which
  // addresses have accounts; disabled accounts get the same answer as wrong passwords.
  const bool password_ok = crypto::VerifyPassword(user ? user->password_hash : dummy_hash_, credentials.password);
  if (!user || !password_ok || user->disabled) {
    const char* reason = user ? (user->disabled ? "disabled" : "password") : "unknown";
    log::Info("login_failed", {{"reason", reason},
                               {"user_id", user ? user->id : ""},
                               {"address", credentials.remote_address}});
    RecordEvent("sign_in_failed", user, credentials.remote_address, reason);
    return Fail(InvalidCredentials());
  }

  if (user->TotpEnabled()) {
    const std::string code = credentials.totp ? Trim(*credentials.totp) : std::string();
    if (code.empty()) {
      // The first step of a sign-in with a second factor: the password was right, so nothing failed.
      FD_TRY_VOID(release_all());
      return Fail(TotpRequired("This account has a second factor: enter the code from the authenticator app."));
    }
    bool accepted = FD_TRY(CheckSecondFactor(*user, code, now));
    if (!accepted) {
      log::Info("login_failed", {{"reason", "totp"}, {"user_id", user->id}, {"address", credentials.remote_address}});
      RecordEvent("sign_in_failed", user, credentials.remote_address, "totp");
      return Fail(TotpRequired("The code is not valid (or was already used). Enter the current code from the "
                               "authenticator app or an unused recovery code."));
    }
  }

  FD_TRY_VOID(store_->ClearThrottle(counters[0].key));
  FD_TRY_VOID(store_->ClearThrottle(account_key));
  FD_TRY_VOID(store_->ReleaseAttempt(address_key, claim.set_blocked_until[2]));
  SignedIn out = FD_TRY(OpenSession(*user, kAbsoluteTimeoutSeconds, credentials.remote_address, "password"));
  out.password_change_required = user->must_change_password;
  return out;
}

Result<bool> Service::CheckSecondFactor(const User& user, std::string_view code, std::int64_t now) {
  if (!user.totp_secret) return false;
  if (IsSixDigits(code)) {
    const std::string secret = FD_TRY(OpenTotpSecret(kTotpSecretColumn, user.id, *user.totp_secret));
    const std::optional<std::string> key = totp::Base32Decode(secret);
    if (!key) {
      return Fail(Error::Internal("auth: stored TOTP secret is not base32"));
    }
    if (std::optional<std::int64_t> step = totp::Verify(*key, code, now, user.totp_last_step)) {
      return store_->ClaimTotpStep(user.id, *step);
    }
    return false;
  }
  if (code.size() > 32) return false;
  for (const std::string& stored : FD_TRY(store_->UnusedRecoveryCodes(user.id))) {
    if (RecoveryCodeMatches(stored, code)) {
      const bool used = FD_TRY(store_->UseRecoveryCode(user.id, stored, now));
      if (used) log::Info("recovery_code_used", {{"user_id", user.id}});
      return used;
    }
  }
  return false;
}

Status Service::Logout(std::string_view token) {
  if (token.empty() || token.size() > 200) {
    return {};
  }
  std::optional<SessionWithUser> found = FD_TRY(store_->FindSession(crypto::Sha256Hex(token)));
  if (found) {
    FD_TRY_VOID(store_->DeleteSession(found->session.id));
    log::Info("logout", {{"user_id", found->user.id}, {"session_id", found->session.id}});
  }
  return {};
}

Result<std::optional<Authenticated>> Service::Authenticate(std::string_view token) {
  if (token.empty()) {
    return std::optional<Authenticated>{};
  }
  if (token.size() > 200) {
    return Fail(SessionExpired());
  }
  const std::int64_t now = clock::NowUnix();
  std::optional<SessionWithUser> found = FD_TRY(store_->FindSession(crypto::Sha256Hex(token)));
  if (!found) {
    return Fail(SessionExpired());
  }
  const SessionRecord& session = found->session;
  if (now - session.last_seen_at > kIdleTimeoutSeconds || now >= session.expires_at) {
    FD_TRY_VOID(store_->DeleteSession(session.id));
    return Fail(SessionExpired());
  }
  if (found->user.disabled) {
    FD_TRY_VOID(store_->DeleteUserSessions(found->user.id, ""));
    return Fail(SessionExpired());
  }
  if (now - session.last_seen_at >= kTouchIntervalSeconds) {
    FD_TRY_VOID(store_->TouchSession(session.id, now));
  }
  Authenticated out;
  out.principal = ToPrincipal(found->user, session);
  out.totp_enrolment_required = TotpEnrolmentRequired(found->user);
  out.password_change_required = found->user.must_change_password;
  return std::optional<Authenticated>{std::move(out)};
}

Result<SignedIn> Service::OpenSession(const User& user, std::int64_t lifetime_seconds, std::string_view remote_address,
                                      std::string_view detail) {
  if (user.disabled) {
    RecordEvent("sign_in_failed", user, remote_address, "disabled");
    return Fail(InvalidCredentials());
  }
  const std::int64_t now = clock::NowUnix();
  // Expired sessions are swept at every sign-in; that keeps the table small without a timer.
  FD_TRY_VOID(store_->DeleteStaleSessions(now - kIdleTimeoutSeconds, now));
  SignedIn out;
  out.token = crypto::RandomToken(32);
  out.csrf_token = crypto::RandomToken(32);
  SessionRecord session;
  session.id = crypto::NewId("ses");
  session.token_hash = crypto::Sha256Hex(out.token);
  session.user_id = user.id;
  session.csrf_token = out.csrf_token;
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now + std::clamp<std::int64_t>(lifetime_seconds, 60, kAbsoluteTimeoutSeconds);
  FD_TRY_VOID(store_->InsertSession(session));
  log::Info("login", {{"user_id", user.id}, {"session_id", session.id}, {"address", std::string(remote_address)},
                      {"method", std::string(detail)}});
  RecordEvent("sign_in", user, remote_address, detail);
  out.totp_enrolment_required = TotpEnrolmentRequired(user);
  out.password_change_required = false;
  out.user = user;
  return out;
}

std::int64_t Service::ActiveSessions() {
  const std::int64_t now = clock::NowUnix();
  auto n = store_->CountActiveSessions(now - kIdleTimeoutSeconds, now);
  if (!n) {
    log::Warn("active_sessions_failed", {{"internal", n.error().internal}});
    return 0;
  }
  return *n;
}

// ---------------------------------------------------------------------------------------------
// The signed-in user's own account

bool Service::TotpEnrolmentRequired(const User& user) const {
  // The identity provider is responsible for the second factor of its accounts.
  return options_.require_2fa && NeedsSecondFactor(user.role) && !user.TotpEnabled() && !user.Federated();
}

Result<User> Service::LoadUser(const Principal& principal) {
  std::optional<User> user = FD_TRY(store_->FindUserById(principal.user_id));
  if (!user || user->disabled) {
    return Fail(SessionExpired());
  }
  return std::move(*user);
}

Result<User> Service::Me(const Principal& principal) { return LoadUser(principal); }

Result<User> Service::SetLanguage(const Principal& principal, std::string_view language) {
  if (!IsSupportedLanguage(language)) {
    return Fail(Error::Invalid("language", "must be one of: de, en"));
  }
  User user = FD_TRY(LoadUser(principal));
  user.language = std::string(language);
  FD_TRY_VOID(store_->UpdateUser(user, clock::NowUnix()));
  return user;
}

Status Service::VerifyOwnPassword(const User& user, std::string_view password, std::string_view field) {
  // Confirming the password of a signed-in account is throttled like a sign-in, so that a
  // borrowed session cannot be used to guess it.
  const std::int64_t now = clock::NowUnix();
  // Its own counter: the sign-in counters of the account only ever raise the cost of sign-ins.
  const std::array<ThrottleCounter, 1> counters = {AccountCounter("confirm:" + crypto::Sha256Hex(user.email))};
  const AttemptClaim claim = FD_TRY(ClaimAttempt(counters, now));
  if (!crypto::VerifyPassword(user.password_hash, password)) {
    return Fail(Error::Invalid(std::string(field), "is not correct"));
  }
  return store_->ReleaseAttempt(counters[0].key, claim.set_blocked_until[0]);
}

Status Service::ValidateNewPassword(std::string_view password, std::string_view email, std::string_view field) const {
  const std::size_t length = Utf8Length(password);
  if (length < kMinPasswordLength) {
    return Fail(Error::Invalid(std::string(field), "must be at least 12 characters"));
  }
  if (length > kMaxPasswordLength) {
    return Fail(Error::Invalid(std::string(field), "must be at most 1000 characters"));
  }
  if (NormaliseEmail(password) == NormaliseEmail(email)) {
    return Fail(Error::Invalid(std::string(field), "must not be the e-mail address"));
  }
  if (auto reason = WeakPasswordReason(password, email)) {
    return Fail(Error::Invalid(std::string(field), *reason));
  }
  return {};
}

Status Service::ChangePassword(const Principal& principal, std::string_view current_password,
                               std::string_view new_password, std::string_view remote_address) {
  User user = FD_TRY(LoadUser(principal));
  FD_TRY_VOID(ValidateNewPassword(new_password, user.email, "new_password"));
  FD_TRY_VOID(VerifyOwnPassword(user, current_password, "current_password"));
  if (crypto::VerifyPassword(user.password_hash, new_password)) {
    return Fail(Error::Invalid("new_password", "must differ from the current password"));
  }
  FD_TRY_VOID(store_->SetPasswordHashEndingSessions(user.id, crypto::HashPassword(new_password), clock::NowUnix(),
                                                    principal.session_id, /*must_change=*/false));
  log::Info("password_changed", {{"user_id", user.id}});
  RecordEvent("password_changed", user, remote_address);
  return {};
}

Result<TotpEnrolment> Service::StartTotp(const Principal& principal) {
  User user = FD_TRY(LoadUser(principal));
  if (user.TotpEnabled()) {
    return Fail(Error::Conflict("The second factor is already set up. Switch it off first to set up a new one."));
  }
  TotpEnrolment out;
  out.secret = totp::NewSecret();
  out.otpauth_uri = totp::OtpauthUri(options_.totp_issuer, user.email, out.secret);
  out.qr_svg = totp::QrSvg(out.otpauth_uri);
  FD_TRY_VOID(store_->SetTotpPending(user.id, FD_TRY(SealTotpSecret(kTotpPendingColumn, user.id, out.secret))));
  return out;
}

Result<std::vector<std::string>> Service::ConfirmTotp(const Principal& principal, std::string_view code) {
  User user = FD_TRY(LoadUser(principal));
  if (user.TotpEnabled()) {
    return Fail(Error::Conflict("The second factor is already set up."));
  }
  if (!user.totp_pending_secret) {
    return Fail(Error::Conflict("Start the set-up of the second factor first."));
  }
  const std::string secret = FD_TRY(OpenTotpSecret(kTotpPendingColumn, user.id, *user.totp_pending_secret));
  const std::optional<std::string> key = totp::Base32Decode(secret);
  if (!key) {
    return Fail(Error::Internal("auth: pending TOTP secret is not base32"));
  }
  const std::string trimmed = Trim(code);
  std::optional<std::int64_t> step =
      IsSixDigits(trimmed) ? totp::Verify(*key, trimmed, clock::NowUnix(), std::nullopt) : std::nullopt;
  if (!step) {
    return Fail(Error::Invalid("code", "is not valid: enter the current 6-digit code from the app"));
  }
  std::vector<std::string> codes;
  std::vector<std::string> hashes;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    codes.push_back(NewRecoveryCode());
    hashes.push_back(HashRecoveryCode(codes.back()));
  }
  // Sealed anew: the associated data names the column, so the pending value does not open there.
  FD_TRY_VOID(store_->EnableTotp(user.id, FD_TRY(SealTotpSecret(kTotpSecretColumn, user.id, secret)), *step, hashes));
  log::Info("totp_enabled", {{"user_id", user.id}});
  return codes;
}

Status Service::DisableTotp(const Principal& principal, std::string_view password, std::string_view code,
                            std::string_view remote_address) {
  User user = FD_TRY(LoadUser(principal));
  if (!user.TotpEnabled()) {
    return Fail(Error::Conflict("The second factor is not set up."));
  }
  FD_TRY_VOID(VerifyOwnPassword(user, password, "password"));
  // A borrowed session and the password are not enough: the second factor itself must be shown.
  if (!FD_TRY(CheckSecondFactor(user, Trim(code), clock::NowUnix()))) {
    return Fail(Error::Invalid("code", "is not valid: enter the current code from the app or an unused recovery code"));
  }
  FD_TRY_VOID(store_->DisableTotp(user.id));
  log::Info("totp_disabled", {{"user_id", user.id}});
  RecordEvent("totp_disabled", user, remote_address);
  return {};
}

Result<std::string> Service::SealTotpSecret(std::string_view column, std::string_view user_id,
                                            std::string_view secret) const {
  return keyring_.EncryptToText(secret, crypto::AssociatedData(kUsersTable, column, user_id));
}

Result<std::string> Service::OpenTotpSecret(std::string_view column, std::string_view user_id,
                                            std::string_view sealed) const {
  return keyring_.DecryptText(sealed, crypto::AssociatedData(kUsersTable, column, user_id));
}

// ---------------------------------------------------------------------------------------------
// User administration

Result<UserPage> Service::ListUsers(const Principal& principal, int limit, std::string_view cursor) {
  std::optional<std::string> centre;
  if (principal.role == Role::kCentreLead) {
    if (!principal.centre_id) {
      return Fail(Error::Forbidden());
    }
    centre = principal.centre_id;
  } else if (principal.role != Role::kAdmin) {
    return Fail(Error::Forbidden());
  }
  // One more than asked for tells whether there is a next page.
  std::vector<User> users = FD_TRY(store_->ListUsers(centre, cursor, limit + 1));
  UserPage page;
  if (users.size() > static_cast<std::size_t>(limit)) {
    users.resize(static_cast<std::size_t>(limit));
    page.next_cursor = users.back().id;
  }
  page.items = std::move(users);
  return page;
}

Result<User> Service::CheckVisible(const Principal& principal, std::string_view id) {
  if (principal.role != Role::kAdmin && principal.role != Role::kCentreLead) {
    return Fail(Error::Forbidden());
  }
  std::optional<User> user = FD_TRY(store_->FindUserById(id));
  if (!user) {
    return Fail(Error::NotFound("No such user."));
  }
  // Leads see the users of their own centre only; others do not exist for them.
  if (principal.role == Role::kCentreLead && (!principal.centre_id || user->centre_id != principal.centre_id)) {
    return Fail(Error::NotFound("No such user."));
  }
  return std::move(*user);
}

Result<User> Service::GetUser(const Principal& principal, std::string_view id) { return CheckVisible(principal, id); }

Status Service::ValidatePlacement(Role role, const std::optional<std::string>& centre_id,
                                  const std::optional<std::string>& state) {
  if (NeedsCentre(role)) {
    if (!centre_id) {
      return Fail(Error::Invalid("centre_id", "is required for this role"));
    }
    if (!FD_TRY(store_->CentreExists(*centre_id))) {
      return Fail(Error::Invalid("centre_id", "is not a known centre"));
    }
  } else if (centre_id) {
    return Fail(Error::Invalid("centre_id", "must be empty for this role"));
  }
  if (role == Role::kStateCoordinator) {
    if (!state) {
      return Fail(Error::Invalid("state", "is required for state coordinators"));
    }
    if (!IsValidState(*state)) {
      return Fail(Error::Invalid("state", "must be a federal state code (BW, BY, BE, ...)"));
    }
  } else if (state) {
    return Fail(Error::Invalid("state", "is only set for state coordinators (others take their centre's)"));
  }
  return {};
}

Result<CreatedUser> Service::CreateUser(const Principal& principal, NewUser user) {
  if (principal.role != Role::kAdmin) {
    return Fail(Error::Forbidden());
  }
  // The administrator's password is a one-time password (issue 8 #9): the new account chooses
  // its own at the first sign-in, so that nobody else knows it.
  return AddUserAs(std::move(user), &principal);
}

Result<CreatedUser> Service::AddUser(NewUser input) { return AddUserAs(std::move(input), nullptr); }

Result<CreatedUser> Service::AddUserAs(NewUser input, const Principal* by) {
  const std::string email = NormaliseEmail(input.email);
  if (!IsValidEmail(email)) {
    return Fail(Error::Invalid("email", "is not a valid e-mail address"));
  }
  const std::string display_name = Trim(input.display_name);
  if (display_name.empty() || Utf8Length(display_name) > 200) {
    return Fail(Error::Invalid("display_name", "must be 1 to 200 characters"));
  }
  if (!IsSupportedLanguage(input.language)) {
    return Fail(Error::Invalid("language", "must be one of: de, en"));
  }
  FD_TRY_VOID(ValidatePlacement(input.role, input.centre_id, input.state));
  CreatedUser out;
  std::string password;
  if (input.password) {
    FD_TRY_VOID(ValidateNewPassword(*input.password, email, "password"));
    password = *input.password;
  } else {
    password = GeneratePassword();
    out.generated_password = password;
  }
  User user;
  user.id = crypto::NewId("usr");
  user.email = email;
  user.display_name = display_name;
  user.role = input.role;
  user.centre_id = input.centre_id;
  user.state = input.state;
  user.language = input.language;
  user.password_hash = crypto::HashPassword(password);
  user.must_change_password = by != nullptr;
  if (!FD_TRY(store_->InsertUser(user, clock::NowUnix(), AuditUser(by, audit::kCreate, "user", user.id, user.centre_id)))) {
    return Fail(Error::Conflict("A user with this e-mail address already exists."));
  }
  // Read back for the joined centre name and state.
  std::optional<User> stored = FD_TRY(store_->FindUserById(user.id));
  if (!stored) {
    return Fail(Error::Internal("auth: inserted user not found"));
  }
  log::Info("user_created", {{"user_id", user.id}, {"role", std::string(RoleName(user.role))}});
  out.user = std::move(*stored);
  return out;
}

Result<User> Service::UpdateUser(const Principal& principal, std::string_view id, const UserPatch& patch) {
  User user = FD_TRY(CheckVisible(principal, id));
  const std::optional<std::string> old_centre = user.centre_id;
  const bool self = user.id == principal.user_id;
  if (principal.role == Role::kCentreLead && (patch.role || patch.centre_id || patch.state)) {
    return Fail(Error::Forbidden("Only administrators change roles and centres."));
  }
  if (self && patch.disabled && *patch.disabled) {
    return Fail(Error::Invalid("disabled", "you cannot disable your own account"));
  }
  if (self && patch.role && *patch.role != user.role) {
    return Fail(Error::Invalid("role", "you cannot change your own role"));
  }
  const bool placement_changed = patch.role || patch.centre_id || patch.state;
  if (patch.display_name) {
    const std::string name = Trim(*patch.display_name);
    if (name.empty() || Utf8Length(name) > 200) {
      return Fail(Error::Invalid("display_name", "must be 1 to 200 characters"));
    }
    user.display_name = name;
  }
  if (placement_changed) {
    // Role, centre and state are checked together: a coordinator stores a state and no centre,
    // the case-work roles a centre (their state follows it), admin and programme neither.
    const Role role = patch.role.value_or(user.role);
    const std::optional<std::string> own_state = user.role == Role::kStateCoordinator ? user.state : std::nullopt;
    const std::optional<std::string> centre =
        patch.centre_id ? *patch.centre_id : (NeedsCentre(role) ? user.centre_id : std::nullopt);
    const std::optional<std::string> state =
        patch.state ? *patch.state : (role == Role::kStateCoordinator ? own_state : std::nullopt);
    FD_TRY_VOID(ValidatePlacement(role, centre, state));
    user.role = role;
    user.centre_id = centre;
    user.state = state;
  }
  if (patch.disabled) {
    user.disabled = *patch.disabled;
  }
  // Audited for the user's centre, and for the centre they left, so that both leads see it.
  AuditHook audit_new = AuditUser(&principal, audit::kUpdate, "user", user.id, user.centre_id);
  AuditHook audit_old = old_centre != user.centre_id && old_centre
                            ? AuditUser(&principal, audit::kUpdate, "user", user.id, old_centre)
                            : AuditHook{};
  FD_TRY_VOID(store_->UpdateUser(user, clock::NowUnix(), [&](db::Session& tx) -> Status {
    FD_TRY_VOID(audit_new(tx));
    if (audit_old) FD_TRY_VOID(audit_old(tx));
    return {};
  }));
  if (user.disabled) {
    FD_TRY_VOID(store_->DeleteUserSessions(user.id, ""));
  }
  log::Info("user_updated", {{"user_id", user.id}, {"by", principal.user_id}});
  std::optional<User> stored = FD_TRY(store_->FindUserById(user.id));
  if (!stored) {
    return Fail(Error::NotFound("No such user."));
  }
  return std::move(*stored);
}

Result<std::vector<User>> Service::AllUsers() {
  std::vector<User> all;
  std::string cursor;
  while (true) {
    std::vector<User> page = FD_TRY(store_->ListUsers(std::nullopt, cursor, 200));
    if (page.empty()) {
      break;
    }
    cursor = page.back().id;
    for (User& u : page) {
      all.push_back(std::move(u));
    }
  }
  return all;
}

Result<User> Service::FindUser(std::string_view email_or_id) {
  std::optional<User> user;
  if (email_or_id.find('@') != std::string_view::npos) {
    user = FD_TRY(store_->FindUserByEmail(NormaliseEmail(email_or_id)));
  } else {
    user = FD_TRY(store_->FindUserById(email_or_id));
  }
  if (!user) {
    return Fail(Error::NotFound("No such user."));
  }
  return std::move(*user);
}

Status Service::SetDisabled(std::string_view user_id, bool disabled) {
  std::optional<User> user = FD_TRY(store_->FindUserById(user_id));
  if (!user) {
    return Fail(Error::NotFound("No such user."));
  }
  user->disabled = disabled;
  FD_TRY_VOID(store_->UpdateUser(*user, clock::NowUnix(), AuditUser(nullptr, audit::kUpdate, "user", user->id, user->centre_id)));
  if (disabled) {
    FD_TRY_VOID(store_->DeleteUserSessions(user->id, ""));
  }
  log::Info(disabled ? "user_disabled" : "user_enabled", {{"user_id", user->id}});
  return {};
}

Result<std::optional<std::string>> Service::ResetPassword(std::string_view user_id,
                                                          std::optional<std::string> password) {
  std::optional<User> user = FD_TRY(store_->FindUserById(user_id));
  if (!user) {
    return Fail(Error::NotFound("No such user."));
  }
  std::optional<std::string> generated;
  if (password) {
    FD_TRY_VOID(ValidateNewPassword(*password, user->email, "password"));
  } else {
    password = GeneratePassword();
    generated = password;
  }
  // The operator's password is a one-time password: the user chooses a new one at sign-in.
  FD_TRY_VOID(store_->SetPasswordHashEndingSessions(
      user->id, crypto::HashPassword(*password), clock::NowUnix(), "", /*must_change=*/true,
      AuditUser(nullptr, audit::kUpdate, "user_password", user->id, user->centre_id)));
  FD_TRY_VOID(store_->ClearThrottle(AccountKey(user->email)));
  FD_TRY_VOID(store_->ClearThrottlePrefix(PairPrefix(user->email)));
  log::Info("password_reset", {{"user_id", user->id}});
  return generated;
}

Result<std::string> Service::AdminResetPassword(const Principal& principal, std::string_view id) {
  User user = FD_TRY(CheckVisible(principal, id));
  if (user.id == principal.user_id) {
    return Fail(Error::Invalid("id", "change your own password on your profile page"));
  }
  const std::string password = GeneratePassword();
  FD_TRY_VOID(store_->SetPasswordHashEndingSessions(
      user.id, crypto::HashPassword(password), clock::NowUnix(), "", /*must_change=*/true,
      AuditUser(&principal, audit::kUpdate, "user_password", user.id, user.centre_id)));
  FD_TRY_VOID(store_->ClearThrottle(AccountKey(user.email)));
  FD_TRY_VOID(store_->ClearThrottlePrefix(PairPrefix(user.email)));
  log::Info("password_reset", {{"user_id", user.id}, {"by", principal.user_id}});
  RecordEvent("password_reset_by_admin", user, "");
  return password;
}

Status Service::AdminResetTotp(const Principal& principal, std::string_view id) {
  User user = FD_TRY(CheckVisible(principal, id));
  if (user.id == principal.user_id) {
    return Fail(Error::Invalid("id", "switch your own second factor off on your profile page"));
  }
  if (!user.TotpEnabled()) {
    return Fail(Error::Conflict("This user has no second factor set up."));
  }
  FD_TRY_VOID(store_->DisableTotp(user.id, AuditUser(&principal, audit::kDelete, "user_totp", user.id, user.centre_id)));
  FD_TRY_VOID(store_->DeleteUserSessions(user.id, ""));
  log::Info("totp_reset", {{"user_id", user.id}, {"by", principal.user_id}});
  RecordEvent("totp_reset_by_admin", user, "");
  return {};
}

Status Service::RequestPasswordReset(std::string_view email_text, std::string_view remote_address) {
  const std::string email = NormaliseEmail(email_text);
  if (!IsValidEmail(email)) return Fail(Error::Invalid("email", "is not a valid e-mail address"));
  if (!options_.send_mail || options_.public_url.empty()) {
    Error off = Error::NotFound("Password reset by e-mail is not set up on this server. Ask your administrator.");
    off.slug = "password-reset-unavailable";
    return Fail(off);
  }
  // Nothing that depends on the address happens before the answer (issue 7: the answer for a
  // known address was measurably slower than for an unknown one).
  std::lock_guard lock(reset_mu_);
  if (reset_stopping_) return {};
  if (reset_queue_.size() >= kResetQueueLimit) {
    log::Warn("password_reset_dropped", {{"queued", static_cast<std::int64_t>(reset_queue_.size())}});
    return {};
  }
  reset_queue_.push_back({email, std::string(remote_address)});
  if (!reset_worker_.joinable()) {
    reset_worker_ = std::thread([this] {
      std::unique_lock lock(reset_mu_);
      for (;;) {
        reset_cv_.wait(lock, [&] { return reset_stopping_ || !reset_queue_.empty(); });
        if (reset_queue_.empty()) return;  // stopping, and everything handed over is done
        lock.unlock();
        ProcessResetRequests();
        lock.lock();
      }
    });
  }
  reset_cv_.notify_one();
  return {};
}

void Service::ProcessResetRequests() {
  for (;;) {
    ResetRequest request;
    {
      std::lock_guard lock(reset_mu_);
      if (reset_queue_.empty()) return;
      request = std::move(reset_queue_.front());
      reset_queue_.pop_front();
    }
    IssueResetLink(request);
  }
}

void Service::StopResetWorker() {
  {
    std::lock_guard lock(reset_mu_);
    reset_stopping_ = true;
  }
  reset_cv_.notify_all();
  if (reset_worker_.joinable()) reset_worker_.join();
}

void Service::IssueResetLink(const ResetRequest& request) {
  const std::int64_t now = clock::NowUnix();
  auto found = store_->FindUserByEmail(request.email);
  if (!found) {
    log::Error("password_reset_failed", {{"internal", found.error().internal}});
    return;
  }
  const std::optional<User>& user = *found;
  if (!user || user->disabled) {
    RecordEvent("password_reset_requested", user, request.address, user ? "" : "unknown");
    return;
  }
  // A flood of requests for one account sends no flood of mail.
  auto recent = store_->CountPasswordResets(user->id, now - kResetLimitWindowSeconds);
  if (!recent) {
    log::Error("password_reset_failed", {{"internal", recent.error().internal}});
    return;
  }
  if (*recent >= kResetLinksPerHour) {
    RecordEvent("password_reset_requested", user, request.address, "limited");
    return;
  }
  RecordEvent("password_reset_requested", user, request.address);
  const std::string token = crypto::RandomToken(32);
  if (auto st = store_->InsertPasswordReset(crypto::Sha256Hex(token), user->id, now, now + kResetLinkSeconds); !st) {
    log::Error("password_reset_failed", {{"internal", st.error().internal}});
    return;
  }
  // The token goes in the fragment: browsers do not send it to any server, so it is in no log.
  const std::string link = options_.public_url + "/reset-password#token=" + token;
  const bool de = user->language != "en";
  const std::string subject = de ? "fairdesk: Passwort zurücksetzen" : "fairdesk: reset your password";
  const std::string text =
      de ? "Guten Tag " + user->display_name +
               ",\r\n\r\nfür Ihr fairdesk-Konto wurde ein neues Passwort angefordert. Über diesen Link legen Sie es "
               "fest (eine Stunde gültig, nur einmal verwendbar):\r\n\r\n" + link +
               "\r\n\r\nWenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht; Ihr Passwort bleibt "
               "unverändert.\r\n"
         : "Hello " + user->display_name +
               ",\r\n\r\na new password was requested for your fairdesk account. Set it with this link (valid for "
               "one hour, once):\r\n\r\n" + link +
               "\r\n\r\nIf you did not ask for this, ignore this message; your password stays as it is.\r\n";
  options_.send_mail(user->email, subject, text);
}

Status Service::CompletePasswordReset(std::string_view token, std::string_view new_password,
                                      std::string_view remote_address) {
  const std::int64_t now = clock::NowUnix();
  Error invalid = Error::Invalid("token", "the link is not valid or has expired: request a new one");
  if (token.empty() || token.size() > 100) return Fail(invalid);
  // The link is used up only together with a new password that passes every rule (also the
  // rules on the user's e-mail address), so that a refused password can be retried with it.
  const std::string token_hash = crypto::Sha256Hex(token);
  std::optional<std::string> user_id = FD_TRY(store_->FindPasswordReset(token_hash, now));
  if (!user_id) return Fail(invalid);
  std::optional<User> user = FD_TRY(store_->FindUserById(*user_id));
  if (!user || user->disabled) return Fail(invalid);
  FD_TRY_VOID(ValidateNewPassword(new_password, user->email, "new_password"));
  const bool used = FD_TRY(store_->SetPasswordWithReset(
      token_hash, user->id, crypto::HashPassword(new_password), now,
      AuditUser(nullptr, audit::kUpdate, "user_password", user->id, user->centre_id)));
  if (!used) return Fail(invalid);  // used at the same moment by another request
  FD_TRY_VOID(store_->ClearThrottle(AccountKey(user->email)));
  FD_TRY_VOID(store_->ClearThrottlePrefix(PairPrefix(user->email)));
  log::Info("password_reset_completed", {{"user_id", user->id}});
  RecordEvent("password_reset_completed", user, remote_address);
  return {};
}

Result<SecurityEventPage> Service::ListSecurityEvents(const Principal& principal, int limit, std::string_view cursor) {
  std::optional<std::string> centre;
  if (principal.role == Role::kCentreLead) {
    if (!principal.centre_id) return Fail(Error::Forbidden());
    centre = principal.centre_id;
  } else if (principal.role != Role::kAdmin) {
    return Fail(Error::Forbidden());
  }
  std::optional<std::pair<std::int64_t, std::string>> before;
  if (!cursor.empty()) {
    const auto colon = cursor.find(':');
    std::int64_t at = 0;
    const std::string_view at_text = cursor.substr(0, colon);
    auto [end, ec] = std::from_chars(at_text.data(), at_text.data() + at_text.size(), at);
    if (colon == std::string_view::npos || ec != std::errc{} || end != at_text.data() + at_text.size()) {
      return Fail(Error::Invalid("cursor", "is not a valid cursor"));
    }
    before = std::pair{at, std::string(cursor.substr(colon + 1))};
  }
  std::vector<SecurityEvent> items = FD_TRY(store_->ListSecurityEvents(centre, before, limit + 1));
  SecurityEventPage page;
  if (items.size() > static_cast<std::size_t>(limit)) {
    items.resize(static_cast<std::size_t>(limit));
    page.next_cursor = std::to_string(items.back().at) + ":" + items.back().id;
  }
  page.items = std::move(items);
  return page;
}

AuditHook Service::AuditUser(const Principal* by, std::string_view action, std::string_view record_type,
                             std::string_view user_id, const std::optional<std::string>& centre_id) {
  std::optional<Principal> who = by ? std::optional<Principal>(*by) : std::nullopt;
  return [who, action = std::string(action), type = std::string(record_type), id = std::string(user_id),
          centre = centre_id](db::Session& tx) -> Status {
    const std::optional<std::string_view> owner = centre ? std::optional<std::string_view>(*centre) : std::nullopt;
    if (who) return audit::Record(tx, *who, action, type, id, owner);
    return audit::RecordSystem(tx, action, type, id, owner);
  };
}

Status Service::SeedDemoUsers() {
  if (FD_TRY(store_->CountUsers()) > 0) {
    return {};
  }
  struct Demo {
    std::string_view email;
    std::string_view name;
    Role role;
    std::optional<std::string> centre;
    std::optional<std::string> state;
  };
  const std::array<Demo, 8> demos = {{
      {"admin@example.org", "Alex Admin", Role::kAdmin, std::nullopt, std::nullopt},
      {"advisor.berlin@example.org", "Bahar Yilmaz", Role::kAdvisor, "centre-be-1", std::nullopt},
      {"advisor.bayern@example.org", "Mykola Bondarenko", Role::kAdvisor, "centre-by-1", std::nullopt},
      {"lead.berlin@example.org", "Lena Schmidt", Role::kCentreLead, "centre-be-1", std::nullopt},
      {"coordinator.berlin@example.org", "Jonas Weber", Role::kStateCoordinator, std::nullopt, "BE"},
      {"fachstelle@example.org", "Amina Haddad", Role::kCompetenceCentre, "centre-fachstelle", std::nullopt},
      {"redaktion@example.org", "Tobias Richter", Role::kCompetenceCentre, "centre-fachstelle", std::nullopt},
      {"programme@example.org", "Petra Vogel", Role::kProgramme, std::nullopt, std::nullopt},
  }};
  for (const Demo& d : demos) {
    NewUser u;
    u.email = std::string(d.email);
    u.display_name = std::string(d.name);
    u.role = d.role;
    u.centre_id = d.centre;
    u.state = d.state;
    u.password = std::string(kDemoPassword);
    auto created = AddUser(std::move(u));
    if (!created) {
      Error e = created.error();
      if (e.internal.empty()) {
        e.internal = "auth: seeding a demo user failed (are the directory's demo centres loaded?): " + e.detail;
      }
      return Fail(std::move(e));
    }
  }
  log::Info("demo_users_seeded", {{"count", static_cast<std::int64_t>(demos.size())}});
  return {};
}

}  // namespace fairdesk::auth
