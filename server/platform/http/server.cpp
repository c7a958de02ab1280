#include "platform/http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/url.hpp>
#include <sodium.h>

#include <algorithm>
#include <limits>
#include <atomic>
#include <fstream>
#include <thread>

#include "platform/http/problem.hpp"
#include "platform/http/static_files.hpp"
#include "platform/log/log.hpp"

namespace fairdesk::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

// Request ids: a random per-process prefix and a counter. Unique within a process, unguessable
// across processes, and no system call per request (libsodium's randombytes would make one).
std::string NewRequestId() {
  static const std::uint64_t prefix = [] {
    std::uint64_t p = 0;
    randombytes_buf(&p, sizeof p);
    return p;
  }();
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t id = prefix ^ (++counter * 0x9E3779B97F4A7C15ull);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[i] = kHex[id & 15];
    id >>= 4;
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsSafeMethod(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

// Parses the request target into path and query; answers false for targets that cannot be a
// valid origin-form (absolute URLs, invalid percent-encoding, encoded NUL or slash tricks).
bool ParseTarget(std::string_view target, Request& req) {
  if (target.empty() || target[0] != '/') return false;
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return false;
  std::string path = parsed->path();  // decoded
  if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) return false;
  // Dot segments and empty segments (also when percent-encoded) are refused outright rather
  // than normalised: no legitimate client sends them, and refusing keeps traversal impossible.
  if (!SplitPath(path)) return false;
  req.path = std::move(path);
  for (auto param : parsed->params()) {
    req.query.emplace(param.key, param.value);
  }
  return true;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  Authenticator authenticator;
  Metrics& metrics;
  StaticFiles static_files;
  net::io_context ioc;
  // Handlers block (Argon2id, database, encryption of uploads), so they run on their own pool and
  // the I/O threads stay free to accept, read and write.
  net::thread_pool blocking;
  std::atomic<int> active{0};
  std::atomic<bool> stopping{false};

  Impl(ServerOptions o, const Router& r, Authenticator a, Metrics& m)
      : options(std::move(o)), router(r), authenticator(std::move(a)), metrics(m), static_files(options.web_root),
        ioc(options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency())),
        blocking(std::max<std::size_t>(4, 2 * std::max(1u, std::thread::hardware_concurrency()))) {}

  std::size_t BodyLimitFor(std::string_view method, std::string_view path) const {
    Match m = router.Find(method, path);
    return m.route ? m.route->max_body_bytes : std::size_t{1} << 20;
  }

  Response Dispatch(Request& req, std::string& route_label) const {
    Match m = router.Find(req.method, req.path);
    if (!m.route) {
      if (!m.allowed_methods.empty()) {
        route_label = "(method-not-allowed)";
        std::string allow;
        for (const auto& a : m.allowed_methods) allow += (allow.empty() ? "" : ", ") + a;
        Response r = Problem({ErrorKind::kMethodNotAllowed, "This method is not allowed here."});
        r.headers.emplace_back("Allow", allow);
        return r;
      }
      if (req.method == "GET" || req.method == "HEAD") {
        if (auto file = static_files.Serve(req)) {
          route_label = "(static)";
          return *file;
        }
      }
      route_label = "(unmatched)";
      return Problem(Error::NotFound("No such resource."));
    }
    const Route& route = *m.route;
    route_label = route.pattern;
    req.path_params = std::move(m.params);

    auto principal = authenticator && route.session ? authenticator(req) : Result<std::optional<Principal>>(std::nullopt);
    if (!principal) {
      if (route.access != Access::kPublic) return Problem(principal.error());
    } else {
      req.principal = std::move(*principal);
    }
    if (route.access == Access::kSignedIn) {
      if (!req.principal) return Problem(Error::Unauthenticated());
      if (!route.roles.empty() &&
          std::find(route.roles.begin(), route.roles.end(), req.principal->role) == route.roles.end()) {
        return Problem(Error::Forbidden());
      }
    }
    // A JSON route takes only JSON: a form or text/plain body from another site (which a browser
    // may send without a CORS preflight) is refused before it can sign anyone in or change data.
    if (route.json_body && !req.body.empty()) {
      auto type = req.Header("content-type").value_or("");
      std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
      if (!type.starts_with("application/json") && !type.starts_with("application/problem+json")) {
        return Problem({ErrorKind::kUnsupportedMedia, "The request body must be application/json."});
      }
    }
    if (req.principal && route.csrf && !IsSafeMethod(req.method)) {
      auto token = req.Header("x-csrf-token");
      if (!token || !ConstantTimeEquals(*token, req.principal->csrf_token)) {
        Error e = Error::Forbidden("The request lacks a valid X-CSRF-Token header.");
        e.slug = "csrf";
        return Problem(e);
      }
    }
    try {
      auto result = route.handler(req);
      if (!result) {
        const Error& e = result.error();
        if (e.kind == ErrorKind::kInternal || e.kind == ErrorKind::kUnavailable) {
          log::Error("handler_error", {{"request_id", req.request_id}, {"route", route.pattern}, {"internal", e.internal}});
        }
        return Problem(e);
      }
      return std::move(*result);
    } catch (const std::exception& ex) {
      // Exceptions are faults of the environment; the message may name internals, so it is
      // logged (it never holds request data) and the caller gets a generic 500.
      log::Error("handler_exception", {{"request_id", req.request_id}, {"route", route.pattern}, {"what", ex.what()}});
      return Problem(Error::Internal(""));
    }
  }

  static void AddSecurityHeaders(Response& r) {
    r.headers.emplace_back("Content-Security-Policy", std::string(kCsp));
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
    r.headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    bool has_cache = std::any_of(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "Cache-Control"; });
    if (!has_cache) r.headers.emplace_back("Cache-Control", "no-store");
  }

  Response HandleRequest(Request& req) const {
    auto start = std::chrono::steady_clock::now();
    std::string route_label;
    Response res = Dispatch(req, route_label);
    AddSecurityHeaders(res);
    res.headers.emplace_back("X-Request-Id", req.request_id);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics.ObserveRequest(req.method, route_label, res.status, seconds);
    if (route_label != "(static)" && log::Enabled(log::Level::kInfo)) {
      log::Info("request", {{"request_id", req.request_id},
                            {"method", req.method},
                            {"route", route_label},
                            {"status", res.status},
                            {"duration_ms", seconds * 1000.0}});
    }
    return res;
  }

  static bhttp::response<bhttp::string_body> ToBeast(Response&& r, unsigned version, bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), version};
    out.set(bhttp::field::server, "fairdesk");
    if (!r.content_type.empty() && r.status != 204) out.set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) out.insert(k, v);
    out.keep_alive(keep_alive);
    if (head) {
      out.content_length(r.body.size());
    } else {
      out.body() = std::move(r.body);
      out.prepare_payload();
    }
    return out;
  }

  Response EarlyProblem(Error e, const std::string& request_id, std::string_view label) {
    Response r = Problem(e);
    AddSecurityHeaders(r);
    r.headers.emplace_back("X-Request-Id", request_id);
    metrics.ObserveRequest("-", std::string(label), r.status, 0);
    log::Info("request", {{"request_id", request_id}, {"route", label}, {"status", r.status}});
    return r;
  }

  void RequestDone() {
    metrics.RequestFinished();
    if (--active == 0 && stopping) ioc.stop();
  }

  net::awaitable<void> ServeConnection(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    std::string remote;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    bool first = true;
    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      // The body limit depends on the route, known only after the header: no limit while the
      // header is read, then the route's limit (413 when Content-Length already exceeds it).
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      stream.expires_after(first ? options.header_timeout : options.idle_timeout);
      first = false;
      beast::error_code ec;
      co_await bhttp::async_read_header(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::eof ||
          ec == net::error::operation_aborted || ec == net::error::connection_reset) {
        break;
      }
      ++active;
      metrics.RequestStarted();
      std::string request_id = NewRequestId();
      Response early;
      bool have_early = false;
      unsigned version = 11;
      if (ec == bhttp::error::header_limit) {
        early = EarlyProblem({ErrorKind::kBadRequest, "The request headers are too large."}, request_id, "(header-limit)");
        early.status = 431;
        have_early = true;
      } else if (ec) {
        early = EarlyProblem(Error::BadRequest("The request could not be parsed."), request_id, "(bad-request)");
        have_early = true;
      }
      Request req;
      if (!have_early) {
        auto& h = parser.get();
        version = h.version();
        req.method = std::string(h.method_string());
        req.request_id = request_id;
        req.remote_address = remote;
        req.received_at = std::chrono::system_clock::now();
        if (!ParseTarget(h.target(), req)) {
          early = EarlyProblem(Error::BadRequest("The request target is not a valid path."), request_id, "(bad-target)");
          have_early = true;
        } else {
          std::size_t limit = BodyLimitFor(req.method, req.path);
          if (auto len = parser.content_length(); len && *len > limit) {
            early = EarlyProblem(Error::TooLarge("The request body is too large."), request_id, "(too-large)");
            have_early = true;
          } else {
            parser.body_limit(limit);
            stream.expires_after(options.body_timeout);
            co_await bhttp::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
            if (ec == bhttp::error::body_limit) {
              early = EarlyProblem(Error::TooLarge("The request body is too large."), request_id, "(too-large)");
              have_early = true;
            } else if (ec) {
              RequestDone();
              break;  // timeout or reset while reading the body: nothing to answer
            }
          }
        }
      }
      bool keep_alive = !have_early && parser.get().keep_alive() && !stopping;
      Response res;
      if (have_early) {
        res = std::move(early);
      } else {
        for (const auto& field : parser.get()) {
          std::string name(field.name_string());
          std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
          req.headers[name] = std::string(field.value());
        }
        req.body = std::move(parser.get().body());
        const Route* route = router.Find(req.method, req.path).route;
        if (route && route->blocking) {
          res = co_await net::co_spawn(
              blocking, [this, &req]() -> net::awaitable<Response> { co_return HandleRequest(req); },
              net::use_awaitable);
        } else {
          res = HandleRequest(req);  // static files, errors, and routes that never block
        }
      }
      bool head = req.method == "HEAD";
      auto out = ToBeast(std::move(res), version, keep_alive, head);
      stream.expires_after(options.body_timeout);
      if (head) {
        bhttp::response_serializer<bhttp::string_body> sr{out};
        co_await bhttp::async_write_header(stream, sr, net::redirect_error(net::use_awaitable, ec));
      } else {
        co_await bhttp::async_write(stream, out, net::redirect_error(net::use_awaitable, ec));
      }
      RequestDone();
      if (ec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
  }

  net::awaitable<void> Listen(tcp::acceptor& acceptor) {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(net::make_strand(ioc), net::redirect_error(net::use_awaitable, ec));
      if (ec) {
        if (ec == net::error::operation_aborted || stopping) co_return;
        continue;
      }
      auto executor = socket.get_executor();
      net::co_spawn(executor, ServeConnection(std::move(socket)), net::detached);
    }
  }
};

Server::Server(ServerOptions options, const Router& router, Authenticator authenticator, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(authenticator), metrics)) {}

Server::~Server() = default;

Response Server::Handle(Request& request) const {
  if (request.request_id.empty()) request.request_id = NewRequestId();
  return impl_->HandleRequest(request);
}

int Server::Run() {
  auto& ioc = impl_->ioc;
  auto& opts = impl_->options;
  beast::error_code ec;
  tcp::endpoint endpoint{net::ip::make_address(opts.bind, ec), opts.port};
  if (ec) {
    log::Error("bad_bind_address", {{"bind", opts.bind}});
    return 1;
  }
  tcp::acceptor acceptor(ioc);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    log::Error("listen_failed", {{"bind", opts.bind}, {"port", opts.port}, {"error", ec.message()}});
    return 1;
  }
  std::uint16_t port = acceptor.local_endpoint().port();
  if (!opts.port_file.empty()) {
    std::string tmp = opts.port_file + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), opts.port_file.c_str());
  }
  int threads = opts.threads > 0 ? opts.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  log::Info("listening", {{"bind", opts.bind}, {"port", port}, {"threads", threads},
                          {"static_files", !impl_->static_files.empty()}});

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  net::steady_timer grace(ioc);
  signals.async_wait([&](beast::error_code, int sig) {
    log::Info("shutdown", {{"signal", sig}, {"in_flight", impl_->active.load()}});
    impl_->stopping = true;
    beast::error_code ignored;
    acceptor.close(ignored);
    if (impl_->active == 0) {
      ioc.stop();
      return;
    }
    grace.expires_after(opts.shutdown_grace);
    grace.async_wait([&](beast::error_code e) {
      if (!e) ioc.stop();
    });
  });
  net::co_spawn(ioc, impl_->Listen(acceptor), net::detached);

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  impl_->blocking.join();
  log::Info("stopped");
  return 0;
}

}  // namespace fairdesk::http
