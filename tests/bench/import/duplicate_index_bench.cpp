// Throughput and memory of the import duplicate index: DuplicateIndex (spills to disk) against the
// in-memory open-addressing map it replaced (kept here only as a reference).
//
//   duplicate_index_bench N [spill|memory] [MEMORY_KEYS]
//
// Inserts N distinct keys (hashes of a counter, as DuplicateKeyHash gives), then looks up N/10 of
// them again (duplicates spread over the whole history). Prints ns per operation, the index's own
// peak bytes (sampled every 4096 operations for "spill", exact for "memory") and the process's peak
// RSS growth over its RSS before the first key (VmHWM - VmRSS at start). Run one size per process
// so that peaks do not mix.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "data/import/duplicate_index.h"

namespace {

// The pre-spill KeyIndex of data/import/importer.cpp, verbatim but for taking the hash.
class InMemoryKeyIndex {
 public:
  std::int64_t FindOrInsert(std::uint64_t h, std::int64_t row) {
    if ((size_ + 1) * 2 > keys_.size()) Grow();
    std::size_t mask = keys_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      if (keys_[i] == 0) {
        keys_[i] = h;
        rows_[i] = static_cast<std::uint32_t>(row);
        ++size_;
        return 0;
      }
      if (keys_[i] == h) return rows_[i];
    }
  }
  std::size_t bytes() const { return keys_.size() * 12; }
  std::size_t peak_bytes() const { return peak_; }

 private:
  void Grow() {
    std::vector<std::uint64_t> old_keys = std::move(keys_);
    std::vector<std::uint32_t> old_rows = std::move(rows_);
    std::size_t cap = old_keys.empty() ? 1024 : old_keys.size() * 2;
    keys_.assign(cap, 0);
    rows_.assign(cap, 0);
    peak_ = std::max(peak_, old_keys.size() * 12 + cap * 12);
    for (std::size_t j = 0; j < old_keys.size(); ++j) {
      if (old_keys[j] == 0) continue;
      for (std::size_t i = old_keys[j] & (cap - 1);; i = (i + 1) & (cap - 1))
        if (keys_[i] == 0) {
          keys_[i] = old_keys[j];
          rows_[i] = old_rows[j];
          break;
        }
    }
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> rows_;
  std::size_t size_ = 0, peak_ = 0;
};

std::uint64_t Mix(std::uint64_t x) {  // SplitMix64: what DuplicateKeyHash ends with
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x == 0 ? 1 : x;
}

long StatusKb(const char* field) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kb = -1;
  std::size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, field, n) == 0) kb = std::strtol(line + n + 1, nullptr, 10);
  std::fclose(f);
  return kb;
}

template <typename Index, typename Sample>
int Run(Index& index, std::uint64_t n, Sample sample) {
  std::int64_t wrong = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < n; ++i) {
    if (index.FindOrInsert(Mix(i), static_cast<std::int64_t>(i) + 2) != 0) ++wrong;
    if ((i & 4095) == 0) sample();
  }
  auto t1 = std::chrono::steady_clock::now();
  std::uint64_t lookups = n / 10;
  for (std::uint64_t j = 0; j < lookups; ++j) {
    std::uint64_t i = Mix(j ^ 0xabcdef) % n;
    if (index.FindOrInsert(Mix(i), 1) != static_cast<std::int64_t>(i) + 2) ++wrong;
  }
  auto t2 = std::chrono::steady_clock::now();
  sample();
  double ins = std::chrono::duration<double>(t1 - t0).count(), look = std::chrono::duration<double>(t2 - t1).count();
  std::printf("insert %.1f ns/op (%.2f M/s), duplicate lookup %.1f ns/op, wrong answers %lld\n", ins * 1e9 / double(n),
              double(n) / ins / 1e6, lookups ? look * 1e9 / double(lookups) : 0.0, static_cast<long long>(wrong));
  return wrong == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s N [spill|memory] [MEMORY_KEYS]\n", argv[0]);
    return 2;
  }
  std::uint64_t n = std::strtoull(argv[1], nullptr, 10);
  std::string kind = argc > 2 ? argv[2] : "spill";
  long rss0 = StatusKb("VmRSS");
  int rc;
  if (kind == "memory") {
    InMemoryKeyIndex index;
    rc = Run(index, n, [] {});
    std::printf("memory n=%llu: index %.2f MB, peak %.2f MB (growth)", static_cast<unsigned long long>(n),
                double(index.bytes()) / 1e6, double(index.peak_bytes()) / 1e6);
  } else {
    suiji::import::DuplicateIndexOptions o;
    if (argc > 3) o.memory_keys = std::strtoull(argv[3], nullptr, 10);
    suiji::import::DuplicateIndex index(o);
    std::size_t peak = 0;
    rc = Run(index, n, [&] { peak = std::max(peak, index.stats().memory_bytes); });
    auto st = index.stats();
    std::printf("spill n=%llu memory_keys=%zu: index %.2f MB, sampled peak %.2f MB, %zu runs, %zu spills, %zu merges, "
                "%zu block reads, %.1f MB on disk%s",
                static_cast<unsigned long long>(n), o.memory_keys, double(st.memory_bytes) / 1e6, double(peak) / 1e6,
                st.runs, st.spills, st.merges, st.block_reads, double(st.disk_bytes) / 1e6,
                st.spilling ? "" : (" (not spilling: " + index.error() + ")").c_str());
  }
  std::printf("; process peak RSS %.2f MB over %.2f MB at start\n", double(StatusKb("VmHWM") - rss0) / 1024.0,
              double(rss0) / 1024.0);
  return rc;
}
