#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include "platform/db/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "platform/db/adapter_support.hpp"
#include "platform/db/query_stats.hpp"
#include "platform/db/sqlite/placeholders.hpp"

namespace fairdesk::db::sqlite {

namespace {

// Queries are static texts, so the cache stays small; the bound only protects against a caller
// that builds SQL dynamically.
constexpr std::size_t kMaxCachedStatements = 512;

Error MapError(sqlite3* handle, int rc, std::string_view query_name) {
  // sqlite3_errmsg names the constraint or the failing construct, never the bound values, so it
  // may go to the log; the caller-facing detail is generic.
  std::string internal = std::string(query_name) + ": " +
                         (handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
  Error e;
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      e = Error::Conflict("This entry already exists.");
      break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      e = Error::Conflict("This entry refers to, or is referred to by, another entry.");
      break;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      e = Error{ErrorKind::kInvalid, "The request contains invalid values."};
      break;
    default:
      if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        e = Error::Conflict("The change conflicts with existing data.");
      } else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        e = Error::Unavailable("");
      } else {
        e = Error::Internal("");
      }
  }
  e.internal = std::move(internal);
  return e;
}

// One SQLite connection with its cache of prepared statements. Used by one thread at a time
// (the pool or the writer mutex guarantees that), hence SQLITE_OPEN_NOMUTEX.
class Connection {
 public:
  explicit Connection(sqlite3* handle) : handle_(handle) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    ClearStatements();
    sqlite3_close_v2(handle_);
  }

  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags, const Options& options) {
    sqlite3* handle = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &handle, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      Error e = Error::Unavailable("sqlite: cannot open database: " +
                                   std::string(handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc)));
      sqlite3_close_v2(handle);
      return Fail(std::move(e));
    }
    auto conn = std::make_unique<Connection>(handle);
    sqlite3_extended_result_codes(handle, 1);
    sqlite3_busy_timeout(handle, static_cast<int>(options.busy_timeout.count()));
    // Sorts and statement journals in memory (else each case list opened, wrote and unlinked a
    // temporary file in /var/tmp) and a 16 MiB page cache.
    FD_TRY_VOID(conn->Exec("PRAGMA temp_store=MEMORY", "pragma"));
    FD_TRY_VOID(conn->Exec("PRAGMA cache_size=-16384", "pragma"));
    // The writer and the checkpointer map the file (up to 1 GiB); the read-only connections do
    // not (issue 13): a read transaction that finds the database changed since its last one (any
    // commit of another connection, e.g. every audit group commit) drops the connection's page
    // cache and unmaps the whole file, so a mapped reader paid munmap, TLB shootdowns and a page
    // fault per page again on nearly every request. Reading the pages with pread into the page
    // cache costs less: the case list at 1M cases 0.73-0.76 instead of 0.93-0.97 ms of CPU per
    // request (docs/PERFORMANCE.md).
    if (path != ":memory:" && (flags & SQLITE_OPEN_READONLY) == 0) {
      FD_TRY_VOID(conn->Exec("PRAGMA mmap_size=1073741824", "pragma"));
    }
    return conn;
  }

  sqlite3* handle() const { return handle_; }

  Status Exec(const char* sql, std::string_view name) {
    const int rc = sqlite3_exec(handle_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return Fail(MapError(handle_, rc, name));
    }
    return {};
  }

  // Rolls back if a transaction is open. SQLite rolls back by itself after some errors, so a
  // plain ROLLBACK could fail with "no transaction is active".
  void RollbackIfOpen() {
    if (sqlite3_get_autocommit(handle_) == 0) {
      sqlite3_exec(handle_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }

  Result<sqlite3_stmt*> Prepare(const db::Query& q) {
    const std::string_view text = q.sqlite_sql.empty() ? q.sql : q.sqlite_sql;
    // Keyed by the text as written: the rewrite is done once, when the statement is prepared.
    if (auto it = statements_.find(text); it != statements_.end()) {
      return it->second;
    }
    if (statements_.size() >= kMaxCachedStatements) {
      ClearStatements();
    }
    const std::string rewritten = RewritePlaceholders(text);
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(handle_, rewritten.c_str(), static_cast<int>(rewritten.size() + 1),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      return Fail(MapError(handle_, rc, q.name));
    }
    if (stmt == nullptr) {
      return Fail(Error::Internal(std::string(q.name) + ": empty statement"));
    }
    for (; tail != nullptr && *tail != '\0'; ++tail) {
      if (*tail != ';' && *tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r') {
        sqlite3_finalize(stmt);
        return Fail(Error::Internal(std::string(q.name) + ": a query holds one statement; use ExecScript"));
      }
    }
    statements_.emplace(std::string(text), stmt);
    return stmt;
  }

 private:
  void ClearStatements() {
    for (auto& [text, stmt] : statements_) {
      sqlite3_finalize(stmt);
    }
    statements_.clear();
  }

  sqlite3* handle_;
  detail::TextMap<sqlite3_stmt*> statements_;
};

// Leaves a cached statement ready for its next use, whatever way we leave the function: a
// statement that is not reset keeps its read transaction open and blocks WAL checkpoints.
class ResetGuard {
 public:
  explicit ResetGuard(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ResetGuard(const ResetGuard&) = delete;
  ResetGuard& operator=(const ResetGuard&) = delete;
  ~ResetGuard() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

Status Bind(sqlite3_stmt* stmt, const db::Query& q, std::span<const Value> params, sqlite3* handle) {
  FD_TRY_VOID(detail::CheckTextParams(q.name, params));
  if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
    return Fail(Error::Internal(std::string(q.name) + ": expects " +
                                std::to_string(sqlite3_bind_parameter_count(stmt)) + " parameters, got " +
                                std::to_string(params.size())));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    // SQLITE_STATIC: the values outlive the statement's use; ResetGuard clears the bindings.
    const int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return sqlite3_bind_null(stmt, index);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(stmt, index, v);
          } else if constexpr (std::is_same_v<T, std::string>) {
            return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
          } else {
            // A null pointer would bind NULL; an empty blob is a zero-length blob.
            if (v.bytes.empty()) {
              return sqlite3_bind_zeroblob(stmt, index, 0);
            }
            return sqlite3_bind_blob64(stmt, index, v.bytes.data(), v.bytes.size(), SQLITE_STATIC);
          }
        },
        params[i]);
    if (rc != SQLITE_OK) {
      return Fail(MapError(handle, rc, q.name));
    }
  }
  return {};
}

Row ReadRow(sqlite3_stmt* stmt) {
  const int n = sqlite3_column_count(stmt);
  std::vector<std::optional<std::string>> cols;
  cols.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_NULL:
        cols.emplace_back(std::nullopt);
        break;
      case SQLITE_INTEGER:
        cols.emplace_back(std::to_string(sqlite3_column_int64(stmt, i)));
        break;
      case SQLITE_BLOB: {
        const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        const int size = sqlite3_column_bytes(stmt, i);
        cols.emplace_back(data != nullptr ? std::string(data, static_cast<std::size_t>(size)) : std::string());
        break;
      }
      default: {
        // TEXT, and REAL rendered as text.
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        const int size = sqlite3_column_bytes(stmt, i);
        cols.emplace_back(data != nullptr ? std::string(data, static_cast<std::size_t>(size)) : std::string());
      }
    }
  }
  return Row(std::move(cols));
}

class SqliteSession final : public Session {
 public:
  // `record_failures`: inside Write, a failed statement dooms the transaction (see database.hpp).
  SqliteSession(Connection& conn, bool record_failures) : conn_(conn), record_failures_(record_failures) {}

  using Session::Exec;
  using Session::Query;

  Result<Rows> Query(const db::Query& q, std::span<const Value> params) override {
    QueryTimer timer(q.name);
    Rows rows;
    if (Status st = Remember(Step(q, params, &rows)); !st) {
      timer.Failed();
      return Fail(std::move(st.error()));
    }
    return rows;
  }

  Result<std::int64_t> Exec(const db::Query& q, std::span<const Value> params) override {
    QueryTimer timer(q.name);
    if (Status st = Remember(Step(q, params, nullptr)); !st) {
      timer.Failed();
      return Fail(std::move(st.error()));
    }
    return sqlite3_changes64(conn_.handle());
  }

  Status ExecScript(std::string_view sql) override {
    const std::string text(sql);
    return Remember(conn_.Exec(text.c_str(), "exec_script"));
  }

  Backend backend() const override { return Backend::kSqlite; }

  const std::optional<Error>& failure() const { return failure_; }

 private:
  template <typename T>
  T Remember(T result) {
    if (!result && record_failures_ && !failure_) {
      failure_ = result.error();
    }
    return result;
  }

  Status Step(const db::Query& q, std::span<const Value> params, Rows* rows) {
    sqlite3_stmt* stmt = FD_TRY(conn_.Prepare(q));
    ResetGuard reset(stmt);
    FD_TRY_VOID(Bind(stmt, q, params, conn_.handle()));
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) {
        return {};
      }
      if (rc != SQLITE_ROW) {
        return Fail(MapError(conn_.handle(), rc, q.name));
      }
      if (rows != nullptr) {
        rows->push_back(ReadRow(stmt));
      }
    }
  }

  Connection& conn_;
  bool record_failures_;
  std::optional<Error> failure_;
};

// Runs `fn` inside the transaction `begin` opened and ends it: COMMIT when all went well,
// ROLLBACK otherwise, also when `fn` throws.
Status RunTransaction(Connection& conn, const char* begin, bool record_failures,
                      const std::function<Status(Session&)>& fn) {
  FD_TRY_VOID(conn.Exec(begin, "begin"));
  SqliteSession session(conn, record_failures);
  Status status;
  try {
    status = fn(session);
  } catch (...) {
    conn.RollbackIfOpen();
    throw;
  }
  if (status && session.failure()) {
    status = Fail(*session.failure());
  }
  if (!status) {
    conn.RollbackIfOpen();
    return status;
  }
  if (Status commit = conn.Exec("COMMIT", "commit"); !commit) {
    conn.RollbackIfOpen();
    return commit;
  }
  return {};
}

// Checkpoints off the request path (issue 13): SQLite's automatic checkpoint runs in the
// committing connection once the WAL holds 1,000 pages, i.e. inside the request whose commit
// crossed the mark (copying the pages into the database file and fdatasync). The writer turns it
// off (wal_autocheckpoint=0) and its WAL hook wakes this thread instead, which checkpoints on its
// own connection (PASSIVE: it never waits for, nor blocks, the writer or the readers); it also
// runs once a second while the WAL is not empty. Commits stay as durable as before: a commit is
// in the WAL (synchronous=NORMAL), the checkpoint only moves pages into the database file.
class Checkpointer {
 public:
  static constexpr int kPages = 1000;

  explicit Checkpointer(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {
    thread_ = std::thread([this] { Run(); });
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

  // From the writer's WAL hook, after each commit: `pages` in the WAL now.
  void Committed(int pages) {
    pending_.store(true, std::memory_order_relaxed);
    if (pages >= kPages) {
      {
        std::lock_guard lock(mu_);
        due_ = true;
      }
      cv_.notify_one();
    }
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_ || due_; });
      if (stop_) break;
      const bool due = due_;
      due_ = false;
      if (!due && !pending_.load(std::memory_order_relaxed)) continue;
      pending_.store(false, std::memory_order_relaxed);
      lock.unlock();
      int log = 0;
      int done = 0;
      // Busy (another process checkpoints) or an I/O error: retried on the next wake-up; the
      // commits are in the WAL either way.
      sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
      lock.lock();
    }
  }

  std::unique_ptr<Connection> conn_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool due_ = false;
  std::atomic<bool> pending_{false};
  std::thread thread_;
};

int OnWalCommit(void* checkpointer, sqlite3*, const char*, int pages) {
  static_cast<Checkpointer*>(checkpointer)->Committed(pages);
  return SQLITE_OK;
}

// A reader's page cache above this size is released when its read ends (see Read).
constexpr int kKeepCacheBytes = 512 * 1024;

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(Options options) : options_(std::move(options)) {}
  ~SqliteDatabase() override {
    if (writer_) sqlite3_wal_hook(writer_->handle(), nullptr, nullptr);
    checkpointer_.reset();
  }

  Status Init() {
    const bool memory = options_.path == ":memory:";
    if (!memory) FD_TRY_VOID(MakePrivate(options_.path));
    writer_ = FD_TRY(Connection::Open(options_.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options_));
    // WAL lets readers work on their snapshot while the writer writes; synchronous=NORMAL is
    // durable across application crashes in WAL mode and only risks the last commits on power
    // loss, for a large gain in commit latency.
    FD_TRY_VOID(writer_->Exec("PRAGMA journal_mode=WAL", "pragma"));
    FD_TRY_VOID(writer_->Exec("PRAGMA synchronous=NORMAL", "pragma"));
    FD_TRY_VOID(writer_->Exec("PRAGMA foreign_keys=ON", "pragma"));
    // Deleted content is overwritten with zeros rather than left in free pages (issue 8 #15);
    // set explicitly, whatever SQLite was compiled with.
    FD_TRY_VOID(writer_->Exec("PRAGMA secure_delete=ON", "pragma"));
    if (memory) {
      return {};
    }
    FD_TRY_VOID(writer_->Exec("PRAGMA wal_autocheckpoint=0", "pragma"));
    auto ckpt_conn = FD_TRY(Connection::Open(options_.path, SQLITE_OPEN_READWRITE, options_));
    FD_TRY_VOID(ckpt_conn->Exec("PRAGMA synchronous=NORMAL", "pragma"));
    checkpointer_ = std::make_unique<Checkpointer>(std::move(ckpt_conn));
    sqlite3_wal_hook(writer_->handle(), &OnWalCommit, checkpointer_.get());
    for (int i = 0; i < std::max(1, options_.readers); ++i) {
      auto reader = FD_TRY(Connection::Open(options_.path, SQLITE_OPEN_READONLY, options_));
      idle_.push_back(reader.get());
      readers_.push_back(std::move(reader));
    }
    return {};
  }

  Backend backend() const override { return Backend::kSqlite; }

  Status Checkpoint() override {
    return WithWriter([&]() -> Status { return writer_->Exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint"); });
  }

  // The database file (and its -wal and -shm files, which SQLite creates with the same mode) is
  // readable by the owner only (issue 8 #15): a new file is created 0600, an existing one that
  // group or others may read is narrowed to that.
  static Status MakePrivate(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0 && errno != EEXIST) {
        return Fail(Error::Unavailable("sqlite: cannot create the database file: " + std::string(std::strerror(errno))));
      }
      if (fd >= 0) ::close(fd);
      return {};
    }
    for (const std::string& p : {path, path + "-wal", path + "-shm"}) {
      if (::stat(p.c_str(), &st) == 0 && (st.st_mode & 077) != 0) ::chmod(p.c_str(), st.st_mode & 0700);
    }
    return {};
  }

  Status Read(const std::function<Status(Session&)>& fn) override {
    if (readers_.empty()) {
      // ":memory:": the one connection serves reads as well.
      return WithWriter([&] { return RunTransaction(*writer_, "BEGIN", false, fn); });
    }
    Connection* conn = nullptr;
    {
      std::unique_lock lock(pool_mutex_);
      if (idle_.empty()) {
        ++waits_total_;
        if (!pool_cv_.wait_for(lock, options_.acquire_timeout, [&] { return !idle_.empty(); })) {
          return Fail(Error::Unavailable("sqlite: no free reader connection within the timeout"));
        }
      }
      conn = idle_.back();
      idle_.pop_back();
      ++in_use_;
    }
    struct Release {
      SqliteDatabase* self;
      Connection* conn;
      ~Release() {
        // Readers do not map the file (see Open), so the pages a read touched stay in the
        // connection's page cache until the next change of the database resets it. Small reads
        // (a page of the case list) keep theirs; a read that filled more than kKeepCacheBytes
        // (documents and their overflow pages: a data-subject export reads dozens of them without a
        // commit in between) gives the memory back at once, so an export holds about one document
        // rather than each reader's full 16 MiB cache.
        int used = 0;
        int highwater = 0;
        if (sqlite3_db_status(conn->handle(), SQLITE_DBSTATUS_CACHE_USED, &used, &highwater, 0) == SQLITE_OK &&
            used > kKeepCacheBytes) {
          sqlite3_db_release_memory(conn->handle());
        }
        {
          std::lock_guard lock(self->pool_mutex_);
          self->idle_.push_back(conn);
          --self->in_use_;
        }
        self->pool_cv_.notify_one();
      }
    } release{this, conn};
    // One deferred transaction: every query of `fn` reads the same snapshot.
    return RunTransaction(*conn, "BEGIN", false, fn);
  }

  Status Write(const std::function<Status(Session&)>& fn) override {
    return WithWriter([&] { return RunTransaction(*writer_, "BEGIN IMMEDIATE", true, fn); });
  }

  Status Ping() override {
    static constexpr db::Query kPing{"ping", "SELECT 1"};
    return Read([](Session& s) -> Status {
      FD_TRY(s.Query(kPing));
      return {};
    });
  }

  PoolStats Stats() const override {
    std::lock_guard lock(pool_mutex_);
    return PoolStats{
        .size = static_cast<int>(readers_.size()) + 1,
        .in_use = in_use_ + (writer_busy_.load() ? 1 : 0),
        .waits_total = waits_total_ + writer_waits_.load(),
    };
  }

 private:
  template <typename F>
  Status WithWriter(F&& run) {
    std::unique_lock lock(writer_mutex_, std::defer_lock);
    if (!lock.try_lock()) {
      ++writer_waits_;
      if (!lock.try_lock_for(options_.acquire_timeout)) {
        return Fail(Error::Unavailable("sqlite: the writer stayed busy beyond the timeout"));
      }
    }
    writer_busy_ = true;
    struct Idle {
      std::atomic<bool>& busy;
      ~Idle() { busy = false; }
    } idle{writer_busy_};
    return run();
  }

  Options options_;
  std::unique_ptr<Checkpointer> checkpointer_;
  std::timed_mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  std::atomic<bool> writer_busy_{false};
  std::atomic<std::int64_t> writer_waits_{0};

  mutable std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_;
  int in_use_ = 0;
  std::int64_t waits_total_ = 0;
};

}  // namespace

Result<std::unique_ptr<Database>> Open(const Options& options) {
  if (options.path.empty()) {
    return Fail(Error::Internal("sqlite: empty database path"));
  }
  auto db = std::make_unique<SqliteDatabase>(options);
  FD_TRY_VOID(db->Init());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace fairdesk::db::sqlite
