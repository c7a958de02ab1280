#include <array>

#include "auth/auth.hpp"

namespace fairdesk::auth {
namespace {

// Portable between SQLite and PostgreSQL: TEXT ids, BIGINT unix seconds, INTEGER 0/1 booleans.
// users.state holds the federal state of state coordinators, who belong to no centre; for
// everyone else the state comes from their centre. totp_secret and totp_pending_secret hold
// Keyring text (sealed by the service, listed in auth::EncryptedColumns()); this project never
// stored them in plaintext, so no migration of old values exists or is needed.
constexpr std::string_view kInitial = R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  centre_id TEXT REFERENCES centres(id),
  state TEXT,
  language TEXT NOT NULL DEFAULT 'de',
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  totp_secret TEXT,
  totp_pending_secret TEXT,
  totp_last_step BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX users_centre ON users (centre_id);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures BIGINT NOT NULL,
  blocked_until BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
)sql";

// Issue 8 and issue 7: one-time passwords, the security log (sign-ins and failures with the
// client address, 90 days), password reset links (only the token's hash is stored).
constexpr std::string_view kSecurity = R"sql(
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
CREATE TABLE security_events (
  id TEXT PRIMARY KEY,
  at BIGINT NOT NULL,
  event TEXT NOT NULL,
  user_id TEXT,
  centre_id TEXT,
  address TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX security_events_at ON security_events (at, id);
CREATE INDEX security_events_centre ON security_events (centre_id, at);
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
)sql";

// Issue 13: sign-in through the organisation's identity provider (OpenID Connect). One settings
// row (the client secret sealed with the Keyring), the login attempts between the redirect to the
// provider and its callback (ten minutes, used once; the state is stored only as its hash), and
// the link of a provider identity (issuer, subject) to a user.
constexpr std::string_view kOidc = R"sql(
CREATE TABLE oidc_settings (
  id TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL,
  label TEXT NOT NULL,
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_secret TEXT,
  auth_method TEXT NOT NULL,
  scopes TEXT NOT NULL,
  rules TEXT NOT NULL,
  session_minutes BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE oidc_logins (
  state_hash TEXT PRIMARY KEY,
  binding_hash TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL,
  issuer TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);
CREATE TABLE oidc_identities (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  last_sign_in_at BIGINT NOT NULL,
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);
)sql";

// Issue 13: each app server keeps the sessions it found (auth/sql_store.cpp, PostgreSQL only);
// these triggers tell every server when a copy may be wrong, whoever changed the rows (a server,
// a command, SQL by hand). Touches (UPDATE sessions) are not announced. SQLite: one server and no
// listener, so nothing is kept and nothing announced.
constexpr std::string_view kSessionNotices = R"sql(
CREATE FUNCTION fairdesk_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed) THEN
    PERFORM pg_notify('fairdesk_sessions', '');
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION fairdesk_sessions_changed();
CREATE TRIGGER users_updated AFTER UPDATE ON users REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION fairdesk_sessions_changed();
CREATE TRIGGER users_deleted AFTER DELETE ON users REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION fairdesk_sessions_changed();
CREATE TRIGGER centres_updated AFTER UPDATE ON centres REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION fairdesk_sessions_changed();
CREATE TRIGGER centres_deleted AFTER DELETE ON centres REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION fairdesk_sessions_changed();
)sql";

constexpr std::array kMigrations = {
    db::Migration{200, "auth: users, sessions, recovery codes, login throttling", kInitial, {}},
    db::Migration{201, "auth: one-time passwords, security events, password reset links", kSecurity, {}},
    db::Migration{202, "auth: OpenID Connect settings, login attempts, linked identities", kOidc, {}},
    db::Migration{203, "auth: announce changed sessions, users and centres (PostgreSQL)", kSessionNotices,
                  "SELECT 1;"},
};

}  // namespace

std::span<const db::Migration> Migrations() { return kMigrations; }

}  // namespace fairdesk::auth
