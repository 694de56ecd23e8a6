// ClientAddress: whom a request comes from, for the limiters (auth.h) and the request log. Behind a
// reverse proxy every TCP peer is the proxy, so the peer alone would make one brute-forcer lock out
// everyone (security.md, R4). When — and only when — the peer is one of the configured trusted proxies
// (`serve --trusted-proxy`), X-Forwarded-For is read from the right: the first address that is not
// itself a trusted proxy is the client, since only the entries our proxies appended can be believed
// (anything to their left was written by the client). A malformed entry stops the walk at the last
// trusted hop, so garbage never becomes a limiter key. Addresses are compared in canonical form
// (inet_ntop), so "::FFFF:10.0.0.1" and "::ffff:10.0.0.1" are one proxy.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suiji::rest {

// The canonical text of an IPv4 or IPv6 address, or nothing when `text` is not one.
std::optional<std::string> CanonicalAddress(std::string_view text);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Each entry must be an IP address (no names, no ranges); the error names the first that is not.
  static std::optional<TrustedProxies> Parse(const std::vector<std::string>& addresses, std::string* error);
  bool empty() const { return addresses_.empty(); }
  // The client of a request from TCP peer `peer` with X-Forwarded-For `forwarded_for` ("" if absent).
  std::string ClientOf(const std::string& peer, std::string_view forwarded_for) const;

 private:
  bool Trusted(const std::string& canonical) const;
  std::vector<std::string> addresses_;  // canonical
};

}  // namespace suiji::rest
