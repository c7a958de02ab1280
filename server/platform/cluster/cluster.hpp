#pragma once
/// State that every app server on one database must share, kept in the database (issue 13):
/// - shared secrets: a random secret per name, made by the first server that asks and sealed with
///   the keyring (every server has the same key files), read by the others; keys derived from it
///   sign what one server issues and another verifies (the sign-in's and the portal's proof-of-
///   work challenges, the portal's rate-limit pseudonyms). Only for what lives for minutes: a key
///   that stored data depends on (the case search's blind-index key, case_secrets) stays with
///   that data (docs/DECISIONS.md);
/// - used challenges: a solved challenge is marked used in one table, so that it serves once
///   across all servers, not once per process. Rows past their challenge's expiry are deleted by
///   the hourly `used-challenges` job (ops::JobRunner: one server per hour); they could not be
///   replayed anyway, since every challenge carries its expiry under the signature.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/error.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::cluster {

/// Tables shared_secrets and used_challenges (versions 90-99: before every module, which may use them).
std::span<const db::Migration> Migrations();

/// The sealed column (for `fairdesk keys reencrypt`).
std::vector<crypto::EncryptedColumn> EncryptedColumns();

/// The secret `name` (letters, digits and '-') shared by every app server on the database: 32
/// random bytes made by the first server that asks (INSERT ... ON CONFLICT DO NOTHING, so that
/// two servers starting together agree on the one stored first), sealed with `keyring`.
Result<std::string> SharedSecret(db::Database& db, const crypto::Keyring& keyring, std::string_view name);

/// Marks `challenge` of `scope` ("sign-in", "portal") used until `expires_at`, in the caller's
/// transaction. False when it already was, on this server or another one: a replay.
Result<bool> UseChallenge(db::Session& s, std::string_view scope, std::string_view challenge, std::int64_t expires_at);

/// Deletes the used challenges whose expiry is before `now`; answers how many.
Result<std::int64_t> ForgetExpiredChallenges(db::Database& db, std::int64_t now);

}  // namespace fairdesk::cluster
