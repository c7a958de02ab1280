#include "platform/db/migrations.hpp"

#include <algorithm>
#include <ctime>
#include <set>
#include <string>

namespace fairdesk::db {

namespace {

// Serialises migrations of concurrent start-ups on PostgreSQL. The lock is transaction-scoped,
// so it is released by COMMIT or ROLLBACK and never leaks with a pooled connection. The key is
// an arbitrary constant ("fdmg"); it also serialises migrations of unrelated schemas in the same
// database, which costs nothing worth mentioning.
constexpr std::int64_t kMigrationLockKey = 0x66646d67;

constexpr Query kCreateTable{
    "migrations.create_table",
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
};
constexpr Query kLock{"migrations.lock", "SELECT pg_advisory_xact_lock($1)"};
constexpr Query kApplied{"migrations.applied", "SELECT version FROM schema_migrations ORDER BY version"};
constexpr Query kIsApplied{"migrations.is_applied", "SELECT 1 FROM schema_migrations WHERE version = $1"};
constexpr Query kRecord{
    "migrations.record",
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
};

constexpr Query kHasTable{"migrations.has_table",
                          "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                          "AND table_name = 'schema_migrations'",
                          "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"};

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Status LockIfPostgres(Session& s) {
  if (s.backend() == Backend::kPostgres) {
    FD_TRY(s.Query(kLock, {Value{kMigrationLockKey}}));
  }
  return {};
}

}  // namespace

Result<std::optional<std::vector<int>>> AppliedVersions(Database& db) {
  std::optional<std::vector<int>> out;
  FD_TRY_VOID(db.Read([&](Session& s) -> Status {
    if (FD_TRY(s.One(kHasTable, {})).Int(0) == 0) return {};
    out.emplace();
    for (const auto& r : FD_TRY(s.Query(kApplied, {}))) out->push_back(static_cast<int>(r.Int(0)));
    return {};
  }));
  return out;
}

Result<std::vector<int>> Migrate(Database& db, std::span<const Migration> migrations) {
  std::vector<const Migration*> ordered;
  ordered.reserve(migrations.size());
  for (const Migration& m : migrations) {
    ordered.push_back(&m);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    if (ordered[i]->version <= 0 || (i > 0 && ordered[i]->version == ordered[i - 1]->version)) {
      return Fail(Error::Internal("migrations: version " + std::to_string(ordered[i]->version) +
                                  " is not positive or not unique"));
    }
  }

  // Creating the table takes the lock too: two PostgreSQL sessions running CREATE TABLE IF NOT
  // EXISTS at the same moment can both miss the table and one then fails on the catalog.
  FD_TRY_VOID(db.Write([](Session& s) -> Status {
    FD_TRY_VOID(LockIfPostgres(s));
    FD_TRY(s.Exec(kCreateTable));
    return {};
  }));

  std::set<std::int64_t> applied;
  FD_TRY_VOID(db.Read([&](Session& s) -> Status {
    Rows rows = FD_TRY(s.Query(kApplied));
    for (const Row& row : rows) {
      applied.insert(row.Int(0));
    }
    return {};
  }));

  std::vector<int> done;
  for (const Migration* m : ordered) {
    if (applied.contains(m->version)) {
      continue;
    }
    bool applied_here = false;
    Status status = db.Write([&](Session& s) -> Status {
      FD_TRY_VOID(LockIfPostgres(s));
      // Checked again under the lock (PostgreSQL) or the writer lock (SQLite): another process may
      // have applied it since we read the list.
      if (FD_TRY(s.MaybeOne(kIsApplied, {Value{std::int64_t{m->version}}}))) {
        return {};
      }
      const std::string_view sql = (s.backend() == Backend::kSqlite && !m->sqlite_sql.empty())
                                       ? m->sqlite_sql
                                       : m->postgres_sql;
      FD_TRY_VOID(s.ExecScript(sql));
      FD_TRY(s.Exec(kRecord, {Value{std::int64_t{m->version}}, Value{std::string(m->name)}, Value{UtcNow()}}));
      applied_here = true;
      return {};
    });
    if (!status) {
      Error e = std::move(status.error());
      e.internal = "migration " + std::to_string(m->version) + " (" + std::string(m->name) +
                   ") failed: " + e.internal;
      return Fail(std::move(e));
    }
    if (applied_here) {
      done.push_back(m->version);
    }
  }
  return done;
}

}  // namespace fairdesk::db
