// e2e_bench: one draw end to end, in one process, against a database that already holds the register
// (run.sh generates and imports it). Times every phase of the draw lifecycle through the same use cases
// the CLI calls (api/app/draws.h), and times the population read on its own so the report can say how
// much of a draw is spent reading the register out of the database.
//
//   e2e_bench DB_URL PLAN.yaml AS_OF BUNDLE_DIR [REPEAT_READS]
//
// Output: one line per phase, "phase <name> <wall ms> <this process's CPU ms> <detail>", then a summary.
// The CPU column excludes the PostgreSQL server's own work; on a loaded machine it is the steadier figure. Exit 1 on any error
// (the error is printed), 2 when the exported bundle does not verify.
// Each run commits a fresh draw; an earlier live draw of the plan is superseded with a recorded reason, so
// the benchmark can be re-run on the same database.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "api/app/credit.h"
#include "api/app/draws.h"
#include "core/region.h"
#include "data/store/database.h"
#include "data/store/entity_store.h"
#include "data/store/inspection_store.h"
#include "data/store/item_store.h"
#include "rules/plan_apply.h"
#include "rules/plan_parse.h"
#include "sampler/bundle.h"

namespace {

using namespace suiji;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

[[noreturn]] void Die(const std::string& what, const Error& e) {
  std::cerr << "e2e_bench: " << what << ": " << e.code << ": " << e.message
            << (e.field.empty() ? "" : " (" + e.field + ")") << "\n";
  std::exit(1);
}

template <typename T>
T Must(const std::string& what, Result<T> r) {
  if (!r) Die(what, r.error());
  return std::move(r).value();
}
void Must(const std::string& what, Status s) {
  if (!s) Die(what, s.error());
}

double CpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

double last_cpu = 0;  // CPU of the last Time() call

void Phase(const std::string& name, double ms, const std::string& detail = "") {
  std::printf("phase %-18s %9.1f ms wall %9.1f ms cpu  %s\n", name.c_str(), ms, last_cpu, detail.c_str());
  std::fflush(stdout);
}

// Times fn; returns wall milliseconds and leaves its CPU milliseconds in last_cpu.
double Time(const std::function<void()>& fn) {
  const double c0 = CpuMs();
  auto t0 = Clock::now();
  fn();
  const double wall = Ms(t0, Clock::now());
  last_cpu = CpuMs() - c0;
  return wall;
}

std::string ReadText(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    std::cerr << "e2e_bench: cannot read " << path << "\n";
    std::exit(1);
  }
  std::string s;
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  std::fclose(f);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: e2e_bench DB_URL PLAN.yaml AS_OF BUNDLE_DIR [REPEAT_READS]\n";
    return 2;
  }
  const std::string url = argv[1], plan_path = argv[2], bundle_dir = argv[4];
  const Date as_of = Must("--as-of", ParseDate(argv[3]));
  const int repeat = argc > 5 ? std::max(1, std::atoi(argv[5])) : 1;
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());

  auto db = Must("open " + url, store::Database::Open(url));
  auto regions = Must("regions", RegionTable::LoadDefault());
  const std::string plan_text = ReadText(plan_path);

  // --- The population read on its own (what BuildPopulation does inside commit and again inside reveal).
  double best_entities = 1e300, best_history = 1e300, best_classes = 1e300;
  double cpu_entities = 0, cpu_history = 0, cpu_classes = 0;
  auto keep = [](double wall, double& best, double& cpu) {
    if (wall < best) best = wall, cpu = last_cpu;
  };
  std::vector<Entity> entities;
  std::vector<rules::InspectionRecord> history;
  app::Classification classes;
  for (int r = 0; r < repeat; ++r) {
    entities.clear();
    history.clear();
    keep(Time([&] {
      store::EntityStore es(*db);
      Must("read entities", es.ForEach([&](const Entity& e) {
        entities.push_back(e);
        return true;
      }));
    }), best_entities, cpu_entities);
    keep(Time([&] {
      store::InspectionStore is(*db);
      Must("read inspections", is.ForEach([&](const store::Inspection& i) {
        history.push_back({i.entity_id, i.department, Must("inspection date", ParseDate(i.inspected_on))});
        return true;
      }));
    }), best_history, cpu_history);
    keep(Time([&] { classes = Must("classes", app::ClassificationAsOf(*db, as_of)); }), best_classes, cpu_classes);
  }
  last_cpu = cpu_entities;
  Phase("read.entities", best_entities, std::to_string(entities.size()) + " entities (EntityStore::ForEach)");
  last_cpu = cpu_history;
  Phase("read.inspections", best_history, std::to_string(history.size()) + " inspections");
  last_cpu = cpu_classes;
  Phase("read.classes", best_classes, std::to_string(classes.classes.size()) + " credit classes");

  std::vector<InspectionItem> items;
  store::ItemStore item_store(*db);
  Must("read items", item_store.ForEach([&](const InspectionItem& i) {
    items.push_back(i);
    return true;
  }));
  rules::PlanCheck check{&regions, &items};
  auto parsed = rules::ParsePlan(plan_text, plan_path, check);
  if (!parsed.ok()) {
    for (const auto& e : parsed.errors) std::cerr << "e2e_bench: plan: " << e.ToString() << "\n";
    return 1;
  }
  rules::Population population;
  const double apply_ms = Time([&] {
    rules::RegisterView view{entities, &classes.classes, history};
    population = Must("ApplyPlan", rules::ApplyPlan(parsed.plan, view, as_of));
  });
  std::size_t eligible = 0;
  for (const auto& s : population.strata) eligible += s.entity_ids.size();
  Phase("apply_plan", apply_ms, std::to_string(eligible) + " eligible, " +
                                    std::to_string(population.exclusions.size()) + " excluded (pure rules::ApplyPlan)");
  const double read_ms = best_entities + best_history + best_classes;
  const double read_cpu = cpu_entities + cpu_history + cpu_classes;
  double life_cpu = 0;  // CPU of the lifecycle phases, commit..verify
  entities.clear();
  entities.shrink_to_fit();

  // --- The lifecycle, through the use cases the CLI and REST call.
  app::CommitDrawOptions o;
  o.plan_path = plan_path;
  o.plan_text = plan_text;
  o.as_of = as_of;
  o.actor = "e2e-bench";
  {
    store::DrawStore ds(*db);
    auto live = Must("active draws", ds.ActiveDraws(parsed.plan.id));
    if (!live.empty()) o.redraw_reason = "e2e benchmark re-run";
  }
  app::CommittedDraw committed;
  const double commit_ms = Time([&] { committed = Must("commit", app::CommitDraw(*db, regions, o)); });
  std::int64_t quota = 0;
  for (const auto& s : committed.spec.population.strata) quota += s.quota;
  const std::string draw_id = committed.record.draw_id;
  life_cpu += last_cpu;
  Phase("draw.commit", commit_ms, draw_id + ", quota " + std::to_string(quota));

  app::RevealedDraw revealed;
  const double reveal_ms = Time([&] {
    revealed = Must("reveal", app::RevealDraw(*db, regions, draw_id, "3141 5926 5358 9793 2384", "e2e-bench", threads));
  });
  std::size_t drawn = 0;
  for (const auto& s : revealed.draw.strata) drawn += sampler::Selected(s).size();
  life_cpu += last_cpu;
  Phase("draw.reveal", reveal_ms, std::to_string(drawn) + " drawn");

  // The pairing's own reads: one entity and one history lookup per drawn entity.
  const double lookups_ms = Time([&] {
    store::EntityStore es(*db);
    store::InspectionStore is(*db);
    for (const auto& s : revealed.draw.strata)
      for (const auto& id : sampler::Selected(s)) {
        Must("entity", es.Get(id));
        Must("history", is.ForEntity(id));
      }
  });
  const double lookups_cpu = last_cpu;
  Phase("read.pair_lookups", lookups_ms, "Get + ForEntity for each drawn entity (inside pair.commit)");

  app::CommittedPairing cp;
  const double pc_ms = Time([&] { cp = Must("pair commit", app::CommitPairing(*db, draw_id, "e2e-bench")); });
  life_cpu += last_cpu;
  Phase("pair.commit", pc_ms, cp.record.pairing_id + ": " + std::to_string(cp.spec.tasks.size()) + " tasks, " +
                                  std::to_string(cp.spec.officers.size()) + " officers, cap " +
                                  std::to_string(cp.spec.cap));
  app::RevealedPairing rp;
  const double pr_ms = Time([&] {
    rp = Must("pair reveal", app::RevealPairing(*db, cp.record.pairing_id, "2718 2818 2845 9045 2353", "e2e-bench"));
  });
  life_cpu += last_cpu;
  Phase("pair.reveal", pr_ms, "status " + rp.pairing.status + ", " + std::to_string(rp.pairing.teams.size()) +
                                  " teams, " + std::to_string(rp.pairing.shortfalls.size()) + " shortfalls");

  sampler::Bundle bundle;
  const double build_ms = Time([&] { bundle = Must("BuildBundle", app::BuildBundle(*db, draw_id, threads)); });
  life_cpu += last_cpu;
  Phase("export.build", build_ms, "BuildBundle (recomputes draw and pairing from stored inputs)");
  const double write_ms = Time([&] { Must("WriteBundle", sampler::WriteBundle(bundle_dir, bundle)); });
  life_cpu += last_cpu;
  Phase("export.write", write_ms, "WriteBundle to " + bundle_dir);
  sampler::VerifyReport report;
  const double verify_ms = Time([&] { report = sampler::VerifyBundle(bundle_dir, threads); });
  life_cpu += last_cpu;
  Phase("verify", verify_ms, report.match ? "bundle verifies" : "DIFFERENCE: " + report.difference);

  const double total = commit_ms + reveal_ms + pc_ms + pr_ms + build_ms + write_ms + verify_ms;
  // commit and reveal each read the whole population once (BuildPopulation); pair.commit does the lookups.
  std::printf("lifecycle (commit..verify)             %9.1f ms wall %9.1f ms cpu\n", total, life_cpu);
  std::printf("population read (entities+inspections+classes) x2 (commit and reveal each read it):\n");
  std::printf("                                       %9.1f ms wall %9.1f ms cpu = %.1f%% of wall, %.1f%% of cpu\n",
              2 * read_ms, 2 * read_cpu, 100.0 * 2 * read_ms / total, 100.0 * 2 * read_cpu / life_cpu);
  std::printf("  of which EntityStore::ForEach x2     %9.1f ms wall %9.1f ms cpu = %.1f%% of wall, %.1f%% of cpu\n",
              2 * best_entities, 2 * cpu_entities, 100.0 * 2 * best_entities / total,
              100.0 * 2 * cpu_entities / life_cpu);
  std::printf("all reads (population x2 + pairing lookups) %4.1f%% of wall, %.1f%% of cpu\n",
              100.0 * (2 * read_ms + lookups_ms) / total, 100.0 * (2 * read_cpu + lookups_cpu) / life_cpu);
  return report.match ? 0 : 2;
}
