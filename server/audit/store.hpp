#pragma once
/// Storage of the audit log. Appending happens inside the caller's transaction (AppendEntry on a
/// db::Session); listing and verifying go through the Store.

#include <functional>
#include <memory>
#include <span>

#include "audit/model.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::audit {

class Store {
 public:
  virtual ~Store() = default;
  /// Entries matching the filter, newest first, at most `limit`.
  virtual Result<std::vector<Entry>> List(const Filter& filter, int limit) = 0;
  /// Every entry in seq order, in batches, on one consistent snapshot where the backend has one;
  /// then the chain head (last seq, last hash) as the writer recorded it.
  virtual Status Walk(const std::function<bool(const Entry&)>& visit, std::int64_t& head_seq,
                      std::string& head_hash) = 0;
};

std::unique_ptr<Store> MakeSqlStore(db::Database& db);

/// Appends one entry (seq, prev_hash and hash are filled in) on `tx`, which must be a write
/// transaction. Serialises with concurrent appenders: SQLite has one writer; on PostgreSQL the
/// chain-head row is locked (SELECT ... FOR UPDATE) until the caller's transaction ends.
Status AppendEntry(db::Session& tx, Entry entry);
/// Appends several entries in the given order with one lock of the chain head (group commit).
Status AppendEntries(db::Session& tx, std::span<Entry> entries);

std::span<const db::Migration> StoreMigrations();

}  // namespace fairdesk::audit
