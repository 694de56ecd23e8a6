#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sampler/csv.h"
#include "tests/unit/sampler/sample_bundle.h"

namespace suiji::sampler {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
void Write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary | std::ios::trunc) << s; }

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("suiji_bundle_" + std::to_string(::getpid()) + "_" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    bundle_ = testing::SampleBundle();
    ASSERT_TRUE(WriteBundle(dir_.string(), bundle_).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Replaces the first occurrence of `from` after the header in `file`.
  void Tamper(const char* file, const std::string& from, const std::string& to) {
    std::string s = Read(dir_ / file);
    auto nl = s.find('\n');
    auto pos = s.find(from, nl == std::string::npos ? 0 : nl);
    ASSERT_NE(pos, std::string::npos) << from;
    s.replace(pos, from.size(), to);
    Write(dir_ / file, s);
  }
  fs::path dir_;
  Bundle bundle_;
};

TEST_F(BundleTest, UntouchedBundleMatches) {
  auto r = VerifyBundle(dir_.string());
  EXPECT_TRUE(r.match) << r.difference;
  EXPECT_EQ(bundle_.pairing->status, "ok");
  EXPECT_EQ(VerifyBundle(dir_.string(), 2).match, true);
}

TEST_F(BundleTest, TamperedIdIsNamed) {
  const auto& b = bundle_.draw.strata[1];
  Tamper("tickets.csv", b.drawn[2].id, b.reserve[0].id);
  auto r = VerifyBundle(dir_.string());
  EXPECT_FALSE(r.match);
  EXPECT_EQ(r.difference, "tickets.csv row " + std::to_string(bundle_.draw.strata[0].drawn.size() +
                                                               bundle_.draw.strata[0].reserve.size() + 3) +
                              ": stratum B, drawn position 3: bundle has " + b.reserve[0].id + " ticket " +
                              b.drawn[2].ticket + ", recomputed " + b.drawn[2].id + " ticket " + b.drawn[2].ticket);
}

TEST_F(BundleTest, TamperedTicketIsNamed) {
  const auto& a = bundle_.draw.strata[0];
  std::string forged = a.drawn[0].ticket;
  forged[5] = forged[5] == '1' ? '2' : '1';
  Tamper("tickets.csv", a.drawn[0].ticket, forged);
  auto r = VerifyBundle(dir_.string());
  EXPECT_FALSE(r.match);
  EXPECT_NE(r.difference.find("stratum A, drawn position 1: bundle has " + a.drawn[0].id + " ticket " + forged), std::string::npos)
      << r.difference;
}

TEST_F(BundleTest, TamperedTeamIsNamed) {
  const auto& team = bundle_.pairing->teams[0];
  std::string row = team.entity_id + ",SAMR," + team.members[0].officer;
  std::string other = team.members[0].officer == "P-S02" ? "P-S04" : "P-S02";
  Tamper("teams.csv", row, team.entity_id + ",SAMR," + other);
  auto r = VerifyBundle(dir_.string());
  EXPECT_FALSE(r.match);
  EXPECT_EQ(r.difference.rfind("teams.csv row 1: team of " + team.entity_id + ", SAMR: bundle has officer " + other, 0), 0u)
      << r.difference;
}

TEST_F(BundleTest, TamperedCommitmentEntropyAndSubstitutionAreCaught) {
  Tamper("draw_commitment.json", "\"reserve\":2", "\"reserve\":3");
  EXPECT_EQ(VerifyBundle(dir_.string()).difference.rfind("draw commitment: bundle.json says", 0), 0u);
  SetUp();
  Tamper("bundle.json", "\"entropy\": \"314159265358979323840\"", "\"entropy\": \"314159265358979323841\"");
  EXPECT_EQ(VerifyBundle(dir_.string()).difference.rfind("draw seed hash: bundle has", 0), 0u);
  SetUp();
  Tamper("bundle.json", "\"in_id\": \"" + bundle_.draw.strata[1].reserve[0].id, "\"in_id\": \"" + bundle_.draw.strata[1].reserve[1].id);
  EXPECT_EQ(VerifyBundle(dir_.string()).difference.rfind("substitution 1 in stratum B: bundle brings in", 0), 0u);
  SetUp();
  fs::remove(dir_ / "teams.csv");
  EXPECT_FALSE(VerifyBundle(dir_.string()).match);
  EXPECT_FALSE(VerifyBundle((dir_ / "nowhere").string()).match);
}

TEST(Csv, RoundTripsAwkwardFields) {
  std::vector<std::string> row = {"plain", "with,comma", "with \"quote\"", "multi\nline", "", "企业"};
  auto parsed = internal::ParseCsv(internal::CsvRow(row) + internal::CsvRow({"a", "b"}));
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0], row);
  EXPECT_FALSE(internal::ParseCsv("\"open\n").ok());
  EXPECT_FALSE(internal::ParseCsv("\"a\"b,c\n").ok());
}

}  // namespace
}  // namespace suiji::sampler
