#include "rules/plan_parse.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <tuple>

#include "plan_test_util.h"

namespace suiji::rules {
namespace {

using testing::Edit;
using testing::kMinimalPlan;
using Found = std::tuple<int, std::string, std::string>;  // line, field, code

std::vector<Found> Errors(const std::string& yaml, const PlanCheck& check = {}) {
  std::vector<Found> out;
  for (const auto& e : ParsePlan(yaml, "p.yaml", check).errors) {
    EXPECT_EQ(e.file, "p.yaml");
    EXPECT_FALSE(e.message.empty());
    out.emplace_back(e.line, e.field, e.code);
  }
  return out;
}

std::string Src(const std::string& rel) { return std::string(SUIJI_SOURCE_DIR) + "/" + rel; }

TEST(PlanParse, MinimalPlanIsValidWithDefaults) {
  PlanParse r = ParsePlan(kMinimalPlan, "p.yaml");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  const Plan& p = r.plan;
  EXPECT_EQ(p.version, 1);
  EXPECT_EQ(p.id, "T-1");
  EXPECT_EQ(p.year, 2026);
  ASSERT_EQ(p.departments.size(), 1u);
  EXPECT_EQ(p.departments[0].code, "SAMR");
  EXPECT_EQ(p.TeamSize(), 2);
  ASSERT_EQ(p.strata.size(), 5u);
  EXPECT_EQ(p.strata[3].name, "D");
  EXPECT_EQ(p.strata[3].ratio_bp, 8000);
  EXPECT_FALSE(p.strata[3].min_count);
  EXPECT_TRUE(p.exclusions.deregistered);  // default
  EXPECT_FALSE(p.exclusions.recently_inspected);
  EXPECT_FALSE(p.max_entities_per_officer);
  EXPECT_EQ(FormatDate(p.schedule.start), "2026-10-01");
  EXPECT_EQ(p.entropy.source, "dice");
  EXPECT_EQ(p.entropy.digits, 20);
}

TEST(PlanParse, ExampleCountyFoodPlan) {
  auto regions = RegionTable::LoadCsv(Src("data/reference/regions.csv"));
  ASSERT_TRUE(regions.ok());
  PlanCheck check{&regions.value(), nullptr};
  PlanParse r = LoadPlanFile(Src("data/examples/plans/county-food-2026.yaml"), check);
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  const Plan& p = r.plan;
  EXPECT_EQ(p.id, "511702-SAMR-2026-FOOD-01");
  // ratio: 3% and ratio_bp: 8000 both end up in basis points, strata in class order.
  std::vector<std::pair<std::string, std::int64_t>> strata;
  for (const auto& s : p.strata) strata.emplace_back(s.name, s.ratio_bp);
  EXPECT_EQ(strata, (std::vector<std::pair<std::string, std::int64_t>>{
                        {"A", 300}, {"B", 1000}, {"C", 3000}, {"D", 8000}, {"unclassified", 500}}));
  EXPECT_EQ(p.strata[2].min_count, 5);
  EXPECT_EQ(p.strata[4].max_count, 200);
  ASSERT_TRUE(p.exclusions.recently_inspected);
  EXPECT_EQ(p.exclusions.recently_inspected->days, 180);
  EXPECT_EQ(p.exclusions.recently_inspected->departments, std::vector<std::string>{"SAMR"});  // default
  ASSERT_TRUE(p.exclusions.annual_cap);
  EXPECT_TRUE(p.exclusions.annual_cap->departments.empty());  // any department
  ASSERT_EQ(p.exclusions.explicit_entities.size(), 1u);
  EXPECT_EQ(p.exclusions.explicit_entities[0].entity_id, "91511702MA6CGX2K70");
  EXPECT_EQ(p.filter.statuses, (std::vector<std::string>{"abnormal", "active"}));  // sorted
  EXPECT_EQ(p.max_entities_per_officer, 40);
}

TEST(PlanParse, ExampleJointPlan) {
  PlanParse r = LoadPlanFile(Src("data/examples/plans/joint-samr-mee-2026.yaml"));
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  ASSERT_EQ(r.plan.departments.size(), 2u);
  EXPECT_EQ(r.plan.departments[0].code, "SAMR");  // file order kept: the lead department first
  EXPECT_EQ(r.plan.departments[1].code, "MEE");
  EXPECT_EQ(r.plan.TeamSize(), 3);
  ASSERT_EQ(r.plan.strata.size(), 1u);
  EXPECT_EQ(r.plan.strata[0].name, "all");
  EXPECT_EQ(r.plan.strata[0].ratio_bp, 2000);
  EXPECT_EQ(r.plan.entropy.source, "beacon");
  EXPECT_EQ(r.plan.entropy.beacon, "drand-quicknet");
  EXPECT_EQ(r.plan.entropy.round, 18500000);
}

TEST(PlanParse, BadExampleReportsEveryErrorWithLineAndField) {
  auto regions = RegionTable::LoadCsv(Src("data/reference/regions.csv"));
  ASSERT_TRUE(regions.ok());
  PlanParse r = LoadPlanFile(Src("data/examples/plans/bad/many-errors.yaml"), PlanCheck{&regions.value(), nullptr});
  std::vector<Found> got;
  for (const auto& e : r.errors) got.emplace_back(e.line, e.field, e.code);
  std::vector<Found> want = {
      {3, "id", "plan.format"},
      {6, "year", "plan.range"},
      {7, "departments", "plan.team_size"},
      {8, "departments[0].code", "plan.format"},
      {10, "items[1]", "plan.duplicate"},
      {12, "filter.regions", "plan.region"},  // 51170: shape
      {12, "filter.regions", "plan.region"},  // 999999: not in the table
      {13, "filter.industries", "plan.industry"},
      {14, "filter.status", "plan.status"},
      {17, "strata[0].ratio_bp", "plan.range"},
      {19, "strata[1].ratio", "plan.ratio"},
      {23, "strata[2].max", "plan.min_max"},
      {24, "strata[3].class", "plan.stratum_class"},
      {27, "exclusions.recently_inspected.days", "plan.missing"},
      {28, "exclusions.recently_inspected.dayz", "plan.unknown_key"},
      {30, "exclusions.explicit[0].entity", "plan.entity_id"},
      {33, "team.max_entities_per_officer", "plan.range"},
      {36, "schedule.end", "plan.date"},
      {39, "entropy.digits", "plan.range"},
      {40, "colour", "plan.unknown_key"},
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(r.errors[0].ToString(), Src("data/examples/plans/bad/many-errors.yaml") +
                                        ":3: id: 'bad plan!' must be 1-64 characters of A-Z a-z 0-9 . _ -");
}

TEST(PlanParse, SyntaxErrorAndUnreadableFile) {
  PlanParse r = LoadPlanFile(Src("data/examples/plans/bad/not-yaml.yaml"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, "plan.yaml");
  EXPECT_GT(r.errors[0].line, 0);
  PlanParse missing = LoadPlanFile("/nonexistent/plan.yaml");
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].code, "plan.file");
  EXPECT_EQ(missing.errors[0].ToString(), "/nonexistent/plan.yaml: cannot open the plan file");
}

// Found by tests/fuzz/rules_yaml_fuzz.cpp: a plan with a byte that is not UTF-8 in a string was accepted,
// and its digest (canonical JSON) then threw nlohmann's type_error 316.
TEST(PlanParse, InvalidUtf8IsOneErrorNotAnException) {
  std::ifstream in(Src("data/examples/demo/plan.yaml"), std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_TRUE(ParsePlan(text, "plan.yaml").ok());
  text.insert(text.find("title: ") + 7, "\xBB");
  PlanParse r = ParsePlan(text, "plan.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, "plan.encoding");
  EXPECT_EQ(r.errors[0].line, 0);
}

TEST(PlanParse, EmptyAndNonMappingDocuments) {
  EXPECT_EQ(Errors(""), (std::vector<Found>{{1, "", "plan.empty"}}));
  EXPECT_EQ(Errors("- a\n- b\n"), (std::vector<Found>{{1, "", "plan.type"}}));
}

TEST(PlanParse, MissingRequiredFieldsAllReported) {
  auto got = Errors("title: x\n");
  std::vector<std::string> fields;
  for (const auto& [line, field, code] : got) {
    EXPECT_EQ(code, "plan.missing");
    fields.push_back(field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"id", "org_unit", "year", "departments", "items", "filter", "strata",
                                              "schedule", "entropy"}));
}

TEST(PlanParse, MissingNestedFieldIsReportedAtItsParent) {
  EXPECT_EQ(Errors(Edit("  end: 2026-12-31\n", "")), (std::vector<Found>{{22, "schedule.end", "plan.missing"}}));
  EXPECT_EQ(Errors(Edit("    officers: 2\n", "")),
            (std::vector<Found>{{6, "departments[0].officers", "plan.missing"}}));
}

TEST(PlanParse, DuplicateKey) {
  EXPECT_EQ(Errors(Edit("year: 2026\n", "year: 2026\nyear: 2027\n")),
            (std::vector<Found>{{5, "year", "plan.duplicate_key"}}));
}

TEST(PlanParse, WrongTypes) {
  EXPECT_EQ(Errors(Edit("year: 2026", "year: twenty")), (std::vector<Found>{{4, "year", "plan.type"}}));
  EXPECT_EQ(Errors(Edit("year: 2026", "year: 2026.5")), (std::vector<Found>{{4, "year", "plan.type"}}));
  EXPECT_EQ(Errors(Edit("title: test plan", "title: [a, b]")), (std::vector<Found>{{2, "title", "plan.type"}}));
  EXPECT_EQ(Errors(Edit("items: [I-1]", "items: I-1")), (std::vector<Found>{{8, "items", "plan.type"}}));
  EXPECT_EQ(Errors(Edit("items: [I-1]", "items: []")), (std::vector<Found>{{8, "items", "plan.empty"}}));
  EXPECT_EQ(Errors(Edit("  regions: [511702]", "  regions: 511702")),
            (std::vector<Found>{{10, "filter.regions", "plan.type"}}));
  EXPECT_EQ(Errors(Edit("title: test plan", "title: \"\"")), (std::vector<Found>{{2, "title", "plan.empty"}}));
}

TEST(PlanParse, VersionOtherThanOneIsRefused) {
  EXPECT_EQ(Errors(std::string("version: 2\n") + kMinimalPlan), (std::vector<Found>{{1, "version", "plan.version"}}));
}

TEST(PlanParse, Departments) {
  // Two officers in total is the legal minimum (行政处罚法 art. 42).
  EXPECT_EQ(Errors(Edit("officers: 2", "officers: 1")), (std::vector<Found>{{5, "departments", "plan.team_size"}}));
  EXPECT_EQ(Errors(Edit("officers: 2", "officers: 0")),
            (std::vector<Found>{{7, "departments[0].officers", "plan.range"}}));
  // 1 + 1 from two departments is a legal joint team.
  EXPECT_TRUE(ParsePlan(Edit("    officers: 2\n", "    officers: 1\n  - code: MEE\n    officers: 1\n"), "p").ok());
  EXPECT_EQ(Errors(Edit("    officers: 2\n", "    officers: 2\n  - code: SAMR\n    officers: 1\n")),
            (std::vector<Found>{{8, "departments[1].code", "plan.duplicate"}}));
  EXPECT_EQ(Errors(Edit("departments:\n  - code: SAMR\n    officers: 2\n", "departments: []\n")),
            (std::vector<Found>{{5, "departments", "plan.type"}}));
}

TEST(PlanParse, ItemsCheckedAgainstAGivenList) {
  std::vector<InspectionItem> list(2);
  list[0].code = "I-1";
  list[0].department = "SAMR";
  list[1].code = "M-1";
  list[1].department = "MEE";
  EXPECT_TRUE(ParsePlan(kMinimalPlan, "p", PlanCheck{nullptr, &list}).ok());
  EXPECT_EQ(Errors(Edit("items: [I-1]", "items: [I-1, I-9]"), PlanCheck{nullptr, &list}),
            (std::vector<Found>{{8, "items", "plan.item_unknown"}}));
  EXPECT_EQ(Errors(Edit("items: [I-1]", "items: [I-1, M-1]"), PlanCheck{nullptr, &list}),
            (std::vector<Found>{{8, "items", "plan.item_department"}}));
  // Without a list only the shape is checked.
  EXPECT_TRUE(ParsePlan(Edit("items: [I-1]", "items: [I-1, I-9]"), "p").ok());
}

TEST(PlanParse, RegionsCheckedAgainstTheTableWhenGiven) {
  RegionTable t;
  t.Add("511700", "达州市");
  t.Add("511702", "通川区");
  EXPECT_TRUE(ParsePlan(kMinimalPlan, "p", PlanCheck{&t, nullptr}).ok());
  EXPECT_EQ(Errors(Edit("[511702]", "[511702, 511799]"), PlanCheck{&t, nullptr}),
            (std::vector<Found>{{10, "filter.regions", "plan.region"}}));
  EXPECT_TRUE(ParsePlan(Edit("[511702]", "[511702, 511799]"), "p").ok());  // shape only
  EXPECT_EQ(Errors(Edit("[511702]", "[5117020]")), (std::vector<Found>{{10, "filter.regions", "plan.region"}}));
}

TEST(PlanParse, FilterLists) {
  auto yaml = Edit("  regions: [511702]\n",
                   "  regions: [511702]\n  industries: [H62, C13]\n  entity_types: [company]\n"
                   "  status: [active]\n  special_registers: [food]\n");
  PlanParse r = ParsePlan(yaml, "p");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.plan.filter.industries, (std::vector<std::string>{"C13", "H62"}));
  EXPECT_EQ(Errors(Edit("  regions: [511702]\n", "  regions: [511702]\n  industries: [C13X]\n")),
            (std::vector<Found>{{11, "filter.industries", "plan.industry"}}));
  EXPECT_EQ(Errors(Edit("  regions: [511702]\n", "  regions: [511702]\n  status: [open]\n")),
            (std::vector<Found>{{11, "filter.status", "plan.status"}}));
  EXPECT_EQ(Errors(Edit("  regions: [511702]\n", "  regions: [511702]\n  entity_types: [company, company]\n")),
            (std::vector<Found>{{11, "filter.entity_types[1]", "plan.duplicate"}}));
  EXPECT_EQ(Errors(Edit("  regions: [511702]\n", "  areas: [511702]\n")),
            (std::vector<Found>{{9, "filter.regions", "plan.missing"}, {10, "filter.areas", "plan.unknown_key"}}));
}

TEST(PlanParse, StrataRatioForms) {
  auto parse = [](const std::string& ratio) {
    PlanParse r = ParsePlan(Edit("    ratio_bp: 500\n", "    " + ratio + "\n"), "p");
    return r.ok() ? r.plan.strata[0].ratio_bp : -1;
  };
  EXPECT_EQ(parse("ratio: 5%"), 500);
  EXPECT_EQ(parse("ratio: 2.5%"), 250);
  EXPECT_EQ(parse("ratio: 0.25%"), 25);
  EXPECT_EQ(parse("ratio: 100%"), 10000);
  EXPECT_EQ(parse("ratio_bp: 0"), 0);
  EXPECT_EQ(parse("ratio_bp: 10000"), 10000);
  EXPECT_EQ(parse("ratio: 0.125%"), -1);
  EXPECT_EQ(parse("ratio: 5"), -1);
  EXPECT_EQ(Errors(Edit("    ratio_bp: 500\n", "    ratio: 101%\n")), (std::vector<Found>{{13, "strata[0].ratio", "plan.range"}}));
  EXPECT_EQ(Errors(Edit("    ratio_bp: 500\n", "    ratio_bp: -1\n")), (std::vector<Found>{{13, "strata[0].ratio_bp", "plan.range"}}));
  EXPECT_EQ(Errors(Edit("    ratio_bp: 500\n", "    ratio_bp: 500\n    ratio: 5%\n")),
            (std::vector<Found>{{14, "strata[0].ratio", "plan.ratio"}}));
  EXPECT_EQ(Errors(Edit("    ratio_bp: 500\n", "")), (std::vector<Found>{{12, "strata[0].ratio_bp", "plan.missing"}}));
}

TEST(PlanParse, StrataMinMax) {
  PlanParse r = ParsePlan(Edit("    ratio_bp: 500\n", "    ratio_bp: 500\n    min: 2\n    max: 9\n"), "p");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.plan.strata[0].min_count, 2);
  EXPECT_EQ(r.plan.strata[0].max_count, 9);
  EXPECT_EQ(Errors(Edit("    ratio_bp: 500\n", "    ratio_bp: 500\n    min: 9\n    max: 2\n")),
            (std::vector<Found>{{15, "strata[0].max", "plan.min_max"}}));
  EXPECT_EQ(Errors(Edit("    ratio_bp: 500\n", "    ratio_bp: 500\n    min: -3\n")),
            (std::vector<Found>{{14, "strata[0].min", "plan.range"}}));
}

TEST(PlanParse, StrataMustCoverEveryClassOnce) {
  EXPECT_EQ(Errors(Edit("  - class: D\n    ratio_bp: 8000\n", "")), (std::vector<Found>{{11, "strata", "plan.strata_cover"}}));
  EXPECT_EQ(Errors(Edit("  - class: unclassified\n", "  - class: D\n")),
            (std::vector<Found>{{11, "strata", "plan.strata_cover"}, {20, "strata[4].class", "plan.duplicate"}}));
  EXPECT_EQ(Errors(Edit("  - class: A\n", "  - class: all\n")), (std::vector<Found>{{11, "strata", "plan.strata_all"}}));
  EXPECT_EQ(Errors(Edit("  - class: A\n", "  - class: a\n")), (std::vector<Found>{{12, "strata[0].class", "plan.stratum_class"}}));
  const char* all_only = "strata:\n  - class: all\n    ratio: 10%\nschedule:";
  auto yaml = std::string(kMinimalPlan);
  yaml.replace(yaml.find("strata:"), yaml.find("schedule:") + 9 - yaml.find("strata:"), all_only);
  PlanParse r = ParsePlan(yaml, "p");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  EXPECT_EQ(r.plan.strata.size(), 1u);
}

TEST(PlanParse, Exclusions) {
  const std::string excl =
      "exclusions:\n"
      "  recently_inspected:\n"
      "    days: 90\n"
      "    departments: [SAMR, MEE]\n"
      "  annual_cap:\n"
      "    max: 2\n"
      "  deregistered: false\n"
      "  explicit:\n"
      "    - entity: ' 91511702ma6cgx2k70 '\n"
      "      reason: under investigation\n";
  PlanParse r = ParsePlan(std::string(kMinimalPlan) + excl, "p");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  const auto& x = r.plan.exclusions;
  EXPECT_EQ(x.recently_inspected->days, 90);
  EXPECT_EQ(x.recently_inspected->departments, (std::vector<std::string>{"MEE", "SAMR"}));
  EXPECT_EQ(x.annual_cap->max, 2);
  EXPECT_FALSE(x.deregistered);
  ASSERT_EQ(x.explicit_entities.size(), 1u);
  EXPECT_EQ(x.explicit_entities[0].entity_id, "91511702MA6CGX2K70");  // normalised

  auto errs = [&](const std::string& from, const std::string& to) { return Errors(std::string(kMinimalPlan) + Edit(from, to, excl)); };
  EXPECT_EQ(errs("days: 90", "days: 0"), (std::vector<Found>{{30, "exclusions.recently_inspected.days", "plan.range"}}));
  EXPECT_EQ(errs("[SAMR, MEE]", "[]"), (std::vector<Found>{{31, "exclusions.recently_inspected.departments", "plan.empty"}}));
  EXPECT_EQ(errs("[SAMR, MEE]", "[samr]"), (std::vector<Found>{{31, "exclusions.recently_inspected.departments", "plan.format"}}));
  EXPECT_EQ(errs("max: 2", "max: 0"), (std::vector<Found>{{33, "exclusions.annual_cap.max", "plan.range"}}));
  EXPECT_EQ(errs("deregistered: false", "deregistered: maybe"), (std::vector<Found>{{34, "exclusions.deregistered", "plan.type"}}));
  EXPECT_EQ(errs("      reason: under investigation\n", ""),
            (std::vector<Found>{{36, "exclusions.explicit[0].reason", "plan.missing"}}));
  EXPECT_EQ(errs("2k70", "2k71"), (std::vector<Found>{{36, "exclusions.explicit[0].entity", "plan.entity_id"}}));
  EXPECT_EQ(errs("      reason: under investigation\n",
                 "      reason: under investigation\n    - entity: 91511702MA6CGX2K70\n      reason: again\n"),
            (std::vector<Found>{{38, "exclusions.explicit[1].entity", "plan.duplicate"}}));
}

TEST(PlanParse, TeamAndSchedule) {
  PlanParse r = ParsePlan(std::string(kMinimalPlan) + "team:\n  max_entities_per_officer: 25\n", "p");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.plan.max_entities_per_officer, 25);
  EXPECT_EQ(Errors(std::string(kMinimalPlan) + "team:\n  workload: 25\n"),
            (std::vector<Found>{{29, "team.workload", "plan.unknown_key"}}));
  EXPECT_EQ(Errors(Edit("end: 2026-12-31", "end: 2026-09-30")), (std::vector<Found>{{24, "schedule.end", "plan.schedule_order"}}));
  EXPECT_TRUE(ParsePlan(Edit("end: 2026-12-31", "end: 2026-10-01"), "p").ok());  // one-day schedule
  EXPECT_EQ(Errors(Edit("start: 2026-10-01", "start: 01/10/2026")), (std::vector<Found>{{23, "schedule.start", "plan.date"}}));
}

TEST(PlanParse, Entropy) {
  const std::string beacon = "  source: beacon\n  beacon: drand-quicknet\n  round: 1000\n";
  PlanParse r = ParsePlan(Edit("  source: dice\n  digits: 20\n", beacon), "p");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  EXPECT_EQ(r.plan.entropy.round, 1000);
  EXPECT_EQ(Errors(Edit("  source: dice\n  digits: 20\n", "  source: beacon\n  round: 1000\n")),
            (std::vector<Found>{{25, "entropy.beacon", "plan.missing"}}));
  EXPECT_EQ(Errors(Edit("  source: dice\n  digits: 20\n", beacon + "  digits: 20\n")),
            (std::vector<Found>{{29, "entropy.digits", "plan.entropy"}}));
  EXPECT_EQ(Errors(Edit("digits: 20", "digits: 19")), (std::vector<Found>{{27, "entropy.digits", "plan.range"}}));
  EXPECT_EQ(Errors(Edit("source: dice", "source: coin")), (std::vector<Found>{{26, "entropy.source", "plan.entropy"}}));
}

TEST(PlanParse, ErrorsAreSortedByLine) {
  auto yaml = Edit("year: 2026", "year: 1")  // line 4
              ;
  yaml = Edit("digits: 20", "digits: 1", yaml);  // line 27
  yaml = Edit("id: T-1", "id: 'a b'", yaml);     // line 1
  auto got = Errors(yaml);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(std::get<0>(got[0]), 1);
  EXPECT_EQ(std::get<0>(got[1]), 4);
  EXPECT_EQ(std::get<0>(got[2]), 27);
}

}  // namespace
}  // namespace suiji::rules

namespace suiji::rules {
namespace {

// Every prefix of a real plan file (a truncated upload) and a few hostile documents are refused with
// errors, never a crash or an exception.
TEST(PlanParse, TruncatedAndHostileInputNeverCrashes) {
  PlanParse full = LoadPlanFile(std::string(SUIJI_SOURCE_DIR) + "/data/examples/plans/county-food-2026.yaml");
  ASSERT_TRUE(full.ok());
  std::string text = testing::kMinimalPlan;
  std::size_t refused = 0;
  for (std::size_t n = 0; n < text.size(); ++n) {
    PlanParse r = ParsePlan(text.substr(0, n), "cut.yaml");
    refused += !r.ok();
    for (const auto& e : r.errors) EXPECT_FALSE(e.message.empty());
  }
  EXPECT_GT(refused, text.size() * 9 / 10);
  for (const char* bad : {"{", "[", "a: &x [*x]", "? [a, b]\n: c\n", "id: !!binary AAAA\n", "\t- x", "id: \"\\xff\"\n",
                          "departments: {code: SAMR}\n", "strata: [1, 2]\n", "exclusions: [a]\n", "schedule: 2026\n"}) {
    PlanParse r = ParsePlan(bad, "bad.yaml");
    EXPECT_FALSE(r.ok()) << bad;
  }
}

}  // namespace
}  // namespace suiji::rules

namespace suiji::rules {
namespace {

// Files saved by Windows editors start with a UTF-8 byte-order mark and end lines with CR LF.
TEST(PlanParse, ByteOrderMarkAndCrLfAreAccepted) {
  std::string crlf = "\xEF\xBB\xBF";
  for (char c : std::string(testing::kMinimalPlan)) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  PlanParse r = ParsePlan(crlf, "win.yaml");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  EXPECT_EQ(r.plan, ParsePlan(testing::kMinimalPlan, "p.yaml").plan);
  PlanParse bad = ParsePlan(testing::Edit("digits: 20", "digits: 2", crlf), "win.yaml");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].line, 27);
}

}  // namespace
}  // namespace suiji::rules
