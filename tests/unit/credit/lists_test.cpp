#include <gtest/gtest.h>

#include "credit/lists.h"

namespace suiji::credit {
namespace {

Date D(const char* s) { return ParseDate(s).value(); }

ListMembership Abnormal(const std::string& id, const char* listed) {
  ListMembership m;
  m.id = id;
  m.entity_id = "E-" + id;
  m.list = ListKind::kAbnormal;
  m.reason = "未按规定报送年度报告";
  m.listed = D(listed);
  m.authority = "成都市武侯区市场监督管理局";
  return m;
}

// Runs the calendar one day at a time, feeding each day's output into the next day.
ListAdvance Daily(std::vector<ListMembership> ms, const std::vector<RepairDecision>& repairs,
                  const rules::ListRules& rules, Date from, Date to) {
  ListAdvance all;
  for (Date d = from; d < to; d = d + 1) {
    auto step = AdvanceLists(ms, repairs, rules, d, d + 1);
    EXPECT_TRUE(step.ok());
    ms = step->memberships;
    all.events.insert(all.events.end(), step->events.begin(), step->events.end());
  }
  all.memberships = ms;
  return all;
}

TEST(Lists, ThreeYearMoveWithSixtyDayWarningThenStatutoryRemoval) {
  rules::ListRules rules;  // 3 years, 60 days, 5 years
  auto a = Abnormal("L1", "2020-03-01");
  auto r = Daily({a}, {}, rules, D("2020-02-28"), D("2029-01-01"));
  ASSERT_EQ(r.memberships.size(), 2u);
  const auto& old = r.memberships[0];
  const auto& now = r.memberships[1];
  ASSERT_TRUE(old.removal.has_value());
  EXPECT_EQ(old.removal->date, D("2023-03-01"));
  EXPECT_EQ(now.id, "L1/serious");
  EXPECT_EQ(now.list, ListKind::kSerious);
  EXPECT_EQ(now.moved_from, "L1");
  EXPECT_EQ(now.listed, D("2023-03-01"));
  EXPECT_EQ(now.entity_id, "E-L1");
  ASSERT_TRUE(now.removal.has_value());
  EXPECT_EQ(now.removal->date, D("2028-03-01"));

  ASSERT_EQ(r.events.size(), 5u);
  EXPECT_EQ(r.events[0].kind, ListEventKind::kStarted);
  EXPECT_EQ(r.events[0].date, D("2020-03-01"));
  EXPECT_EQ(r.events[1].kind, ListEventKind::kWarned);
  EXPECT_EQ(r.events[1].date, D("2022-12-31"));  // 60 days before 2023-03-01
  EXPECT_EQ(r.events[2].kind, ListEventKind::kMoved);
  EXPECT_EQ(r.events[2].detail, "L1/serious");
  EXPECT_EQ(r.events[3].kind, ListEventKind::kStarted);
  EXPECT_EQ(r.events[3].membership_id, "L1/serious");
  EXPECT_EQ(r.events[4].kind, ListEventKind::kEnded);
  EXPECT_EQ(r.events[4].date, D("2028-03-01"));

  // One big step gives the same memberships and events as the daily calendar.
  auto once = AdvanceLists({a}, {}, rules, D("2020-02-28"), D("2029-01-01"));
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(once->events, r.events);
  ASSERT_EQ(once->memberships.size(), 2u);
  EXPECT_EQ(once->memberships[1].removal->date, D("2028-03-01"));

  // The day before the move nothing has moved yet; re-running a window is idempotent.
  auto before = AdvanceLists({a}, {}, rules, D("2020-01-01"), D("2023-02-28"));
  ASSERT_EQ(before->memberships.size(), 1u);
  EXPECT_FALSE(before->memberships[0].removal.has_value());
  auto again = AdvanceLists(before->memberships, {}, rules, D("2020-01-01"), D("2023-02-28"));
  EXPECT_EQ(again->events, before->events);
}

TEST(Lists, FixingTheCauseRemovesFromTheAbnormalListAndCancelsTheMove) {
  rules::ListRules rules;
  rules.abnormal_removal_days = 5;
  auto a = Abnormal("L2", "2020-03-01");
  a.cause_fixed = D("2022-06-10");  // before the warning date
  auto r = Daily({a}, {}, rules, D("2020-03-01"), D("2026-01-01"));
  ASSERT_EQ(r.memberships.size(), 1u);
  ASSERT_TRUE(r.memberships[0].removal.has_value());
  EXPECT_EQ(r.memberships[0].removal->date, D("2022-06-15"));
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, ListEventKind::kEnded);

  // Fixed after the warning but before the move: warned, then ended, never moved.
  a.cause_fixed = D("2023-02-20");
  r = Daily({a}, {}, rules, D("2020-03-01"), D("2026-01-01"));
  ASSERT_EQ(r.memberships.size(), 1u);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].kind, ListEventKind::kWarned);
  EXPECT_EQ(r.events[1].kind, ListEventKind::kEnded);
  EXPECT_EQ(r.events[1].date, D("2023-02-25"));

  // Fixed on the move day is too late.
  a.cause_fixed = D("2023-03-01");
  r = Daily({a}, {}, rules, D("2020-03-01"), D("2024-01-01"));
  EXPECT_EQ(r.memberships.size(), 2u);
}

TEST(Lists, CreditRepairEndsTheSeriousListEarlyOnlyAfterTheMinimumPeriod) {
  rules::ListRules rules;  // repair from 1 year after listing
  ListMembership s;
  s.id = "S1";
  s.entity_id = "E1";
  s.list = ListKind::kSerious;
  s.listed = D("2021-01-10");
  s.authority = "四川省市场监督管理局";
  std::vector<RepairDecision> repairs = {{"S1", D("2021-06-01"), "四川省市场监督管理局", "已履行处罚"},
                                         {"S1", D("2022-02-01"), "四川省市场监督管理局", "信用承诺"}};
  auto r = Daily({s}, repairs, rules, D("2021-01-01"), D("2023-01-01"));
  ASSERT_TRUE(r.memberships[0].removal.has_value());
  EXPECT_EQ(r.memberships[0].removal->date, D("2022-02-01"));
  EXPECT_NE(r.memberships[0].removal->reason.find("信用承诺"), std::string::npos);
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0].kind, ListEventKind::kStarted);
  EXPECT_EQ(r.events[1].kind, ListEventKind::kRepairRefused);
  EXPECT_EQ(r.events[1].date, D("2021-06-01"));
  EXPECT_NE(r.events[1].detail.find("2022-01-10"), std::string::npos) << r.events[1].detail;
  EXPECT_EQ(r.events[2].kind, ListEventKind::kEnded);
  EXPECT_EQ(r.events[2].date, D("2022-02-01"));

  // Without the second application it stays the statutory period.
  r = Daily({s}, {repairs[0]}, rules, D("2021-01-01"), D("2027-01-01"));
  EXPECT_EQ(r.memberships[0].removal->date, D("2026-01-10"));
}

TEST(Lists, Errors) {
  rules::ListRules rules;
  auto a = Abnormal("L1", "2020-03-01");
  EXPECT_EQ(AdvanceLists({a, a}, {}, rules, D("2020-01-01"), D("2021-01-01")).error().code, "lists.duplicate");
  EXPECT_EQ(AdvanceLists({a}, {{"L9", D("2020-05-01"), "x", "y"}}, rules, D("2020-01-01"), D("2021-01-01")).error().code,
            "lists.unknown_membership");
  a.removal = Removal{D("2020-01-01"), "x", "y"};
  EXPECT_EQ(AdvanceLists({a}, {}, rules, D("2020-01-01"), D("2021-01-01")).error().code, "lists.removal_date");
}

}  // namespace
}  // namespace suiji::credit
