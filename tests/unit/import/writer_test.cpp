#include <gtest/gtest.h>

#include <sstream>

#include "data/import/csv_writer.h"
#include "data/import/importer.h"
#include "test_util.h"

namespace suiji::import {
namespace {

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvQuote("plain"), "plain");
  EXPECT_EQ(CsvQuote("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvQuote("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvQuote("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvQuote(" padded"), "\" padded\"");
  EXPECT_EQ(CsvLine({"a", "", "b,c"}), "a,,\"b,c\"");
}

TEST(CsvWriter, BomAndCrlf) {
  std::ostringstream out;
  CsvWriter w(out, true);
  w.Row({"名称", "代码"});
  EXPECT_EQ(out.str(), "\xEF\xBB\xBF名称,代码\r\n");
}

TEST(CsvWriter, ExportsReimportUnchanged) {
  Entity e;
  e.id = {testing::Uscc("91510104MA6CGUD5X"), IdKind::kUscc};
  e.name = "成都\"鑫源\",食品";
  e.region = "510104";
  e.industry = "C1431";
  e.entity_type = "company";
  e.status = "revoked";
  e.established = "2015-03-07";
  e.address = "多行\n地址";
  e.legal_rep = "张伟";
  e.special_registers = {"food", "special_equipment"};
  for (auto style : {HeaderStyle::kChinese, HeaderStyle::kEnglish}) {
    std::ostringstream out;
    CsvWriter w(out, true);
    w.Row(ExportHeader(RegisterKind::kEntities, style));
    w.Row(ExportRow(e));
    auto imp = EntityImporter::FromString(out.str(), testing::Regions());
    ASSERT_TRUE(imp.ok());
    std::vector<Entity> batch;
    ASSERT_TRUE(imp.value().NextBatch(batch));
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0], e);
  }

  Officer o{"51000000001", "李明", "510104-SAMR", "SAMR", {"510104", "510100"}, {"FOOD"}, "suspended", {e.id.value}};
  InspectionItem it{"SAMR", "SAMR-001", "食品安全", "食品检查", "食品经营者", "key", {"实地核查", "抽样检验"}, "市场监管部门",
                    {"《食品安全法》第一百一十条、第一百一十一条"}, {"F5221", "H62"}, "FOOD"};
  {
    std::ostringstream out;
    CsvWriter w(out);
    w.Row(ExportHeader(RegisterKind::kOfficers));
    w.Row(ExportRow(o));
    auto imp = OfficerImporter::FromString(out.str(), testing::Regions());
    ASSERT_TRUE(imp.ok());
    std::vector<Officer> batch;
    ASSERT_TRUE(imp.value().NextBatch(batch));
    EXPECT_EQ(batch.at(0), o);
  }
  {
    std::ostringstream out;
    CsvWriter w(out);
    w.Row(ExportHeader(RegisterKind::kItems));
    w.Row(ExportRow(it));
    auto imp = ItemImporter::FromString(out.str(), testing::Regions());
    ASSERT_TRUE(imp.ok());
    std::vector<InspectionItem> batch;
    ASSERT_TRUE(imp.value().NextBatch(batch));
    EXPECT_EQ(batch.at(0), it);
  }
}

}  // namespace
}  // namespace suiji::import
