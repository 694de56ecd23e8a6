// Whatever bytes arrive, the importer neither crashes nor loses a row from its counts.
#include <gtest/gtest.h>

#include <random>

#include "data/import/importer.h"
#include "test_util.h"

namespace suiji::import {
namespace {

// Random CSV-ish text; with `bad_bytes` also bytes that are not UTF-8 (GBK, 0xFF).
std::string RandomCsv(std::mt19937_64& rng, std::size_t n, bool bad_bytes = true) {
  static const std::vector<std::string> pieces = {
      ",", ",", ",", "\"", "\"\"", "\n", "\r\n", "\r", "a", "510104", "名称", "9.1E+17",
      testing::Uscc("91510104MA6CGUD5X"), " ", "、", ";", "2015/3/7", "企独川总字第1号",
      "\xB3\xC9\xB6\xBC" /*GBK 成都*/, "\xFF"};
  std::string s = "统一社会信用代码,名称,登记机关区划,成立日期\n";
  const std::size_t kinds = pieces.size() - (bad_bytes ? 0 : 2);
  for (std::size_t i = 0; i < n; ++i) s += pieces[rng() % kinds];
  return s;
}

TEST(Robustness, RandomBytesNeverCrashAndCountsHold) {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 300; ++round) {
    const bool bad_bytes = round % 2 == 1;
    std::string text = RandomCsv(rng, 50 + rng() % 400, bad_bytes);
    for (std::size_t chunk : {std::size_t{3}, std::size_t{64}, std::size_t{1} << 18}) {
      ImportOptions o;
      if (bad_bytes) o.csv.encoding = Encoding::kUtf8;  // else the mix may read as GB18030 and lose the header
      o.csv.chunk_bytes = chunk;
      o.csv.max_record_bytes = 128;
      auto imp = EntityImporter::FromString(text, testing::Regions(), o);
      ASSERT_TRUE(imp.ok());
      std::int64_t rejected_seen = 0, valid_seen = 0;
      imp.value().OnReject([&](const RejectedRow& r) {
        ++rejected_seen;
        EXPECT_FALSE(r.errors.empty());
      });
      std::vector<Entity> batch;
      while (imp.value().NextBatch(batch, 5)) valid_seen += static_cast<std::int64_t>(batch.size());
      const auto& r = imp.value().report();
      ASSERT_TRUE(r.consistent()) << round;
      EXPECT_EQ(r.rows_valid, valid_seen);
      EXPECT_EQ(r.rows_rejected, rejected_seen);
    }
  }
}

TEST(Robustness, SameRecordsWhateverTheChunkSize) {
  std::mt19937_64 rng(777);
  for (int round = 0; round < 100; ++round) {
    std::string text = RandomCsv(rng, 200);
    auto read = [&](std::size_t chunk) {
      CsvOptions o;
      o.chunk_bytes = chunk;
      o.encoding = Encoding::kUtf8;
      auto r = CsvReader::FromString(text, o);
      std::vector<std::tuple<std::int64_t, std::vector<std::string>, std::string, bool>> out;
      CsvRecord rec;
      while (r.value()->Next(rec)) out.emplace_back(rec.row, rec.fields, rec.text, rec.error.has_value());
      return out;
    };
    auto whole = read(1 << 18);
    EXPECT_EQ(read(1), whole) << round;
    EXPECT_EQ(read(5), whole) << round;
  }
}

}  // namespace
}  // namespace suiji::import
