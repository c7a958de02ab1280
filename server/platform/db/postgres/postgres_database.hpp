#pragma once
/// The PostgreSQL adapter: a pool of libpq connections, each with its own prepared statements.
/// A connection that the server dropped (restart, failover) is reset on its next use; a read
/// outside a transaction is retried once on the fresh connection.

#include <chrono>
#include <memory>
#include <string>

#include "platform/db/database.hpp"

namespace fairdesk::db::postgres {

struct Options {
  std::string url;  // postgresql://user@host:port/dbname?...
  int pool_size = 4;
  /// How long Read and Write wait for a free connection before answering kUnavailable.
  std::chrono::milliseconds acquire_timeout{5000};
  /// libpq's connect_timeout unless the URL sets one.
  int connect_timeout_seconds = 5;
};

/// Connects one connection right away, so that a wrong URL or an unreachable server shows at
/// start-up; the others are connected when first needed.
Result<std::unique_ptr<Database>> Open(const Options& options);

}  // namespace fairdesk::db::postgres
