// suiji import results|penalties|lists|external|annual-reports|repairs|complaints FILE
//
// The credit records that refer to register entities (see data/import/record_import.h and
// docs/data-formats.md). Same contract as `suiji import entities`: all or nothing by default (any bad
// row rolls everything back and the full report is printed), --skip-invalid imports the valid rows
// and --rejects writes the others verbatim with their reasons; rows read = valid + rejected; an
// entity id not in the register is an error; every insert or change is an audit event.
#include <fstream>
#include <iostream>
#include <optional>

#include "api/app/credit.h"
#include "api/cli/support.h"
#include "data/import/csv_writer.h"

namespace {

using namespace suiji;
using suiji::cli::Fail;

struct Args {
  std::string file, rejects, encoding = "auto", actor = "cli";
  bool skip_invalid = false;
};


using ImportFn = Result<app::RecordImportOutcome> (*)(store::Database&, const app::RecordImportOptions&);

void Run(const cli::Globals& g, const Args& a, const std::string& kind, ImportFn fn) {
  const std::string cmd = "import " + kind;
  auto db = cli::OpenDb(g, cmd);
  app::RecordImportOptions o;
  o.path = a.file;
  o.encoding = a.encoding;
  o.skip_invalid = a.skip_invalid;
  o.actor = a.actor;
  std::ofstream rejects_file;
  std::optional<import::RejectsWriter> rejects;
  if (!a.rejects.empty()) {
    o.on_header = [&](const std::vector<std::string>& header) {
      rejects_file.open(a.rejects, std::ios::binary | std::ios::trunc);
      if (!rejects_file) Fail(cmd, "cannot write rejects file " + a.rejects);
      rejects.emplace(rejects_file, header);
    };
    o.on_reject = [&](const import::RejectedRow& r) { rejects->Write(r); };
  }
  auto out = fn(*db, o);
  if (!out) Fail(cmd, a.file + ": " + out.error().message);
  const auto& rep = out->report;
  std::cout << a.file << " (" << rep.encoding << (rep.bom ? ", BOM" : "") << "): " << rep.rows_read << " rows read, "
            << rep.rows_valid << " valid, " << rep.rows_rejected << " rejected";
  if (rep.rows_flagged) std::cout << ", " << rep.rows_flagged << " flagged";
  std::cout << "\n";
  for (const auto& [code, n] : rep.warning_counts) std::cout << "  warning " << code << ": " << n << "\n";
  if (!out->committed) {
    std::cerr << "suiji " << cmd << ": nothing imported, " << rep.rows_rejected
              << " rows are invalid (fix them, or use --skip-invalid --rejects FILE):\n";
    cli::PrintRowErrors(rep, std::cerr);
    throw cli::CliExit{1};
  }
  std::cout << kind << ": " << out->counts.inserted << " inserted, " << out->counts.updated << " updated, "
            << out->counts.unchanged << " unchanged\n";
  if (rep.rows_rejected > 0) {
    std::cout << rep.rows_rejected << " rejected rows";
    if (!a.rejects.empty()) std::cout << " written with their reasons to " << a.rejects;
    std::cout << ":\n";
    cli::PrintRowErrors(rep, std::cout);
  }
}

}  // namespace

// After `import` itself (order 20) exists: these are more of its subcommands.
SUIJI_COMMAND(21) {
  CLI::App* imp = nullptr;
  try {
    imp = app.get_subcommand("import");
  } catch (const CLI::OptionNotFound&) {
    imp = app.add_subcommand("import", "import a CSV file");
    imp->require_subcommand(1);
  }
  auto args = std::make_shared<Args>();
  auto add = [&](const char* name, const char* help, const char* kind, ImportFn fn) {
    auto* c = imp->add_subcommand(name, help);
    c->add_option("FILE", args->file, "CSV file (UTF-8 with or without BOM, or GBK/GB18030)")->required();
    c->add_flag("--skip-invalid", args->skip_invalid, "import the valid rows, reject the others");
    c->add_option("--rejects", args->rejects, "write rejected rows verbatim with their reasons to this CSV");
    c->add_option("--encoding", args->encoding, "auto (default), utf-8, gbk or gb18030");
    c->add_option("--actor", args->actor, "who is importing, recorded in the audit log");
    c->callback([&globals, args, kind, fn] { Run(globals, *args, kind, fn); });
  };
  add("results", "抽查检查结果: inspection results (into the inspection history)", "results", app::ImportResults);
  add("penalties", "行政处罚决定: administrative penalty decisions", "penalties", app::ImportPenalties);
  add("lists", "经营异常名录 / 严重违法失信名单: listing and removal decisions", "lists", app::ImportListDecisions);
  add("external", "other departments' indicator feeds (ext.<source>.<name>)", "external", app::ImportExternal);
  add("annual-reports", "年度报告: annual reports filed", "annual_reports", app::ImportAnnualReports);
  add("repairs", "信用修复决定: credit-repair decisions (granted / refused) on list memberships", "repairs",
      app::ImportRepairs);
  add("complaints", "投诉举报: complaints and reports, substantiated or not", "complaints", app::ImportComplaints);
}
