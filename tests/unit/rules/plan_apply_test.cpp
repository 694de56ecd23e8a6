#include "rules/plan_apply.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "plan_test_util.h"
#include "rules/plan_parse.h"

namespace suiji::rules {

void PrintTo(const Exclusion& x, std::ostream* os) { *os << "{" << x.entity_id << ", " << x.rule << ", " << x.reason << "}"; }

namespace {

Plan BasePlan() {
  PlanParse r = ParsePlan(testing::kMinimalPlan, "p.yaml");
  EXPECT_TRUE(r.ok());
  return r.plan;
}

Entity E(std::string id, std::string region = "511702", std::string status = "active") {
  Entity e;
  e.id = EntityId{std::move(id), IdKind::kLegacy};
  e.region = std::move(region);
  e.industry = "H6210";
  e.entity_type = "company";
  e.status = std::move(status);
  e.special_registers = {"food"};
  return e;
}

Date D(const char* s) { return *ParseDate(s); }

std::vector<std::string> AllIds(const Population& p) {
  std::vector<std::string> ids;
  for (const auto& s : p.strata) ids.insert(ids.end(), s.entity_ids.begin(), s.entity_ids.end());
  std::sort(ids.begin(), ids.end());
  return ids;
}

Population Apply(const Plan& plan, const std::vector<Entity>& es, const std::vector<InspectionRecord>& hist = {},
                 const std::unordered_map<std::string, std::string>* classes = nullptr, const char* as_of = "2026-11-30") {
  auto r = ApplyPlan(plan, RegisterView{es, classes, hist}, D(as_of));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : Population{};
}

TEST(Quota, Formula) {
  EXPECT_EQ(Quota(10, 500, std::nullopt, std::nullopt), 1);   // ceil(0.5)
  EXPECT_EQ(Quota(10001, 1, std::nullopt, std::nullopt), 2);  // ceil(1.0001)
  EXPECT_EQ(Quota(10000, 1, std::nullopt, std::nullopt), 1);
  EXPECT_EQ(Quota(10, 0, 2, std::nullopt), 2);                // min lifts
  EXPECT_EQ(Quota(1, 500, 3, std::nullopt), 1);               // but never above N
  EXPECT_EQ(Quota(0, 500, 3, std::nullopt), 0);
  EXPECT_EQ(Quota(100, 10000, std::nullopt, 7), 7);           // max caps
  EXPECT_EQ(Quota(100, 500, 10, 7), 7);                       // max applies after min
}

TEST(ApplyPlan, FilterSelectsScopeWithoutListingOthersAsExcluded) {
  Plan plan = BasePlan();
  plan.filter.regions = {"511700"};  // the city covers its counties
  plan.filter.industries = {"C13", "H62"};
  plan.filter.entity_types = {"company"};
  plan.filter.statuses = {"active", "abnormal"};
  plan.filter.special_registers = {"food", "drug"};
  std::vector<Entity> es = {E("in-county"), E("in-other-county", "511781"), E("other-city", "511800"),
                            E("province-level", "510000"), E("abnormal", "511702", "abnormal"),
                            E("closed", "511702", "deregistered")};
  es.push_back(E("wrong-industry"));
  es.back().industry = "C14";
  es.push_back(E("industry-prefix"));
  es.back().industry = "C1310";
  es.push_back(E("wrong-type"));
  es.back().entity_type = "sole_proprietor";
  es.push_back(E("no-register"));
  es.back().special_registers.clear();
  es.push_back(E("other-register"));
  es.back().special_registers = {"special_equipment", "drug"};
  Population p = Apply(plan, es);
  EXPECT_EQ(AllIds(p), (std::vector<std::string>{"abnormal", "in-county", "in-other-county", "industry-prefix", "other-register"}));
  EXPECT_TRUE(p.exclusions.empty());
  // Every entity without a class is unclassified.
  EXPECT_EQ(p.strata[4].name, "unclassified");
  EXPECT_EQ(p.strata[4].entity_ids.size(), 5u);
}

TEST(ApplyPlan, ExclusionsRecordRuleAndReason) {
  Plan plan = BasePlan();
  plan.exclusions.recently_inspected = RecentInspectionRule{180, {"SAMR"}};
  plan.exclusions.annual_cap = AnnualCapRule{2, {}};
  plan.exclusions.explicit_entities = {{"E12", "under investigation"}, {"E11", "case 17"}, {"not-in-scope", "x"}};
  std::vector<Entity> es;
  for (int i = 1; i <= 13; ++i) es.push_back(E("E" + std::string(i < 10 ? "0" : "") + std::to_string(i)));
  es[8].status = "deregistered";  // E09
  es[9].status = "revoked";       // E10
  es[11].status = "deregistered";  // E12: also explicit
  std::vector<InspectionRecord> h = {
      {"E01", "SAMR", D("2026-09-01")},                                     // 90 days: excluded
      {"E02", "MEE", D("2026-09-01")},                                      // another department: kept
      {"E03", "SAMR", D("2026-06-02")},                                     // 181 days: kept
      {"E04", "SAMR", D("2026-06-03")},                                     // exactly 180 days: excluded
      {"E05", "SAMR", D("2026-12-01")},                                     // after as_of: ignored
      {"E06", "SAMR", D("2026-07-01")}, {"E06", "SAMR", D("2026-10-31")},  // latest explains; also cap
      {"E07", "SAMR", D("2026-02-01")}, {"E07", "MEE", D("2026-03-01")},   // 2 in 2026: cap reached
      {"E08", "SAMR", D("2025-12-31")}, {"E08", "MEE", D("2026-03-01")},   // 1 in 2026: kept
      {"unknown", "SAMR", D("2026-11-01")},                                 // not in the register
  };
  Population p = Apply(plan, es, h);
  std::vector<Exclusion> want = {
      {"E01", "recently_inspected", "inspected by SAMR on 2026-09-01, 90 days before 2026-11-30 (plan excludes 180 days)"},
      {"E04", "recently_inspected", "inspected by SAMR on 2026-06-03, 180 days before 2026-11-30 (plan excludes 180 days)"},
      {"E06", "annual_cap", "inspected 2 times in 2026 (SAMR on 2026-07-01; SAMR on 2026-10-31); the plan allows at most 2 a year"},
      {"E06", "recently_inspected", "inspected by SAMR on 2026-10-31, 30 days before 2026-11-30 (plan excludes 180 days)"},
      {"E07", "annual_cap", "inspected 2 times in 2026 (SAMR on 2026-02-01; MEE on 2026-03-01); the plan allows at most 2 a year"},
      {"E09", "deregistered", "deregistered (注销)"},
      {"E10", "deregistered", "business licence revoked (吊销)"},
      {"E11", "explicit", "case 17"},
      {"E12", "deregistered", "deregistered (注销)"},
      {"E12", "explicit", "under investigation"},
  };
  EXPECT_EQ(p.exclusions, want);
  EXPECT_EQ(AllIds(p), (std::vector<std::string>{"E02", "E03", "E05", "E08", "E13"}));
}

TEST(ApplyPlan, AnnualCapCountsOnlyListedDepartments) {
  Plan plan = BasePlan();
  plan.exclusions.annual_cap = AnnualCapRule{1, {"SAMR"}};
  std::vector<Entity> es = {E("a"), E("b")};
  std::vector<InspectionRecord> h = {{"a", "MEE", D("2026-01-10")}, {"b", "SAMR", D("2026-01-10")}};
  Population p = Apply(plan, es, h);
  ASSERT_EQ(p.exclusions.size(), 1u);
  EXPECT_EQ(p.exclusions[0].entity_id, "b");
  EXPECT_EQ(p.exclusions[0].rule, "annual_cap");
}

TEST(ApplyPlan, DeregisteredKeptWhenThePlanSaysSo) {
  Plan plan = BasePlan();
  plan.exclusions.deregistered = false;
  Population p = Apply(plan, {E("a", "511702", "deregistered")});
  EXPECT_TRUE(p.exclusions.empty());
  EXPECT_EQ(AllIds(p), std::vector<std::string>{"a"});
}

TEST(ApplyPlan, StrataByCreditClassWithQuotas) {
  Plan plan = BasePlan();  // A 500, B 1000, C 3000, D 8000, unclassified 500
  plan.strata[2].min_count = 4;
  plan.strata[3].max_count = 3;
  std::vector<Entity> es;
  std::unordered_map<std::string, std::string> cls;
  auto add = [&](const std::string& prefix, int n, const char* c) {
    for (int i = 0; i < n; ++i) {
      es.push_back(E(prefix + std::to_string(i)));
      if (c) cls[prefix + std::to_string(i)] = c;
    }
  };
  add("a", 30, "A");
  add("b", 11, "B");
  add("c", 5, "C");
  add("d", 7, "D");
  add("u", 3, nullptr);
  Population p = Apply(plan, es, {}, &cls);
  ASSERT_EQ(p.strata.size(), 5u);
  std::vector<std::tuple<std::string, std::size_t, std::int64_t>> got;
  for (const auto& s : p.strata) got.emplace_back(s.name, s.entity_ids.size(), s.quota);
  EXPECT_EQ(got, (std::vector<std::tuple<std::string, std::size_t, std::int64_t>>{
                     {"A", 30, 2},             // ceil(30 * 5%) = ceil(1.5)
                     {"B", 11, 2},             // ceil(1.1)
                     {"C", 5, 4},              // ceil(1.5) = 2, min 4
                     {"D", 7, 3},              // ceil(5.6) = 6, max 3
                     {"unclassified", 3, 1}}));  // ceil(0.15)
  EXPECT_EQ(p.strata[2].min_count, 4);
  EXPECT_EQ(p.strata[3].ratio_bp, 8000);
  EXPECT_TRUE(std::is_sorted(p.strata[0].entity_ids.begin(), p.strata[0].entity_ids.end()));
}

TEST(ApplyPlan, SingleAllStratum) {
  Plan plan = BasePlan();
  plan.strata = {StratumRule{"all", 2000, 3, std::nullopt}};
  std::unordered_map<std::string, std::string> cls = {{"x", "A"}};
  Population p = Apply(plan, {E("y"), E("x"), E("z")}, {}, &cls);
  ASSERT_EQ(p.strata.size(), 1u);
  EXPECT_EQ(p.strata[0].entity_ids, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(p.strata[0].quota, 3);
}

TEST(ApplyPlan, IdsInByteOrder) {
  Plan plan = BasePlan();
  Population p = Apply(plan, {E("企独琼总字第008245号"), E("a1"), E("Z1"), E("91511702MA6CGX2K70"), E("469006NA000129X")});
  EXPECT_EQ(p.strata[4].entity_ids,
            (std::vector<std::string>{"469006NA000129X", "91511702MA6CGX2K70", "Z1", "a1", "企独琼总字第008245号"}));
}

TEST(ApplyPlan, BadInputIsAnErrorNotACrash) {
  Plan plan = BasePlan();
  std::vector<Entity> dup = {E("a"), E("b"), E("a")};
  auto r = ApplyPlan(plan, RegisterView{dup, nullptr, {}}, D("2026-11-30"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "apply.duplicate_entity");
  EXPECT_NE(r.error().message.find("entity a "), std::string::npos);

  std::vector<Entity> empty = {E("")};
  EXPECT_EQ(ApplyPlan(plan, RegisterView{empty, nullptr, {}}, D("2026-11-30")).error().code, "apply.empty_id");

  std::vector<Entity> one = {E("a")};
  std::unordered_map<std::string, std::string> bad = {{"a", "E"}};
  auto c = ApplyPlan(plan, RegisterView{one, &bad, {}}, D("2026-11-30"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "apply.credit_class");

  Plan partial = plan;
  partial.strata.pop_back();  // no unclassified stratum
  EXPECT_EQ(ApplyPlan(partial, RegisterView{one, nullptr, {}}, D("2026-11-30")).error().code, "apply.no_stratum");
}

// Random register + history; checks the result against a direct reading of the rules and that
// shuffling every input changes nothing.
TEST(ApplyPlan, MatchesNaiveReadingAndIgnoresInputOrder) {
  Plan plan = BasePlan();
  plan.filter.regions = {"511700"};
  plan.exclusions.recently_inspected = RecentInspectionRule{60, {"MEE", "SAMR"}};
  plan.exclusions.annual_cap = AnnualCapRule{3, {}};
  std::mt19937 rng(7);
  const char* regions[] = {"511702", "511722", "511800"};
  const char* statuses[] = {"active", "active", "active", "abnormal", "deregistered"};
  const char* classes[] = {"A", "B", "C", "D", ""};
  const char* depts[] = {"SAMR", "MEE", "TAX"};
  std::vector<Entity> es;
  std::unordered_map<std::string, std::string> cls;
  for (int i = 0; i < 2000; ++i) {
    es.push_back(E("id" + std::to_string(i), regions[rng() % 3], statuses[rng() % 5]));
    if (const char* c = classes[rng() % 5]; *c) cls[es.back().id.value] = c;
  }
  for (int i = 0; i < 40; ++i) plan.exclusions.explicit_entities.push_back({"id" + std::to_string(i * 37), "named"});
  std::sort(plan.exclusions.explicit_entities.begin(), plan.exclusions.explicit_entities.end(),
            [](const auto& a, const auto& b) { return a.entity_id < b.entity_id; });
  std::vector<InspectionRecord> h;
  const Date as_of = D("2026-11-30");
  for (int i = 0; i < 6000; ++i)
    h.push_back({"id" + std::to_string(rng() % 2500), depts[rng() % 3], as_of + (static_cast<int>(rng() % 400) - 380)});

  Population p = Apply(plan, es, h, &cls);

  // Naive: per entity, scan the whole history.
  std::set<std::pair<std::string, std::string>> want_excl;
  std::map<std::string, std::vector<std::string>> want_strata;
  for (const auto& e : es) {
    if (e.region == "511800") continue;
    bool out = false;
    int in_year = 0;
    for (const auto& r : h) {
      if (r.entity_id != e.id.value || r.date > as_of) continue;
      if (as_of - r.date <= 60 && r.department != "TAX") out = true;
      int y;
      unsigned m, d;
      YmdFromDate(r.date, y, m, d);
      if (y == 2026) ++in_year;
    }
    std::set<std::string> rules;
    if (out) rules.insert("recently_inspected");
    if (in_year >= 3) rules.insert("annual_cap");
    if (e.status == "deregistered") rules.insert("deregistered");
    for (const auto& x : plan.exclusions.explicit_entities)
      if (x.entity_id == e.id.value) rules.insert("explicit");
    for (const auto& r : rules) want_excl.emplace(e.id.value, r);
    if (rules.empty()) {
      auto it = cls.find(e.id.value);
      want_strata[it == cls.end() ? "unclassified" : it->second].push_back(e.id.value);
    }
  }
  std::set<std::pair<std::string, std::string>> got_excl;
  for (const auto& x : p.exclusions) got_excl.emplace(x.entity_id, x.rule);
  EXPECT_EQ(got_excl, want_excl);
  EXPECT_GT(want_excl.size(), 100u);  // the data exercise the rules
  EXPECT_TRUE(std::is_sorted(p.exclusions.begin(), p.exclusions.end(), [](const Exclusion& a, const Exclusion& b) {
    return std::tie(a.entity_id, a.rule) < std::tie(b.entity_id, b.rule);
  }));
  for (const auto& s : p.strata) {
    auto want = want_strata[s.name];
    std::sort(want.begin(), want.end());
    EXPECT_EQ(s.entity_ids, want) << s.name;
    EXPECT_EQ(s.quota, Quota(static_cast<std::int64_t>(want.size()), s.ratio_bp, s.min_count, s.max_count));
  }

  // Same inputs in another order: the same Population, byte for byte.
  std::shuffle(es.begin(), es.end(), rng);
  std::shuffle(h.begin(), h.end(), rng);
  std::reverse(plan.exclusions.explicit_entities.begin(), plan.exclusions.explicit_entities.end());
  EXPECT_EQ(Apply(plan, es, h, &cls), p);
}

}  // namespace
}  // namespace suiji::rules
