#include "data/import/values.h"

#include <gtest/gtest.h>

namespace suiji::import {
namespace {

TEST(Values, TrimHandlesIdeographicAndNoBreakSpaces) {
  EXPECT_EQ(Trim("\xE3\x80\x80 名称\xC2\xA0\t"), "名称");
  EXPECT_EQ(Trim("   "), "");
}

TEST(Values, SplitListAcceptsEverySeparatorAndDropsRepeats) {
  EXPECT_EQ(SplitList("food; drug、special_equipment|food，x,y\nz"),
            (std::vector<std::string>{"food", "drug", "special_equipment", "x", "y", "z"}));
  EXPECT_TRUE(SplitList(" ; ").empty());
  EXPECT_EQ(SplitCitations("《产品质量法》第十五条、第四十九条；《食品安全法》第一百一十条"),
            (std::vector<std::string>{"《产品质量法》第十五条、第四十九条", "《食品安全法》第一百一十条"}));
}

TEST(Values, DatesAsPeopleTypeThem) {
  EXPECT_EQ(NormalizeDate("2015-03-07").value(), "2015-03-07");
  EXPECT_EQ(NormalizeDate("2015/3/7").value(), "2015-03-07");
  EXPECT_EQ(NormalizeDate("2015/3/7 0:00").value(), "2015-03-07");
  EXPECT_EQ(NormalizeDate("2015.03.07").value(), "2015-03-07");
  EXPECT_EQ(NormalizeDate("20150307").value(), "2015-03-07");
  EXPECT_EQ(NormalizeDate("2015年3月7日").value(), "2015-03-07");
  bool serial = false;
  EXPECT_EQ(NormalizeDate("42070", &serial).value(), "2015-03-07");
  EXPECT_TRUE(serial);
  for (const char* bad : {"2019-02-30", "2015-13-01", "15/3/7", "2015-3", "yesterday", "2015-03-07-01"}) {
    auto r = NormalizeDate(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "date.format");
  }
}

TEST(Values, EntityStatusVocabulary) {
  EXPECT_EQ(NormalizeEntityStatus("").value(), "active");
  EXPECT_EQ(NormalizeEntityStatus("存续（在营、开业、在册）").value(), "active");
  EXPECT_EQ(NormalizeEntityStatus("注销").value(), "deregistered");
  EXPECT_EQ(NormalizeEntityStatus("吊销，未注销").value(), "revoked");
  EXPECT_EQ(NormalizeEntityStatus("Abnormal").value(), "abnormal");
  EXPECT_EQ(NormalizeEntityStatus("待定").error().code, "status.unknown");
}

TEST(Values, EntityTypeVocabulary) {
  EXPECT_EQ(NormalizeEntityType("有限责任公司（自然人投资或控股）").value(), "company");
  EXPECT_EQ(NormalizeEntityType("有限责任公司分公司").value(), "branch");
  EXPECT_EQ(NormalizeEntityType("个人独资企业").value(), "sole_proprietorship");
  EXPECT_EQ(NormalizeEntityType("个体工商户").value(), "sole_proprietor");
  EXPECT_EQ(NormalizeEntityType("农民专业合作社").value(), "cooperative");
  EXPECT_EQ(NormalizeEntityType("普通合伙企业").value(), "partnership");
  EXPECT_EQ(NormalizeEntityType("").value(), "");
  EXPECT_EQ(NormalizeEntityType("外星人").error().code, "entity_type.unknown");
}

TEST(Values, OfficerStatusAndItemClass) {
  EXPECT_EQ(NormalizeOfficerStatus("在职").value(), "active");
  EXPECT_EQ(NormalizeOfficerStatus("暂停").value(), "suspended");
  EXPECT_EQ(NormalizeOfficerStatus("退休").value(), "retired");
  EXPECT_EQ(NormalizeOfficerStatus("休假").error().code, "status.unknown");
  EXPECT_EQ(NormalizeItemClass("一般检查事项").value(), "general");
  EXPECT_EQ(NormalizeItemClass("重点").value(), "key");
  EXPECT_EQ(NormalizeItemClass("").value(), "general");
  EXPECT_EQ(NormalizeItemClass("特别").error().code, "item_class.unknown");
}

}  // namespace
}  // namespace suiji::import
