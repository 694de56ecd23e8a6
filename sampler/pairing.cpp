// Eligibility, exclusions, costs and the reveal step of the officer pairing.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/sha256.h"
#include "sampler/pairing.h"
#include "sampler/ticket.h"

namespace suiji::sampler {
namespace {

bool Holds(const PairOfficer& o, const std::string& q) {
  return std::find(o.qualifications.begin(), o.qualifications.end(), q) != o.qualifications.end();
}

// The region codes whose holder covers `region` (RegionTable::Covers): itself, its city, its province.
std::vector<std::string> CoveringCodes(const std::string& region) {
  if (region.size() != 6) return {};
  std::vector<std::string> codes{region};
  std::string city = region.substr(0, 4) + "00", province = region.substr(0, 2) + "0000";
  if (city != region) codes.push_back(city);
  if (province != region && province != city) codes.push_back(province);
  return codes;
}

const char* RuleText(const std::string& rule) {
  if (rule == "conflict_declared") return "conflict declared";
  if (rule == "inspected_last_time") return "inspected last time";
  return "recusal requested by the entity";
}

// Per (task, department) slot: the candidates in order of discovery and the counts that explain them.
struct Slot {
  std::size_t task = 0, dept = 0;
  std::int64_t demand = 0;
  std::vector<std::uint32_t> eligible;
  std::int64_t covering = 0, qualified = 0;
  std::vector<std::pair<std::string, std::string>> recused;  // (rule, officer)
  std::vector<std::string> quals;
};

struct Eligibility {
  std::vector<Slot> slots;
  std::vector<PairExclusion> exclusions;
};

Eligibility ComputeEligibility(const PairSpec& spec) {
  Eligibility out;
  std::map<std::string, std::size_t> dept_index;
  for (std::size_t d = 0; d < spec.departments.size(); ++d) dept_index[spec.departments[d].department] = d;
  std::unordered_map<std::string, std::uint32_t> officer_index;
  // (department index, jurisdiction code) -> officers in the pool.
  std::map<std::pair<std::size_t, std::string>, std::vector<std::uint32_t>> by_place;
  std::unordered_map<std::string, std::vector<std::uint32_t>> conflicts;  // entity -> officers
  for (std::uint32_t i = 0; i < spec.officers.size(); ++i) {
    const auto& o = spec.officers[i];
    officer_index[o.id] = i;
    if (o.status != "active") {
      out.exclusions.push_back({"", o.id, "inactive", "officer status is " + o.status});
      continue;
    }
    auto d = dept_index.find(o.department);
    if (d == dept_index.end()) {
      out.exclusions.push_back({"", o.id, "department_not_participating",
                                "department " + o.department + " does not take part in this plan"});
      continue;
    }
    std::set<std::string> places(o.jurisdictions.begin(), o.jurisdictions.end());
    for (const auto& p : places) by_place[{d->second, p}].push_back(i);
    for (const auto& e : o.conflicts) conflicts[e].push_back(i);
  }
  std::vector<std::uint32_t> stamp(spec.officers.size(), ~0u);
  std::uint32_t stamp_value = 0;
  for (std::size_t t = 0; t < spec.tasks.size(); ++t) {
    const auto& task = spec.tasks[t];
    // Recusals of this entity, by officer index.
    std::map<std::uint32_t, std::vector<std::string>> recusal;
    if (auto c = conflicts.find(task.entity_id); c != conflicts.end())
      for (auto i : c->second) recusal[i].push_back("conflict_declared");
    for (const auto& id : task.last_inspectors)
      if (auto f = officer_index.find(id); f != officer_index.end()) recusal[f->second].push_back("inspected_last_time");
    for (const auto& id : task.requested_recusals)
      if (auto f = officer_index.find(id); f != officer_index.end()) recusal[f->second].push_back("entity_requested");
    auto codes = CoveringCodes(task.region);
    for (std::size_t d = 0; d < spec.departments.size(); ++d) {
      Slot slot;
      slot.task = t;
      slot.dept = d;
      slot.demand = spec.departments[d].officers;
      for (const auto& r : task.requirements)
        if (r.department == spec.departments[d].department) slot.quals.push_back(r.qualification);
      ++stamp_value;
      std::vector<std::uint32_t> pool;
      for (const auto& code : codes) {
        auto it = by_place.find({d, code});
        if (it == by_place.end()) continue;
        for (auto i : it->second)
          if (stamp[i] != stamp_value) {
            stamp[i] = stamp_value;
            pool.push_back(i);
          }
      }
      std::sort(pool.begin(), pool.end());
      slot.covering = static_cast<std::int64_t>(pool.size());
      for (auto i : pool) {
        const auto& o = spec.officers[i];
        bool qualified = std::all_of(slot.quals.begin(), slot.quals.end(), [&](const auto& q) { return Holds(o, q); });
        if (!qualified) continue;
        ++slot.qualified;
        auto rec = recusal.find(i);
        if (rec == recusal.end()) {
          slot.eligible.push_back(i);
          continue;
        }
        std::set<std::string> rules(rec->second.begin(), rec->second.end());
        for (const auto& rule : rules) {
          slot.recused.push_back({rule, o.id});
          std::string reason = rule == "conflict_declared"   ? "officer declared a conflict of interest with this entity"
                               : rule == "inspected_last_time" ? "officer inspected this entity last time"
                                                               : "the entity requested this officer's recusal";
          out.exclusions.push_back({task.entity_id, o.id, rule, reason});
        }
      }
      out.slots.push_back(std::move(slot));
    }
  }
  std::sort(out.exclusions.begin(), out.exclusions.end(), [](const PairExclusion& a, const PairExclusion& b) {
    return std::tie(a.entity_id, a.officer, a.rule) < std::tie(b.entity_id, b.officer, b.rule);
  });
  return out;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::string EligibilityReason(const PairSpec& spec, const Slot& slot) {
  const auto& dept = spec.departments[slot.dept].department;
  const auto& task = spec.tasks[slot.task];
  std::string s = "needs " + std::to_string(slot.demand) + " " + dept + " officer" + (slot.demand > 1 ? "s" : "") +
                  "; " + std::to_string(slot.covering) + " active " + dept + " officer" +
                  (slot.covering == 1 ? "" : "s") + " in jurisdiction " + task.region;
  if (slot.quals.empty())
    s += " (no qualification required)";
  else
    s += ", " + std::to_string(slot.qualified) + " with qualification " + Join(slot.quals, "+");
  std::set<std::string> recused_officers;
  for (const auto& r : slot.recused) recused_officers.insert(r.second);
  if (!recused_officers.empty()) {
    std::vector<std::string> parts;
    for (const auto& r : slot.recused) parts.push_back(std::string(RuleText(r.first)) + " (" + r.second + ")");
    s += "; " + std::to_string(recused_officers.size()) + " recused: " + Join(parts, ", ");
  }
  s += "; " + std::to_string(slot.eligible.size()) + " eligible";
  return s;
}

}  // namespace

std::vector<PairExclusion> PairExclusions(const PairSpec& spec) { return ComputeEligibility(spec).exclusions; }

std::uint64_t PairCost(const std::string& seed_hash, const std::string& entity_id, const std::string& officer_id) {
  Digest d = Sha256(seed_hash + "pair|" + entity_id + "|" + officer_id);
  std::uint64_t v = 0;
  for (int i = 0; i < 5; ++i) v = (v << 8) | d[i];
  return 1 + v;
}

Result<Pairing> RevealPairing(const PairSpec& spec, const std::string& commitment_digest, const std::string& entropy) {
  auto commit = CommitPairing(spec);
  if (!commit) return commit.error();
  if (commit.value().digest != commitment_digest)
    return Error{"pair.commitment_mismatch", "the pairing inputs changed after commit: digest is " +
                                                 commit.value().digest + ", committed " + commitment_digest,
                 "commitment"};
  if (auto st = ValidateEntropy(spec.entropy_source, entropy); !st) return st.error();
  Pairing p;
  p.commitment_digest = commitment_digest;
  p.entropy = entropy;
  p.seed_hash = SeedHash(MakeSeed(commitment_digest, entropy));
  Eligibility el = ComputeEligibility(spec);
  p.exclusions = std::move(el.exclusions);

  TicketHasher hasher(p.seed_hash);  // the same one-block prefix trick as the tickets
  std::vector<std::int64_t> demand;
  std::vector<std::vector<AssignmentArc>> arcs;
  demand.reserve(el.slots.size());
  arcs.reserve(el.slots.size());
  std::string suffix;
  for (const auto& slot : el.slots) {
    demand.push_back(slot.demand);
    std::vector<AssignmentArc> a;
    a.reserve(slot.eligible.size());
    for (auto o : slot.eligible) {
      suffix = "pair|" + spec.tasks[slot.task].entity_id + "|" + spec.officers[o].id;
      Digest d = hasher.Hash(suffix);
      std::uint64_t v = 0;
      for (int i = 0; i < 5; ++i) v = (v << 8) | d[i];
      a.push_back({o, 1 + v});
    }
    arcs.push_back(std::move(a));
  }
  AssignmentResult r = SolveAssignment(demand, arcs, spec.officers.size(), spec.cap);
  p.status = r.status;
  if (r.status == "infeasible") {
    std::vector<std::string> competing;
    for (auto o : r.competing_officers) competing.push_back(spec.officers[o].id);
    for (auto s : r.short_slots) {
      const Slot& slot = el.slots[s];
      std::string reason;
      if (static_cast<std::int64_t>(slot.eligible.size()) < slot.demand) {
        reason = EligibilityReason(spec, slot);
      } else {
        reason = EligibilityReason(spec, slot) + "; but it competes with " + std::to_string(r.short_slots.size() - 1) +
                 " other task slot(s) for the same " + std::to_string(competing.size()) + " officer(s) (" +
                 Join(competing, ", ") + "), all at the cap of " + std::to_string(spec.cap) + " task(s); " +
                 std::to_string(r.deficit) + " officer-visit(s) short in total";
      }
      p.shortfalls.push_back({spec.tasks[slot.task].entity_id, spec.departments[slot.dept].department, reason});
    }
    return p;
  }
  if (r.status == "error") return Error{"pair.solver", "the min-cost flow solver returned a non-optimal flow", ""};
  if (r.status != "ok") return p;
  p.total_cost = r.total_cost;
  for (std::size_t t = 0; t < spec.tasks.size(); ++t) p.teams.push_back(Team{spec.tasks[t].entity_id, {}});
  for (std::size_t s = 0; s < el.slots.size(); ++s) {
    const Slot& slot = el.slots[s];
    std::vector<TeamMember> members;
    for (auto o : r.chosen[s]) {
      std::uint64_t c = 0;
      for (const auto& a : arcs[s])
        if (a.officer == o) c = a.cost;
      members.push_back({spec.departments[slot.dept].department, spec.officers[o].id, c});
    }
    std::sort(members.begin(), members.end(), [](const TeamMember& a, const TeamMember& b) { return a.officer < b.officer; });
    auto& team = p.teams[slot.task].members;
    team.insert(team.end(), members.begin(), members.end());
  }
  return p;
}

}  // namespace suiji::sampler
