// Officer pairing: the second commit/reveal, over the drawn tasks, the officer roster, eligibility
// and the cap. Separate from the entity draw so that an infeasible pairing can be fixed (roster,
// cap) and re-committed without touching the draw; the shell logs every attempt.
//
// Eligible(task, officer) = officer active, of a participating department, a jurisdiction that
// covers the task's region (RegionTable::Covers), holding every qualification the task requires of
// that department, and not recused (declared conflict, inspected the entity last time, recusal
// requested by the entity). Exclusions are recorded with reasons (see PairExclusions).
//
// Cost(task, officer) = 1 + the first 40 bits (big-endian) of
//   SHA-256(utf8(seed_hash2 + "pair|" + entity_id + "|" + officer_id)),  seed_hash2 = hex SHA-256(C2|E2).
// Teams = the minimum-total-cost assignment giving each task `officers` officers of every listed
// department, and no officer more than `cap` tasks (min-cost flow, LEMON NetworkSimplex). The
// optimum is unique with overwhelming probability; if it is not, status is "tie" and no teams are
// returned (the shell re-commits and reveals fresh entropy). If no assignment exists, status is
// "infeasible", no teams, and `shortfalls` name each task that cannot be staffed and why.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/canonical_json.h"
#include "core/result.h"
#include "sampler/draw.h"
#include "sampler/entropy.h"

namespace suiji::sampler {

inline constexpr const char* kPairProtocol = "suiji-pair/1";

struct Requirement {
  std::string department;
  std::string qualification;   // officers of `department` on this task must hold it
  bool operator==(const Requirement&) const = default;
};

struct PairTask {
  std::string entity_id;
  std::string region;                        // GB/T 2260 code
  std::vector<Requirement> requirements;
  std::vector<std::string> last_inspectors;     // officer ids who inspected this entity last time
  std::vector<std::string> requested_recusals;  // officer ids the entity asked to be recused
  bool operator==(const PairTask&) const = default;
};

struct PairOfficer {
  std::string id;                            // stable public pseudonym; never contains '|'
  std::string department;
  std::string status = "active";
  std::vector<std::string> jurisdictions;    // region codes
  std::vector<std::string> qualifications;
  std::vector<std::string> conflicts;        // entity ids with a declared conflict
  bool operator==(const PairOfficer&) const = default;
};

struct DepartmentShare {
  std::string department;
  std::int64_t officers = 1;                 // officers this department sends to every team
  bool operator==(const DepartmentShare&) const = default;
};

struct PairSpec {
  std::string draw_commitment;               // C1 of the draw the tasks come from
  std::vector<DepartmentShare> departments;  // team size = sum of officers, at least 2
  std::int64_t cap = 1;                      // max tasks per officer
  std::vector<PairTask> tasks;
  std::vector<PairOfficer> officers;
  EntropySource entropy_source;
  std::map<std::string, std::string> context;
  bool operator==(const PairSpec&) const = default;
};

Status ValidatePairSpec(const PairSpec& spec);
Json PairSpecToJson(const PairSpec& spec);
Result<Commitment> CommitPairing(const PairSpec& spec);
Result<PairSpec> ParsePairCommitment(const std::string& document);

// Officer-level rules (entity_id empty): "inactive", "department_not_participating".
// Pair-level rules, recorded only for officers otherwise eligible for the task:
// "conflict_declared", "inspected_last_time", "entity_requested".
struct PairExclusion {
  std::string entity_id;
  std::string officer;
  std::string rule;
  std::string reason;
  bool operator==(const PairExclusion&) const = default;
};
// Sorted by (entity_id, officer, rule).
std::vector<PairExclusion> PairExclusions(const PairSpec& spec);

std::uint64_t PairCost(const std::string& seed_hash, const std::string& entity_id,
                       const std::string& officer_id);

struct TeamMember {
  std::string department;
  std::string officer;
  std::uint64_t cost = 0;
  bool operator==(const TeamMember&) const = default;
};

struct Team {
  std::string entity_id;
  std::vector<TeamMember> members;           // department order of the spec, then officer id
  bool operator==(const Team&) const = default;
};

struct Shortfall {
  std::string entity_id;
  std::string department;
  std::string reason;                        // e.g. "needs 2 SAMR officers; 3 active SAMR officers ..."
  bool operator==(const Shortfall&) const = default;
};

struct Pairing {
  std::string commitment_digest;
  std::string entropy;
  std::string seed_hash;
  std::string status;                        // "ok" | "infeasible" | "tie"
  std::vector<Team> teams;                   // task order; empty unless status is "ok"
  std::uint64_t total_cost = 0;
  std::vector<PairExclusion> exclusions;
  std::vector<Shortfall> shortfalls;         // status "infeasible" only
  bool operator==(const Pairing&) const = default;
};

// Errors only for bad input (spec invalid, digest mismatch, entropy refused); infeasible and tie
// are statuses of a valid result.
Result<Pairing> RevealPairing(const PairSpec& spec, const std::string& commitment_digest,
                              const std::string& entropy);

// The assignment core, exposed for tests: slot s needs demand[s] officers among its arcs
// (officer, cost); each officer takes at most `cap` slots; a slot uses an officer at most once.
struct AssignmentArc {
  std::uint32_t officer;
  std::uint64_t cost;
};
struct AssignmentResult {
  std::string status;                             // "ok" | "infeasible" | "tie"
  std::vector<std::vector<std::uint32_t>> chosen;  // per slot, officer indices (ascending)
  std::uint64_t total_cost = 0;
  std::vector<std::uint32_t> short_slots;          // infeasible: slots that cannot all be staffed
  std::vector<std::uint32_t> competing_officers;   // infeasible by cap: the officers they share
  std::int64_t deficit = 0;
};
AssignmentResult SolveAssignment(const std::vector<std::int64_t>& demand,
                                 const std::vector<std::vector<AssignmentArc>>& arcs,
                                 std::size_t officers, std::int64_t cap);

}  // namespace suiji::sampler
