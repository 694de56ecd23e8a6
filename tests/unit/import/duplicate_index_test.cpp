#include "data/import/duplicate_index.h"

#include <gtest/gtest.h>
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/import/importer.h"
#include "test_util.h"

namespace suiji::import {
namespace {

std::uint64_t KeyOf(std::uint64_t k) { return DuplicateKeyHash("key-" + std::to_string(k)); }

// Drives an index and a reference map with the same operations: mostly new keys, repeats of recent
// keys (found in the table or the newest run) and repeats of keys from anywhere in the past (found in
// old, merged runs). Every answer must equal the reference's.
void CheckAgainstReference(DuplicateIndex& index, std::size_t ops, std::uint64_t seed, std::int64_t* unreadable = nullptr) {
  std::mt19937_64 rng(seed);
  std::unordered_map<std::uint64_t, std::int64_t> ref;
  std::vector<std::uint64_t> inserted;
  std::uint64_t next_key = 0;
  for (std::size_t i = 0; i < ops; ++i) {
    std::int64_t row = static_cast<std::int64_t>(i) + 2;
    std::uint64_t h;
    unsigned kind = rng() % 10;
    if (inserted.empty() || kind < 6) h = KeyOf(next_key++);
    else if (kind < 8) h = inserted[inserted.size() - 1 - rng() % std::min<std::size_t>(inserted.size(), 40)];
    else h = inserted[rng() % inserted.size()];
    std::int64_t got = index.FindOrInsert(h, row);
    if (got < 0 && unreadable) {
      ++*unreadable;
      continue;
    }
    auto [it, added] = ref.emplace(h, row);
    if (added) inserted.push_back(h);
    ASSERT_EQ(got, added ? 0 : it->second) << "operation " << i;
  }
  if (!unreadable) {
    EXPECT_EQ(index.stats().keys, ref.size());
  }
}

TEST(DuplicateKeyHash, IsTheImportersFnvSplitMixHash) {
  // Pinned: the same keys must hash as before the index moved here (and never to 0).
  // (Reference values computed independently in Python from the FNV-1a + SplitMix64 definition.)
  EXPECT_EQ(DuplicateKeyHash(""), 0x552d3fb62b3c344full);
  EXPECT_EQ(DuplicateKeyHash("91510104MA6CGUD5XF"), 0x86a73d5ff4ad08beull);
  EXPECT_NE(DuplicateKeyHash("a"), DuplicateKeyHash("b"));
}

TEST(DuplicateIndex, SmallInputsStayInMemory) {
  DuplicateIndex index;
  EXPECT_EQ(index.FindOrInsert(KeyOf(1), 2), 0);
  EXPECT_EQ(index.FindOrInsert(KeyOf(2), 3), 0);
  EXPECT_EQ(index.FindOrInsert(KeyOf(1), 4), 2);
  EXPECT_EQ(index.FindOrInsert(KeyOf(1), 5), 2);  // still the first row, not the last
  auto st = index.stats();
  EXPECT_EQ(st.keys, 2u);
  EXPECT_EQ(st.runs, 0u);
  EXPECT_EQ(st.disk_bytes, 0u);
  EXPECT_LT(st.memory_bytes, 20000u);  // the full table is allocated only when needed
}

TEST(DuplicateIndex, MatchesAReferenceMapAcrossManyRunsAndMerges) {
  for (std::size_t m : {1u, 16u, 100u}) {
    SCOPED_TRACE(m);
    DuplicateIndexOptions o;
    o.memory_keys = m;
    DuplicateIndex index(o);
    CheckAgainstReference(index, m == 1 ? 20000 : 220000, 7 + m);
    auto st = index.stats();
    EXPECT_TRUE(st.spilling);
    EXPECT_TRUE(index.error().empty()) << index.error();
    EXPECT_GT(st.spills, st.keys / m / 2);
    EXPECT_GT(st.merges, 0u);
    EXPECT_GT(st.block_reads, 0u);
    // Size-tiered: run sizes strictly decrease, so there are at most log2(spilled / m) + 1 runs.
    EXPECT_LE(st.runs, static_cast<std::size_t>(std::log2(double(st.keys) / double(m))) + 1);
    EXPECT_EQ(st.disk_bytes, (st.keys - st.in_memory) * 16);
  }
}

TEST(DuplicateIndex, RunCountStaysLogarithmicAtEveryStep) {
  DuplicateIndexOptions o;
  o.memory_keys = 8;
  DuplicateIndex index(o);
  for (std::uint64_t k = 0; k < 5000; ++k) {
    ASSERT_EQ(index.FindOrInsert(KeyOf(k), static_cast<std::int64_t>(k) + 2), 0);
    auto st = index.stats();
    std::size_t spilled = st.keys - st.in_memory;
    if (spilled == 0) continue;
    ASSERT_LE(st.runs, static_cast<std::size_t>(std::log2(double(spilled) / 8.0)) + 1) << k;
    ASSERT_EQ(st.runs, static_cast<std::size_t>(std::popcount(spilled / 8))) << k;  // a binary counter
  }
  // The oldest key is found after ten levels of merges.
  EXPECT_EQ(index.FindOrInsert(KeyOf(0), 99999), 2);
  EXPECT_EQ(index.FindOrInsert(KeyOf(4999), 99999), 5001);
}

TEST(DuplicateIndex, MemoryIsTheTablePlusAboutOnePointThreeBytesASpilledKey) {
  DuplicateIndexOptions o;
  o.memory_keys = 1000;
  DuplicateIndex index(o);
  for (std::uint64_t k = 0; k < 300000; ++k) index.FindOrInsert(KeyOf(k), static_cast<std::int64_t>(k) + 2);
  auto st = index.stats();
  std::size_t spilled = st.keys - st.in_memory;
  EXPECT_EQ(st.keys, 300000u);
  EXPECT_GE(spilled, 299000u);
  EXPECT_LE(st.memory_bytes, 1000 * 24 + 64 + spilled * 135 / 100 + st.runs * 512);
  EXPECT_EQ(st.disk_bytes, spilled * 16);
}

TEST(DuplicateIndex, LeavesNoFilesOrDescriptorsBehind) {
  char tmpl[] = "/tmp/suiji-dupindex-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  auto fds = [] {
    std::size_t n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
    return n;
  };
  std::size_t before = fds();
  {
    DuplicateIndexOptions o;
    o.memory_keys = 50;
    o.temp_dir = tmpl;
    DuplicateIndex index(o);
    for (std::uint64_t k = 0; k < 5000; ++k) index.FindOrInsert(KeyOf(k), static_cast<std::int64_t>(k) + 2);
    EXPECT_GT(index.stats().runs, 1u);
    EXPECT_TRUE(index.error().empty()) << index.error();
    EXPECT_TRUE(std::filesystem::is_empty(tmpl));  // anonymous files: no names to clean up
    EXPECT_GT(fds(), before);
  }
  EXPECT_EQ(fds(), before);
  std::filesystem::remove(tmpl);
}

TEST(DuplicateIndex, NoTempFileMeansEverythingStaysInMemoryAndExact) {
  DuplicateIndexOptions o;
  o.memory_keys = 16;
  o.temp_dir = "/nonexistent/suiji-dupindex";
  DuplicateIndex index(o);
  CheckAgainstReference(index, 50000, 3);
  auto st = index.stats();
  EXPECT_FALSE(st.spilling);
  EXPECT_EQ(st.runs, 0u);
  EXPECT_EQ(st.in_memory, st.keys);
  EXPECT_NE(index.error().find("/nonexistent/suiji-dupindex"), std::string::npos) << index.error();
}

TEST(DuplicateIndex, AFullDiskMidwayLosesNothing) {
  // A run of 16 keys is 256 bytes. The write budget runs out in the first spill (0), in the first
  // merge (600: two spills of 256, then the merge's 512 do not fit), in the fourth spill (1280: 256 +
  // 256 + merge 512 + 256), and somewhere later.
  struct Case {
    std::uint64_t budget;
    int runs;  // -1: not pinned
  };
  for (Case c : {Case{0, 0}, Case{600, 2}, Case{1280, 2}, Case{16 * 16 * 40 + 8, -1}}) {
    SCOPED_TRACE(c.budget);
    DuplicateIndexOptions o;
    o.memory_keys = 16;
    o.fail_writes_after_bytes = c.budget;
    DuplicateIndex index(o);
    CheckAgainstReference(index, 30000, c.budget);
    auto st = index.stats();
    EXPECT_FALSE(st.spilling);
    if (c.runs >= 0) {
      EXPECT_EQ(st.runs, static_cast<std::size_t>(c.runs));
    }
    EXPECT_NE(index.error().find("No space left"), std::string::npos) << index.error();
    EXPECT_GT(st.in_memory, 1000u);  // the table grew instead
  }
}

TEST(DuplicateIndex, AnUnreadableRunAnswersUnknownNeverAWrongRow) {
  DuplicateIndexOptions o;
  o.memory_keys = 16;
  o.fail_reads = true;
  DuplicateIndex index(o);
  for (std::uint64_t k = 0; k < 16; ++k) ASSERT_EQ(index.FindOrInsert(KeyOf(k), static_cast<std::int64_t>(k) + 2), 0);
  ASSERT_EQ(index.stats().runs, 1u);
  EXPECT_EQ(index.FindOrInsert(KeyOf(3), 100), -1);  // spilled: the Bloom says "maybe", the read fails
  EXPECT_NE(index.error().find("cannot read"), std::string::npos) << index.error();
  // The second spill cannot be merged (that reads the runs): both runs stay, spilling stops, and
  // the index keeps answering: never a wrong row, "unknown" only for keys that need a read.
  std::int64_t unknown = 0;
  CheckAgainstReference(index, 20000, 5, &unknown);
  EXPECT_FALSE(index.stats().spilling);
  EXPECT_EQ(index.stats().runs, 2u);
  EXPECT_GT(unknown, 0);
}

// The importer with a tiny index (many runs and merges) reports exactly what it reports by default.
TEST(DuplicateIndex, ImporterReportIsTheSameWhenTheIndexSpills) {
  const std::string header = "统一社会信用代码,名称,登记机关区划,行业代码,企业类型,登记状态,成立日期,住所,法定代表人,特殊名录\n";
  auto id = [](int i) {
    std::string digits = std::to_string(1000000 + i).substr(1);
    return testing::Uscc("91510104MA" + digits + "0");
  };
  std::string text = header;
  std::unordered_map<int, int> first_row;  // key -> the first Excel row that used it
  std::vector<RowError> want;               // duplicates expected, in file order (row, other_row)
  const int rows = 4000;
  for (int i = 0; i < rows; ++i) {
    int k = i;
    if (i % 7 == 3) k = i / 2;              // far back
    else if (i % 11 == 5) k = i - 1;        // the row just above
    else if (i == rows - 1) k = 0;          // the very first row
    int row = i + 2;
    auto [it, added] = first_row.emplace(k, row);
    if (!added) want.push_back(RowError{row, "", id(k), "entity.duplicate", "", it->second});
    text += id(k) + ",公司" + std::to_string(i) + ",510104,C13,,,,,,\n";
  }
  auto run = [&](std::size_t memory_keys) {
    ImportOptions o;
    o.duplicate_memory_keys = memory_keys;
    o.max_errors_kept = 100000;
    auto imp = EntityImporter::FromString(text, testing::Regions(), o);
    EXPECT_TRUE(imp.ok());
    std::vector<Entity> batch;
    std::size_t accepted = 0;
    while (imp.value().NextBatch(batch, 500)) accepted += batch.size();
    ImportReport r = imp.value().report();
    EXPECT_EQ(accepted, static_cast<std::size_t>(r.records_valid));
    return r;
  };
  ImportReport small = run(8), normal = run(1 << 18);
  EXPECT_TRUE(small.consistent());
  EXPECT_EQ(small.rows_read, rows);
  EXPECT_GT(want.size(), 700u);
  std::vector<RowError> got;
  for (const RowError& e : small.errors) got.push_back(RowError{e.row, "", e.value, e.code, "", e.other_row});
  EXPECT_EQ(got, want);
  EXPECT_EQ(small.rows_rejected, static_cast<std::int64_t>(want.size()));
  EXPECT_EQ(small.rows_valid, normal.rows_valid);
  EXPECT_EQ(small.rows_rejected, normal.rows_rejected);
  EXPECT_EQ(small.records_valid, normal.records_valid);
  EXPECT_EQ(small.error_counts, normal.error_counts);
  EXPECT_EQ(small.errors, normal.errors);  // same rows, columns, codes, reasons and other_row
  // The last row repeats the first data row's key (row 2): found after many merges.
  ASSERT_FALSE(small.errors.empty());
  EXPECT_EQ(small.errors.back().row, rows + 1);
  EXPECT_EQ(small.errors.back().other_row, 2);
}

}  // namespace
}  // namespace suiji::import
