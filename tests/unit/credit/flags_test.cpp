#include <gtest/gtest.h>

#include "credit/flags.h"
#include "credit/lists.h"

namespace suiji::credit {
namespace {

Date D(const char* s) { return ParseDate(s).value(); }

const Flag* Find(const FlagResult& r, const std::string& trigger_id, const std::string& measure_id) {
  for (const auto& f : r.flags)
    if (f.trigger_id == trigger_id && f.measure_id == measure_id) return &f;
  return nullptr;
}

TEST(Flags, FromListsThroughTheMoveAndFromPenalties) {
  auto mou = rules::LoadMemoranda(SUIJI_SOURCE_DIR "/data/examples/credit/memoranda.yaml").value();
  ListMembership a;
  a.id = "L1";
  a.entity_id = "E1";
  a.list = ListKind::kAbnormal;
  a.listed = D("2020-03-01");
  a.authority = "武侯区市场监督管理局";
  auto lists = AdvanceLists({a}, {}, rules::ListRules{}, D("2020-01-01"), D("2024-12-31")).value();
  ASSERT_EQ(lists.memberships.size(), 2u);
  std::vector<Penalty> penalties = {{"E2", "川市监罚〔2023〕1号", D("2023-05-05"), "revocation", 0, "成都市市场监督管理局"},
                                    {"E2", "川市监罚〔2023〕2号", D("2023-06-06"), "fine", 1000, "成都市市场监督管理局"}};
  auto r = ComputeFlags(mou, lists.memberships, penalties, D("2020-01-01"), D("2024-12-31"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  // 2 abnormal measures + 5 serious measures + 1 revocation measure.
  ASSERT_EQ(r->flags.size(), 8u);

  const Flag* ab = Find(*r, "L1", "key-inspection");
  ASSERT_NE(ab, nullptr);
  EXPECT_EQ(ab->memorandum_id, "abnormal-operations-2016");
  EXPECT_EQ(ab->start, D("2020-03-01"));
  ASSERT_TRUE(ab->end.has_value());
  EXPECT_EQ(*ab->end, D("2023-03-01"));  // ended by the move
  EXPECT_FALSE(ab->ActiveOn(D("2023-03-01")));

  const Flag* proc = Find(*r, "L1/serious", "procurement");
  ASSERT_NE(proc, nullptr);
  EXPECT_EQ(proc->department, "财政部");
  EXPECT_EQ(proc->legal_basis, "《中华人民共和国政府采购法》第二十二条");
  EXPECT_EQ(proc->trigger, "list:serious");
  EXPECT_EQ(proc->start, D("2023-03-01"));
  EXPECT_FALSE(proc->end.has_value());  // still listed
  EXPECT_TRUE(proc->ActiveOn(D("2024-12-31")));

  const Flag* land = Find(*r, "L1/serious", "land-supply");
  ASSERT_NE(land, nullptr);
  EXPECT_EQ(*land->end, D("2026-03-01"));  // fixed 3 years, scheduled

  const Flag* ban = Find(*r, "川市监罚〔2023〕1号", "legal-rep-ban");
  ASSERT_NE(ban, nullptr);
  EXPECT_EQ(ban->entity_id, "E2");
  EXPECT_EQ(*ban->end, D("2026-05-05"));
  EXPECT_EQ(Find(*r, "川市监罚〔2023〕2号", "legal-rep-ban"), nullptr);  // a fine triggers nothing

  // Flag ids are stable and distinct.
  auto r2 = ComputeFlags(mou, lists.memberships, penalties, D("2020-01-01"), D("2024-12-31")).value();
  for (std::size_t i = 0; i < r->flags.size(); ++i) EXPECT_EQ(r->flags[i].id, r2.flags[i].id);
  EXPECT_NE(Find(*r, "L1", "no-honours")->id, Find(*r, "L1/serious", "no-honours")->id);

  // Events and department feedback: 8 starts, 2 ends (the abnormal flags, at the move).
  EXPECT_EQ(r->events.size(), 10u);
  int lifts = 0, applies_mof = 0;
  for (const auto& f : r->feedback) {
    lifts += f.action == "lift";
    applies_mof += f.department == "财政部" && f.action == "apply";
    EXPECT_EQ(f.status, "pending");
  }
  EXPECT_EQ(lifts, 2);
  EXPECT_EQ(applies_mof, 1);
  for (std::size_t i = 1; i < r->feedback.size(); ++i) EXPECT_LE(r->feedback[i - 1].department, r->feedback[i].department);

  // Later, the serious membership ends by the statutory period: while_listed flags end with it.
  auto later = AdvanceLists(lists.memberships, {}, rules::ListRules{}, D("2024-12-31"), D("2028-12-31")).value();
  auto r3 = ComputeFlags(mou, later.memberships, penalties, D("2024-12-31"), D("2028-12-31")).value();
  EXPECT_EQ(*Find(r3, "L1/serious", "procurement")->end, D("2028-03-01"));
  EXPECT_EQ(*Find(r3, "L1/serious", "land-supply")->end, D("2026-03-01"));
  int ended = 0;
  for (const auto& e : r3.events) {
    EXPECT_EQ(e.kind, FlagEventKind::kEnded);  // nothing started in this window
    ++ended;
  }
  EXPECT_EQ(ended, 6);  // 5 serious measures + the legal-rep ban
}

TEST(Flags, DuplicatePenaltyIsAnError) {
  auto mou = rules::LoadMemoranda(SUIJI_SOURCE_DIR "/data/examples/credit/memoranda.yaml").value();
  std::vector<Penalty> p = {{"E2", "X1", D("2023-05-05"), "revocation", 0, "a"}, {"E3", "X1", D("2023-05-05"), "fine", 0, "a"}};
  auto r = ComputeFlags(mou, {}, p, D("2020-01-01"), D("2024-01-01"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "penalties[1].decision_no");
}

}  // namespace
}  // namespace suiji::credit
