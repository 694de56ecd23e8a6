// SHA-256 (OpenSSL) for digests, commitments and draw tickets.
// Sha256Prefix hashes many messages sharing one prefix: the state after the prefix's whole
// 64-byte blocks is computed once and copied per message (the draw's hot path).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace suiji {

using Digest = std::array<std::uint8_t, 32>;

Digest Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
std::string ToHex(const std::uint8_t* data, std::size_t n);
inline std::string ToHex(const Digest& d) { return ToHex(d.data(), d.size()); }
// Equality whose time does not depend on where the first difference is (for secrets and their digests).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

class Sha256Prefix {
 public:
  explicit Sha256Prefix(std::string_view prefix);
  ~Sha256Prefix();
  Sha256Prefix(const Sha256Prefix&) = delete;
  Sha256Prefix& operator=(const Sha256Prefix&) = delete;
  // SHA-256(prefix + suffix).
  Digest Hash(std::string_view suffix) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace suiji
