// `fairdesk keys ...` and the re-encryption of every encrypted column (docs/OPERATIONS.md).

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

#include "documents/documents.hpp"
#include "platform/core/clock.hpp"

namespace fairdesk::documents {
namespace {

constexpr std::int64_t kBatch = 100;

bool IsIdentifier(std::string_view s) {
  return !s.empty() && s.size() <= 63 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

[[noreturn]] void Die(std::string_view what, const Error& e) {
  std::cerr << "fairdesk: " << what << ": " << e.detail;
  if (!e.internal.empty()) std::cerr << " (" << e.internal << ")";
  std::cerr << "\n";
  throw CLI::RuntimeError(1);
}

db::Blob ToBlob(std::string_view bytes) { return db::Blob{std::vector<unsigned char>(bytes.begin(), bytes.end())}; }

// One column: its statements (built once from the column's names, which come from code).
struct ColumnSql {
  std::string select;
  std::string update;
};

ColumnSql SqlFor(const crypto::EncryptedColumn& c) {
  // Only values under another key than the active one need work, but the key id sits inside the
  // value; selecting all and skipping in C++ keeps the SQL portable. The update compares with the
  // old value, so a concurrent write by the server wins.
  return {"SELECT " + c.id_column + ", " + c.column + " FROM " + c.table + " WHERE " + c.id_column + " > $1 AND " +
              c.column + " IS NOT NULL ORDER BY " + c.id_column + " LIMIT $2",
          "UPDATE " + c.table + " SET " + c.column + " = $2 WHERE " + c.id_column + " = $1 AND " + c.column + " = $3"};
}

// How many values of `columns` are sealed under `key_id`.
Result<std::int64_t> CountUnderKey(db::Database& database, const crypto::Keyring&, std::span<const crypto::EncryptedColumn> columns,
                                   std::uint32_t key_id) {
  std::int64_t count = 0;
  for (const auto& c : columns) {
    if (!IsIdentifier(c.table) || !IsIdentifier(c.id_column) || !IsIdentifier(c.column)) {
      return Fail(Error::Internal("keys: invalid column name in the list of encrypted columns"));
    }
    ColumnSql sql = SqlFor(c);
    const db::Query select{"keys.count_select", sql.select};
    std::string after;
    for (;;) {
      db::Rows rows;
      FD_TRY_VOID(database.Read([&](db::Session& s) -> Status {
        rows = FD_TRY(s.Query(select, {after, kBatch}));
        return {};
      }));
      if (rows.empty()) break;
      for (const auto& r : rows) {
        std::uint32_t id = 0;
        if (c.encoding == crypto::EncryptedColumn::Encoding::kBlob) {
          auto bytes = r.Bytes(1);
          id = crypto::Keyring::KeyIdOf(std::string_view(reinterpret_cast<const char*>(bytes.bytes.data()), bytes.bytes.size()));
        } else {
          id = crypto::Keyring::KeyIdOfText(r.Text(1));
        }
        if (id == key_id) ++count;
      }
      after = rows.back().Text(0);
    }
  }
  return count;
}

}  // namespace

std::span<const db::Migration> Migrations() { return StoreMigrations(); }

std::vector<crypto::EncryptedColumn> EncryptedColumns() {
  return {{"documents", "id", "filename_sealed", crypto::EncryptedColumn::Encoding::kBlob},
          {"documents", "id", "content_sealed", crypto::EncryptedColumn::Encoding::kBlob},
          {"documents", "id", "withdraw_reason_enc", crypto::EncryptedColumn::Encoding::kBase64Text}};
}

Result<ReencryptReport> ReencryptColumns(db::Database& database, const crypto::Keyring& keyring,
                                         std::span<const crypto::EncryptedColumn> columns) {
  ReencryptReport report;
  const std::uint32_t active = keyring.active_key_id();
  for (const auto& c : columns) {
    if (!IsIdentifier(c.table) || !IsIdentifier(c.id_column) || !IsIdentifier(c.column)) {
      return Fail(Error::Internal("keys: invalid column name in the list of encrypted columns"));
    }
    ColumnSql sql = SqlFor(c);
    const db::Query select{"keys.reencrypt_select", sql.select};
    const db::Query update{"keys.reencrypt_update", sql.update};
    const bool blob = c.encoding == crypto::EncryptedColumn::Encoding::kBlob;
    std::string after;
    for (;;) {
      db::Rows rows;
      FD_TRY_VOID(database.Read([&](db::Session& s) -> Status {
        rows = FD_TRY(s.Query(select, {after, kBatch}));
        return {};
      }));
      if (rows.empty()) break;
      // Each batch in its own short transaction, so the server keeps working meanwhile.
      FD_TRY_VOID(database.Write([&](db::Session& s) -> Status {
        for (const auto& r : rows) {
          ++report.examined;
          const std::string& id = r.Text(0);
          std::string ad = crypto::AssociatedData(c.table, c.column, id);
          if (blob) {
            auto bytes = r.Bytes(1);
            std::string sealed(bytes.bytes.begin(), bytes.bytes.end());
            if (crypto::Keyring::KeyIdOf(sealed) == active) continue;
            std::string fresh = FD_TRY(keyring.Reencrypt(sealed, ad));
            auto changed = FD_TRY(s.Exec(update, {id, ToBlob(fresh), ToBlob(sealed)}));
            changed > 0 ? ++report.reencrypted : ++report.skipped_changed;
          } else {
            const std::string& text = r.Text(1);
            if (crypto::Keyring::KeyIdOfText(text) == active) continue;
            std::string fresh = FD_TRY(keyring.ReencryptText(text, ad));
            auto changed = FD_TRY(s.Exec(update, {id, fresh, text}));
            changed > 0 ? ++report.reencrypted : ++report.skipped_changed;
          }
        }
        return {};
      }));
      after = rows.back().Text(0);
    }
  }
  return report;
}

void RegisterKeysCli(CLI::App& root, std::function<Result<std::unique_ptr<db::Database>>()> open_db,
                     std::function<std::filesystem::path()> state_dir,
                     std::function<std::vector<crypto::EncryptedColumn>()> columns) {
  auto* keys = root.add_subcommand("keys", "Encryption keys of data at rest (see docs/OPERATIONS.md)");
  keys->require_subcommand(1);

  auto open_ring = [state_dir] {
    auto ring = crypto::Keyring::Open(state_dir());
    if (!ring) Die("cannot open the keyring", ring.error());
    return std::move(*ring);
  };

  auto* list = keys->add_subcommand("list", "List the keys (ids, which one is active)");
  list->callback([open_ring] {
    auto ring = open_ring();
    for (const auto& k : ring->Keys()) {
      std::cout << "key " << k.id << (k.active ? "  active" : "        ") << "  created "
                << clock::FormatRfc3339(k.created_at) << "\n";
    }
  });

  auto* rotate = keys->add_subcommand("rotate", "Create a new key and make it the active one");
  rotate->callback([open_ring] {
    auto ring = open_ring();
    auto id = ring->Rotate();
    if (!id) Die("cannot rotate", id.error());
    std::cout << "key " << *id << " is now active. Restart the servers (or copy the keys folder to every server "
                 "and restart), then run `fairdesk keys reencrypt`.\n";
  });

  auto* reencrypt = keys->add_subcommand("reencrypt", "Move every encrypted value to the active key");
  reencrypt->callback([open_ring, open_db, columns] {
    auto ring = open_ring();
    auto database = open_db();
    if (!database) Die("cannot open the database", database.error());
    auto cols = columns();
    auto report = ReencryptColumns(**database, *ring, cols);
    if (!report) Die("re-encryption failed", report.error());
    std::cout << "re-encrypted " << report->reencrypted << " of " << report->examined << " values to key "
              << ring->active_key_id() << "\n";
    if (report->skipped_changed > 0) {
      std::cout << report->skipped_changed << " values changed meanwhile; run `fairdesk keys reencrypt` again\n";
    } else {
      std::cout << "every value is now under key " << ring->active_key_id()
                << "; older keys may be dropped (`fairdesk keys drop ID`) once backups made with them have expired\n";
    }
  });

  auto* drop = keys->add_subcommand("drop", "Delete an old key (after `keys reencrypt`)");
  auto key_id = std::make_shared<std::uint32_t>(0);
  drop->add_option("id", *key_id, "The key id")->required();
  drop->callback([open_ring, open_db, columns, key_id] {
    auto ring = open_ring();
    // Dropping a key that still seals data would lose that data: check the database first.
    auto database = open_db();
    if (!database) Die("cannot open the database", database.error());
    auto cols = columns();
    auto in_use = CountUnderKey(**database, *ring, cols, *key_id);
    if (!in_use) Die("cannot check the database", in_use.error());
    if (*in_use > 0) {
      std::cerr << "fairdesk: key " << *key_id << " still seals " << *in_use
                << " values; run `fairdesk keys reencrypt` first\n";
      throw CLI::RuntimeError(1);
    }
    if (auto st = ring->Drop(*key_id); !st) Die("cannot drop the key", st.error());
    std::cout << "key " << *key_id << " dropped\n";
  });
}

}  // namespace fairdesk::documents
