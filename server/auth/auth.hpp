#pragma once
/// The auth module: sign-in, sessions, second factor (TOTP), login throttling, user
/// administration and the `fairdesk user` commands. What the app wires:
///
///   db::Migrate(db, auth::Migrations())              // after the directory's (centres) migrations
///   auth::Service auth_service(db, keyring, {.require_2fa = ..., .secure_cookies = ...});
///   auth::RegisterRoutes(router, auth_service);
///   http::Server server(options, router, auth::MakeAuthenticator(auth_service), metrics);
///   metrics.AddGauge("fairdesk_sessions_active", "...", [&] { return double(auth_service.ActiveSessions()); });
///   if (demo) auth_service.SeedDemoUsers();          // after the directory's demo centres
///   auth::RegisterCli(app, open_db);                 // `fairdesk user add|list|disable|enable|reset-password`

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "auth/service.hpp"
#include "platform/db/database.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/db/migrations.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"

namespace CLI {
class App;
}

namespace fairdesk::auth {

/// The session cookie's name.
constexpr std::string_view kSessionCookie = "fd_session";

/// Tables users, sessions, recovery_codes, login_throttle (versions 200-299). users.centre_id
/// refers to centres(id) of the directory module.
std::span<const db::Migration> Migrations();

/// The columns sealed with the Keyring (the TOTP secrets), for `fairdesk keys reencrypt`.
std::vector<crypto::EncryptedColumn> EncryptedColumns();

/// /api/v1/session, /api/v1/me (+ /password, /totp, /totp/confirm), /api/v1/users (+ /{id}).
void RegisterRoutes(http::Router& router, Service& service);

/// Resolves the fd_session cookie to a Principal and refreshes the session's idle timeout.
/// An expired or unknown session answers kUnauthenticated with slug "session-expired" (which the
/// server reports only on routes that need sign-in). With require_2fa, a user with case access
/// and no second factor gets 403 slug "totp-enrolment-required" on every route except
/// /api/v1/me, /api/v1/me/totp* and DELETE /api/v1/session: the authenticator sees the request's
/// method and path, and Principal has no field for "still has to enrol".
http::Authenticator MakeAuthenticator(Service& service);

/// `fairdesk user add|list|disable|enable|reset-password`. `open_db` must answer a migrated
/// database. Failures print one line on standard error and throw CLI::RuntimeError(1), so the
/// caller's `catch (const CLI::ParseError& e) { return app.exit(e); }` exits with 1.
void RegisterCli(CLI::App& root, std::function<Result<std::unique_ptr<db::Database>>()> open_db);

}  // namespace fairdesk::auth
