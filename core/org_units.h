// OrgUnits: the hierarchy of regulator units (组织机构 / 执法单位). A unit sees its own data and that
// of every unit below it, never that of a unit above or beside it.
//
// Levels, top down: national (国家) > province (省级) > city (市级) > county (县级) > station (所:
// 市场监管所 below a county). A unit's level is strictly below its parent's (a level may be skipped:
// a county directly under a province, as 省直管县 are). A unit's region lies within its parent's
// region (county 510104 within city 510100 within province 510000; a station under a county shares
// its region); a national unit's region is 100000 or empty, and covers every region.
#pragma once
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/domain.h"
#include "core/result.h"

namespace suiji {

// 0 national ... 4 station; -1 for a word that is not a level.
int OrgLevelRank(std::string_view level);

// The region code of the whole country, for a national unit.
inline constexpr std::string_view kNationalRegion = "100000";

// One thing wrong with a set of org units. `unit` and `other` index the vector given to Check.
struct OrgUnitProblem {
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::size_t unit = 0;      // the unit the problem is about
  std::size_t other = kNone;  // the unit it conflicts with: its parent, the first root, the first of its code
  // org_unit.code, org_unit.level, org_unit.duplicate, org_unit.two_roots, org_unit.parent_unknown,
  // org_unit.cycle, org_unit.level_order, org_unit.region_outside_parent, org_unit.region_national
  std::string code;
  std::string field;         // code | level | parent | region
  std::string message;       // names the unit (and the other one)
};

class OrgUnits {
 public:
  // Every problem of the set as a tree, in unit order: empty code, unknown level, a code given twice,
  // more than one root (every root after the first), an unknown parent, a cycle (each unit on it),
  // a level not strictly below the parent's, a region outside the parent's, a national unit whose
  // region is not 100000 or empty. Callers that load stored units first and new ones after get the
  // problems blamed on the new ones where it matters (the second root, the second of a code).
  static std::vector<OrgUnitProblem> Check(const std::vector<OrgUnit>& units);
  // A valid tree, or the first of Check's problems as an error.
  static Result<OrgUnits> Build(std::vector<OrgUnit> units);
  const OrgUnit* Find(const std::string& code) const;
  // True when `viewer` is `target` or an ancestor of it.
  bool Sees(const std::string& viewer, const std::string& target) const;
  std::vector<std::string> Descendants(const std::string& code) const;  // including code itself
  const std::vector<OrgUnit>& all() const { return units_; }

 private:
  std::vector<OrgUnit> units_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace suiji
