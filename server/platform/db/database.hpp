#pragma once
/// The narrow storage interface every module store is written against. Two adapters implement it:
/// platform/db/sqlite (embedded default) and platform/db/postgres (libpq). SQL is written once in
/// PostgreSQL placeholder style ($1, $2, ...); the SQLite adapter rewrites placeholders to ?1, ?2.
/// Where the dialects differ a query carries a SQLite-specific text.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/core/error.hpp"

namespace fairdesk::db {

enum class Backend { kSqlite, kPostgres };

/// Raw bytes for BLOB / BYTEA columns.
struct Blob {
  std::vector<unsigned char> bytes;
};

/// A parameter bound to a statement. Booleans are stored as integers 0/1 on both backends.
using Value = std::variant<std::monostate, std::int64_t, std::string, Blob>;

inline Value Null() { return std::monostate{}; }
inline Value Opt(const std::optional<std::string>& s) { return s ? Value{*s} : Value{std::monostate{}}; }
inline Value Opt(const std::optional<std::int64_t>& v) { return v ? Value{*v} : Value{std::monostate{}}; }

/// A named statement. The name appears in logs and metrics; never the parameters.
struct Query {
  std::string_view name;
  std::string_view sql;         // PostgreSQL dialect, $1..$n placeholders
  std::string_view sqlite_sql{};  // optional SQLite-specific text (same placeholders)
};

/// One result row; columns by index. Accessors convert, and return nullopt for NULL.
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<std::optional<std::string>> cols) : cols_(std::move(cols)) {}
  std::size_t size() const { return cols_.size(); }
  bool IsNull(std::size_t i) const { return !cols_.at(i).has_value(); }
  /// Text (or raw bytes for a blob column). Reading NULL through Text or Int is a fault of the
  /// caller's query and throws std::logic_error, like an index out of range.
  const std::string& Text(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const { return cols_.at(i); }
  /// The bytes of a blob column.
  Blob Bytes(std::size_t i) const;
  /// An integer column. PostgreSQL booleans ("t"/"f", e.g. from EXISTS) read as 1/0.
  std::int64_t Int(std::size_t i) const;
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  bool Bool(std::size_t i) const { return Int(i) != 0; }

 private:
  std::vector<std::optional<std::string>> cols_;
};

using Rows = std::vector<Row>;

/// A query with its parameters, one of several run by Session::QueryAll.
struct Statement {
  const db::Query* query;
  std::vector<Value> params;
};

/// A borrowed connection, inside a transaction when obtained through Database::Write.
class Session {
 public:
  virtual ~Session() = default;
  virtual Result<Rows> Query(const db::Query& q, std::span<const Value> params = {}) = 0;
  /// Runs a statement and answers the number of rows it changed.
  virtual Result<std::int64_t> Exec(const db::Query& q, std::span<const Value> params = {}) = 0;
  /// Runs several statements without parameters (schema migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  virtual Backend backend() const = 0;

  Result<Rows> Query(const db::Query& q, std::initializer_list<Value> params) {
    return Query(q, std::span<const Value>(params.begin(), params.size()));
  }
  Result<std::int64_t> Exec(const db::Query& q, std::initializer_list<Value> params) {
    return Exec(q, std::span<const Value>(params.begin(), params.size()));
  }
  /// The single row of a query, or NotFound. More than one row is a fault of the query (kInternal).
  Result<Row> One(const db::Query& q, std::span<const Value> params);
  Result<Row> One(const db::Query& q, std::initializer_list<Value> params) {
    return One(q, std::span<const Value>(params.begin(), params.size()));
  }
  /// Runs several reads and answers the rows of each, in order. PostgreSQL sends them together
  /// and reads the answers after one round trip (libpq's pipeline mode; outside Write they run in
  /// one implicit transaction, so they see one another's data as of the same moment at least as
  /// well as separate statements would); SQLite runs them one after another. The first failure
  /// fails the whole call.
  virtual Result<std::vector<Rows>> QueryAll(std::span<const Statement> statements);
  /// The row of a query that answers at most one, or nullopt.
  Result<std::optional<Row>> MaybeOne(const db::Query& q, std::span<const Value> params);
  Result<std::optional<Row>> MaybeOne(const db::Query& q, std::initializer_list<Value> params) {
    return MaybeOne(q, std::span<const Value>(params.begin(), params.size()));
  }
};

struct PoolStats {
  int size = 0;
  int in_use = 0;
  std::int64_t waits_total = 0;
};

/// A database: a pool of sessions. Read runs on a pooled connection; Write runs inside one
/// transaction (SQLite: the single writer connection, BEGIN IMMEDIATE) and commits when the
/// function succeeds, rolls back when it fails. Conflicts of unique constraints come back as
/// ErrorKind::kConflict; an unreachable server, or no free connection within the pool's wait
/// time, as kUnavailable.
///
/// The same rules hold on both backends:
/// - A statement that fails inside Write dooms the transaction: Write rolls back and answers that
///   error even if the function carried on and returned OK (PostgreSQL cannot continue an aborted
///   transaction; SQLite is made to behave alike). Use ON CONFLICT clauses for expected duplicates.
/// - Read is for reading. On SQLite it runs on a read-only connection inside one snapshot.
/// - Text parameters must be valid UTF-8 without NUL characters (kInvalid otherwise).
/// - Neither Read nor Write may be called again from inside the function (no nesting).
/// - Error details never contain parameter values; `internal` names the query.
class Database {
 public:
  virtual ~Database() = default;
  virtual Backend backend() const = 0;
  virtual Status Read(const std::function<Status(Session&)>& fn) = 0;
  virtual Status Write(const std::function<Status(Session&)>& fn) = 0;
  /// Answers OK when a trivial query succeeds (readiness).
  virtual Status Ping() = 0;
  /// After an erasure: moves the write-ahead log into the database file and empties it, so that
  /// erased values do not linger there (issue 8 #15). SQLite: wal_checkpoint(TRUNCATE); a no-op
  /// where the server manages its own log (PostgreSQL).
  virtual Status Checkpoint() { return {}; }
  virtual PoolStats Stats() const = 0;
};

/// Opens `url`: "sqlite:PATH" (PATH may be ":memory:") or "postgresql://..." / "postgres://...".
/// Defined in the library fd_db_open (platform/db/open), which links both adapters; the adapters
/// themselves depend on fd_db, so fd_db cannot depend on them.
Result<std::unique_ptr<Database>> Open(const std::string& url, int pool_size = 4);

}  // namespace fairdesk::db
