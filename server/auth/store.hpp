#pragma once
/// Storage of users, sessions, recovery codes and login throttling. The service states the rules;
/// the store only reads and writes. sql_store.cpp implements it over db::Database for both
/// SQLite and PostgreSQL.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/model.hpp"
#include "platform/core/error.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/db/database.hpp"

namespace fairdesk::auth {

/// One login-throttle counter a sign-in attempt counts against (an account or a remote address),
/// with the service's back-off curve.
struct ThrottleCounter {
  std::string key;
  /// Seconds to block after the n-th counted attempt (0: no block).
  std::function<std::int64_t(std::int64_t attempts)> block_seconds;
};

/// What Store::ClaimAttempt did.
struct AttemptClaim {
  /// Set when a counter was blocked: the end of that block. Then nothing was counted.
  std::optional<std::int64_t> refused_until;
  /// Otherwise, per counter in order: the block this attempt set (0: none), for ReleaseAttempt.
  std::vector<std::int64_t> set_blocked_until;
};

/// Runs inside the store's write transaction of a change (audit::Record of user administration),
/// so that the change and its audit entry commit or roll back together.
using AuditHook = std::function<Status(db::Session&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Users.
  virtual Result<std::optional<User>> FindUserByEmail(std::string_view email) = 0;
  virtual Result<std::optional<User>> FindUserById(std::string_view id) = 0;
  /// Users ordered by id, after `after_id` ("" for the first page); `centre_id` narrows to a centre.
  virtual Result<std::vector<User>> ListUsers(const std::optional<std::string>& centre_id, std::string_view after_id,
                                              int limit) = 0;
  virtual Result<std::int64_t> CountUsers() = 0;
  /// Inserts a user; answers false when the e-mail address is taken.
  virtual Result<bool> InsertUser(const User& user, std::int64_t now, const AuditHook& audit = {}) = 0;
  /// Writes display name, role, centre, state, language, the disabled flag and
  /// must_change_password.
  virtual Status UpdateUser(const User& user, std::int64_t now, const AuditHook& audit = {}) = 0;
  /// Sets a new password hash (and whether it must be changed at the next sign-in) and deletes
  /// every session of the user except `keep_session_id` (empty: all of them) and every reset
  /// link of the user not used yet, in one transaction: a new password never leaves old
  /// sessions or links alive.
  virtual Status SetPasswordHashEndingSessions(std::string_view user_id, std::string_view hash, std::int64_t now,
                                               std::string_view keep_session_id, bool must_change = false,
                                               const AuditHook& audit = {}) = 0;
  virtual Result<bool> CentreExists(std::string_view centre_id) = 0;

  // Second factor.
  virtual Status SetTotpPending(std::string_view user_id, const std::optional<std::string>& secret) = 0;
  /// Confirms enrolment: the secret becomes active, `step` counts as used, and the recovery codes
  /// (hashes) replace any earlier ones. One transaction.
  virtual Status EnableTotp(std::string_view user_id, std::string_view secret, std::int64_t step,
                            const std::vector<std::string>& recovery_code_hashes) = 0;
  virtual Status DisableTotp(std::string_view user_id, const AuditHook& audit = {}) = 0;
  /// Records `step` as used when it is later than the last used one; answers false otherwise
  /// (a replayed code). Atomic, so two concurrent sign-ins cannot use the same code.
  virtual Result<bool> ClaimTotpStep(std::string_view user_id, std::int64_t step) = 0;
  /// Marks an unused recovery code as used; answers false when there is none with this hash.
  virtual Result<bool> UseRecoveryCode(std::string_view user_id, std::string_view code_hash, std::int64_t now) = 0;
  virtual Result<std::int64_t> CountUnusedRecoveryCodes(std::string_view user_id) = 0;
  /// The stored values (salted hashes) of the unused recovery codes.
  virtual Result<std::vector<std::string>> UnusedRecoveryCodes(std::string_view user_id) = 0;

  // Sessions.
  virtual Status InsertSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionWithUser>> FindSession(std::string_view token_hash) = 0;
  virtual Status TouchSession(std::string_view session_id, std::int64_t now) = 0;
  virtual Status DeleteSession(std::string_view session_id) = 0;
  /// Deletes every session of a user except `keep_session_id` (empty: all of them).
  virtual Status DeleteUserSessions(std::string_view user_id, std::string_view keep_session_id) = 0;
  /// Deletes sessions idle since before `idle_before` or past their absolute end.
  virtual Status DeleteStaleSessions(std::int64_t idle_before, std::int64_t now) = 0;
  virtual Result<std::int64_t> CountActiveSessions(std::int64_t idle_before, std::int64_t now) = 0;

  // Login throttling.
  /// Counts one sign-in attempt against every counter, before the password is checked, and sets
  /// the block that the new count calls for. One transaction, which also checks that no counter
  /// is blocked at `now`: when one is, nothing is counted and the answer names the block's end.
  /// So parallel attempts are counted one after another and cannot all pass the check while the
  /// slow password checks run. A count whose last attempt is older than `reset_before` starts
  /// again at one.
  virtual Result<AttemptClaim> ClaimAttempt(std::span<const ThrottleCounter> counters, std::int64_t now,
                                            std::int64_t reset_before) = 0;
  /// Takes back one counted attempt that was no failure: one count less, and the block it set
  /// (`set_blocked_until`, 0: none) lifted unless a later attempt has set another one since.
  virtual Status ReleaseAttempt(std::string_view key, std::int64_t set_blocked_until) = 0;
  virtual Status ClearThrottle(std::string_view key) = 0;
  /// Clears every counter whose key starts with `prefix` (letters, digits and ':' only).
  virtual Status ClearThrottlePrefix(std::string_view prefix) = 0;
  /// The failures counted against each key (0 for none, or when the last is older than
  /// `reset_before`).
  virtual Result<std::vector<std::int64_t>> CountFailures(std::span<const std::string> keys, std::int64_t reset_before) = 0;

  // Proof of work (issue 8 #6), shared by every app server on the database (issue 13).
  /// The secret that signs the challenges (cluster::SharedSecret "sign-in").
  virtual Result<std::string> ProofSecret(const crypto::Keyring& keyring) = 0;
  /// Marks a solved challenge used until `expires_at`; false when it was used before, on any server.
  virtual Result<bool> UseChallenge(std::string_view challenge, std::int64_t expires_at) = 0;

  // Security events.
  /// Appends an event and deletes those older than `forget_before`.
  virtual Status InsertSecurityEvent(const SecurityEvent& event, std::int64_t forget_before) = 0;
  /// Newest first, before the cursor (at, id); `centre_id` narrows to a centre's users.
  virtual Result<std::vector<SecurityEvent>> ListSecurityEvents(const std::optional<std::string>& centre_id,
                                                                std::optional<std::pair<std::int64_t, std::string>> before,
                                                                int limit) = 0;

  // Password reset links.
  virtual Status InsertPasswordReset(std::string_view token_hash, std::string_view user_id, std::int64_t now,
                                     std::int64_t expires_at) = 0;
  /// How many reset links of the user were made since `since` (and not ended by a new password).
  virtual Result<std::int64_t> CountPasswordResets(std::string_view user_id, std::int64_t since) = 0;
  /// The user of a reset token that exists and is not expired, without using it up (so that a
  /// refused new password can be retried with the same link).
  virtual Result<std::optional<std::string>> FindPasswordReset(std::string_view token_hash, std::int64_t now) = 0;
  /// Uses the reset token of `user_id` once and sets the new password, as
  /// SetPasswordHashEndingSessions does (every session and every other link of the user ends),
  /// in one transaction; false (and nothing changed) when the token is not valid any more.
  virtual Result<bool> SetPasswordWithReset(std::string_view token_hash, std::string_view user_id, std::string_view hash,
                                            std::int64_t now, const AuditHook& audit = {}) = 0;
};

/// The channel on which migration 203's triggers announce (PostgreSQL NOTIFY) that a session was
/// deleted or a user or centre changed: the per-process session copies of the store go then.
inline constexpr std::string_view kSessionsChannel = "fairdesk_sessions";
/// How long the store answers a session from its per-process copy (PostgreSQL only) before
/// reading it again, announcements or not.
inline constexpr int kSessionCacheSeconds = 10;

/// The store over a database of either backend. On PostgreSQL FindSession answers from a
/// per-process copy while the database's listener hears kSessionsChannel (sql_store.cpp).
std::unique_ptr<Store> MakeSqlStore(db::Database& database);

}  // namespace fairdesk::auth
