// Credit glue on both backends (SQLite file, throw-away PostgreSQL): CSV import of results and
// penalties (counts, row errors, all-or-nothing), scoring runs and "class as of D", flags stored and
// ended (never deleted), and draw commitments that stratify by the stored classes.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "api/app/credit.h"
#include "api/app/draws.h"
#include "core/identifiers.h"
#include "core/region.h"
#include "data/store/audit_log.h"
#include "data/store/entity_store.h"
#include "data/store/inspection_store.h"
#include "data/store/item_store.h"
#include "tests/integration/store/store_fixture.h"

namespace suiji {
namespace {

using store::testing::StoreTest;

using store::testing::Uscc;

using store::testing::D;

Entity MakeEntity(int n) {
  Entity e;
  e.id = ParseEntityId(Uscc(n)).value();
  e.name = "测试食品有限公司" + std::to_string(n);
  e.entity_type = "company";
  e.region = "511702";
  e.industry = "C1310";
  e.status = "active";
  e.established = "2015-01-01";
  e.special_registers = {"food"};
  return e;
}

class CreditTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    MigrateOrDie();
    std::vector<Entity> es;
    for (int n = 1; n <= 8; ++n) es.push_back(MakeEntity(n));
    auto tx = store::Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(store::EntityStore(*db_).Upsert(tx.value(), es, "test").ok());
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  void TearDown() override {
    for (const auto& f : files_) std::remove(f.c_str());
    StoreTest::TearDown();
  }
  std::string WriteCsv(const std::string& text) {
    static int counter = 0;
    std::string path = (std::filesystem::temp_directory_path() /
                        ("suiji-credit-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".csv"))
                           .string();
    std::ofstream(path, std::ios::binary) << text;
    files_.push_back(path);
    return path;
  }
  app::RecordImportOutcome MustImport(decltype(&app::ImportResults) fn, const std::string& path, bool skip,
                                      std::vector<import::RejectedRow>* rejected = nullptr) {
    app::RecordImportOptions o;
    o.path = path;
    o.skip_invalid = skip;
    o.actor = "test";
    if (rejected) o.on_reject = [rejected](const import::RejectedRow& r) { rejected->push_back(r); };
    auto out = fn(*db_, o);
    EXPECT_TRUE(out.ok()) << out.error().message;
    return out.ok() ? out.value() : app::RecordImportOutcome{};
  }
  std::int64_t AuditCount() {
    auto r = store::VerifyAuditChain(*db_);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.value().ok) << r.value().message;
    return r.value().events;
  }
  rules::CreditModel Model() {
    auto m = rules::LoadCreditModel(DataDir() + "/examples/credit/model.yaml");
    EXPECT_TRUE(m.ok()) << m.error().message;
    return m.value();
  }
  void Put(const std::vector<store::PenaltyRecord>& p) {
    auto tx = store::Transaction::Begin(*db_);
    ASSERT_TRUE(store::PenaltyStore(*db_).Upsert(tx.value(), p, "test").ok());
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  void Put(const std::vector<store::Inspection>& v) {
    auto tx = store::Transaction::Begin(*db_);
    ASSERT_TRUE(store::InspectionStore(*db_).Upsert(tx.value(), v, "test").ok());
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  void Put(const std::vector<store::ListMembershipRecord>& v) {
    auto tx = store::Transaction::Begin(*db_);
    auto c = store::ListMembershipStore(*db_).SaveMemberships(tx.value(), v, "test");
    ASSERT_TRUE(c.ok()) << c.error().message;
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  std::vector<std::string> files_;
};

TEST_P(CreditTest, ImportResultsAllOrNothingThenSkipInvalid) {
  const std::string u1 = Uscc(1), u2 = Uscc(2), u9 = Uscc(9);
  std::string csv = "统一社会信用代码,检查部门,检查日期,检查结果,检查人员,抽查计划\n" +
                    u1 + ",SAMR,2025-03-01,未发现问题,51010400001;51010400002,P-1\n" +
                    u2 + ",samr,2025/4/2,发现问题已责令改正,,\n" +
                    u9 + ",SAMR,2025-04-03,未发现问题,,\n" +
                    u1 + ",SAMR,2025-13-01,未发现问题,,\n" +
                    u2 + ",SAMR,2025-05-01,好,,\n" +
                    u1 + ",SAMR,2025-03-01,发现问题,,\n";
  std::string path = WriteCsv(csv);
  std::int64_t audit_before = AuditCount();

  auto refused = MustImport(app::ImportResults, path, false);
  EXPECT_FALSE(refused.committed);
  EXPECT_EQ(refused.report.rows_read, 6);
  EXPECT_EQ(refused.report.rows_valid, 2);
  EXPECT_EQ(refused.report.rows_rejected, 4);
  EXPECT_EQ(store::InspectionStore(*db_).Count().value(), 0) << "all or nothing: nothing written";
  EXPECT_EQ(AuditCount(), audit_before);
  ASSERT_EQ(refused.report.errors.size(), 4u);
  EXPECT_EQ(refused.report.errors[0].row, 4);
  EXPECT_EQ(refused.report.errors[0].code, "entity.unknown");
  EXPECT_EQ(refused.report.errors[0].column, "统一社会信用代码");
  EXPECT_EQ(refused.report.errors[0].value, u9);
  EXPECT_EQ(refused.report.errors[1].code, "date.format");
  EXPECT_EQ(refused.report.errors[1].column, "检查日期");
  EXPECT_EQ(refused.report.errors[2].code, "result.unknown");
  EXPECT_EQ(refused.report.errors[2].value, "好");
  EXPECT_EQ(refused.report.errors[3].code, "result.duplicate");
  EXPECT_EQ(refused.report.errors[3].other_row, 2);

  std::vector<import::RejectedRow> rejected;
  auto done = MustImport(app::ImportResults, path, true, &rejected);
  EXPECT_TRUE(done.committed);
  EXPECT_EQ(done.counts.inserted, 2);
  EXPECT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].row, 4);
  auto got = store::InspectionStore(*db_).Get(u2, "SAMR", "2025-04-02");
  ASSERT_TRUE(got.ok() && got.value());
  EXPECT_EQ(got.value()->result, "problem_corrected");
  got = store::InspectionStore(*db_).Get(u1, "SAMR", "2025-03-01");
  ASSERT_TRUE(got.ok() && got.value());
  EXPECT_EQ(got.value()->officers, (std::vector<std::string>{"51010400001", "51010400002"}));
  EXPECT_EQ(got.value()->plan_id, "P-1");
  // One insert_batch event for the two new rows, and the import summary.
  EXPECT_EQ(AuditCount(), audit_before + 2);
  auto tail = store::TailAudit(*db_, 1).value();
  EXPECT_EQ(tail[0].action, "import.results");

  auto again = MustImport(app::ImportResults, path, true);
  EXPECT_EQ(again.counts.unchanged, 2);
  EXPECT_EQ(again.counts.inserted, 0);
}

TEST_P(CreditTest, ImportPenaltiesNormalisesAndRejects) {
  const std::string u1 = Uscc(1), u2 = Uscc(2);
  std::string csv = "行政处罚决定书文号,统一社会信用代码,处罚机关,处罚类别,处罚决定日期,罚没金额(元),处罚依据,备注\n"
                    "通市监罚〔2025〕1号," + u1 + ",通川区市场监督管理局,罚款;没收违法所得,2025-06-01,\"12,000.50\",《食品安全法》第一百二十四条,\n"
                    "通市监罚〔2025〕2号," + u2 + ",通川区市场监督管理局,吊销营业执照,2025年7月1日,0,,\n"
                    "通市监罚〔2025〕3号," + u2 + ",通川区市场监督管理局,罚款,2025-07-02,-5,,\n"
                    "通市监罚〔2025〕4号," + u2 + ",,罚款,2025-07-03,abc,,\n";
  std::string path = WriteCsv(csv);
  auto refused = MustImport(app::ImportPenalties, path, false);
  EXPECT_FALSE(refused.committed);
  EXPECT_EQ(store::PenaltyStore(*db_).Count().value(), 0);
  EXPECT_EQ(refused.report.error_counts.at("amount.negative"), 1);
  EXPECT_EQ(refused.report.error_counts.at("amount.format"), 1);
  EXPECT_EQ(refused.report.error_counts.at("field.required"), 1);  // 处罚机关 on row 5
  EXPECT_EQ(refused.report.rows_rejected, 2);

  auto done = MustImport(app::ImportPenalties, path, true);
  ASSERT_TRUE(done.committed);
  EXPECT_EQ(done.counts.inserted, 2);
  auto p1 = store::PenaltyStore(*db_).Get("通市监罚〔2025〕1号").value();
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->penalty_type, "confiscation") << "the most severe of the listed types";
  EXPECT_EQ(p1->amount, "12000.5");
  EXPECT_EQ(p1->entity_id, u1);
  auto p2 = store::PenaltyStore(*db_).Get("通市监罚〔2025〕2号").value();
  ASSERT_TRUE(p2);
  EXPECT_EQ(p2->penalty_type, "revocation");
  EXPECT_EQ(p2->decided_on, "2025-07-01");

  // A header without a required column is a file-level error naming it.
  app::RecordImportOptions o;
  o.path = WriteCsv("统一社会信用代码,处罚类别\n" + u1 + ",罚款\n");
  auto bad = app::ImportPenalties(*db_, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "header.missing");
  EXPECT_NE(bad.error().message.find("行政处罚决定书文号"), std::string::npos);
}

TEST_P(CreditTest, ScoreRunsAndClassAsOfDate) {
  const std::string clean = Uscc(1), risky = Uscc(2);
  Put(std::vector<store::Inspection>{{clean, "SAMR", "2025-03-01", "no_problem", {}, ""},
                                     {risky, "SAMR", "2025-03-01", "problem", {}, ""},
                                     {risky, "SAMR", "2025-09-01", "not_found", {}, ""}});
  Put(std::vector<store::PenaltyRecord>{{"P1", risky, "SAMR", "revocation", "2025-07-01", "200000", ""},
                                        {"P2", risky, "SAMR", "fine", "2025-08-01", "5000", ""}});
  Put(std::vector<store::ListMembershipRecord>{{"L1", risky, "serious", "test", "2025-08-15", "SAMR", "", "", "", "", ""}});
  auto model = Model();

  auto run1 = app::ScoreRegister(*db_, model, D("2025-12-31"), "test");
  ASSERT_TRUE(run1.ok()) << run1.error().message;
  EXPECT_EQ(run1->run.entities, 8);
  EXPECT_EQ(run1->run.model_digest, model.digest);
  EXPECT_FALSE(run1->warnings.empty()) << "no annual reports stored: the run says so";
  auto counts = run1->run.class_counts;
  EXPECT_EQ(counts[0] + counts[1] + counts[2] + counts[3], 8);

  store::CreditRunStore rs(*db_);
  auto c_clean = rs.Score(run1->run.run_id, clean).value();
  auto c_risky = rs.Score(run1->run.run_id, risky).value();
  ASSERT_TRUE(c_clean && c_risky);
  EXPECT_LT(c_clean->cls, c_risky->cls) << "penalties, problems and the serious list raise the class";
  EXPECT_EQ(c_risky->cls, "D");

  // Class as of D: nothing before the run, the run from its as_of on.
  EXPECT_FALSE(app::ClassificationAsOf(*db_, D("2025-12-30")).value().run);
  auto cls = app::ClassificationAsOf(*db_, D("2026-03-01")).value();
  ASSERT_TRUE(cls.run);
  EXPECT_EQ(cls.run->run_id, run1->run.run_id);
  EXPECT_EQ(cls.classes.at(risky), "D");
  EXPECT_EQ(cls.classes.size(), 8u);

  // A later run (records cleared by time) answers for dates after it, not before.
  auto run2 = app::ScoreRegister(*db_, model, D("2026-06-30"), "test");
  ASSERT_TRUE(run2.ok()) << run2.error().message;
  EXPECT_NE(run2->run.run_id, run1->run.run_id);
  EXPECT_EQ(app::ClassificationAsOf(*db_, D("2026-06-29")).value().run->run_id, run1->run.run_id);
  EXPECT_EQ(app::ClassificationAsOf(*db_, D("2026-07-01")).value().run->run_id, run2->run.run_id);
  EXPECT_EQ(rs.ListRuns().value().size(), 2u);

  // The explanation recomputes the stored score exactly.
  auto ex = app::ExplainEntity(*db_, model, risky, D("2026-03-01"));
  ASSERT_TRUE(ex.ok()) << ex.error().message;
  EXPECT_TRUE(ex->matches_stored) << ex->note;
  EXPECT_EQ(credit::ExactDecimal(ex->explanation.score), c_risky->score);
  EXPECT_EQ(ex->explanation.input_digest, c_risky->input_digest);
  auto unknown = app::ExplainEntity(*db_, model, Uscc(99), D("2026-03-01"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "credit.unknown_entity");

  // Each run is one audit event, and an edited score no longer matches its run.
  auto events = store::ListAudit(*db_, 0, 100000).value();
  int run_events = 0;
  for (const auto& e : events) run_events += e.action == "credit_run.insert";
  EXPECT_EQ(run_events, 2);
  EXPECT_TRUE(rs.VerifyRun(run1->run.run_id).ok());
  Exec("UPDATE credit_scores SET class = 'A' WHERE entity_id = '" + risky + "' AND run_id = '" + run1->run.run_id + "'");
  auto tampered = rs.VerifyRun(run1->run.run_id);
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().code, "credit_run.tampered");
  auto ex2 = app::ExplainEntity(*db_, model, risky, D("2026-03-01"));
  ASSERT_TRUE(ex2.ok());
  EXPECT_FALSE(ex2->matches_stored);
}

TEST_P(CreditTest, BacktestCountsProblemsByStoredClass) {
  const std::string clean = Uscc(1), risky = Uscc(2);
  Put(std::vector<store::PenaltyRecord>{{"P1", risky, "SAMR", "revocation", "2025-07-01", "200000", ""}});
  Put(std::vector<store::ListMembershipRecord>{{"L1", risky, "serious", "test", "2025-08-15", "SAMR", "", "", "", "", ""}});
  ASSERT_TRUE(app::ScoreRegister(*db_, Model(), D("2025-12-31"), "test").ok());
  Put(std::vector<store::Inspection>{{clean, "SAMR", "2026-03-01", "no_problem", {}, ""},
                                     {risky, "SAMR", "2026-03-01", "problem_corrected", {}, ""},
                                     {risky, "SAMR", "2027-03-01", "problem", {}, ""}});  // outside the year
  auto bt = app::BacktestRun(*db_, std::nullopt, std::nullopt, std::nullopt);
  ASSERT_TRUE(bt.ok()) << bt.error().message;
  EXPECT_EQ(bt->backtest.from, D("2026-01-01"));
  EXPECT_EQ(bt->backtest.to, D("2026-12-31"));
  const auto& d = bt->backtest.rows[3];
  EXPECT_EQ(d.inspected, 1);
  EXPECT_EQ(d.with_problems, 1);
  std::int64_t inspected = 0;
  for (const auto& r : bt->backtest.rows) inspected += r.inspected;
  EXPECT_EQ(inspected, 2);
}

TEST_P(CreditTest, FlagsAreStoredAndEndedNeverDeleted) {
  const std::string u3 = Uscc(3);
  Put(std::vector<store::ListMembershipRecord>{
      {"M1", u3, "abnormal", "未按规定报送年度报告", "2021-01-10", "通川区市场监督管理局", "", "", "", "", ""}});
  auto memo = rules::LoadMemoranda(DataDir() + "/examples/credit/memoranda.yaml");
  ASSERT_TRUE(memo.ok()) << memo.error().message;
  rules::ListRules lr;  // 3 years on the abnormal list -> serious list

  auto first = app::UpdateFlags(*db_, memo.value(), lr, D("2023-06-01"), "test");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->active.size(), 2u) << "abnormal-list memorandum: two measures";
  for (const auto& f : first->active) EXPECT_EQ(f.trigger_kind, "list:abnormal");
  EXPECT_EQ(store::FlagStore(*db_).Count().value(), 2);

  auto second = app::UpdateFlags(*db_, memo.value(), lr, D("2024-03-01"), "test");
  ASSERT_TRUE(second.ok()) << second.error().message;
  // The move: M1 ended, M1/serious started, both stored.
  auto m1 = store::ListMembershipStore(*db_).Get("M1").value();
  ASSERT_TRUE(m1);
  EXPECT_EQ(m1->removed_on, "2024-01-10");
  auto ms = store::ListMembershipStore(*db_).Get("M1/serious").value();
  ASSERT_TRUE(ms);
  EXPECT_EQ(ms->moved_from, "M1");
  EXPECT_EQ(ms->list, "serious");
  // Abnormal flags ended, not deleted; the serious memorandum's five measures in force.
  EXPECT_EQ(store::FlagStore(*db_).Count().value(), 7);
  std::set<std::string> active_kinds;
  for (const auto& f : second->active) active_kinds.insert(f.trigger_kind);
  EXPECT_EQ(second->active.size(), 5u);
  EXPECT_EQ(active_kinds, (std::set<std::string>{"list:serious"}));
  auto stored_flags = store::FlagStore(*db_).ForEntity(u3).value();
  for (const auto& f : stored_flags) {
    if (f.trigger_kind == "list:abnormal") {
      EXPECT_EQ(f.end_on, "2024-01-10");
    }
  }
  // Lift requests for the ended flags.
  int lifts = 0;
  store::FlagFeedbackStore fb(*db_);
  ASSERT_TRUE(fb.ForEach([&](const store::FlagFeedbackRecord& r) {
                  lifts += r.action == "lift";
                  return true;
                }).ok());
  EXPECT_EQ(lifts, 2);

  // Time does not run backwards, and an ended flag cannot be reopened.
  auto behind = app::UpdateFlags(*db_, memo.value(), lr, D("2023-01-01"), "test");
  ASSERT_FALSE(behind.ok());
  EXPECT_EQ(behind.error().code, "credit.lists_behind");
  auto flags = store::FlagStore(*db_).ForEntity(u3).value();
  store::FlagRecord reopened;
  for (const auto& f : flags)
    if (!f.end_on.empty()) reopened = f;
  ASSERT_FALSE(reopened.flag_id.empty());
  reopened.end_on = "";
  auto tx = store::Transaction::Begin(*db_);
  auto st = store::FlagStore(*db_).SaveFlags(tx.value(), {reopened}, "test");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "credit.reopen");
  tx.value().Rollback();

  // Re-running for the same date changes nothing.
  auto same = app::UpdateFlags(*db_, memo.value(), lr, D("2024-03-01"), "test");
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ(same->flags.inserted + same->flags.updated, 0);
  EXPECT_EQ(same->memberships.inserted + same->memberships.updated, 0);
  EXPECT_EQ(AuditCount() > 0, true);
}

TEST_P(CreditTest, DrawCommitmentStratifiesByStoredClasses) {
  // Items of the example plan, and a run with chosen classes: A {1,2} B {3} C {4,5} D {6}; 7, 8 none.
  std::vector<InspectionItem> items;
  for (const char* code : {"SAMR-FOOD-001", "SAMR-FOOD-002", "SAMR-FOOD-003"}) {
    InspectionItem it;
    it.department = "SAMR";
    it.code = code;
    it.name = code;
    items.push_back(it);
  }
  auto tx = store::Transaction::Begin(*db_);
  ASSERT_TRUE(store::ItemStore(*db_).Upsert(tx.value(), items, "test").ok());
  std::vector<store::CreditScoreRecord> scores;
  const char* cls[] = {"A", "A", "B", "C", "C", "D"};
  for (int n = 1; n <= 6; ++n) scores.push_back({Uscc(n), std::to_string(n * 10), cls[n - 1], std::string(64, 'a')});
  store::CreditRunRecord run;
  run.model_id = "test-model";
  run.model_version = "1";
  run.model_digest = std::string(64, 'b');
  run.as_of = "2026-01-01";
  auto stored = store::CreditRunStore(*db_).InsertRun(tx.value(), run, scores, "test");
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  ASSERT_TRUE(tx.value().Commit().ok());

  auto regions = RegionTable::LoadDefault();
  ASSERT_TRUE(regions.ok());
  // The shape of data/examples/plans/county-food-2026.yaml, kept here so the test owns its inputs.
  const std::string text = R"(version: 1
id: T-CREDIT-STRATA
title: 信用风险分类抽查（测试）
org_unit: 511702-SAMR
year: 2026
departments:
  - {code: SAMR, officers: 2}
items: [SAMR-FOOD-001, SAMR-FOOD-002]
filter:
  regions: [511702]
  industries: [C13]
  special_registers: [food]
strata:
  - {class: A, ratio: 3%}
  - {class: B, ratio: 10%}
  - {class: C, ratio: 30%}
  - {class: D, ratio_bp: 8000, min: 1}
  - {class: unclassified, ratio: 5%}
schedule: {start: 2026-04-01, end: 2026-06-30}
entropy: {source: dice, digits: 20}
)";
  app::CommitDrawOptions o;
  o.plan_path = "credit-strata.yaml";
  o.plan_text = text;
  o.as_of = D("2026-03-01");
  o.actor = "test";
  auto committed = app::CommitDraw(*db_, regions.value(), o);
  ASSERT_TRUE(committed.ok()) << committed.error().message;
  std::map<std::string, std::vector<std::string>> strata;
  for (const auto& s : committed->spec.population.strata) strata[s.name] = s.entity_ids;
  EXPECT_EQ(strata["A"], (std::vector<std::string>{Uscc(1), Uscc(2)}));
  EXPECT_EQ(strata["B"], (std::vector<std::string>{Uscc(3)}));
  EXPECT_EQ(strata["C"], (std::vector<std::string>{Uscc(4), Uscc(5)}));
  EXPECT_EQ(strata["D"], (std::vector<std::string>{Uscc(6)}));
  EXPECT_EQ(strata["unclassified"], (std::vector<std::string>{Uscc(7), Uscc(8)}));
  EXPECT_EQ(committed->spec.context.at("classification_run"), stored->run_id);
  EXPECT_EQ(committed->spec.context.at("classification").rfind("run " + stored->run_id + " model test-model", 0), 0u);
  EXPECT_NE(committed->record.commitment.find(stored->run_id), std::string::npos) << "the committed document names it";

  // A newer run stored after the commitment does not move the committed draw: reveal uses the pinned run.
  auto tx2 = store::Transaction::Begin(*db_);
  for (auto& s : scores) s.cls = "D";
  run.as_of = "2026-02-01";
  ASSERT_TRUE(store::CreditRunStore(*db_).InsertRun(tx2.value(), run, scores, "test").ok());
  ASSERT_TRUE(tx2.value().Commit().ok());
  EXPECT_EQ(app::ClassificationAsOf(*db_, D("2026-03-01")).value().classes.at(Uscc(1)), "D");
  auto revealed = app::RevealDraw(*db_, regions.value(), committed->record.draw_id, "12345678901234567890", "test");
  ASSERT_TRUE(revealed.ok()) << revealed.error().message;
}

TEST_P(CreditTest, DrawWithoutRunSaysNone) {
  auto c = app::ClassificationAsOf(*db_, D("2026-03-01"));
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->run);
  EXPECT_TRUE(c->classes.empty());
  EXPECT_EQ(c->Describe(D("2026-03-01")).rfind("none:", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CreditTest, ::testing::Values("sqlite", "postgresql"),
                         store::testing::BackendParamName);

}  // namespace
}  // namespace suiji
