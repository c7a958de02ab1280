#include "platform/http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/url.hpp>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <limits>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "platform/core/pending.hpp"
#include "platform/http/client_address.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/static_files.hpp"
#include "platform/log/log.hpp"
#include "platform/log/request_line.hpp"

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
  // Password hashing (Argon2id, 64 MiB each) has its own small pool (issue 8 #3): a burst of
  // sign-ins queues here and leaves the blocking pool to everyone else.
  net::thread_pool hashing;
  // Statistics, reports, exports, PDFs and files (Route::slow) have their own pool as well: a
  // handful of them at once leave the blocking pool, and with it the case work, alone.
  net::thread_pool slow;
  std::atomic<int> active{0};
  std::atomic<bool> stopping{false};
  // The items of every request's PendingWork (audit entries being committed): Run waits for
  // them before the connections, to which their callbacks post, are freed.
  std::shared_ptr<PendingWork::Tracker> pending_items = std::make_shared<PendingWork::Tracker>();
  // Open connections and request-body bytes held (issue 8 #1).
  // Shared with the gauges, which may be read after the server is gone.
  std::shared_ptr<std::atomic<std::size_t>> connections_ = std::make_shared<std::atomic<std::size_t>>(0);
  std::shared_ptr<std::atomic<std::size_t>> body_bytes_ = std::make_shared<std::atomic<std::size_t>>(0);
  std::atomic<std::size_t>& connections = *connections_;
  std::atomic<std::size_t>& body_bytes = *body_bytes_;
  TrustedProxies proxies;

  static std::size_t Cores() { return std::max(1u, std::thread::hardware_concurrency()); }
  static std::size_t Threads(int configured, std::size_t fallback) {
    return configured > 0 ? static_cast<std::size_t>(configured) : fallback;
  }

  Impl(ServerOptions o, const Router& r, Authenticator a, Metrics& m)
      : options(std::move(o)), router(r), authenticator(std::move(a)), metrics(m), static_files(options.web_root),
        ioc(options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency())),
        // Twice the cores: a handler waits for the database now and then, but no longer for the
        // audit's group commit (PendingWork), and more runnable threads than cores only preempt
        // each other mid-request (the case list's p99 at 16 connections, docs/PERFORMANCE.md).
        blocking(Threads(options.blocking_threads, std::max<std::size_t>(4, 2 * Cores()))),
        hashing(Threads(options.hashing_threads, std::max<std::size_t>(1, Cores() / 2))),
        slow(Threads(options.slow_threads, std::max<std::size_t>(2, Cores()))) {
    std::string bad;
    auto parsed = TrustedProxies::Parse(options.trusted_proxies, &bad);
    if (!parsed) {
      log::Error("bad_trusted_proxy", {{"entry", bad}});
      throw std::invalid_argument("--trusted-proxy: not an address or CIDR range: " + bad);
    }
    proxies = std::move(*parsed);
    metrics.AddGauge("fairdesk_http_connections_open", "Open client connections",
                     [c = connections_] { return static_cast<double>(c->load()); });
    metrics.AddGauge("fairdesk_http_body_bytes_reserved", "Request-body bytes held against --max-inflight-body-bytes",
                     [b = body_bytes_] { return static_cast<double>(b->load()); });
  }

  bool UnderPressure() const { return connections.load() * 2 > options.max_connections; }

  // Holds request-body bytes against max_inflight_body_bytes for one request.
  struct BodyReservation {
    Impl& impl;
    std::size_t bytes = 0;
    bool Reserve(std::size_t n) {
      std::size_t current = impl.body_bytes.load();
      do {
        if (current + n > impl.options.max_inflight_body_bytes || current + n < current) return false;
      } while (!impl.body_bytes.compare_exchange_weak(current, current + n));
      bytes = n;
      return true;
    }
    ~BodyReservation() {
      if (bytes) impl.body_bytes -= bytes;
    }
  };

  struct ConnectionCount {
    Impl& impl;
    ~ConnectionCount() { --impl.connections; }
  };

  // RFC 9112 § 6.1 and § 6.3: a request with a transfer coding other than chunked, or with both
  // Transfer-Encoding and Content-Length, is answered 400 and the connection closed, since
  // where its body ends is not known for sure (request smuggling).
  static bool AmbiguousFraming(const bhttp::request_parser<bhttp::string_body>& parser) {
    const auto& h = parser.get();
    const std::size_t te_count = h.count(bhttp::field::transfer_encoding);
    if (te_count == 0) return h.count(bhttp::field::content_length) > 1;
    if (te_count > 1 || h.count(bhttp::field::content_length) > 0) return true;
    std::string_view te = h[bhttp::field::transfer_encoding];
    while (!te.empty() && (te.front() == ' ' || te.front() == '\t')) te.remove_prefix(1);
    while (!te.empty() && (te.back() == ' ' || te.back() == '\t')) te.remove_suffix(1);
    return !beast::iequals(te, "chunked");
  }

  // Reads the rest of the message. The body may take options.body_timeout in total, but the
  // client must send something at least every options.body_idle_timeout; a stall answers
  // beast::error::timeout with the socket still open, so that a 408 can be sent.
  net::awaitable<beast::error_code> ReadBody(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                             bhttp::request_parser<bhttp::string_body>& parser) {
    struct Watch {
      tcp::socket* socket = nullptr;
      bool reading = false;
      bool fired = false;
    };
    auto watch = std::make_shared<Watch>();
    watch->socket = &stream.socket();
    stream.expires_never();
    net::steady_timer timer(stream.get_executor());
    const auto deadline = std::chrono::steady_clock::now() + options.body_timeout;
    beast::error_code ec;
    while (!parser.is_done()) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) co_return beast::error::timeout;
      timer.expires_after(std::min<std::chrono::steady_clock::duration>(options.body_idle_timeout, deadline - now));
      watch->fired = false;
      timer.async_wait([watch](beast::error_code e) {
        if (!e && watch->reading) {
          watch->fired = true;
          beast::error_code ignored;
          watch->socket->cancel(ignored);
        }
      });
      watch->reading = true;
      co_await bhttp::async_read_some(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
      watch->reading = false;
      timer.cancel();
      if (ec && watch->fired) co_return beast::error::timeout;
      if (ec) co_return ec;
    }
    co_return ec;
  }

  // Beyond max_connections: a short 503 and the connection is closed.
  net::awaitable<void> RefuseConnection(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    Error e = Error::Unavailable("");
    e.detail = "The server is busy. Please try again in a moment.";
    Response r = Problem(e);
    AddSecurityHeaders(r);
    r.headers.emplace_back("Retry-After", "5");
    metrics.ObserveRequest("-", "(busy)", r.status, 0);
    const std::string head_text = SerializeHead(r, 11, false);
    const std::array<net::const_buffer, 2> pieces = {net::buffer(head_text), net::buffer(r.body)};
    stream.expires_after(std::chrono::seconds(2));
    beast::error_code ec;
    co_await net::async_write(stream, pieces, net::redirect_error(net::use_awaitable, ec));
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  // Access is decided from the request head alone (issue 8 #1): the session, the role, the CSRF
  // token and the content type. Answers the refusal, or nullopt when the handler may run.
  std::optional<Response> Admit(Request& req, const Route& route) const {
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
    const bool has_body = !req.body.empty() || req.headers.contains("transfer-encoding") ||
                          (req.headers.contains("content-length") && req.headers.at("content-length") != "0");
    if (route.json_body && has_body) {
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
    return std::nullopt;
  }

  // The head of a request with a body: 404/405 and every access refusal before a byte of the
  // body is read. nullopt: read the body, then Dispatch(..., admitted = true).
  std::optional<Response> AdmitHead(Request& req, const Match& m, std::string& route_label) const {
    if (!m.route) {
      if (!m.allowed_methods.empty() || (req.method != "GET" && req.method != "HEAD")) {
        return Dispatch(req, route_label, false, m);
      }
      return std::nullopt;  // a GET with a body goes to the static files as usual
    }
    route_label = m.route->pattern;
    return Admit(req, *m.route);
  }

  // `m` is the router's match for the request (found once per request).
  Response Dispatch(Request& req, std::string& route_label, bool admitted, Match m) const {
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
        for (const auto& fallback : router.fallbacks()) {
          if (auto answer = fallback.handler(req)) {
            route_label = fallback.label;
            return std::move(*answer);
          }
        }
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
    if (!admitted) {
      if (auto refused = Admit(req, route)) return std::move(*refused);
    }
    log::RequestScope log_scope(req.request_id);
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

  // What the request line and the route metrics need of an answer recorded after the handler.
  struct Handled {
    std::string route_label;
    std::chrono::steady_clock::time_point start;
  };

  // `deferred`: the answer is recorded by the caller (Record), once it knows the status it sends.
  Response HandleRequest(Request& req, bool admitted, Match match, Handled* deferred = nullptr) const {
    Handled handled{{}, std::chrono::steady_clock::now()};
    Response res = Dispatch(req, handled.route_label, admitted, std::move(match));
    Decorate(req, res);
    if (deferred) {
      *deferred = std::move(handled);
    } else {
      Record(req, res.status, handled);
    }
    return res;
  }

  // The refusal of a request from its head, finished like any answer; nullopt: read the body.
  std::optional<Response> HandleHead(Request& req, const Match& match) const {
    Handled handled{{}, std::chrono::steady_clock::now()};
    std::optional<Response> refused = AdmitHead(req, match, handled.route_label);
    if (!refused) return std::nullopt;
    Decorate(req, *refused);
    Record(req, refused->status, handled);
    return refused;
  }

  static void Decorate(const Request& req, Response& res) {
    AddSecurityHeaders(res);
    res.headers.emplace_back("X-Request-Id", req.request_id);
  }

  // The request line and the route metrics, with the status that is sent.
  void Record(const Request& req, int status, const Handled& handled) const {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - handled.start).count();
    metrics.ObserveRequest(req.method, handled.route_label, status, seconds);
    if (handled.route_label != "(static)") {
      log::Request(req.request_id, req.method, handled.route_label, status, seconds * 1000.0);
    }
  }

  // The status line and header fields of an answer in one string, written with the body in one
  // gather write (beast's serializer walks a sequence of a dozen buffers for each write, which cost
  // more CPU than the rest of a small answer). Content-Length is the body's, also for HEAD
  // (or the head_length a HEAD route states without a body);
  // answers without a body by definition (1xx, 204, 304) have none (RFC 9110 §8.6).
  static std::string SerializeHead(const Response& r, unsigned version, bool keep_alive) {
    std::string h;
    h.reserve(768);
    h += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    h += std::to_string(r.status);
    h += ' ';
    h += bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
    h += "\r\nServer: fairdesk\r\n";
    if (!r.content_type.empty() && r.status != 204) {
      h += "Content-Type: ";
      h += r.content_type;
      h += "\r\n";
    }
    for (const auto& [name, value] : r.headers) {
      h += name;
      h += ": ";
      h += value;
      h += "\r\n";
    }
    if (r.status >= 200 && r.status != 204 && r.status != 304) {
      h += "Content-Length: ";
      h += std::to_string(r.head_length.value_or(r.body.size()));
      h += "\r\n";
    }
    if (version >= 11 && !keep_alive) h += "Connection: close\r\n";
    if (version < 11 && keep_alive) h += "Connection: keep-alive\r\n";
    h += "\r\n";
    return h;
  }

  // A streamed answer (Response::stream): the head, then one chunk per piece, each produced on
  // the pool for slow work only after the previous one was written, so that a slow reader holds one
  // piece and no more. Each write may take options.body_timeout (an inactivity timeout).
  net::awaitable<beast::error_code> WriteStreamed(beast::tcp_stream& stream, Response res, unsigned version,
                                                  bool keep_alive, const std::string& request_id) {
    bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), version};
    head.set(bhttp::field::server, "fairdesk");
    if (!res.content_type.empty()) head.set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) head.insert(k, v);
    head.keep_alive(keep_alive);
    if (version >= 11) head.chunked(true);
    beast::error_code ec;
    stream.expires_after(options.body_timeout);
    bhttp::response_serializer<bhttp::empty_body> sr{head};
    co_await bhttp::async_write_header(stream, sr, net::redirect_error(net::use_awaitable, ec));
    struct Piece {
      bool ok = true;
      std::string bytes;
    };
    auto next = std::move(res.stream);
    while (!ec) {
      Piece piece = co_await net::co_spawn(
          slow,
          [&next, &request_id]() -> net::awaitable<Piece> {
            try {
              auto r = next();
              if (!r) {
                log::Error("stream_error", {{"request_id", request_id}, {"internal", r.error().internal}});
                co_return Piece{false, {}};
              }
              co_return Piece{true, std::move(*r)};
            } catch (const std::exception& ex) {
              log::Error("stream_exception", {{"request_id", request_id}, {"what", ex.what()}});
              co_return Piece{false, {}};
            }
          },
          net::use_awaitable);
      if (!piece.ok) co_return beast::error_code(net::error::connection_aborted);
      stream.expires_after(options.body_timeout);
      if (piece.bytes.empty()) {
        if (version >= 11) co_await net::async_write(stream, bhttp::make_chunk_last(), net::redirect_error(net::use_awaitable, ec));
        break;
      }
      if (version >= 11) {
        co_await net::async_write(stream, bhttp::make_chunk(net::buffer(piece.bytes)),
                                  net::redirect_error(net::use_awaitable, ec));
      } else {
        co_await net::async_write(stream, net::buffer(piece.bytes), net::redirect_error(net::use_awaitable, ec));
      }
    }
    co_return ec;
  }

  // Completes when every item of `pending` has finished, on the awaiting coroutine's executor.
  // Not a coroutine itself (GCC 12 destroyed a by-value coroutine parameter twice here); `pending`
  // must outlive the wait.
  static auto WaitFor(PendingWork& pending) {
    return net::async_initiate<const net::use_awaitable_t<>&, void(Status)>(
        [&pending](auto handler) {
          auto executor = net::get_associated_executor(handler);
          pending.OnDone([handler = std::move(handler), executor](Status status) mutable {
            net::post(executor, [handler = std::move(handler), status = std::move(status)]() mutable {
              std::move(handler)(std::move(status));
            });
          });
        },
        net::use_awaitable);
  }

  // The handler answered, but work it left running failed (the audit entry of a read was not
  // committed): the answer is replaced by the failure, so that no unaudited read is sent. The
  // request line (Record, after this) carries the failure's status; this event its cause.
  Response PendingFailed(const Request& req, const Error& error) {
    log::Error("request_work_failed", {{"request_id", req.request_id}, {"internal", error.internal}});
    Response r = Problem(error);
    Decorate(req, r);
    return r;
  }

  Response EarlyProblem(Error e, const std::string& request_id, std::string_view label, int status = 0,
                        std::string_view title = {}) {
    Response r = status ? ProblemWithStatus(e, status, title) : Problem(e);
    AddSecurityHeaders(r);
    r.headers.emplace_back("X-Request-Id", request_id);
    metrics.ObserveRequest("-", std::string(label), r.status, 0);
    log::Info("request", {{"request_id", request_id}, {"route", label}, {"status", r.status}});
    return r;
  }

  // 413: the route's own answer when it has one, else problem+json.
  Response TooLarge(const Route* route, const std::string& request_id) {
    if (!route || !route->too_large) return EarlyProblem(Error::TooLarge("The request body is too large."), request_id, "(too-large)");
    Response r = route->too_large();
    r.status = 413;
    AddSecurityHeaders(r);
    r.headers.emplace_back("X-Request-Id", request_id);
    metrics.ObserveRequest("-", "(too-large)", r.status, 0);
    log::Info("request", {{"request_id", request_id}, {"route", "(too-large)"}, {"status", r.status}});
    return r;
  }

  void RequestDone() {
    metrics.RequestFinished();
    if (--active == 0 && stopping) ioc.stop();
  }

  net::awaitable<void> ServeConnection(tcp::socket socket) {
    ConnectionCount counted{*this};  // counted up by Listen
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    std::string peer;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) peer = ep.address().to_string();
    }
    bool first = true;
    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      // The body limit depends on the route, known only after the header: no limit while the
      // header is read, then the route's limit (413 when Content-Length already exceeds it).
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      // Keep-alive connections idle for less while the server is busy (issue 8 #2).
      stream.expires_after(first ? options.header_timeout
                                 : UnderPressure() ? options.pressure_idle_timeout : options.idle_timeout);
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
      bool admitted = false;
      BodyReservation reservation{*this};
      unsigned version = 11;
      if (ec == bhttp::error::header_limit) {
        early = EarlyProblem({ErrorKind::kBadRequest, "The request headers are too large."}, request_id, "(header-limit)",
                             431, "Request header fields too large");
        have_early = true;
      } else if (ec) {
        early = EarlyProblem(Error::BadRequest("The request could not be parsed."), request_id, "(bad-request)");
        have_early = true;
      }
      Request req;
      Match match;  // the route, found once
      if (!have_early) {
        auto& h = parser.get();
        version = h.version();
        req.method = std::string(h.method_string());
        req.request_id = request_id;
        req.received_at = std::chrono::system_clock::now();
        for (const auto& field : h) {
          std::string name(field.name_string());
          std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
          req.headers[name] = std::string(field.value());
        }
        req.remote_address = proxies.ClientAddress(peer, req.Header("x-forwarded-for").value_or(""));
        if (!ParseTarget(h.target(), req)) {
          early = EarlyProblem(Error::BadRequest("The request target is not a valid path."), request_id, "(bad-target)");
          have_early = true;
        } else if (AmbiguousFraming(parser)) {
          early = EarlyProblem(Error::BadRequest("Transfer-Encoding must be chunked, and not sent with Content-Length."),
                               request_id, "(bad-framing)");
          have_early = true;
        } else {
          match = router.Find(req.method, req.path);
          const std::size_t limit = match.route ? match.route->max_body_bytes : std::size_t{1} << 20;
          auto len = parser.content_length();
          // An unknown route is a 404 (from the head, below), whatever the size of its body.
          if (match.route && len && *len > limit) {
            early = TooLarge(match.route, request_id);
            have_early = true;
          } else if (!parser.is_done()) {
            // Access is decided before a byte of the body is read (issue 8 #1).
            const Route* route = match.route;
            std::optional<Response> refused;
            if (route && route->blocking) {
              refused = co_await net::co_spawn(
                  blocking,
                  [this, &req, &match]() -> net::awaitable<std::optional<Response>> { co_return HandleHead(req, match); },
                  net::use_awaitable);
            } else {
              refused = HandleHead(req, match);
            }
            if (refused) {
              early = std::move(*refused);
              have_early = true;
            } else if (!reservation.Reserve(len ? *len : limit)) {
              Error busy = Error::Unavailable("");
              busy.detail = "The server is busy. Please try again in a moment.";
              early = EarlyProblem(busy, request_id, "(busy)");
              early.headers.emplace_back("Retry-After", "5");
              have_early = true;
            } else {
              admitted = true;
              parser.body_limit(limit);
              ec = co_await ReadBody(stream, buffer, parser);
              if (ec == bhttp::error::body_limit) {
                early = TooLarge(match.route, request_id);
                have_early = true;
              } else if (ec == beast::error::timeout) {
                Error slow = Error::BadRequest("The request body did not arrive in time.");
                slow.slug = "request-timeout";
                early = EarlyProblem(slow, request_id, "(timeout)", 408, "Request timeout");
                have_early = true;
              } else if (ec) {
                RequestDone();
                break;  // reset while reading the body: nothing to answer
              }
            }
          }
        }
      }
      bool keep_alive = !have_early && parser.get().keep_alive() && !stopping;
      Response res;
      if (have_early) {
        res = std::move(early);
      } else {
        req.body = std::move(parser.get().body());
        const Route* route = match.route;
        if (route && (route->blocking || route->hashing)) {
          // Work the handler leaves running (the audit entry of a read, committed by group commit
          // on another thread) is waited for here, off the pool's thread, before the answer goes out.
          // The request line and the route metrics are written once the status that goes out is
          // known: on the pool's thread when nothing was left running, else after the wait.
          auto pending = std::make_shared<PendingWork>(pending_items);
          Handled handled;
          res = co_await net::co_spawn(
              route->hashing ? hashing.get_executor()
              : route->slow  ? slow.get_executor()
                             : blocking.get_executor(),
              [this, &req, admitted, &match, &pending, &handled]() -> net::awaitable<Response> {
                PendingWork::Scope scope(*pending);
                Response r = HandleRequest(req, admitted, std::move(match), &handled);
                if (!pending->Started()) Record(req, r.status, handled);
                co_return r;
              },
              net::use_awaitable);
          if (pending->Started()) {
            Status finished = co_await WaitFor(*pending);
            if (!finished) res = PendingFailed(req, finished.error());
            Record(req, res.status, handled);
          }
        } else {
          // static files, errors, and routes that never block
          res = HandleRequest(req, admitted, std::move(match));
        }
      }
      bool head = req.method == "HEAD";
      if (res.stream && !head) {
        keep_alive = keep_alive && version >= 11;
        ec = co_await WriteStreamed(stream, std::move(res), version, keep_alive, req.request_id);
        RequestDone();
        if (ec || !keep_alive) break;
        continue;
      }
      // The head as one string and the body beside it, in one gather write.
      const std::string head_text = SerializeHead(res, version, keep_alive);
      const std::array<net::const_buffer, 2> pieces = {net::buffer(head_text),
                                                       head ? net::const_buffer() : net::buffer(res.body)};
      stream.expires_after(options.body_timeout);
      co_await net::async_write(stream, pieces, net::redirect_error(net::use_awaitable, ec));
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
      if (connections.load() >= options.max_connections) {
        net::co_spawn(executor, RefuseConnection(std::move(socket)), net::detached);
        continue;
      }
      ++connections;
      net::co_spawn(executor, ServeConnection(std::move(socket)), net::detached);
    }
  }
};

Server::Server(ServerOptions options, const Router& router, Authenticator authenticator, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(authenticator), metrics)) {}

Server::~Server() = default;

Response Server::Handle(Request& request) const {
  if (request.request_id.empty()) request.request_id = NewRequestId();
  return impl_->HandleRequest(request, false, impl_->router.Find(request.method, request.path));
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
    if (opts.on_shutdown) opts.on_shutdown();
    beast::error_code ignored;
    acceptor.close(ignored);
    if (impl_->active == 0) {
      ioc.stop();
      return;
    }
    grace.expires_after(opts.shutdown_grace);
    grace.async_wait([&](beast::error_code e) {
      if (e) return;
      // Requests still running are not answered; a read whose audit entry is still being
      // committed stays unanswered even if the commit succeeds.
      log::Warn("shutdown_grace_expired", {{"in_flight", impl_->active.load()}});
      ioc.stop();
    });
  });
  net::co_spawn(ioc, impl_->Listen(acceptor), net::detached);

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  impl_->blocking.join();
  impl_->hashing.join();
  impl_->slow.join();
  // Work that requests left running (audit entries being committed when the grace ran out)
  // reports to their connections, which go with this server: wait for it, 5 seconds at most (a
  // commit waits that long for a SQLite lock; with the default grace of 30 s the process is gone
  // before systemd's TimeoutStopSec=40s). A commit that does not end by then (a database that
  // does not answer) must not hold the process: it exits at once, as after a crash (nothing it
  // answered is lost; the unanswered reads' entries may or may not be committed).
  if (!impl_->pending_items->WaitIdle(std::chrono::steady_clock::now() + std::chrono::seconds(5))) {
    log::Error("shutdown_work_abandoned", {{"items", impl_->pending_items->Open()}});  // written at once
    std::_Exit(1);
  }
  log::Info("stopped");
  return 0;
}

}  // namespace fairdesk::http
