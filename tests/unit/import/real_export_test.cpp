// Registers as real exports have them (tests/data/, written by tests/data/make_real_exports.py): a GBK
// GSXT-style export with both id columns and a city bureau's export with database column names and no
// region column. Exact counts, every valid USCC kept, every type mapped or kept, no valid row rejected.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/entity_types.h"
#include "data/import/importer.h"
#include "data/import/values.h"
#include "test_util.h"

namespace suiji::import {
namespace {

struct Loaded {
  ImportReport report;
  std::map<std::string, Entity> by_id;
};

Loaded ImportFile(const std::string& name, ImportOptions o = {}) {
  auto imp = EntityImporter::Open(std::string(SUIJI_SOURCE_DIR) + "/tests/data/" + name, testing::Regions(), o);
  EXPECT_TRUE(imp.ok()) << (imp.ok() ? "" : imp.error().message);
  Loaded run;
  if (!imp.ok()) return run;
  std::vector<Entity> batch;
  while (imp.value().NextBatch(batch, 5))
    for (auto& e : batch) run.by_id[e.id.value] = e;
  run.report = imp.value().report();
  return run;
}

bool Has(const Entity& e, const std::string& repair) {
  return std::find(e.repairs.begin(), e.repairs.end(), repair) != e.repairs.end();
}

TEST(RealExport, GsxtGbkWithBothIdColumns) {
  Loaded run = ImportFile("gsxt_export_gbk.csv");
  const auto& r = run.report;
  EXPECT_EQ(r.encoding, "gb18030");
  EXPECT_EQ(r.rows_read, 14);
  EXPECT_EQ(r.rows_valid, 13);
  EXPECT_EQ(r.rows_rejected, 1);  // a bad check character and no registration number: no usable id
  EXPECT_EQ(r.error_counts.at("uscc.check"), 1);
  EXPECT_EQ(r.rows_flagged, 7);
  for (const char* w : {"id.excel_float", "id.region_mismatch", "date.excel_serial", "name.from_operator",
                        "entity_type.unmapped", "status.unmapped", "region.derived", "id.legacy"})
    EXPECT_EQ(r.warning_counts.count(w), 1u) << w;
  EXPECT_EQ(r.warning_counts.count("header.unknown"), 0u);  // 序号 and 联系电话 are known columns

  // Both ids: the USCC is primary, the registration number kept beside it.
  const Entity& both = run.by_id.at(testing::Uscc("91510104MA6C00015"));
  EXPECT_EQ(both.id.kind, IdKind::kUscc);
  EXPECT_EQ(both.regno, testing::RegNo("51010400000001"));
  EXPECT_EQ(both.type_code, "1130");
  EXPECT_EQ(both.entity_type, "company");
  // Registration number only.
  const Entity& old = run.by_id.at(testing::RegNo("51010600000003"));
  EXPECT_EQ(old.id.kind, IdKind::kRegistrationNumber);
  EXPECT_EQ(old.type_code, "3200");
  EXPECT_EQ(old.entity_type, "enterprise");
  EXPECT_EQ(old.status, "revoked");
  // The USCC Excel turned into a float: kept under its registration number, flagged.
  const Entity& fl = run.by_id.at(testing::RegNo("51011200000005"));
  EXPECT_TRUE(Has(fl, "id.excel_float"));
  EXPECT_EQ(fl.entity_type, "cooperative");
  // 全民所有制 is a national type, not a rejection.
  EXPECT_EQ(run.by_id.at(testing::Uscc("91510105MA6C00025")).type_code, "3100");
  EXPECT_EQ(run.by_id.at(testing::Uscc("91510105MA6C00025")).established, "2004-01-14");  // serial 38000
  // A sole trader without a trade name is named after its operator.
  const Entity& st = run.by_id.at(testing::Uscc("92510104MA6C00065"));
  EXPECT_EQ(st.name, "周杰");
  EXPECT_TRUE(Has(st, "name.from_operator"));
  // A type and a status in no table are kept with their labels.
  const Entity& odd = run.by_id.at(testing::Uscc("91510105MA6C00115"));
  EXPECT_EQ(odd.entity_type, "other");
  EXPECT_EQ(odd.type_label, "社会服务机构");
  EXPECT_EQ(odd.status, "other");
  EXPECT_EQ(odd.status_label, "迁出");
  // An empty 登记区划 is read from the USCC.
  const Entity& derived = run.by_id.at(testing::Uscc("91510106MA6C00125"));
  EXPECT_EQ(derived.region, "510106");
  EXPECT_TRUE(Has(derived, "region.derived"));
  // Full-width brackets and a branch type.
  EXPECT_EQ(run.by_id.at(testing::Uscc("91510116MA6C00095")).type_code, "1123");
  EXPECT_EQ(run.by_id.at(testing::Uscc("91510104MA6C00105")).entity_type, "branch");
  EXPECT_EQ(run.by_id.at("企独川总字第004711号").entity_type, "representative_office");
}

TEST(RealExport, CityExportWithDatabaseHeadersAndNoRegionColumn) {
  Loaded run = ImportFile("city_export_2021.csv");
  const auto& r = run.report;
  EXPECT_EQ(r.rows_read, 25);
  EXPECT_EQ(r.rows_valid, 24);
  EXPECT_EQ(r.rows_rejected, 1);  // an Excel float and no registration number
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, "id.excel_float");
  EXPECT_EQ(r.errors[0].column, "TYXYDM");
  EXPECT_EQ(r.warning_counts.at("region.derived"), 24);
  EXPECT_EQ(r.warning_counts.at("name.from_operator"), 4);
  EXPECT_EQ(r.warning_counts.at("id.excel_float"), 4);
  EXPECT_EQ(r.warning_counts.count("header.unknown"), 0u);
  EXPECT_EQ(r.warning_counts.count("entity_type.unmapped"), 0u);  // every type mapped
  int uscc = 0;
  for (const auto& [id, e] : run.by_id) {
    EXPECT_EQ(e.region, "510104") << id;
    EXPECT_FALSE(e.entity_type.empty()) << id;
    if (e.id.kind == IdKind::kUscc) ++uscc;
  }
  EXPECT_EQ(uscc, 12);  // every valid USCC is the primary id (kinds 0, 3, 4 of 24 rows)
  EXPECT_EQ(run.by_id.at(testing::Uscc("91510104MA6C01005")).type_code, "1130");  // QYLX_ZL alone
  EXPECT_EQ(run.by_id.at(testing::Uscc("91510104MA6C01045")).status, "deregistered");  // 吊销，已注销
  // --region wins over derivation for rows without a region.
  ImportOptions o;
  o.default_region = "510100";
  Loaded with = ImportFile("city_export_2021.csv", o);
  EXPECT_EQ(with.report.warning_counts.count("region.derived"), 0u);
  for (const auto& [id, e] : with.by_id) EXPECT_EQ(e.region, "510100") << id;
}

TEST(RealExport, EveryNationalTypeByLabelAndByCode) {
  const auto& table = EntityTypeTable::Default();
  ASSERT_TRUE(table.error().empty()) << table.error();
  ASSERT_GT(table.entries().size(), 150u);
  for (const auto& e : table.entries()) {
    auto by_label = ClassifyEntityType(e.label, "");
    EXPECT_TRUE(by_label.in_table) << e.label;
    EXPECT_EQ(by_label.cls, e.cls) << e.label;
    if (e.code.empty()) continue;
    auto by_code = ClassifyEntityType("", e.code);
    EXPECT_TRUE(by_code.in_table) << e.code;
    EXPECT_EQ(by_code.code, e.code);
    EXPECT_EQ(by_code.label, e.label);
  }
  // Spelling variants: full-width brackets, 台港澳 for 港澳台, 港、澳、台 with enumeration commas.
  EXPECT_EQ(ClassifyEntityType("有限责任公司（自然人投资或控股）", "").code, "1130");
  EXPECT_EQ(ClassifyEntityType("有限责任公司(台港澳法人独资)", "").code, "6150");
  EXPECT_EQ(ClassifyEntityType("非公司港、澳、台投资企业", "").code, "6300");
  EXPECT_EQ(ClassifyEntityType("一人有限公司", "").code, "1150");
  // Not in the table: kept, class from its wording, else other.
  auto worded = ClassifyEntityType("某某连锁分店", "");
  EXPECT_FALSE(worded.in_table);
  EXPECT_EQ(worded.cls, "branch");
  EXPECT_EQ(ClassifyEntityType("外星人", "").cls, "other");
  // A code wins over a disagreeing label, which is flagged.
  auto both = ClassifyEntityType("个人独资企业", "1130");
  EXPECT_EQ(both.cls, "company");
  EXPECT_TRUE(both.disagree);
}

}  // namespace
}  // namespace suiji::import
