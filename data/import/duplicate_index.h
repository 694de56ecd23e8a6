// DuplicateIndex: the exact "which row first used this key?" map behind the import duplicate check,
// with memory that does not grow with the file.
//
//   DuplicateIndex seen;                                   // or DuplicateIndex({.memory_keys = 1000})
//   std::int64_t first = seen.FindOrInsert(DuplicateKeyHash(id), row);
//   if (first > 0) { /* duplicate of row `first` */ }
//   if (first < 0) { /* the spill file could not be read: seen.error() says why; row not recorded */ }
//
// Keys are 64-bit hashes (DuplicateKeyHash); the index is exact for them, so a false duplicate needs
// a 64-bit collision (about 3e-8 for 10^6 rows, 3e-6 for 10^7).
//
// Layout: an open-addressing table of at most `memory_keys` entries (16 bytes a slot, load <= 2/3, so
// ~24 bytes a key). When it is full its entries are sorted by hash and appended as a sorted RUN to an
// anonymous temp file (O_TMPFILE in temp_dir, else $TMPDIR, else /tmp; nothing to clean up), and the
// table is cleared. A run keeps in memory only a BlockedBloom (core/bloom.h, ~1.25 bytes a key, ~1.3%
// false "maybe") and the first hash of every 256-entry block (8 bytes per 256 keys). A lookup asks
// each run's Bloom; on "maybe" it binary-searches the block index and reads ONE 4 KiB block with
// pread. Runs are size-tiered: whenever the newest run is at least as large as the one before it,
// the two are merged by a streaming merge, so there are at most log2(N / memory_keys) + 1 runs.
// Memory: memory_keys * 24 B + ~1.3 B per spilled key, plus a transient second Bloom while merging;
// with the default 2^18, measured (docs/performance.md): 7.3 MB for 10^6 keys (peak RSS growth
// 7.5 MB), 19 MB for 10^7 (27 MB peak, the last merge). Disk: 16 B a spilled key.
//
// Failure: if a temp file cannot be created or written (read-only or full disk) nothing is lost:
// spilling stops for good and the table grows in memory instead (as the old in-memory index did);
// runs already written stay in use. error() keeps the first reason. Reading a run back can fail only
// on a real I/O error; then FindOrInsert answers -1 ("unknown") for that key and records nothing.
//
// Not thread-safe; one index per import.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/bloom.h"

namespace suiji::import {

// The import key hash: FNV-1a over the bytes, then the SplitMix64 finaliser. Never 0.
std::uint64_t DuplicateKeyHash(std::string_view key);

struct DuplicateIndexOptions {
  std::size_t memory_keys = 1 << 18;  // in-memory entries before a spill (at least 1)
  std::string temp_dir;               // where spill files live; empty: $TMPDIR, else /tmp
  // Test hooks that simulate a failing disk: writes fail (ENOSPC) once this many bytes have been
  // written in all; reads of spilled runs fail (EIO).
  std::uint64_t fail_writes_after_bytes = UINT64_MAX;
  bool fail_reads = false;
};

struct DuplicateIndexStats {
  std::size_t keys = 0;          // distinct hashes recorded
  std::size_t in_memory = 0;     // of which in the table
  std::size_t runs = 0;          // sorted runs on disk now
  std::size_t spills = 0;        // tables written as runs
  std::size_t merges = 0;        // run merges
  std::size_t block_reads = 0;   // blocks read for lookups (Bloom said "maybe")
  std::size_t memory_bytes = 0;  // table + Blooms + block indexes, now
  std::uint64_t disk_bytes = 0;  // bytes in the live runs
  bool spilling = true;          // false after a temp-file failure: the table grows in memory
};

class DuplicateIndex {
 public:
  explicit DuplicateIndex(DuplicateIndexOptions options = {});
  DuplicateIndex(DuplicateIndex&&) noexcept;
  DuplicateIndex& operator=(DuplicateIndex&&) noexcept;
  ~DuplicateIndex();

  // 0 after recording `row` (> 0) for a new `key_hash` (!= 0, e.g. DuplicateKeyHash);
  // else the row recorded first for it; -1 if a spilled run could not be read (nothing recorded).
  std::int64_t FindOrInsert(std::uint64_t key_hash, std::int64_t row);

  DuplicateIndexStats stats() const;
  const std::string& error() const;  // the first temp-file failure, empty if none

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace suiji::import
