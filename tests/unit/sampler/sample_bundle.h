// A small but complete draw + pairing, shared by the bundle tests and the bundle writer that the
// Python reference verifier checks.
#pragma once
#include <string>

#include "core/sha256.h"
#include "sampler/bundle.h"

namespace suiji::sampler::testing {

inline Bundle SampleBundle(int variant = 0) {
  DrawSpec spec;
  spec.plan_id = "2026-JOINT-" + std::to_string(variant);
  spec.plan_digest = Sha256Hex("plan " + std::to_string(variant));
  spec.reserve = 2;
  const char* names[] = {"A", "B", "unclassified"};
  const std::int64_t bp[] = {300, 1000, 500};
  const int sizes[] = {120, 40, 25};
  const char* regions[] = {"350102", "350103", "350203"};
  for (int s = 0; s < 3; ++s) {
    rules::Stratum st;
    st.name = names[s];
    st.ratio_bp = bp[s];
    st.min_count = 2;
    for (int i = 0; i < sizes[s]; ++i) {
      // Mixed identifier kinds, including a legacy one with CJK characters and a comma.
      if (i % 17 == 5) st.entity_ids.push_back("企独闽总字第" + std::to_string(s * 1000 + i) + "号,分");
      else st.entity_ids.push_back("91" + std::string(regions[s]) + "MA" + std::to_string(10000000 + s * 1000 + i));
    }
    std::sort(st.entity_ids.begin(), st.entity_ids.end());
    st.quota = rules::Quota(sizes[s], bp[s], st.min_count, std::nullopt);
    spec.population.strata.push_back(st);
  }
  spec.population.exclusions = {{"91350102MA00000001", "recently_inspected", "inspected by SAMR on 2026-03-01, within 180 days"},
                                {"91350102MA00000002", "deregistered", "status \"deregistered\" since 2025-12-31"}};
  spec.context = {{"org_unit", "350100-SAMR"}, {"draw_id", "D-" + std::to_string(variant)}};
  auto c1 = CommitDraw(spec).value();
  Bundle b;
  b.draw_commitment = c1.document;
  b.draw = RevealDraw(spec, c1.digest, "31415926535897932384" + std::to_string(variant)).value();
  b.draw = SubstituteFromReserve(b.draw, "B", b.draw.strata[1].drawn[1].id, "deregistered, found at the visit").value();

  PairSpec ps;
  ps.draw_commitment = c1.digest;
  ps.departments = {{"SAMR", 1}, {"MEE", 1}};
  ps.cap = 3;
  ps.entropy_source = EntropySource{"beacon", 20, "drand-quicknet", 4242 + variant};
  for (std::size_t s = 0; s < b.draw.strata.size(); ++s)
    for (const auto& id : Selected(b.draw.strata[s])) {
      PairTask t{id, regions[s], {}, {}, {}};
      if (s == 0) t.requirements.push_back({"SAMR", "FOOD"});
      ps.tasks.push_back(t);
    }
  ps.tasks[0].last_inspectors = {"P-S01"};
  ps.tasks[1].requested_recusals = {"P-M02"};
  for (int i = 1; i <= 8; ++i) {
    PairOfficer o{"P-S0" + std::to_string(i), "SAMR", "active", {i % 2 ? "350100" : "350000"}, {}, {}};
    if (i <= 5) o.qualifications = {"FOOD"};
    if (i == 3) o.conflicts = {ps.tasks[2].entity_id};
    if (i == 8) o.status = "retired";
    ps.officers.push_back(o);
  }
  for (int i = 1; i <= 6; ++i)
    ps.officers.push_back(PairOfficer{"P-M0" + std::to_string(i), "MEE", "active", {"350000"}, {}, {}});
  ps.officers.push_back(PairOfficer{"P-T01", "TAX", "active", {"350000"}, {}, {}});
  auto c2 = CommitPairing(ps).value();
  b.pair_commitment = c2.document;
  std::string beacon = Sha256Hex("beacon round " + std::to_string(4242 + variant));
  b.pairing = RevealPairing(ps, c2.digest, beacon).value();
  return b;
}

}  // namespace suiji::sampler::testing
