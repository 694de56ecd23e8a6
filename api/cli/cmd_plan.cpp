// suiji plan validate FILE: parse and validate a sampling plan; print its summary and digest, or every
// error as FILE:LINE: field: reason (exit 1). Regions are checked against data/reference/regions.csv.
#include <iostream>
#include <memory>

#include "api/cli/command.h"
#include "core/region.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"

namespace {

struct PlanOptions {
  std::string file;
  bool json = false;
};

void Validate(const PlanOptions& o) {
  using namespace suiji;
  auto regions = RegionTable::LoadDefault();
  rules::PlanCheck check;
  if (regions.ok())
    check.regions = &regions.value();
  else
    std::cerr << "suiji: warning: " << regions.error().message << "; region codes get a shape check only\n";
  rules::PlanParse parsed = rules::LoadPlanFile(o.file, check);
  if (!parsed.ok()) {
    for (const auto& e : parsed.errors) std::cerr << e.ToString() << "\n";
    std::cerr << parsed.errors.size() << (parsed.errors.size() == 1 ? " error" : " errors") << " in " << o.file << "\n";
    throw cli::CliExit{1};
  }
  if (o.json)
    std::cout << CanonicalJson(rules::PlanToJson(parsed.plan)) << "\n";
  else
    std::cout << rules::DescribePlan(parsed.plan);
}

}  // namespace

SUIJI_COMMAND(30) {
  auto* plan = app.add_subcommand("plan", "sampling plans (抽查计划)");
  plan->require_subcommand(1);
  auto opts = std::make_shared<PlanOptions>();
  auto* validate = plan->add_subcommand("validate", "check a plan file; print its summary and digest or every error");
  validate->add_option("FILE", opts->file, "plan file (YAML)")->required();
  validate->add_flag("--json", opts->json, "print the plan's canonical JSON (what the digest is computed over)");
  validate->callback([opts] { Validate(*opts); });
}
