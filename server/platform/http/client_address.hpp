#pragma once
/// The client's address as seen through trusted reverse proxies (issue 8 #6, #11): the peer's
/// address, unless the peer is a configured proxy; then X-Forwarded-For is read from the right,
/// skipping further trusted proxies, and the first address that is not one is the client. A
/// client can put anything into X-Forwarded-For, so only the entries that trusted proxies
/// appended are believed.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::http {

class TrustedProxies {
 public:
  /// Each entry an IPv4/IPv6 address or a CIDR range ("10.0.0.0/8"); nullopt names the first
  /// entry that is neither.
  static std::optional<TrustedProxies> Parse(const std::vector<std::string>& entries, std::string* bad_entry = nullptr);
  TrustedProxies();
  ~TrustedProxies();
  TrustedProxies(const TrustedProxies&);
  TrustedProxies& operator=(const TrustedProxies&);

  bool Contains(std::string_view address) const;
  bool empty() const;
  /// The client address for a connection from `peer` with the X-Forwarded-For header `forwarded`
  /// (empty when absent).
  std::string ClientAddress(std::string_view peer, std::string_view forwarded) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace fairdesk::http
