// Population: what a sampling plan selects from a register, frozen before any randomness exists.
// Produced by ApplyPlan (rules/plan_apply.h) from a Plan and the register; consumed by the sampler,
// which commits to it. Pure values: no I/O.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace suiji::rules {

// Why an entity of the filtered population is not eligible.
struct Exclusion {
  std::string entity_id;
  std::string rule;    // "recently_inspected" | "annual_cap" | "deregistered" | "explicit" | ...
  std::string reason;  // human-readable, e.g. "inspected by SAMR on 2026-09-01 (within 180 days)"
  bool operator==(const Exclusion&) const = default;
};

// One stratum (default: a credit-risk class A/B/C/D; entities with no class form their own stratum).
struct Stratum {
  std::string name;                    // e.g. "A", "B", "C", "D", "unclassified"
  std::int64_t ratio_bp = 0;           // sampling ratio in basis points (1/10000)
  std::optional<std::int64_t> min_count, max_count;
  std::vector<std::string> entity_ids;  // eligible ids, sorted ascending (byte order), unique
  std::int64_t quota = 0;               // Quota(entity_ids.size(), ratio_bp, min_count, max_count)
  bool operator==(const Stratum&) const = default;
};

struct Population {
  std::vector<Stratum> strata;          // in plan order
  std::vector<Exclusion> exclusions;    // sorted by entity_id, then rule
  bool operator==(const Population&) const = default;
};

// k = min(N, max(min, ceil(N * bp / 10000))), then capped by max when given; integers only.
inline std::int64_t Quota(std::int64_t n, std::int64_t bp, std::optional<std::int64_t> min_count,
                          std::optional<std::int64_t> max_count) {
  std::int64_t k = (n * bp + 9999) / 10000;
  if (min_count && k < *min_count) k = *min_count;
  if (k > n) k = n;
  if (max_count && k > *max_count) k = *max_count;
  return k < 0 ? 0 : k;
}

}  // namespace suiji::rules
