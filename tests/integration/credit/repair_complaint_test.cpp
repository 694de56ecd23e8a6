// Credit repair decisions and complaints end to end on both backends (SQLite file, throw-away
// PostgreSQL): CSV import (row errors, all or nothing, idempotent re-import), UpdateFlags ending a
// serious-list membership and its flags on the repair date, refusals carrying their reasons (the
// rule's and the authority's), late records, and complaints_1y moving a score.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "api/app/credit.h"
#include "api/app/rpc_backend.h"
#include "core/identifiers.h"
#include "data/store/audit_log.h"
#include "data/store/entity_store.h"
#include "tests/integration/store/store_fixture.h"

namespace suiji {
namespace {

using store::testing::StoreTest;

using store::testing::Uscc;

using store::testing::D;

class RepairTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    MigrateOrDie();
    std::vector<Entity> es;
    for (int n = 1; n <= 4; ++n) {
      Entity e;
      e.id = ParseEntityId(Uscc(n)).value();
      e.name = "测试商贸有限公司" + std::to_string(n);
      e.entity_type = "company";
      e.region = "511702";
      e.industry = "F5211";
      e.status = "active";
      e.established = "2015-01-01";
      es.push_back(e);
    }
    auto tx = store::Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(store::EntityStore(*db_).Upsert(tx.value(), es, "test").ok());
    ASSERT_TRUE(tx.value().Commit().ok());
    auto memo = rules::LoadMemoranda(DataDir() + "/examples/credit/memoranda.yaml");
    ASSERT_TRUE(memo.ok()) << memo.error().message;
    memoranda_ = memo.value();
  }
  void TearDown() override {
    for (const auto& f : files_) std::remove(f.c_str());
    StoreTest::TearDown();
  }
  std::string WriteCsv(const std::string& text) {
    static int counter = 0;
    std::string path = (std::filesystem::temp_directory_path() /
                        ("suiji-repair-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".csv"))
                           .string();
    std::ofstream(path, std::ios::binary) << text;
    files_.push_back(path);
    return path;
  }
  app::RecordImportOutcome Import(decltype(&app::ImportRepairs) fn, const std::string& csv, bool skip = false) {
    app::RecordImportOptions o;
    o.path = WriteCsv(csv);
    o.skip_invalid = skip;
    o.actor = "test";
    auto out = fn(*db_, o);
    EXPECT_TRUE(out.ok()) << out.error().message;
    return out.ok() ? out.value() : app::RecordImportOutcome{};
  }
  app::FlagsOutcome Flags(const char* date) {
    auto out = app::UpdateFlags(*db_, memoranda_, rules::ListRules{}, D(date), "test");
    EXPECT_TRUE(out.ok()) << out.error().message;
    return out.ok() ? out.value() : app::FlagsOutcome{};
  }
  std::vector<store::AuditEvent> Audit() { return store::ListAudit(*db_, 0, 100000).value(); }
  int CountActions(const std::string& action) {
    int n = 0;
    for (const auto& e : Audit()) n += e.action == action;
    return n;
  }

  rules::Memoranda memoranda_;
  std::vector<std::string> files_;
};

const char* kListsHeader = "决定书文号,统一社会信用代码,名录类别,列入事由,列入日期,作出决定机关\n";
const char* kRepairsHeader = "信用修复决定书文号,列入决定书文号,统一社会信用代码,名录类别,修复决定日期,作出决定机关,修复结果,修复理由\n";

TEST_P(RepairTest, RepairEndsTheSeriousMembershipAndItsFlagsOnTheDecisionDate) {
  const std::string u1 = Uscc(1), u2 = Uscc(2);
  auto lists = Import(app::ImportListDecisions, std::string(kListsHeader) +
                                                    "严列〔2023〕1号," + u1 + ",严重违法失信名单,提供虚假材料,2023-03-01,通川区市场监督管理局\n" +
                                                    "严列〔2023〕2号," + u2 + ",严重违法失信名单,提供虚假材料,2023-03-01,通川区市场监督管理局\n");
  ASSERT_TRUE(lists.committed);
  auto first = Flags("2024-01-01");
  EXPECT_EQ(first.active.size(), 10u) << "five serious-list measures for each of the two entities";
  std::string planned;  // the fixed-term measure's end, stored ahead of time
  auto stored = store::FlagStore(*db_).ForEntity(u1).value();
  for (const auto& f : stored)
    if (!f.end_on.empty()) planned = f.end_on;
  EXPECT_EQ(planned, "2026-03-01") << "{years: 3} from the listing";

  // An early application (decided before the one-year minimum; it arrives late too), the authority's
  // refusal, then a granted repair. u2's membership is named by entity + list.
  const std::string repairs = std::string(kRepairsHeader) +
                              "修复〔2023〕9号,严列〔2023〕1号,,,2023-09-01,达州市市场监督管理局,准予信用修复,已履行处罚\n" +
                              "修复〔2024〕2号,严列〔2023〕1号,,,2024-02-01,达州市市场监督管理局,不予信用修复,未公开信用承诺\n" +
                              "修复〔2024〕5号,严列〔2023〕1号,,,2024-04-15,达州市市场监督管理局,准予,已履行处罚并公开信用承诺\n" +
                              "修复〔2024〕6号,," + u2 + ",严重违法失信名单,2024-05-20,达州市市场监督管理局,准予,已纠正\n";
  auto imported = Import(app::ImportRepairs, repairs);
  ASSERT_TRUE(imported.committed);
  EXPECT_EQ(imported.counts.inserted, 4);
  EXPECT_EQ(CountActions("import.repairs"), 1);
  auto by_entity = store::RepairStore(*db_).Get("修复〔2024〕6号").value();
  ASSERT_TRUE(by_entity);
  EXPECT_EQ(by_entity->membership_id, "严列〔2023〕2号");
  EXPECT_EQ(by_entity->entity_id, u2);

  auto second = Flags("2024-06-01");
  EXPECT_TRUE(second.warnings.empty());
  auto m1 = store::ListMembershipStore(*db_).Get("严列〔2023〕1号").value();
  ASSERT_TRUE(m1);
  EXPECT_EQ(m1->removed_on, "2024-04-15");
  EXPECT_EQ(m1->removal_reason, "信用修复: 已履行处罚并公开信用承诺");
  EXPECT_EQ(m1->removal_authority, "达州市市场监督管理局");
  EXPECT_EQ(store::ListMembershipStore(*db_).Get("严列〔2023〕2号").value()->removed_on, "2024-05-20");

  // Every flag of u1 ends on the repair date, the fixed-term one brought forward from its planned end.
  auto f1 = store::FlagStore(*db_).ForEntity(u1).value();
  ASSERT_EQ(f1.size(), 5u);
  for (const auto& f : f1) EXPECT_EQ(f.end_on, "2024-04-15") << f.measure;
  EXPECT_TRUE(second.active.empty());

  // The events this update recorded, in date order: the rule's refusal (dated before the window: it
  // arrived late), the authority's refusal, the two ends.
  std::vector<std::string> seen;
  for (const auto& e : second.list_events)
    seen.push_back(FormatDate(e.date) + " " + credit::ListEventKindName(e.kind) + " " + e.membership_id);
  EXPECT_EQ(seen, (std::vector<std::string>{"2023-09-01 repair_refused 严列〔2023〕1号",
                                            "2024-02-01 repair_refused 严列〔2023〕1号",
                                            "2024-04-15 ended 严列〔2023〕1号", "2024-05-20 ended 严列〔2023〕2号"}));
  EXPECT_EQ(second.list_events[0].detail,
            "信用修复申请 修复〔2023〕9号 (达州市市场监督管理局) 未准予: credit repair is possible from 2024-03-01 "
            "(1 year(s) after listing)");
  EXPECT_EQ(second.list_events[1].detail, "不予信用修复 修复〔2024〕2号 (达州市市场监督管理局): 未公开信用承诺");
  EXPECT_EQ(second.list_events[2].detail, "信用修复: 已履行处罚并公开信用承诺");
  auto stored_events = store::ListEventStore(*db_).ForMembership("严列〔2023〕1号").value();
  EXPECT_EQ(stored_events.size(), 4u) << "started, two refusals, ended";

  // A lift request per ended flag, dated on the repair.
  int lifts = 0;
  for (const auto& b : second.feedback) {
    EXPECT_EQ(b.action, "lift");
    lifts += b.entity_id == u1 && FormatDate(b.date) == "2024-04-15";
  }
  EXPECT_EQ(lifts, 5);
  EXPECT_EQ(second.feedback.size(), 10u);
  EXPECT_GE(CountActions("list_membership.update"), 2) << "each end is audited with its old and new values";

  // Nothing new on a rerun or a later date; the same file re-imports unchanged.
  auto again = Flags("2024-06-01");
  EXPECT_TRUE(again.list_events.empty());
  EXPECT_TRUE(again.feedback.empty());
  EXPECT_EQ(again.flags.inserted + again.flags.updated, 0);
  auto later = Flags("2024-12-31");
  EXPECT_TRUE(later.list_events.empty());
  EXPECT_TRUE(later.flag_events.empty());
  auto reimport = Import(app::ImportRepairs, repairs);
  ASSERT_TRUE(reimport.committed) << "u2's membership still resolves on the day its repair ended it";
  EXPECT_EQ(reimport.counts.unchanged, 4);
  EXPECT_EQ(reimport.counts.inserted + reimport.counts.updated, 0);
  auto chain = store::VerifyAuditChain(*db_);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain.value().ok) << chain.value().message;
}

TEST_P(RepairTest, BadRepairRowsRefuseTheWholeFileWithExactMessages) {
  const std::string u1 = Uscc(1), u3 = Uscc(3), u9 = Uscc(9);
  ASSERT_TRUE(Import(app::ImportListDecisions, std::string(kListsHeader) + "L1," + u1 + ",经营异常名录,未报送年报,2024-01-10,局\n")
                  .committed);
  const std::string csv = std::string(kRepairsHeader) +
                          "R1,L1,,,2024-03-01,局,准予,已补报\n" +                   // fine
                          "R2,L9,,,2024-03-01,局,准予,\n" +                         // unknown membership
                          "R3,," + u3 + ",经营异常名录,2024-03-01,局,准予,\n" +   // u3 is not listed
                          "R4,," + u9 + ",经营异常名录,2024-03-01,局,准予,\n" +   // u9 is not in the register
                          "R5,L1,,,2024-03-01,局,不予,\n";                          // refused without reason
  auto refused = Import(app::ImportRepairs, csv);
  EXPECT_FALSE(refused.committed);
  EXPECT_EQ(store::RepairStore(*db_).Count().value(), 0) << "all or nothing";
  EXPECT_EQ(CountActions("import.repairs"), 0);
  ASSERT_EQ(refused.report.errors.size(), 4u);
  const auto& e = refused.report.errors;
  EXPECT_EQ(e[0].row, 3);
  EXPECT_EQ(e[0].column, "列入决定书文号");
  EXPECT_EQ(e[0].value, "L9");
  EXPECT_EQ(e[0].code, "membership.unknown");
  EXPECT_EQ(e[1].row, 4);
  EXPECT_EQ(e[1].code, "membership.unknown");
  EXPECT_EQ(e[1].reason, "entity " + u3 +
                             " has no membership of the abnormal-operations list (经营异常名录) in force on 2024-03-01 "
                             "(listed on or before it and not ended before it)");
  EXPECT_EQ(e[2].row, 5);
  EXPECT_EQ(e[2].code, "entity.unknown");
  EXPECT_EQ(e[2].value, u9);
  EXPECT_EQ(e[3].row, 6);
  EXPECT_EQ(e[3].code, "repair.reason_required");
  EXPECT_EQ(e[3].column, "修复理由");
  EXPECT_EQ(e[3].reason, "修复理由 is required when the repair is refused (不予修复的理由)");

  auto partial = Import(app::ImportRepairs, csv, /*skip=*/true);
  ASSERT_TRUE(partial.committed);
  EXPECT_EQ(partial.counts.inserted, 1);
  EXPECT_EQ(partial.report.rows_rejected, 4);
  // An abnormal-list repair ends the membership (no minimum period) and its flags.
  auto out = Flags("2024-04-01");
  EXPECT_EQ(store::ListMembershipStore(*db_).Get("L1").value()->removed_on, "2024-03-01");
  auto flags = store::FlagStore(*db_).ForEntity(u1).value();
  EXPECT_EQ(flags.size(), 2u);
  for (const auto& f : flags) EXPECT_EQ(f.end_on, "2024-03-01");
  EXPECT_TRUE(out.active.empty());
}

TEST_P(RepairTest, ARepairArrivingAfterARecordedEndLeavesItAndSaysSo) {
  const std::string u1 = Uscc(1);
  ASSERT_TRUE(Import(app::ImportListDecisions, std::string(kListsHeader) + "A1," + u1 + ",经营异常名录,无法联系,2020-01-10,局\n")
                  .committed);
  auto moved = Flags("2023-06-01");
  EXPECT_EQ(store::ListMembershipStore(*db_).Get("A1").value()->removed_on, "2023-01-10") << "moved after 3 years";
  ASSERT_TRUE(Import(app::ImportRepairs, std::string(kRepairsHeader) + "R1,A1,,,2022-12-01,局,准予,已补正\n").committed);
  auto late = Flags("2023-07-01");
  ASSERT_EQ(late.warnings.size(), 1u);
  EXPECT_EQ(late.warnings[0].rfind("repair R1 of membership A1 (decided 2022-12-01) arrived after the membership's end "
                                   "was recorded on 2023-01-10",
                                   0),
            0u)
      << late.warnings[0];
  EXPECT_EQ(store::ListMembershipStore(*db_).Get("A1").value()->removed_on, "2023-01-10") << "an end never moves";
  ASSERT_TRUE(store::ListMembershipStore(*db_).Get("A1/serious").value());
}

TEST_P(RepairTest, SubstantiatedComplaintsRaiseTheScore) {
  const std::string u1 = Uscc(1), u2 = Uscc(2), u3 = Uscc(3);
  auto model = rules::LoadCreditModel(DataDir() + "/examples/credit/model.yaml");
  ASSERT_TRUE(model.ok()) << model.error().message;
  const std::string csv = std::string("投诉举报编号,统一社会信用代码,登记日期,是否属实,办结日期,来源,承办部门\n") +
                          "T1," + u1 + ",2025-02-01,属实,2025-03-01,12315,通川区市场监督管理局\n" +
                          "T2," + u1 + ",2025-04-01,部分属实,,12345,通川区市场监督管理局\n" +
                          "T3," + u1 + ",2025-05-01,属实,2025-06-15,12315,通川区市场监督管理局\n" +
                          "T4," + u1 + ",2025-06-01,不属实,2025-06-20,12315,通川区市场监督管理局\n" +
                          "T5," + u1 + ",2025-07-01,处理中,,12315,通川区市场监督管理局\n" +
                          "T6," + u1 + ",2025-12-01,属实,2026-01-10,12315,通川区市场监督管理局\n" +  // concluded later
                          "T7," + u3 + ",2023-01-01,属实,2023-02-01,12315,通川区市场监督管理局\n";   // too old
  auto imported = Import(app::ImportComplaints, csv);
  ASSERT_TRUE(imported.committed);
  EXPECT_EQ(imported.counts.inserted, 7);
  EXPECT_EQ(CountActions("import.complaints"), 1);

  auto run = app::ScoreRegister(*db_, model.value(), D("2025-12-31"), "test");
  ASSERT_TRUE(run.ok()) << run.error().message;
  for (const auto& w : run->warnings) EXPECT_EQ(w.find("complaints"), std::string::npos) << w;
  store::CreditRunStore rs(*db_);
  auto s1 = rs.Score(run->run.run_id, u1).value(), s2 = rs.Score(run->run.run_id, u2).value(),
       s3 = rs.Score(run->run.run_id, u3).value();
  ASSERT_TRUE(s1 && s2 && s3);
  auto complaints_of = [&](const std::string& id) {
    auto ex = app::ExplainEntity(*db_, model.value(), id, D("2025-12-31"));
    EXPECT_TRUE(ex.ok()) << ex.error().message;
    for (const auto& c : ex->explanation.contributions)
      if (c.indicator == "complaints_1y") return c;
    ADD_FAILURE() << "no complaints_1y";
    return credit::Contribution{};
  };
  auto c1 = complaints_of(u1);
  EXPECT_EQ(c1.raw, 3) << "T1, T2 (dated by receipt), T3; not the unfounded, pending or later-concluded ones";
  EXPECT_FALSE(c1.missing);
  EXPECT_GT(c1.contribution, 0);
  EXPECT_EQ(complaints_of(u3).raw, 0) << "older than a year";
  EXPECT_EQ(complaints_of(u2).raw, 0);
  EXPECT_DOUBLE_EQ(std::stod(s1->score) - std::stod(s2->score), c1.contribution)
      << "u1 and u2 differ only by the complaints";

  // Re-import: unchanged. A finding that changes (pending -> substantiated) is an audited update.
  auto again = Import(app::ImportComplaints, csv);
  EXPECT_EQ(again.counts.unchanged, 7);
  std::string changed = csv;
  changed.replace(changed.find("处理中,,"), std::string("处理中,,").size(), "属实,2025-08-01,");
  auto updated = Import(app::ImportComplaints, changed);
  EXPECT_EQ(updated.counts.updated, 1);
  EXPECT_EQ(updated.counts.unchanged, 6);
  EXPECT_EQ(CountActions("complaint.update"), 1);
  EXPECT_EQ(complaints_of(u1).raw, 4) << "T5, now substantiated on 2025-08-01, counts as of the run's date";
}

TEST_P(RepairTest, PushedRepairIsStoredAndAppliedByTheNextFlagsUpdate) {
  const std::string u1 = Uscc(1), u2 = Uscc(2);
  ASSERT_TRUE(Import(app::ImportListDecisions, std::string(kListsHeader) + "S1," + u1 + ",严重违法失信名单,虚假材料,2023-03-01,局\n")
                  .committed);
  Flags("2024-01-01");
  auto pool = app::DbPool::Open(url_, 2);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  app::DbBackendOptions o;
  o.today = [] { return D("2024-06-01"); };
  app::DbCreditBackend backend(pool.value(), o);
  rpc::Pusher samr{"samr-city", "SAMR"};
  rpc::RepairDecision r{ParseEntityId(u1).value(), "serious_violation", "修复〔2024〕7号", "达州市市场监督管理局",
                        D("2024-04-15"),  true, "已履行处罚并公开信用承诺"};
  auto first = backend.RecordRepairs(samr, {r});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->at(0).id, "修复〔2024〕7号");
  EXPECT_FALSE(first->at(0).duplicate);
  auto again = backend.RecordRepairs(samr, {r});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->at(0).duplicate);
  auto stored = store::RepairStore(*db_).Get("修复〔2024〕7号").value();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->membership_id, "S1");
  EXPECT_EQ(stored->list, "serious");
  EXPECT_EQ(stored->outcome, "granted");

  // Rejected, nothing written: no membership in force that day; another department's conflicting number.
  rpc::RepairDecision none = r;
  none.entity = ParseEntityId(u2).value();
  none.decision_no = "修复〔2024〕8号";
  auto refused = backend.RecordRepairs(samr, {none});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, rpc::kErrInvalid);
  EXPECT_EQ(refused.error().message, u2 + " has no serious_violation membership in force on 2024-04-15");
  rpc::RepairDecision conflicting = r;
  conflicting.granted = false;
  auto clash = backend.RecordRepairs(rpc::Pusher{"tax", "TAX"}, {conflicting});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().field, "[0].decision_no");
  EXPECT_EQ(store::RepairStore(*db_).Count().value(), 1);

  auto out = Flags("2024-06-01");
  EXPECT_EQ(store::ListMembershipStore(*db_).Get("S1").value()->removed_on, "2024-04-15");
  EXPECT_TRUE(out.active.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, RepairTest, ::testing::Values("sqlite", "postgresql"),
                         store::testing::BackendParamName);

}  // namespace
}  // namespace suiji
