// suiji org-units show UNIT: one org unit with its path up to the root and the units directly below
// it, each with its name, level, region (and the region's name) and department.
//   510104-SAMR  成都市锦江区市场监督管理局
//   path      510000-SAMR > 510100-SAMR > 510104-SAMR
//     510000-SAMR  四川省市场监督管理局  province  510000 四川省  SAMR
//     ...
//   children  2
//     510104-SAMR-CSL  ...  station  510104 锦江区  SAMR
// An unknown unit is an error (exit 1) that says how many units the table holds.
#include <iostream>
#include <memory>

#include "api/app/org_units.h"
#include "api/cli/support.h"
#include "core/region.h"

namespace {

using namespace suiji;

// One unit on one line: code, name, level, region with its name when the table knows it, department.
std::string UnitLine(const OrgUnit& u, const RegionTable* regions) {
  std::string line = u.code + "  " + u.name + "  " + u.level + "  " + (u.region.empty() ? "-" : u.region);
  if (regions)
    if (const std::string* name = regions->Name(u.region)) line += " " + *name;
  if (!u.department.empty()) line += "  " + u.department;
  return line;
}

void Show(const cli::Globals& g, const std::string& code) {
  const std::string cmd = "org-units show";
  auto db = cli::OpenDb(g, cmd);
  auto found = app::ShowOrgUnit(*db, code);
  if (!found) cli::Fail(cmd, found.error().message);
  const app::OrgUnitView& view = found.value();
  auto regions = RegionTable::LoadDefault();  // region names only: without the table, codes alone
  const RegionTable* names = regions.ok() ? &regions.value() : nullptr;
  std::cout << view.unit().code << "  " << view.unit().name << "\n";
  std::string path;
  for (const auto& u : view.path) path += (path.empty() ? "" : " > ") + u.code;
  std::cout << "path      " << path << "\n";
  for (const auto& u : view.path) std::cout << "  " << UnitLine(u, names) << "\n";
  std::cout << "children  " << view.children.size() << "\n";
  for (const auto& u : view.children) std::cout << "  " << UnitLine(u, names) << "\n";
}

}  // namespace

SUIJI_COMMAND(22) {
  auto* units = app.add_subcommand("org-units", "the org-unit hierarchy (组织机构): show a unit, its path and children");
  units->require_subcommand(1);
  auto code = std::make_shared<std::string>();
  auto* show = units->add_subcommand("show", "a unit, its path up to the root and its direct children");
  show->add_option("UNIT", *code, "unit code, e.g. 510104-SAMR")->required();
  show->callback([&globals, code] { Show(globals, *code); });
}
