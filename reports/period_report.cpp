// PeriodReport (builders.h): every plan of a period, as statistics.
#include <algorithm>
#include <set>

#include "reports/build_util.h"
#include "reports/builders.h"
#include "reports/estimate.h"

namespace suiji::reports {

using namespace detail;

namespace {
constexpr std::size_t kMaxRegionRows = 30;
}  // namespace

Report PeriodReport(const ReportFacts& f) {
  Report r;
  r.kind = "period";
  r.audience = f.audience;
  r.title = T("“双随机、一公开”抽查工作统计 " + f.period_from + " – " + f.period_to,
              "Random inspections " + f.period_from + " – " + f.period_to);
  r.subtitle = T(f.regulator() ? "监管版：含信用风险分类统计" : "公开版", f.regulator() ? "Regulator copy, with credit classes" : "Public copy");
  r.meta = {{T("统计期间", "period"), f.period_from + " – " + f.period_to},
            {T("生成时间", "generated"), f.generated_at},
            {T("名录库主体数", "entities in the register"), N(f.register_size)}};

  // Live draws (revealed) of the period's plans: their tasks are what the statistics count.
  std::map<std::string, const DrawFacts*> live;
  std::int64_t redraws = 0, substitutions = 0, repaired = 0, drawn = 0;
  for (const auto& d : f.draws) {
    if (!d.supersedes.empty()) ++redraws;
    if (d.state != "revealed") continue;
    live[d.draw_id] = &d;
    substitutions += static_cast<std::int64_t>(d.substitutions.size());
    if (d.pairing_attempts > 1) ++repaired;
    for (const auto& s : d.strata) drawn += s.quota;
  }
  std::vector<TaskFacts> tasks;
  for (const auto& t : f.tasks)
    if (live.count(t.draw_id)) tasks.push_back(t);
  std::set<std::string> entities;
  for (const auto& t : tasks) entities.insert(t.entity_id);
  const Tally all = TallyAll(tasks);
  const double coverage = f.register_size ? static_cast<double>(entities.size()) / f.register_size : 0;

  Section summary{"summary", T("概要", "Summary"), {}, {}, {}, {}};
  summary.figures = {
      {T("抽查计划", "plans"), N(static_cast<long long>(f.plans.size())), {}},
      {T("抽取", "draws"), N(static_cast<long long>(live.size())), T("重抽 " + N(redraws), N(redraws) + " re-draws")},
      {T("抽取对象", "entities drawn"), N(static_cast<long long>(entities.size())),
       T("覆盖名录库 " + Pct(coverage), Pct(coverage) + " of the register")},
      {T("已公示", "published"), N(all.published), T("完成率 " + Pct(all.completion()), "completion " + Pct(all.completion()))},
      {T("问题发现率", "problem rate"), Pct(all.problem_rate()), T(N(all.problems) + " 户发现问题", N(all.problems) + " with problems")},
      {T("按期公示率", "on time"), Pct(all.on_time_rate()), T("逾期 " + N(all.late), N(all.late) + " late")},
      {T("异议", "objections"), N(all.objections), T("支持 " + N(all.upheld), N(all.upheld) + " upheld")}};
  summary.paragraphs.push_back(
      T("本期共实施 " + N(static_cast<long long>(live.size())) + " 次随机抽取，抽取 " + N(static_cast<long long>(entities.size())) +
            " 户，占名录库 " + N(f.register_size) + " 户的 " + Pct(coverage) + "；已公示 " + N(all.published) + " 项检查结果，其中 " +
            N(all.problems) + " 项发现问题，" + N(all.on_time) + " 项按期公示。替补 " + N(substitutions) + " 次，重新匹配检查人员 " +
            N(repaired) + " 次。",
        N(static_cast<long long>(live.size())) + " random draws this period drew " + N(static_cast<long long>(entities.size())) +
            " entities, " + Pct(coverage) + " of the register's " + N(f.register_size) + "; " + N(all.published) +
            " results are published, " + N(all.problems) + " of them found a problem and " + N(all.on_time) +
            " were published on time. " + N(substitutions) + " substitutions, " + N(repaired) + " re-pairings."));
  r.sections.push_back(std::move(summary));

  Section dept{"departments", T("按部门", "By department"), {}, {}, {}, {}};
  AddTallySection(dept, "by_department", T("按部门", "By department"), T("部门", "department"),
                  TallyBy(tasks, [](const TaskFacts& t) { return t.department; }),
                  [](const std::string& k) { return k; }, true);
  Chart dept_time{"department_timeliness", ChartKind::kStacked, T("各部门公示时效", "Timeliness by department"), {},
                  {Series{T("按期", "on time"), {}}, Series{T("逾期", "late"), {}}, Series{T("未公示", "not yet published"), {}}},
                  {}, {}, false, {}};
  for (const auto& [k, t] : TallyBy(tasks, [](const TaskFacts& t) { return t.department; })) {
    dept_time.categories.push_back(k);
    dept_time.series[0].values.push_back(static_cast<double>(t.on_time));
    dept_time.series[1].values.push_back(static_cast<double>(t.late));
    dept_time.series[2].values.push_back(static_cast<double>(t.tasks - t.published));
  }
  if (!dept_time.categories.empty()) dept.charts.push_back(std::move(dept_time));
  r.sections.push_back(std::move(dept));

  // Regions: coverage against the register's counts, by county, or by city (GB/T 2260: the first four
  // digits + "00") when the draws span more than kMaxRegionRows counties, so the section stays readable.
  std::set<std::string> counties;
  for (const auto& t : tasks) counties.insert(t.region);
  const bool by_city = counties.size() > kMaxRegionRows;
  auto area = [by_city](const std::string& code) { return by_city && code.size() == 6 ? code.substr(0, 4) + "00" : code; };
  Section reg{"regions", by_city ? T("按地市", "By city") : T("按区划", "By region"), {}, {}, {}, {}};
  if (by_city)
    reg.paragraphs.push_back(T("抽取涉及 " + N(static_cast<long long>(counties.size())) + " 个县区，按地市汇总。",
                               "The draws span " + N(static_cast<long long>(counties.size())) + " counties: summed by city."));
  const auto by_region = TallyBy(tasks, [&](const TaskFacts& t) { return area(t.region); });
  std::map<std::string, std::int64_t> drawn_by_region, register_by_area;
  {
    std::map<std::string, std::set<std::string>> ids;
    for (const auto& t : tasks) ids[area(t.region)].insert(t.entity_id);
    for (const auto& [k, v] : ids) drawn_by_region[k] = static_cast<std::int64_t>(v.size());
    for (const auto& [k, n] : f.register_by_region) register_by_area[area(k)] += n;
  }
  auto region_label = [&](const std::string& code) {
    auto it = f.region_names.find(code);
    return it == f.region_names.end() || it->second.empty() ? code : it->second + "（" + code + "）";
  };
  Table cov{"coverage_by_region", T("各区划名录库覆盖", "Coverage of the register by region"),
            {Col("区划", "region"), Col("名录库主体", "in the register", ColumnKind::kInteger),
             Col("抽取", "drawn", ColumnKind::kInteger), Col("覆盖率", "coverage", ColumnKind::kPercent)},
            {}, {}};
  Chart cov_chart{"coverage", ChartKind::kBar, T("各区划覆盖率", "Coverage by region"), {}, {Series{T("覆盖率", "coverage"), {}}},
                  {}, {}, true, T("抽取对象占该区划名录库主体的比例", "entities drawn as a share of the region's register")};
  for (const auto& [code, n] : register_by_area) {
    const std::int64_t d = drawn_by_region.count(code) ? drawn_by_region[code] : 0;
    if (!d) continue;
    cov.rows.push_back({region_label(code), Cell::Int(n), Cell::Int(d), Cell::Percent(n ? static_cast<double>(d) / n : 0, 2)});
    cov_chart.categories.push_back(region_label(code));
    cov_chart.series[0].values.push_back(n ? static_cast<double>(d) / n : 0);
  }
  if (!cov_chart.categories.empty()) reg.charts.push_back(std::move(cov_chart));
  reg.tables.push_back(std::move(cov));
  AddTallySection(reg, "by_region", T("按区划", "By region"), T("区划", "region"), by_region, region_label, false);
  r.sections.push_back(std::move(reg));

  Section ind{"industries", T("按行业门类", "By industry section"), {}, {}, {}, {}};
  AddTallySection(ind, "by_industry", T("按行业门类", "By industry section"), T("行业门类", "industry section"),
                  TallyBy(tasks, [](const TaskFacts& t) { return IndustrySection(t.industry); }),
                  [](const std::string& k) { return k + " " + IndustrySectionName(k).zh; }, true);
  r.sections.push_back(std::move(ind));

  if (f.regulator()) {
    Section cls{"credit_classes", T("按信用风险分类（仅监管版）", "By credit class (regulator copy only)"), {}, {}, {}, {}};
    cls.paragraphs.push_back(T("信用风险分类为内部数据，不在公开版中出现。", "Credit classes are internal; the public copy never shows them."));
    AddTallySection(cls, "by_credit_class", T("按信用风险分类", "By credit class"), T("分类", "class"),
                    TallyBy(tasks, [](const TaskFacts& t) { return t.credit_class.empty() ? std::string("unclassified") : t.credit_class; }),
                    [](const std::string& k) { return StratumName(k).zh; }, true);
    AddTallySection(cls, "by_stratum", T("按抽取分层", "By draw stratum"), T("分层", "stratum"),
                    TallyBy(tasks, [](const TaskFacts& t) { return t.stratum; }),
                    [](const std::string& k) { return StratumName(k).zh; }, false);
    r.sections.push_back(std::move(cls));
  }

  Section month{"months", T("按月份", "By month"), {}, {}, {}, {}};
  const auto by_month = TallyBy(tasks, [](const TaskFacts& t) { return t.published() ? t.published_on.substr(0, 7) : std::string(); });
  Chart line{"published_by_month", ChartKind::kLine, T("每月公示与发现问题", "Published and problems found by month"), {},
             {Series{T("已公示", "published"), {}}, Series{T("发现问题", "problems found"), {}}}, {}, {}, false, {}};
  for (const auto& [m, t] : by_month) {
    line.categories.push_back(m);
    line.series[0].values.push_back(static_cast<double>(t.published));
    line.series[1].values.push_back(static_cast<double>(t.problems));
  }
  if (!line.categories.empty()) month.charts.push_back(std::move(line));
  AddTallySection(month, "by_month", T("按公示月份", "By month of publication"), T("月份", "month"), by_month,
                  [](const std::string& k) { return k; }, false);
  r.sections.push_back(std::move(month));

  // Estimates per plan from its live draw.
  Section est{"estimates", T("各计划问题发现率估计", "Estimated problem rate per plan"), {}, {}, {}, {}};
  Chart ci{"estimates", ChartKind::kInterval, T("问题发现率估计（95% 区间）", "Estimated problem rate (95% interval)"), {},
           {Series{T("估计", "estimate"), {}}}, {}, {}, true, {}};
  for (const auto& p : f.plans) {
    const DrawFacts* d = nullptr;
    for (const auto& [id, x] : live)
      if (x->plan_id == p.plan_id) d = x;
    if (!d) continue;
    const Estimate e = EstimateOverall(StratumCounts(*d, tasks));
    const std::string name = p.title.empty() ? p.plan_id : p.title;
    const Text label = T(name + "的抽查范围内主体", "entities in the population of " + name);
    est.paragraphs.push_back(T(Describe(e, label, Lang::kZh), Describe(e, label, Lang::kEn)));
    if (e.inspected == 0) continue;
    ci.categories.push_back(name);
    ci.series[0].values.push_back(e.rate.estimate);
    ci.low.push_back(e.rate.low);
    ci.high.push_back(e.rate.high);
  }
  if (!ci.categories.empty()) est.charts.push_back(std::move(ci));
  r.sections.push_back(std::move(est));

  Section cap{"annual_cap", T("年度检查次数上限", "The annual inspection cap"), {}, {}, {}, {}};
  cap.figures = {{T("超过上限", "over the cap"), N(f.over_cap), T("应为 0", "must be 0")},
                 {T("达到上限", "at the cap"), N(f.at_cap), T("本年不宜再检查", "no further inspection this year")}};
  cap.paragraphs.push_back(f.over_cap == 0 ? T("没有主体的年度检查次数超过计划规定的上限。", "No entity was inspected more often than the plans' annual cap allows.")
                                           : T(N(f.over_cap) + " 户主体超过年度检查次数上限，应予核查。", N(f.over_cap) + " entities are over the annual cap: look into it."));
  if (f.regulator()) {
    Table near{"near_cap", T("接近上限的主体", "Entities near the cap"),
               {Col("主体", "entity"), Col("代码", "id"), Col("本年检查", "inspections this year", ColumnKind::kInteger),
                Col("上限", "cap", ColumnKind::kInteger)},
               {}, {}};
    for (const auto& c : f.near_cap) near.rows.push_back({c.entity_name, c.entity_id, Cell::Int(c.inspections), Cell::Int(c.cap)});
    if (f.at_cap > static_cast<std::int64_t>(f.near_cap.size()))
      near.note = T("仅列出前 " + N(static_cast<long long>(f.near_cap.size())) + " 户，共 " + N(f.at_cap) + " 户达到上限。",
                    "The first " + N(static_cast<long long>(f.near_cap.size())) + " of " + N(f.at_cap) + " entities at the cap.");
    cap.tables.push_back(std::move(near));
  }
  r.sections.push_back(std::move(cap));
  return r;
}

}  // namespace suiji::reports
