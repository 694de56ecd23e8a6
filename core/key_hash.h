// KeyHash: the 64-bit hash of a key (FNV-1a over its bytes, then a SplitMix64 finaliser), never 0 so
// that 0 can mark an empty slot. Equal bytes hash equal; the finaliser mixes FNV's weak high bits so
// that any bit range (a table slot, a Bloom block) is usable. Used by the import duplicate check and
// the store's batch checks; not a cryptographic hash and never stored.
//
//   KeyHash h;  h.Add(department); h.Add('\x1f'); h.Add(code);  std::uint64_t v = h.Finish();
#pragma once
#include <cstdint>
#include <string_view>

namespace suiji {

class KeyHash {
 public:
  void Add(std::string_view bytes) {
    for (unsigned char c : bytes) h_ = (h_ ^ c) * 1099511628211ull;
  }
  void Add(char c) { h_ = (h_ ^ static_cast<unsigned char>(c)) * 1099511628211ull; }
  std::uint64_t Finish() const {
    std::uint64_t h = h_;
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h == 0 ? 1 : h;
  }

 private:
  std::uint64_t h_ = 1469598103934665603ull;
};

}  // namespace suiji
