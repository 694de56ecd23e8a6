// ApplyPlan. Scale: the in-scope entities are sorted once; the inspection history is joined to them
// by binary search, so a register of 10^6 entities costs a sort, not a quadratic scan.
#include "rules/plan_apply.h"

#include <algorithm>
#include <string_view>
#include <tuple>

#include "core/region.h"

namespace suiji::rules {
namespace {

bool Has(const std::vector<std::string>& v, std::string_view x) {
  for (const auto& s : v)
    if (s == x) return true;
  return false;
}

bool Matches(const PopulationFilter& f, const Entity& e) {
  if (!f.regions.empty() &&
      std::none_of(f.regions.begin(), f.regions.end(), [&](const std::string& r) { return RegionTable::Covers(r, e.region); }))
    return false;
  if (!f.industries.empty() && std::none_of(f.industries.begin(), f.industries.end(), [&](const std::string& p) {
        return e.industry.compare(0, p.size(), p) == 0;
      }))
    return false;
  if (!f.entity_types.empty() && !Has(f.entity_types, e.entity_type)) return false;
  if (!f.statuses.empty() && !Has(f.statuses, e.status)) return false;
  if (!f.special_registers.empty() && std::none_of(e.special_registers.begin(), e.special_registers.end(),
                                                   [&](const std::string& r) { return Has(f.special_registers, r); }))
    return false;
  return true;
}

struct Recent {
  Date date{};
  std::string_view department;
  bool found = false;
};

struct Counted {
  std::size_t index;
  Date date;
  std::string_view department;
};

}  // namespace

Result<Population> ApplyPlan(const Plan& plan, const RegisterView& reg, Date as_of) {
  // 1. Filter, then sort by id so that everything after is independent of input order.
  // The id is held beside the pointer so that comparisons touch one heap block, not two.
  struct InScope {
    std::string_view id;
    const Entity* entity;
  };
  std::vector<InScope> scope;
  for (const Entity& e : reg.entities) {
    if (e.id.value.empty()) return Error{"apply.empty_id", "an entity of the register has an empty id", "id"};
    if (Matches(plan.filter, e)) scope.push_back(InScope{e.id.value, &e});
  }
  std::sort(scope.begin(), scope.end(), [](const InScope& a, const InScope& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < scope.size(); ++i)
    if (scope[i].id == scope[i - 1].id)
      return Error{"apply.duplicate_entity", "entity " + std::string(scope[i].id) + " appears twice in the register", "id"};
  auto find = [&](std::string_view id) -> std::ptrdiff_t {
    auto it = std::lower_bound(scope.begin(), scope.end(), id, [](const InScope& e, std::string_view v) { return e.id < v; });
    return it != scope.end() && it->id == id ? it - scope.begin() : -1;
  };

  // 2. Join the history to the scope.
  const auto& rules = plan.exclusions;
  std::vector<Recent> recent(rules.recently_inspected ? scope.size() : 0);
  std::vector<Counted> counted;
  const Date year_start = DateFromYmd(plan.year, 1, 1), next_year = DateFromYmd(plan.year + 1, 1, 1);
  for (const InspectionRecord& h : reg.history) {
    if (h.date > as_of) continue;
    bool is_recent = rules.recently_inspected && as_of - h.date <= rules.recently_inspected->days &&
                     Has(rules.recently_inspected->departments, h.department);
    bool in_year = rules.annual_cap && h.date >= year_start && h.date < next_year &&
                   (rules.annual_cap->departments.empty() || Has(rules.annual_cap->departments, h.department));
    if (!is_recent && !in_year) continue;
    std::ptrdiff_t i = find(h.entity_id);
    if (i < 0) continue;
    if (is_recent) {
      Recent& r = recent[i];
      // The latest inspection explains the exclusion; equal dates fall back to department order.
      if (!r.found || h.date > r.date || (h.date == r.date && h.department < r.department))
        r = Recent{h.date, h.department, true};
    }
    if (in_year) counted.push_back(Counted{static_cast<std::size_t>(i), h.date, h.department});
  }
  std::sort(counted.begin(), counted.end(), [](const Counted& a, const Counted& b) {
    return std::tie(a.index, a.date, a.department) < std::tie(b.index, b.date, b.department);
  });

  std::vector<ExplicitExclusion> named = rules.explicit_entities;  // a hand-built Plan may be unsorted
  std::sort(named.begin(), named.end(), [](const auto& a, const auto& b) { return a.entity_id < b.entity_id; });

  // 3. Strata of the plan, by name.
  bool stratify = !(plan.strata.size() == 1 && plan.strata[0].name == kStratumAll);
  auto stratum_of = [&](std::string_view name) -> std::ptrdiff_t {
    for (std::size_t i = 0; i < plan.strata.size(); ++i)
      if (plan.strata[i].name == name) return static_cast<std::ptrdiff_t>(i);
    return -1;
  };
  const std::ptrdiff_t by_class[5] = {stratum_of("A"), stratum_of("B"), stratum_of("C"), stratum_of("D"),
                                      stratum_of(kStratumUnclassified)};

  Population pop;
  for (const auto& s : plan.strata) pop.strata.push_back(Stratum{s.name, s.ratio_bp, s.min_count, s.max_count, {}, 0});
  std::size_t ci = 0;  // cursor into counted
  for (std::size_t i = 0; i < scope.size(); ++i) {
    const Entity& e = *scope[i].entity;
    const std::string& id = e.id.value;
    std::size_t before = pop.exclusions.size();
    // Rules in byte order of their names, so exclusions come out sorted by (entity_id, rule).
    while (ci < counted.size() && counted[ci].index < i) ++ci;
    std::size_t cj = ci;
    while (cj < counted.size() && counted[cj].index == i) ++cj;
    if (rules.annual_cap && cj - ci >= static_cast<std::size_t>(rules.annual_cap->max)) {
      std::string list;
      for (std::size_t k = ci; k < cj && k < ci + 5; ++k)
        list += (list.empty() ? "" : "; ") + std::string(counted[k].department) + " on " + FormatDate(counted[k].date);
      if (cj - ci > 5) list += "; ...";
      pop.exclusions.push_back(Exclusion{id, "annual_cap",
                                         "inspected " + std::to_string(cj - ci) + " times in " + std::to_string(plan.year) +
                                             " (" + list + "); the plan allows at most " +
                                             std::to_string(rules.annual_cap->max) + " a year"});
    }
    ci = cj;
    if (rules.deregistered && (e.status == "deregistered" || e.status == "revoked"))
      pop.exclusions.push_back(Exclusion{id, "deregistered",
                                         e.status == "revoked" ? "business licence revoked (吊销)" : "deregistered (注销)"});
    auto ex = std::lower_bound(named.begin(), named.end(), id, [](const auto& n, const std::string& v) { return n.entity_id < v; });
    if (ex != named.end() && ex->entity_id == id) pop.exclusions.push_back(Exclusion{id, "explicit", ex->reason});
    if (!recent.empty() && recent[i].found) {
      const Recent& r = recent[i];
      pop.exclusions.push_back(Exclusion{
          id, "recently_inspected",
          "inspected by " + std::string(r.department) + " on " + FormatDate(r.date) + ", " + std::to_string(as_of - r.date) +
              " days before " + FormatDate(as_of) + " (plan excludes " + std::to_string(rules.recently_inspected->days) +
              " days)"});
    }
    if (pop.exclusions.size() != before) continue;

    std::ptrdiff_t s = 0;
    if (stratify) {
      std::string_view cls;
      if (reg.credit_classes) {
        auto it = reg.credit_classes->find(id);
        if (it != reg.credit_classes->end()) cls = it->second;
      }
      if (cls.empty()) {
        s = by_class[4];
      } else if (cls.size() == 1 && cls[0] >= 'A' && cls[0] <= 'D') {
        s = by_class[cls[0] - 'A'];
      } else {
        return Error{"apply.credit_class", "entity " + id + " has credit class '" + std::string(cls) + "', not A, B, C or D",
                     "credit_class"};
      }
      if (s < 0)
        return Error{"apply.no_stratum",
                     "plan " + plan.id + " has no stratum for class " + (cls.empty() ? std::string(kStratumUnclassified) : std::string(cls)),
                     "strata"};
    }
    pop.strata[s].entity_ids.push_back(id);  // already in byte order
  }
  for (auto& s : pop.strata)
    s.quota = Quota(static_cast<std::int64_t>(s.entity_ids.size()), s.ratio_bp, s.min_count, s.max_count);
  return pop;
}

}  // namespace suiji::rules
