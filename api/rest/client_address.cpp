#include "api/rest/client_address.h"

#include <arpa/inet.h>

#include <algorithm>

namespace suiji::rest {

std::optional<std::string> CanonicalAddress(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  char out[INET6_ADDRSTRLEN];
  unsigned char bytes[16];
  if (inet_pton(AF_INET, s.c_str(), bytes) == 1 && inet_ntop(AF_INET, bytes, out, sizeof out)) return std::string(out);
  if (inet_pton(AF_INET6, s.c_str(), bytes) == 1 && inet_ntop(AF_INET6, bytes, out, sizeof out)) return std::string(out);
  return std::nullopt;
}

std::optional<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& addresses, std::string* error) {
  TrustedProxies t;
  for (const auto& a : addresses) {
    auto c = CanonicalAddress(a);
    if (!c) {
      if (error) *error = "--trusted-proxy '" + a + "' is not an IP address (one address per option, no names or ranges)";
      return std::nullopt;
    }
    t.addresses_.push_back(*c);
  }
  return t;
}

bool TrustedProxies::Trusted(const std::string& canonical) const {
  return std::find(addresses_.begin(), addresses_.end(), canonical) != addresses_.end();
}

std::string TrustedProxies::ClientOf(const std::string& peer, std::string_view forwarded_for) const {
  std::string client = CanonicalAddress(peer).value_or(peer);
  if (addresses_.empty() || !Trusted(client)) return client;
  // Right to left: each hop we trust vouches for the one before it.
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const std::string_view entry = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    auto c = CanonicalAddress(entry);
    if (!c) return client;  // the last trusted hop
    client = *c;
    if (!Trusted(client)) return client;
  }
  return client;
}

}  // namespace suiji::rest
