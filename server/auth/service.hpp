#pragma once
/// The rules of signing in and of user administration: password and second-factor checks, login
/// throttling, session lifetime, who may see and change which users. No HTTP and no SQL here:
/// routes.cpp speaks HTTP, the Store speaks SQL.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "auth/model.hpp"
#include "auth/proof_of_work.hpp"
#include "auth/store.hpp"
#include "platform/core/access.hpp"
#include "platform/core/error.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/db/database.hpp"

namespace fairdesk::auth {

/// Idle timeout and absolute lifetime of a session.
constexpr std::int64_t kIdleTimeoutSeconds = 30 * 60;
constexpr std::int64_t kAbsoluteTimeoutSeconds = 12 * 60 * 60;
/// last_seen_at is written at most this often, so that reading a page is not a write per request;
/// the idle timeout is therefore exact to within this interval.
constexpr std::int64_t kTouchIntervalSeconds = 60;
constexpr std::size_t kMinPasswordLength = 12;
constexpr std::size_t kMaxPasswordLength = 1000;
constexpr int kRecoveryCodeCount = 10;

struct Options {
  /// Users with case access and admins who have no second factor may sign in but do nothing except
  /// set it up. `serve` switches it on by default (issue 8 #7); off only in demo mode or by an
  /// explicit setting.
  bool require_2fa = false;
  /// Adds `Secure` to the session cookie (off by default for http://localhost).
  bool secure_cookies = false;
  std::string totp_issuer = "fairdesk";
  /// Where the web app is reached from outside ("https://fairdesk.example.org"), for the links
  /// in e-mails. Empty: password reset by e-mail is off.
  std::string public_url;
  /// Hands a mail to the outbox (platform/mail); unset: password reset by e-mail is off.
  std::function<void(std::string to, std::string subject, std::string text)> send_mail;
};

struct Credentials {
  std::string email;
  std::string password;
  std::optional<std::string> totp;  // a 6-digit code or a recovery code
  std::string remote_address;
  /// The solution of a proof-of-work challenge, when the server asked for one (issue 8 #6).
  std::optional<std::string> proof_challenge;
  std::optional<std::string> proof_nonce;
};

/// A proof-of-work challenge for a sign-in (problem "proof-of-work-required").
struct Challenge {
  std::string challenge;
  int difficulty = 0;
};

struct SignedIn {
  User user;
  std::string token;  // goes into the cookie; only its hash is stored
  std::string csrf_token;
  bool totp_enrolment_required = false;
  bool password_change_required = false;
};

struct Authenticated {
  Principal principal;
  bool totp_enrolment_required = false;
  bool password_change_required = false;
};

struct SecurityEventPage {
  std::vector<SecurityEvent> items;
  std::optional<std::string> next_cursor;
};

struct TotpEnrolment {
  std::string secret;  // base32
  std::string otpauth_uri;
  std::string qr_svg;
};

struct NewUser {
  std::string email;
  std::string display_name;
  Role role = Role::kAdvisor;
  std::optional<std::string> centre_id;
  std::optional<std::string> state;  // state coordinators only
  std::string language = "de";
  std::optional<std::string> password;  // nullopt: generate one
};

struct CreatedUser {
  User user;
  std::optional<std::string> generated_password;
};

/// Changes to a user; an absent member leaves the value as it is.
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<std::optional<std::string>> centre_id;  // inner nullopt: no centre
  std::optional<std::optional<std::string>> state;
  std::optional<bool> disabled;
};

struct UserPage {
  std::vector<User> items;
  std::optional<std::string> next_cursor;
};

/// Normalises an e-mail address for storage and lookup: trimmed, ASCII lower case.
std::string NormaliseEmail(std::string_view email);
bool IsValidState(std::string_view state);
bool IsSupportedLanguage(std::string_view language);

class Service {
 public:
  /// `keyring` seals the TOTP secrets (users.totp_secret, users.totp_pending_secret); it must
  /// outlive the service.
  Service(db::Database& database, const crypto::Keyring& keyring, Options options);
  Service(std::unique_ptr<Store> store, const crypto::Keyring& keyring, Options options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  const Options& options() const { return options_; }

  /// Loads (or, on the first server, makes) the key that every app server on the database shares
  /// for the sign-in's proof-of-work challenges (issue 13). Until it ran, this process signs with
  /// a random key of its own.
  Status Init();

  // Sessions.
  /// Checks the credentials and opens a session. Failures are throttled per account and address
  /// pair (429 with a growing back-off, only for that pair); many failures of an account, or from
  /// an address, make every further attempt on it need a proof of work (429 slug
  /// "proof-of-work-required"; then NewChallenge), never a refusal of the right password.
  Result<SignedIn> Login(const Credentials& credentials);
  /// A challenge of the difficulty that a sign-in to `email` from `remote_address` needs now.
  Result<Challenge> NewChallenge(std::string_view email, std::string_view remote_address);
  /// Ends the session of a cookie token (no error when there is none).
  Status Logout(std::string_view token);
  /// Resolves a cookie token; nullopt for an empty token. Refreshes the idle timeout. A token
  /// that is unknown, idle for too long or past its absolute end answers kUnauthenticated with
  /// slug "session-expired".
  Result<std::optional<Authenticated>> Authenticate(std::string_view token);
  /// Opens a session for a user whose identity was checked (by Login, or by OpenID Connect in auth/oidc.*):
  /// ends after `lifetime_seconds` at most (and after the idle timeout); recorded as a sign-in
  /// with `detail`. Refuses a disabled account.
  Result<SignedIn> OpenSession(const User& user, std::int64_t lifetime_seconds, std::string_view remote_address,
                               std::string_view detail);
  /// Signed-in sessions (for the metrics gauge).
  std::int64_t ActiveSessions();

  // The signed-in user's own account.
  Result<User> Me(const Principal& principal);
  bool TotpEnrolmentRequired(const User& user) const;
  Result<User> SetLanguage(const Principal& principal, std::string_view language);
  Status ChangePassword(const Principal& principal, std::string_view current_password,
                        std::string_view new_password, std::string_view remote_address = {});
  Result<TotpEnrolment> StartTotp(const Principal& principal);
  /// Confirms enrolment with a code from the app; answers the recovery codes (shown once).
  Result<std::vector<std::string>> ConfirmTotp(const Principal& principal, std::string_view code);
  /// Switching the second factor off needs the password and a current code or a recovery code
  /// (issue 8 #7).
  Status DisableTotp(const Principal& principal, std::string_view password, std::string_view code,
                     std::string_view remote_address = {});

  // Password reset by e-mail (issue 7). Request: always succeeds (no account enumeration); for an
  // active account it creates a one-hour, one-time token and answers it for the mail.
  /// Checks the address's form and hands the request to a worker thread, then answers: the
  /// request does the same work whether or not the account exists, and the lookup, the token and
  /// the mail (in the account's language, through the durable outbox) come after the answer, so
  /// its timing tells nothing (measured: bench/reset-timing.mjs). At most three links go to one
  /// account in an hour (more requests are answered alike and only logged). A request
  /// still in the worker's hands when the process dies is lost (the person asks again); the
  /// worker finishes what it holds on StopResetWorker.
  Status RequestPasswordReset(std::string_view email, std::string_view remote_address);
  /// Does the work of the reset requests handed over so far (the worker does; tests may).
  void ProcessResetRequests();
  /// Finishes the requests handed over and stops the worker (before the mail outbox goes).
  void StopResetWorker();
  Status CompletePasswordReset(std::string_view token, std::string_view new_password,
                               std::string_view remote_address);

  /// Sign-ins, failures and credential changes (admin: all; centre lead: their centre's users).
  Result<SecurityEventPage> ListSecurityEvents(const Principal& principal, int limit, std::string_view cursor);

  // User administration (admin: everyone; centre lead: the users of their own centre).
  Result<UserPage> ListUsers(const Principal& principal, int limit, std::string_view cursor);
  Result<User> GetUser(const Principal& principal, std::string_view id);
  Result<CreatedUser> CreateUser(const Principal& principal, NewUser user);
  Result<User> UpdateUser(const Principal& principal, std::string_view id, const UserPatch& patch);
  /// A new one-time password for a user (admin: anyone; centre lead: their centre's users); ends
  /// the user's sessions; the next sign-in must choose a new password. Audited.
  Result<std::string> AdminResetPassword(const Principal& principal, std::string_view id);
  /// Removes a user's second factor (lost phone); audited. The user sets it up again at sign-in.
  Status AdminResetTotp(const Principal& principal, std::string_view id);

  // Operator commands (fairdesk user ...): no principal, the operator is trusted.
  Result<CreatedUser> AddUser(NewUser user);
  Result<std::vector<User>> AllUsers();
  Result<User> FindUser(std::string_view email_or_id);
  Status SetDisabled(std::string_view user_id, bool disabled);
  /// Sets a new password (generated when `password` is nullopt) and ends the user's sessions;
  /// answers the generated password.
  Result<std::optional<std::string>> ResetPassword(std::string_view user_id, std::optional<std::string> password);
  /// Records a security event (sign-in, failure, credential change) with the client address.
  void RecordEvent(std::string_view event, const std::optional<User>& user, std::string_view address,
                   std::string_view detail = {});

  /// Demo mode: the demo logins of issue 2, all with password "fairdesk-demo", only into an empty
  /// users table. Needs the directory's demo centres (centre-be-1, centre-by-1,
  /// centre-fachstelle), so it runs after the directory is seeded.
  Status SeedDemoUsers();

 private:
  /// Counts a sign-in attempt against the counters before the password is checked; 429 when one
  /// of them is blocked.
  Result<AttemptClaim> ClaimAttempt(std::span<const ThrottleCounter> counters, std::int64_t now);
  Result<User> LoadUser(const Principal& principal);
  /// A 6-digit code (not replayed) or an unused recovery code, which is used up.
  Result<bool> CheckSecondFactor(const User& user, std::string_view code, std::int64_t now);
  Status VerifyOwnPassword(const User& user, std::string_view password, std::string_view field);
  Status ValidateNewPassword(std::string_view password, std::string_view email, std::string_view field) const;
  Status ValidatePlacement(Role role, const std::optional<std::string>& centre_id,
                           const std::optional<std::string>& state);
  Result<User> CheckVisible(const Principal& principal, std::string_view id);
  Result<CreatedUser> AddUserAs(NewUser input, const Principal* by);
  /// The audit entry of a change to a user, written in the change's transaction; `by` nullptr:
  /// the operator (CLI) or the system.
  static AuditHook AuditUser(const Principal* by, std::string_view action, std::string_view record_type,
                             std::string_view user_id, const std::optional<std::string>& centre_id);
  Result<std::string> SealTotpSecret(std::string_view column, std::string_view user_id, std::string_view secret) const;
  Result<std::string> OpenTotpSecret(std::string_view column, std::string_view user_id, std::string_view sealed) const;

  std::unique_ptr<Store> store_;
  const crypto::Keyring& keyring_;
  Options options_;
  std::string dummy_hash_;  // verified against for unknown e-mails, so both cost the same
  ProofOfWork proof_of_work_;
  // Reset requests handed from the request to the worker thread (started with the first).
  struct ResetRequest {
    std::string email, address;
  };
  void IssueResetLink(const ResetRequest& request);
  std::mutex reset_mu_;
  std::condition_variable reset_cv_;
  std::deque<ResetRequest> reset_queue_;
  bool reset_stopping_ = false;
  std::thread reset_worker_;
};

}  // namespace fairdesk::auth
