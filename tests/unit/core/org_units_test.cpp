// OrgUnits::Check / Build: the org-unit tree, one test per kind of problem (core/org_units.h).
#include <gtest/gtest.h>

#include "core/org_units.h"

namespace suiji {
namespace {

// (unit index, code, other index) of each problem, for exact comparisons.
using Seen = std::vector<std::tuple<std::size_t, std::string, std::size_t>>;
Seen Problems(const std::vector<OrgUnit>& units) {
  Seen out;
  for (const auto& p : OrgUnits::Check(units)) out.emplace_back(p.unit, p.code, p.other);
  return out;
}
constexpr std::size_t kNone = OrgUnitProblem::kNone;

// 四川省 > 成都市 > 锦江区 > 春熙路所: the valid base every test breaks in one way.
std::vector<OrgUnit> Chengdu() {
  return {{"510000-SAMR", "四川省市场监督管理局", "province", "", "510000", "SAMR"},
          {"510100-SAMR", "成都市市场监督管理局", "city", "510000-SAMR", "510100", "SAMR"},
          {"510104-SAMR", "成都市锦江区市场监督管理局", "county", "510100-SAMR", "510104", "SAMR"},
          {"510104-SAMR-01", "春熙路市场监管所", "station", "510104-SAMR", "510104", "SAMR"}};
}

TEST(OrgUnitTree, AValidTreeHasNoProblems) {
  EXPECT_TRUE(Problems(Chengdu()).empty());
  auto units = Chengdu();
  units.insert(units.begin(), {"100000-SAMR", "国家市场监督管理总局", "national", "", "100000", "SAMR"});
  units[1].parent = "100000-SAMR";
  units.push_back({"511702-SAMR", "达州市通川区", "county", "510000-SAMR", "511702", "SAMR"});  // a level skipped
  units.push_back({"510107-SAMR", "武侯区", "county", "510100-SAMR", "510107"});  // no department
  EXPECT_TRUE(Problems(units).empty());
  auto tree = OrgUnits::Build(units);
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  EXPECT_TRUE(tree->Sees("100000-SAMR", "510104-SAMR-01"));
  EXPECT_FALSE(tree->Sees("510107-SAMR", "510104-SAMR-01"));
}

TEST(OrgUnitTree, Cycle) {
  auto units = Chengdu();
  units[1].parent = "510104-SAMR";  // 成都市 under 锦江区 under 成都市
  units[0].parent = "510000-SAMR";  // 四川省 its own parent
  Seen want = {{0, "org_unit.cycle", 0}, {1, "org_unit.cycle", 2}, {2, "org_unit.cycle", 1}};
  EXPECT_EQ(Problems(units), want);
  auto p = OrgUnits::Check(units);
  EXPECT_EQ(p[1].message, "org unit 510100-SAMR is its own ancestor: 510100-SAMR > 510104-SAMR > 510100-SAMR");
  EXPECT_EQ(OrgUnits::Build(units).error().code, "org_unit.cycle");
}

TEST(OrgUnitTree, UnknownParent) {
  auto units = Chengdu();
  units[2].parent = "510199-SAMR";
  // The station below keeps its (now unrooted) parent: only the unit whose parent is missing is named.
  EXPECT_EQ(Problems(units), (Seen{{2, "org_unit.parent_unknown", kNone}}));
  EXPECT_EQ(OrgUnits::Check(units)[0].field, "parent");
}

TEST(OrgUnitTree, TwoRoots) {
  auto units = Chengdu();
  units.push_back({"500000-SAMR", "重庆市市场监督管理局", "province", "", "500000", "SAMR"});
  units.push_back({"440000-SAMR", "广东省市场监督管理局", "province", "", "440000", "SAMR"});
  // Every root after the first is refused, pointing at the first.
  EXPECT_EQ(Problems(units), (Seen{{4, "org_unit.two_roots", 0}, {5, "org_unit.two_roots", 0}}));
}

TEST(OrgUnitTree, DuplicateId) {
  auto units = Chengdu();
  units.push_back(units[2]);
  units.back().name = "again";
  EXPECT_EQ(Problems(units), (Seen{{4, "org_unit.duplicate", 2}}));
  EXPECT_EQ(OrgUnits::Build(units).error().code, "org_unit.duplicate");
}

TEST(OrgUnitTree, RegionOutsideParent) {
  auto units = Chengdu();
  units[2].region = "510502";           // 泸州市江阳区 under 成都市
  units[3].region = "510105";           // a station of 锦江区 in 青羊区
  units[1].region = "500100";           // 成都市 outside 四川省
  units[0].region = "";                 // a unit without a region says nothing about its children
  EXPECT_EQ(Problems(units), (Seen{{2, "org_unit.region_outside_parent", 1}, {3, "org_unit.region_outside_parent", 2}}));
  units[0].region = "510000";
  EXPECT_EQ(Problems(units).front(), (std::tuple<std::size_t, std::string, std::size_t>{1, "org_unit.region_outside_parent", 0}));
}

TEST(OrgUnitTree, NationalRegionIsTheCountryOrEmpty) {
  std::vector<OrgUnit> units = {{"SAMR", "国家市场监督管理总局", "national", "", "510000", "SAMR"}};
  EXPECT_EQ(Problems(units), (Seen{{0, "org_unit.region_national", kNone}}));
  units[0].region = "";
  EXPECT_TRUE(Problems(units).empty());
}

TEST(OrgUnitTree, LevelOrder) {
  auto units = Chengdu();
  units[3].level = "county";                                   // a county under a county
  units.push_back({"X", "锦江区下的市级单位", "city", "510104-SAMR", "510104"});  // a city under a county
  units.push_back({"Y", "no such level", "township", "510104-SAMR", "510104"});
  Seen want = {{3, "org_unit.level_order", 2}, {4, "org_unit.level_order", 2}, {5, "org_unit.level", kNone}};
  EXPECT_EQ(Problems(units), want);
  EXPECT_EQ(OrgUnits::Check(units)[1].message,
            "org unit X (city) cannot sit under 510104-SAMR (county): a unit's level is below its parent's "
            "(national > province > city > county > station)");
}

TEST(OrgUnitTree, LevelRanks) {
  EXPECT_EQ(OrgLevelRank("national"), 0);
  EXPECT_EQ(OrgLevelRank("station"), 4);
  EXPECT_EQ(OrgLevelRank("所"), -1);  // Chinese is read by the importer, not here
}

}  // namespace
}  // namespace suiji
