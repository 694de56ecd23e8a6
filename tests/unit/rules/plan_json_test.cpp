#include "rules/plan_json.h"

#include <gtest/gtest.h>

#include "plan_test_util.h"
#include "rules/plan_parse.h"

namespace suiji::rules {
namespace {

using testing::Edit;
using testing::kMinimalPlan;

Plan Parse(const std::string& yaml) {
  PlanParse r = ParsePlan(yaml, "p.yaml");
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  return r.plan;
}

std::string Src(const std::string& rel) { return std::string(SUIJI_SOURCE_DIR) + "/" + rel; }

// The minimal plan rewritten: flow style, other key order, lists reordered, comments, percent
// ratios, quoted scalars and defaults spelled out. It means the same plan.
const char* kSamePlanReformatted = R"(# same plan, different text
entropy: {digits: 20, source: dice}
schedule: {end: "2026-12-31", start: 2026-10-01}
strata:
  - {ratio: 30%, class: C}
  - {class: unclassified, ratio: 5%}
  - {class: A, ratio: 5%}
  - {class: D, ratio: 80%}
  - {class: B, ratio: 10%}
filter: {regions: ["511702"]}
items: ["I-1"]
exclusions: {deregistered: true, explicit: []}
team: {max_entities_per_officer: ~}
departments: [{officers: 2, code: SAMR}]
year: "2026"
org_unit: 511702-SAMR
title: 'test plan'
id: T-1
version: 1
)";

TEST(PlanJson, DigestIgnoresFormattingKeyOrderAndListOrder) {
  Plan a = Parse(kMinimalPlan), b = Parse(kSamePlanReformatted);
  EXPECT_EQ(a, b);
  EXPECT_EQ(PlanDigest(a), PlanDigest(b));
  EXPECT_EQ(PlanDigest(a).size(), 64u);
}

TEST(PlanJson, UnorderedListsAreSorted) {
  auto two = Edit("items: [I-1]", "items: [I-2, I-1]");
  two = Edit("  regions: [511702]", "  regions: [511703, 511702]\n  industries: [H62, C13]", two);
  auto swapped = Edit("items: [I-1]", "items: [I-1, I-2]");
  swapped = Edit("  regions: [511702]", "  industries: [C13, H62]\n  regions: [511702, 511703]", swapped);
  EXPECT_EQ(PlanDigest(Parse(two)), PlanDigest(Parse(swapped)));
}

TEST(PlanJson, DefaultDepartmentsOfRecentRuleEqualSpellingThemOut) {
  auto implicit = std::string(kMinimalPlan) + "exclusions:\n  recently_inspected:\n    days: 180\n";
  auto spelled = implicit + "    departments: [SAMR]\n";
  EXPECT_EQ(PlanDigest(Parse(implicit)), PlanDigest(Parse(spelled)));
}

TEST(PlanJson, DigestChangesWithMeaning) {
  const std::string base = PlanDigest(Parse(kMinimalPlan));
  EXPECT_NE(base, PlanDigest(Parse(Edit("ratio_bp: 500", "ratio_bp: 501"))));
  EXPECT_NE(base, PlanDigest(Parse(Edit("digits: 20", "digits: 21"))));
  EXPECT_NE(base, PlanDigest(Parse(Edit("end: 2026-12-31", "end: 2026-12-30"))));
  EXPECT_NE(base, PlanDigest(Parse(std::string(kMinimalPlan) + "exclusions:\n  deregistered: false\n")));
  EXPECT_NE(base, PlanDigest(Parse(std::string(kMinimalPlan) + "team:\n  max_entities_per_officer: 5\n")));
  EXPECT_NE(base, PlanDigest(Parse(Edit("    ratio_bp: 500\n", "    ratio_bp: 500\n    min: 0\n"))));  // min 0 != no min
}

TEST(PlanJson, CanonicalFormIsStable) {
  // Frozen: a change here changes every plan digest, which invalidates recorded draws.
  EXPECT_EQ(CanonicalJson(PlanToJson(Parse(kMinimalPlan))),
            R"({"departments":[{"code":"SAMR","name":"","officers":2}],"entropy":{"digits":20,"source":"dice"},)"
            R"("exclusions":{"annual_cap":null,"deregistered":true,"explicit":[],"recently_inspected":null},)"
            R"("filter":{"entity_types":[],"industries":[],"regions":["511702"],"special_registers":[],"status":[]},)"
            R"("id":"T-1","items":["I-1"],"org_unit":"511702-SAMR","schedule":{"end":"2026-12-31","start":"2026-10-01"},)"
            R"("strata":[{"class":"A","max":null,"min":null,"ratio_bp":500},{"class":"B","max":null,"min":null,"ratio_bp":1000},)"
            R"({"class":"C","max":null,"min":null,"ratio_bp":3000},{"class":"D","max":null,"min":null,"ratio_bp":8000},)"
            R"({"class":"unclassified","max":null,"min":null,"ratio_bp":500}],"team":{"max_entities_per_officer":null},)"
            R"("title":"test plan","version":1,"year":2026})");
}

TEST(PlanJson, CanonicalJsonIsItselfAValidPlanFile) {
  for (const char* f : {"data/examples/plans/county-food-2026.yaml", "data/examples/plans/joint-samr-mee-2026.yaml"}) {
    PlanParse r = LoadPlanFile(Src(f));
    ASSERT_TRUE(r.ok()) << f;
    std::string json = CanonicalJson(PlanToJson(r.plan));
    PlanParse again = ParsePlan(json, "plan.json");
    ASSERT_TRUE(again.ok()) << f << ": " << (again.errors.empty() ? "" : again.errors[0].ToString());
    EXPECT_EQ(again.plan, r.plan) << f;
    EXPECT_EQ(PlanDigest(again.plan), PlanDigest(r.plan)) << f;
  }
}

TEST(PlanJson, DescribeShowsDigestAndRatios) {
  PlanParse r = LoadPlanFile(Src("data/examples/plans/county-food-2026.yaml"));
  ASSERT_TRUE(r.ok());
  std::string text = DescribePlan(r.plan);
  EXPECT_NE(text.find("digest     " + PlanDigest(r.plan)), std::string::npos);
  EXPECT_NE(text.find("A=3%; B=10%; C=30% min 5; D=80% min 3; unclassified=5% max 200"), std::string::npos) << text;
  EXPECT_NE(text.find("team       2 officers: SAMR x2"), std::string::npos) << text;
}

}  // namespace
}  // namespace suiji::rules
