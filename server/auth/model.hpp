#pragma once
/// The records of the auth module. Secrets (password hash, TOTP secret) live only here and in the
/// store; routes map users to JSON field by field and never serialise these structs wholesale.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/access.hpp"

namespace fairdesk::auth {

struct User {
  std::string id;
  std::string email;  // normalised: trimmed, ASCII lower case
  std::string display_name;
  Role role = Role::kAdvisor;
  std::optional<std::string> centre_id;
  std::optional<std::string> centre_name;  // joined from centres
  /// The federal state: the centre's state, or the users.state column for state coordinators.
  std::optional<std::string> state;
  std::string language = "de";
  std::string password_hash;
  bool disabled = false;
  // The TOTP secrets as stored: Keyring text (the base32 secret sealed with the associated data
  // AssociatedData("users", <column>, id)); the service seals and opens them.
  std::optional<std::string> totp_secret;          // set once enrolment is confirmed
  std::optional<std::string> totp_pending_secret;  // between POST /me/totp and confirm
  std::optional<std::int64_t> totp_last_step;      // last accepted TOTP time step (no replay)
  /// The password was chosen by an administrator (or generated): the next sign-in must set a new
  /// one before anything else (issue 8 #9, issue 7).
  bool must_change_password = false;

  bool TotpEnabled() const { return totp_secret.has_value(); }
  /// Accounts provisioned by OpenID Connect carry this instead of a password hash: no password
  /// verifies against it, and the second factor is the identity provider's business.
  static constexpr std::string_view kFederatedPasswordHash = "!oidc";
  bool Federated() const { return password_hash == kFederatedPasswordHash; }
};

/// A security event (issue 8 #11): sign-ins, failed sign-ins and changes to an account's
/// credentials, with the client address as seen through the trusted proxies. Readable by admins
/// (all) and centre leads (their centre's users); kept for 90 days.
struct SecurityEvent {
  std::string id;
  std::int64_t at = 0;
  std::string event;  // sign_in, sign_in_failed, sign_in_throttled, password_changed, ...
  std::optional<std::string> user_id;
  std::optional<std::string> user_name;  // joined from users
  std::optional<std::string> centre_id;
  std::string address;
  std::string detail;  // a reason code ("password", "totp", "unknown", ...), never personal data
};

struct SessionRecord {
  std::string id;
  std::string token_hash;  // Sha256Hex of the cookie token; the token itself is never stored
  std::string user_id;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;  // absolute end
};

struct SessionWithUser {
  SessionRecord session;
  User user;
};

}  // namespace fairdesk::auth
