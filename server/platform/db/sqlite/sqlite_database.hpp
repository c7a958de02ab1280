#pragma once
/// The SQLite adapter: one writer connection behind a mutex (Write = BEGIN IMMEDIATE ... COMMIT)
/// and a pool of read-only reader connections, all in WAL mode, so readers never wait for the
/// writer. ":memory:" uses a single connection for everything, since separate connections would
/// each see their own empty database.

#include <chrono>
#include <memory>
#include <string>

#include "platform/db/database.hpp"

namespace fairdesk::db::sqlite {

struct Options {
  std::string path;  // a file path or ":memory:"
  int readers = 4;
  /// How long SQLite retries a locked database (another process writing) before giving up.
  std::chrono::milliseconds busy_timeout{5000};
  /// How long Read waits for a free reader and Write for the writer before answering kUnavailable.
  std::chrono::milliseconds acquire_timeout{5000};
};

Result<std::unique_ptr<Database>> Open(const Options& options);

}  // namespace fairdesk::db::sqlite
