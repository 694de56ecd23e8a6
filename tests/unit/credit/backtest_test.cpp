#include <gtest/gtest.h>

#include "credit/backtest.h"

namespace suiji::credit {
namespace {

Date D(const char* s) { return ParseDate(s).value(); }

TEST(Backtest, Wilson) {
  auto [lo, hi] = WilsonInterval(5, 10);
  EXPECT_NEAR(lo, 0.2366, 1e-4);
  EXPECT_NEAR(hi, 0.7634, 1e-4);
  std::tie(lo, hi) = WilsonInterval(0, 10);
  EXPECT_EQ(lo, 0);
  EXPECT_NEAR(hi, 0.2775, 1e-4);
  std::tie(lo, hi) = WilsonInterval(10, 10);
  EXPECT_NEAR(lo, 0.7225, 1e-4);
  EXPECT_EQ(hi, 1);
  std::tie(lo, hi) = WilsonInterval(0, 0);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 1);
}

TEST(Backtest, RatesByClass) {
  using rules::RiskClass;
  std::vector<ClassedEntity> cls = {{"a1", RiskClass::kA}, {"a2", RiskClass::kA}, {"a3", RiskClass::kA},
                                    {"b1", RiskClass::kB}, {"d1", RiskClass::kD}, {"d2", RiskClass::kD}};
  std::vector<InspectionResult> ins = {
      {"a1", D("2024-03-01"), "SAMR", "I", "no_problem", 0},
      {"a2", D("2024-03-01"), "SAMR", "I", "no_problem", 0},
      {"a2", D("2024-04-01"), "SAMR", "I", "problem", 0},   // one problem among two inspections
      {"a3", D("2023-01-01"), "SAMR", "I", "problem", 1},   // outside the window
      {"d1", D("2024-05-01"), "SAMR", "I", "other", 3},     // findings count as a problem
      {"d2", D("2024-05-01"), "SAMR", "I", "problem", 0},
      {"zz", D("2024-05-01"), "SAMR", "I", "problem", 0}};  // not classed
  auto b = RunBacktest(cls, ins, D("2024-01-01"), D("2024-12-31"));
  EXPECT_EQ(b.rows[0].entities, 3);
  EXPECT_EQ(b.rows[0].inspected, 2);
  EXPECT_EQ(b.rows[0].with_problems, 1);
  EXPECT_DOUBLE_EQ(b.rows[0].rate, 0.5);
  EXPECT_EQ(b.rows[1].entities, 1);
  EXPECT_EQ(b.rows[1].inspected, 0);
  EXPECT_EQ(b.rows[1].high, 1);
  EXPECT_EQ(b.rows[2].entities, 0);
  EXPECT_EQ(b.rows[3].with_problems, 2);
  EXPECT_DOUBLE_EQ(b.rows[3].rate, 1.0);
  EXPECT_EQ(b.unmatched_inspections, 1);
  EXPECT_TRUE(b.monotone);

  Json j = BacktestJson(b);
  EXPECT_EQ(j["rows"][3]["class"], "D");
  EXPECT_EQ(j["rows"][0]["inspected"], 2);

  std::string svg = BacktestSvg(b, "A & D");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("A &amp; D"), std::string::npos);
  std::size_t rects = 0;
  for (std::size_t p = svg.find("<rect"); p != std::string::npos; p = svg.find("<rect", p + 1)) ++rects;
  EXPECT_EQ(rects, 4u);
  EXPECT_NE(svg.find("class D: 2 of 2 inspected had problems (100.0%"), std::string::npos);

  // D below A: not monotone.
  ins[4].findings = 0;
  ins[4].outcome = "no_problem";
  ins[5].outcome = "no_problem";
  EXPECT_FALSE(RunBacktest(cls, ins, D("2024-01-01"), D("2024-12-31")).monotone);
}

}  // namespace
}  // namespace suiji::credit
