#include "api/app/draws.h"

#include "api/app/plans.h"

#include "api/app/credit.h"
#include "api/app/org_units.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "core/canonical_json.h"
#include "core/identifiers.h"
#include "core/sha256.h"
#include "data/store/audit_log.h"
#include "data/store/entity_store.h"
#include "data/store/inspection_store.h"
#include "data/store/item_store.h"
#include "data/store/officer_store.h"
#include "rules/plan_apply.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"

namespace suiji::app {
namespace {

constexpr const char* kSecretSetting = "officer_pseudonym_secret";

Result<std::vector<InspectionItem>> AllItems(store::Database& db) {
  std::vector<InspectionItem> items;
  store::ItemStore s(db);
  auto st = s.ForEach([&](const InspectionItem& i) {
    items.push_back(i);
    return true;
  });
  if (!st) return st.error();
  return items;
}

Result<rules::Plan> ParseStoredPlan(const std::string& text, const std::string& label, const rules::PlanCheck& check) {
  auto parsed = rules::ParsePlan(text, label, check);
  if (!parsed.ok()) {
    std::string msg = "the plan has " + std::to_string(parsed.errors.size()) + " error(s):";
    for (const auto& e : parsed.errors) msg += "\n  " + e.ToString();
    return Error{"plan.invalid", msg, label};
  }
  return parsed.plan;
}

// The register as the plan sees it on `as_of`: entities, inspection history, credit classes (the
// latest stored run as of the date, or the pinned run a commitment names: "" = none). `classification`
// receives how the commitment names the classes used.
// `committed_as` (current id -> the id a commitment holds) presents entities re-registered since a
// commitment under the ids it committed, so a 换照 between commit and reveal does not move the draw.
Result<rules::Population> BuildPopulation(store::Database& db, const rules::Plan& plan, Date as_of,
                                          std::optional<std::string> pinned_run = std::nullopt,
                                          Classification* classification = nullptr,
                                          const std::map<std::string, std::string>& committed_as = {}) {
  auto as_committed = [&](const std::string& id) -> const std::string& {
    auto it = committed_as.find(id);
    return it == committed_as.end() ? id : it->second;
  };
  std::vector<Entity> entities;
  store::EntityStore es(db);
  if (auto st = es.ForEach([&](const Entity& e) {
        entities.push_back(e);
        entities.back().id.value = as_committed(e.id.value);
        return true;
      });
      !st)
    return st.error();
  std::vector<rules::InspectionRecord> history;
  store::InspectionStore is(db);
  std::optional<Error> bad;
  if (auto st = is.ForEach([&](const store::Inspection& i) {
        auto d = ParseDate(i.inspected_on);
        if (!d) {
          bad = Error{"inspection.date", "inspection of " + i.entity_id + " has a bad date: " + d.error().message, ""};
          return false;
        }
        history.push_back({as_committed(i.entity_id), i.department, *d});
        return true;
      });
      !st)
    return st.error();
  if (bad) return *bad;
  auto cls = pinned_run ? ClassificationOfRun(db, *pinned_run) : ClassificationAsOf(db, as_of);
  if (!cls) return cls.error();
  for (const auto& [now_id, then_id] : committed_as)
    if (auto it = cls.value().classes.find(now_id); it != cls.value().classes.end()) {
      std::string c = it->second;
      cls.value().classes.erase(it);
      cls.value().classes[then_id] = c;
    }
  rules::RegisterView view{entities, &cls.value().classes, history};
  if (classification) *classification = cls.value();
  return rules::ApplyPlan(plan, view, as_of);
}

// Entities of a committed population re-registered since (换照): current id -> committed id.
Result<std::map<std::string, std::string>> CommittedIds(store::Database& db, const rules::Population& committed) {
  std::set<std::string> ids;
  for (const auto& st : committed.strata) ids.insert(st.entity_ids.begin(), st.entity_ids.end());
  for (const auto& x : committed.exclusions) ids.insert(x.entity_id);
  auto renames = store::EntityStore(db).AllRenames();
  if (!renames) return renames.error();
  std::map<std::string, std::string> out;
  for (const auto& [from, to] : renames.value())
    if (ids.count(from)) out[to] = from;
  return out;
}

sampler::EntropySource SamplerEntropy(const rules::EntropySource& e) {
  sampler::EntropySource s;
  s.kind = e.source;
  if (e.source == "dice") s.min_digits = e.digits;
  s.beacon = e.beacon;
  s.round = e.round;
  return s;
}

// Dice digits are read out by people: spaces and dashes between groups carry no meaning.
std::string CleanEntropy(const std::string& e) {
  std::string out;
  for (char c : e)
    if (c != ' ' && c != '-' && c != '\t') out += c;
  return out;
}

std::string DescribeChange(const rules::Population& committed, const rules::Population& now) {
  std::set<std::string> a, b;
  for (const auto& s : committed.strata) a.insert(s.entity_ids.begin(), s.entity_ids.end());
  for (const auto& s : now.strata) b.insert(s.entity_ids.begin(), s.entity_ids.end());
  std::size_t added = 0, removed = 0;
  for (const auto& id : b) added += !a.count(id);
  for (const auto& id : a) removed += !b.count(id);
  return std::to_string(added) + " eligible entities added, " + std::to_string(removed) +
         " removed, exclusions " + std::to_string(committed.exclusions.size()) + " -> " +
         std::to_string(now.exclusions.size());
}

Json StrataSummary(const rules::Population& p) {
  Json strata = Json::array();
  for (const auto& s : p.strata)
    strata.push_back({{"name", s.name}, {"population", static_cast<std::int64_t>(s.entity_ids.size())}, {"quota", s.quota}});
  return strata;
}

sampler::ChainEvent ToChainEvent(const store::AuditEvent& e) {
  return {e.seq, e.at, e.actor, e.action, e.subject, e.payload, e.prev_hash, e.hash};
}

Result<store::DrawRecord> MustGetDraw(store::DrawStore& ds, const std::string& draw_id) {
  auto r = ds.GetDraw(draw_id);
  if (!r) return r.error();
  if (!r.value()) return Error{"draw.unknown", "no draw " + draw_id + " (see `suiji draw list`)", "draw_id"};
  return *r.value();
}

}  // namespace

std::string OfficerPseudonym(const std::string& secret, const std::string& cert_no) {
  return "O-" + Sha256Hex(secret + "|" + cert_no).substr(0, 12);
}

Result<std::string> PseudonymSecret(store::Database& db) {
  store::DrawStore ds(db);
  auto got = ds.GetSetting(kSecretSetting);
  if (!got) return got.error();
  if (got.value()) return *got.value();
  std::random_device rd;  // OS entropy: the secret only hides identities, it decides nothing
  std::string raw;
  for (int i = 0; i < 8; ++i) raw += std::to_string(rd()) + ":";
  std::string secret = Sha256Hex(raw);
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  if (auto st = ds.PutSetting(tx.value(), kSecretSetting, secret); !st) return st.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  return secret;
}

Result<CommittedDraw> CommitDraw(store::Database& db, const RegionTable& regions, const CommitDrawOptions& o) {
  auto plan = CheckPlan(db, regions, o.plan_text, o.plan_path);
  if (!plan) return plan.error();

  store::DrawStore ds(db);
  auto live = ds.ActiveDraws(plan->id);
  if (!live) return live.error();
  if (!live->empty() && o.redraw_reason.empty())
    return Error{"draw.exists",
                 "plan " + plan->id + " already has draw " + live->front().draw_id + " (" + live->front().state +
                     "); a re-draw replaces it only with a stated reason (--redraw-reason), and both stay in the log",
                 "plan"};

  Classification classification;
  auto population = BuildPopulation(db, *plan, o.as_of, std::nullopt, &classification);
  if (!population) return population.error();

  sampler::DrawSpec spec;
  spec.plan_id = plan->id;
  spec.plan_digest = rules::PlanDigest(*plan);
  spec.population = std::move(population).value();
  std::int64_t max_quota = 0;
  for (const auto& s : spec.population.strata) max_quota = std::max(max_quota, s.quota);
  spec.reserve = o.reserve >= 0 ? o.reserve : std::max<std::int64_t>(5, (max_quota + 4) / 5);
  spec.entropy_source = SamplerEntropy(plan->entropy);
  const std::string now = db.Now();
  spec.context = {{"org_unit", plan->org_unit},
                  {"as_of", FormatDate(o.as_of)},
                  {"committed_at", now},
                  {"classification", classification.Describe(o.as_of)}};
  if (classification.run) spec.context["classification_run"] = classification.run->run_id;
  if (!live->empty()) spec.context["supersedes"] = live->front().draw_id;
  auto commitment = sampler::CommitDraw(spec);
  if (!commitment) return commitment.error();

  store::DrawRecord rec;
  rec.draw_id = "D-" + commitment->digest.substr(0, 12);
  rec.plan_id = plan->id;
  rec.plan_digest = spec.plan_digest;
  rec.plan_text = o.plan_text;
  rec.commitment = commitment->document;
  rec.commitment_digest = commitment->digest;
  rec.state = "committed";
  rec.committed_at = now;
  rec.reason = o.redraw_reason;

  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  std::optional<std::string> superseded;
  for (const auto& old : live.value()) {
    if (auto st = ds.MarkSuperseded(tx.value(), old.draw_id); !st) return st.error();
    auto ev = store::AppendAuditEvent(tx.value(), o.actor, "draw.supersede", "draws/" + old.draw_id,
                                      Json{{"draw_id", old.draw_id}, {"state_was", old.state},
                                           {"superseded_by", rec.draw_id}, {"reason", o.redraw_reason}});
    if (!ev) return ev.error();
    superseded = old.draw_id;
  }
  rec.supersedes = superseded.value_or("");
  if (auto st = ds.InsertDraw(tx.value(), rec); !st) return st.error();
  Json payload = {{"draw_id", rec.draw_id},
                  {"plan_id", rec.plan_id},
                  {"plan_digest", rec.plan_digest},
                  {"commitment_digest", rec.commitment_digest},
                  {"strata", StrataSummary(spec.population)},
                  {"exclusions", static_cast<std::int64_t>(spec.population.exclusions.size())},
                  {"reserve", spec.reserve}};
  if (auto ev = store::AppendAuditEvent(tx.value(), o.actor, "draw.commit", "draws/" + rec.draw_id, payload); !ev)
    return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  return CommittedDraw{rec, std::move(spec), superseded};
}

Result<RevealedDraw> LoadRevealedDraw(store::Database& db, const std::string& draw_id, unsigned threads) {
  store::DrawStore ds(db);
  auto rec = MustGetDraw(ds, draw_id);
  if (!rec) return rec.error();
  if (rec->entropy.empty())
    return Error{"draw.state", "draw " + draw_id + " has not been revealed yet (suiji draw reveal " + draw_id + ")", ""};
  auto spec = sampler::ParseDrawCommitment(rec->commitment);
  if (!spec) return spec.error();
  auto draw = sampler::RevealDraw(*spec, rec->commitment_digest, rec->entropy, threads);
  if (!draw) return draw.error();
  auto subs = ds.Substitutions(draw_id);
  if (!subs) return subs.error();
  sampler::EntityDraw d = std::move(draw).value();
  for (const auto& s : subs.value()) {
    auto next = sampler::SubstituteFromReserve(d, s.stratum, s.out_id, s.reason);
    if (!next) return next.error();
    d = std::move(next).value();
  }
  return RevealedDraw{rec.value(), spec.value(), std::move(d)};
}

Result<RevealedDraw> RevealDraw(store::Database& db, const RegionTable& regions, const std::string& draw_id,
                                const std::string& entropy_in, const std::string& actor, unsigned threads) {
  (void)regions;
  store::DrawStore ds(db);
  auto rec = MustGetDraw(ds, draw_id);
  if (!rec) return rec.error();
  if (rec->state != "committed")
    return Error{"draw.state",
                 "draw " + draw_id + " is " + rec->state +
                     (rec->state == "revealed" ? " (at " + rec->revealed_at + ", entropy " + rec->entropy +
                                                     "): a commitment is revealed once"
                                               : ": it was replaced by a re-draw"),
                 ""};
  auto spec = sampler::ParseDrawCommitment(rec->commitment);
  if (!spec) return spec.error();

  // The population must still be what was committed: the register may not move under a draw.
  auto plan = ParseStoredPlan(rec->plan_text, "plan of " + draw_id, {});
  if (!plan) return plan.error();
  auto as_of = ParseDate(spec->context.count("as_of") ? spec->context.at("as_of") : "");
  if (!as_of) return as_of.error();
  // The classes the commitment used (a later scoring run does not move a committed draw).
  auto pinned = spec->context.count("classification_run") ? spec->context.at("classification_run") : std::string();
  auto committed_as = CommittedIds(db, spec->population);
  if (!committed_as) return committed_as.error();
  auto now_pop = BuildPopulation(db, *plan, *as_of, pinned, nullptr, committed_as.value());
  if (!now_pop) return now_pop.error();
  if (!(now_pop.value() == spec->population))
    return Error{"draw.population_changed",
                 "the register changed after draw " + draw_id + " was committed (" +
                     DescribeChange(spec->population, now_pop.value()) +
                     "); the commitment no longer describes it, so it cannot be revealed. Commit a new draw with "
                     "--redraw-reason; this one stays in the log",
                 ""};

  const std::string entropy = CleanEntropy(entropy_in);
  auto draw = sampler::RevealDraw(*spec, rec->commitment_digest, entropy, threads);
  if (!draw) return draw.error();

  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  const std::string at = db.Now();
  if (auto st = ds.MarkRevealed(tx.value(), draw_id, entropy, draw->seed_hash, at); !st) return st.error();
  Json selected = Json::object();
  for (const auto& s : draw->strata) selected[s.name] = sampler::Selected(s);
  Json payload = {{"draw_id", draw_id},
                  {"commitment_digest", rec->commitment_digest},
                  {"entropy", entropy},
                  {"seed_hash", draw->seed_hash},
                  {"selected", selected}};
  if (auto ev = store::AppendAuditEvent(tx.value(), actor, "draw.reveal", "draws/" + draw_id, payload); !ev)
    return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  store::DrawRecord out = rec.value();
  out.state = "revealed";
  out.entropy = entropy;
  out.seed_hash = draw->seed_hash;
  out.revealed_at = at;
  return RevealedDraw{std::move(out), spec.value(), std::move(draw).value()};
}

Result<RevealedDraw> Substitute(store::Database& db, const std::string& draw_id, const std::string& stratum_in,
                                const std::string& entity_id, const std::string& reason, const std::string& actor) {
  // The draw is read inside the write transaction (writes are serialised: BEGIN IMMEDIATE, an advisory
  // lock), so two concurrent substitutions cannot both take the same reserve entity.
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  auto loaded = LoadRevealedDraw(db, draw_id);
  if (!loaded) return loaded.error();
  if (loaded->record.state == "superseded")
    return Error{"draw.state", "draw " + draw_id + " was replaced by a re-draw", ""};
  std::string stratum = stratum_in;
  if (stratum.empty())
    for (const auto& s : loaded->draw.strata) {
      auto sel = sampler::Selected(s);
      if (std::find(sel.begin(), sel.end(), entity_id) != sel.end()) stratum = s.name;
    }
  auto next = sampler::SubstituteFromReserve(loaded->draw, stratum, entity_id, reason);
  if (!next) return next.error();
  const auto& st_draw = *std::find_if(next->strata.begin(), next->strata.end(),
                                      [&](const sampler::StratumDraw& s) { return s.name == stratum; });
  const auto& sub = st_draw.substitutions.back();
  store::DrawStore ds(db);
  const std::string at = db.Now();
  if (auto st = ds.InsertSubstitution(tx.value(), {draw_id, 0, stratum, sub.out_id, sub.in_id, reason, at}); !st)
    return st.error();
  if (auto ev = store::AppendAuditEvent(tx.value(), actor, "draw.substitute", "draws/" + draw_id,
                                        Json{{"draw_id", draw_id}, {"stratum", stratum}, {"out", sub.out_id},
                                             {"in", sub.in_id}, {"reason", reason}});
      !ev)
    return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  RevealedDraw out = std::move(loaded).value();
  out.draw = std::move(next).value();
  return out;
}

Result<CommittedPairing> CommitPairing(store::Database& db, const std::string& draw_id, const std::string& actor) {
  auto loaded = LoadRevealedDraw(db, draw_id);
  if (!loaded) return loaded.error();
  if (loaded->record.state != "revealed")
    return Error{"draw.state", "draw " + draw_id + " is " + loaded->record.state + "; only a live revealed draw is paired", ""};
  auto plan = ParseStoredPlan(loaded->record.plan_text, "plan of " + draw_id, {});
  if (!plan) return plan.error();
  auto secret = PseudonymSecret(db);
  if (!secret) return secret.error();
  auto pseudo = [&](const std::string& cert) { return OfficerPseudonym(*secret, cert); };

  // What each participating department must be qualified for: the plan's items of that department.
  auto items = AllItems(db);
  if (!items) return items.error();
  std::set<std::string> plan_items(plan->items.begin(), plan->items.end());
  std::vector<sampler::Requirement> reqs;
  for (const auto& d : plan->departments)
    for (const auto& i : items.value())
      if (i.department == d.code && plan_items.count(i.code) && !i.qualification.empty())
        reqs.push_back({d.code, i.qualification});
  std::sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) {
    return std::tie(a.department, a.qualification) < std::tie(b.department, b.qualification);
  });
  reqs.erase(std::unique(reqs.begin(), reqs.end()), reqs.end());

  store::DrawStore ds(db);
  auto recusals = ds.Recusals();
  if (!recusals) return recusals.error();
  std::map<std::string, std::vector<std::string>> requested;
  for (const auto& r : recusals.value()) requested[r.entity_id].push_back(pseudo(r.cert_no));

  sampler::PairSpec spec;
  spec.draw_commitment = loaded->record.commitment_digest;
  for (const auto& d : plan->departments) spec.departments.push_back({d.code, d.officers});
  store::EntityStore es(db);
  store::InspectionStore is(db);
  // A drawn entity re-registered since the draw (换照) keeps its committed id in the task; its history,
  // recusals and declared conflicts are found under every id it has had.
  std::map<std::string, std::string> task_of;  // any id of a drawn entity -> its committed id
  for (const auto& s : loaded->draw.strata)
    for (const auto& id : sampler::Selected(s)) {
      auto current = es.Resolve(id);
      if (!current) return current.error();
      const std::string now_id = current.value().value_or(id);
      auto e = es.Get(now_id);
      if (!e) return e.error();
      if (!e.value()) return Error{"pair.entity", "drawn entity " + id + " is no longer in the register", ""};
      for (const std::string& alias : {id, now_id, e.value()->regno})
        if (!alias.empty()) task_of.emplace(alias, id);
      sampler::PairTask t;
      t.entity_id = id;
      t.region = e.value()->region;
      t.requirements = reqs;
      auto past = is.ForEntity(now_id);
      if (!past) return past.error();
      const store::Inspection* last = nullptr;
      for (const auto& p : past.value())
        if (!last || p.inspected_on > last->inspected_on) last = &p;
      if (last)
        for (const auto& c : last->officers) t.last_inspectors.push_back(pseudo(c));
      for (const std::string& alias : std::set<std::string>{id, now_id})
        if (auto it = requested.find(alias); it != requested.end())
          t.requested_recusals.insert(t.requested_recusals.end(), it->second.begin(), it->second.end());
      std::sort(t.last_inspectors.begin(), t.last_inspectors.end());
      std::sort(t.requested_recusals.begin(), t.requested_recusals.end());
      spec.tasks.push_back(std::move(t));
    }
  std::sort(spec.tasks.begin(), spec.tasks.end(),
            [](const auto& a, const auto& b) { return a.entity_id < b.entity_id; });
  store::OfficerStore os(db);
  if (auto st = os.ForEach([&](const Officer& o) {
        std::vector<std::string> conflicts = o.conflicts;
        for (const auto& c : o.conflicts)  // declared under another id of a drawn entity
          if (auto it = task_of.find(c); it != task_of.end() &&
                                         std::find(conflicts.begin(), conflicts.end(), it->second) == conflicts.end())
            conflicts.push_back(it->second);
        sampler::PairOfficer po{pseudo(o.cert_no), o.department, o.status, o.jurisdictions, o.qualifications,
                                std::move(conflicts)};
        spec.officers.push_back(std::move(po));
        return true;
      });
      !st)
    return st.error();
  std::sort(spec.officers.begin(), spec.officers.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  spec.cap = plan->max_entities_per_officer.value_or(std::max<int>(1, static_cast<int>(spec.tasks.size())));
  spec.entropy_source = SamplerEntropy(plan->entropy);
  auto existing = ds.Pairings(draw_id);
  if (!existing) return existing.error();
  const std::int64_t attempt = static_cast<std::int64_t>(existing->size()) + 1;
  const std::string now = db.Now();
  spec.context = {{"draw_id", draw_id}, {"attempt", std::to_string(attempt)}, {"committed_at", now}};
  auto commitment = sampler::CommitPairing(spec);
  if (!commitment) return commitment.error();

  store::PairingRecord rec;
  rec.pairing_id = draw_id + "-P" + std::to_string(attempt);
  rec.draw_id = draw_id;
  rec.attempt = attempt;
  rec.commitment = commitment->document;
  rec.commitment_digest = commitment->digest;
  rec.state = "committed";
  rec.committed_at = now;
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  if (auto st = ds.InsertPairing(tx.value(), rec); !st) return st.error();
  if (auto ev = store::AppendAuditEvent(tx.value(), actor, "pair.commit", "pairings/" + rec.pairing_id,
                                        Json{{"pairing_id", rec.pairing_id}, {"draw_id", draw_id},
                                             {"attempt", attempt}, {"commitment_digest", rec.commitment_digest},
                                             {"tasks", static_cast<std::int64_t>(spec.tasks.size())},
                                             {"officers", static_cast<std::int64_t>(spec.officers.size())},
                                             {"cap", spec.cap}});
      !ev)
    return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  return CommittedPairing{rec, std::move(spec)};
}

Result<RevealedPairing> LoadRevealedPairing(store::Database& db, const std::string& pairing_id) {
  store::DrawStore ds(db);
  auto rec = ds.GetPairing(pairing_id);
  if (!rec) return rec.error();
  if (!rec.value()) return Error{"pairing.unknown", "no pairing " + pairing_id, ""};
  if (rec.value()->state != "revealed") return Error{"pairing.state", "pairing " + pairing_id + " is not revealed yet", ""};
  auto spec = sampler::ParsePairCommitment(rec.value()->commitment);
  if (!spec) return spec.error();
  auto p = sampler::RevealPairing(*spec, rec.value()->commitment_digest, rec.value()->entropy);
  if (!p) return p.error();
  return RevealedPairing{*rec.value(), spec.value(), std::move(p).value()};
}

Result<RevealedPairing> RevealPairing(store::Database& db, const std::string& pairing_id, const std::string& entropy_in,
                                      const std::string& actor) {
  store::DrawStore ds(db);
  auto rec = ds.GetPairing(pairing_id);
  if (!rec) return rec.error();
  if (!rec.value()) return Error{"pairing.unknown", "no pairing " + pairing_id, ""};
  if (rec.value()->state != "committed")
    return Error{"pairing.state", "pairing " + pairing_id + " was already revealed at " + rec.value()->revealed_at +
                                      ": a commitment is revealed once; commit a new attempt",
                 ""};
  auto spec = sampler::ParsePairCommitment(rec.value()->commitment);
  if (!spec) return spec.error();
  const std::string entropy = CleanEntropy(entropy_in);
  auto p = sampler::RevealPairing(*spec, rec.value()->commitment_digest, entropy);
  if (!p) return p.error();
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  const std::string at = db.Now();
  if (auto st = ds.MarkPairingRevealed(tx.value(), pairing_id, entropy, p->seed_hash, p->status, at); !st)
    return st.error();
  Json teams = Json::array();
  for (const auto& t : p->teams) {
    Json members = Json::array();
    for (const auto& m : t.members) members.push_back(m.officer);
    teams.push_back({{"entity_id", t.entity_id}, {"officers", members}});
  }
  Json shortfalls = Json::array();
  for (const auto& s : p->shortfalls)
    shortfalls.push_back({{"entity_id", s.entity_id}, {"department", s.department}, {"reason", s.reason}});
  if (auto ev = store::AppendAuditEvent(tx.value(), actor, "pair.reveal", "pairings/" + pairing_id,
                                        Json{{"pairing_id", pairing_id}, {"entropy", entropy},
                                             {"seed_hash", p->seed_hash}, {"status", p->status},
                                             {"teams", teams}, {"shortfalls", shortfalls}});
      !ev)
    return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  rec.value()->state = "revealed";
  rec.value()->entropy = entropy;
  rec.value()->status = p->status;
  rec.value()->revealed_at = at;
  return RevealedPairing{*rec.value(), spec.value(), std::move(p).value()};
}

Result<sampler::Bundle> BuildBundle(store::Database& db, const std::string& draw_id, unsigned threads) {
  auto loaded = LoadRevealedDraw(db, draw_id, threads);
  if (!loaded) return loaded.error();
  sampler::Bundle b;
  b.draw_commitment = loaded->record.commitment;
  b.draw = loaded->draw;
  store::DrawStore ds(db);
  auto pairings = ds.Pairings(draw_id);
  if (!pairings) return pairings.error();
  std::string pairing_id;
  for (auto it = pairings->rbegin(); it != pairings->rend(); ++it) {
    if (it->state != "revealed" || it->status != "ok") continue;
    auto p = LoadRevealedPairing(db, it->pairing_id);
    if (!p) return p.error();
    b.pair_commitment = it->commitment;
    b.pairing = p->pairing;
    pairing_id = it->pairing_id;
    break;
  }
  // The events, then the chain head: it is at or after every event read.
  auto draw_events = DrawEvents(db, draw_id);
  if (!draw_events) return draw_events.error();
  sampler::BundleAudit audit;
  audit.draw_events = std::move(draw_events).value();
  if (!pairing_id.empty()) {
    auto events = store::SubjectAudit(db, "pairings/" + pairing_id);
    if (!events) return events.error();
    for (const auto& e : events.value()) audit.pairing_events.push_back(ToChainEvent(e));
  }
  auto chain = store::TailAudit(db, 1);
  if (!chain) return chain.error();
  if (!chain->empty()) audit.chain_head = {chain->back().seq, chain->back().hash};
  b.audit = std::move(audit);
  return b;
}

Result<std::vector<sampler::ChainEvent>> DrawEvents(store::Database& db, const std::string& draw_id) {
  auto events = store::SubjectAudit(db, "draws/" + draw_id);
  if (!events) return events.error();
  std::vector<sampler::ChainEvent> out;
  for (const auto& e : events.value()) out.push_back(ToChainEvent(e));
  return out;
}

Result<sampler::DrawHead> DrawAuditHead(store::Database& db, const std::string& draw_id) {
  auto events = DrawEvents(db, draw_id);
  if (!events) return events.error();
  return sampler::ComputeDrawHead(events.value());
}

Result<std::string> DrawOrgUnit(const store::DrawRecord& record) {
  auto plan = ParseStoredPlan(record.plan_text, "plan of " + record.draw_id, {});
  if (!plan) return plan.error();
  return plan->org_unit;
}

Status RequestRecusal(store::Database& db, const std::string& entity, const std::string& cert_no,
                      const std::string& reason, const std::string& actor) {
  const std::string id = NormalizeId(entity);
  if (id.empty()) return Error{"recusal.entity", "the entity id is empty", "entity_id"};
  if (cert_no.empty()) return Error{"recusal.officer", "the officer's certificate number is empty", "cert_no"};
  if (reason.empty()) return Error{"recusal.reason", "a recusal states the entity's reason", "reason"};
  store::DrawStore ds(db);
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  if (auto st = ds.PutRecusal(tx.value(), {id, cert_no, reason, db.Now().substr(0, 10)}); !st) return st;
  auto ev = store::AppendAuditEvent(tx.value(), actor, "recusal.request", "recusals/" + id,
                                    Json{{"entity_id", id}, {"cert_no", cert_no}, {"reason", reason}});
  if (!ev) return ev.error();
  return tx.value().Commit();
}

}  // namespace suiji::app
