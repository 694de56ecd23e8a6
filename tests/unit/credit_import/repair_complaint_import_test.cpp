// RepairImporter and ComplaintImporter (data/import/record_import.h): pure, no database. Header
// aliases, vocabularies, how a repair row finds its membership (by id or entity + list on the
// decision date), and every row error with its row, column, value and code.
#include <gtest/gtest.h>

#include <set>

#include "data/import/record_import.h"

namespace suiji::import {
namespace {

const std::string kA = "91510682252332503H", kB = "92511402005442676N", kC = "915133267585528452";

KnownEntity Known(std::set<std::string> ids) {
  return [ids = std::move(ids)](std::string_view id) { return ids.count(std::string(id)) > 0; };
}

// A serious-list membership of A (open), an abnormal one of A ended by a repair, two abnormal ones of
// B in force at once, and C's serious membership listed in 2025.
std::vector<MembershipRef> Memberships() {
  return {{"S-A-1", kA, "serious", "2023-03-01", ""},
          {"AB-A-1", kA, "abnormal", "2022-01-10", "2023-05-20"},
          {"AB-B-1", kB, "abnormal", "2023-01-01", ""},
          {"AB-B-2", kB, "abnormal", "2023-06-01", ""},
          {"S-C-1", kC, "serious", "2025-02-01", ""}};
}

struct Got {
  std::vector<RepairRow> rows;
  std::vector<RejectedRow> rejected;
  ImportReport report;
};

Got ReadRepairs(const std::string& csv, bool with_memberships = true) {
  Got g;
  auto imp = RepairImporter::FromString(csv, Known({kA, kB, kC}));
  EXPECT_TRUE(imp.ok()) << imp.error().message;
  if (!imp.ok()) return g;
  if (with_memberships) imp.value().UseMemberships(Memberships());
  imp.value().OnReject([&](const RejectedRow& r) { g.rejected.push_back(r); });
  std::vector<RepairRow> batch;
  while (imp.value().NextBatch(batch, 2)) g.rows.insert(g.rows.end(), batch.begin(), batch.end());
  g.report = imp.value().report();
  return g;
}

TEST(RepairVocabulary, Outcomes) {
  EXPECT_EQ(NormalizeRepairOutcome("准予信用修复").value(), "granted");
  EXPECT_EQ(NormalizeRepairOutcome(" 同意 ").value(), "granted");
  EXPECT_EQ(NormalizeRepairOutcome("GRANTED").value(), "granted");
  EXPECT_EQ(NormalizeRepairOutcome("不予信用修复").value(), "refused");
  EXPECT_EQ(NormalizeRepairOutcome("驳回").value(), "refused");
  auto bad = NormalizeRepairOutcome("待定");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "repair_outcome.unknown");
  EXPECT_EQ(bad.error().message, "'待定' is not a known repair outcome (one of: granted, refused)");
}

TEST(ComplaintVocabulary, Substantiated) {
  EXPECT_EQ(NormalizeSubstantiated("属实").value(), "yes");
  EXPECT_EQ(NormalizeSubstantiated("部分属实").value(), "yes");
  EXPECT_EQ(NormalizeSubstantiated("Yes").value(), "yes");
  EXPECT_EQ(NormalizeSubstantiated("不属实").value(), "no");
  EXPECT_EQ(NormalizeSubstantiated("查无实据").value(), "no");
  EXPECT_EQ(NormalizeSubstantiated("0").value(), "no");
  EXPECT_EQ(NormalizeSubstantiated("处理中").value(), "pending");
  EXPECT_EQ(NormalizeSubstantiated("也许").error().code, "substantiated.unknown");
}

TEST(RepairImporter, ChineseHeaderByMembershipId) {
  auto g = ReadRepairs(
      "信用修复决定书文号,列入决定书文号,修复决定日期,作出决定机关,修复结果,修复理由\n"
      "修复〔2024〕1号,S-A-1,2024年4月2日,成都市市场监督管理局,准予信用修复,已履行行政处罚决定并公开信用承诺\n");
  ASSERT_EQ(g.rows.size(), 1u);
  const RepairRow& r = g.rows[0];
  EXPECT_EQ(r.decision_no, "修复〔2024〕1号");
  EXPECT_EQ(r.membership_id, "S-A-1");
  EXPECT_EQ(r.entity_id, kA) << "filled in from the membership";
  EXPECT_EQ(r.list, "serious");
  EXPECT_EQ(r.decided_on, "2024-04-02");
  EXPECT_EQ(r.authority, "成都市市场监督管理局");
  EXPECT_EQ(r.outcome, "granted");
  EXPECT_EQ(r.reason, "已履行行政处罚决定并公开信用承诺");
  EXPECT_TRUE(g.report.consistent());
}

TEST(RepairImporter, EnglishHeaderByEntityAndList) {
  auto g = ReadRepairs(
      "decision_no,entity_id,list,decided_on,authority,outcome,reason\n"
      "R1," + kC + ",严重违法失信名单,2025-03-01,局,refused,未满一年\n"
      "R2," + kA + ",abnormal,2023-05-20,局,,\n");  // ended that very day by this repair: still found
  ASSERT_EQ(g.rows.size(), 2u) << (g.rejected.empty() ? "" : g.rejected[0].errors[0].reason);
  EXPECT_EQ(g.rows[0].membership_id, "S-C-1");
  EXPECT_EQ(g.rows[0].outcome, "refused");
  EXPECT_EQ(g.rows[1].membership_id, "AB-A-1");
  EXPECT_EQ(g.rows[1].outcome, "granted") << "an empty outcome is a granted repair";
}

TEST(RepairImporter, BadRowsNameRowColumnValueAndReason) {
  const std::string header = "信用修复决定书文号,列入决定书文号,统一社会信用代码,名录类别,修复决定日期,作出决定机关,修复结果,修复理由\n";
  auto g = ReadRepairs(header +
                       "R1,NOPE,,,2024-05-01,局,准予,\n" +                      // 2: unknown id
                       "R2,,,,2024-05-01,局,准予,\n" +                          // 3: no membership named
                       "R3,," + kB + ",经营异常名录,2024-05-01,局,准予,\n" +  // 4: two in force
                       "R4,," + kA + ",严重违法失信名单,2022-05-01,局,准予,\n" +  // 5: none in force then
                       "R5,S-A-1," + kB + ",,2024-05-01,局,准予,\n" +          // 6: entity contradicts
                       "R6,S-A-1,,经营异常名录,2024-05-01,局,准予,\n" +        // 7: list contradicts
                       "R7,S-C-1,,,2025-01-15,局,准予,\n" +                    // 8: before the listing
                       "R8,S-C-1,,,2025-03-01,局,不予信用修复,\n" +            // 9: refused without reason
                       "R9,S-C-1,,,2025-03-01,局,也许,\n" +                    // 10: unknown outcome
                       "R10,S-C-1,,,2025-03-01,,准予,\n" +                     // 11: no authority
                       "R11,S-C-1,,,2025-02-30,局,准予,\n" +                   // 12: no such date
                       "R12,S-C-1,,,2025-03-01,局,准予,\n" +                   // 13: ok
                       "R12,S-A-1,,,2024-03-01,局,准予,\n");                   // 14: duplicate key
  ASSERT_EQ(g.rows.size(), 1u);
  EXPECT_EQ(g.rows[0].decision_no, "R12");
  EXPECT_EQ(g.report.rows_read, 13);
  EXPECT_EQ(g.report.rows_rejected, 12);
  ASSERT_EQ(g.rejected.size(), 12u);
  auto first = [&](std::size_t k) { return g.rejected[k].errors.at(0); };

  EXPECT_EQ(first(0).row, 2);
  EXPECT_EQ(first(0).column, "列入决定书文号");
  EXPECT_EQ(first(0).value, "NOPE");
  EXPECT_EQ(first(0).code, "membership.unknown");
  EXPECT_EQ(first(0).reason.rfind("no list membership 'NOPE' is stored", 0), 0u) << first(0).reason;

  EXPECT_EQ(first(1).code, "repair.membership_required");
  EXPECT_EQ(first(1).reason,
            "name the membership repaired: its 列入决定书文号, or the entity (统一社会信用代码) and the list (名录类别)");

  EXPECT_EQ(first(2).code, "membership.ambiguous");
  EXPECT_EQ(first(2).column, "统一社会信用代码");
  EXPECT_EQ(first(2).reason, "entity " + kB +
                                 " has 2 memberships of the abnormal-operations list (经营异常名录) in force on "
                                 "2024-05-01 (AB-B-1, AB-B-2): name one in 列入决定书文号");

  EXPECT_EQ(first(3).code, "membership.unknown");
  EXPECT_EQ(first(3).reason, "entity " + kA +
                                 " has no membership of the serious-violation list (严重违法失信名单) in force on "
                                 "2022-05-01 (listed on or before it and not ended before it)");

  EXPECT_EQ(first(4).code, "membership.mismatch");
  EXPECT_EQ(first(4).column, "统一社会信用代码");
  EXPECT_EQ(first(4).reason, "membership S-A-1 is of entity " + kA + ", not " + kB);
  EXPECT_EQ(first(5).code, "membership.mismatch");
  EXPECT_EQ(first(5).column, "名录类别");

  EXPECT_EQ(first(6).code, "repair.before_listing");
  EXPECT_EQ(first(6).column, "修复决定日期");
  EXPECT_EQ(first(6).reason, "decided on 2025-01-15, before membership S-C-1 was listed on 2025-02-01");

  EXPECT_EQ(first(7).code, "repair.reason_required");
  EXPECT_EQ(first(7).column, "修复理由");
  EXPECT_EQ(first(8).code, "repair_outcome.unknown");
  EXPECT_EQ(first(8).value, "也许");
  EXPECT_EQ(first(9).code, "field.required");
  EXPECT_EQ(first(9).column, "作出决定机关");
  EXPECT_EQ(first(10).code, "date.format");
  EXPECT_EQ(first(10).value, "2025-02-30");

  EXPECT_EQ(first(11).row, 14);
  EXPECT_EQ(first(11).code, "repair.duplicate");
  EXPECT_EQ(first(11).other_row, 13);
  EXPECT_TRUE(g.report.consistent());
}

TEST(RepairImporter, WithoutMembershipsNothingResolves) {
  auto g = ReadRepairs("文号,列入决定书文号,决定日期,决定机关\nR1,S-A-1,2024-05-01,局\n", /*with_memberships=*/false);
  EXPECT_TRUE(g.rows.empty());
  ASSERT_EQ(g.rejected.size(), 1u);
  EXPECT_EQ(g.rejected[0].errors[0].code, "membership.unknown");
}

TEST(RepairImporter, MissingRequiredColumnIsAFileError) {
  auto imp = RepairImporter::FromString("列入决定书文号,修复决定日期\nS-A-1,2024-05-01\n", Known({kA}));
  ASSERT_FALSE(imp.ok());
  EXPECT_EQ(imp.error().code, "header.missing");
  EXPECT_NE(imp.error().message.find("信用修复决定书文号 (decision_no"), std::string::npos) << imp.error().message;
  EXPECT_NE(imp.error().message.find("作出决定机关 (authority"), std::string::npos);
}

// Duplicate references far apart, with the duplicate index forced to spill to disk after 4 keys:
// the same rejections, naming the same first rows, as with the index in memory.
TEST(ComplaintImporter, DuplicatesFarApartAreFoundWhenTheIndexSpills) {
  std::string csv = "投诉举报编号,统一社会信用代码,登记日期,是否属实\n";
  for (int i = 0; i < 400; ++i) csv += "C-" + std::to_string(i) + "," + kA + ",2025-01-05,属实\n";
  for (int i = 0; i < 400; i += 37) csv += "C-" + std::to_string(i) + "," + kB + ",2025-02-05,不属实\n";
  auto run = [&](std::size_t memory_keys) {
    ImportOptions opts;
    opts.duplicate_memory_keys = memory_keys;
    auto imp = ComplaintImporter::FromString(csv, Known({kA, kB}), opts);
    EXPECT_TRUE(imp.ok());
    std::vector<std::pair<std::int64_t, std::int64_t>> dups;  // (row, other_row)
    imp.value().OnReject([&](const RejectedRow& r) {
      EXPECT_EQ(r.errors.at(0).code, "complaint.duplicate");
      dups.emplace_back(r.row, r.errors.at(0).other_row);
    });
    std::vector<ComplaintRow> rows;
    std::size_t kept = 0;
    while (imp.value().NextBatch(rows, 64)) kept += rows.size();
    EXPECT_EQ(kept, 400u);
    return dups;
  };
  auto spilled = run(4);
  ASSERT_EQ(spilled.size(), 11u);
  EXPECT_EQ(spilled.front(), (std::pair<std::int64_t, std::int64_t>{402, 2}));  // C-0 again
  EXPECT_EQ(spilled.back(), (std::pair<std::int64_t, std::int64_t>{412, 372}));  // C-370 again
  EXPECT_EQ(spilled, run(1 << 18));
}

TEST(ComplaintImporter, RowsAndErrors) {
  std::string csv = "投诉举报编号,统一社会信用代码,登记日期,是否属实,办结日期,来源,承办部门\n"
                    "12315-001," + kA + ",2025-01-05,属实,2025-02-10,12315平台,市场监管局\n"
                    "12315-002," + kA + ",2025/3/1,处理中,,12345热线,\n"
                    "12315-003,91510682252332503X,2025-03-02,属实,,,\n"   // bad check character
                    "12315-004," + kB + ",2025-03-03,也许,,,\n"           // unknown finding
                    "12315-005," + kB + ",2025-03-04,不属实,2025-03-01,,\n"  // concluded before received
                    "12315-006," + kC + ",2025-03-05,属实,,,\n"           // not in the register
                    "12315-001," + kB + ",2025-03-06,不属实,,,\n";        // duplicate reference
  auto imp = ComplaintImporter::FromString(csv, Known({kA, kB}));
  ASSERT_TRUE(imp.ok()) << imp.error().message;
  std::vector<RejectedRow> rejected;
  imp.value().OnReject([&](const RejectedRow& r) { rejected.push_back(r); });
  std::vector<ComplaintRow> rows;
  ASSERT_TRUE(imp.value().NextBatch(rows));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (ComplaintRow{"12315-001", kA, "2025-01-05", "yes", "2025-02-10", "12315平台", "市场监管局"}));
  EXPECT_EQ(rows[1].received_on, "2025-03-01");
  EXPECT_EQ(rows[1].substantiated, "pending");
  EXPECT_EQ(rows[1].concluded_on, "");
  ASSERT_EQ(rejected.size(), 5u);
  EXPECT_EQ(rejected[0].errors[0].code, "uscc.check");
  EXPECT_EQ(rejected[0].errors[0].column, "统一社会信用代码");
  EXPECT_EQ(rejected[1].errors[0].code, "substantiated.unknown");
  EXPECT_EQ(rejected[1].errors[0].column, "是否属实");
  EXPECT_EQ(rejected[1].errors[0].value, "也许");
  EXPECT_EQ(rejected[2].errors[0].code, "complaint.concluded_before_received");
  EXPECT_EQ(rejected[2].errors[0].reason, "concluded on 2025-03-01, before it was received on 2025-03-04");
  EXPECT_EQ(rejected[3].errors[0].code, "entity.unknown");
  EXPECT_EQ(rejected[4].errors[0].code, "complaint.duplicate");
  EXPECT_EQ(rejected[4].errors[0].other_row, 2);
  EXPECT_EQ(imp.value().report().rows_read, 7);
  EXPECT_TRUE(imp.value().report().consistent());
}

TEST(ComplaintImporter, EnglishAndAliasHeaders) {
  auto imp = ComplaintImporter::FromString("工单号,信用代码,受理日期,核查结果\nW-1," + kA + ",20250105,查实\n",
                                           Known({kA}));
  ASSERT_TRUE(imp.ok()) << imp.error().message;
  std::vector<ComplaintRow> rows;
  ASSERT_TRUE(imp.value().NextBatch(rows));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reference_no, "W-1");
  EXPECT_EQ(rows[0].received_on, "2025-01-05");
  EXPECT_EQ(rows[0].substantiated, "yes");
  EXPECT_EQ(RecordKindName(RecordKind::kComplaints), std::string("complaints"));
  EXPECT_EQ(RecordKindName(RecordKind::kRepairs), std::string("repairs"));
}

}  // namespace
}  // namespace suiji::import
