// The rows the report builders are handed (api/app/reports.h gathers them from the store). Plain data,
// already fitted to the audience: a public copy's rows carry officer pseudonyms, masked sole-trader
// names and no credit class (credit_class empty, strata of class-stratified plans left unnamed); the
// builders also never show a class in a public copy, whatever they are handed.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace suiji::reports {

struct ItemFacts {
  std::string code, name, department;
};

struct SamplingRuleFacts {
  std::string stratum;  // A | B | C | D | unclassified | all
  std::int64_t ratio_bp = 0;
};

struct PlanFacts {
  std::string plan_id, title, org_unit, org_unit_name, plan_digest;
  int year = 0;
  std::vector<std::string> departments;  // codes, the lead first
  std::vector<ItemFacts> items;
  std::vector<SamplingRuleFacts> sampling;
  std::string schedule_start, schedule_end;
};

// What a draw drew from each stratum: N (population), n (quota) — the known inclusion probability n/N.
struct StratumFacts {
  std::string stratum;
  std::int64_t population = 0, quota = 0;
};

struct SubstitutionFacts {
  std::string stratum, out_id, in_id, reason, at;
};

struct DrawFacts {
  std::string draw_id, plan_id, state, commitment_digest, committed_at, revealed_at, entropy, seed_hash;
  std::string supersedes, reason;  // a re-draw: the draw it replaced and why
  std::vector<StratumFacts> strata;
  std::vector<SubstitutionFacts> substitutions;
  std::int64_t pairing_attempts = 0;  // 0 = not paired; > 1 = re-paired
  std::string pairing_state;          // of the latest attempt: ok | infeasible | tie | committed | ""
};

struct CorrectionFacts {
  std::int64_t version = 0;
  std::string reason, published_on;
};

struct ObjectionFacts {
  std::string receipt_no, state, filed_on, decided_on, decision_reason;  // state: pending | rejected | upheld
};

// One task (entity x plan items x team) of a paired draw, with its result so far.
struct TaskFacts {
  std::string result_id, draw_id, plan_id, entity_id, entity_name, region, region_name, industry, department;
  std::string credit_class;  // regulator copies only; "" = unclassified or not shown
  std::string stratum;       // the draw stratum it was drawn from; "" in public copies of class-stratified plans
  std::vector<std::string> team;  // pseudonyms (public) or certificate numbers (regulator)
  std::string state;         // draft | submitted | approved | published | "" (nothing entered)
  std::string result_code, result_label, result_label_en;
  bool problem = false;      // the published result found a problem (core/result_codes.h)
  std::string inspected_on, concluded_on, published_on, due_on;  // published_on of the first version
  std::vector<CorrectionFacts> corrections;                      // versions after the first
  std::vector<ObjectionFacts> objections;
  bool published() const { return state == "published"; }
  bool late() const { return published() && !due_on.empty() && published_on > due_on; }
};

// An entity's inspections in a year against the annual cap (plans' annual_cap rule).
struct CapFacts {
  std::string entity_id, entity_name;
  std::int64_t inspections = 0, cap = 0;
};

inline constexpr std::size_t kNearCapListed = 1000;  // a longer list is a finding, not a table to read

struct ReportFacts {
  std::string audience = "public";  // public | regulator
  std::string generated_at;         // the store clock, ISO 8601 (reports do not read clocks)
  std::string period_from, period_to;  // inclusive dates; empty for a plan report
  std::int64_t register_size = 0;      // entities in the register (coverage's denominator)
  std::map<std::string, std::int64_t> register_by_region;  // region code -> entities (county level)
  std::map<std::string, std::string> region_names;
  std::vector<PlanFacts> plans;
  std::vector<DrawFacts> draws;   // live (revealed) and superseded
  std::vector<TaskFacts> tasks;
  std::vector<CapFacts> near_cap;  // entities at the cap (regulator copies), at most kNearCapListed
  std::int64_t at_cap = 0;         // entities at or over the cap
  std::int64_t over_cap = 0;       // entities over it (should be 0)
  bool regulator() const { return audience == "regulator"; }
};

// The third-party audit (第三方评估): what was re-checked and what was found.
struct DrawCheckFacts {
  std::string draw_id, plan_id, state;
  bool verified = false;        // suiji's own verifier recomputed the bundle: MATCH
  std::string difference;       // when not verified
  std::int64_t substitutions = 0;
};

struct ChainFacts {
  bool ok = false;
  std::int64_t events = 0;
  std::string head;
  std::string problem;  // when !ok: where and what
};

struct RowsFacts {
  std::string table;
  bool ok = false;
  std::int64_t rows = 0, batches = 0, problems = 0;
};

struct AuditFacts {
  std::string generated_at, period_from, period_to;
  ChainFacts chain;
  std::vector<RowsFacts> rows;
  std::vector<DrawCheckFacts> checks;
  ReportFacts facts;  // the period's plans, draws (supersedes, substitutions, re-pairings) and tasks
};

}  // namespace suiji::reports
