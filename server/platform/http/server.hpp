#pragma once
/// The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines, one strand per connection,
/// worker threads = cores. Keep-alive, header/body/idle timeouts, size limits, security headers
/// on every response, static web app, graceful shutdown on SIGTERM/SIGINT.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/http/metrics.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 0;  // 0: one per core
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds header_timeout{10};
  /// A body (and a response) may take this long in total; between two reads of a body at most
  /// `body_idle_timeout` may pass (408 otherwise), so slow but steady uploads get through.
  std::chrono::seconds body_timeout{600};
  std::chrono::seconds body_idle_timeout{20};
  std::chrono::seconds idle_timeout{60};
  /// Keep-alive idle time while more than half of `max_connections` are open.
  std::chrono::seconds pressure_idle_timeout{5};
  /// Open connections beyond this are answered 503 and closed.
  std::size_t max_connections = 1024;
  /// Request bodies held in memory at once (declared lengths, or the route limit for chunked
  /// bodies); a request that would exceed it is answered 503 before its body is read.
  std::size_t max_inflight_body_bytes = std::size_t{256} << 20;
  /// Threads of the pool that runs blocking handlers (database, encryption); 0: twice the cores,
  /// at least 4.
  int blocking_threads = 0;
  /// Threads of the pool that runs slow handlers (Route::slow) and makes streamed answers; 0: the
  /// cores, at least 2.
  int slow_threads = 0;
  /// Threads of the pool that runs password hashing (Argon2id, 64 MiB each); 0: half the cores.
  int hashing_threads = 0;
  /// Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed.
  std::vector<std::string> trusted_proxies;
  std::chrono::seconds shutdown_grace{30};
  /// Called once when SIGTERM/SIGINT arrives, before in-flight requests are waited for (so that
  /// background jobs stop between two batches while the server drains).
  std::function<void()> on_shutdown;
  std::string web_root;   // built web app (web/dist); empty: no static files
  std::string port_file;  // written with the bound port once listening (for tests on port 0)
};

/// Resolves the session of a request. Answers the principal, nullopt for no session, or an error
/// (for example an expired session) that is reported only on routes that need sign-in.
using Authenticator = std::function<Result<std::optional<Principal>>(Request&)>;

class StaticFiles;

class Server {
 public:
  Server(ServerOptions options, const Router& router, Authenticator authenticator, Metrics& metrics);
  ~Server();
  /// Serves until SIGTERM or SIGINT, then lets in-flight requests finish. Answers the exit code.
  int Run();
  /// Handles one request without a socket (used by the server loop and by tests).
  Response Handle(Request& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fairdesk::http
