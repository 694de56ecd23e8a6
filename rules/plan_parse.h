// Parsing and validating a sampling plan written in YAML (format: docs/plans.md).
//
// Contract: ParsePlan never throws and never stops at the first problem. It returns every error it
// finds, each naming the file, the 1-based line and the field path ("strata[2].ratio_bp"), so a
// planner fixes a file in one pass. The plan is meaningful only when errors is empty.
// Unknown and duplicated keys are errors (a misspelt optional key would otherwise be silently ignored).
//
// What a plan is checked against is passed in (PlanCheck); with nothing passed, region codes get a
// shape check only and item codes are not checked against an item list.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/region.h"
#include "rules/plan.h"

namespace suiji::rules {

struct PlanError {
  std::string file;
  int line = 0;        // 1-based; 0 when the error has no place (e.g. the file cannot be read)
  std::string field;   // path such as "exclusions.recently_inspected.days"; empty for the whole file
  std::string code;    // stable machine-readable code, e.g. "plan.ratio_range"
  std::string message;
  bool operator==(const PlanError&) const = default;
  std::string ToString() const;  // "FILE:LINE: field: message" ("FILE: message" without a line)
};

struct PlanCheck {
  const RegionTable* regions = nullptr;              // filter.regions must be in this table
  const std::vector<InspectionItem>* items = nullptr;  // items must be in this list, of a plan department
};

struct PlanParse {
  Plan plan;                      // best effort when there are errors
  std::vector<PlanError> errors;  // in file order (by line)
  bool ok() const { return errors.empty(); }
};

// `file_name` only labels the errors.
PlanParse ParsePlan(std::string_view yaml, std::string_view file_name, const PlanCheck& check = {});

// Reads `path` and parses it; an unreadable file is one error with line 0.
PlanParse LoadPlanFile(const std::string& path, const PlanCheck& check = {});

}  // namespace suiji::rules
