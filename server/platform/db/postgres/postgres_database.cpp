#include "platform/db/postgres/postgres_database.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "platform/db/adapter_support.hpp"
#include "platform/db/notify.hpp"
#include "platform/db/query_stats.hpp"
#include "platform/log/log.hpp"

namespace fairdesk::db::postgres {

namespace {

constexpr Oid kByteaOid = 17;  // pg_type.oid of bytea; stable across PostgreSQL versions

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string_view SqlState(const PGresult* res) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? state : "";
}

// True when the failure lies in the connection rather than the statement: the server went away,
// is shutting down or restarting.
bool IsConnectionError(PGconn* conn, const PGresult* res) {
  if (PQstatus(conn) != CONNECTION_OK || res == nullptr) {
    return true;
  }
  const std::string_view state = SqlState(res);
  // 08P01 (protocol violation) is class 08 but a fault of the statement, not the link.
  return (StartsWith(state, "08") && state != "08P01") || state == "57P01" || state == "57P02" ||
         state == "57P03";
}

Error ConnectionLost(PGconn* conn, std::string_view name) {
  std::string message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return Error::Unavailable(std::string(name) + ": connection lost: " + message);
}

Error MapError(PGconn* conn, const PGresult* res, std::string_view name) {
  if (IsConnectionError(conn, res)) {
    return ConnectionLost(conn, name);
  }
  const std::string state(SqlState(res));
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  const char* constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
  // Only the primary message goes to the log: DETAIL repeats the offending row ("Key (email)=(...)
  // already exists"), and data exceptions (class 22) quote the rejected value even in the primary
  // message, so for those the SQLSTATE has to do.
  std::string internal = std::string(name) + ": SQLSTATE " + state;
  if (!StartsWith(state, "22")) {
    internal += std::string(": ") + (primary != nullptr ? primary : PQresultErrorMessage(res));
  }
  if (constraint != nullptr) {
    internal += std::string(" (constraint ") + constraint + ")";
  }
  Error e;
  if (state == "23505") {
    e = Error::Conflict("This entry already exists.");
  } else if (state == "23503") {
    e = Error::Conflict("This entry refers to, or is referred to by, another entry.");
  } else if (state == "23514" || state == "23502" || StartsWith(state, "22")) {
    e = Error{ErrorKind::kInvalid, "The request contains invalid values."};
  } else if (StartsWith(state, "23")) {
    e = Error::Conflict("The change conflicts with existing data.");
  } else if (StartsWith(state, "40")) {
    // Serialisation failure or deadlock: nothing was changed, and trying again may succeed.
    e = Error::Conflict("The data changed at the same time; please try again.");
  } else if (StartsWith(state, "53") || StartsWith(state, "57")) {
    // Too many connections, out of memory or disk, or an operator cancelled the statement.
    e = Error::Unavailable("");
  } else {
    e = Error::Internal("");
  }
  e.internal = std::move(internal);
  return e;
}

void IgnoreNotice(void*, const char*) {
  // Notices such as "relation already exists, skipping" are expected; they may also quote data.
}

// One libpq connection and the statements prepared on it. Used by one thread at a time.
class Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { PQfinish(conn_); }

  /// `application_name`, when given, replaces the URL's (the listener names itself).
  static Result<std::unique_ptr<Connection>> Connect(const Options& options, const char* application_name = nullptr) {
    const std::string timeout = std::to_string(options.connect_timeout_seconds);
    // Keywords before "dbname" are defaults the URL may override; those after it are enforced.
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding",
                          application_name != nullptr ? "application_name" : nullptr, nullptr};
    const char* values[] = {timeout.c_str(), "fairdesk", options.url.c_str(), "UTF8", application_name, nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (conn == nullptr) {
      return Fail(Error::Unavailable("postgres: out of memory while connecting"));
    }
    auto connection = std::make_unique<Connection>(conn);
    if (PQstatus(conn) != CONNECTION_OK) {
      return Fail(ConnectionLost(conn, "connect"));
    }
    PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
    return connection;
  }

  PGconn* get() const { return conn_; }
  bool Ok() const { return PQstatus(conn_) == CONNECTION_OK; }

  /// True when the last failure on this connection was the connection's, not the statement's.
  bool Lost() const { return lost_; }

  /// Reconnects with the same parameters. The server forgot our prepared statements.
  bool Reset() {
    lost_ = false;
    prepared_.clear();
    names_.clear();
    PQreset(conn_);
    return Ok();
  }

  struct Prepared {
    std::string name;
    int params = 0;
  };

  // Prepares `sql` once per connection under the name s<hash>. The parameter count comes from the
  // server, so that a wrong number of values is reported as such.
  Result<const Prepared*> Prepare(std::string_view query_name, std::string_view sql) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) {
      return &it->second;
    }
    const std::string text(sql);
    char hash[24];
    std::snprintf(hash, sizeof hash, "s%016zx", std::hash<std::string>{}(text));
    std::string name = hash;
    // Two texts with the same hash on one connection are unlikely but must not collide.
    while (names_.contains(name)) {
      name += "_";
    }
    ResultPtr res(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return Fail(Failure(res.get(), query_name));
    }
    ResultPtr desc(PQdescribePrepared(conn_, name.c_str()));
    if (PQresultStatus(desc.get()) != PGRES_COMMAND_OK) {
      return Fail(Failure(desc.get(), query_name));
    }
    names_.insert(name);
    auto [it, inserted] = prepared_.emplace(text, Prepared{std::move(name), PQnparams(desc.get())});
    return &it->second;
  }

  // Runs a command without parameters (BEGIN, COMMIT, scripts).
  Result<ResultPtr> Command(const char* sql, std::string_view name) {
    ResultPtr res(PQexec(conn_, sql));
    const ExecStatusType status = PQresultStatus(res.get());
    if (res != nullptr && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)) {
      return res;
    }
    return Fail(Failure(res.get(), name));
  }

  /// Maps a failed result to an error and notes whether the connection is to blame.
  Error Failure(const PGresult* res, std::string_view name) {
    lost_ = IsConnectionError(conn_, res);
    return MapError(conn_, res, name);
  }

 private:
  PGconn* conn_;
  bool lost_ = false;
  detail::TextMap<Prepared> prepared_;
  std::unordered_set<std::string> names_;
};

class Pool;

// A connection borrowed from the pool, given back on destruction.
class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> conn_;
};

class Pool {
 public:
  explicit Pool(Options options) : options_(std::move(options)) {}

  Result<Lease> Acquire() {
    std::unique_ptr<Connection> conn;
    {
      std::unique_lock lock(mutex_);
      auto available = [&] { return !idle_.empty() || open_ < options_.pool_size; };
      if (!available()) {
        ++waits_total_;
        if (!cv_.wait_for(lock, options_.acquire_timeout, available)) {
          return Fail(Error::Unavailable("postgres: no free connection within the timeout"));
        }
      }
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++open_;  // reserved; connected below without holding the lock
      }
      ++in_use_;
    }
    if (!conn) {
      auto connected = Connection::Connect(options_);
      if (!connected) {
        Forget();
        return Fail(std::move(connected.error()));
      }
      conn = std::move(*connected);
    } else if (!conn->Ok() && !conn->Reset()) {
      Error e = ConnectionLost(conn->get(), "reconnect");
      conn.reset();
      Forget();
      return Fail(std::move(e));
    }
    return Lease(this, std::move(conn));
  }

  void Release(std::unique_ptr<Connection> conn) {
    // A connection left inside a transaction (a script that ran BEGIN in Read, a failed
    // ROLLBACK) must not serve the next caller; it is closed and replaced on demand.
    if (conn && PQtransactionStatus(conn->get()) != PQTRANS_IDLE && conn->Ok()) {
      conn.reset();
    }
    if (!conn) {
      Forget();
      return;
    }
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(conn));
      --in_use_;
    }
    cv_.notify_one();
  }

  PoolStats Stats() const {
    std::lock_guard lock(mutex_);
    return PoolStats{.size = options_.pool_size, .in_use = in_use_, .waits_total = waits_total_};
  }

 private:
  // A reserved or borrowed connection is gone; its slot is free again.
  void Forget() {
    {
      std::lock_guard lock(mutex_);
      --open_;
      --in_use_;
    }
    cv_.notify_one();
  }

  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  int in_use_ = 0;
  std::int64_t waits_total_ = 0;
};

Lease::~Lease() {
  if (pool_ != nullptr && conn_) {
    pool_->Release(std::move(conn_));
  }
}

Row ReadRow(const PGresult* res, int row) {
  const int n = PQnfields(res);
  std::vector<std::optional<std::string>> cols;
  cols.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    if (PQgetisnull(res, row, i) != 0) {
      cols.emplace_back(std::nullopt);
      continue;
    }
    const char* value = PQgetvalue(res, row, i);
    if (PQftype(res, i) == kByteaOid) {
      std::size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(value), &size);
      if (bytes == nullptr) {
        throw std::bad_alloc();
      }
      cols.emplace_back(std::string(reinterpret_cast<const char*>(bytes), size));
      PQfreemem(bytes);
    } else {
      cols.emplace_back(std::string(value, static_cast<std::size_t>(PQgetlength(res, row, i))));
    }
  }
  return Row(std::move(cols));
}

class PgSession final : public Session {
 public:
  PgSession(Connection& conn, bool in_transaction) : conn_(conn), in_transaction_(in_transaction) {}

  using Session::Exec;
  using Session::Query;

  Result<Rows> Query(const db::Query& q, std::span<const Value> params) override {
    QueryTimer timer(q.name);
    // A read outside a transaction can be repeated safely on a fresh connection.
    auto executed = Remember(Execute(q, params, !in_transaction_));
    if (!executed) timer.Failed();
    ResultPtr res = FD_TRY(std::move(executed));
    Rows rows;
    const int n = PQntuples(res.get());
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
      rows.push_back(ReadRow(res.get(), r));
    }
    return rows;
  }

  Result<std::vector<Rows>> QueryAll(std::span<const Statement> statements) override {
    if (statements.size() < 2) return Session::QueryAll(statements);
    for (int attempt = 0;; ++attempt) {
      // Reads outside a transaction can be repeated safely on a fresh connection, as in Query.
      auto result = Pipeline(statements);
      if (!result && !in_transaction_ && attempt == 0 && conn_.Lost() && conn_.Reset()) continue;
      return Remember(std::move(result));
    }
  }

  Result<std::int64_t> Exec(const db::Query& q, std::span<const Value> params) override {
    QueryTimer timer(q.name);
    // Never repeated: the server may have applied the change before the connection broke.
    auto executed = Remember(Execute(q, params, false));
    if (!executed) timer.Failed();
    ResultPtr res = FD_TRY(std::move(executed));
    const std::string_view count = PQcmdTuples(res.get());
    std::int64_t changed = 0;
    std::from_chars(count.data(), count.data() + count.size(), changed);
    return changed;
  }

  Status ExecScript(std::string_view sql) override {
    const std::string text(sql);
    auto res = Remember(conn_.Command(text.c_str(), "exec_script"));
    if (!res) {
      return Fail(std::move(res.error()));
    }
    return {};
  }

  Backend backend() const override { return Backend::kPostgres; }

  const std::optional<Error>& failure() const { return failure_; }

 private:
  template <typename T>
  T Remember(T result) {
    if (!result && in_transaction_ && !failure_) {
      failure_ = result.error();
    }
    return result;
  }

  // The parameters of one statement as libpq takes them: text for everything but blobs, which go
  // in binary so that no escaping is involved. Points into `params`, which must outlive it.
  struct Params {
    explicit Params(std::span<const Value> params)
        : numbers(params.size()), values(params.size(), nullptr), lengths(params.size(), 0),
          formats(params.size(), 0) {
      static const char kEmpty[1] = {0};
      for (std::size_t i = 0; i < params.size(); ++i) {
        if (const auto* v = std::get_if<std::int64_t>(&params[i])) {
          numbers[i] = std::to_string(*v);
          values[i] = numbers[i].c_str();
        } else if (const auto* s = std::get_if<std::string>(&params[i])) {
          values[i] = s->c_str();
        } else if (const auto* b = std::get_if<Blob>(&params[i])) {
          // A null pointer would mean SQL NULL; an empty blob needs a valid one.
          values[i] = b->bytes.empty() ? kEmpty : reinterpret_cast<const char*>(b->bytes.data());
          lengths[i] = static_cast<int>(b->bytes.size());
          formats[i] = 1;
        }
      }
    }
    int size() const { return static_cast<int>(values.size()); }
    std::vector<std::string> numbers;
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
  };

  // The statement prepared on this connection, with the number of parameters it was given checked.
  Result<const Connection::Prepared*> PrepareFor(const db::Query& q, std::size_t params) {
    const Connection::Prepared* prepared = FD_TRY(conn_.Prepare(q.name, q.sql));
    if (prepared->params != static_cast<int>(params)) {
      return Fail(Error::Internal(std::string(q.name) + ": expects " + std::to_string(prepared->params) +
                                  " parameters, got " + std::to_string(params)));
    }
    return prepared;
  }

  // Sends every statement and one Sync, then reads the answers in order (libpq's pipeline mode):
  // one round trip. After a failure the server skips the rest up to the Sync; all of it is read,
  // so the connection is idle again afterwards unless the connection itself broke.
  Result<std::vector<Rows>> Pipeline(std::span<const Statement> statements) {
    std::vector<const Connection::Prepared*> prepared;
    prepared.reserve(statements.size());
    for (const auto& st : statements) {
      FD_TRY_VOID(detail::CheckTextParams(st.query->name, st.params));
      prepared.push_back(FD_TRY(PrepareFor(*st.query, st.params.size())));
    }
    PGconn* pg = conn_.get();
    const std::string_view first_name = statements.front().query->name;
    if (PQenterPipelineMode(pg) != 1) return Fail(conn_.Failure(nullptr, first_name));
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < statements.size(); ++i) {
      const Params p(statements[i].params);
      if (PQsendQueryPrepared(pg, prepared[i]->name.c_str(), p.size(), p.values.data(), p.lengths.data(),
                              p.formats.data(), 0) != 1) {
        return Fail(conn_.Failure(nullptr, statements[i].query->name));
      }
    }
    if (PQpipelineSync(pg) != 1) return Fail(conn_.Failure(nullptr, first_name));
    std::vector<Rows> out;
    out.reserve(statements.size());
    std::optional<Error> failed;
    for (const auto& st : statements) {
      // A statement's answer is one result followed by a null.
      ResultPtr res(PQgetResult(pg));
      if (res == nullptr) return Fail(conn_.Failure(nullptr, st.query->name));
      while (ResultPtr more{PQgetResult(pg)}) {
      }
      const ExecStatusType status = PQresultStatus(res.get());
      const bool ok = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
      ObserveQuery(st.query->name,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), ok);
      if (!ok) {
        // PGRES_PIPELINE_ABORTED: skipped after an earlier failure, which is the one to answer.
        if (!failed) failed = conn_.Failure(res.get(), st.query->name);
        continue;
      }
      const int n = PQntuples(res.get());
      Rows rows;
      rows.reserve(static_cast<std::size_t>(n));
      for (int r = 0; r < n; ++r) rows.push_back(ReadRow(res.get(), r));
      out.push_back(std::move(rows));
    }
    ResultPtr sync(PQgetResult(pg));
    if (sync == nullptr || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC || PQexitPipelineMode(pg) != 1) {
      return Fail(conn_.Failure(nullptr, first_name));
    }
    if (failed) return Fail(std::move(*failed));
    return out;
  }

  Result<ResultPtr> Execute(const db::Query& q, std::span<const Value> params, bool may_retry) {
    FD_TRY_VOID(detail::CheckTextParams(q.name, params));
    const Params p(params);
    for (int attempt = 0;; ++attempt) {
      const bool retry = may_retry && attempt == 0;
      auto prepared = PrepareFor(q, params.size());
      if (!prepared) {
        if (retry && conn_.Lost() && conn_.Reset()) {
          continue;
        }
        return Fail(std::move(prepared.error()));
      }
      ResultPtr res(PQexecPrepared(conn_.get(), (*prepared)->name.c_str(), p.size(), p.values.data(),
                                   p.lengths.data(), p.formats.data(), 0));
      const ExecStatusType status = PQresultStatus(res.get());
      if (res != nullptr && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
        return res;
      }
      Error error = conn_.Failure(res.get(), q.name);
      if (retry && conn_.Lost() && conn_.Reset()) {
        continue;
      }
      return Fail(std::move(error));
    }
  }

  Connection& conn_;
  bool in_transaction_;
  std::optional<Error> failure_;
};

// The LISTEN side of db::Subscribe (platform/db/notify.hpp): a connection of its own (not one
// of the pool's), a thread that waits on its socket, and a reconnection with a short back-off
// when the connection is lost (server restart, failover, pg_terminate_backend). After every
// (re)connect each channel is listened to again and its callbacks run, since notices sent in
// between are lost.
class Listener {
 public:
  explicit Listener(Options options)
      : options_(std::move(options)),
        token_(detail::NotifyToken()),
        application_name_("fairdesk-listener-" + std::to_string(::getpid())),
        wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  ~Listener() {
    if (thread_.joinable()) {
      thread_.request_stop();
      Wake();
      thread_.join();
    }
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  /// True while the connection is up and LISTENs to `channel` (set after the LISTEN, cleared as
  /// soon as a failure of the connection is seen).
  bool Listening(std::string_view channel) const {
    std::lock_guard lock(mu_);
    return std::find(listening_.begin(), listening_.end(), channel) != listening_.end();
  }

  void Subscribe(std::string channel, std::function<void()> on_change) {
    {
      std::lock_guard lock(mu_);
      subscriptions_.push_back({std::move(channel), std::move(on_change)});
      if (!thread_.joinable()) thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
    }
    Wake();
  }

 private:
  struct Subscription {
    std::string channel;
    std::function<void()> on_change;
  };

  void Wake() const {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
  }

  // Waits until the socket (if any) is readable, Wake() was called, or `timeout` passed.
  // Answers whether the socket is readable.
  bool Wait(int socket, std::chrono::milliseconds timeout) const {
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {socket, POLLIN, 0}};
    const int n = ::poll(fds, socket >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
    if (n > 0 && (fds[0].revents & POLLIN) != 0) {
      std::uint64_t value = 0;
      [[maybe_unused]] auto r = ::read(wake_fd_, &value, sizeof value);
    }
    return n > 0 && socket >= 0 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
  }

  void Call(const std::vector<std::string>& channels) const {
    std::vector<std::function<void()>> calls;
    {
      std::lock_guard lock(mu_);
      for (const auto& s : subscriptions_) {
        if (std::find(channels.begin(), channels.end(), s.channel) != channels.end()) calls.push_back(s.on_change);
      }
    }
    for (const auto& fn : calls) fn();
  }

  // The channels of the notices that arrived from other processes.
  std::vector<std::string> Drain(PGconn* conn) const {
    std::vector<std::string> channels;
    while (PGnotify* n = PQnotifies(conn)) {
      if (token_ != (n->extra != nullptr ? n->extra : "") &&
          std::find(channels.begin(), channels.end(), n->relname) == channels.end()) {
        channels.emplace_back(n->relname);
      }
      PQfreemem(n);
    }
    return channels;
  }

  // LISTENs to the channels subscribed since `listened`; answers false when the connection failed.
  bool ListenNew(Connection& conn, std::vector<std::string>& listened, std::size_t& done) const {
    std::vector<std::string> fresh;
    {
      std::lock_guard lock(mu_);
      for (; done < subscriptions_.size(); ++done) fresh.push_back(subscriptions_[done].channel);
    }
    if (fresh.empty()) return true;
    for (const auto& channel : fresh) {
      if (std::find(listened.begin(), listened.end(), channel) != listened.end()) continue;
      char* quoted = PQescapeIdentifier(conn.get(), channel.c_str(), channel.size());
      if (quoted == nullptr) return false;
      const std::string sql = std::string("LISTEN ") + quoted;
      PQfreemem(quoted);
      if (!conn.Command(sql.c_str(), "listen")) return false;
      listened.push_back(channel);
      std::lock_guard lock(mu_);
      listening_.push_back(channel);
    }
    // Listening now: a change committed from here on is notified; one committed before is read
    // by the reload these callbacks start.
    Call(fresh);
    if (auto notified = Drain(conn.get()); !notified.empty()) Call(notified);
    return true;
  }

  void StopListening() {
    std::lock_guard lock(mu_);
    listening_.clear();
  }

  void Run(const std::stop_token& stop) {
    std::chrono::milliseconds backoff{0};
    bool lost = false;
    while (!stop.stop_requested()) {
      if (backoff.count() > 0) Wait(-1, backoff);
      if (stop.stop_requested()) return;
      auto connected = Connection::Connect(options_, application_name_.c_str());
      if (!connected) {
        if (!lost) log::Warn("db_listener_lost", {{"internal", connected.error().internal}});
        lost = true;
        backoff = std::min(std::max(backoff * 2, std::chrono::milliseconds(100)), std::chrono::milliseconds(2000));
        continue;
      }
      if (lost) log::Info("db_listener_reconnected");
      lost = false;
      Connection& conn = **connected;
      std::vector<std::string> listened;
      std::size_t done = 0;
      bool ok = true;
      while (ok && !stop.stop_requested()) {
        ok = ListenNew(conn, listened, done);
        if (!ok) break;
        // Every 30 s of silence the connection is tested, so that a link that died without a
        // word (a failover behind a firewall) is noticed.
        if (Wait(PQsocket(conn.get()), std::chrono::seconds(30))) {
          ok = PQconsumeInput(conn.get()) == 1 && conn.Ok();
        } else if (!stop.stop_requested()) {
          ok = static_cast<bool>(conn.Command("SELECT 1", "listener_ping"));
        }
        if (auto notified = Drain(conn.get()); !notified.empty()) Call(notified);
      }
      StopListening();
      if (stop.stop_requested()) return;
      log::Warn("db_listener_lost", {{"internal", std::string("listener: ") + PQerrorMessage(conn.get())}});
      lost = true;
      backoff = std::chrono::milliseconds(0);  // the first new attempt at once
    }
  }

  Options options_;
  std::string token_;
  std::string application_name_;
  int wake_fd_;
  mutable std::mutex mu_;
  std::vector<Subscription> subscriptions_;  // only appended to
  mutable std::vector<std::string> listening_;  // the channels LISTENed to on the current connection
  std::jthread thread_;
};

class PgDatabase final : public Database {
 public:
  explicit PgDatabase(const Options& options) : pool_(options), listener_(options) {
    detail::SetSubscriber(this, {.subscribe = [this](std::string channel,
                                                     std::function<void()> on_change) {
                                   listener_.Subscribe(std::move(channel), std::move(on_change));
                                 },
                                 .listening = [this](std::string_view channel) { return listener_.Listening(channel); }});
  }
  ~PgDatabase() override { detail::SetSubscriber(this, {}); }

  Status Init() {
    // Borrow and return one connection: a wrong URL or a server that is down shows right away.
    FD_TRY(pool_.Acquire());
    return {};
  }

  Backend backend() const override { return Backend::kPostgres; }

  Status Read(const std::function<Status(Session&)>& fn) override {
    Lease conn = FD_TRY(pool_.Acquire());
    PgSession session(*conn, false);
    return fn(session);
  }

  Status Write(const std::function<Status(Session&)>& fn) override {
    Lease conn = FD_TRY(pool_.Acquire());
    // BEGIN is the first contact with the server: if the connection turns out to be stale,
    // nothing has happened yet and it is safe to reconnect and begin again.
    if (auto begun = conn->Command("BEGIN", "begin"); !begun) {
      if (conn->Lost() && conn->Reset()) {
        FD_TRY(conn->Command("BEGIN", "begin"));
      } else {
        return Fail(std::move(begun.error()));
      }
    }
    PgSession session(*conn, true);
    Status status;
    try {
      status = fn(session);
    } catch (...) {
      Rollback(*conn);
      throw;
    }
    if (status && session.failure()) {
      status = Fail(*session.failure());
    }
    if (!status) {
      Rollback(*conn);
      return status;
    }
    ResultPtr res = FD_TRY(conn->Command("COMMIT", "commit"));
    // COMMIT of a transaction that had failed answers "ROLLBACK" rather than an error.
    if (std::string_view(PQcmdStatus(res.get())) != "COMMIT") {
      return Fail(Error::Internal("commit: the transaction was rolled back by the server"));
    }
    return {};
  }

  Status Ping() override {
    static constexpr db::Query kPing{"ping", "SELECT 1"};
    return Read([](Session& s) -> Status {
      FD_TRY(s.Query(kPing));
      return {};
    });
  }

  PoolStats Stats() const override { return pool_.Stats(); }

 private:

  static void Rollback(Connection& conn) {
    // If the connection is gone the server rolls back by itself.
    ResultPtr res(PQexec(conn.get(), "ROLLBACK"));
  }

  Pool pool_;
  Listener listener_;  // after the pool: stopped first
};

}  // namespace

Result<std::unique_ptr<Database>> Open(const Options& options) {
  if (options.pool_size < 1) {
    return Fail(Error::Internal("postgres: pool size must be at least 1"));
  }
  auto db = std::make_unique<PgDatabase>(options);
  FD_TRY_VOID(db->Init());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace fairdesk::db::postgres
