#include "api/app/org_units.h"

#include <unordered_set>

#include "data/store/org_unit_store.h"

namespace suiji::app {
namespace {

Error Unknown(const std::string& code, const std::string& what, std::int64_t units) {
  return Error{"org_unit.unknown",
               what + "org unit '" + code + "' is not in the org-unit table (" + std::to_string(units) +
                   " units; see `suiji export org-units`, or import it with `suiji import org-units`)",
               "org_unit"};
}

}  // namespace

Result<OrgUnitView> ShowOrgUnit(store::Database& db, const std::string& code) {
  store::OrgUnitStore units(db);
  OrgUnitView view;
  std::unordered_set<std::string> seen;
  // Walk up the parents; the importer never stores a cycle, but a loop must not hang the command.
  for (std::string next = code; !next.empty();) {
    if (!seen.insert(next).second)
      return Error{"org_unit.cycle", "org unit " + code + ": the parents of the stored units loop at " + next, "parent"};
    auto u = units.Get(next);
    if (!u) return u.error();
    if (!u.value()) {
      auto n = units.Count();
      if (!n) return n.error();
      if (next == code) return Unknown(code, "", n.value());
      return Error{"org_unit.parent_unknown", "org unit " + view.path.front().code + ": parent " + next + " is not stored",
                   "parent"};
    }
    next = u.value()->parent;
    view.path.insert(view.path.begin(), std::move(*u.value()));
  }
  auto children = units.Children(code);
  if (!children) return children.error();
  view.children = std::move(children).value();
  return view;
}

Status CheckOrgUnitKnown(store::Database& db, const std::string& code, const std::string& what) {
  store::OrgUnitStore units(db);
  auto n = units.Count();
  if (!n) return n.error();
  if (n.value() == 0 || code.empty()) return OkStatus();
  auto u = units.Get(code);
  if (!u) return u.error();
  if (!u.value()) return Unknown(code, what.empty() ? "" : what + ": ", n.value());
  return OkStatus();
}

}  // namespace suiji::app
