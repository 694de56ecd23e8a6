#include <gtest/gtest.h>

#include "core/sha256.h"
#include "sampler/draw.h"
#include "sampler/ticket.h"

namespace suiji::sampler {
namespace {

rules::Stratum MakeStratum(const std::string& name, int n, std::int64_t bp, int offset) {
  rules::Stratum s;
  s.name = name;
  s.ratio_bp = bp;
  for (int i = 0; i < n; ++i) s.entity_ids.push_back(name + std::to_string(100000 + offset + i));
  s.quota = rules::Quota(n, bp, std::nullopt, std::nullopt);
  return s;
}

DrawSpec MakeSpec() {
  DrawSpec spec;
  spec.plan_id = "2026-SAMR-001";
  spec.plan_digest = Sha256Hex("plan");
  spec.reserve = 3;
  spec.population.strata = {MakeStratum("A", 200, 300, 0), MakeStratum("B", 50, 1000, 0), MakeStratum("C", 4, 5000, 0)};
  spec.population.exclusions = {{"X1", "recently_inspected", "inspected on 2026-09-01, within 180 days"}};
  spec.context = {{"org_unit", "350100-SAMR"}};
  return spec;
}

TEST(Draw, CommitmentIsCanonicalAndRoundTrips) {
  auto spec = MakeSpec();
  auto c = CommitDraw(spec);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->digest, Sha256Hex(c->document));
  EXPECT_EQ(c->document.find("\": "), std::string::npos);  // no insignificant whitespace
  EXPECT_EQ(c->document.find('\n'), std::string::npos);
  EXPECT_EQ(c->document.rfind("{\"context\":", 0), 0u);            // keys sorted
  auto back = ParseDrawCommitment(c->document);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back.value(), spec);
  auto pretty = Json::parse(c->document).dump(1);
  EXPECT_EQ(ParseDrawCommitment(pretty).error().code, "document.canonical");
}

TEST(Draw, RefusesABrokenPopulation) {
  auto spec = MakeSpec();
  std::swap(spec.population.strata[0].entity_ids[0], spec.population.strata[0].entity_ids[1]);
  EXPECT_EQ(CommitDraw(spec).error().code, "draw.entity_order");
  spec = MakeSpec();
  spec.population.strata[1].quota += 1;
  EXPECT_EQ(CommitDraw(spec).error().code, "draw.quota");
  spec = MakeSpec();
  spec.population.strata[1].entity_ids.insert(spec.population.strata[1].entity_ids.begin(), "A100000");
  spec.population.strata[1].quota = rules::Quota(51, 1000, std::nullopt, std::nullopt);
  EXPECT_EQ(CommitDraw(spec).error().code, "draw.entity_twice");
  spec = MakeSpec();
  spec.population.exclusions = {{"A100005", "explicit", "by order"}};
  EXPECT_EQ(CommitDraw(spec).error().code, "draw.excluded_eligible");
  spec = MakeSpec();
  spec.plan_digest = "ABC";
  EXPECT_EQ(CommitDraw(spec).error().code, "draw.plan_digest");
  spec = MakeSpec();
  spec.population.strata[0].entity_ids[3] = std::string("A\xff", 2);  // not UTF-8; sorts last? keep order valid
  std::sort(spec.population.strata[0].entity_ids.begin(), spec.population.strata[0].entity_ids.end());
  EXPECT_EQ(CommitDraw(spec).error().code, "document.utf8");
}

TEST(Draw, EntropyForms) {
  EntropySource dice;
  EXPECT_TRUE(ValidateEntropy(dice, "31415926535897932384").ok());
  EXPECT_EQ(ValidateEntropy(dice, "3141592653589793238").error().code, "entropy.length");
  EXPECT_EQ(ValidateEntropy(dice, "3141592653 589793238").error().code, "entropy.digits");
  EntropySource beacon{"beacon", 20, "drand-quicknet", 1234};
  EXPECT_TRUE(ValidateEntropy(beacon, std::string(64, 'a')).ok());
  EXPECT_EQ(ValidateEntropy(beacon, std::string(64, 'A')).error().code, "entropy.hex");
  EXPECT_EQ(ValidateEntropy(beacon, std::string(31, 'a')).error().code, "entropy.length");
  EXPECT_FALSE(ValidateEntropySource(EntropySource{"dice", 12, "", 0}).ok());
}

TEST(Draw, RevealDrawsQuotaAndReserveInTicketOrder) {
  auto spec = MakeSpec();
  auto c = CommitDraw(spec).value();
  const std::string e = "27182818284590452353";
  auto draw = RevealDraw(spec, c.digest, e);
  ASSERT_TRUE(draw.ok()) << draw.error().message;
  EXPECT_EQ(draw->seed_hash, SeedHash(c.digest + "|" + e));
  ASSERT_EQ(draw->strata.size(), 3u);
  EXPECT_EQ(draw->strata[0].drawn.size(), 6u);  // ceil(200 * 3%)
  EXPECT_EQ(draw->strata[1].drawn.size(), 5u);
  EXPECT_EQ(draw->strata[2].drawn.size(), 2u);
  EXPECT_EQ(draw->strata[0].reserve.size(), 3u);
  EXPECT_EQ(draw->strata[2].reserve.size(), 2u);  // capped at N - quota
  for (const auto& s : draw->strata) {
    std::vector<TicketedId> all = s.drawn;
    all.insert(all.end(), s.reserve.begin(), s.reserve.end());
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].ticket, all[i].ticket);
    for (const auto& t : all) EXPECT_EQ(t.ticket, TicketFor(c.digest + "|" + e, t.id));
  }
  // The same inputs always give the same draw; different entropy a different one.
  EXPECT_EQ(RevealDraw(spec, c.digest, e, 2).value(), draw.value());
  EXPECT_NE(RevealDraw(spec, c.digest, "27182818284590452354").value().strata[0].drawn, draw->strata[0].drawn);
  // A population changed after commit is refused.
  auto changed = spec;
  changed.population.strata[0].entity_ids.pop_back();
  changed.population.strata[0].quota = rules::Quota(199, 300, std::nullopt, std::nullopt);
  EXPECT_EQ(RevealDraw(changed, c.digest, e).error().code, "draw.commitment_mismatch");
  EXPECT_EQ(RevealDraw(spec, c.digest, "12").error().code, "entropy.length");
}

TEST(Draw, ReserveSubstitutionUsesTheNextReserveInOrder) {
  auto spec = MakeSpec();
  auto c = CommitDraw(spec).value();
  auto draw = RevealDraw(spec, c.digest, "27182818284590452353").value();
  const auto& b = draw.strata[1];
  auto d1 = SubstituteFromReserve(draw, "B", b.drawn[2].id, "deregistered before the inspection");
  ASSERT_TRUE(d1.ok()) << d1.error().message;
  auto sel = Selected(d1->strata[1]);
  EXPECT_EQ(sel[2], b.reserve[0].id);
  EXPECT_EQ(sel[0], b.drawn[0].id);
  // The substituted-in entity can itself be replaced, by the next reserve.
  auto d2 = SubstituteFromReserve(d1.value(), "B", b.reserve[0].id, "outside the plan's industry scope");
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(Selected(d2->strata[1])[2], b.reserve[1].id);
  ASSERT_EQ(d2->strata[1].substitutions.size(), 2u);
  EXPECT_EQ(d2->strata[1].substitutions[1].reason, "outside the plan's industry scope");
  EXPECT_EQ(SubstituteFromReserve(d2.value(), "B", b.drawn[2].id, "again").error().code, "substitution.not_selected");
  EXPECT_EQ(SubstituteFromReserve(d2.value(), "Z", b.drawn[0].id, "x").error().code, "substitution.stratum");
  EXPECT_EQ(SubstituteFromReserve(d2.value(), "B", b.drawn[0].id, "").error().code, "substitution.reason");
  auto d3 = SubstituteFromReserve(d2.value(), "B", b.drawn[0].id, "r3").value();
  EXPECT_EQ(SubstituteFromReserve(d3, "B", b.drawn[1].id, "r4").error().code, "substitution.reserve_exhausted");
}

}  // namespace
}  // namespace suiji::sampler
