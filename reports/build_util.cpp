#include "reports/build_util.h"

namespace suiji::reports::detail {

Text StratumName(const std::string& stratum) {
  if (stratum == "all") return T("全部", "all");
  if (stratum == "unclassified") return T("未分类", "unclassified");
  if (stratum.empty()) return T("—", "—");
  return T(stratum + " 类", "class " + stratum);
}

Text ResultText(const TaskFacts& t) {
  if (!t.published()) return StateText(t.state);
  return T(t.result_label.empty() ? t.result_code : t.result_label,
           t.result_label_en.empty() ? t.result_code : t.result_label_en);
}

Text StateText(const std::string& state) {
  if (state == "published") return T("已公示", "published");
  if (state == "approved") return T("已审核待公示", "approved, not yet published");
  if (state == "submitted") return T("已提交待审核", "submitted for review");
  if (state == "draft") return T("录入中", "being entered");
  return T("未录入", "not entered");
}

Text ObjectionStateText(const std::string& state) {
  if (state == "pending") return T("待处理", "pending");
  if (state == "rejected") return T("不予支持", "rejected");
  if (state == "upheld") return T("予以支持并更正", "upheld, corrected");
  return T(state, state);
}

std::vector<Column> TallyColumns() {
  return {Col("任务", "tasks", ColumnKind::kInteger),
          Col("已公示", "published", ColumnKind::kInteger),
          Col("完成率", "completion", ColumnKind::kPercent),
          Col("发现问题", "problems found", ColumnKind::kInteger),
          Col("问题发现率", "problem rate", ColumnKind::kPercent),
          Col("按期公示", "on time", ColumnKind::kInteger),
          Col("逾期公示", "late", ColumnKind::kInteger),
          Col("异议", "objections", ColumnKind::kInteger),
          Col("更正", "corrected", ColumnKind::kInteger)};
}

std::vector<Cell> TallyCells(const Tally& t) {
  return {Cell::Int(t.tasks),    Cell::Int(t.published),  Cell::Percent(t.completion()),
          Cell::Int(t.problems), Cell::Percent(t.problem_rate()), Cell::Int(t.on_time),
          Cell::Int(t.late),     Cell::Int(t.objections), Cell::Int(t.corrected)};
}

void AddTallySection(Section& s, const std::string& id, const Text& title, const Text& key_label,
                     const std::map<std::string, Tally>& groups,
                     const std::function<std::string(const std::string&)>& label, bool chart) {
  Table table{id, title, {Column{key_label, ColumnKind::kText}}, {}, {}};
  for (const auto& c : TallyColumns()) table.columns.push_back(c);
  Chart bars{id + "_rate", ChartKind::kBar, T(title.zh + "：问题发现率", title.In(Lang::kEn) + ": problem rate"),
             {}, {Series{T("问题发现率", "problem rate"), {}}}, {}, {}, true,
             T("已公示检查中发现问题的比例", "share of published inspections that found a problem")};
  for (const auto& [key, t] : groups) {
    std::vector<Cell> row{Cell(label(key))};
    for (auto& c : TallyCells(t)) row.push_back(std::move(c));
    table.rows.push_back(std::move(row));
    if (t.published) {
      bars.categories.push_back(label(key));
      bars.series[0].values.push_back(t.problem_rate());
    }
  }
  if (chart && !groups.empty()) s.charts.push_back(std::move(bars));
  s.tables.push_back(std::move(table));
}

std::string Date10(const std::string& iso) { return iso.size() >= 10 ? iso.substr(0, 10) : iso; }

}  // namespace suiji::reports::detail
