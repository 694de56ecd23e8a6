#include "core/sha256.h"

// The low-level SHA256_* API is deprecated in OpenSSL 3 but is the fastest for short messages
// and the only one that lets us copy a mid-state cheaply.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>

namespace suiji {

Digest Sha256(std::string_view data) {
  Digest d;
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, data.data(), data.size());
  SHA256_Final(d.data(), &c);
  return d;
}

std::string ToHex(const std::uint8_t* data, std::size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = kHex[data[i] >> 4];
    s[2 * i + 1] = kHex[data[i] & 15];
  }
  return s;
}

std::string Sha256Hex(std::string_view data) { return ToHex(Sha256(data)); }

struct Sha256Prefix::State {
  SHA256_CTX ctx;
};

Sha256Prefix::Sha256Prefix(std::string_view prefix) : state_(std::make_unique<State>()) {
  SHA256_Init(&state_->ctx);
  SHA256_Update(&state_->ctx, prefix.data(), prefix.size());
}

Sha256Prefix::~Sha256Prefix() = default;

Digest Sha256Prefix::Hash(std::string_view suffix) const {
  SHA256_CTX c = state_->ctx;  // whole blocks already compressed; the tail is buffered in c
  SHA256_Update(&c, suffix.data(), suffix.size());
  Digest d;
  SHA256_Final(d.data(), &c);
  return d;
}

}  // namespace suiji

namespace suiji {
bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace suiji
