// Bloom filters over 64-bit hashes that are already well mixed (e.g. SplitMix64-finalised): a "no"
// is certain, a "maybe" is wrong about 1% of the time at the designed load. Used where an exact set
// of every key seen would grow with the input (import duplicate checks, first-load probes): the
// filter answers the common "certainly new" case in ~1.25 bytes a key and the caller resolves the
// rare "maybe" exactly (on disk, or with a database probe).
//
// BlockedBloom: fixed capacity; each key sets 8 bits inside one 64-byte block (one cache line per
// lookup), 10 bits a key at capacity. Beyond capacity it still answers correctly, only "maybe" more.
// ScalableBloom: no capacity; a chain of BlockedBlooms, each twice the size of the one before, so
// memory stays ~1.3-2.5 bytes a key however many keys are added. Each doubling past the first
// capacity adds ~1.3% to the false "maybe" rate: size the first filter for the usual load.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace suiji {

class BlockedBloom {
 public:
  explicit BlockedBloom(std::size_t capacity = 1 << 16)
      : blocks_((capacity * 10 + 511) / 512 + 1), capacity_(capacity), words_(blocks_ * 8, 0) {}

  void Add(std::uint64_t h) {
    std::uint64_t* b = &words_[BlockIndex(h) * 8];
    std::uint64_t g = Spread(h);
    for (int i = 0; i < 8; ++i, g >>= 6) b[i] |= std::uint64_t{1} << (g & 63);
    ++count_;
  }
  bool MayContain(std::uint64_t h) const {
    const std::uint64_t* b = &words_[BlockIndex(h) * 8];
    std::uint64_t g = Spread(h);
    for (int i = 0; i < 8; ++i, g >>= 6)
      if (!(b[i] & (std::uint64_t{1} << (g & 63)))) return false;
    return true;
  }
  std::size_t count() const { return count_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t bytes() const { return words_.size() * sizeof(std::uint64_t); }

 private:
  // Multiply-shift maps the high 32 bits onto [0, blocks_) without a division.
  std::size_t BlockIndex(std::uint64_t h) const {
    return static_cast<std::size_t>(((h >> 32) * static_cast<std::uint64_t>(blocks_)) >> 32);
  }
  // 48 fresh bits for the in-block positions, independent of the bits that chose the block.
  static std::uint64_t Spread(std::uint64_t h) {
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
  }
  std::size_t blocks_;
  std::size_t capacity_;
  std::size_t count_ = 0;
  std::vector<std::uint64_t> words_;
};

class ScalableBloom {
 public:
  explicit ScalableBloom(std::size_t first_capacity = 1 << 20) : next_capacity_(first_capacity) {}
  void Add(std::uint64_t h) {
    if (filters_.empty() || filters_.back().count() >= filters_.back().capacity()) {
      filters_.emplace_back(next_capacity_);
      next_capacity_ *= 2;
    }
    filters_.back().Add(h);
  }
  bool MayContain(std::uint64_t h) const {
    for (const auto& f : filters_)
      if (f.MayContain(h)) return true;
    return false;
  }
  std::size_t count() const {
    std::size_t n = 0;
    for (const auto& f : filters_) n += f.count();
    return n;
  }
  std::size_t bytes() const {
    std::size_t n = 0;
    for (const auto& f : filters_) n += f.bytes();
    return n;
  }

 private:
  std::vector<BlockedBloom> filters_;
  std::size_t next_capacity_;
};

}  // namespace suiji
