#include "platform/http/client_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <charconv>

namespace fairdesk::http {
namespace ip = boost::asio::ip;

struct TrustedProxies::Impl {
  std::vector<ip::network_v4> v4;
  std::vector<ip::network_v6> v6;
};

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<ip::address> ParseAddress(std::string_view text) {
  text = Trim(text);
  boost::system::error_code ec;
  ip::address a = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  // An IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d.
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

}  // namespace

TrustedProxies::TrustedProxies() : impl_(std::make_shared<Impl>()) {}
TrustedProxies::~TrustedProxies() = default;
TrustedProxies::TrustedProxies(const TrustedProxies&) = default;
TrustedProxies& TrustedProxies::operator=(const TrustedProxies&) = default;

std::optional<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& entries, std::string* bad_entry) {
  auto impl = std::make_shared<Impl>();
  for (const std::string& raw : entries) {
    std::string_view entry = Trim(raw);
    if (entry.empty()) continue;
    const auto slash = entry.find('/');
    auto address = ParseAddress(entry.substr(0, slash));
    int prefix = -1;
    if (slash != std::string_view::npos) {
      std::string_view bits = entry.substr(slash + 1);
      auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
      if (ec != std::errc{} || end != bits.data() + bits.size()) address.reset();
    }
    if (!address) {
      if (bad_entry) *bad_entry = std::string(entry);
      return std::nullopt;
    }
    try {
      if (address->is_v4()) {
        impl->v4.push_back(ip::network_v4(address->to_v4(), prefix < 0 ? 32 : static_cast<unsigned short>(prefix)).canonical());
      } else {
        impl->v6.push_back(ip::network_v6(address->to_v6(), prefix < 0 ? 128 : static_cast<unsigned short>(prefix)).canonical());
      }
    } catch (const std::exception&) {  // prefix out of range
      if (bad_entry) *bad_entry = std::string(entry);
      return std::nullopt;
    }
  }
  TrustedProxies out;
  out.impl_ = std::move(impl);
  return out;
}

bool TrustedProxies::empty() const { return impl_->v4.empty() && impl_->v6.empty(); }

bool TrustedProxies::Contains(std::string_view text) const {
  auto address = ParseAddress(text);
  if (!address) return false;
  if (address->is_v4()) {
    for (const auto& n : impl_->v4) {
      if (ip::network_v4(address->to_v4(), n.prefix_length()).canonical() == n) return true;
    }
  } else {
    for (const auto& n : impl_->v6) {
      if (ip::network_v6(address->to_v6(), n.prefix_length()).canonical() == n) return true;
    }
  }
  return false;
}

std::string TrustedProxies::ClientAddress(std::string_view peer, std::string_view forwarded) const {
  auto normalise = [](std::string_view text) {
    auto a = ParseAddress(text);
    return a ? a->to_string() : std::string(Trim(text));
  };
  std::string client = normalise(peer);
  if (forwarded.empty() || empty() || !Contains(client)) return client;
  // From the right: each entry was appended by the hop before; stop at the first one that is not
  // a trusted proxy. An entry that is no address ends the walk (the proxy's own view stands).
  while (!forwarded.empty()) {
    const auto comma = forwarded.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1);
    forwarded = comma == std::string_view::npos ? std::string_view{} : forwarded.substr(0, comma);
    auto address = ParseAddress(entry);
    if (!address) break;
    client = address->to_string();
    if (!Contains(client)) break;
  }
  return client;
}

}  // namespace fairdesk::http
