#include <gtest/gtest.h>

#include "credit/indicators.h"

namespace suiji::credit {
namespace {

Date D(const char* s) { return ParseDate(s).value(); }

Entity E(const std::string& id, const std::string& established, const std::string& status = "active") {
  Entity e;
  e.id.value = id;
  e.established = established;
  e.status = status;
  return e;
}

TEST(Indicators, AssemblesFromRecordsAsOfADate) {
  std::vector<Entity> reg = {E("E1", "2015-05-20"), E("E2", "", "revoked"), E("E3", "2023-02-01")};
  CreditRecords r;
  r.inspections = {{"E1", D("2023-04-01"), "SAMR", "I1", "problem", 2},
                   {"E1", D("2022-04-01"), "SAMR", "I1", "no_problem", 0},
                   {"E1", D("2020-01-01"), "SAMR", "I1", "problem", 1},   // older than 3 years
                   {"E1", D("2024-07-01"), "SAMR", "I1", "problem", 1},   // after the as-of date
                   {"E2", D("2023-09-09"), "SAMR", "I2", "not_found", 0}};
  r.penalties = {{"E1", "P-1", D("2022-01-01"), "fine", 5000, "A"},
                 {"E1", "P-2", D("2023-01-01"), "suspension", 20000, "A"},
                 {"E1", "P-3", D("2019-06-01"), "revocation", 0, "A"}};  // outside 3y, inside 5y
  r.lists = {{"L1", "E2", ListKind::kAbnormal, "未报年报", D("2022-07-01"), "A", {}, {}, ""},
             {"L2", "E1", ListKind::kAbnormal, "住所", D("2021-03-01"), "A", {}, Removal{D("2021-05-01"), "fixed", "A"}, ""}};
  r.complaints = {{"E3", D("2023-12-01"), true}, {"E3", D("2023-12-02"), false}, {"E3", D("2022-01-01"), true}};
  // as of 2024-03-01 the due report years are 2020-2022 (2023's deadline is 2024-06-30).
  r.annual_reports = {{"E1", 2020, D("2021-05-01")}, {"E1", 2021, D("2022-08-01")},  // late
                      {"E1", 2022, D("2023-06-30")}, {"E2", 2022, D("2023-03-01")}};
  r.external = {{"E1", "tax", "arrears_months", 2, D("2023-01-01")},
                {"E1", "tax", "arrears_months", 4, D("2024-01-01")},
                {"E1", "tax", "arrears_months", 9, D("2024-05-01")}};  // after the as-of date
  auto m = AssembleIndicators(reg, r, {}, D("2024-03-01"));
  ASSERT_TRUE(m.ok()) << m.error().message;
  auto v = [&](int row, const char* name) { return m->values(row, m->Column(name)); };
  auto miss = [&](int row, const char* name) { return m->missing(row, m->Column(name)) != 0; };
  EXPECT_EQ(v(0, "inspections_3y"), 2);
  EXPECT_EQ(v(0, "inspection_problems_3y"), 1);
  EXPECT_EQ(v(0, "inspection_problem_rate_3y"), 0.5);
  EXPECT_TRUE(miss(2, "inspection_problem_rate_3y"));  // never inspected: missing, not zero
  EXPECT_EQ(v(2, "inspection_problem_rate_3y"), 0);
  EXPECT_FALSE(miss(1, "inspection_problem_rate_3y"));
  EXPECT_EQ(v(1, "not_found_3y"), 1);
  EXPECT_EQ(v(0, "penalties_3y"), 2);
  EXPECT_EQ(v(0, "penalty_amount_3y"), 25000);
  EXPECT_EQ(v(0, "severe_penalties_5y"), 2);
  EXPECT_EQ(v(1, "abnormal_listed"), 1);
  EXPECT_EQ(v(0, "abnormal_listed"), 0);  // removed in 2021
  EXPECT_EQ(v(0, "listings_5y"), 1);
  EXPECT_EQ(v(2, "complaints_1y"), 1);
  EXPECT_EQ(v(0, "registration_age_days"), D("2024-03-01") - D("2015-05-20"));
  EXPECT_TRUE(miss(1, "registration_age_days"));
  EXPECT_EQ(v(1, "status_not_active"), 1);
  EXPECT_EQ(v(0, "annual_reports_missing_3y"), 0);
  EXPECT_EQ(v(0, "annual_reports_late_3y"), 1);
  EXPECT_EQ(v(1, "annual_reports_missing_3y"), 2);  // unknown establishment: all three years due
  EXPECT_EQ(v(2, "annual_reports_missing_3y"), 0);  // established 2023: nothing due yet

  auto x = AssembleIndicators(reg, r, {"ext.tax.arrears_months", "penalties_3y"}, D("2024-03-01"));
  ASSERT_TRUE(x.ok()) << x.error().message;
  EXPECT_EQ(x->values(0, 0), 4);
  EXPECT_EQ(x->missing(0, 0), 0);
  EXPECT_EQ(x->missing(1, 0), 1);
  EXPECT_EQ(x->values(0, 1), 2);
}

TEST(Indicators, BadInputIsAnErrorNamingTheRecord) {
  std::vector<Entity> reg = {E("E1", "2015-05-20")};
  CreditRecords r;
  r.penalties = {{"E1", "P-1", D("2022-01-01"), "fine", 1, "A"}, {"E9", "P-2", D("2022-01-01"), "fine", 1, "A"}};
  auto m = AssembleIndicators(reg, r, {}, D("2024-03-01"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "credit.unknown_entity");
  EXPECT_EQ(m.error().field, "penalties[1].entity_id");

  r.penalties = {{"E1", "P-1", D("2022-01-01"), "fine", -5, "A"}};
  m = AssembleIndicators(reg, r, {}, D("2024-03-01"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().field, "penalties[0].amount_yuan");

  r.penalties.clear();
  EXPECT_EQ(AssembleIndicators({E("E1", ""), E("E1", "")}, r, {}, D("2024-03-01")).error().code, "credit.duplicate_entity");
  EXPECT_EQ(AssembleIndicators({E("E1", "2015-13-01")}, r, {}, D("2024-03-01")).error().field, "register[0].established");
  EXPECT_EQ(AssembleIndicators(reg, r, {"shoe_size"}, D("2024-03-01")).error().code, "credit.unknown_indicator");

  r.external = {{"E1", "tax", "grade", 1, D("2023-01-01")}, {"E1", "tax", "grade", 2, D("2023-01-01")}};
  EXPECT_EQ(AssembleIndicators(reg, r, {"ext.tax.grade"}, D("2024-03-01")).error().code, "credit.conflicting_feed");
}

TEST(Indicators, InputDigestCoversValuesMissingnessAndDate) {
  IndicatorMatrix m;
  m.as_of = D("2024-01-01");
  m.entity_ids = {"E1"};
  m.names = {"a", "b"};
  m.values = Eigen::MatrixXd::Zero(1, 2);
  m.missing = MissingMask::Zero(1, 2);
  m.values(0, 0) = 0.1;
  EXPECT_EQ(CanonicalInputs(m, 0),
            R"({"as_of":"2024-01-01","entity_id":"E1","indicators":[{"name":"a","value":"0.1"},{"name":"b","value":"0"}]})");
  const std::string d0 = InputDigest(m, 0);
  m.missing(0, 1) = 1;
  const std::string d1 = InputDigest(m, 0);
  EXPECT_NE(d0, d1);
  m.as_of = D("2024-01-02");
  EXPECT_NE(InputDigest(m, 0), d1);
  EXPECT_TRUE(m.Validate().ok());
  m.values(0, 0) = std::nan("");
  EXPECT_EQ(m.Validate().error().code, "credit.not_finite");
}

}  // namespace
}  // namespace suiji::credit
