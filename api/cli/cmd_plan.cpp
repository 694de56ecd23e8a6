// suiji plan validate FILE: parse and validate a sampling plan; print its summary and digest, or every
// error as FILE:LINE: field: reason (exit 1). Regions are checked against data/reference/regions.csv.
// suiji plan store FILE: the same check plus the stored items and org units, then a new stored version
//   ("plan P stored as version N" or "plan P unchanged (version N)").
// suiji plan list: the latest version of every stored plan.  suiji plan show ID [--version N]: its YAML.
#include <iostream>
#include <memory>

#include "api/app/plans.h"
#include "api/cli/support.h"
#include "core/region.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"

namespace {

struct PlanOptions {
  std::string file;
  bool json = false;
  std::string actor = "cli";
  std::int64_t version = 0;
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

void Store(const suiji::cli::Globals& g, const PlanOptions& o) {
  using namespace suiji;
  const std::string cmd = "plan store";
  auto db = cli::OpenDb(g, cmd);
  auto regions = cli::Must(cmd, RegionTable::LoadDefault());
  auto s = cli::Must(cmd, app::StorePlan(*db, regions, cli::ReadFile(cmd, o.file), o.file, o.actor));
  std::cout << "plan " << s.record.plan_id << (s.created ? " stored as version " : " unchanged (version ")
            << s.record.version << (s.created ? "" : ")") << "  org unit " << s.record.org_unit << "  digest "
            << s.record.plan_digest << "\n";
}

void List(const suiji::cli::Globals& g) {
  using namespace suiji;
  auto db = cli::OpenDb(g, "plan list");
  auto plans = cli::Must("plan list", app::ListPlans(*db));
  for (const auto& p : plans)
    std::cout << p.plan_id << "  v" << p.version << "  " << p.org_unit << "  " << p.stored_at << "  "
              << p.plan_digest.substr(0, 16) << "\n";
  std::cout << plans.size() << (plans.size() == 1 ? " plan\n" : " plans\n");
}

void Show(const suiji::cli::Globals& g, const PlanOptions& o) {
  using namespace suiji;
  auto db = cli::OpenDb(g, "plan show");
  auto p = cli::Must("plan show", app::GetPlan(*db, o.file, o.version));
  std::cout << "# plan " << p.plan_id << " version " << p.version << ", stored " << p.stored_at << " by "
            << p.stored_by << ", digest " << p.plan_digest << "\n"
            << p.plan_text;
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
  auto* store = plan->add_subcommand("store", "check a plan against the database and store it as a new version");
  store->add_option("FILE", opts->file, "plan file (YAML)")->required();
  store->add_option("--actor", opts->actor, "who stores it, recorded in the audit log");
  store->callback([&globals, opts] { Store(globals, *opts); });
  plan->add_subcommand("list", "the latest version of every stored plan")->callback([&globals] { List(globals); });
  auto* show = plan->add_subcommand("show", "a stored plan's YAML");
  show->add_option("ID", opts->file, "plan id")->required();
  show->add_option("--version", opts->version, "that version (default the latest)");
  show->callback([&globals, opts] { Show(globals, *opts); });
}
