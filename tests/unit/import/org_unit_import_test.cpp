// The org-unit importer (data/import/importer.h, docs/org-units.md): headers and levels in Chinese or
// English, each row on its own, the tree over the file and the stored units, officers' org units.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/org_units.h"
#include "data/import/csv_writer.h"
#include "data/import/importer.h"
#include "test_util.h"

namespace suiji::import {
namespace {

using testing::Regions;

using Found = std::vector<std::tuple<std::int64_t, std::string, std::string, std::string, std::int64_t>>;
Found Errors(const ImportReport& r) {
  Found out;
  for (const auto& e : r.errors) out.emplace_back(e.row, e.column, e.value, e.code, e.other_row);
  return out;
}

template <typename T>
std::vector<T> Drain(Importer<T>& imp, std::vector<std::int64_t>* rejected_rows = nullptr) {
  if (rejected_rows) imp.OnReject([rejected_rows](const RejectedRow& r) { rejected_rows->push_back(r.row); });
  std::vector<T> all, batch;
  while (imp.NextBatch(batch, 2))
    for (auto& x : batch) all.push_back(x);
  EXPECT_TRUE(imp.report().consistent());
  return all;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<OrgUnit> Example() {
  auto imp = OrgUnitImporter::Open(testing::Fixture("org_units.csv"), Regions());
  EXPECT_TRUE(imp.ok());
  return imp.ok() ? Drain(imp.value()) : std::vector<OrgUnit>{};
}

TEST(OrgUnitImport, ChineseHeadersAndLevels) {
  std::string text = "机构代码,机构名称,级别,上级机构,区划代码,所属部门\n";
  text += "100000-SAMR,国家市场监督管理总局,国家,,100000,samr\n";
  text += "510000-SAMR,四川省市场监督管理局,省级,100000-SAMR,510000,SAMR\n";
  text += "510100-SAMR,成都市市场监督管理局,市级,510000-SAMR,510100,SAMR\n";
  text += "510104-SAMR,成都市锦江区市场监督管理局,县级,510100-SAMR,510104,SAMR\n";
  text += "510104-SAMR-01,春熙路市场监管所,市场监管所,510104-SAMR,510104,SAMR\n";
  text += "510104-SAMR-02,书院街市场监管所,所,510104-SAMR,510104,\n";
  auto imp = OrgUnitImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok()) << imp.error().message;
  EXPECT_EQ(imp.value().header().kind, RegisterKind::kOrgUnits);
  auto units = Drain(imp.value());
  ASSERT_EQ(units.size(), 6u) << Errors(imp.value().report()).size();
  EXPECT_EQ(units[0], (OrgUnit{"100000-SAMR", "国家市场监督管理总局", "national", "", "100000", "SAMR"}));
  EXPECT_EQ(units[3], (OrgUnit{"510104-SAMR", "成都市锦江区市场监督管理局", "county", "510100-SAMR", "510104", "SAMR"}));
  EXPECT_EQ(units[4].level, "station");
  EXPECT_EQ(units[5].level, "station");
  EXPECT_EQ(units[5].department, "");
  EXPECT_EQ(imp.value().report().register_kind, "org_units");
}

TEST(OrgUnitImport, EnglishHeadersAndLevelsAndTheLabelsOfOtherPlatforms) {
  std::string text = "unit_id,unit_name,level,parent_code,region_code,dept\n";
  text += "510000-SAMR,四川省市场监督管理局,Province,,510000,SAMR\n";
  text += "510100-SAMR,成都市市场监督管理局,city,510000-SAMR,510100,SAMR\n";
  text += "510104-SAMR,成都市锦江区市场监督管理局,district,510100-SAMR,510104,SAMR\n";
  auto imp = OrgUnitImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok()) << imp.error().message;
  auto units = Drain(imp.value());
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(units[0].level, "province");
  EXPECT_EQ(units[2].level, "county");
  for (const char* header : {"单位编码,单位名称,层级,上级单位,行政区划", "code,name,level,parent,region",
                             "执法单位编码,执法单位名称,机构层级,上级单位编码,行政区划代码"}) {
    std::vector<RowError> warnings;
    std::vector<std::string> cells;
    std::stringstream ss(header);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    auto map = MapHeader(RegisterKind::kOrgUnits, cells, warnings);
    ASSERT_TRUE(map.ok()) << header << ": " << map.error().message;
    EXPECT_TRUE(warnings.empty()) << header;
  }
}

TEST(OrgUnitImport, RequiredColumns) {
  auto imp = OrgUnitImporter::FromString("单位编码,单位名称\n510000-SAMR,四川省\n", Regions());
  ASSERT_FALSE(imp.ok());
  EXPECT_EQ(imp.error().code, "header.missing");
  EXPECT_NE(imp.error().message.find("层级"), std::string::npos);
  EXPECT_NE(imp.error().message.find("行政区划"), std::string::npos);
}

TEST(OrgUnitImport, TheExampleIsOneTreeOfChengdu) {
  auto units = Example();
  ASSERT_EQ(units.size(), 28u);  // province, city, 20 districts and counties, 6 stations
  auto tree = OrgUnits::Build(units);
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  EXPECT_EQ(tree->Descendants("510100-SAMR").size(), 27u);
  for (const auto& u : units) {
    if (u.level != "county") continue;
    EXPECT_EQ(u.code, u.region + "-SAMR");  // what `suiji gen` names an officer's unit: <region>-<DEPT>
    EXPECT_EQ(u.parent, "510100-SAMR");
    EXPECT_TRUE(Regions().Contains(u.region)) << u.region;
  }
}

// Every kind of error in one file over an empty table, each named with its row, in file order.
TEST(OrgUnitImport, EveryTreeErrorNamesItsRow) {
  auto imp = OrgUnitImporter::FromString(ReadFile(std::string(SUIJI_SOURCE_DIR) + "/tests/data/org_units_bad_tree.csv"),
                                         Regions());
  ASSERT_TRUE(imp.ok());
  std::vector<std::int64_t> rejected;
  auto units = Drain(imp.value(), &rejected);
  ASSERT_EQ(units.size(), 3u);
  Found want = {
      {5, "上级单位", "", "org_unit.two_roots", 2},
      {6, "上级单位", "510199-SAMR", "org_unit.parent_unknown", 0},
      {7, "上级单位", "510107-SAMR", "org_unit.cycle", 8},
      {8, "上级单位", "510106-SAMR", "org_unit.cycle", 7},
      {9, "单位编码", "510104-SAMR", "org_unit.duplicate", 4},
      {10, "行政区划", "510502", "org_unit.region_outside_parent", 3},
      {11, "层级", "市级", "org_unit.level_order", 4},
      {12, "上级单位", "510105-SAMR", "org_unit.parent_rejected", 6},
      {13, "层级", "乡级", "level.unknown", 0},
      {14, "行政区划", "519999", "region.unknown", 0},
  };
  EXPECT_EQ(Errors(imp.value().report()), want);
  EXPECT_EQ(rejected, (std::vector<std::int64_t>{5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
  EXPECT_EQ(imp.value().report().rows_rejected, 10);
  EXPECT_EQ(imp.value().report().rows_valid, 3);
}

TEST(OrgUnitImport, RowLevelChecks) {
  std::string text = "单位编码,单位名称,层级,上级单位,行政区划\n";
  text += ",无编码,省级,,510000\n";                    // 2
  text += "X1,,市级,,510100\n";                        // 3
  text += "X2,无层级,,,510100\n";                      // 4
  text += "X3,无区划,县级,,\n";                        // 5
  text += "X4,坏区划,县级,,51010\n";                   // 6
  text += "X5,国家局在省里,国家,,510000\n";             // 7: in the table, but a national unit's region is 100000
  auto imp = OrgUnitImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok());
  EXPECT_TRUE(Drain(imp.value()).empty());
  Found want = {
      {2, "单位编码", "", "field.required", 0},  {3, "单位名称", "", "field.required", 0},
      {4, "层级", "", "field.required", 0},    {5, "行政区划", "", "field.required", 0},
      {6, "行政区划", "51010", "region.format", 0}, {7, "行政区划", "510000", "org_unit.region_national", 0},
  };
  EXPECT_EQ(Errors(imp.value().report()), want);
}

// Over stored units: a second root is the file's fault; an update that would break a stored child
// is blamed on the updated unit's row; a file may hang new units under stored ones.
TEST(OrgUnitImport, TheTreeIncludesTheStoredUnits) {
  ImportOptions opt;
  opt.org_units = Example();
  std::string text = "单位编码,单位名称,层级,上级单位,行政区划,部门\n";
  text += "510104-SAMR-04,锦江区新设市场监管所,所,510104-SAMR,510104,SAMR\n";  // 2: under a stored unit
  text += "500000-SAMR,重庆市市场监督管理局,省级,,500000,SAMR\n";            // 3: a second root
  text += "510107-SAMR,成都市武侯区市场监督管理局,所,510100-SAMR,510107,SAMR\n";  // 4: its stored stations now under a station
  auto imp = OrgUnitImporter::FromString(text, Regions(), opt);
  ASSERT_TRUE(imp.ok());
  auto units = Drain(imp.value());
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0].code, "510104-SAMR-04");
  const auto& errors = imp.value().report().errors;
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].code, "org_unit.two_roots");
  EXPECT_EQ(errors[0].row, 3);
  EXPECT_NE(errors[0].reason.find("510000-SAMR is already the root"), std::string::npos);
  for (std::size_t i = 1; i < 4; ++i) {  // the three stored stations of 武侯区
    EXPECT_EQ(errors[i].row, 4);
    EXPECT_EQ(errors[i].code, "org_unit.level_order");
    EXPECT_NE(errors[i].reason.find("would change a unit already stored"), std::string::npos) << errors[i].reason;
  }
  // Re-reading the stored example itself: every row accepted (an update of nothing).
  auto again = OrgUnitImporter::Open(testing::Fixture("org_units.csv"), Regions(), opt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Drain(again.value()).size(), 28u);
}

TEST(OrgUnitImport, ExportRowReimports) {
  auto units = Example();
  std::string text;
  for (const auto& cell : ExportHeader(RegisterKind::kOrgUnits)) text += (text.empty() ? "" : ",") + cell;
  text += "\n";
  for (const auto& u : units) text += CsvLine(ExportRow(u)) + "\n";
  auto imp = OrgUnitImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok());
  EXPECT_EQ(Drain(imp.value()), units);
}

TEST(OfficerImport, OrgUnitCheckedOnceUnitsAreStored) {
  std::string text = "执法证号,姓名,所属单位,部门,辖区\n";
  text += "51000000101,李明,510104-SAMR,SAMR,510104\n";
  text += "51000000102,王芳,510199-SAMR,SAMR,510104\n";
  text += "51000000103,张伟,,SAMR,510104\n";  // no unit: nothing to check
  {
    auto imp = OfficerImporter::FromString(text, Regions());  // no units stored: not checked
    ASSERT_TRUE(imp.ok());
    EXPECT_EQ(Drain(imp.value()).size(), 3u);
  }
  ImportOptions opt;
  opt.org_units = Example();
  auto imp = OfficerImporter::FromString(text, Regions(), opt);
  ASSERT_TRUE(imp.ok());
  EXPECT_EQ(Drain(imp.value()).size(), 2u);
  EXPECT_EQ(Errors(imp.value().report()), (Found{{3, "所属单位", "510199-SAMR", "org_unit.unknown", 0}}));
}

}  // namespace
}  // namespace suiji::import
