// suiji draw commit|reveal|show|list|substitute|export   and   suiji pair commit|reveal|show
// Thin wrappers over api/app/draws.h: parse options, call the use case, print for people.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "api/app/draws.h"
#include "api/app/plans.h"
#include "api/cli/support.h"
#include "core/canonical_json.h"
#include "core/identifiers.h"
#include "core/region.h"
#include "data/store/audit_log.h"
#include "data/store/entity_store.h"

namespace {

using namespace suiji;
using cli::Fail;
using cli::Must;

using cli::ReadFile;

unsigned Threads() { return std::max(1u, std::thread::hardware_concurrency()); }

using Renames = std::map<std::string, std::string>;

// An id as the draw committed it, with the entity's current id beside it when it was re-registered
// since (换照): the bundle keeps the committed id, so verification is unaffected.
std::string Named(const std::string& id, const Renames& renames) {
  auto it = renames.find(id);
  return it == renames.end() ? id : id + " (now " + it->second + ")";
}

void PrintDraw(const sampler::EntityDraw& d, bool reserve, const Renames& renames = {}) {
  for (const auto& s : d.strata) {
    auto sel = sampler::Selected(s);
    std::cout << "  stratum " << s.name << ": " << sel.size() << " drawn (quota " << s.quota << ")\n";
    for (std::size_t i = 0; i < s.drawn.size(); ++i)
      std::cout << "    " << (i + 1) << ". " << Named(s.drawn[i].id, renames) << "  ticket " << s.drawn[i].ticket.substr(0, 22) << "...\n";
    for (const auto& sub : s.substitutions)
      std::cout << "    substituted " << Named(sub.out_id, renames) << " -> " << Named(sub.in_id, renames) << " (" << sub.reason << ")\n";
    if (reserve && !s.reserve.empty()) {
      std::cout << "    reserve:";
      for (const auto& r : s.reserve) std::cout << " " << Named(r.id, renames);
      std::cout << "\n";
    }
  }
}

void PrintPairing(const sampler::Pairing& p, const Renames& renames = {}) {
  std::cout << "  status: " << p.status << "\n";
  for (const auto& t : p.teams) {
    std::cout << "    " << Named(t.entity_id, renames) << ":";
    for (const auto& m : t.members) std::cout << " " << m.officer << " (" << m.department << ")";
    std::cout << "\n";
  }
  for (const auto& s : p.shortfalls)
    std::cout << "    cannot staff " << Named(s.entity_id, renames) << " [" << s.department << "]: " << s.reason << "\n";
  if (p.status == "tie")
    std::cout << "    two team assignments cost the same: commit a new pairing attempt and reveal fresh entropy\n";
}

}  // namespace

SUIJI_COMMAND(40) {
  auto* draw = app.add_subcommand("draw", "the auditable entity draw: commit, reveal, show, export");
  draw->require_subcommand(1);

  struct CommitArgs {
    std::string plan, as_of, redraw_reason, actor = "cli";
    bool stored = false;
    std::int64_t reserve = -1;
  };
  auto ca = std::make_shared<CommitArgs>();
  auto* commit = draw->add_subcommand("commit", "freeze the population of PLAN and publish its commitment C");
  commit->add_option("PLAN", ca->plan, "sampling plan YAML")->required();
  commit->add_option("--as-of", ca->as_of, "register, history and classes as of this date (default today)");
  commit->add_option("--reserve", ca->reserve, "reserve entities per stratum (default max(5, quota/5))");
  commit->add_flag("--stored", ca->stored, "PLAN is the id of a stored plan (`suiji plan store`): its latest version");
  commit->add_option("--redraw-reason", ca->redraw_reason, "replace the plan's live draw, for this recorded reason");
  commit->add_option("--actor", ca->actor, "who commits, recorded in the audit log");
  commit->callback([&globals, ca] {
    const std::string cmd = "draw commit";
    auto db = cli::OpenDb(globals, cmd);
    auto regions = Must(cmd, RegionTable::LoadDefault());
    app::CommitDrawOptions o;
    if (ca->stored) {
      auto p = Must(cmd, app::GetPlan(*db, ca->plan));
      o.plan_path = "plans/" + p.plan_id + "@" + std::to_string(p.version);
      o.plan_text = p.plan_text;
    } else {
      o.plan_path = ca->plan;
      o.plan_text = ReadFile(cmd, ca->plan);
    }
    if (ca->as_of.empty()) ca->as_of = db->Now().substr(0, 10);
    o.as_of = Must(cmd, ParseDate(ca->as_of));
    o.reserve = ca->reserve;
    o.redraw_reason = ca->redraw_reason;
    o.actor = ca->actor;
    auto c = Must(cmd, app::CommitDraw(*db, regions, o));
    std::cout << "draw " << c.record.draw_id << " committed for plan " << c.record.plan_id << "\n";
    if (c.superseded) std::cout << "  replaces draw " << *c.superseded << " (reason: " << o.redraw_reason << ")\n";
    for (const auto& s : c.spec.population.strata)
      std::cout << "  stratum " << s.name << ": " << s.entity_ids.size() << " eligible, quota " << s.quota << "\n";
    std::cout << "  excluded: " << c.spec.population.exclusions.size() << " (with reasons, in the commitment)\n";
    std::cout << "  commitment C = " << c.record.commitment_digest << "\n";
    const auto& e = c.spec.entropy_source;
    if (e.kind == "dice")
      std::cout << "Now roll at least " << e.min_digits << " decimal digits with the witnesses, then:\n";
    else
      std::cout << "Now wait for " << e.beacon << " round " << e.round << ", then:\n";
    std::cout << "  suiji draw reveal " << c.record.draw_id << " --entropy DIGITS\n";
  });

  struct RevealArgs {
    std::string draw_id, entropy, actor = "cli";
  };
  auto ra = std::make_shared<RevealArgs>();
  auto* reveal = draw->add_subcommand("reveal", "enter the public entropy E and draw");
  reveal->add_option("DRAW", ra->draw_id, "draw id")->required();
  reveal->add_option("--entropy", ra->entropy, "the public entropy (dice digits or beacon value)")->required();
  reveal->add_option("--actor", ra->actor, "who reveals, recorded in the audit log");
  reveal->callback([&globals, ra] {
    const std::string cmd = "draw reveal";
    auto db = cli::OpenDb(globals, cmd);
    auto regions = Must(cmd, RegionTable::LoadDefault());
    auto r = Must(cmd, app::RevealDraw(*db, regions, ra->draw_id, ra->entropy, ra->actor, Threads()));
    std::cout << "draw " << ra->draw_id << " revealed; seed hash " << r.draw.seed_hash << "\n";
    PrintDraw(r.draw, true);
    std::cout << "Pair officers with: suiji pair commit " << ra->draw_id << "\n";
  });

  auto show_id = std::make_shared<std::string>();
  auto* show = draw->add_subcommand("show", "show a draw (recomputed from its stored inputs)");
  show->add_option("DRAW", *show_id, "draw id")->required();
  show->callback([&globals, show_id] {
    const std::string cmd = "draw show";
    auto db = cli::OpenDb(globals, cmd);
    store::DrawStore ds(*db);
    auto rec = Must(cmd, ds.GetDraw(*show_id));
    if (!rec) Fail(cmd, "no draw " + *show_id);
    std::cout << "draw " << rec->draw_id << "  plan " << rec->plan_id << "  state " << rec->state << "\n"
              << "  committed " << rec->committed_at << "  C = " << rec->commitment_digest << "\n";
    if (!rec->supersedes.empty()) std::cout << "  replaces " << rec->supersedes << ": " << rec->reason << "\n";
    if (rec->entropy.empty()) return;
    std::cout << "  revealed " << rec->revealed_at << "  E = " << rec->entropy << "\n";
    auto r = Must(cmd, app::LoadRevealedDraw(*db, *show_id, Threads()));
    const Renames renames = Must(cmd, store::EntityStore(*db).AllRenames());
    PrintDraw(r.draw, true, renames);
    for (const auto& p : Must(cmd, ds.Pairings(*show_id))) {
      std::cout << "  pairing " << p.pairing_id << "  " << p.state << (p.status.empty() ? "" : " " + p.status)
                << "  C2 = " << p.commitment_digest << "\n";
      if (p.state == "revealed") PrintPairing(Must(cmd, app::LoadRevealedPairing(*db, p.pairing_id)).pairing, renames);
    }
  });

  auto* list = draw->add_subcommand("list", "list every draw, superseded ones included");
  list->callback([&globals] {
    auto db = cli::OpenDb(globals, "draw list");
    store::DrawStore ds(*db);
    for (const auto& d : Must("draw list", ds.ListDraws()))
      std::cout << d.draw_id << "  " << d.plan_id << "  " << d.state << "  " << d.committed_at << "  C="
                << d.commitment_digest.substr(0, 16) << "...\n";
  });

  struct SubArgs {
    std::string draw_id, entity, stratum, reason, actor = "cli";
  };
  auto sa = std::make_shared<SubArgs>();
  auto* sub = draw->add_subcommand("substitute", "replace a drawn entity outside the plan's legal scope by the next reserve");
  sub->add_option("DRAW", sa->draw_id, "draw id")->required();
  sub->add_option("ENTITY", sa->entity, "the drawn entity id")->required();
  sub->add_option("--reason", sa->reason, "why it is outside the plan's legal scope")->required();
  sub->add_option("--stratum", sa->stratum, "its stratum (found automatically)");
  sub->add_option("--actor", sa->actor, "who substitutes, recorded in the audit log");
  sub->callback([&globals, sa] {
    const std::string cmd = "draw substitute";
    auto db = cli::OpenDb(globals, cmd);
    auto r = Must(cmd, app::Substitute(*db, sa->draw_id, sa->stratum, sa->entity, sa->reason, sa->actor));
    PrintDraw(r.draw, false);
  });

  struct ExportArgs {
    std::string draw_id, dir;
  };
  auto xa = std::make_shared<ExportArgs>();
  auto* exp = draw->add_subcommand("export", "write the self-contained bundle that `suiji verify` recomputes");
  exp->add_option("DRAW", xa->draw_id, "draw id")->required();
  exp->add_option("DIR", xa->dir, "bundle directory")->required();
  exp->callback([&globals, xa] {
    const std::string cmd = "draw export";
    auto db = cli::OpenDb(globals, cmd);
    auto b = Must(cmd, app::BuildBundle(*db, xa->draw_id, Threads()));
    Must(cmd, sampler::WriteBundle(xa->dir, b));
    std::cout << "bundle of " << xa->draw_id << " written to " << xa->dir
              << (b.pairing ? " (draw and teams)" : " (draw only: no successful pairing yet)") << "\n";
  });
}

SUIJI_COMMAND(41) {
  auto* pair = app.add_subcommand("pair", "random pairing of officer teams with a revealed draw");
  pair->require_subcommand(1);
  struct Args {
    std::string id, entropy, actor = "cli";
  };
  auto a = std::make_shared<Args>();
  auto* commit = pair->add_subcommand("commit", "freeze tasks, roster, eligibility and cap; publish C2");
  commit->add_option("DRAW", a->id, "draw id")->required();
  commit->add_option("--actor", a->actor, "recorded in the audit log");
  commit->callback([&globals, a] {
    const std::string cmd = "pair commit";
    auto db = cli::OpenDb(globals, cmd);
    auto c = Must(cmd, app::CommitPairing(*db, a->id, a->actor));
    std::cout << "pairing " << c.record.pairing_id << " committed: " << c.spec.tasks.size() << " tasks, "
              << c.spec.officers.size() << " officers, cap " << c.spec.cap << "\n"
              << "  commitment C2 = " << c.record.commitment_digest << "\n"
              << "Roll fresh entropy, then: suiji pair reveal " << c.record.pairing_id << " --entropy DIGITS\n";
  });
  auto* reveal = pair->add_subcommand("reveal", "enter fresh public entropy and form the teams");
  reveal->add_option("PAIRING", a->id, "pairing id")->required();
  reveal->add_option("--entropy", a->entropy, "the public entropy")->required();
  reveal->add_option("--actor", a->actor, "recorded in the audit log");
  reveal->callback([&globals, a] {
    const std::string cmd = "pair reveal";
    auto db = cli::OpenDb(globals, cmd);
    auto r = Must(cmd, app::RevealPairing(*db, a->id, a->entropy, a->actor));
    std::cout << "pairing " << a->id << " revealed; seed hash " << r.pairing.seed_hash << "\n";
    PrintPairing(r.pairing);
    if (r.pairing.status != "ok") throw cli::CliExit{1};
  });

  struct RecArgs {
    std::string entity, cert, reason, on;
  };
  auto ra = std::make_shared<RecArgs>();
  auto* rec = app.add_subcommand("recusal", "record a recusal an entity requested (回避申请)");
  rec->add_option("ENTITY", ra->entity, "entity id")->required();
  rec->add_option("CERT_NO", ra->cert, "the officer's certificate number")->required();
  rec->add_option("--reason", ra->reason, "the entity's stated reason")->required();
  rec->callback([&globals, ra] {
    const std::string cmd = "recusal";
    auto db = cli::OpenDb(globals, cmd);
    Must(cmd, app::RequestRecusal(*db, ra->entity, ra->cert, ra->reason, "cli"));
    std::cout << "recusal recorded: " << ra->cert << " will not be paired with " << NormalizeId(ra->entity) << "\n";
  });
}
