// Back-test: do the classes separate entities by what inspections later found?
//
// For each class, over the inspections dated in [from, to]: how many entities were classed, how many
// were inspected at least once, how many had at least one inspection with a problem, the problem
// rate (with problems / inspected) and its 95% Wilson score interval. A useful model shows rates
// rising from A to D. BacktestSvg draws the rates with their intervals as a bar chart (plain SVG
// text, no library).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/canonical_json.h"
#include "core/date.h"
#include "credit/records.h"
#include "rules/credit_model.h"

namespace suiji::credit {

struct ClassedEntity {
  std::string entity_id;
  rules::RiskClass cls;
};

struct BacktestRow {
  rules::RiskClass cls;
  std::int64_t entities = 0, inspected = 0, with_problems = 0;
  double rate = 0;           // with_problems / inspected; 0 when none inspected
  double low = 0, high = 0;  // 95% Wilson interval; [0, 1] when none inspected
};

struct Backtest {
  Date from, to;
  std::array<BacktestRow, 4> rows;      // A, B, C, D
  std::int64_t unmatched_inspections = 0;  // inspections of entities without a class (not counted)
  bool monotone = false;                // rates never fall from A to D over the classes inspected
};

// Wilson score interval for k successes in n trials at z (1.959964 for 95%); n == 0 gives [0, 1].
std::pair<double, double> WilsonInterval(std::int64_t k, std::int64_t n, double z = 1.959963984540054);

Backtest RunBacktest(const std::vector<ClassedEntity>& classes, const std::vector<InspectionResult>& inspections,
                     Date from, Date to);

Json BacktestJson(const Backtest& b);
std::string BacktestSvg(const Backtest& b, const std::string& title = "Problem rate by credit risk class");

}  // namespace suiji::credit
