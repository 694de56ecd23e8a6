#include <gtest/gtest.h>

#include <sstream>

#include "data/gen/messy.h"
#include "data/import/importer.h"
#include "gen_util.h"

namespace suiji::gen {
namespace {

using testing::Regions;

struct Imported {
  import::ImportReport report;
  std::vector<import::RejectedRow> rejected;
};

Imported ImportEntities(std::string bytes) {
  auto imp = import::EntityImporter::FromString(std::move(bytes), Regions());
  EXPECT_TRUE(imp.ok());
  Imported out;
  if (!imp.ok()) return out;
  imp.value().OnReject([&](const import::RejectedRow& r) { out.rejected.push_back(r); });
  std::vector<Entity> batch;
  while (imp.value().NextBatch(batch, 7)) {}
  out.report = imp.value().report();
  return out;
}

void ExpectMatches(const MessyExpectation& x, const import::ImportReport& r) {
  EXPECT_TRUE(r.consistent());
  EXPECT_EQ(r.rows_read, x.rows_read);
  EXPECT_EQ(r.rows_valid, x.rows_valid);
  EXPECT_EQ(r.rows_rejected, x.rows_rejected);
  EXPECT_EQ(r.rows_flagged, x.rows_flagged);
  EXPECT_EQ(r.blank_rows, x.blank_rows);
  ASSERT_EQ(r.errors.size(), x.errors.size());
  for (std::size_t i = 0; i < x.errors.size(); ++i) {
    EXPECT_EQ(r.errors[i].row, x.errors[i].row) << i;
    EXPECT_EQ(r.errors[i].column, x.errors[i].column) << i;
    EXPECT_EQ(r.errors[i].code, x.errors[i].code) << i;
    EXPECT_EQ(r.errors[i].other_row, x.errors[i].other_row) << i;
    if (!x.errors[i].value.empty()) {
      EXPECT_EQ(r.errors[i].value, x.errors[i].value) << i;
    }
  }
  ASSERT_EQ(r.warnings.size(), x.warnings.size());
  for (std::size_t i = 0; i < x.warnings.size(); ++i) {
    EXPECT_EQ(r.warnings[i].row, x.warnings[i].row);
    EXPECT_EQ(r.warnings[i].code, x.warnings[i].code);
  }
}

TEST(Messy, ExactCountsForTwentyCleanRows) {
  MessyOptions o;
  std::ostringstream out;
  auto x = WriteMessyEntities(o, Regions(), out);
  ASSERT_TRUE(x.ok());
  // 20 clean + 3 legacy + 2 Excel floats + 2 bad check chars + 2 unknown regions + 1 duplicate
  // + 1 bad date + 1 unknown status (kept, flagged) + 1 extra column + 1 multi-line address = 34 rows; 1 blank line.
  EXPECT_EQ(x.value().rows_read, 34);
  EXPECT_EQ(x.value().rows_valid, 25);
  EXPECT_EQ(x.value().rows_rejected, 9);
  EXPECT_EQ(x.value().rows_flagged, 4);
  EXPECT_EQ(x.value().blank_rows, 1);
  auto got = ImportEntities(out.str());
  ExpectMatches(x.value(), got.report);
  const auto& c = got.report.error_counts;
  EXPECT_EQ(c.at("id.excel_float"), 2);
  EXPECT_EQ(c.at("uscc.check"), 2);
  EXPECT_EQ(c.at("region.unknown"), 2);
  EXPECT_EQ(c.at("entity.duplicate"), 1);
  EXPECT_EQ(c.at("date.format"), 1);
  EXPECT_EQ(c.count("status.unknown"), 0u);
  EXPECT_EQ(got.report.warning_counts.at("status.unmapped"), 1);
  EXPECT_EQ(c.at("csv.columns"), 1);
  EXPECT_EQ(got.report.warning_counts.at("id.legacy"), 3);
  EXPECT_EQ(got.rejected.size(), 9u);
}

TEST(Messy, GbkAndBomVariantsImportIdentically) {
  for (auto enc : {import::Encoding::kUtf8, import::Encoding::kGb18030})
    for (bool bom : {false, true}) {
      if (enc == import::Encoding::kGb18030 && bom) continue;  // GB18030 has no BOM in practice
      MessyOptions o;
      o.seed = 99;
      o.clean_rows = 300;
      o.encoding = enc;
      o.bom = bom;
      std::ostringstream out;
      auto x = WriteMessyEntities(o, Regions(), out);
      ASSERT_TRUE(x.ok());
      auto got = ImportEntities(out.str());
      ExpectMatches(x.value(), got.report);
      EXPECT_EQ(got.report.encoding, enc == import::Encoding::kUtf8 ? "utf-8" : "gb18030");
      EXPECT_EQ(got.report.bom, bom);
      EXPECT_EQ(got.report.rows_read, 314);
    }
}

TEST(Messy, CommittedGbkFixture) {
  // data/examples/registers/entities_messy_gbk.csv: suiji gen --seed 7 --messy (20 clean rows, GBK).
  MessyOptions o;
  o.seed = 7;
  o.encoding = import::Encoding::kGb18030;
  std::ostringstream out;
  auto x = WriteMessyEntities(o, Regions(), out);
  ASSERT_TRUE(x.ok());
  std::string file = testing::ReadFile(testing::Fixture("entities_messy_gbk.csv"));
  EXPECT_EQ(file, out.str());
  auto got = ImportEntities(file);
  EXPECT_EQ(got.report.encoding, "gb18030");
  EXPECT_EQ(got.report.rows_read, 34);
  EXPECT_EQ(got.report.rows_valid, 25);  // the unknown status "待定" is kept (status.unmapped)
  EXPECT_EQ(got.report.rows_rejected, 9);
  ExpectMatches(x.value(), got.report);
}

}  // namespace
}  // namespace suiji::gen
