// Plan: a sampling plan (抽查工作计划) as parsed and validated from a YAML file (rules/plan_parse.h).
//
// A Plan says who inspects (departments and how many officers each sends to a team), what they
// inspect (item codes from the inspection-item list), whom (the population filter), how many
// (strata by credit-risk class with ratios), whom not (exclusions), when (the schedule) and which
// public entropy the reveal will use. It is a plain value: every list is normalised (sorted where
// order carries no meaning, defaults filled in), so two files that mean the same plan produce equal
// Plans, the same canonical JSON (rules/plan_json.h) and the same digest.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace suiji::rules {

// The stratum names a plan may use. Either exactly one "all" stratum (no stratification) or one
// stratum for each of A, B, C, D and "unclassified" (entities with no credit class as of the draw).
inline constexpr const char* kStratumAll = "all";
inline constexpr const char* kStratumUnclassified = "unclassified";

struct PlanDepartment {
  std::string code;      // e.g. "SAMR", "MEE", "TAX": [A-Z][A-Z0-9_]*, matches Officer::department
  std::string name;      // display name, may be empty
  int officers = 0;      // officers this department sends to each team (>= 1)
  bool operator==(const PlanDepartment&) const = default;
};

// Which entities of the register the plan draws from. An empty list does not restrict.
struct PopulationFilter {
  std::vector<std::string> regions;            // GB/T 2260; a province/city code covers its counties
  std::vector<std::string> industries;         // GB/T 4754 prefixes: "F52" matches "F5223"
  std::vector<std::string> entity_types;       // Entity::entity_type values
  std::vector<std::string> statuses;           // Entity::status values
  std::vector<std::string> special_registers;  // an entity matches if it is on ANY of them
  bool operator==(const PopulationFilter&) const = default;
};

struct StratumRule {
  std::string name;  // "A" | "B" | "C" | "D" | "unclassified" | "all"
  std::int64_t ratio_bp = 0;  // basis points, 0..10000
  std::optional<std::int64_t> min_count, max_count;
  bool operator==(const StratumRule&) const = default;
};

// Not inspected again within `days` days by any of `departments`.
struct RecentInspectionRule {
  int days = 0;
  std::vector<std::string> departments;  // sorted; defaults to the plan's departments
  bool operator==(const RecentInspectionRule&) const = default;
};

// At most `max` inspections in the plan's year; `departments` empty = counted across every department.
struct AnnualCapRule {
  int max = 0;
  std::vector<std::string> departments;  // sorted
  bool operator==(const AnnualCapRule&) const = default;
};

struct ExplicitExclusion {
  std::string entity_id;  // normalised (core NormalizeId)
  std::string reason;
  bool operator==(const ExplicitExclusion&) const = default;
};

struct PlanExclusions {
  std::optional<RecentInspectionRule> recently_inspected;
  std::optional<AnnualCapRule> annual_cap;
  bool deregistered = true;                       // exclude status deregistered or revoked
  std::vector<ExplicitExclusion> explicit_entities;  // sorted by entity_id, unique
  bool operator==(const PlanExclusions&) const = default;
};

struct PlanSchedule {
  Date start, end;  // inclusive; end >= start
  bool operator==(const PlanSchedule&) const = default;
};

// The public randomness the reveal uses; the sampler commits to it before it exists.
struct EntropySource {
  std::string source;        // "dice" | "beacon"
  int digits = 0;            // dice: how many decimal digits are rolled
  std::string beacon;        // beacon: its name, e.g. "drand-quicknet"
  std::int64_t round = 0;    // beacon: the future round whose output is used
  bool operator==(const EntropySource&) const = default;
};

struct Plan {
  int version = 1;                          // plan file format version
  std::string id;                           // [A-Za-z0-9._-]{1,64}
  std::string title;
  std::string org_unit;                     // OrgUnit code of the planning unit
  int year = 0;
  std::vector<PlanDepartment> departments;  // in file order; the first leads a joint plan
  std::vector<std::string> items;           // inspection-item codes, sorted, unique
  PopulationFilter filter;                  // every list sorted, unique
  std::vector<StratumRule> strata;          // in canonical order: A, B, C, D, unclassified (or all)
  PlanExclusions exclusions;
  std::optional<int> max_entities_per_officer;  // per-officer workload cap; none = uncapped
  PlanSchedule schedule;
  EntropySource entropy;
  bool operator==(const Plan&) const = default;

  int TeamSize() const {
    int n = 0;
    for (const auto& d : departments) n += d.officers;
    return n;
  }
};

}  // namespace suiji::rules
