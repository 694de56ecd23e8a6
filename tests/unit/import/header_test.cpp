#include "data/import/schema.h"

#include <gtest/gtest.h>

namespace suiji::import {
namespace {

TEST(Header, ChineseAndEnglishAliasesMapToFields) {
  std::vector<RowError> w;
  auto m = MapHeader(RegisterKind::kEntities,
                     {"* 统一社会信用代码", "企业名称", "所属区域", "Industry", "市场主体类型", "登记状态", "成立日期",
                      "住所（经营场所）", "法定代表人", "特殊名录"},
                     w);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE(w.empty());
  for (int f = 0; f <= entity_field::kSpecialRegisters; ++f) EXPECT_EQ(m.value().column_of(f), f);
  EXPECT_EQ(m.value().label(entity_field::kId), "* 统一社会信用代码");
}

TEST(Header, OrderDoesNotMatterAndOptionalColumnsMayBeAbsent) {
  std::vector<RowError> w;
  auto m = MapHeader(RegisterKind::kEntities, {"region", "name", "code"}, w);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m.value().column_of(entity_field::kId), 2);
  EXPECT_EQ(m.value().column_of(entity_field::kRegion), 0);
  EXPECT_EQ(m.value().column_of(entity_field::kIndustry), -1);
}

TEST(Header, MissingRequiredColumnsAreOneClearError) {
  std::vector<RowError> w;
  auto m = MapHeader(RegisterKind::kEntities, {"名称", "行业代码"}, w);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "header.missing");
  EXPECT_NE(m.error().message.find("统一社会信用代码 or 注册号"), std::string::npos);
  // The region is not required: it can be derived from the identifiers or given with --region.
  EXPECT_EQ(m.error().message.find("登记机关区划"), std::string::npos);
  EXPECT_EQ(m.error().message.find("名称 ("), std::string::npos);  // present fields are not listed
}

TEST(Header, UnknownColumnsWarnAndDuplicatesFail) {
  std::vector<RowError> w;
  auto m = MapHeader(RegisterKind::kOfficers, {"执法证号", "姓名", "部门", "辖区", "手机号", "错误原因"}, w);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].code, "header.unknown");
  EXPECT_EQ(w[0].column, "手机号");
  EXPECT_EQ(w[0].row, 1);
  auto d = MapHeader(RegisterKind::kEntities, {"统一社会信用代码", "信用代码", "名称", "region"}, w);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, "header.duplicate");
}

TEST(Header, RealExportsWithBothIdColumnsAndDatabaseNames) {
  std::vector<RowError> w;
  // GSXT style: both identifiers, 登记区划, no duplicate error.
  auto g = MapHeader(RegisterKind::kEntities, {"注册号", "统一社会信用代码", "企业名称", "登记区划", "企业类型", "成立日期"}, w);
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g.value().column_of(entity_field::kRegNo), 0);
  EXPECT_EQ(g.value().column_of(entity_field::kId), 1);
  EXPECT_EQ(g.value().column_of(entity_field::kRegion), 3);
  // A city bureau's export: database column names mixed with Chinese labels, no region column;
  // phone and capital are known columns suiji does not keep (no warning).
  w.clear();
  auto c = MapHeader(RegisterKind::kEntities,
                     {"序号", "ZCH", "TYXYDM", "QYMC", "QYLX_ZL", "企业类型名称", "ZT", "FDDBR", "LXDH", "注册资本", "DJJG"}, w);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(w.empty()) << w.front().column;
  EXPECT_EQ(c.value().column_of(entity_field::kRegNo), 1);
  EXPECT_EQ(c.value().column_of(entity_field::kId), 2);
  EXPECT_EQ(c.value().column_of(entity_field::kName), 3);
  EXPECT_EQ(c.value().column_of(entity_field::kEntityTypeCode), 4);
  EXPECT_EQ(c.value().column_of(entity_field::kEntityType), 5);
  EXPECT_EQ(c.value().column_of(entity_field::kStatus), 6);
  EXPECT_EQ(c.value().column_of(entity_field::kLegalRep), 7);
  EXPECT_EQ(c.value().column_of(entity_field::kAuthority), 10);
  EXPECT_EQ(c.value().column_of(entity_field::kRegion), -1);
  // Either identifier alone is enough; neither is one clear error.
  EXPECT_TRUE(MapHeader(RegisterKind::kEntities, {"注册号", "名称"}, w).ok());
  auto none = MapHeader(RegisterKind::kEntities, {"名称", "登记机关区划"}, w);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "header.missing");
}

TEST(Header, ItemShapeIsDetectedBySeqColumn) {
  EXPECT_EQ(DetectItemKind({"编制单位名称", "序号", "抽查事项"}), RegisterKind::kItemsGov);
  EXPECT_EQ(DetectItemKind({"部门", "事项编码", "抽查事项"}), RegisterKind::kItems);
}

}  // namespace
}  // namespace suiji::import
