// RecordImporter (data/import/record_import.h): pure, no database. Vocabularies, amounts, header
// mapping, row errors with row/column/value, duplicates, and that a rejects file re-imports.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "data/import/csv_writer.h"
#include "data/import/record_import.h"

namespace suiji::import {
namespace {

KnownEntity Known(std::set<std::string> ids) {
  return [ids = std::move(ids)](std::string_view id) { return ids.count(std::string(id)) > 0; };
}

const std::string kA = "91510682252332503H", kB = "92511402005442676N";

TEST(RecordVocabulary, Amounts) {
  EXPECT_EQ(NormalizeAmount("12,500.00").value(), "12500");
  EXPECT_EQ(NormalizeAmount(" 0012500.50元 ").value(), "12500.5");
  EXPECT_EQ(NormalizeAmount("").value(), "0");
  EXPECT_EQ(NormalizeAmount(".5").value(), "0.5");
  EXPECT_EQ(NormalizeAmount("-5").error().code, "amount.negative");
  EXPECT_EQ(NormalizeAmount("1e5").error().code, "amount.format");
  EXPECT_EQ(NormalizeAmount("12.5.1").error().code, "amount.format");
  EXPECT_EQ(NormalizeAmount("五千").error().code, "amount.format");
  EXPECT_EQ(NormalizeDecimal("-3.20").value(), "-3.2");
  EXPECT_EQ(NormalizeDecimal("x").error().code, "value.format");
}

TEST(RecordVocabulary, PenaltyTypesTakeTheMostSevere) {
  EXPECT_EQ(NormalizePenaltyType("罚款").value(), "fine");
  EXPECT_EQ(NormalizePenaltyType("罚款;没收违法所得").value(), "confiscation");
  EXPECT_EQ(NormalizePenaltyType("警告、吊销营业执照").value(), "revocation");
  EXPECT_EQ(NormalizePenaltyType("责令停产停业").value(), "suspension");
  EXPECT_EQ(NormalizePenaltyType("Fine").value(), "fine");
  EXPECT_EQ(NormalizePenaltyType("罚金").error().code, "penalty_type.unknown");
  EXPECT_EQ(NormalizePenaltyType("").error().code, "penalty_type.unknown");
}

TEST(RecordVocabulary, ResultsAndLists) {
  EXPECT_EQ(NormalizeInspectionResult("通过登记的住所（经营场所）无法联系").value(), "not_found");
  EXPECT_EQ(NormalizeInspectionResult("发现问题已责令改正").value(), "problem_corrected");
  EXPECT_EQ(NormalizeInspectionResult("NO_PROBLEM").value(), "no_problem");
  auto bad = NormalizeInspectionResult("还行");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "result.unknown");
  EXPECT_NE(bad.error().message.find("problem_corrected"), std::string::npos) << "lists the codes";
  EXPECT_EQ(NormalizeListKind("严重违法失信名单").value(), "serious");
  EXPECT_EQ(NormalizeListKind("经营异常名录").value(), "abnormal");
  EXPECT_EQ(NormalizeListKind("红名单").error().code, "list.unknown");
}

TEST(RecordImporter, RowErrorsNameRowColumnValue) {
  std::string csv = "Entity_ID, dept ,date,outcome,extra\n\"=\"\"" + kA + "\"\"\",samr,2025-01-02,no_problem,x\n" +
                    kB + ",SAMR,2025-01-02,problem\n" +  // one cell short
                    "91510682252332503X,SAMR,2025-01-03,problem,\n" +  // bad check character
                    kA + ",SAMR,,problem,\n" +
                    "\n" + kA + ",SAMR,2025-01-02,problem,\n";  // duplicate of row 2
  auto imp = ResultImporter::FromString(csv, Known({kA, kB}));
  ASSERT_TRUE(imp.ok()) << imp.error().message;
  std::vector<RejectedRow> rejected;
  imp.value().OnReject([&](const RejectedRow& r) { rejected.push_back(r); });
  std::vector<ResultRow> batch, all;
  while (imp.value().NextBatch(batch, 1)) all.insert(all.end(), batch.begin(), batch.end());
  const auto& rep = imp.value().report();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].department, "SAMR");
  EXPECT_EQ(all[0].entity_id, kA) << "an Excel text formula =\"...\" is unwrapped";
  EXPECT_EQ(rep.rows_read, 5);
  EXPECT_EQ(rep.blank_rows, 1);
  EXPECT_TRUE(rep.consistent());
  EXPECT_EQ(rep.warning_counts.at("header.unknown"), 1);
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].errors[0].code, "csv.columns");
  EXPECT_EQ(rejected[1].errors[0].code, "uscc.check");
  EXPECT_EQ(rejected[1].errors[0].column, "Entity_ID");
  EXPECT_EQ(rejected[1].errors[0].value, "91510682252332503X");
  EXPECT_EQ(rejected[2].errors[0].code, "field.required");
  EXPECT_EQ(rejected[2].errors[0].column, "date");
  EXPECT_EQ(rejected[3].row, 7);
  EXPECT_EQ(rejected[3].errors[0].code, "result.duplicate");
  EXPECT_EQ(rejected[3].errors[0].other_row, 2);
}

TEST(RecordImporter, RejectsFileReimportsAfterFixing) {
  std::string csv = "行政处罚决定书文号,统一社会信用代码,处罚机关,处罚类别,处罚决定日期,罚没金额(元)\n"
                    "罚1," + kA + ",局,罚款,2025-01-01,100\n"
                    "罚2," + kA + ",局,罚金,2025-01-02,100\n";
  auto imp = PenaltyImporter::FromString(csv, Known({kA}));
  ASSERT_TRUE(imp.ok());
  std::ostringstream rejects;
  RejectsWriter w(rejects, imp.value().columns(), /*bom=*/false);
  imp.value().OnReject([&](const RejectedRow& r) { w.Write(r); });
  std::vector<PenaltyRow> batch;
  while (imp.value().NextBatch(batch)) {
  }
  EXPECT_EQ(imp.value().report().rows_rejected, 1);
  std::string fixed = rejects.str();
  auto pos = fixed.find("罚金");
  ASSERT_NE(pos, std::string::npos);
  fixed.replace(pos, std::string("罚金").size(), "罚款");
  auto again = PenaltyImporter::FromString(fixed, Known({kA}));
  ASSERT_TRUE(again.ok()) << again.error().message;
  ASSERT_TRUE(again.value().NextBatch(batch));
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].decision_no, "罚2");
  EXPECT_EQ(batch[0].penalty_type, "fine");
  EXPECT_TRUE(again.value().report().warnings.empty()) << "错误原因 is ignored silently";
}

TEST(RecordImporter, ListsAndAnnualReports) {
  std::string lists = "决定书文号,统一社会信用代码,名录类别,列入日期,移出日期\n"
                      "L1," + kA + ",经营异常名录,2022-01-01,\n"
                      "L2," + kA + ",严重违法失信名单,2022-01-01,2021-12-31\n"
                      "L3," + kB + ",经营异常名录,2022-01-01,\n";
  auto li = ListDecisionImporter::FromString(lists, Known({kA}));
  ASSERT_TRUE(li.ok());
  std::vector<ListDecisionRow> rows;
  ASSERT_TRUE(li.value().NextBatch(rows));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].list, "abnormal");
  EXPECT_EQ(li.value().report().error_counts.at("list.removal_before_listing"), 1);
  EXPECT_EQ(li.value().report().error_counts.at("entity.unknown"), 1);

  std::string reports = "统一社会信用代码,报告年度,报送日期\n" + kA + ",2023年度,2024-05-01\n" + kA +
                        ",2024,2024-12-01\n" + kA + ",24,2025-05-01\n";
  auto ar = AnnualReportImporter::FromString(reports, Known({kA}));
  ASSERT_TRUE(ar.ok());
  std::vector<AnnualReportRow> got;
  ASSERT_TRUE(ar.value().NextBatch(got));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].year, "2023");
  EXPECT_EQ(ar.value().report().error_counts.at("annual_report.early"), 1);
  EXPECT_EQ(ar.value().report().error_counts.at("year.format"), 1);
}

TEST(RecordImporter, MissingHeaderIsAFileError) {
  auto imp = ExternalImporter::FromString("统一社会信用代码,指标名称\n" + kA + ",x\n", Known({kA}));
  ASSERT_FALSE(imp.ok());
  EXPECT_EQ(imp.error().code, "header.missing");
  EXPECT_NE(imp.error().message.find("数据来源"), std::string::npos);
}

}  // namespace
}  // namespace suiji::import
