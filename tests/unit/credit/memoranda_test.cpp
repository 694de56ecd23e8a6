#include <gtest/gtest.h>

#include "rules/memoranda.h"

namespace suiji::rules {
namespace {

TEST(Memoranda, ParsesTheExampleFile) {
  auto m = LoadMemoranda(SUIJI_SOURCE_DIR "/data/examples/credit/memoranda.yaml");
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->memoranda.size(), 3u);
  const auto& serious = m->memoranda[0];
  ASSERT_TRUE(serious.trigger.list.has_value());
  EXPECT_EQ(*serious.trigger.list, ListKind::kSerious);
  EXPECT_EQ(serious.measures[0].department, "财政部");
  EXPECT_TRUE(serious.measures[0].while_listed);
  EXPECT_EQ(serious.measures[4].years, 3);
  EXPECT_EQ(m->memoranda[2].trigger.penalty_type, "revocation");
  EXPECT_EQ(m->digest.size(), 64u);
}

const char* kOne = R"(version: "1"
memoranda:
  - id: a
    title: t
    trigger: {list: serious}
    measures:
      - id: m1
        measure: x
        department: d
        legal_basis: b
        duration: while_listed
)";

void ExpectError(const std::string& from, const std::string& to, const std::string& where, const std::string& reason) {
  std::string text = kOne;
  auto p = text.find(from);
  ASSERT_NE(p, std::string::npos);
  text.replace(p, from.size(), to);
  auto m = ParseMemoranda(text, "mou.yaml");
  ASSERT_FALSE(m.ok()) << text;
  EXPECT_NE(m.error().message.find(where), std::string::npos) << m.error().message;
  EXPECT_NE(m.error().message.find(reason), std::string::npos) << m.error().message;
}

TEST(Memoranda, Errors) {
  ASSERT_TRUE(ParseMemoranda(kOne).ok());
  ExpectError("{list: serious}", "{list: blacklist}", "mou.yaml:5: memoranda[0].trigger.list", "not abnormal or serious");
  ExpectError("{list: serious}", "{penalty_type: revocation}", "mou.yaml:11: memoranda[0].measures[0].duration",
              "needs a list trigger");
  ExpectError("{list: serious}", "{list: serious, penalty_type: fine}", "memoranda[0].trigger", "exactly one");
  ExpectError("        legal_basis: b\n", "", "mou.yaml:7: memoranda[0].measures[0].legal_basis", "is required");
  ExpectError("while_listed", "{years: 0}", "memoranda[0].measures[0].duration.years", "1..50");
  ExpectError("while_listed", "forever", "memoranda[0].measures[0].duration", "while_listed or {years: N}");
  ExpectError("        duration", "        departmnet: e\n        duration", "measures[0].departmnet", "unknown field");
  ExpectError("id: m1", "id: m1\n        measure: y", "mou.yaml:9: memoranda[0].measures[0].measure", "appears twice");
}

TEST(Memoranda, DuplicateIds) {
  std::string two = std::string(kOne) + "  - id: a\n    title: t2\n    trigger: {list: abnormal}\n    measures:\n"
                    "      - {id: m, measure: x, department: d, legal_basis: b, duration: {years: 2}}\n";
  auto m = ParseMemoranda(two, "mou.yaml");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("mou.yaml:12: memoranda[1].id"), std::string::npos) << m.error().message;
}

}  // namespace
}  // namespace suiji::rules
