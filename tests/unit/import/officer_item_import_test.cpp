#include <gtest/gtest.h>

#include "data/import/importer.h"
#include "test_util.h"

namespace suiji::import {
namespace {

using testing::Regions;
using testing::Uscc;

using Found = std::vector<std::tuple<std::int64_t, std::string, std::string, std::string>>;
Found Codes(const ImportReport& r) {
  Found out;
  for (const auto& e : r.errors) out.emplace_back(e.row, e.column, e.value, e.code);
  return out;
}

template <typename T>
std::vector<T> Drain(Importer<T>& imp) {
  std::vector<T> all, batch;
  while (imp.NextBatch(batch, 2))
    for (auto& x : batch) all.push_back(x);
  EXPECT_TRUE(imp.report().consistent());
  return all;
}

TEST(OfficerImport, ValidatesJurisdictionsConflictsAndVocabulary) {
  const std::string conflict = Uscc("91510104MA6CGUD5X");
  std::string bad_conflict = Uscc("91510105MA6CGUD5Y");
  bad_conflict.back() = bad_conflict.back() == '0' ? '1' : '0';
  std::string text = "执法证号,姓名,所属单位,部门,辖区,资质,状态,回避对象\n";
  text += "51000000001,李明,510104-SAMR,samr,510104;510100,food、drug,在职," + conflict + "\n";  // 2
  text += "5.1E+10,王芳,,SAMR,510104,,,\n";                                                  // 3
  text += "51000000003,张三,,SAMR,510104;519999,,,\n";                                       // 4
  text += "51000000004,赵四,,,,,休假," + bad_conflict + "\n";                                // 5
  text += "51000000001,重复,,SAMR,510104,,,\n";                                              // 6
  auto imp = OfficerImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok());
  auto officers = Drain(imp.value());
  ASSERT_EQ(officers.size(), 1u);
  const Officer& o = officers[0];
  EXPECT_EQ(o.cert_no, "51000000001");
  EXPECT_EQ(o.department, "SAMR");
  EXPECT_EQ(o.jurisdictions, (std::vector<std::string>{"510104", "510100"}));
  EXPECT_EQ(o.qualifications, (std::vector<std::string>{"FOOD", "DRUG"}));
  EXPECT_EQ(o.status, "active");
  EXPECT_EQ(o.conflicts, (std::vector<std::string>{conflict}));
  Found want = {
      {3, "执法证号", "5.1E+10", "cert_no.excel_float"},
      {4, "辖区", "519999", "region.unknown"},
      {5, "部门", "", "field.required"},
      {5, "辖区", "", "field.required"},
      {5, "状态", "休假", "status.unknown"},
      {5, "回避对象", bad_conflict, "uscc.check"},
      {6, "执法证号", "51000000001", "officer.duplicate"},
  };
  EXPECT_EQ(Codes(imp.value().report()), want);
  EXPECT_EQ(imp.value().report().errors.back().other_row, 2);
  EXPECT_EQ(imp.value().report().rows_rejected, 4);
}

TEST(ItemImport, SimpleShapeOneRowPerItem) {
  std::string text = "部门,事项编码,抽查类别,抽查事项,检查对象,事项类别,检查方式,检查主体,检查依据,适用行业,所需资质\n";
  text += "SAMR,SAMR-001,食品安全,食品销售者的检查,食品经营者,重点,实地核查、抽样检验,市场监管部门,"
          "\"《食品安全法》第一百一十条、第一百一十一条;《食品经营许可和备案管理办法》第四十三条\",F5221;h62,food\n";  // 2
  text += "SAMR,,广告,广告发布行为的检查,,一般,,,,,\n";            // 3: no code
  text += "SAMR,SAMR-003,价格,明码标价的检查,,特别,,,,Z1,\n";       // 4: class, industry
  text += "SAMR,SAMR-001,食品安全,重复的事项,,,,,,,\n";            // 5: duplicate key
  text += "MEE,SAMR-001,生态环境,同编码不同部门,,,,,,,\n";          // 6: ok (key is department + code)
  auto imp = ItemImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok());
  EXPECT_EQ(imp.value().header().kind, RegisterKind::kItems);
  auto items = Drain(imp.value());
  ASSERT_EQ(items.size(), 2u);
  const InspectionItem& i = items[0];
  EXPECT_EQ(i.code, "SAMR-001");
  EXPECT_EQ(i.item_class, "key");
  EXPECT_EQ(i.methods, (std::vector<std::string>{"实地核查", "抽样检验"}));
  EXPECT_EQ(i.legal_basis, (std::vector<std::string>{"《食品安全法》第一百一十条、第一百一十一条", "《食品经营许可和备案管理办法》第四十三条"}));
  EXPECT_EQ(i.industries, (std::vector<std::string>{"F5221", "H62"}));
  EXPECT_EQ(i.qualification, "FOOD");
  Found want = {
      {3, "事项编码", "", "field.required"},
      {4, "事项类别", "特别", "item_class.unknown"},
      {4, "适用行业", "Z1", "industry.section"},
      {5, "事项编码", "SAMR-001", "item.duplicate"},
  };
  EXPECT_EQ(Codes(imp.value().report()), want);
}

TEST(ItemImport, GovernmentListWithMergedCellsAndMultiRowLegalBasis) {
  auto imp = ItemImporter::Open(testing::Fixture("items_gov.csv"), Regions());
  ASSERT_TRUE(imp.ok()) << imp.error().message;
  EXPECT_EQ(imp.value().header().kind, RegisterKind::kItemsGov);
  auto items = Drain(imp.value());
  const auto& r = imp.value().report();
  EXPECT_TRUE(r.bom);
  EXPECT_EQ(r.rows_read, 15);
  EXPECT_EQ(r.rows_valid, 15);
  EXPECT_EQ(r.rows_rejected, 0);
  EXPECT_EQ(r.blank_rows, 1);
  EXPECT_EQ(r.records_valid, 9);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_TRUE(r.warnings.empty());  // 备注 is a known, ignored column
  ASSERT_EQ(items.size(), 9u);

  const InspectionItem& first = items[0];
  EXPECT_EQ(first.department, "四川省市场监督管理局");
  EXPECT_EQ(first.code, "四川省市场监督管理局-1");
  EXPECT_EQ(first.category, "企业信息公示");
  EXPECT_EQ(first.item_class, "general");
  EXPECT_EQ(first.methods, (std::vector<std::string>{"书面检查", "网络监测"}));
  ASSERT_EQ(first.legal_basis.size(), 2u);
  EXPECT_EQ(first.legal_basis[0], "《企业信息公示暂行条例》第三条、第八条、第九条");

  // Item 2: category, target, class and subject continue from the merged cells above.
  const InspectionItem& second = items[1];
  EXPECT_EQ(second.code, "四川省市场监督管理局-2");
  EXPECT_EQ(second.category, "企业信息公示");
  EXPECT_EQ(second.target, "各类企业");
  EXPECT_EQ(second.subject, "市场监管部门");
  EXPECT_EQ(second.legal_basis, (std::vector<std::string>{"《企业信息公示暂行条例》第十条"}));

  const InspectionItem& food = items[3];
  EXPECT_EQ(food.name, "食品生产者生产条件的检查");
  EXPECT_EQ(food.item_class, "key");
  EXPECT_EQ(food.legal_basis.size(), 3u);

  const InspectionItem& drug = items[5];
  EXPECT_EQ(drug.department, "四川省药品监督管理局");
  EXPECT_EQ(drug.code, "四川省药品监督管理局-1");
  EXPECT_EQ(drug.legal_basis.size(), 2u);
  EXPECT_EQ(drug.subject, "药品监管部门");

  const InspectionItem& last = items[8];
  EXPECT_EQ(last.department, "四川省生态环境厅");
  EXPECT_EQ(last.code, "四川省生态环境厅-2");
  EXPECT_EQ(last.category, "生态环境");
  EXPECT_EQ(last.item_class, "key");  // blank 事项类别 continues the merged cell above
}

TEST(ItemImport, GovernmentShapeErrorsRejectTheWholeItem) {
  std::string text = "编制单位名称,序号,抽查类别,抽查事项,检查对象,事项类别,检查方式,检查主体,检查依据\n";
  text += ",,,,,,,,《某法》第一条\n";                                  // 2: orphan
  text += "市场监管局,1,食品,食品检查,食品经营者,重点,实地核查,市场监管部门,《食品安全法》\n";  // 3
  text += ",,,另一个事项,,,,,《食品安全法实施条例》\n";                // 4: conflicts with item of row 3
  text += ",2,食品,,,,,,《某法》\n";                                  // 5: no 抽查事项
  text += ",3,广告,广告检查,,一般,书面检查,,《广告法》\n";             // 6: ok
  text += ",,,,,,网络监测,,《广告法实施细则》\n";                      // 7: continuation adds a method
  auto imp = ItemImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok());
  std::vector<RejectedRow> rejected;
  imp.value().OnReject([&](const RejectedRow& r) { rejected.push_back(r); });
  auto items = Drain(imp.value());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].code, "市场监管局-3");
  EXPECT_EQ(items[0].methods, (std::vector<std::string>{"书面检查", "网络监测"}));
  EXPECT_EQ(items[0].legal_basis, (std::vector<std::string>{"《广告法》", "《广告法实施细则》"}));
  const auto& r = imp.value().report();
  EXPECT_EQ(r.rows_read, 6);
  EXPECT_EQ(r.rows_valid, 2);
  EXPECT_EQ(r.rows_rejected, 4);
  Found want = {
      {2, "序号", "", "items.orphan_row"},
      {4, "抽查事项", "另一个事项", "items.continuation"},
      {5, "抽查事项", "", "field.required"},
  };
  EXPECT_EQ(Codes(r), want);
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[1].row, 3);
  EXPECT_EQ(rejected[2].row, 4);
  // The first row of a rejected item carries its filled-down cells, so it re-imports on its own.
  EXPECT_EQ(rejected[3].row, 5);
  EXPECT_EQ(rejected[3].text, "市场监管局,2,食品,,食品经营者,重点,实地核查,市场监管部门,《某法》");
}

}  // namespace
}  // namespace suiji::import
