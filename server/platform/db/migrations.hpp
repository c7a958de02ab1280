#pragma once
/// Versioned schema migrations. Each module contributes its migrations with versions from its own
/// range (directory 100-199, auth 200-299, audit 300-349, clients and cases 400-499, ...), so that a module's tables come
/// after the tables it refers to. `fairdesk migrate` and start-up apply the missing ones in
/// version order, each in its own transaction, and record them in schema_migrations.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "platform/db/database.hpp"

namespace fairdesk::db {

struct Migration {
  int version;
  std::string_view name;
  std::string_view postgres_sql;
  std::string_view sqlite_sql;  // empty: the PostgreSQL text works unchanged on SQLite
};

/// Applies every migration not yet recorded; answers the versions it applied.
Result<std::vector<int>> Migrate(Database& db, std::span<const Migration> migrations);

/// The versions recorded in schema_migrations, read without changing anything; nullopt when the
/// database has no schema_migrations table (a new, empty database, or not a fairdesk one).
Result<std::optional<std::vector<int>>> AppliedVersions(Database& db);

}  // namespace fairdesk::db
