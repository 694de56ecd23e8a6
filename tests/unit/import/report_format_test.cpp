#include "data/import/report_format.h"

#include <gtest/gtest.h>

#include "data/import/importer.h"
#include "test_util.h"

namespace suiji::import {
namespace {

ImportReport Sample() {
  std::string text = "统一社会信用代码,名称,登记机关区划,微信号\n";
  text += testing::Uscc("91510104MA6CGUD5X") + ",甲,510104,1\n";
  text += "企独川总字第008245号,乙,510104,2\n";
  text += testing::Uscc("91510104MA6CGUD5X") + ",丙,519999,3\n";
  auto imp = EntityImporter::FromString(text, testing::Regions());
  EXPECT_TRUE(imp.ok());
  std::vector<Entity> b;
  while (imp.value().NextBatch(b)) {}
  return imp.value().report();
}

TEST(ReportFormat, TextSummaryListsCountsAndRows) {
  auto text = FormatReportText(Sample());
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "<memory> (entities, utf-8): 3 rows read, 2 valid, 1 rejected, 1 flagged, 0 blank");
  EXPECT_NE(text.find("errors: region.unknown x1"), std::string::npos);
  EXPECT_NE(text.find("row 4, 登记机关区划: region.unknown"), std::string::npos);
  EXPECT_NE(text.find("warnings: header.unknown x1 id.legacy x1"), std::string::npos);
  // The error list stops at max_listed and says how many more there are.
  auto short_text = FormatReportText(Sample(), 0);
  EXPECT_NE(short_text.find("... 1 more"), std::string::npos);
}

TEST(ReportFormat, JsonHasCountsAndErrors) {
  auto j = ReportToJson(Sample());
  EXPECT_EQ(j["rows"]["read"], 3);
  EXPECT_EQ(j["rows"]["rejected"], 1);
  EXPECT_EQ(j["errors"].size(), 1u);
  EXPECT_EQ(j["errors"][0]["row"], 4);
  EXPECT_EQ(j["errors"][0]["code"], "region.unknown");
  EXPECT_EQ(j["warning_counts"]["id.legacy"], 1);
  EXPECT_FALSE(j["truncated"].get<bool>());
}

}  // namespace
}  // namespace suiji::import
