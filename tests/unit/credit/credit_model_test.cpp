#include <gtest/gtest.h>

#include "rules/credit_model.h"

namespace suiji::rules {
namespace {

const char* kMinimal = R"(model: m
version: "1"
indicators:
  - name: penalties_3y
    weight: 2
classes:
  - {class: A}
  - {class: B, min_score: 1}
  - {class: C, min_score: 2}
  - {class: D, min_score: 3}
)";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  return s.replace(p, from.size(), to);
}

TEST(CreditModel, ParsesTheExampleFile) {
  auto m = LoadCreditModel(SUIJI_SOURCE_DIR "/data/examples/credit/model.yaml");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->id, "samr-enterprise-credit-example");
  EXPECT_EQ(m->version, "2024.1");
  EXPECT_EQ(m->indicators.size(), 16u);
  EXPECT_EQ(m->digest.size(), 64u);
  EXPECT_EQ(m->indicators[0].name, "inspection_problem_rate_3y");
  EXPECT_EQ(m->indicators[0].normalise, Normalise::kMinMax);
  ASSERT_TRUE(m->indicators[0].impute.has_value());
  EXPECT_DOUBLE_EQ(*m->indicators[0].impute, 0.1);
  EXPECT_EQ(m->indicators[1].transform, Transform::kLog1p);
  EXPECT_EQ(m->list_rules.abnormal_removal_days, 5);
  EXPECT_EQ(m->classes[3].sampling_ratio_bp, 10000);
  EXPECT_EQ(m->Classify(9.999), RiskClass::kA);
  EXPECT_EQ(m->Classify(10), RiskClass::kB);
  EXPECT_EQ(m->Classify(44.9), RiskClass::kC);
  EXPECT_EQ(m->Classify(45), RiskClass::kD);
}

TEST(CreditModel, MinimalDefaults) {
  auto m = ParseCreditModel(kMinimal, "m.yaml");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->indicators[0].transform, Transform::kIdentity);
  EXPECT_EQ(m->indicators[0].scale, 1);
  EXPECT_EQ(m->list_rules, ListRules{});
  EXPECT_EQ(m->indicators[0].line, 4);
}

void ExpectError(const std::string& text, const std::string& where, const std::string& reason) {
  auto m = ParseCreditModel(text, "m.yaml");
  ASSERT_FALSE(m.ok()) << "accepted: " << text;
  EXPECT_NE(m.error().message.find(where), std::string::npos) << m.error().message;
  EXPECT_NE(m.error().message.find(reason), std::string::npos) << m.error().message;
}

TEST(CreditModel, ErrorsNameFileLineAndField) {
  ExpectError(Replace(kMinimal, "weight: 2", "weight: two"), "m.yaml:5: indicators[0].weight", "'two' is not a number");
  ExpectError(Replace(kMinimal, "penalties_3y", "penalties_4y"), "m.yaml:4: indicators[0].name", "unknown indicator");
  ExpectError(Replace(kMinimal, "weight: 2", "wieght: 2"), "m.yaml:5: indicators[0].wieght", "unknown field");
  ExpectError(Replace(kMinimal, "penalties_3y", "inspection_problem_rate_3y"), "indicators[0].missing",
              "may be missing");
  ExpectError(Replace(kMinimal, "penalties_3y", "ext.tax.grade"), "indicators[0].missing", "may be missing");
  ExpectError(Replace(kMinimal, "min_score: 3", "min_score: 2"), "m.yaml:10: classes[3].min_score",
              "must be greater than class C's");
  ExpectError(Replace(kMinimal, "{class: B, min_score: 1}", "{class: C, min_score: 1}"), "classes[1].class",
              "expected 'B'");
  ExpectError(Replace(kMinimal, "  - {class: D, min_score: 3}\n", ""), "classes", "exactly the four classes");
  ExpectError(Replace(kMinimal, "{class: A}", "{class: A, min_score: 0}"), "classes[0].min_score", "no lower bound");
  ExpectError(Replace(kMinimal, "version: \"1\"\n", ""), "m.yaml:1: version", "is required");
  ExpectError(Replace(kMinimal, "weight: 2", "weight: 2\n    transform: cap"), "indicators[0].cap", "is required");
  ExpectError(Replace(kMinimal, "weight: 2", "weight: 2\n    transform: sqrt"), "indicators[0].transform",
              "not one of");
  ExpectError(Replace(kMinimal, "weight: 2", "weight: 2\n    normalize: {min: 3, max: 3}"),
              "indicators[0].normalize.max", "greater than min");
  ExpectError(Replace(kMinimal, "weight: 2", "weight: 2\n    normalize: {min: 0, scale: 3}"),
              "indicators[0].normalize", "either");
  ExpectError(Replace(kMinimal, "weight: 2", "weight: 2\n  - name: penalties_3y\n    weight: 1"),
              "m.yaml:6: indicators[1].name", "appears twice");
  ExpectError(std::string(kMinimal) + "list_rules: {serious_period_years: 0}\n", "list_rules.serious_period_years",
              "outside 1..50");
  ExpectError(std::string(kMinimal) + "list_rules: {repair_min_years: 6}\n", "list_rules.repair_min_years",
              "must not exceed");
  ExpectError(Replace(kMinimal, "weight: 2", "weight: 2\n    weight: 3"), "m.yaml:6: indicators[0].weight",
              "appears twice");  // yaml-cpp would silently keep one of them
  ExpectError("model: [unclosed\n", "m.yaml:", "YAML syntax");
  ExpectError("- just a list\n", "m.yaml:1", "is a map");
  ExpectError(Replace(kMinimal, "indicators:\n  - name: penalties_3y\n    weight: 2", "indicators: 3"),
              "m.yaml:3: indicators", "non-empty list");
}

TEST(CreditModel, MissingFileIsAnError) {
  auto m = LoadCreditModel("/nonexistent/model.yaml");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "credit_model.io");
}

TEST(CreditModel, Catalogue) {
  EXPECT_TRUE(IsExternalIndicator("ext.tax.grade"));
  EXPECT_FALSE(IsExternalIndicator("ext.tax"));
  EXPECT_FALSE(IsExternalIndicator("ext..x"));
  ASSERT_NE(FindIndicator("registration_age_days"), nullptr);
  EXPECT_TRUE(FindIndicator("registration_age_days")->may_be_missing);
  EXPECT_FALSE(FindIndicator("penalties_3y")->may_be_missing);
  EXPECT_EQ(FindIndicator("nope"), nullptr);
}

}  // namespace
}  // namespace suiji::rules
