#include "api/app/reports.h"

#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "api/app/disclosure.h"
#include "api/app/draws.h"
#include "api/app/results.h"
#include "core/date.h"
#include "core/result_codes.h"
#include "data/store/audit_log.h"
#include "data/store/draw_store.h"
#include "data/store/entity_store.h"
#include "data/store/inspection_store.h"
#include "data/store/item_store.h"
#include "data/store/officer_store.h"
#include "data/store/org_unit_store.h"
#include "data/store/plan_store.h"
#include "reports/render.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"
#include "sampler/bundle.h"
#include "sampler/bundle_audit.h"

namespace suiji::app {
namespace {

namespace fs = std::filesystem;

bool DateOk(const std::string& s) {
  auto d = ParseDate(s);
  return d && FormatDate(d.value()) == s;
}

Result<reports::PlanFacts> PlanFactsOf(store::Database& db, const rules::Plan& p) {
  reports::PlanFacts f;
  f.plan_id = p.id;
  f.title = p.title;
  f.org_unit = p.org_unit;
  f.year = p.year;
  f.plan_digest = rules::PlanDigest(p);
  f.schedule_start = FormatDate(p.schedule.start);
  f.schedule_end = FormatDate(p.schedule.end);
  if (auto u = store::OrgUnitStore(db).Get(p.org_unit); u && u.value()) f.org_unit_name = u.value()->name;
  std::map<std::string, InspectionItem> items;
  for (const auto& d : p.departments) {
    f.departments.push_back(d.code);
    auto list = store::ItemStore(db).ByDepartment(d.code);
    if (!list) return list.error();
    for (auto& it : list.value()) items.emplace(it.code, std::move(it));
  }
  for (const auto& code : p.items) {
    auto it = items.find(code);
    f.items.push_back({code, it == items.end() ? "" : it->second.name, it == items.end() ? "" : it->second.department});
  }
  for (const auto& s : p.strata) f.sampling.push_back({s.name, s.ratio_bp});
  return f;
}

}  // namespace

Result<reports::ReportFacts> GatherFacts(store::Database& db, const RegionTable& regions, const ReportScope& scope,
                                         unsigned threads) {
  if (scope.plan_id.empty() && (!DateOk(scope.from) || !DateOk(scope.to) || scope.from > scope.to))
    return Error{"report.scope", "a report is of one plan, or of a period from..to (YYYY-MM-DD, from <= to)", "from"};
  reports::ReportFacts f;
  f.audience = scope.regulator ? "regulator" : "public";
  f.generated_at = db.Now();
  f.period_from = scope.from;
  f.period_to = scope.to;

  auto all = store::DrawStore(db).ListDraws();
  if (!all) return all.error();
  std::vector<store::DrawRecord> draws;
  for (auto& d : all.value()) {
    if (!scope.plan_id.empty()) {
      if (d.plan_id != scope.plan_id) continue;
    } else {
      // A period holds the draws revealed in it, and the re-draws and superseded draws committed in it.
      const std::string at = (d.revealed_at.empty() ? d.committed_at : d.revealed_at).substr(0, 10);
      if (at < scope.from || at > scope.to) continue;
    }
    if (scope.sees) {
      auto unit = DrawOrgUnit(d);
      if (!unit || !scope.sees(unit.value())) continue;
    }
    draws.push_back(std::move(d));
  }

  // Plans: as committed in their latest draw (what the draw verifies against); a plan report of a plan
  // not yet drawn reads the stored plan.
  std::map<std::string, std::string> plan_text;
  for (const auto& d : draws) plan_text[d.plan_id] = d.plan_text;
  if (!scope.plan_id.empty() && plan_text.empty()) {
    auto stored = store::PlanStore(db).Latest(scope.plan_id);
    if (!stored) return stored.error();
    if (!stored.value() || (scope.sees && !scope.sees(stored.value()->org_unit)))
      return Error{"plan.unknown", "no plan " + scope.plan_id, "plan_id"};
    plan_text[scope.plan_id] = stored.value()->plan_text;
  }
  std::map<std::string, int> annual_cap;  // plan -> cap, where the plan has one
  for (const auto& [id, text] : plan_text) {
    auto parsed = rules::ParsePlan(text, id);
    if (!parsed.ok()) return Error{"plan.invalid", "the stored plan " + id + " does not parse", "plan"};
    auto pf = PlanFactsOf(db, parsed.plan);
    if (!pf) return pf.error();
    f.plans.push_back(std::move(pf).value());
    if (parsed.plan.exclusions.annual_cap) annual_cap[id] = parsed.plan.exclusions.annual_cap->max;
  }

  auto secret = PseudonymSecret(db);
  if (!secret) return secret.error();
  auto opened = Disclosure::Open(db, regions);
  if (!opened) return opened.error();
  Disclosure* disclosure = &opened.value();
  store::DrawStore ds(db);
  std::map<std::string, std::string> stratum_of;  // draw_id|entity_id -> stratum
  for (const auto& d : draws) {
    reports::DrawFacts x{d.draw_id, d.plan_id, d.state, d.commitment_digest, d.committed_at, d.revealed_at,
                         d.entropy, d.seed_hash, d.supersedes, d.reason, {}, {}, 0, ""};
    if (d.state == "revealed") {
      auto loaded = LoadRevealedDraw(db, d.draw_id, threads);
      if (!loaded) return loaded.error();
      const bool classes = loaded->spec.population.strata.size() > 1 ||
                           (!loaded->spec.population.strata.empty() && loaded->spec.population.strata[0].name != "all");
      for (const auto& s : loaded->spec.population.strata)
        x.strata.push_back({s.name, static_cast<std::int64_t>(s.entity_ids.size()), s.quota});
      for (const auto& s : loaded->draw.strata) {
        for (const auto& id : sampler::Selected(s)) stratum_of[d.draw_id + "|" + id] = s.name;
        for (const auto& t : s.substitutions)
          x.substitutions.push_back({scope.regulator || !classes ? s.name : "", t.out_id, t.in_id, t.reason, ""});
      }
      auto subs = ds.Substitutions(d.draw_id);  // the times, in the order applied
      if (!subs) return subs.error();
      for (std::size_t i = 0; i < x.substitutions.size() && i < subs->size(); ++i) x.substitutions[i].at = (*subs)[i].at;
      if (!scope.regulator && classes) {  // a public copy never sizes a class
        std::int64_t n = 0, k = 0;
        for (const auto& s : x.strata) {
          n += s.population;
          k += s.quota;
        }
        x.strata = {{"", n, k}};
      }
    }
    auto pairings = ds.Pairings(d.draw_id);
    if (!pairings) return pairings.error();
    x.pairing_attempts = static_cast<std::int64_t>(pairings->size());
    if (!pairings->empty()) x.pairing_state = pairings->back().state == "revealed" ? pairings->back().status : pairings->back().state;
    f.draws.push_back(std::move(x));
  }

  // Tasks with their results; the published ones' history and objections in one read.
  auto records = GetPublicRecords(db, "", "\x7f");
  if (!records) return records.error();
  std::map<std::string, const PublicRecord*> record_of;
  for (const auto& r : records.value()) record_of[r.current().result_id] = &r;
  std::vector<Task> tasks;
  for (const auto& d : draws) {
    if (d.state != "revealed") continue;
    auto t = ListTasks(db, d.draw_id);
    if (!t) return t.error();
    for (auto& x : t.value()) tasks.push_back(std::move(x));
  }
  std::vector<std::string> ids;
  for (const auto& t : tasks) ids.push_back(t.entity_id);
  if (auto st = disclosure->Prefetch(ids); !st) return st.error();
  std::map<std::string, bool> classed;  // draw -> stratified by class
  for (const auto& x : f.draws) classed[x.draw_id] = !x.strata.empty() && x.strata[0].stratum != "all";
  for (const auto& t : tasks) {
    reports::TaskFacts k;
    k.result_id = t.result_id;
    k.draw_id = t.draw_id;
    k.plan_id = t.plan_id;
    k.entity_id = t.entity_id;
    k.department = t.department;
    if (const auto& e = disclosure->EntityOf(t.entity_id)) {
      k.entity_name = scope.regulator ? e->name : PublicName(*e);
      k.region = e->region;
      if (const std::string* n = regions.Name(e->region)) k.region_name = *n;
      k.industry = e->industry;
    }
    const std::string stratum = stratum_of[t.draw_id + "|" + t.entity_id];
    if (scope.regulator) {
      k.stratum = stratum;
      if (stratum != "all") k.credit_class = stratum == "unclassified" ? "" : stratum;
    } else if (!classed[t.draw_id]) {
      k.stratum = stratum;
    }
    for (const auto& cert : t.team) k.team.push_back(scope.regulator ? cert : OfficerPseudonym(secret.value(), cert));
    if (t.result) {
      k.state = t.result->state == "returned" ? "draft" : t.result->state;
      k.inspected_on = t.result->inspected_on;
      k.concluded_on = t.result->concluded_on;
      k.due_on = t.result->due_on;
    }
    if (auto it = record_of.find(t.result_id); it != record_of.end()) {
      const PublicRecord& p = *it->second;
      const auto& cur = p.current();
      k.state = "published";
      k.result_code = cur.result_code;
      if (const ResultCode* rc = ResultCodes::Default().Find(cur.result_code)) {
        k.result_label = rc->label_zh;
        k.result_label_en = rc->label_en;
        k.problem = rc->problem;
      }
      k.inspected_on = cur.inspected_on;
      k.concluded_on = cur.concluded_on;
      k.published_on = p.versions.front().published_on;
      k.due_on = p.versions.front().due_on;
      for (std::size_t i = 1; i < p.versions.size(); ++i)
        k.corrections.push_back({p.versions[i].version, p.versions[i].correction_reason, p.versions[i].published_on});
      for (const auto& o : p.objections)
        k.objections.push_back({o.receipt_no, o.state, o.filed_at.substr(0, 10), o.decided_at.substr(0, 10), o.decision_reason});
    } else if (!scope.regulator) {
      k.inspected_on.clear();  // nothing unpublished is public: only that the task exists
      k.concluded_on.clear();
      k.due_on.clear();
      if (!k.state.empty()) k.state = "draft";
    }
    f.tasks.push_back(std::move(k));
  }

  if (scope.plan_id.empty()) {
    store::EntityStore es(db);
    auto n = es.Count();
    if (!n) return n.error();
    f.register_size = n.value();
    auto by_region = es.CountByRegion();
    if (!by_region) return by_region.error();
    f.register_by_region = std::move(by_region).value();
    for (const auto& [code, _] : f.register_by_region)
      for (const std::string& c : {code, code.size() == 6 ? code.substr(0, 4) + "00" : code})
        if (const std::string* name = regions.Name(c)) f.region_names[c] = *name;
    // The annual cap: inspections per entity in the period's last year, against the smallest cap.
    int cap = 0;
    for (const auto& [_, c] : annual_cap) cap = cap == 0 ? c : std::min(cap, c);
    if (cap > 0) {
      const std::string year = scope.to.substr(0, 4);
      auto since = store::InspectionStore(db).Since(year + "-01-01");
      if (!since) return since.error();
      std::map<std::string, std::int64_t> per;
      for (const auto& i : since.value())
        if (i.inspected_on.substr(0, 4) == year) ++per[i.entity_id];
      for (const auto& [id, count] : per) {
        if (count > cap) ++f.over_cap;
        if (count >= cap) ++f.at_cap;
        // Near: at the cap, so any further inspection this year would break it.
        if (count >= cap && scope.regulator && f.near_cap.size() < reports::kNearCapListed) {
          const auto& e = disclosure->EntityOf(id);
          f.near_cap.push_back({id, e ? e->name : "", count, cap});
        }
      }
    }
  }
  return f;
}

Result<reports::AuditFacts> GatherAudit(store::Database& db, const RegionTable& regions, const std::string& from,
                                        const std::string& to, unsigned threads) {
  ReportScope scope;
  scope.from = from;
  scope.to = to;
  scope.regulator = true;
  auto facts = GatherFacts(db, regions, scope, threads);
  if (!facts) return facts.error();
  reports::AuditFacts a;
  a.generated_at = facts->generated_at;
  a.period_from = from;
  a.period_to = to;
  auto chain = store::VerifyAuditChain(db);
  if (!chain) return chain.error();
  a.chain = {chain->ok, chain->events, chain->head, chain->ok ? "" : "seq " + std::to_string(chain->seq) + " " + chain->problem + ": " + chain->message};
  for (const auto* spec : {&store::EntityCodec::Spec(), &store::OfficerCodec::Spec(), &store::ItemCodec::Spec(),
                           &store::OrgUnitCodec::Spec()}) {
    store::Table table(db, *spec);
    auto p = table.VerifyProvenance();
    if (!p) return p.error();
    a.rows.push_back({p->table, p->ok(), p->rows, p->batches, p->problem_count});
  }
  // Each revealed draw recomputed from its bundle, as an outside evaluator would.
  std::mt19937_64 rng(std::random_device{}());
  const fs::path dir = fs::temp_directory_path() / ("suiji-audit-" + std::to_string(rng()));
  for (const auto& d : facts->draws) {
    if (d.state != "revealed") continue;
    reports::DrawCheckFacts c{d.draw_id, d.plan_id, d.state, false, "", static_cast<std::int64_t>(d.substitutions.size())};
    auto bundle = BuildBundle(db, d.draw_id, threads);
    if (!bundle) {
      c.difference = bundle.error().message;
    } else {
      const fs::path where = dir / d.draw_id;
      if (auto st = sampler::WriteBundle(where.string(), bundle.value()); !st) {
        c.difference = st.error().message;
      } else {
        // Against the draw head the public API and the bulk manifest publish: a dropped or edited
        // substitution event would show here too.
        auto head = DrawAuditHead(db, d.draw_id);
        if (!head) return head.error();
        auto v = sampler::VerifyBundle(where.string(), threads, head->head);
        c.verified = v.match;
        c.difference = v.difference;
      }
    }
    a.checks.push_back(std::move(c));
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  a.facts = std::move(facts).value();
  return a;
}

Result<Rendered> Render(const reports::Report& report, const std::string& format, reports::Lang lang) {
  if (format == "html") return Rendered{reports::RenderHtml(report, lang), "text/html; charset=utf-8", "html"};
  if (format == "csv") return Rendered{reports::RenderCsv(report, lang), "text/csv; charset=utf-8", "csv"};
  if (format == "json") return Rendered{reports::RenderJson(report, lang), "application/json", "json"};
  if (format == "xlsx") {
    auto x = reports::RenderXlsx(report, lang);
    if (!x) return x.error();
    return Rendered{std::move(x).value(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"};
  }
  return Error{"report.format", "format is html, csv, xlsx or json", "format"};
}

}  // namespace suiji::app
