// Beast client for the OIDC back channel. One request per connection keeps it simple: the
// requests are rare (discovery and keys are cached, one token request per sign-in).

#include "auth/oidc_http.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url.hpp>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cstdlib>

namespace fairdesk::auth::oidc {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kMaxBody = 1 << 20;

// Synchronous socket calls ignore Beast's timer: the kernel's send and receive timeouts bound
// every read and write instead.
void SetSocketTimeouts(tcp::socket& socket, std::chrono::seconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count());
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// An extra CA bundle (PEM) trusted besides the system's, for an identity provider whose
// certificate comes from the organisation's own CA: FAIRDESK_OIDC_CA_FILE.
std::string ExtraCaFile() {
  const char* v = std::getenv("FAIRDESK_OIDC_CA_FILE");
  return v ? std::string(v) : std::string();
}

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  (void)net::ip::make_address(host, ec);
  return !ec;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

template <typename Stream>
Result<HttpReply> Exchange(Stream& stream, beast::tcp_stream& lowest, const HttpRequest& r, const std::string& target,
                           const std::string& host_header) {
  http::request<http::string_body> req{r.method == "POST" ? http::verb::post : http::verb::get, target, 11};
  req.set(http::field::host, host_header);
  req.set(http::field::user_agent, "fairdesk-oidc");
  req.set(http::field::accept, "application/json");
  for (const auto& [name, value] : r.headers) req.set(name, value);
  if (!r.body.empty() || r.method == "POST") {
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = r.body;
    req.prepare_payload();
  }
  beast::error_code ec;
  lowest.expires_after(r.timeout);
  http::write(stream, req, ec);
  if (ec) return Fail(Error::Unavailable("oidc: writing the request failed: " + ec.message()));
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxBody);
  http::read(stream, buffer, parser, ec);
  if (ec) return Fail(Error::Unavailable("oidc: reading the answer failed: " + ec.message()));
  return HttpReply{static_cast<int>(parser.get().result_int()), parser.get().body()};
}

}  // namespace

bool IsAllowedUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return false;
  if (parsed->scheme() == "https") return !parsed->host().empty();
  return parsed->scheme() == "http" && IsLoopbackHost(parsed->host());
}

std::string FormEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Result<HttpReply> Fetch(const HttpRequest& r) {
  if (!IsAllowedUrl(r.url)) {
    return Fail(Error::Unavailable("oidc: refused URL (https, or http only to a loopback address)"));
  }
  auto url = boost::urls::parse_absolute_uri(r.url).value();
  const bool tls = url.scheme() == "https";
  std::string host = url.host();
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const std::string port = url.has_port() ? std::string(url.port()) : (tls ? "443" : "80");
  std::string target = std::string(url.encoded_path());
  if (target.empty()) target = "/";
  if (url.has_query()) target += "?" + std::string(url.encoded_query());
  const std::string host_header = std::string(url.encoded_host_and_port());

  // The synchronous calls run on the blocking pool of the HTTP server. The stream's timer makes
  // every step give up after `timeout` (connect, TLS, write, read).
  net::io_context ioc;
  beast::error_code ec;
  tcp::resolver resolver(ioc);
  auto endpoints = resolver.resolve(host, port, ec);
  if (ec) return Fail(Error::Unavailable("oidc: resolving the issuer's host failed: " + ec.message()));

  if (!tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(r.timeout);
    stream.connect(endpoints, ec);
    if (ec) return Fail(Error::Unavailable("oidc: connecting failed: " + ec.message()));
    SetSocketTimeouts(stream.socket(), r.timeout);
    auto reply = Exchange(stream, stream, r, target, host_header);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return reply;
  }
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_default_verify_paths(ec);
  if (ec) return Fail(Error::Unavailable("oidc: no trusted CA certificates: " + ec.message()));
  if (const std::string ca = ExtraCaFile(); !ca.empty()) {
    ctx.load_verify_file(ca, ec);
    if (ec) return Fail(Error::Unavailable("oidc: FAIRDESK_OIDC_CA_FILE " + ca + " cannot be read as PEM certificates: " + ec.message()));
  }
  ctx.set_verify_mode(net::ssl::verify_peer);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  if (!IsIpLiteral(host) && !SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
    return Fail(Error::Unavailable("oidc: setting the TLS server name failed"));
  }
  // OpenSSL checks the name during verification (RFC 6125: subjectAltName DNS or IP), so a
  // mismatch is reported as such ("hostname mismatch") instead of a bare verification failure.
  X509_VERIFY_PARAM* param = SSL_get0_param(stream.native_handle());
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  const int named = IsIpLiteral(host) ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                      : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (named != 1) return Fail(Error::Unavailable("oidc: setting the expected TLS host name failed"));
  beast::get_lowest_layer(stream).expires_after(r.timeout);
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (ec) return Fail(Error::Unavailable("oidc: connecting failed: " + ec.message()));
  SetSocketTimeouts(beast::get_lowest_layer(stream).socket(), r.timeout);
  stream.handshake(net::ssl::stream_base::client, ec);
  if (ec) {
    const long verify = SSL_get_verify_result(stream.native_handle());
    if (verify != X509_V_OK) {
      return Fail(Error::Unavailable("oidc: the TLS certificate of " + host + " is not accepted: " +
                                     X509_verify_cert_error_string(verify) +
                                     " (trusted: the system's CAs" + (ExtraCaFile().empty() ? "" : " and FAIRDESK_OIDC_CA_FILE") +
                                     "; the name must match the issuer's host)"));
    }
    return Fail(Error::Unavailable("oidc: TLS handshake with " + host + " failed: " + ec.message()));
  }
  auto reply = Exchange(stream, beast::get_lowest_layer(stream), r, target, host_header);
  stream.shutdown(ec);
  return reply;
}

}  // namespace fairdesk::auth::oidc
