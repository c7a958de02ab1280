#pragma once
/// Moving whole databases: `fairdesk backup`, `fairdesk restore`, `fairdesk backup verify` and
/// `fairdesk copy --from URL --to URL` (docs/OPERATIONS.md).
///
/// Everything is generic over the tables the database has: the table list, columns and foreign
/// keys come from the catalog (SQLite's sqlite_master/pragmas, PostgreSQL's catalogs), so tables
/// that new modules add are backed up and copied without code here. Tables are visited parents
/// first (foreign-key order). The source is read in ONE snapshot (SQLite: one read transaction
/// in WAL mode; PostgreSQL: one REPEATABLE READ READ ONLY transaction), so a backup or copy taken
/// while the server writes is consistent: every audited change is there with its audit entry,
/// or neither is.
///
/// The target of a restore or copy must be empty (no tables at all). It is migrated to exactly
/// the schema versions of the source, filled, and then migrated to this binary's schema.
///
/// A backup file is text, one JSON value per line: a header (format, version, the source's
/// schema versions), then per table a header line, its rows (arrays; text as strings, blobs as
/// {"b64": "..."}, NULL as null) and a trailer with the row count, and last a line with the
/// SHA-256 of everything before it. Encrypted columns stay encrypted: a backup holds no key.

#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::ops {

/// Tables that hold only data derived from other tables in a dialect-specific form (search
/// indexes): not backed up or copied, rebuilt by `rebuild` on the filled target instead.
struct Derived {
  std::vector<std::string> tables;
  std::function<Status(db::Database&)> rebuild;
};

struct TransferReport {
  int tables = 0;
  std::int64_t rows = 0;
  std::vector<std::pair<std::string, std::int64_t>> per_table;  // in the order written
};

/// Writes a backup of `source` (read in one snapshot) to `out` (created; refuses to overwrite).
Result<TransferReport> Backup(db::Database& source, const std::filesystem::path& out, const Derived& derived = {});

/// Restores the backup file into `target`, which must be empty; `migrations` are this binary's.
Result<TransferReport> Restore(const std::filesystem::path& in, db::Database& target,
                               std::span<const db::Migration> migrations, const Derived& derived = {});

/// Copies every table of `source` (one snapshot) into the empty `target`.
Result<TransferReport> Copy(db::Database& source, db::Database& target, std::span<const db::Migration> migrations,
                            const Derived& derived = {});

struct BackupCheck {
  TransferReport contents;
  std::int64_t audit_entries = 0;
  std::string audit_head_hash;
};

/// Reads a backup file completely: its format, every line, the row counts, the checksum, and
/// the audit hash chain inside it. Fails naming the first problem.
Result<BackupCheck> VerifyBackup(const std::filesystem::path& in);

/// Every table of `db` with its row count (parents first), for comparisons in tests and after a
/// copy; `skip_bookkeeping` leaves out schema_migrations.
Result<std::vector<std::pair<std::string, std::int64_t>>> CountRows(db::Database& db);

/// Writes `passphrase`-sealed copy of the key folder `<state_dir>/keys` to `out` (Argon2id key
/// derivation, XChaCha20-Poly1305), and restores it into an empty or missing key folder.
Status BackupKeys(const std::filesystem::path& state_dir, const std::filesystem::path& out, std::string_view passphrase);
Result<int> RestoreKeys(const std::filesystem::path& in, const std::filesystem::path& state_dir,
                        std::string_view passphrase);

}  // namespace fairdesk::ops
