// suiji credit score|explain|class|runs|backtest|flags: credit-risk classes and joint-punishment flags
// over the stored register (use cases in api/app/credit.h; the engine is credit/).
//   score    [--model FILE] [--as-of DATE]        one stored run; prints class counts
//   explain  USCC [--model FILE] [--as-of] [--json] the in-force score, recomputed and checked
//   class    USCC [--as-of DATE]                  the stored class as of a date
//   runs                                          every stored run (and its integrity check)
//   backtest [--as-of] [--from] [--to] [--out DIR]  table + backtest.json + backtest.svg
//   flags    [--memoranda FILE] [--model FILE] [--as-of DATE]  advance lists, store flags, print active
//   lists    [--as-of DATE] [--entity USCC]       list memberships in force (as stored; run flags first);
//            with --entity every membership of it, ended ones with their removal, its list events and repairs
// Dates default to today (UTC). The model defaults to <data>/examples/credit/model.yaml.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "api/app/credit.h"
#include "api/cli/support.h"
#include "core/region.h"

namespace {

using namespace suiji;
using suiji::cli::Fail;

std::string DefaultModel() { return DataDir() + "/examples/credit/model.yaml"; }
std::string DefaultMemoranda() { return DataDir() + "/examples/credit/memoranda.yaml"; }

Date DateOr(const std::string& cmd, const std::string& text, store::Database& db) {
  std::string t = text.empty() ? db.Now().substr(0, 10) : text;
  auto d = ParseDate(t);
  if (!d) Fail(cmd, "--as-of: '" + t + "' is not a date (YYYY-MM-DD)");
  return d.value();
}

std::optional<Date> OptDate(const std::string& cmd, const std::string& flag, const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = ParseDate(text);
  if (!d) Fail(cmd, flag + ": '" + text + "' is not a date (YYYY-MM-DD)");
  return d.value();
}

rules::CreditModel LoadModel(const std::string& cmd, const std::string& path) {
  auto m = rules::LoadCreditModel(path.empty() ? DefaultModel() : path);
  if (!m) Fail(cmd, m.error().message);
  return std::move(m).value();
}

void PrintCounts(const store::CreditRunRecord& r) {
  std::cout << "  A " << r.class_counts[0] << "  B " << r.class_counts[1] << "  C " << r.class_counts[2] << "  D "
            << r.class_counts[3] << "  (" << r.entities << " entities)\n";
}

struct Args {
  std::string model, memoranda, as_of, from, to, out = ".", entity;
  bool json = false;
};

}  // namespace

SUIJI_COMMAND(60) {
  auto* credit = app.add_subcommand("credit", "credit-risk classes (A-D), explanations, back-tests, flags");
  credit->require_subcommand(1);
  auto a = std::make_shared<Args>();

  auto* score = credit->add_subcommand("score", "score the whole register and store one run");
  score->add_option("--model", a->model, "credit model YAML (default data/examples/credit/model.yaml)");
  score->add_option("--as-of", a->as_of, "records up to this date count (default today)");
  score->callback([&globals, a] {
    const std::string cmd = "credit score";
    auto model = LoadModel(cmd, a->model);
    auto db = cli::OpenDb(globals, cmd);
    Date as_of = DateOr(cmd, a->as_of, *db);
    auto out = cli::Must(cmd, app::ScoreRegister(*db, model, as_of, "cli"));
    for (const auto& w : out.warnings) std::cerr << "warning: " << w << "\n";
    std::cout << "run " << out.run.run_id << ": model " << out.run.model_id << " " << out.run.model_version
              << " as of " << out.run.as_of << "\n";
    PrintCounts(out.run);
    std::cout << "  scores digest " << out.run.scores_digest << "\n";
  });

  auto* explain = credit->add_subcommand("explain", "explain an entity's score (the stored one, recomputed)");
  explain->add_option("USCC", a->entity, "entity id")->required();
  explain->add_option("--model", a->model, "the model the run used (default data/examples/credit/model.yaml)");
  explain->add_option("--as-of", a->as_of, "the run in force on this date (default today)");
  explain->add_flag("--json", a->json, "print the explanation as JSON");
  explain->callback([&globals, a] {
    const std::string cmd = "credit explain";
    auto model = LoadModel(cmd, a->model);
    auto db = cli::OpenDb(globals, cmd);
    Date as_of = DateOr(cmd, a->as_of, *db);
    auto out = cli::Must(cmd, app::ExplainEntity(*db, model, a->entity, as_of));
    if (a->json) {
      Json j = credit::ExplanationJson(out.explanation);
      j["stored"] = out.matches_stored;
      j["note"] = out.note;
      if (out.run) j["run_id"] = out.run->run_id;
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << credit::ExplanationText(out.explanation) << "\n" << out.note << "\n";
    }
  });

  auto* cls = credit->add_subcommand("class", "the stored class of an entity as of a date");
  cls->add_option("USCC", a->entity, "entity id")->required();
  cls->add_option("--as-of", a->as_of, "date (default today)");
  cls->callback([&globals, a] {
    const std::string cmd = "credit class";
    auto db = cli::OpenDb(globals, cmd);
    Date as_of = DateOr(cmd, a->as_of, *db);
    store::CreditRunStore rs(*db);
    auto run = cli::Must(cmd, rs.RunAsOf(FormatDate(as_of)));
    if (!run) Fail(cmd, "no scoring run as of " + FormatDate(as_of) + ": " + a->entity + " is unclassified");
    auto s = cli::Must(cmd, rs.Score(run->run_id, a->entity));
    if (!s) Fail(cmd, a->entity + " was not scored in run " + run->run_id + " (as of " + run->as_of + ")");
    std::cout << a->entity << " class " << s->cls << " score " << s->score << " (run " << run->run_id << ", as of "
              << run->as_of << ", model " << run->model_id << " " << run->model_version << ")\n";
  });

  auto* runs = credit->add_subcommand("runs", "list stored scoring runs and check their scores");
  runs->callback([&globals] {
    const std::string cmd = "credit runs";
    auto db = cli::OpenDb(globals, cmd);
    store::CreditRunStore rs(*db);
    bool ok = true;
    for (const auto& r : cli::Must(cmd, rs.ListRuns())) {
      auto st = rs.VerifyRun(r.run_id);
      std::cout << r.run_id << "  as of " << r.as_of << "  " << r.model_id << " " << r.model_version << "  created "
                << r.created_at << "  " << (st ? "intact" : "TAMPERED: " + st.error().message) << "\n";
      PrintCounts(r);
      ok = ok && st.ok();
    }
    if (!ok) throw cli::CliExit{1};
  });

  auto* bt = credit->add_subcommand("backtest", "problem rate by class in the year after a stored run");
  bt->add_option("--as-of", a->as_of, "use the run in force on this date (default the latest)");
  bt->add_option("--from", a->from, "window start (default the day after the run's as-of date)");
  bt->add_option("--to", a->to, "window end (default one year after the run's as-of date)");
  bt->add_option("--out", a->out, "folder for backtest.json and backtest.svg (default .)");
  bt->callback([&globals, a] {
    const std::string cmd = "credit backtest";
    auto db = cli::OpenDb(globals, cmd);
    auto out = cli::Must(cmd, app::BacktestRun(*db, OptDate(cmd, "--as-of", a->as_of), OptDate(cmd, "--from", a->from),
                                               OptDate(cmd, "--to", a->to)));
    const auto& b = out.backtest;
    std::cout << "run " << out.run.run_id << " (as of " << out.run.as_of << "), inspections " << FormatDate(b.from)
              << " .. " << FormatDate(b.to) << "\n";
    std::cout << "class  entities  inspected  problems   rate   95% interval\n";
    for (const auto& r : b.rows) {
      std::cout << "  " << rules::RiskClassName(r.cls) << std::setw(12) << r.entities << std::setw(11) << r.inspected
                << std::setw(10) << r.with_problems << std::fixed << std::setprecision(3) << std::setw(8) << r.rate
                << "   [" << r.low << ", " << r.high << "]\n";
    }
    std::cout << "unmatched inspections " << b.unmatched_inspections << "; rates "
              << (b.monotone ? "rise from A to D" : "do NOT rise monotonically from A to D") << "\n";
    std::error_code ec;
    std::filesystem::create_directories(a->out, ec);
    auto write = [&](const std::string& name, const std::string& text) {
      std::string path = (std::filesystem::path(a->out) / name).string();
      std::ofstream f(path, std::ios::binary | std::ios::trunc);
      f << text;
      if (!f) Fail(cmd, "cannot write " + path);
      std::cout << "wrote " << path << "\n";
    };
    Json j = credit::BacktestJson(b);
    j["run_id"] = out.run.run_id;
    j["model_digest"] = out.run.model_digest;
    write("backtest.json", j.dump(2) + "\n");
    write("backtest.svg", credit::BacktestSvg(b));
  });

  auto* lists = credit->add_subcommand("lists", "list memberships in force on a date (as last advanced by `flags`)");
  lists->add_option("--as-of", a->as_of, "date (default today)");
  lists->add_option("--entity", a->entity, "one entity's whole list history: memberships, events, repairs");
  lists->callback([&globals, a] {
    const std::string cmd = "credit lists";
    auto db = cli::OpenDb(globals, cmd);
    const std::string on = FormatDate(DateOr(cmd, a->as_of, *db));
    if (!a->entity.empty()) {
      auto ms = cli::Must(cmd, store::ListMembershipStore(*db).ForEntity(a->entity));
      for (const auto& m : ms) {
        bool in_force = m.listed_on <= on && (m.removed_on.empty() || m.removed_on > on);
        std::cout << m.list << "  " << m.id << "  listed " << m.listed_on << " by " << m.authority << ": " << m.reason
                  << (m.moved_from.empty() ? "" : " (moved from " + m.moved_from + ")") << "\n";
        if (!m.removed_on.empty())
          std::cout << "  ended " << m.removed_on << " by " << m.removal_authority << ": " << m.removal_reason << "\n";
        std::cout << "  " << (in_force ? "in force" : "not in force") << " on " << on << "\n";
        for (const auto& r : cli::Must(cmd, store::RepairStore(*db).ForMembership(m.id)))
          std::cout << "  repair " << r.decision_no << " " << r.outcome << " " << r.decided_on << " by " << r.authority
                    << (r.reason.empty() ? "" : ": " + r.reason) << "\n";
        auto events = cli::Must(cmd, store::ListEventStore(*db).ForMembership(m.id));
        std::stable_sort(events.begin(), events.end(), [](const auto& x, const auto& y) { return x.event_on < y.event_on; });
        for (const auto& e : events)
          std::cout << "  event " << e.event_on << " " << e.kind << (e.detail.empty() ? "" : ": " + e.detail) << "\n";
      }
      std::cout << ms.size() << " memberships of " << a->entity << "\n";
      return;
    }
    std::int64_t in_force = 0, ended = 0;
    store::ListMembershipStore ls(*db);
    cli::Must(cmd, ls.ForEach([&](const store::ListMembershipRecord& m) {
      if (m.listed_on > on) return true;
      if (!m.removed_on.empty() && m.removed_on <= on) {
        ++ended;
        return true;
      }
      ++in_force;
      std::cout << "  " << m.list << "  " << m.id << "  " << m.entity_id << "  since " << m.listed_on << "  "
                << m.reason << (m.moved_from.empty() ? "" : "  (moved from " + m.moved_from + ")") << "\n";
      return true;
    }));
    std::cout << in_force << " memberships in force on " << on << ", " << ended << " ended (kept)\n";
  });

  auto* flags = credit->add_subcommand("flags", "advance the lists to a date, store flags, print those in force");
  flags->add_option("--memoranda", a->memoranda, "memoranda YAML (default data/examples/credit/memoranda.yaml)");
  flags->add_option("--model", a->model, "model whose list_rules apply (default data/examples/credit/model.yaml)");
  flags->add_option("--as-of", a->as_of, "advance to this date (default today)");
  flags->callback([&globals, a] {
    const std::string cmd = "credit flags";
    auto model = LoadModel(cmd, a->model);
    auto memo = rules::LoadMemoranda(a->memoranda.empty() ? DefaultMemoranda() : a->memoranda);
    if (!memo) Fail(cmd, memo.error().message);
    auto db = cli::OpenDb(globals, cmd);
    Date as_of = DateOr(cmd, a->as_of, *db);
    auto out = cli::Must(cmd, app::UpdateFlags(*db, memo.value(), model.list_rules, as_of, "cli"));
    std::cout << "lists advanced " << FormatDate(out.from) << " -> " << FormatDate(out.to) << ": "
              << out.list_events.size() << " list events, " << out.flag_events.size() << " flag events, "
              << out.feedback.size() << " feedback requests\n";
    for (const auto& w : out.warnings) std::cerr << "warning: " << w << "\n";
    for (const auto& e : out.list_events)
      std::cout << "  " << FormatDate(e.date) << " " << credit::ListEventKindName(e.kind) << " "
                << rules::ListKindName(e.list) << " " << e.membership_id << " (" << e.entity_id << ") " << e.detail
                << "\n";
    std::cout << "flags: " << out.flags.inserted << " new, " << out.flags.updated << " changed (ended), "
              << out.flags.unchanged << " unchanged; in force on " << FormatDate(out.to) << ": " << out.active.size()
              << "\n";
    for (const auto& f : out.active)
      std::cout << "  " << f.flag_id << " " << f.entity_id << " " << f.department << ": " << f.measure << " ["
                << f.legal_basis << "] since " << f.start_on << (f.end_on.empty() ? "" : " until " + f.end_on) << "\n";
  });
}
