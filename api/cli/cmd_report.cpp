// suiji report plan PLAN_ID | period --from D --to D | audit --from D --to D
//     [--out DIR] [--format html,xlsx,csv,json] [--lang zh|en] [--regulator]
// Writes the report (api/app/reports.h, reports/builders.h) in each format into DIR (default: .), named
// <kind>-<id or from_to>[-regulator].<ext>, and prints each file with its size and SHA-256. The public
// copy is the default; --regulator adds credit classes and officers' certificate numbers (an audit
// report is always a regulator copy: it checks what the public cannot see).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "api/app/reports.h"
#include "api/cli/support.h"
#include "core/sha256.h"
#include "reports/builders.h"

namespace {

struct ReportArgs {
  std::string plan_id, from, to, out = ".", formats = "html,xlsx", lang = "zh";
  bool regulator = false;
  unsigned threads = 1;
};

void AddOutputOptions(CLI::App* c, const std::shared_ptr<ReportArgs>& a) {
  c->add_option("--out", a->out, "directory to write into (created if needed)");
  c->add_option("--format", a->formats, "comma-separated: html, xlsx, csv, json")->capture_default_str();
  c->add_option("--lang", a->lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  c->add_option("--threads", a->threads, "threads for recomputing draws");
}

void Write(const std::string& cmd, const suiji::reports::Report& report, const ReportArgs& a, const std::string& stem) {
  using namespace suiji;
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) cli::Fail(cmd, "cannot create " + a.out + ": " + ec.message());
  std::stringstream list(a.formats);
  std::string format;
  while (std::getline(list, format, ',')) {
    auto r = cli::Must(cmd, app::Render(report, format, a.lang == "en" ? reports::Lang::kEn : reports::Lang::kZh));
    const auto path = std::filesystem::path(a.out) / (stem + (a.lang == "en" ? ".en." : ".") + r.extension);
    const auto tmp = path.string() + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f.write(r.bytes.data(), static_cast<std::streamsize>(r.bytes.size()));
      if (!f) cli::Fail(cmd, "cannot write " + tmp);
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) cli::Fail(cmd, "cannot write " + path.string() + ": " + ec.message());
    std::cout << path.string() << "  " << r.bytes.size() << " bytes  sha256 " << Sha256Hex(r.bytes) << "\n";
  }
}

}  // namespace

SUIJI_COMMAND(66) {
  auto* rep = app.add_subcommand("report", "reports: a plan, a period, the third-party audit (HTML with charts, XLSX, CSV, JSON)");
  rep->require_subcommand(1);
  auto a = std::make_shared<ReportArgs>();

  auto* plan = rep->add_subcommand("plan", "one plan: its draw and how to check it, inspections, results, timeliness, objections, estimate");
  plan->add_option("plan_id", a->plan_id, "the plan id")->required();
  plan->add_flag("--regulator", a->regulator, "the regulator copy (credit classes, certificate numbers)");
  AddOutputOptions(plan, a);
  plan->callback([&globals, a] {
    using namespace suiji;
    const std::string cmd = "report plan";
    auto db = cli::OpenDb(globals, cmd);
    auto regions = cli::Must(cmd, RegionTable::LoadDefault());
    app::ReportScope scope;
    scope.plan_id = a->plan_id;
    scope.regulator = a->regulator;
    auto facts = cli::Must(cmd, app::GatherFacts(*db, regions, scope, a->threads));
    Write(cmd, reports::PlanReport(facts, a->plan_id), *a, "plan-" + a->plan_id + (a->regulator ? "-regulator" : ""));
  });

  auto* period = rep->add_subcommand("period", "every draw revealed in a period: statistics by department, region, industry, month; estimates");
  period->add_option("--from", a->from, "first day, YYYY-MM-DD")->required();
  period->add_option("--to", a->to, "last day, YYYY-MM-DD")->required();
  period->add_flag("--regulator", a->regulator, "the regulator copy (by credit class, entities near the annual cap)");
  AddOutputOptions(period, a);
  period->callback([&globals, a] {
    using namespace suiji;
    const std::string cmd = "report period";
    auto db = cli::OpenDb(globals, cmd);
    auto regions = cli::Must(cmd, RegionTable::LoadDefault());
    app::ReportScope scope;
    scope.from = a->from;
    scope.to = a->to;
    scope.regulator = a->regulator;
    auto facts = cli::Must(cmd, app::GatherFacts(*db, regions, scope, a->threads));
    Write(cmd, reports::PeriodReport(facts), *a, "period-" + a->from + "_" + a->to + (a->regulator ? "-regulator" : ""));
  });

  auto* audit = rep->add_subcommand("audit", "the third-party evaluation of a period: every draw re-verified, the chain checked, every exception listed");
  audit->add_option("--from", a->from, "first day, YYYY-MM-DD")->required();
  audit->add_option("--to", a->to, "last day, YYYY-MM-DD")->required();
  AddOutputOptions(audit, a);
  audit->callback([&globals, a] {
    using namespace suiji;
    const std::string cmd = "report audit";
    auto db = cli::OpenDb(globals, cmd);
    auto regions = cli::Must(cmd, RegionTable::LoadDefault());
    auto facts = cli::Must(cmd, app::GatherAudit(*db, regions, a->from, a->to, a->threads));
    Write(cmd, reports::AuditReport(facts), *a, "audit-" + a->from + "_" + a->to);
    const bool ok = facts.chain.ok && std::all_of(facts.checks.begin(), facts.checks.end(), [](const auto& c) { return c.verified; }) &&
                    std::all_of(facts.rows.begin(), facts.rows.end(), [](const auto& r) { return r.ok; });
    std::cout << (ok ? "audit OK" : "audit FOUND PROBLEMS") << ": " << facts.checks.size() << " draws re-verified, chain "
              << (facts.chain.ok ? "OK" : "BROKEN") << " (" << facts.chain.events << " events)\n";
    if (!ok) throw cli::CliExit{1};
  });
}
