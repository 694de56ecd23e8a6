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

// Binds a SampleBundle to an audit chain as suiji's store would write it (data/store/audit_log.h): the
// draw's commit, reveal and substitution and the pairing's commit and reveal, among events of other
// subjects (seq 1-2, 4, 7-8, 11), so some of the bundle's events are chain neighbours (5-6, 9-10) and
// some are not.
inline ChainEvent ChainEventAt(std::int64_t seq, const std::string& prev, const std::string& action,
                               const std::string& subject, const Json& payload) {
  ChainEvent e{seq, "2026-12-07T09:00:0" + std::to_string(seq % 10) + "Z", "api:planner", action, subject,
               CanonicalJson(payload), prev, ""};
  Json record{{"seq", e.seq}, {"at", e.at}, {"actor", e.actor}, {"action", e.action}, {"subject", e.subject},
              {"payload", payload}, {"prev_hash", e.prev_hash}};
  e.hash = Sha256Hex(CanonicalJson(record));
  return e;
}

inline void BindToAuditChain(Bundle& b) {
  const std::string draw_id = "D-" + b.draw.commitment_digest.substr(0, 12);
  const std::string subject = "draws/" + draw_id;
  auto other = [](std::int64_t seq) { return Sha256Hex("another subject's event " + std::to_string(seq)); };
  auto spec = ParseDrawCommitment(b.draw_commitment).value();
  Json strata = Json::array(), selected = Json::object();
  for (const auto& s : spec.population.strata)
    strata.push_back({{"name", s.name}, {"population", static_cast<std::int64_t>(s.entity_ids.size())}, {"quota", s.quota}});
  for (const auto& s : b.draw.strata) {
    std::vector<std::string> drawn;
    for (const auto& t : s.drawn) drawn.push_back(t.id);
    selected[s.name] = drawn;
  }
  BundleAudit a;
  a.draw_events.push_back(ChainEventAt(3, other(2), "draw.commit", subject,
                                       {{"draw_id", draw_id}, {"plan_id", spec.plan_id}, {"plan_digest", spec.plan_digest},
                                        {"commitment_digest", b.draw.commitment_digest}, {"strata", strata},
                                        {"exclusions", static_cast<std::int64_t>(spec.population.exclusions.size())},
                                        {"reserve", spec.reserve}}));
  a.draw_events.push_back(ChainEventAt(5, other(4), "draw.reveal", subject,
                                       {{"draw_id", draw_id}, {"commitment_digest", b.draw.commitment_digest},
                                        {"entropy", b.draw.entropy}, {"seed_hash", b.draw.seed_hash}, {"selected", selected}}));
  std::int64_t seq = 6;
  for (const auto& s : b.draw.strata)
    for (const auto& x : s.substitutions)
      a.draw_events.push_back(ChainEventAt(seq++, a.draw_events.back().hash, "draw.substitute", subject,
                                           {{"draw_id", draw_id}, {"stratum", s.name}, {"out", x.out_id},
                                            {"in", x.in_id}, {"reason", x.reason}}));
  if (b.pairing) {
    auto ps = ParsePairCommitment(*b.pair_commitment).value();
    const std::string pid = draw_id + "-P1";
    Json teams = Json::array();
    for (const auto& t : b.pairing->teams) {
      Json members = Json::array();
      for (const auto& m : t.members) members.push_back(m.officer);
      teams.push_back({{"entity_id", t.entity_id}, {"officers", members}});
    }
    seq += 2;
    a.pairing_events.push_back(ChainEventAt(seq, other(seq - 1), "pair.commit", "pairings/" + pid,
                                            {{"pairing_id", pid}, {"draw_id", draw_id}, {"attempt", 1},
                                             {"commitment_digest", b.pairing->commitment_digest},
                                             {"tasks", static_cast<std::int64_t>(ps.tasks.size())},
                                             {"officers", static_cast<std::int64_t>(ps.officers.size())}, {"cap", ps.cap}}));
    ++seq;
    a.pairing_events.push_back(ChainEventAt(seq, a.pairing_events.back().hash, "pair.reveal", "pairings/" + pid,
                                            {{"pairing_id", pid}, {"entropy", b.pairing->entropy},
                                             {"seed_hash", b.pairing->seed_hash}, {"status", b.pairing->status},
                                             {"teams", teams}, {"shortfalls", Json::array()}}));
  }
  a.chain_head = {seq + 1, other(seq + 1)};
  b.audit = std::move(a);
}

}  // namespace suiji::sampler::testing
