// Fast canonical-JSON text for the bulk write path, byte-identical to core/canonical_json.h's
// CanonicalJson (nlohmann's dump with ensure_ascii=false): only '"', '\\' and control characters are
// escaped, non-ASCII UTF-8 passes through. The input must be valid UTF-8 (see ValidUtf8): the
// verifier re-parses what this writes, and nlohmann rejects invalid UTF-8.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace suiji::store {

// SWAR tests on 8 bytes at once (w read with memcpy, any byte order): exact "is there such a byte".
inline constexpr std::uint64_t kBytes01 = 0x0101010101010101ull, kBytes80 = 0x8080808080808080ull;
inline bool HasByteBelow(std::uint64_t w, unsigned char n) {  // n <= 128
  return ((w - kBytes01 * n) & ~w & kBytes80) != 0;
}
inline bool HasByte(std::uint64_t w, unsigned char b) {
  const std::uint64_t x = w ^ (kBytes01 * b);
  return ((x - kBytes01) & ~x & kBytes80) != 0;
}

// Appends s as a JSON string literal.
void AppendJsonString(std::string& out, std::string_view s);
bool ValidUtf8(std::string_view s);

}  // namespace suiji::store
