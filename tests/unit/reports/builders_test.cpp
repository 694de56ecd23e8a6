// The report builders over hand-made facts: what each copy shows and never shows.
#include <gtest/gtest.h>

#include "reports/builders.h"
#include "reports/render.h"

namespace suiji::reports {
namespace {

TaskFacts Task(const std::string& id, const std::string& stratum, bool published, bool problem, bool late = false) {
  TaskFacts t;
  t.result_id = "R-" + id;
  t.draw_id = "D-1";
  t.plan_id = "P-1";
  t.entity_id = "91510100MA" + id;
  t.entity_name = "成都" + id + "餐饮有限公司";
  t.region = "510104";
  t.region_name = "锦江区";
  t.industry = "H6210";
  t.department = "SAMR";
  t.stratum = stratum;
  t.credit_class = stratum == "unclassified" ? "" : stratum;
  t.team = {"CERT-0001", "CERT-0002"};
  t.state = published ? "published" : "draft";
  t.result_code = problem ? "corrected" : "no_problem";
  t.result_label = problem ? "发现问题已责令改正" : "未发现问题";
  t.problem = problem;
  t.concluded_on = "2026-03-02";
  t.due_on = "2026-03-30";
  t.published_on = published ? (late ? "2026-04-02" : "2026-03-20") : "";
  return t;
}

ReportFacts Facts(const std::string& audience) {
  ReportFacts f;
  f.audience = audience;
  f.generated_at = "2026-12-07T09:00:00Z";
  f.period_from = "2026-01-01";
  f.period_to = "2026-12-31";
  f.register_size = 1000;
  f.register_by_region = {{"510104", 600}, {"510105", 400}};
  f.region_names = {{"510104", "锦江区"}, {"510105", "青羊区"}};
  PlanFacts p;
  p.plan_id = "P-1";
  p.title = "2026 年餐饮抽查";
  p.year = 2026;
  p.items = {{"SAMR-001", "餐饮服务许可", "SAMR"}};
  p.sampling = {{"A", 300}, {"D", 8000}};
  f.plans = {p};
  DrawFacts d;
  d.draw_id = "D-1";
  d.plan_id = "P-1";
  d.state = "revealed";
  d.commitment_digest = std::string(64, 'c');
  d.committed_at = "2026-02-01T08:00:00Z";
  d.revealed_at = "2026-02-02T08:00:00Z";
  d.strata = {{"A", 900, 27}, {"D", 100, 80}};
  d.substitutions = {{"D", "91510100MAOUT", "91510100MAIN", "已注销", "2026-02-03T08:00:00Z"}};
  f.draws = {d};
  for (int i = 0; i < 10; ++i) f.tasks.push_back(Task("A" + std::to_string(i), "A", true, i == 0));
  for (int i = 0; i < 10; ++i) f.tasks.push_back(Task("D" + std::to_string(i), "D", i < 8, i < 4, i == 1));
  return f;
}

std::map<std::string, const Table*> Tables(const Report& r) {
  std::map<std::string, const Table*> out;
  for (const auto& s : r.sections)
    for (const auto& t : s.tables) out[t.id] = &t;
  return out;
}

TEST(PlanReport, PublicCopyHidesClassStrataAndOfficers) {
  ReportFacts f = Facts("public");
  for (auto& t : f.tasks) {  // as api/app/reports.cpp hands a public copy
    t.credit_class.clear();
    t.stratum.clear();
    t.team = {"O-aaaaaaaaaaaa", "O-bbbbbbbbbbbb"};
  }
  const Report r = PlanReport(f, "P-1");
  EXPECT_EQ(r.audience, "public");
  EXPECT_EQ(Tables(r).count("strata"), 0u) << "a class-stratified plan's strata are never public";
  const std::string html = RenderHtml(r);
  EXPECT_EQ(html.find("CERT-0001"), std::string::npos);
  EXPECT_EQ(html.find("900"), std::string::npos) << "no stratum size";
  EXPECT_NE(html.find("O-aaaaaaaaaaaa"), std::string::npos);
  EXPECT_NE(html.find("suiji verify"), std::string::npos) << "how to check the draw";
}

TEST(PlanReport, RegulatorCopyShowsStrataAndInclusionProbabilities) {
  const Report r = PlanReport(Facts("regulator"), "P-1");
  auto tables = Tables(r);
  ASSERT_EQ(tables.count("strata"), 1u);
  const Table& s = *tables["strata"];
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.rows[0][1].number, 900);
  EXPECT_NEAR(*s.rows[0][3].number, 27.0 / 900, 1e-12);
  EXPECT_NE(RenderHtml(r).find("CERT-0001"), std::string::npos);
}

TEST(PlanReport, CountsTimelinessAndEstimate) {
  const Report r = PlanReport(Facts("regulator"), "P-1");
  auto tables = Tables(r);
  EXPECT_EQ(tables["results"]->rows.size(), 18u);  // published ones
  const Table& est = *tables["estimates"];
  ASSERT_EQ(est.rows.size(), 3u);  // A, D, overall
  EXPECT_EQ(est.rows[2][0].text, "总体");
  // Stratified: W_A = 0.9 (1/10), W_D = 0.1 (4/8): 0.9 * 0.1 + 0.1 * 0.5 = 0.14.
  EXPECT_NEAR(*est.rows[2][4].number, 0.14, 1e-9);
  EXPECT_LE(*est.rows[2][5].number, 0.14);
  EXPECT_GE(*est.rows[2][6].number, 0.14);
  bool late_figure = false;
  for (const auto& fig : r.sections[0].figures)
    if (fig.label.zh == "按期公示") late_figure = fig.value == "17" && fig.note.zh == "逾期 1";
  EXPECT_TRUE(late_figure);
}

TEST(PlanReport, UnknownPlanSaysSo) {
  const Report r = PlanReport(Facts("public"), "NO-SUCH");
  ASSERT_EQ(r.sections.size(), 1u);
  EXPECT_EQ(r.sections[0].paragraphs[0].zh, "没有这个计划。");
}

TEST(PeriodReport, ClassesOnlyInTheRegulatorCopy) {
  const Report pub = PeriodReport(Facts("public")), regulator = PeriodReport(Facts("regulator"));
  EXPECT_EQ(Tables(pub).count("by_credit_class"), 0u);
  auto reg = Tables(regulator);
  ASSERT_EQ(reg.count("by_credit_class"), 1u);
  EXPECT_EQ(reg["by_credit_class"]->rows.size(), 2u);
}

TEST(PeriodReport, CoverageOfTheRegister) {
  const Report r = PeriodReport(Facts("public"));
  auto t = Tables(r);
  const Table& cov = *t["coverage_by_region"];
  ASSERT_EQ(cov.rows.size(), 1u);  // only 锦江区 had draws
  EXPECT_EQ(cov.rows[0][2].number, 20);
  EXPECT_NEAR(*cov.rows[0][3].number, 20.0 / 600, 1e-12);
}

TEST(AuditReport, ConclusionFollowsTheChecks) {
  AuditFacts a;
  a.period_from = "2026-01-01";
  a.period_to = "2026-12-31";
  a.chain = {true, 42, std::string(64, 'h'), ""};
  a.rows = {{"entities", true, 1000, 3, 0}};
  a.checks = {{"D-1", "P-1", "revealed", true, "", 1}};
  a.facts = Facts("regulator");
  Report ok = AuditReport(a);
  EXPECT_NE(ok.sections[0].paragraphs[0].zh.find("全部可由公开输入独立复算且结果一致"), std::string::npos);
  EXPECT_EQ(Tables(ok)["late"]->rows.size(), 1u);
  EXPECT_EQ(Tables(ok)["substitutions"]->rows.size(), 1u);
  a.checks[0].verified = false;
  a.checks[0].difference = "stratum D: drawn differs";
  Report bad = AuditReport(a);
  EXPECT_NE(bad.sections[0].paragraphs[0].zh.find("发现问题"), std::string::npos);
  EXPECT_NE(bad.sections[0].paragraphs[0].en.find("1 draws do not recompute"), std::string::npos);
}

}  // namespace
}  // namespace suiji::reports
