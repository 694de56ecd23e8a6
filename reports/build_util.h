// Small helpers the report builders share (not part of the public reports API).
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "reports/facts.h"
#include "reports/report.h"
#include "reports/stats.h"

namespace suiji::reports::detail {

inline Text T(std::string zh, std::string en) { return Text{std::move(zh), std::move(en)}; }

inline std::string Pct(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", fraction * 100.0);
  return buf;
}

inline std::string N(long long v) { return std::to_string(v); }

inline Column Col(std::string zh, std::string en, ColumnKind kind = ColumnKind::kText) {
  return Column{T(std::move(zh), std::move(en)), kind};
}

// The stratum's name in words: "A 类" / "class A", "未分类", "全部".
Text StratumName(const std::string& stratum);
// A task's result in both languages.
Text ResultText(const TaskFacts& t);
Text StateText(const std::string& state);
Text ObjectionStateText(const std::string& state);

// The tally columns every statistics table shares, after its key column(s).
std::vector<Column> TallyColumns();
std::vector<Cell> TallyCells(const Tally& t);

// A statistics table from a grouping (label(key) names each row), with a bar chart of the problem
// rate when `chart` is set.
void AddTallySection(Section& s, const std::string& id, const Text& title, const Text& key_label,
                     const std::map<std::string, Tally>& groups,
                     const std::function<std::string(const std::string&)>& label, bool chart);

// Draw-level figures: "2026-11-30 承诺 / 2026-12-01 揭示".
std::string Date10(const std::string& iso);

}  // namespace suiji::reports::detail
