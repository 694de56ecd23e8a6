// The canonical JSON form of a Plan and its digest, which draws record and commit to.
//
// The JSON uses the same keys as the YAML file with every default filled in and absent optional
// values as null, so it is itself a valid plan file: ParsePlan(CanonicalJson(PlanToJson(p))) == p.
// Digest = SHA-256 hex of CanonicalJson(PlanToJson(plan)); formatting, comments, key order and the
// order of unordered lists in the YAML do not change it.
#pragma once
#include <string>

#include "core/canonical_json.h"
#include "rules/plan.h"

namespace suiji::rules {

Json PlanToJson(const Plan& plan);
std::string PlanDigest(const Plan& plan);  // 64 lowercase hex characters

// A human-readable multi-line summary (what `suiji plan validate` prints), ending in a newline.
std::string DescribePlan(const Plan& plan);

}  // namespace suiji::rules
