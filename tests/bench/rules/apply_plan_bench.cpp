// ApplyPlan on a synthetic register: N entities (80% with a credit class), N/4 past inspections,
// a plan with a region/status filter, recent-inspection and annual-cap exclusions and 100 named
// exclusions. Run: build/tests/bench/rules/rules_bench --benchmark_filter=ApplyPlan
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

#include "rules/plan_apply.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"

namespace {

using namespace suiji;
using namespace suiji::rules;

struct Register {
  std::vector<Entity> entities;
  std::unordered_map<std::string, std::string> classes;
  std::vector<InspectionRecord> history;
};

const Register& MakeRegister(std::size_t n) {
  static std::map<std::size_t, Register> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  Register r;
  std::mt19937_64 rng(n);
  const char* regions[] = {"511702", "511703", "511722", "511723", "511724", "511725", "511781", "510104"};
  const char* statuses[] = {"active", "active", "active", "active", "active", "active", "abnormal", "deregistered"};
  const char* classes[] = {"A", "B", "B", "C", "C", "C", "D", ""};
  const char* depts[] = {"SAMR", "SAMR", "MEE", "TAX"};
  r.entities.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Entity e;
    char id[32];
    std::snprintf(id, sizeof id, "9151170%011llu", static_cast<unsigned long long>(rng() % 100000000000ULL));
    e.id = EntityId{id + std::to_string(i), IdKind::kLegacy};  // unique, not in creation order
    e.region = regions[rng() % 8];
    e.status = statuses[rng() % 8];
    e.industry = "H6210";
    e.entity_type = "company";
    if (const char* c = classes[rng() % 8]; *c) r.classes.emplace(e.id.value, c);
    r.entities.push_back(std::move(e));
  }
  const Date as_of = *ParseDate("2026-11-30");
  for (std::size_t i = 0; i < n / 4; ++i)
    r.history.push_back({r.entities[rng() % n].id.value, depts[rng() % 4], as_of + (static_cast<int>(rng() % 700) - 690)});
  return cache.emplace(n, std::move(r)).first->second;
}

Plan MakePlan(const Register& reg) {
  PlanParse p = ParsePlan(R"(id: BENCH
title: bench
org_unit: 511700-SAMR
year: 2026
departments: [{code: SAMR, officers: 2}]
items: [I-1]
filter: {regions: [511700], status: [active, abnormal, deregistered]}
strata:
  - {class: A, ratio: 3%}
  - {class: B, ratio: 10%}
  - {class: C, ratio: 30%, min: 5}
  - {class: D, ratio: 80%}
  - {class: unclassified, ratio: 5%}
exclusions:
  recently_inspected: {days: 180}
  annual_cap: {max: 2}
schedule: {start: 2026-12-01, end: 2026-12-31}
entropy: {source: dice, digits: 12}
)", "bench.yaml");
  for (std::size_t i = 0; i < 100; ++i)
    p.plan.exclusions.explicit_entities.push_back({reg.entities[i * 997 % reg.entities.size()].id.value, "named"});
  std::sort(p.plan.exclusions.explicit_entities.begin(), p.plan.exclusions.explicit_entities.end(),
            [](const auto& a, const auto& b) { return a.entity_id < b.entity_id; });
  return p.plan;
}

void BM_ApplyPlan(benchmark::State& state) {
  const Register& reg = MakeRegister(static_cast<std::size_t>(state.range(0)));
  Plan plan = MakePlan(reg);
  const Date as_of = *ParseDate("2026-11-30");
  std::size_t eligible = 0, excluded = 0;
  for (auto _ : state) {
    auto pop = ApplyPlan(plan, RegisterView{reg.entities, &reg.classes, reg.history}, as_of);
    if (!pop.ok()) state.SkipWithError(pop.error().message.c_str());
    eligible = 0;
    for (const auto& s : pop->strata) eligible += s.entity_ids.size();
    excluded = pop->exclusions.size();
    benchmark::DoNotOptimize(pop);
  }
  state.counters["eligible"] = static_cast<double>(eligible);
  state.counters["exclusions"] = static_cast<double>(excluded);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ApplyPlan)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_ParseAndDigestExamplePlan(benchmark::State& state) {
  const char* yaml = R"(id: X
title: x
org_unit: 511702-SAMR
year: 2026
departments: [{code: SAMR, officers: 2}]
items: [I-1, I-2, I-3]
filter: {regions: [511702], industries: [C13, C14, H62], status: [active]}
strata: [{class: all, ratio: 5%}]
schedule: {start: 2026-10-01, end: 2026-12-31}
entropy: {source: dice, digits: 12}
)";
  for (auto _ : state) {
    PlanParse p = ParsePlan(yaml, "x.yaml");
    benchmark::DoNotOptimize(PlanDigest(p.plan));
  }
}
BENCHMARK(BM_ParseAndDigestExamplePlan)->Unit(benchmark::kMicrosecond);

}  // namespace
