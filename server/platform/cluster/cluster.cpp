#include "platform/cluster/cluster.hpp"

#include "platform/crypto/crypto.hpp"

namespace fairdesk::cluster {
namespace {

constexpr std::string_view kSecretsTable = "shared_secrets";
constexpr std::string_view kSecretColumn = "value_enc";

constexpr db::Migration kMigrations[] = {
    {90, "shared state of the app servers: secrets, used challenges", R"SQL(
CREATE TABLE shared_secrets (
  name TEXT PRIMARY KEY,
  value_enc TEXT NOT NULL
);
CREATE TABLE used_challenges (
  scope TEXT NOT NULL,
  challenge TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (scope, challenge)
);
CREATE INDEX used_challenges_expiry ON used_challenges (expires_at);
)SQL",
     {}},
};

constexpr db::Query kReadSecret{"cluster.read_secret", "SELECT value_enc FROM shared_secrets WHERE name = $1"};
constexpr db::Query kAddSecret{"cluster.add_secret",
                               "INSERT INTO shared_secrets (name, value_enc) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"};
constexpr db::Query kUseChallenge{"cluster.use_challenge",
                                  "INSERT INTO used_challenges (scope, challenge, expires_at) VALUES ($1, $2, $3) "
                                  "ON CONFLICT (scope, challenge) DO NOTHING"};
constexpr db::Query kForgetChallenges{"cluster.forget_challenges", "DELETE FROM used_challenges WHERE expires_at < $1"};

}  // namespace

std::span<const db::Migration> Migrations() { return kMigrations; }

std::vector<crypto::EncryptedColumn> EncryptedColumns() {
  return {{std::string(kSecretsTable), "name", std::string(kSecretColumn), crypto::EncryptedColumn::Encoding::kBase64Text}};
}

Result<std::string> SharedSecret(db::Database& db, const crypto::Keyring& keyring, std::string_view name) {
  const std::string key(name);
  const std::string ad = crypto::AssociatedData(kSecretsTable, kSecretColumn, key);
  std::optional<std::string> sealed;
  FD_TRY_VOID(db.Write([&](db::Session& s) -> Status {
    if (auto row = FD_TRY(s.MaybeOne(kReadSecret, {key}))) {
      sealed = row->Text(0);
      return {};
    }
    FD_TRY_VOID(s.Exec(kAddSecret, {key, FD_TRY(keyring.EncryptToText(crypto::RandomToken(32), ad))}));
    // Another server may have stored its secret first: the stored one counts.
    if (auto row = FD_TRY(s.MaybeOne(kReadSecret, {key}))) sealed = row->Text(0);
    return {};
  }));
  if (!sealed) return Fail(Error::Internal("cluster: no shared secret " + key));
  return keyring.DecryptText(*sealed, ad);
}

Result<bool> UseChallenge(db::Session& s, std::string_view scope, std::string_view challenge, std::int64_t expires_at) {
  return FD_TRY(s.Exec(kUseChallenge, {std::string(scope), std::string(challenge), expires_at})) > 0;
}

Result<std::int64_t> ForgetExpiredChallenges(db::Database& db, std::int64_t now) {
  std::int64_t n = 0;
  FD_TRY_VOID(db.Write([&](db::Session& s) -> Status {
    n = FD_TRY(s.Exec(kForgetChallenges, {now}));
    return {};
  }));
  return n;
}

}  // namespace fairdesk::cluster
