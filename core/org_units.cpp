#include "core/org_units.h"

#include <algorithm>

#include "core/region.h"

namespace suiji {
namespace {

using Index = std::unordered_map<std::string, std::size_t>;
constexpr std::size_t kNone = OrgUnitProblem::kNone;

std::string Named(const OrgUnit& u) { return u.code + " (" + u.level + ")"; }

// The index of u's parent, kNone for a root or an unknown parent.
std::size_t ParentOf(const std::vector<OrgUnit>& units, const Index& index, std::size_t u) {
  if (units[u].parent.empty()) return kNone;
  auto it = index.find(units[u].parent);
  return it == index.end() ? kNone : it->second;
}

// Each unit on its own: a code, a known level, a code not seen before. The first unit of each code
// goes into the index, so a later one is the duplicate (stored units come first).
void CheckEachUnit(const std::vector<OrgUnit>& units, Index& index, std::vector<OrgUnitProblem>& out) {
  for (std::size_t i = 0; i < units.size(); ++i) {
    const OrgUnit& u = units[i];
    if (u.code.empty()) {
      out.push_back({i, kNone, "org_unit.code", "code", "an org unit has an empty code"});
      continue;
    }
    if (OrgLevelRank(u.level) < 0)
      out.push_back({i, kNone, "org_unit.level", "level",
                     "org unit " + u.code + ": level '" + u.level +
                         "' is not one of national, province, city, county, station"});
    if (u.level == "national" && !u.region.empty() && u.region != kNationalRegion)
      out.push_back({i, kNone, "org_unit.region_national", "region",
                     "org unit " + u.code + " is national: its region is " + std::string(kNationalRegion) +
                         " or empty, not " + u.region});
    auto [it, fresh] = index.emplace(u.code, i);
    if (!fresh)
      out.push_back({i, it->second, "org_unit.duplicate", "code", "org unit " + u.code + " appears twice"});
  }
}

// One tree has one root: every unit without a parent after the first is refused, so a file that adds
// a second root beside the stored one is blamed, not the stored root.
void CheckRoots(const std::vector<OrgUnit>& units, const Index& index, std::vector<OrgUnitProblem>& out) {
  std::size_t first = kNone;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const OrgUnit& u = units[i];
    if (u.code.empty() || !u.parent.empty() || index.at(u.code) != i) continue;
    if (first == kNone) {
      first = i;
      continue;
    }
    out.push_back({i, first, "org_unit.two_roots", "parent",
                   "org unit " + u.code + " has no parent, but " + units[first].code +
                       " is already the root; there is one root: give " + u.code + " its parent"});
  }
}

// Marks every unit that lies on a cycle of parent links (a unit that is its own parent included):
// each walk up the parents stops at a root, an unknown parent, a unit already finished, or a unit
// on the walk itself, which closes a cycle.
std::vector<bool> OnCycle(const std::vector<OrgUnit>& units, const Index& index) {
  enum : char { kNew, kWalking, kDone };
  std::vector<char> state(units.size(), kNew);
  std::vector<bool> cycle(units.size(), false);
  std::vector<std::size_t> walk;
  for (std::size_t start = 0; start < units.size(); ++start) {
    walk.clear();
    for (std::size_t u = start; u != kNone && state[u] != kDone; u = ParentOf(units, index, u)) {
      if (state[u] == kWalking) {
        for (auto it = std::find(walk.begin(), walk.end(), u); it != walk.end(); ++it) cycle[*it] = true;
        break;
      }
      state[u] = kWalking;
      walk.push_back(u);
    }
    for (std::size_t w : walk) state[w] = kDone;
  }
  return cycle;
}

// "a > b > c > a": the cycle through u, for a message that lets the user see where to cut it.
std::string CyclePath(const std::vector<OrgUnit>& units, const Index& index, std::size_t u) {
  std::string path = units[u].code;
  for (std::size_t p = ParentOf(units, index, u); p != kNone; p = ParentOf(units, index, p)) {
    path += " > " + units[p].code;
    if (p == u || path.size() > 2000) break;
  }
  return path;
}

// A region covers another when it is the whole country or contains it (core/region.h).
bool RegionCovers(const std::string& outer, const std::string& inner) {
  return outer == kNationalRegion || RegionTable::Covers(outer, inner);
}

// Each unit against its parent: known, not on a cycle, a lower level, a region inside the parent's.
void CheckParents(const std::vector<OrgUnit>& units, const Index& index, std::vector<OrgUnitProblem>& out) {
  const std::vector<bool> cycle = OnCycle(units, index);
  for (std::size_t i = 0; i < units.size(); ++i) {
    const OrgUnit& u = units[i];
    if (u.code.empty() || u.parent.empty()) continue;
    std::size_t pi = ParentOf(units, index, i);
    if (pi == kNone) {
      out.push_back({i, kNone, "org_unit.parent_unknown", "parent",
                     "org unit " + u.code + ": parent " + u.parent + " is not a known org unit"});
      continue;
    }
    if (cycle[i]) {
      out.push_back({i, pi, "org_unit.cycle", "parent",
                     "org unit " + u.code + " is its own ancestor: " + CyclePath(units, index, i)});
      continue;
    }
    const OrgUnit& p = units[pi];
    int rank = OrgLevelRank(u.level), parent_rank = OrgLevelRank(p.level);
    if (rank >= 0 && parent_rank >= 0 && rank <= parent_rank)
      out.push_back({i, pi, "org_unit.level_order", "level",
                     "org unit " + Named(u) + " cannot sit under " + Named(p) +
                         ": a unit's level is below its parent's (national > province > city > county > station)"});
    if (p.level != "national" && !p.region.empty() && !u.region.empty() && !RegionCovers(p.region, u.region))
      out.push_back({i, pi, "org_unit.region_outside_parent", "region",
                     "org unit " + u.code + ": region " + u.region + " lies outside the region " + p.region +
                         " of its parent " + p.code});
  }
}

}  // namespace

int OrgLevelRank(std::string_view level) {
  static constexpr std::string_view kLevels[] = {"national", "province", "city", "county", "station"};
  for (int i = 0; i < 5; ++i)
    if (level == kLevels[i]) return i;
  return -1;
}

std::vector<OrgUnitProblem> OrgUnits::Check(const std::vector<OrgUnit>& units) {
  std::vector<OrgUnitProblem> out;
  Index index;
  CheckEachUnit(units, index, out);
  CheckRoots(units, index, out);
  CheckParents(units, index, out);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.unit < b.unit; });
  return out;
}

Result<OrgUnits> OrgUnits::Build(std::vector<OrgUnit> units) {
  auto problems = Check(units);
  if (!problems.empty()) return Error{problems.front().code, problems.front().message, problems.front().field};
  OrgUnits o;
  o.units_ = std::move(units);
  for (std::size_t i = 0; i < o.units_.size(); ++i) o.index_.emplace(o.units_[i].code, i);
  return o;
}

const OrgUnit* OrgUnits::Find(const std::string& code) const {
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : &units_[it->second];
}

bool OrgUnits::Sees(const std::string& viewer, const std::string& target) const {
  for (const OrgUnit* u = Find(target); u; u = u->parent.empty() ? nullptr : Find(u->parent))
    if (u->code == viewer) return true;
  return false;
}

std::vector<std::string> OrgUnits::Descendants(const std::string& code) const {
  std::vector<std::string> out;
  for (const auto& u : units_)
    if (Sees(code, u.code)) out.push_back(u.code);
  return out;
}

}  // namespace suiji
