#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <set>

#include "core/region.h"
#include "core/sha256.h"
#include "sampler/pairing.h"

namespace suiji::sampler {
namespace {

PairOfficer Off(std::string id, std::string dept, std::vector<std::string> jur, std::vector<std::string> quals,
                std::vector<std::string> conflicts = {}, std::string status = "active") {
  return PairOfficer{std::move(id), std::move(dept), std::move(status), std::move(jur), std::move(quals), std::move(conflicts)};
}

PairSpec JointSpec() {
  PairSpec spec;
  spec.draw_commitment = Sha256Hex("draw");
  spec.departments = {{"SAMR", 1}, {"MEE", 1}};
  spec.cap = 2;
  spec.tasks = {
      {"E1", "350102", {{"SAMR", "FOOD"}}, {"S2"}, {}},
      {"E2", "350103", {{"SAMR", "FOOD"}}, {}, {"M1"}},
      {"E3", "350102", {}, {}, {}},
      {"E4", "350203", {}, {}, {}},
  };
  spec.officers = {
      Off("S1", "SAMR", {"350102"}, {"FOOD"}, {"E3"}),
      Off("S2", "SAMR", {"350100"}, {"FOOD"}),
      Off("S3", "SAMR", {"350000"}, {"FOOD"}),
      Off("S4", "SAMR", {"350102", "350103"}, {}),
      Off("S5", "SAMR", {"350000"}, {"FOOD"}, {}, "suspended"),
      Off("M1", "MEE", {"350000"}, {}),
      Off("M2", "MEE", {"350100"}, {}),
      Off("M3", "MEE", {"350000"}, {}),
      Off("T1", "TAX", {"350000"}, {}),
  };
  return spec;
}

std::set<std::pair<std::string, std::string>> Eligible(const PairSpec& spec) {
  // The definition, literally, for cross-checking.
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& t : spec.tasks)
    for (const auto& o : spec.officers) {
      bool dept = false;
      for (const auto& d : spec.departments) dept |= d.department == o.department;
      bool covers = false;
      for (const auto& j : o.jurisdictions) covers |= RegionTable::Covers(j, t.region);
      bool qual = true;
      for (const auto& r : t.requirements)
        if (r.department == o.department)
          qual &= std::find(o.qualifications.begin(), o.qualifications.end(), r.qualification) != o.qualifications.end();
      auto in = [](const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); };
      bool recused = in(o.conflicts, t.entity_id) || in(t.last_inspectors, o.id) || in(t.requested_recusals, o.id);
      if (o.status == "active" && dept && covers && qual && !recused) out.insert({t.entity_id, o.id});
    }
  return out;
}

TEST(Pairing, CostVector) {
  // Python: 1 + int.from_bytes(sha256((seed_hash + "pair|91350100M000100Y43|P-0001").encode()).digest()[:5], "big")
  EXPECT_EQ(PairCost("a4ab6e298e685762707e4418cc06efd736c8a29c6b92cd844951d55cd58bb56a", "91350100M000100Y43", "P-0001"),
            922973412849u);
}

TEST(Pairing, TeamsAreEligibleWithinCapAndOptimal) {
  auto spec = JointSpec();
  auto c = CommitPairing(spec);
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto back = ParsePairCommitment(c->document);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back.value(), spec);
  auto eligible = Eligible(spec);
  std::map<std::string, std::string> dept_of;
  for (const auto& o : spec.officers) dept_of[o.id] = o.department;
  for (int round = 0; round < 30; ++round) {
    std::string e = std::to_string(10000000000000000000ULL + static_cast<unsigned>(round) * 7919u);
    auto p = RevealPairing(spec, c->digest, e);
    ASSERT_TRUE(p.ok()) << p.error().message;
    ASSERT_EQ(p->status, "ok");
    ASSERT_EQ(p->teams.size(), spec.tasks.size());
    std::map<std::string, int> load;
    std::uint64_t total = 0;
    for (const auto& team : p->teams) {
      ASSERT_EQ(team.members.size(), 2u);
      EXPECT_EQ(team.members[0].department, "SAMR");
      EXPECT_EQ(team.members[1].department, "MEE");
      for (const auto& m : team.members) {
        EXPECT_TRUE(eligible.count({team.entity_id, m.officer})) << team.entity_id << " " << m.officer;
        EXPECT_EQ(dept_of[m.officer], m.department);
        EXPECT_EQ(m.cost, PairCost(p->seed_hash, team.entity_id, m.officer));
        ++load[m.officer];
        total += m.cost;
      }
    }
    for (const auto& [o, n] : load) EXPECT_LE(n, spec.cap) << o;
    EXPECT_EQ(total, p->total_cost);
    // Brute force the optimum over all eligible choices.
    std::uint64_t best = ~0ull;
    std::map<std::string, int> used;
    std::function<void(std::size_t, std::size_t, std::uint64_t)> rec = [&](std::size_t t, std::size_t d, std::uint64_t acc) {
      if (t == spec.tasks.size()) { best = std::min(best, acc); return; }
      if (d == spec.departments.size()) { rec(t + 1, 0, acc); return; }
      for (const auto& o : spec.officers)
        if (o.department == spec.departments[d].department && eligible.count({spec.tasks[t].entity_id, o.id}) &&
            used[o.id] < spec.cap) {
          ++used[o.id];
          rec(t, d + 1, acc + PairCost(p->seed_hash, spec.tasks[t].entity_id, o.id));
          --used[o.id];
        }
    };
    rec(0, 0, 0);
    EXPECT_EQ(p->total_cost, best);
  }
}

TEST(Pairing, ExclusionsAreRecordedWithReasons) {
  auto ex = PairExclusions(JointSpec());
  std::vector<PairExclusion> expected = {
      {"", "S5", "inactive", "officer status is suspended"},
      {"", "T1", "department_not_participating", "department TAX does not take part in this plan"},
      {"E1", "S2", "inspected_last_time", "officer inspected this entity last time"},
      {"E2", "M1", "entity_requested", "the entity requested this officer's recusal"},
      {"E3", "S1", "conflict_declared", "officer declared a conflict of interest with this entity"},
  };
  EXPECT_EQ(ex, expected);
}

TEST(Pairing, InfeasibleByEligibilityNamesTheTaskAndWhy) {
  PairSpec spec;
  spec.draw_commitment = Sha256Hex("draw");
  spec.departments = {{"SAMR", 2}};
  spec.cap = 3;
  spec.tasks = {{"9151050200000001XA", "510502", {{"SAMR", "FOOD"}}, {"B"}, {}},
                {"9151050200000002XB", "510502", {}, {}, {}}};
  spec.officers = {Off("A", "SAMR", {"510502"}, {"FOOD"}, {"9151050200000001XA"}),
                   Off("B", "SAMR", {"510500"}, {"FOOD"}), Off("C", "SAMR", {"510000"}, {"FOOD"}),
                   Off("D", "SAMR", {"510502"}, {})};
  auto c = CommitPairing(spec).value();
  auto p = RevealPairing(spec, c.digest, "12345678901234567890").value();
  EXPECT_EQ(p.status, "infeasible");
  EXPECT_TRUE(p.teams.empty());
  ASSERT_EQ(p.shortfalls.size(), 1u);
  EXPECT_EQ(p.shortfalls[0].entity_id, "9151050200000001XA");
  EXPECT_EQ(p.shortfalls[0].department, "SAMR");
  EXPECT_EQ(p.shortfalls[0].reason,
            "needs 2 SAMR officers; 4 active SAMR officers in jurisdiction 510502, 3 with qualification FOOD; "
            "2 recused: conflict declared (A), inspected last time (B); 1 eligible");
}

TEST(Pairing, InfeasibleByCapNamesTheCompetingTasks) {
  PairSpec spec;
  spec.draw_commitment = Sha256Hex("draw");
  spec.departments = {{"SAMR", 1}, {"MEE", 1}};
  spec.cap = 2;
  spec.tasks = {{"E1", "350102", {}, {}, {}}, {"E2", "350102", {}, {}, {}}, {"E3", "350102", {}, {}, {}},
                {"E4", "440103", {}, {}, {}}};
  spec.officers = {Off("S1", "SAMR", {"350102"}, {}), Off("S9", "SAMR", {"440100"}, {}),
                   Off("M1", "MEE", {"350000", "440000"}, {}), Off("M2", "MEE", {"350000", "440000"}, {})};
  auto c = CommitPairing(spec).value();
  auto p = RevealPairing(spec, c.digest, "12345678901234567890").value();
  EXPECT_EQ(p.status, "infeasible");
  EXPECT_TRUE(p.teams.empty());
  ASSERT_EQ(p.shortfalls.size(), 3u);  // the three 350102 tasks share S1; E4 and the MEE slots are fine
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(p.shortfalls[i].entity_id, "E" + std::to_string(i + 1));
    EXPECT_EQ(p.shortfalls[i].department, "SAMR");
    EXPECT_EQ(p.shortfalls[i].reason,
              "needs 1 SAMR officer; 1 active SAMR officer in jurisdiction 350102 (no qualification required); 1 eligible; "
              "but it competes with 2 other task slot(s) for the same 1 officer(s) (S1), all at the cap of 2 task(s); "
              "1 officer-visit(s) short in total");
  }
}

TEST(Pairing, TiesAreDetected) {
  // Two slots, two officers, equal costs: two optimal assignments.
  auto r = SolveAssignment({1, 1}, {{{0, 5}, {1, 5}}, {{0, 5}, {1, 5}}}, 2, 1);
  EXPECT_EQ(r.status, "tie");
  EXPECT_TRUE(r.chosen.empty());
  r = SolveAssignment({1, 1}, {{{0, 1}, {1, 5}}, {{0, 5}, {1, 1}}}, 2, 1);
  EXPECT_EQ(r.status, "ok");
  EXPECT_EQ(r.chosen, (std::vector<std::vector<std::uint32_t>>{{0}, {1}}));
  EXPECT_EQ(r.total_cost, 2u);
  // One slot, two officers with spare capacity, equal cost: the alternative goes through the sink.
  EXPECT_EQ(SolveAssignment({1}, {{{0, 3}, {1, 3}}}, 2, 1).status, "tie");
  EXPECT_EQ(SolveAssignment({1}, {{{0, 3}, {1, 4}}}, 2, 5).status, "ok");
  // An officer with spare capacity is not its own alternative.
  EXPECT_EQ(SolveAssignment({1, 1}, {{{0, 3}}, {{0, 4}, {1, 9}}}, 2, 3).status, "ok");
  // Equal costs that are not both optimal are no tie.
  EXPECT_EQ(SolveAssignment({2}, {{{0, 3}, {1, 3}, {2, 9}}}, 3, 1).status, "ok");
}

// Many random small rosters: whatever the seed, a team never holds an ineligible or recused officer,
// never exceeds the cap, has its departments' counts, and is the optimum; "infeasible" is only said
// when brute force finds no assignment either.
TEST(Pairing, RandomRostersRespectEveryRuleAndAreOptimal) {
  std::mt19937_64 rng(2026);
  const std::vector<std::string> places = {"350102", "350103", "350203"};
  const std::vector<std::string> jurisdictions = {"350000", "350000", "350100", "350200", "350102", "350103", "350203"};
  int ok = 0, infeasible = 0;
  for (int round = 0; round < 300; ++round) {
    PairSpec spec;
    spec.draw_commitment = Sha256Hex("draw " + std::to_string(round));
    bool joint = rng() % 2;
    spec.departments = joint ? std::vector<DepartmentShare>{{"SAMR", 1}, {"MEE", 1}}
                             : std::vector<DepartmentShare>{{"SAMR", 2}};
    spec.cap = 1 + static_cast<std::int64_t>(rng() % 3);
    int ntasks = 1 + static_cast<int>(rng() % 4), nofficers = 4 + static_cast<int>(rng() % 5);
    for (int o = 0; o < nofficers; ++o) {
      std::string dept = joint && o % 2 ? "MEE" : "SAMR";
      std::vector<std::string> quals;
      if (rng() % 3) quals.push_back("FOOD");
      spec.officers.push_back(Off("O" + std::to_string(o), dept, {jurisdictions[rng() % jurisdictions.size()]}, quals,
                                  {}, rng() % 10 ? "active" : "suspended"));
    }
    for (int t = 0; t < ntasks; ++t) {
      PairTask task{"E" + std::to_string(t), places[rng() % places.size()], {}, {}, {}};
      if (rng() % 2) task.requirements.push_back({"SAMR", "FOOD"});
      if (rng() % 3 == 0) task.last_inspectors.push_back("O" + std::to_string(rng() % nofficers));
      if (rng() % 4 == 0) task.requested_recusals.push_back("O" + std::to_string(rng() % nofficers));
      spec.tasks.push_back(task);
    }
    for (auto& o : spec.officers)
      if (rng() % 4 == 0) o.conflicts.push_back("E" + std::to_string(rng() % ntasks));
    auto c = CommitPairing(spec);
    ASSERT_TRUE(c.ok()) << c.error().message;
    auto p = RevealPairing(spec, c->digest, std::to_string(10000000000000000000ULL + rng() % 1000000007ULL));
    ASSERT_TRUE(p.ok()) << p.error().message;

    // Brute force over every choice of officers per (task, department) slot.
    auto eligible = Eligible(spec);
    std::uint64_t best = ~0ull;
    std::map<std::string, int> used;
    std::function<void(std::size_t, std::size_t, std::int64_t, std::string, std::uint64_t)> rec =
        [&](std::size_t t, std::size_t d, std::int64_t left, std::string after, std::uint64_t acc) {
          if (t == spec.tasks.size()) { best = std::min(best, acc); return; }
          if (d == spec.departments.size()) { rec(t + 1, 0, t + 1 < spec.tasks.size() ? spec.departments[0].officers : 0, "", acc); return; }
          if (left == 0) {
            std::size_t nd = d + 1;
            rec(t, nd, nd < spec.departments.size() ? spec.departments[nd].officers : 0, "", acc);
            return;
          }
          for (const auto& o : spec.officers)
            if (o.id > after && o.department == spec.departments[d].department &&
                eligible.count({spec.tasks[t].entity_id, o.id}) && used[o.id] < spec.cap) {
              ++used[o.id];
              rec(t, d, left - 1, o.id, acc + PairCost(p->seed_hash, spec.tasks[t].entity_id, o.id));
              --used[o.id];
            }
        };
    rec(0, 0, spec.departments[0].officers, "", 0);

    if (p->status == "infeasible") {
      ++infeasible;
      EXPECT_TRUE(p->teams.empty());
      EXPECT_FALSE(p->shortfalls.empty());
      EXPECT_EQ(best, ~0ull) << "round " << round << ": said infeasible but an assignment exists";
      continue;
    }
    ASSERT_EQ(p->status, "ok") << "round " << round;
    ++ok;
    ASSERT_EQ(p->teams.size(), spec.tasks.size());
    std::map<std::string, int> load;
    for (const auto& team : p->teams) {
      std::map<std::string, std::int64_t> per_dept;
      std::set<std::string> members;
      for (const auto& m : team.members) {
        EXPECT_TRUE(eligible.count({team.entity_id, m.officer})) << "round " << round << " " << team.entity_id << " " << m.officer;
        EXPECT_TRUE(members.insert(m.officer).second) << "officer twice in one team";
        ++per_dept[m.department];
        ++load[m.officer];
      }
      for (const auto& d : spec.departments) EXPECT_EQ(per_dept[d.department], d.officers);
    }
    for (const auto& [o, n] : load) EXPECT_LE(n, spec.cap) << "round " << round << " " << o;
    EXPECT_EQ(p->total_cost, best) << "round " << round;
  }
  EXPECT_GT(ok, 50);  // the generator exercises both outcomes
  EXPECT_GT(infeasible, 20);
}

// With no binding cap, each task gets the cheapest eligible officers under fresh hashes, so over
// many reveals every eligible officer is chosen equally often (chi-square, 9 degrees of freedom).
TEST(Pairing, OfficersAreChosenUniformlyOverManySeeds) {
  PairSpec spec;
  spec.draw_commitment = Sha256Hex("uniform");
  spec.departments = {{"SAMR", 2}};
  spec.cap = 1;
  spec.tasks = {{"91350102MA0000001X", "350102", {}, {}, {}}};
  for (int o = 0; o < 12; ++o)
    spec.officers.push_back(Off("P" + std::to_string(o), "SAMR", {o < 10 ? "350100" : "440100"}, {}));
  spec.tasks[0].last_inspectors = {"P9"};  // recused: never chosen
  auto c = CommitPairing(spec).value();
  std::map<std::string, int> chosen;
  const int reveals = 3000;
  for (int i = 0; i < reveals; ++i) {
    auto p = RevealPairing(spec, c.digest, "3" + std::to_string(10000000000000000000ULL + static_cast<unsigned>(i) * 7919u));
    ASSERT_TRUE(p.ok()) << p.error().message;
    ASSERT_EQ(p->status, "ok");
    for (const auto& m : p->teams[0].members) ++chosen[m.officer];
  }
  EXPECT_EQ(chosen.count("P9"), 0u);   // recused
  EXPECT_EQ(chosen.count("P10"), 0u);  // outside the jurisdiction
  EXPECT_EQ(chosen.count("P11"), 0u);
  double expected = 2.0 * reveals / 9, chi2 = 0;
  for (int o = 0; o < 9; ++o) {
    double d = chosen["P" + std::to_string(o)] - expected;
    chi2 += d * d / expected;
  }
  EXPECT_LT(chi2, 26.12) << "p < 0.001 for 8 degrees of freedom";  // 9 officers: 8 df
}

TEST(Pairing, RefusesBadSpecs) {
  auto spec = JointSpec();
  spec.departments = {{"SAMR", 1}};
  spec.tasks.clear();
  EXPECT_EQ(CommitPairing(spec).error().code, "pair.team_size");
  spec = JointSpec();
  spec.officers[0].id = "S|1";
  EXPECT_EQ(CommitPairing(spec).error().code, "pair.officer_id");
  spec = JointSpec();
  spec.tasks[0].requirements.push_back({"TAX", "X"});
  EXPECT_EQ(CommitPairing(spec).error().code, "pair.requirement");
  spec = JointSpec();
  auto c = CommitPairing(spec).value();
  spec.cap = 3;
  EXPECT_EQ(RevealPairing(spec, c.digest, "12345678901234567890").error().code, "pair.commitment_mismatch");
}

}  // namespace
}  // namespace suiji::sampler
