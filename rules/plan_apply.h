// ApplyPlan: from a Plan and a view of the register to the Population the sampler draws from.
//
// Steps, all deterministic and independent of the order of the inputs:
//  1. filter: keep the entities matching plan.filter (entities outside it are simply not in scope
//     and are not listed as exclusions);
//  2. exclusions: every in-scope entity that a rule excludes is recorded once per rule that applies,
//     with a reason a member of the public can read (rules: "deregistered", "explicit",
//     "recently_inspected", "annual_cap"); explicit exclusions naming entities not in scope are ignored;
//  3. strata: each remaining entity goes to the stratum of its credit class as of the draw
//     (no class -> "unclassified"; a plan with an "all" stratum does not stratify);
//  4. ids sorted in byte order, quota per stratum by rules::Quota.
// Inspections dated after as_of are ignored. Cost: O(E log E + H) for E entities, H inspections.
#pragma once
#include <span>
#include <string>
#include <unordered_map>

#include "core/date.h"
#include "core/domain.h"
#include "core/result.h"
#include "rules/plan.h"
#include "rules/population.h"

namespace suiji::rules {

// One past inspection (from the result register).
struct InspectionRecord {
  std::string entity_id;
  std::string department;  // e.g. "SAMR"
  Date date;
  bool operator==(const InspectionRecord&) const = default;
};

// The register as ApplyPlan sees it. Spans and the map are borrowed for the call only.
struct RegisterView {
  std::span<const Entity> entities;
  // entity id -> "A" | "B" | "C" | "D" as of the draw; a missing id has no class.
  const std::unordered_map<std::string, std::string>* credit_classes = nullptr;
  std::span<const InspectionRecord> history;
};

// Errors: "apply.duplicate_entity" (an id twice in the register), "apply.empty_id",
// "apply.credit_class" (a class other than A-D), "apply.no_stratum" (the plan lacks a stratum an
// entity needs; cannot happen for a plan that passed ParsePlan).
Result<Population> ApplyPlan(const Plan& plan, const RegisterView& reg, Date as_of);

}  // namespace suiji::rules
