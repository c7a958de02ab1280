// The auth store over db::Database. SQL is written once for both backends (PostgreSQL
// placeholders; the SQLite adapter rewrites them) and every statement carries a name for logs
// and metrics.

#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "auth/store.hpp"
#include "platform/cluster/cluster.hpp"
#include "platform/db/notify.hpp"

namespace fairdesk::auth {
namespace {

using db::Query;
using db::Value;

// Columns of kUserColumns, in order; RowToUser reads them by these indices.
#define FD_AUTH_USER_COLUMNS                                                                            \
  "u.id, u.email, u.display_name, u.role, u.centre_id, c.name, c.state, u.state, u.language, "          \
  "u.password_hash, u.disabled, u.totp_secret, u.totp_pending_secret, u.totp_last_step, "               \
  "u.must_change_password "                                                                             \
  "FROM users u LEFT JOIN centres c ON c.id = u.centre_id "

constexpr Query kFindUserByEmail{"auth.find_user_by_email", "SELECT " FD_AUTH_USER_COLUMNS "WHERE u.email = $1"};
constexpr Query kFindUserById{"auth.find_user_by_id", "SELECT " FD_AUTH_USER_COLUMNS "WHERE u.id = $1"};
constexpr Query kListUsers{"auth.list_users",
                           "SELECT " FD_AUTH_USER_COLUMNS "WHERE u.id > $1 ORDER BY u.id LIMIT $2"};
constexpr Query kListCentreUsers{
    "auth.list_centre_users",
    "SELECT " FD_AUTH_USER_COLUMNS "WHERE u.centre_id = $1 AND u.id > $2 ORDER BY u.id LIMIT $3"};
constexpr Query kCountUsers{"auth.count_users", "SELECT COUNT(*) FROM users"};
constexpr Query kInsertUser{
    "auth.insert_user",
    "INSERT INTO users (id, email, display_name, role, centre_id, state, language, password_hash, disabled, "
    "created_at, updated_at, must_change_password) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) "
    "ON CONFLICT (email) DO NOTHING"};
constexpr Query kUpdateUser{
    "auth.update_user",
    "UPDATE users SET display_name = $2, role = $3, centre_id = $4, state = $5, language = $6, disabled = $7, "
    "updated_at = $8, must_change_password = $9 WHERE id = $1"};
constexpr Query kSetPasswordHash{
    "auth.set_password_hash",
    "UPDATE users SET password_hash = $2, updated_at = $3, must_change_password = $4 WHERE id = $1"};
constexpr Query kCentreExists{"auth.centre_exists", "SELECT COUNT(*) FROM centres WHERE id = $1"};

constexpr Query kSetTotpPending{"auth.set_totp_pending", "UPDATE users SET totp_pending_secret = $2 WHERE id = $1"};
constexpr Query kEnableTotp{
    "auth.enable_totp",
    "UPDATE users SET totp_secret = $2, totp_pending_secret = NULL, totp_last_step = $3 WHERE id = $1"};
constexpr Query kDisableTotp{
    "auth.disable_totp",
    "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL WHERE id = $1"};
constexpr Query kClaimTotpStep{
    "auth.claim_totp_step",
    "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)"};
constexpr Query kDeleteRecoveryCodes{"auth.delete_recovery_codes", "DELETE FROM recovery_codes WHERE user_id = $1"};
constexpr Query kInsertRecoveryCode{"auth.insert_recovery_code",
                                    "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)"};
constexpr Query kUseRecoveryCode{
    "auth.use_recovery_code",
    "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL"};
constexpr Query kUnusedRecoveryCodes{"auth.unused_recovery_codes",
                                     "SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL"};
constexpr Query kCountRecoveryCodes{"auth.count_recovery_codes",
                                    "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL"};

constexpr Query kInsertSession{
    "auth.insert_session",
    "INSERT INTO sessions (id, token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Query kFindSession{
    "auth.find_session",
    "SELECT s.id, s.token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, "
    FD_AUTH_USER_COLUMNS "JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1"};
constexpr Query kTouchSession{"auth.touch_session", "UPDATE sessions SET last_seen_at = $2 WHERE id = $1"};
constexpr Query kDeleteSession{"auth.delete_session", "DELETE FROM sessions WHERE id = $1"};
constexpr Query kDeleteUserSessions{"auth.delete_user_sessions",
                                    "DELETE FROM sessions WHERE user_id = $1 AND id <> $2"};
constexpr Query kDeleteStaleSessions{"auth.delete_stale_sessions",
                                     "DELETE FROM sessions WHERE last_seen_at < $1 OR expires_at <= $2"};
constexpr Query kCountActiveSessions{"auth.count_active_sessions",
                                     "SELECT COUNT(*) FROM sessions WHERE last_seen_at >= $1 AND expires_at > $2"};

// Counts an attempt unless the key is blocked at $2 (then no row comes back). In PostgreSQL the
// upsert locks the row until the transaction ends and checks the WHERE against the latest
// version, so a parallel attempt waits for this one's block; SQLite has one writer anyway.
constexpr Query kCountAttempt{
    "auth.count_attempt",
    "INSERT INTO login_throttle (throttle_key, failures, blocked_until, updated_at) VALUES ($1, 1, 0, $2) "
    "ON CONFLICT (throttle_key) DO UPDATE SET "
    "failures = CASE WHEN login_throttle.updated_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, "
    "blocked_until = CASE WHEN login_throttle.updated_at < $3 THEN 0 ELSE login_throttle.blocked_until END, "
    "updated_at = $2 "
    "WHERE login_throttle.blocked_until <= $2 "
    "RETURNING failures"};
constexpr Query kBlockedUntil{"auth.blocked_until", "SELECT blocked_until FROM login_throttle WHERE throttle_key = $1"};
constexpr Query kSetBlockedUntil{"auth.set_blocked_until",
                                 "UPDATE login_throttle SET blocked_until = $2 WHERE throttle_key = $1"};
constexpr Query kReleaseAttempt{
    "auth.release_attempt",
    "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END, "
    "blocked_until = CASE WHEN blocked_until = $2 THEN 0 ELSE blocked_until END WHERE throttle_key = $1"};
constexpr Query kClearThrottle{"auth.clear_throttle", "DELETE FROM login_throttle WHERE throttle_key = $1"};
constexpr Query kClearThrottlePrefix{"auth.clear_throttle_prefix",
                                     "DELETE FROM login_throttle WHERE throttle_key LIKE $1"};
// The name of the sign-in's shared secret and the scope of its used challenges.
constexpr std::string_view kProofScope = "sign-in";
constexpr Query kCountFailures{"auth.count_failures",
                               "SELECT failures, updated_at FROM login_throttle WHERE throttle_key = $1"};

constexpr Query kInsertSecurityEvent{
    "auth.insert_security_event",
    "INSERT INTO security_events (id, at, event, user_id, centre_id, address, detail) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Query kForgetSecurityEvents{"auth.forget_security_events", "DELETE FROM security_events WHERE at < $1"};
#define FD_AUTH_EVENT_COLUMNS \
  "SELECT e.id, e.at, e.event, e.user_id, u.display_name, e.centre_id, e.address, e.detail " \
  "FROM security_events e LEFT JOIN users u ON u.id = e.user_id "
constexpr Query kListSecurityEvents{
    "auth.list_security_events",
    FD_AUTH_EVENT_COLUMNS "WHERE (e.at < $1 OR (e.at = $1 AND e.id < $2)) ORDER BY e.at DESC, e.id DESC LIMIT $3"};
constexpr Query kListCentreSecurityEvents{
    "auth.list_centre_security_events",
    FD_AUTH_EVENT_COLUMNS "WHERE e.centre_id = $4 AND (e.at < $1 OR (e.at = $1 AND e.id < $2)) "
                          "ORDER BY e.at DESC, e.id DESC LIMIT $3"};
#undef FD_AUTH_EVENT_COLUMNS

constexpr Query kInsertPasswordReset{
    "auth.insert_password_reset",
    "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)"};
constexpr Query kCountPasswordResets{"auth.count_password_resets",
                                     "SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at >= $2"};
constexpr Query kFindPasswordReset{
    "auth.find_password_reset",
    "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"};
constexpr Query kConsumePasswordReset{
    "auth.consume_password_reset",
    "DELETE FROM password_resets WHERE token_hash = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > $3 "
    "RETURNING user_id"};
// A new password ends every link of the user still out (issue 7: a second link, or one asked for
// before the password was remembered or reset by an admin, does not work afterwards).
constexpr Query kDeleteUserPasswordResets{"auth.delete_user_password_resets",
                                          "DELETE FROM password_resets WHERE user_id = $1"};
constexpr Query kForgetPasswordResets{"auth.forget_password_resets",
                                      "DELETE FROM password_resets WHERE expires_at < $1"};

#undef FD_AUTH_USER_COLUMNS

Result<User> RowToUser(const db::Row& row, std::size_t first = 0) {
  User u;
  u.id = row.Text(first + 0);
  u.email = row.Text(first + 1);
  u.display_name = row.Text(first + 2);
  std::optional<Role> role = ParseRole(row.Text(first + 3));
  if (!role) {
    return Fail(Error::Internal("auth: a user row has an unknown role"));
  }
  u.role = *role;
  u.centre_id = row.OptText(first + 4);
  u.centre_name = row.OptText(first + 5);
  // Coordinators carry their own state; everyone else has the state of their centre.
  u.state = row.IsNull(first + 7) ? row.OptText(first + 6) : row.OptText(first + 7);
  u.language = row.Text(first + 8);
  u.password_hash = row.Text(first + 9);
  u.disabled = row.Bool(first + 10);
  u.totp_secret = row.OptText(first + 11);
  u.totp_pending_secret = row.OptText(first + 12);
  u.totp_last_step = row.OptInt(first + 13);
  u.must_change_password = row.Bool(first + 14);
  return u;
}

Result<std::optional<User>> MaybeUser(const std::optional<db::Row>& row) {
  if (!row) {
    return std::optional<User>{};
  }
  User u = FD_TRY(RowToUser(*row));
  return std::optional<User>{std::move(u)};
}

Value StateColumn(const User& user) {
  // Only coordinators store a state of their own; the others take their centre's.
  return user.role == Role::kStateCoordinator ? db::Opt(user.state) : db::Null();
}

// The sessions found by token, kept per process so that a signed-in request does not read its
// session from the database each time (issue 13: on PostgreSQL that read was a round trip and
// about a sixth of the database's work per case list). PostgreSQL only, and only while the
// database listener hears kSessionsChannel: migration 203's triggers announce every deleted
// session and every changed or deleted user or centre (whichever process, command or hand-written
// SQL did it), and each announcement empties the copy in every process. This process's own writes
// through the store empty it at once, before they answer. A copy is also read again after
// kSessionCacheSeconds, which bounds what a listener that lost its connection unnoticed (the
// listener tests it every 30 s) could miss. Touches (last_seen_at) are not announced: the copy of
// the process that touched is updated, the others read it again within kSessionCacheSeconds.
class SessionCache {
 public:
  explicit SessionCache(db::Database& db) : db_(db), state_(std::make_shared<State>()) {}

  /// The copy of `token_hash`, while it is fresh and changes are heard.
  std::optional<SessionWithUser> Find(std::string_view token_hash) {
    if (!Usable()) return std::nullopt;
    std::lock_guard lock(state_->mu);
    auto it = state_->entries.find(token_hash);
    if (it == state_->entries.end()) return std::nullopt;
    if (Clock::now() - it->second.fetched > std::chrono::seconds(kSessionCacheSeconds)) {
      state_->entries.erase(it);
      return std::nullopt;
    }
    return it->second.value;
  }

  /// Taken before reading a session from the database; Keep stores what was read only if nothing
  /// was announced or written in between.
  std::uint64_t Ticket() {
    std::lock_guard lock(state_->mu);
    return state_->generation;
  }

  void Keep(std::uint64_t ticket, std::string_view token_hash, const SessionWithUser& found) {
    if (!Usable()) return;
    std::lock_guard lock(state_->mu);
    if (ticket != state_->generation) return;
    if (state_->entries.size() >= kMaxEntries) state_->entries.clear();
    state_->entries.insert_or_assign(std::string(token_hash), Entry{found, Clock::now()});
  }

  /// This process wrote users, sessions or anything else of the store: every copy goes.
  void Forget() { state_->Forget(); }

  /// This process touched a session: its copies carry the new last_seen_at.
  void Touched(std::string_view session_id, std::int64_t now) {
    std::lock_guard lock(state_->mu);
    for (auto& [hash, entry] : state_->entries) {
      if (entry.value.session.id == session_id) entry.value.session.last_seen_at = now;
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxEntries = 10000;
  struct TokenHash {  // looked up by a string_view, without a copy
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
  };
  struct Entry {
    SessionWithUser value;
    Clock::time_point fetched;
  };
  struct State {
    std::mutex mu;
    std::uint64_t generation = 0;
    std::unordered_map<std::string, Entry, TokenHash, std::equal_to<>> entries;
    void Forget() {
      std::lock_guard lock(mu);
      ++generation;
      entries.clear();
    }
  };

  bool Usable() {
    if (db_.backend() != db::Backend::kPostgres) return false;
    std::call_once(subscribed_, [&] {
      // The callback may outlive this object (it runs until the database goes): it holds the state.
      db::Subscribe(db_, std::string(kSessionsChannel), [state = state_] { state->Forget(); });
    });
    return db::Listening(db_, kSessionsChannel);
  }

  db::Database& db_;
  std::shared_ptr<State> state_;
  std::once_flag subscribed_;
};

class SqlStore final : public Store {
 public:
  explicit SqlStore(db::Database& database) : db_(database), sessions_(database) {}

  Result<std::optional<User>> FindUserByEmail(std::string_view email) override {
    std::optional<User> out;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      auto row = FD_TRY(s.MaybeOne(kFindUserByEmail, {Value{std::string(email)}}));
      out = FD_TRY(MaybeUser(row));
      return {};
    }));
    return out;
  }

  Result<std::optional<User>> FindUserById(std::string_view id) override {
    std::optional<User> out;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      auto row = FD_TRY(s.MaybeOne(kFindUserById, {Value{std::string(id)}}));
      out = FD_TRY(MaybeUser(row));
      return {};
    }));
    return out;
  }

  Result<std::vector<User>> ListUsers(const std::optional<std::string>& centre_id, std::string_view after_id,
                                      int limit) override {
    std::vector<User> out;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      db::Rows rows;
      if (centre_id) {
        rows = FD_TRY(s.Query(kListCentreUsers,
                              {Value{*centre_id}, Value{std::string(after_id)}, Value{std::int64_t{limit}}}));
      } else {
        rows = FD_TRY(s.Query(kListUsers, {Value{std::string(after_id)}, Value{std::int64_t{limit}}}));
      }
      for (const db::Row& row : rows) {
        out.push_back(FD_TRY(RowToUser(row)));
      }
      return {};
    }));
    return out;
  }

  Result<std::int64_t> CountUsers() override { return Count(kCountUsers, {}); }

  Result<bool> InsertUser(const User& user, std::int64_t now, const AuditHook& audit) override {
    std::int64_t changed = 0;
    FD_TRY_VOID(Write([&](db::Session& s) -> Status {
      changed = FD_TRY(s.Exec(kInsertUser, {Value{user.id}, Value{user.email}, Value{user.display_name},
                                            Value{std::string(RoleName(user.role))}, db::Opt(user.centre_id),
                                            StateColumn(user), Value{user.language}, Value{user.password_hash},
                                            Value{std::int64_t{user.disabled ? 1 : 0}}, Value{now},
                                            Value{std::int64_t{user.must_change_password ? 1 : 0}}}));
      if (changed == 1 && audit) FD_TRY_VOID(audit(s));
      return {};
    }));
    return changed == 1;
  }

  Status UpdateUser(const User& user, std::int64_t now, const AuditHook& audit) override {
    return Write([&](db::Session& s) -> Status {
      FD_TRY(s.Exec(kUpdateUser, {Value{user.id}, Value{user.display_name}, Value{std::string(RoleName(user.role))},
                                  db::Opt(user.centre_id), StateColumn(user), Value{user.language},
                                  Value{std::int64_t{user.disabled ? 1 : 0}}, Value{now},
                                  Value{std::int64_t{user.must_change_password ? 1 : 0}}}));
      if (audit) FD_TRY_VOID(audit(s));
      return {};
    });
  }

  Status SetPasswordHashEndingSessions(std::string_view user_id, std::string_view hash, std::int64_t now,
                                       std::string_view keep_session_id, bool must_change,
                                       const AuditHook& audit) override {
    return Write([&](db::Session& s) -> Status {
      const Value id{std::string(user_id)};
      FD_TRY(s.Exec(kSetPasswordHash, {id, Value{std::string(hash)}, Value{now}, Value{std::int64_t{must_change ? 1 : 0}}}));
      FD_TRY(s.Exec(kDeleteUserSessions, {id, Value{std::string(keep_session_id)}}));
      FD_TRY(s.Exec(kDeleteUserPasswordResets, {id}));
      if (audit) FD_TRY_VOID(audit(s));
      return {};
    });
  }

  Result<bool> SetPasswordWithReset(std::string_view token_hash, std::string_view user_id, std::string_view hash,
                                    std::int64_t now, const AuditHook& audit) override {
    bool used = false;
    FD_TRY_VOID(Write([&](db::Session& s) -> Status {
      const Value id{std::string(user_id)};
      if (!FD_TRY(s.MaybeOne(kConsumePasswordReset, {Value{std::string(token_hash)}, id, Value{now}}))) return {};
      used = true;
      FD_TRY(s.Exec(kSetPasswordHash, {id, Value{std::string(hash)}, Value{now}, Value{std::int64_t{0}}}));
      FD_TRY(s.Exec(kDeleteUserSessions, {id, Value{std::string()}}));
      FD_TRY(s.Exec(kDeleteUserPasswordResets, {id}));
      if (audit) FD_TRY_VOID(audit(s));
      return {};
    }));
    return used;
  }

  Result<bool> CentreExists(std::string_view centre_id) override {
    std::int64_t n = FD_TRY(Count(kCentreExists, {Value{std::string(centre_id)}}));
    return n > 0;
  }

  Status SetTotpPending(std::string_view user_id, const std::optional<std::string>& secret) override {
    return Exec(kSetTotpPending, {Value{std::string(user_id)}, db::Opt(secret)});
  }

  Status EnableTotp(std::string_view user_id, std::string_view secret, std::int64_t step,
                    const std::vector<std::string>& recovery_code_hashes) override {
    return Write([&](db::Session& s) -> Status {
      const Value id{std::string(user_id)};
      FD_TRY(s.Exec(kEnableTotp, {id, Value{std::string(secret)}, Value{step}}));
      FD_TRY(s.Exec(kDeleteRecoveryCodes, {id}));
      for (const std::string& hash : recovery_code_hashes) {
        FD_TRY(s.Exec(kInsertRecoveryCode, {id, Value{hash}}));
      }
      return {};
    });
  }

  Status DisableTotp(std::string_view user_id, const AuditHook& audit) override {
    return Write([&](db::Session& s) -> Status {
      const Value id{std::string(user_id)};
      FD_TRY(s.Exec(kDisableTotp, {id}));
      FD_TRY(s.Exec(kDeleteRecoveryCodes, {id}));
      if (audit) FD_TRY_VOID(audit(s));
      return {};
    });
  }

  Result<bool> ClaimTotpStep(std::string_view user_id, std::int64_t step) override {
    std::int64_t changed = FD_TRY(ExecCount(kClaimTotpStep, {Value{std::string(user_id)}, Value{step}}));
    return changed == 1;
  }

  Result<bool> UseRecoveryCode(std::string_view user_id, std::string_view code_hash, std::int64_t now) override {
    std::int64_t changed =
        FD_TRY(ExecCount(kUseRecoveryCode, {Value{std::string(user_id)}, Value{std::string(code_hash)}, Value{now}}));
    return changed == 1;
  }

  Result<std::int64_t> CountUnusedRecoveryCodes(std::string_view user_id) override {
    return Count(kCountRecoveryCodes, {Value{std::string(user_id)}});
  }

  Result<std::vector<std::string>> UnusedRecoveryCodes(std::string_view user_id) override {
    std::vector<std::string> out;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      for (const db::Row& row : FD_TRY(s.Query(kUnusedRecoveryCodes, {Value{std::string(user_id)}}))) {
        out.push_back(row.Text(0));
      }
      return {};
    }));
    return out;
  }

  Status InsertSession(const SessionRecord& r) override {
    return Exec(kInsertSession, {Value{r.id}, Value{r.token_hash}, Value{r.user_id}, Value{r.csrf_token},
                                 Value{r.created_at}, Value{r.last_seen_at}, Value{r.expires_at}});
  }

  Result<std::optional<SessionWithUser>> FindSession(std::string_view token_hash) override {
    std::optional<SessionWithUser> out = sessions_.Find(token_hash);
    if (out) return out;
    const std::uint64_t ticket = sessions_.Ticket();
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      auto row = FD_TRY(s.MaybeOne(kFindSession, {Value{std::string(token_hash)}}));
      if (!row) {
        return {};
      }
      SessionWithUser r;
      r.session.id = row->Text(0);
      r.session.token_hash = row->Text(1);
      r.session.user_id = row->Text(2);
      r.session.csrf_token = row->Text(3);
      r.session.created_at = row->Int(4);
      r.session.last_seen_at = row->Int(5);
      r.session.expires_at = row->Int(6);
      r.user = FD_TRY(RowToUser(*row, 7));
      out = std::move(r);
      return {};
    }));
    if (out) sessions_.Keep(ticket, token_hash, *out);
    return out;
  }

  Status TouchSession(std::string_view session_id, std::int64_t now) override {
    // Not through Write: a touch changes nothing that the copies answer for but last_seen_at.
    FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
      FD_TRY(s.Exec(kTouchSession, {Value{std::string(session_id)}, Value{now}}));
      return {};
    }));
    sessions_.Touched(session_id, now);
    return {};
  }

  Status DeleteSession(std::string_view session_id) override {
    return Exec(kDeleteSession, {Value{std::string(session_id)}});
  }

  Status DeleteUserSessions(std::string_view user_id, std::string_view keep_session_id) override {
    return Exec(kDeleteUserSessions, {Value{std::string(user_id)}, Value{std::string(keep_session_id)}});
  }

  Status DeleteStaleSessions(std::int64_t idle_before, std::int64_t now) override {
    return Exec(kDeleteStaleSessions, {Value{idle_before}, Value{now}});
  }

  Result<std::int64_t> CountActiveSessions(std::int64_t idle_before, std::int64_t now) override {
    return Count(kCountActiveSessions, {Value{idle_before}, Value{now}});
  }

  Result<AttemptClaim> ClaimAttempt(std::span<const ThrottleCounter> counters, std::int64_t now,
                                    std::int64_t reset_before) override {
    AttemptClaim claim;
    Status written = Write([&](db::Session& s) -> Status {
      for (const ThrottleCounter& counter : counters) {
        const Value key{counter.key};
        auto counted = FD_TRY(s.MaybeOne(kCountAttempt, {key, Value{now}, Value{reset_before}}));
        if (!counted) {
          auto blocked = FD_TRY(s.MaybeOne(kBlockedUntil, {key}));
          claim.refused_until = blocked ? blocked->Int(0) : now;
          // Rolls back what this attempt counted against the counters before this one.
          return Fail(Error{ErrorKind::kTooManyRequests, "auth: sign-in attempt refused by the throttle"});
        }
        std::int64_t blocked_until = 0;
        if (const std::int64_t delay = counter.block_seconds(counted->Int(0)); delay > 0) {
          blocked_until = now + delay;
          FD_TRY(s.Exec(kSetBlockedUntil, {key, Value{blocked_until}}));
        }
        claim.set_blocked_until.push_back(blocked_until);
      }
      return {};
    });
    if (claim.refused_until) {
      claim.set_blocked_until.clear();
      return claim;
    }
    FD_TRY_VOID(written);
    return claim;
  }

  Status ReleaseAttempt(std::string_view key, std::int64_t set_blocked_until) override {
    return Exec(kReleaseAttempt, {Value{std::string(key)}, Value{set_blocked_until}});
  }

  Status ClearThrottle(std::string_view key) override { return Exec(kClearThrottle, {Value{std::string(key)}}); }

  Status ClearThrottlePrefix(std::string_view prefix) override {
    return Exec(kClearThrottlePrefix, {Value{std::string(prefix) + "%"}});
  }

  Result<std::string> ProofSecret(const crypto::Keyring& keyring) override {
    return cluster::SharedSecret(db_, keyring, kProofScope);
  }

  Result<bool> UseChallenge(std::string_view challenge, std::int64_t expires_at) override {
    bool fresh = false;
    FD_TRY_VOID(Write([&](db::Session& s) -> Status {
      fresh = FD_TRY(cluster::UseChallenge(s, kProofScope, challenge, expires_at));
      return {};
    }));
    return fresh;
  }

  Result<std::vector<std::int64_t>> CountFailures(std::span<const std::string> keys, std::int64_t reset_before) override {
    std::vector<std::int64_t> out;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      for (const std::string& key : keys) {
        auto row = FD_TRY(s.MaybeOne(kCountFailures, {Value{key}}));
        out.push_back(row && row->Int(1) >= reset_before ? row->Int(0) : 0);
      }
      return {};
    }));
    return out;
  }

  Status InsertSecurityEvent(const SecurityEvent& e, std::int64_t forget_before) override {
    return Write([&](db::Session& s) -> Status {
      FD_TRY(s.Exec(kInsertSecurityEvent, {Value{e.id}, Value{e.at}, Value{e.event}, db::Opt(e.user_id),
                                           db::Opt(e.centre_id), Value{e.address}, Value{e.detail}}));
      FD_TRY(s.Exec(kForgetSecurityEvents, {Value{forget_before}}));
      return {};
    });
  }

  Result<std::vector<SecurityEvent>> ListSecurityEvents(const std::optional<std::string>& centre_id,
                                                        std::optional<std::pair<std::int64_t, std::string>> before,
                                                        int limit) override {
    std::vector<SecurityEvent> out;
    const Value at{before ? before->first : std::numeric_limits<std::int64_t>::max()};
    const Value id{before ? before->second : std::string()};
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      db::Rows rows;
      if (centre_id) {
        rows = FD_TRY(s.Query(kListCentreSecurityEvents, {at, id, Value{std::int64_t{limit}}, Value{*centre_id}}));
      } else {
        rows = FD_TRY(s.Query(kListSecurityEvents, {at, id, Value{std::int64_t{limit}}}));
      }
      for (const db::Row& row : rows) {
        SecurityEvent e;
        e.id = row.Text(0);
        e.at = row.Int(1);
        e.event = row.Text(2);
        e.user_id = row.OptText(3);
        e.user_name = row.OptText(4);
        e.centre_id = row.OptText(5);
        e.address = row.Text(6);
        e.detail = row.Text(7);
        out.push_back(std::move(e));
      }
      return {};
    }));
    return out;
  }

  Status InsertPasswordReset(std::string_view token_hash, std::string_view user_id, std::int64_t now,
                             std::int64_t expires_at) override {
    return Write([&](db::Session& s) -> Status {
      FD_TRY(s.Exec(kForgetPasswordResets, {Value{now}}));
      FD_TRY(s.Exec(kInsertPasswordReset, {Value{std::string(token_hash)}, Value{std::string(user_id)}, Value{now},
                                           Value{expires_at}}));
      return {};
    });
  }

  Result<std::int64_t> CountPasswordResets(std::string_view user_id, std::int64_t since) override {
    return Count(kCountPasswordResets, {Value{std::string(user_id)}, Value{since}});
  }

  Result<std::optional<std::string>> FindPasswordReset(std::string_view token_hash, std::int64_t now) override {
    std::optional<std::string> out;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      auto row = FD_TRY(s.MaybeOne(kFindPasswordReset, {Value{std::string(token_hash)}, Value{now}}));
      if (row) out = row->Text(0);
      return {};
    }));
    return out;
  }

 private:
  // Every write of the store: the session copies go once it is over (also when it failed: it may
  // have committed before the answer was lost).
  Status Write(const std::function<Status(db::Session&)>& fn) {
    Status status = db_.Write(fn);
    sessions_.Forget();
    return status;
  }

  Status Exec(const Query& q, std::initializer_list<Value> params) {
    std::vector<Value> p(params);
    return Write([&](db::Session& s) -> Status {
      FD_TRY(s.Exec(q, p));
      return {};
    });
  }

  Result<std::int64_t> ExecCount(const Query& q, std::initializer_list<Value> params) {
    std::vector<Value> p(params);
    std::int64_t changed = 0;
    FD_TRY_VOID(Write([&](db::Session& s) -> Status {
      changed = FD_TRY(s.Exec(q, p));
      return {};
    }));
    return changed;
  }

  Result<std::int64_t> Count(const Query& q, std::initializer_list<Value> params) {
    std::vector<Value> p(params);
    std::int64_t n = 0;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      db::Row row = FD_TRY(s.One(q, p));
      n = row.Int(0);
      return {};
    }));
    return n;
  }

  db::Database& db_;
  SessionCache sessions_;
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore(db::Database& database) { return std::make_unique<SqlStore>(database); }

}  // namespace fairdesk::auth
