// The draw and pairing lifecycle over both backends (SQLite file, throw-away PostgreSQL): what a
// regulator does and what must be refused — a second reveal, a reveal after the register moved, a
// re-draw without a reason — and that every attempt is in the audit log and the bundle verifies.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <latch>
#include <set>
#include <thread>

#include "api/app/draws.h"
#include "core/identifiers.h"
#include "core/region.h"
#include "data/store/audit_log.h"
#include "data/store/entity_store.h"
#include "data/store/item_store.h"
#include "data/store/officer_store.h"
#include "tests/integration/store/store_fixture.h"

namespace suiji {
namespace {

using store::testing::StoreTest;

std::string Uscc(int n) { return store::testing::Uscc(n, "91510104"); }

Entity MakeEntity(int n) {
  Entity e;
  e.id = ParseEntityId(Uscc(n)).value();
  e.name = "测试食品经营部" + std::to_string(n);
  e.entity_type = "company";
  e.region = n % 2 ? "510104" : "510105";
  e.industry = "F5223";
  e.special_registers = {"food"};
  return e;
}

Officer MakeOfficer(int n, std::vector<std::string> quals = {"FOOD"}) {
  Officer o;
  o.cert_no = "51010" + std::to_string(1000 + n);
  o.name = "执法员" + std::to_string(n);
  o.org_unit = "510100-SAMR";
  o.department = "SAMR";
  o.jurisdictions = {"510100"};
  o.qualifications = std::move(quals);
  return o;
}

const char* kPlan = R"(version: 1
id: T-2026-01
title: 测试计划
org_unit: 510100-SAMR
year: 2026
departments:
  - code: SAMR
    officers: 2
items: [SAMR-004]
filter:
  regions: [510100]
strata:
  - class: all
    ratio: 20%
team:
  max_entities_per_officer: 10
schedule:
  start: 2026-12-01
  end: 2026-12-31
entropy:
  source: dice
  digits: 20
)";

constexpr const char* kE1 = "31415926535897932384";
constexpr const char* kE2 = "27182818284590452353";

class DrawTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    MigrateOrDie();
    regions_ = RegionTable::LoadDefault().value();
    std::vector<Entity> es;
    for (int n = 1; n <= 50; ++n) es.push_back(MakeEntity(n));
    std::vector<Officer> os;
    for (int n = 1; n <= 6; ++n) os.push_back(MakeOfficer(n));
    InspectionItem item;
    item.department = "SAMR";
    item.code = "SAMR-004";
    item.name = "食品生产者生产条件的检查";
    item.qualification = "FOOD";
    auto tx = store::Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(store::EntityStore(*db_).Upsert(tx.value(), es, "test").ok());
    ASSERT_TRUE(store::OfficerStore(*db_).Upsert(tx.value(), os, "test").ok());
    ASSERT_TRUE(store::ItemStore(*db_).Upsert(tx.value(), {item}, "test").ok());
    ASSERT_TRUE(tx.value().Commit().ok());
  }

  app::CommittedDraw Commit(const std::string& plan = kPlan, const std::string& reason = "") {
    app::CommitDrawOptions o;
    o.plan_path = "plan.yaml";
    o.plan_text = plan;
    o.as_of = ParseDate("2026-11-30").value();
    o.redraw_reason = reason;
    auto c = app::CommitDraw(*db_, regions_, o);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return c.value();
  }

  std::vector<std::string> Actions() {
    auto events = store::ListAudit(*db_, 0, 100000);
    EXPECT_TRUE(events.ok());
    std::vector<std::string> out;
    for (const auto& e : events.value())
      if (e.action.rfind("draw.", 0) == 0 || e.action.rfind("pair.", 0) == 0) out.push_back(e.action);
    return out;
  }

  RegionTable regions_;
};

TEST_P(DrawTest, CommitRevealPairExportVerify) {
  auto c = Commit();
  ASSERT_EQ(c.spec.population.strata.size(), 1u);
  EXPECT_EQ(c.spec.population.strata[0].entity_ids.size(), 50u);
  EXPECT_EQ(c.spec.population.strata[0].quota, 10);

  auto r = app::RevealDraw(*db_, regions_, c.record.draw_id, "3141 5926 5358 9793 2384", "test");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->record.entropy, kE1);  // spaces between digit groups carry no meaning
  auto selected = sampler::Selected(r->draw.strata[0]);
  EXPECT_EQ(selected.size(), 10u);

  // Recomputing from the stored inputs gives the same draw.
  auto again = app::LoadRevealedDraw(*db_, c.record.draw_id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->draw, r->draw);

  auto pc = app::CommitPairing(*db_, c.record.draw_id, "test");
  ASSERT_TRUE(pc.ok()) << pc.error().message;
  EXPECT_EQ(pc->spec.tasks.size(), 10u);
  EXPECT_EQ(pc->spec.officers.size(), 6u);
  for (const auto& o : pc->spec.officers) EXPECT_EQ(o.id.rfind("O-", 0), 0u) << "officers appear as pseudonyms";
  auto pr = app::RevealPairing(*db_, pc->record.pairing_id, kE2, "test");
  ASSERT_TRUE(pr.ok()) << pr.error().message;
  ASSERT_EQ(pr->pairing.status, "ok");
  std::map<std::string, int> load;
  for (const auto& t : pr->pairing.teams) {
    EXPECT_EQ(t.members.size(), 2u);
    for (const auto& m : t.members) ++load[m.officer];
  }
  for (const auto& [officer, n] : load) EXPECT_LE(n, 10) << officer;

  auto bundle = app::BuildBundle(*db_, c.record.draw_id);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  ASSERT_TRUE(bundle->pairing.has_value());
  auto dir = std::filesystem::temp_directory_path() / ("suiji-bundle-" + std::to_string(getpid()) + GetParam());
  ASSERT_TRUE(sampler::WriteBundle(dir.string(), bundle.value()).ok());
  auto report = sampler::VerifyBundle(dir.string());
  EXPECT_TRUE(report.match) << report.difference;
  std::filesystem::remove_all(dir);

  EXPECT_EQ(Actions(), (std::vector<std::string>{"draw.commit", "draw.reveal", "pair.commit", "pair.reveal"}));
  auto chain = store::VerifyAuditChain(*db_);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->ok) << chain->message;
}

TEST_P(DrawTest, SecondRevealIsRefusedAndChangesNothing) {
  auto c = Commit();
  ASSERT_TRUE(app::RevealDraw(*db_, regions_, c.record.draw_id, kE1, "test").ok());
  auto second = app::RevealDraw(*db_, regions_, c.record.draw_id, kE2, "test");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "draw.state");
  auto rec = store::DrawStore(*db_).GetDraw(c.record.draw_id);
  ASSERT_TRUE(rec.ok() && rec.value());
  EXPECT_EQ(rec.value()->entropy, kE1);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"draw.commit", "draw.reveal"}));
}

TEST_P(DrawTest, RevealIsRefusedWhenTheRegisterChangedAfterCommit) {
  auto c = Commit();
  auto tx = store::Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(store::EntityStore(*db_).Upsert(tx.value(), {MakeEntity(99)}, "test").ok());
  ASSERT_TRUE(tx.value().Commit().ok());
  auto r = app::RevealDraw(*db_, regions_, c.record.draw_id, kE1, "test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "draw.population_changed");
  EXPECT_NE(r.error().message.find("1 eligible entities added"), std::string::npos) << r.error().message;
  auto rec = store::DrawStore(*db_).GetDraw(c.record.draw_id);
  EXPECT_EQ(rec.value()->state, "committed");
}

TEST_P(DrawTest, RedrawNeedsAReasonAndSupersedesVisibly) {
  auto first = Commit();
  app::CommitDrawOptions o;
  o.plan_path = "plan.yaml";
  o.plan_text = kPlan;
  o.as_of = ParseDate("2026-11-30").value();
  auto refused = app::CommitDraw(*db_, regions_, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "draw.exists");

  auto second = Commit(kPlan, "witness absent at first commitment");
  ASSERT_TRUE(second.superseded.has_value());
  EXPECT_EQ(*second.superseded, first.record.draw_id);
  EXPECT_EQ(store::DrawStore(*db_).GetDraw(first.record.draw_id).value()->state, "superseded");
  EXPECT_FALSE(app::RevealDraw(*db_, regions_, first.record.draw_id, kE1, "test").ok());
  EXPECT_EQ(Actions(), (std::vector<std::string>{"draw.commit", "draw.supersede", "draw.commit"}));
  auto all = store::DrawStore(*db_).ListDraws();
  EXPECT_EQ(all.value().size(), 2u) << "nothing is deleted";
}

TEST_P(DrawTest, RecusalsAndConflictsNeverAppearInTeams) {
  auto c = Commit();
  auto r = app::RevealDraw(*db_, regions_, c.record.draw_id, kE1, "test");
  ASSERT_TRUE(r.ok());
  auto selected = sampler::Selected(r->draw.strata[0]);
  // Officer 1 declared a conflict with the first drawn entity; the second asked to recuse officer 2.
  Officer o1 = MakeOfficer(1);
  o1.conflicts = {selected[0]};
  auto tx = store::Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(store::OfficerStore(*db_).Upsert(tx.value(), {o1}, "test").ok());
  ASSERT_TRUE(store::DrawStore(*db_).PutRecusal(tx.value(), {selected[1], MakeOfficer(2).cert_no, "亲属关系", "2026-11-30"}).ok());
  ASSERT_TRUE(tx.value().Commit().ok());

  auto pc = app::CommitPairing(*db_, c.record.draw_id, "test");
  ASSERT_TRUE(pc.ok()) << pc.error().message;
  auto pr = app::RevealPairing(*db_, pc->record.pairing_id, kE2, "test");
  ASSERT_TRUE(pr.ok());
  ASSERT_EQ(pr->pairing.status, "ok");
  auto secret = app::PseudonymSecret(*db_).value();
  const std::string p1 = app::OfficerPseudonym(secret, o1.cert_no);
  const std::string p2 = app::OfficerPseudonym(secret, MakeOfficer(2).cert_no);
  for (const auto& t : pr->pairing.teams)
    for (const auto& m : t.members) {
      if (t.entity_id == selected[0]) {
        EXPECT_NE(m.officer, p1);
      }
      if (t.entity_id == selected[1]) {
        EXPECT_NE(m.officer, p2);
      }
    }
  std::set<std::string> rules;
  for (const auto& e : pr->pairing.exclusions) rules.insert(e.rule);
  EXPECT_TRUE(rules.count("conflict_declared"));
  EXPECT_TRUE(rules.count("entity_requested"));
}

TEST_P(DrawTest, InfeasiblePairingRecordsNoTeamsAndCanBeRetried) {
  auto c = Commit();
  ASSERT_TRUE(app::RevealDraw(*db_, regions_, c.record.draw_id, kE1, "test").ok());
  // Only officer 1 keeps the FOOD qualification: no team of two can be formed.
  std::vector<Officer> os;
  for (int n = 2; n <= 6; ++n) os.push_back(MakeOfficer(n, {"SPECIAL_EQUIPMENT"}));
  auto tx = store::Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(store::OfficerStore(*db_).Upsert(tx.value(), os, "test").ok());
  ASSERT_TRUE(tx.value().Commit().ok());

  auto pc = app::CommitPairing(*db_, c.record.draw_id, "test");
  ASSERT_TRUE(pc.ok());
  auto pr = app::RevealPairing(*db_, pc->record.pairing_id, kE2, "test");
  ASSERT_TRUE(pr.ok());
  EXPECT_EQ(pr->pairing.status, "infeasible");
  EXPECT_TRUE(pr->pairing.teams.empty());
  ASSERT_FALSE(pr->pairing.shortfalls.empty());
  EXPECT_NE(pr->pairing.shortfalls[0].reason.find("FOOD"), std::string::npos) << pr->pairing.shortfalls[0].reason;
  // The bundle carries no teams from an infeasible attempt.
  EXPECT_FALSE(app::BuildBundle(*db_, c.record.draw_id)->pairing.has_value());

  // Fix the roster, try again: a second attempt with its own commitment, both in the log.
  auto tx2 = store::Transaction::Begin(*db_);
  ASSERT_TRUE(tx2.ok());
  ASSERT_TRUE(store::OfficerStore(*db_).Upsert(tx2.value(), {MakeOfficer(2), MakeOfficer(3)}, "test").ok());
  ASSERT_TRUE(tx2.value().Commit().ok());
  auto pc2 = app::CommitPairing(*db_, c.record.draw_id, "test");
  ASSERT_TRUE(pc2.ok());
  EXPECT_EQ(pc2->record.attempt, 2);
  auto pr2 = app::RevealPairing(*db_, pc2->record.pairing_id, kE1, "test");
  ASSERT_TRUE(pr2.ok());
  EXPECT_EQ(pr2->pairing.status, "ok");
  EXPECT_FALSE(app::RevealPairing(*db_, pc->record.pairing_id, kE1, "test").ok()) << "revealed once";
}

TEST_P(DrawTest, SubstitutionFromReserveIsStoredAndAudited) {
  auto c = Commit();
  auto r = app::RevealDraw(*db_, regions_, c.record.draw_id, kE1, "test");
  ASSERT_TRUE(r.ok());
  const std::string out = sampler::Selected(r->draw.strata[0])[3];
  const std::string first_reserve = r->draw.strata[0].reserve.at(0).id;
  auto s = app::Substitute(*db_, c.record.draw_id, "", out, "已注销但名录未更新 (deregistered)", "test");
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto reloaded = app::LoadRevealedDraw(*db_, c.record.draw_id);
  ASSERT_TRUE(reloaded.ok());
  auto sel = sampler::Selected(reloaded->draw.strata[0]);
  EXPECT_EQ(std::count(sel.begin(), sel.end(), out), 0);
  EXPECT_EQ(sel[3], first_reserve);
  EXPECT_EQ(Actions().back(), "draw.substitute");
  EXPECT_FALSE(app::Substitute(*db_, c.record.draw_id, "", "NOT-DRAWN", "x", "test").ok());
}

// Two regulators substitute two different entities of one draw at the same moment, each on its own
// connection: each must take a different reserve entity (the draw is read inside the write transaction).
TEST_P(DrawTest, ConcurrentSubstitutionsTakeDifferentReserves) {
  auto c = Commit();
  auto r = app::RevealDraw(*db_, regions_, c.record.draw_id, kE1, "test");
  ASSERT_TRUE(r.ok());
  const auto sel = sampler::Selected(r->draw.strata[0]);
  ASSERT_GE(r->draw.strata[0].reserve.size(), 4u);
  constexpr int kRounds = 2;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::string> errors(2);
    std::vector<std::thread> threads;
    std::latch ready(2);  // both connected before either substitutes: the race is at its widest
    for (int k = 0; k < 2; ++k)
      threads.emplace_back([&, k] {
        auto db = store::Database::Open(url_);
        ready.arrive_and_wait();
        if (!db) { errors[k] = db.error().message; return; }
        const std::size_t pick = 2 * static_cast<std::size_t>(round) + static_cast<std::size_t>(k);
        auto s = app::Substitute(*db.value(), c.record.draw_id, "", sel[pick],
                                 "并发替换 (concurrent)", "test");
        if (!s) errors[k] = s.error().message;
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors[0], "");
    EXPECT_EQ(errors[1], "");
  }
  auto subs = store::DrawStore(*db_).Substitutions(c.record.draw_id);
  ASSERT_TRUE(subs.ok());
  ASSERT_EQ(subs->size(), 2u * kRounds);
  std::set<std::string> taken;
  for (const auto& s : subs.value()) taken.insert(s.in_id);
  EXPECT_EQ(taken.size(), 2u * kRounds) << "a reserve entity was taken twice";
  auto reloaded = app::LoadRevealedDraw(*db_, c.record.draw_id);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
}

INSTANTIATE_TEST_SUITE_P(Backends, DrawTest, ::testing::Values("sqlite", "postgresql"),
                         store::testing::BackendParamName);

}  // namespace
}  // namespace suiji
