// PlanReport (builders.h): one plan, from its draw to its published results and the estimate.
#include <algorithm>

#include "reports/build_util.h"
#include "reports/builders.h"
#include "reports/estimate.h"

namespace suiji::reports {

using namespace detail;

bool ClassStratified(const DrawFacts& draw) {
  return std::any_of(draw.strata.begin(), draw.strata.end(), [](const StratumFacts& s) { return s.stratum != "all"; });
}

namespace {

const DrawFacts* LiveDraw(const ReportFacts& f, const std::string& plan_id) {
  const DrawFacts* live = nullptr;
  for (const auto& d : f.draws)
    if (d.plan_id == plan_id && d.state == "revealed") live = &d;
  return live;
}

Section DrawSection(const ReportFacts& f, const PlanFacts& plan, const DrawFacts* live, bool show_strata) {
  Section s{"draw", T("随机抽取与核验", "The random draw and how to check it"), {}, {}, {}, {}};
  if (!live) {
    s.paragraphs.push_back(T("本计划尚无已揭示的抽取。", "This plan has no revealed draw yet."));
    return s;
  }
  std::int64_t population = 0, drawn = 0;
  for (const auto& st : live->strata) {
    population += st.population;
    drawn += st.quota;
  }
  s.paragraphs.push_back(
      T("抽取 " + live->draw_id + " 于 " + Date10(live->committed_at) + " 公布承诺值（抽取前锁定对象名单和规则），于 " +
            Date10(live->revealed_at) + " 以公开随机数揭示：从 " + N(population) + " 户中抽取 " + N(drawn) + " 户。",
        "Draw " + live->draw_id + " published its commitment on " + Date10(live->committed_at) +
            " (the population and rules locked before the draw) and was revealed on " + Date10(live->revealed_at) +
            " with public randomness: " + N(drawn) + " of " + N(population) + " entities drawn."));
  s.paragraphs.push_back(
      T("任何人都可以自行核验：下载抽取包 GET /api/v1/public/draws/" + live->draw_id +
            "/bundle，解压后运行 suiji verify 目录 或 python3 docs/verify_draw.py 目录，结果应为 MATCH，且承诺摘要应与下表一致。",
        "Anyone can check it: download the bundle GET /api/v1/public/draws/" + live->draw_id +
            "/bundle, unpack it and run suiji verify DIR or python3 docs/verify_draw.py DIR; it must print MATCH, "
            "with the commitment digest below."));
  if (ClassStratified(*live) && !f.regulator())
    s.paragraphs.push_back(T("本计划按信用风险分类分层抽取，分层名单会披露各主体的信用分类，因此抽取包仅向监管和评估人员提供。",
                             "This plan is stratified by credit class; its strata would disclose each entity's class, so "
                             "its bundle is given to regulators and evaluators only."));
  s.figures = {{T("总体", "population"), N(population), {}},
               {T("抽取", "drawn"), N(drawn), {}},
               {T("替补", "substitutions"), N(static_cast<long long>(live->substitutions.size())), {}}};
  Table draws{"draws", T("本计划的抽取", "Draws of this plan"),
              {Col("抽取编号", "draw"), Col("状态", "state"), Col("承诺时间", "committed"), Col("揭示时间", "revealed"),
               Col("承诺摘要 C", "commitment digest C"), Col("种子摘要", "seed hash"), Col("取代", "supersedes"),
               Col("重抽理由", "re-draw reason")},
              {}, T("被取代的抽取不会删除，理由公开。", "A superseded draw is never deleted; the reason is public.")};
  for (const auto& d : f.draws)
    if (d.plan_id == plan.plan_id)
      draws.rows.push_back({d.draw_id, d.state, d.committed_at, d.revealed_at, d.commitment_digest, d.seed_hash,
                            d.supersedes, d.reason});
  s.tables.push_back(std::move(draws));
  if (show_strata) {
    Table strata{"strata", T("分层与入样概率", "Strata and inclusion probabilities"),
                 {Col("分层", "stratum"), Col("总体 N", "population N", ColumnKind::kInteger),
                  Col("抽取 n", "drawn n", ColumnKind::kInteger), Col("入样概率 n/N", "inclusion n/N", ColumnKind::kPercent)},
                 {}, {}};
    for (const auto& st : live->strata)
      strata.rows.push_back({StratumName(st.stratum).zh, Cell::Int(st.population), Cell::Int(st.quota),
                             Cell::Percent(st.population ? static_cast<double>(st.quota) / st.population : 0, 2)});
    s.tables.push_back(std::move(strata));
  }
  if (!live->substitutions.empty()) {
    Table subs{"substitutions", T("替补（抽中对象不在法定范围时按序号递补）", "Substitutions (a drawn entity outside the legal scope, replaced in ticket order)"),
               {Col("换出", "out"), Col("换入", "in"), Col("理由", "reason"), Col("时间", "at")}, {}, {}};
    for (const auto& x : live->substitutions) subs.rows.push_back({x.out_id, x.in_id, x.reason, x.at});
    s.tables.push_back(std::move(subs));
  }
  return s;
}

}  // namespace

Report PlanReport(const ReportFacts& f, const std::string& plan_id) {
  Report r;
  r.kind = "plan";
  r.audience = f.audience;
  const PlanFacts* plan = nullptr;
  for (const auto& p : f.plans)
    if (p.plan_id == plan_id) plan = &p;
  if (!plan) {
    r.title = T("抽查计划 " + plan_id, "Plan " + plan_id);
    r.sections.push_back({"summary", T("概要", "Summary"), {T("没有这个计划。", "There is no such plan.")}, {}, {}, {}});
    return r;
  }
  const DrawFacts* live = LiveDraw(f, plan_id);
  const bool classes = live && ClassStratified(*live);
  const bool show_strata = f.regulator() || !classes;
  std::vector<TaskFacts> tasks;
  for (const auto& t : f.tasks)
    if (t.plan_id == plan_id && live && t.draw_id == live->draw_id) tasks.push_back(t);

  r.title = T(plan->title.empty() ? plan->plan_id : plan->title, plan->title.empty() ? plan->plan_id : plan->title);
  r.subtitle = T("“双随机、一公开”抽查计划报告" + std::string(f.regulator() ? "（监管版）" : "（公开版）"),
                 std::string("Random inspection plan report") + (f.regulator() ? " (regulator copy)" : " (public copy)"));
  r.meta = {{T("计划编号", "plan"), plan->plan_id},
            {T("制定单位", "planning unit"), plan->org_unit_name.empty() ? plan->org_unit : plan->org_unit_name},
            {T("年度", "year"), N(plan->year)},
            {T("实施期间", "schedule"), plan->schedule_start + " – " + plan->schedule_end},
            {T("计划摘要", "plan digest"), plan->plan_digest},
            {T("生成时间", "generated"), f.generated_at}};
  if (live) r.meta.push_back({T("承诺摘要 C", "commitment digest C"), live->commitment_digest});

  const Tally all = TallyAll(tasks);
  Section summary{"summary", T("概要", "Summary"), {}, {}, {}, {}};
  summary.figures = {{T("检查任务", "tasks"), N(all.tasks), {}},
                     {T("已公示", "published"), N(all.published), T("完成率 " + Pct(all.completion()), "completion " + Pct(all.completion()))},
                     {T("发现问题", "problems found"), N(all.problems), T("占已公示 " + Pct(all.problem_rate()), Pct(all.problem_rate()) + " of published")},
                     {T("按期公示", "published on time"), N(all.on_time), T("逾期 " + N(all.late), N(all.late) + " late")},
                     {T("异议", "objections"), N(all.objections), T("支持并更正 " + N(all.upheld), N(all.upheld) + " upheld")}};
  std::string items_zh, items_en;
  for (const auto& i : plan->items) {
    items_zh += (items_zh.empty() ? "" : "、") + (i.name.empty() ? i.code : i.name);
    items_en += (items_en.empty() ? "" : ", ") + (i.name.empty() ? i.code : i.name);
  }
  summary.paragraphs.push_back(T("检查事项：" + items_zh + "。", "Inspection items: " + items_en + "."));
  std::string rules_zh, rules_en;
  for (const auto& s : plan->sampling) {
    const std::string pct = Pct(s.ratio_bp / 10000.0);
    rules_zh += (rules_zh.empty() ? "" : "，") + StratumName(s.stratum).zh + " " + pct;
    rules_en += (rules_en.empty() ? "" : ", ") + StratumName(s.stratum).en + " " + pct;
  }
  summary.paragraphs.push_back(T("抽查比例：" + rules_zh + "。", "Sampling ratios: " + rules_en + "."));
  r.sections.push_back(std::move(summary));
  r.sections.push_back(DrawSection(f, *plan, live, show_strata));

  // Who inspected whom.
  Section insp{"inspections", T("检查实施", "Inspections"), {}, {}, {}, {}};
  insp.paragraphs.push_back(f.regulator() ? T("检查人员以执法证号列出。", "Officers are listed by certificate number.")
                                          : T("检查人员以化名列出（同一人在各处化名相同），不公开身份。",
                                              "Officers are listed by pseudonym (the same officer has the same one everywhere); identities are not published."));
  Table teams{"tasks", T("检查任务", "Tasks"),
              {Col("检查对象", "entity"), Col("统一社会信用代码", "id"), Col("区划", "region"), Col("检查人员", "team"),
               Col("状态", "state"), Col("检查日期", "inspected on")},
              {}, {}};
  if (f.regulator()) teams.columns.insert(teams.columns.begin() + 3, Col("分层", "stratum"));
  for (const auto& t : tasks) {
    std::string team;
    for (const auto& m : t.team) team += (team.empty() ? "" : " ") + m;
    std::vector<Cell> row{t.entity_name, t.entity_id, t.region_name.empty() ? t.region : t.region_name, team,
                          StateText(t.state).zh, t.inspected_on};
    if (f.regulator()) row.insert(row.begin() + 3, Cell(StratumName(t.stratum).zh));
    teams.rows.push_back(std::move(row));
  }
  insp.tables.push_back(std::move(teams));
  r.sections.push_back(std::move(insp));

  // Results and timeliness.
  Section res{"results", T("检查结果与公示时效", "Results and timeliness"), {}, {}, {}, {}};
  std::map<std::string, std::int64_t> by_result;
  std::map<std::string, std::pair<Text, std::int64_t>> labels;
  for (const auto& t : tasks)
    if (t.published()) {
      auto& e = labels[t.result_code];
      e.first = ResultText(t);
      ++e.second;
    }
  Chart results_chart{"results", ChartKind::kBar, T("检查结果", "Results"), {}, {Series{T("户数", "entities"), {}}}, {}, {}, false,
                      T("已公示检查的结果分布", "published inspections by result")};
  Table results_table{"results", T("检查结果", "Results"),
                      {Col("检查对象", "entity"), Col("检查结果", "result"), Col("检查结束", "concluded"),
                       Col("应公示截止", "due"), Col("公示日期", "published"), Col("按期", "on time"), Col("更正", "corrections")},
                      {}, T("依《企业信息公示暂行条例》，抽查检查结果应自检查结束之日起 20 个工作日内公示。",
                            "Results are due within 20 working days of the inspection's conclusion (企业信息公示暂行条例).")};
  for (const auto& [code, e] : labels) {
    results_chart.categories.push_back(e.first.zh);
    results_chart.series[0].values.push_back(static_cast<double>(e.second));
  }
  for (const auto& t : tasks) {
    if (!t.published()) continue;
    std::string corr;
    for (const auto& c : t.corrections) corr += (corr.empty() ? "" : "; ") + ("v" + N(c.version) + " " + c.published_on + " " + c.reason);
    results_table.rows.push_back({t.entity_name, ResultText(t).zh, t.concluded_on, t.due_on, t.published_on,
                                  t.late() ? "否" : "是", corr});
  }
  Chart timely{"timeliness", ChartKind::kStacked, T("公示时效", "Publication timeliness"), {"本计划"},
               {Series{T("按期", "on time"), {static_cast<double>(all.on_time)}},
                Series{T("逾期", "late"), {static_cast<double>(all.late)}},
                Series{T("未公示", "not yet published"), {static_cast<double>(all.tasks - all.published)}}},
               {}, {}, false, {}};
  if (!labels.empty()) res.charts.push_back(std::move(results_chart));
  res.charts.push_back(std::move(timely));
  res.tables.push_back(std::move(results_table));
  r.sections.push_back(std::move(res));

  // Objections and corrections.
  Section obj{"objections", T("异议与更正", "Objections and corrections"), {}, {}, {}, {}};
  Table ot{"objections", T("异议", "Objections"),
           {Col("检查对象", "entity"), Col("受理编号", "receipt"), Col("提出日期", "filed"), Col("处理结果", "decision"),
            Col("处理日期", "decided"), Col("理由", "reason")},
           {}, {}};
  for (const auto& t : tasks)
    for (const auto& o : t.objections)
      ot.rows.push_back({t.entity_name, o.receipt_no, o.filed_on, ObjectionStateText(o.state).zh, o.decided_on, o.decision_reason});
  obj.paragraphs.push_back(ot.rows.empty() ? T("本计划的检查结果没有收到异议。", "No objection was filed against this plan's results.")
                                           : T("被检查对象可在公示后提出异议；支持的异议会公布更正版本，原版本仍可查阅。",
                                               "An inspected entity may object after publication; an upheld objection publishes a corrected version and the earlier one stays visible."));
  obj.tables.push_back(std::move(ot));
  r.sections.push_back(std::move(obj));

  // The estimate from the known inclusion probabilities.
  Section est{"estimates", T("总体问题发现率估计", "Estimated problem rate of the population"), {}, {}, {}, {}};
  if (live) {
    const auto counts = StratumCounts(*live, tasks);
    const Estimate overall = EstimateOverall(counts);
    const Text population = T("本计划抽查范围内的主体", "entities in this plan's population");
    est.paragraphs.push_back(T(Describe(overall, population, Lang::kZh), Describe(overall, population, Lang::kEn)));
    est.paragraphs.push_back(T("估计依据每次抽取记录的各层总体数 N 与抽取数 n（已知入样概率），采用分层估计并作有限总体校正，区间为 95% 置信区间。",
                               "From each stratum's recorded population N and draw n (known inclusion probabilities): a "
                               "stratified estimator with the finite-population correction; 95% intervals."));
    Chart ci{"estimate", ChartKind::kInterval, T("问题发现率估计（95% 区间）", "Estimated problem rate (95% interval)"), {},
             {Series{T("估计", "estimate"), {}}}, {}, {}, true, {}};
    Table et{"estimates", T("估计", "Estimates"),
             {Col("范围", "scope"), Col("总体", "population", ColumnKind::kInteger), Col("已检查", "inspected", ColumnKind::kInteger),
              Col("发现问题", "problems", ColumnKind::kInteger), Col("估计", "estimate", ColumnKind::kPercent),
              Col("95% 下限", "95% low", ColumnKind::kPercent), Col("95% 上限", "95% high", ColumnKind::kPercent)},
             {}, {}};
    auto add = [&](const Estimate& e, const std::string& label) {
      if (e.inspected == 0) return;
      ci.categories.push_back(label);
      ci.series[0].values.push_back(e.rate.estimate);
      ci.low.push_back(e.rate.low);
      ci.high.push_back(e.rate.high);
      et.rows.push_back({label, Cell::Int(e.population), Cell::Int(e.inspected), Cell::Int(e.problems),
                         Cell::Percent(e.rate.estimate), Cell::Percent(e.rate.low), Cell::Percent(e.rate.high)});
    };
    if (show_strata && counts.size() > 1)
      for (const auto& c : counts) add(EstimateStratum(c), StratumName(c.stratum).zh);
    add(overall, "总体");
    if (!ci.categories.empty()) est.charts.push_back(std::move(ci));
    est.tables.push_back(std::move(et));
  } else {
    est.paragraphs.push_back(T("尚无抽取，无法估计。", "No draw yet: nothing to estimate."));
  }
  r.sections.push_back(std::move(est));
  return r;
}

}  // namespace suiji::reports
