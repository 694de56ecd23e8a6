#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/sha256.h"
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

// Found by the CI fuzz smoke (bundle target, 2026-12-07): bundle.json's file names were never read, so a
// bundle naming another commitment file verified.
TEST_F(BundleTest, CommitmentFileNamesAreChecked) {
  std::string index = Read(dir_ / "bundle.json");
  Write(dir_ / "bundle.json", std::regex_replace(index, std::regex("\"pair_commitment\\.json\""), "\"pair_commitmenn.json\""));
  auto r = VerifyBundle(dir_.string());
  EXPECT_FALSE(r.match);
  EXPECT_EQ(r.difference, "bundle.json: pairing.commitment_file is 'pair_commitmenn.json', not pair_commitment.json");
  Write(dir_ / "bundle.json", std::regex_replace(index, std::regex("\"draw_commitment\\.json\""), "\"other.json\""));
  r = VerifyBundle(dir_.string());
  EXPECT_FALSE(r.match);
  EXPECT_EQ(r.difference, "bundle.json: draw.commitment_file is 'other.json', not draw_commitment.json");
  Write(dir_ / "bundle.json", index);
  EXPECT_TRUE(VerifyBundle(dir_.string()).match);
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

// Bound to the audit chain (bundle_audit.h). The CLI-made bundles of tests/integration/verify/ run every
// tamper case with both verifiers; these pin the checks and their messages.
class BoundBundleTest : public BundleTest {
 protected:
  void SetUp() override {
    BundleTest::SetUp();
    testing::BindToAuditChain(bundle_);
    ASSERT_TRUE(WriteBundle(dir_.string(), bundle_).ok());
    head_ = ComputeDrawHead(bundle_.audit->draw_events).head;
  }
  std::vector<Json> Events() {
    std::vector<Json> out;
    std::istringstream in(Read(dir_ / kAuditEventsFile));
    for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
    return out;
  }
  void SetEvents(const std::vector<Json>& events) {
    std::string text;
    for (const auto& e : events) text += CanonicalJson(e) + "\n";
    Write(dir_ / kAuditEventsFile, text);
  }
  static void Rehash(Json& e) {
    Json record = e;
    record.erase("hash");
    e["hash"] = Sha256Hex(CanonicalJson(record));
  }
  std::string head_;
};

TEST_F(BoundBundleTest, MatchesWithAndWithoutItsHead) {
  auto r = VerifyBundle(dir_.string());
  EXPECT_TRUE(r.match) << r.difference;
  EXPECT_NE(r.checked.back().find("5 audit events (3 of the draw, 2 of the pairing)"), std::string::npos) << r.checked.back();
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0].rfind("no --head given", 0), 0u);
  r = VerifyBundle(dir_.string(), 1, head_);
  EXPECT_TRUE(r.match) << r.difference;
  EXPECT_TRUE(r.notes.empty());
  EXPECT_EQ(r.checked.back().rfind("draw head matches --head " + head_, 0), 0u);
}

TEST_F(BoundBundleTest, DrawHeadIsTheHashChainOfTheEventHashes) {
  std::vector<ChainEvent> two(2);
  two[0].hash = std::string(64, 'a');
  two[1].hash = std::string(64, 'b');
  two[1].seq = 9;
  auto h = ComputeDrawHead(two);
  EXPECT_EQ(h.head, Sha256Hex(Sha256Hex(std::string(64, '0') + "|" + two[0].hash) + "|" + two[1].hash));
  EXPECT_EQ(h.head, "e0b60f768e673b0b1c7284791753298befd9fd9e39bb32db4e10fee8337f2d01");  // docs/draw-protocol.md 6
  EXPECT_EQ(h.events, 2);
  EXPECT_EQ(h.last, (ChainLink{9, two[1].hash}));
  EXPECT_EQ(ComputeDrawHead({}).head, std::string(64, '0'));
}

TEST_F(BoundBundleTest, TruncationIsCaughtOnlyAgainstTheHead) {
  // The substitution and its event dropped together: consistent, so only the published head shows it.
  Json index = Json::parse(Read(dir_ / "bundle.json"));
  index["draw"]["substitutions"] = Json::array();
  auto events = Events();
  events.erase(events.begin() + 2);  // seq 6, draw.substitute
  std::vector<ChainEvent> draw_events(bundle_.audit->draw_events.begin(), bundle_.audit->draw_events.begin() + 2);
  index["audit"]["draw_head"] = DrawHeadJson(ComputeDrawHead(draw_events));
  Write(dir_ / "bundle.json", index.dump(2));
  SetEvents(events);
  auto r = VerifyBundle(dir_.string());
  EXPECT_TRUE(r.match) << r.difference;
  r = VerifyBundle(dir_.string(), 1, head_);
  EXPECT_FALSE(r.match);
  EXPECT_EQ(r.difference, "--head " + head_ + " is not this bundle's draw head " + ComputeDrawHead(draw_events).head +
                              ": a draw event the head covers is missing or was rewritten (or the head is another draw's)");
  // bundle.json alone: the event still names it.
  SetUp();
  index = Json::parse(Read(dir_ / "bundle.json"));
  index["draw"]["substitutions"] = Json::array();
  Write(dir_ / "bundle.json", index.dump(2));
  r = VerifyBundle(dir_.string());
  EXPECT_EQ(r.difference.rfind("audit event seq 6 (draw.substitute {", 0), 0u) << r.difference;
  EXPECT_NE(r.difference.find("is not in bundle.json: the bundle lists 0 substitutions, the audit events 1"), std::string::npos);
}

TEST_F(BoundBundleTest, EditedEventsAreCaught) {
  auto events = Events();
  events[2]["payload"]["reason"] = "edited";
  SetEvents(events);
  auto r = VerifyBundle(dir_.string());
  EXPECT_EQ(r.difference.rfind("audit_events.jsonl line 3 (audit event seq 6, draw.substitute): its content does not give its hash", 0), 0u)
      << r.difference;
  // Re-hashed: it then differs from bundle.json.
  Rehash(events[2]);
  SetEvents(events);
  r = VerifyBundle(dir_.string());
  EXPECT_EQ(r.difference.rfind("substitution 1: bundle.json has stratum \"B\": ", 0), 0u) << r.difference;
  // The reveal re-hashed: its chain neighbour (seq 6) no longer links to it.
  SetUp();
  events = Events();
  events[1]["at"] = "2026-12-07T09:00:06Z";
  Rehash(events[1]);
  SetEvents(events);
  r = VerifyBundle(dir_.string());
  EXPECT_EQ(r.difference.rfind("audit event seq 6: prev_hash ", 0), 0u) << r.difference;
  // Not canonical, out of order, a missing pairing event.
  SetUp();
  Write(dir_ / kAuditEventsFile, " " + Read(dir_ / kAuditEventsFile));
  EXPECT_EQ(VerifyBundle(dir_.string()).difference, "audit_events.jsonl line 1: not in canonical form");
  SetUp();
  events = Events();
  std::swap(events[0], events[1]);
  SetEvents(events);
  EXPECT_EQ(VerifyBundle(dir_.string()).difference,
            "audit event seq 3 comes after audit event seq 5: the events are not in chain order");
  SetUp();
  events = Events();
  events.pop_back();
  SetEvents(events);
  EXPECT_EQ(VerifyBundle(dir_.string()).difference.rfind("audit events: the pairing's events are not one pair.commit", 0), 0u);
}

TEST_F(BoundBundleTest, EarlierHeadsAndEventHashesAreNamed) {
  const auto& ev = bundle_.audit->draw_events;
  const std::string earlier = ComputeDrawHead({ev[0], ev[1]}).head;
  auto r = VerifyBundle(dir_.string(), 1, earlier);
  EXPECT_EQ(r.difference.rfind("--head " + earlier + " is the draw's head after its first 2 of the bundle's 3 draw events", 0), 0u)
      << r.difference;
  r = VerifyBundle(dir_.string(), 1, ev[2].hash);
  EXPECT_EQ(r.difference, "--head " + ev[2].hash + " is the hash of audit event seq 6, not a draw head (publish draw_head.head)");
  EXPECT_EQ(VerifyBundle(dir_.string(), 1, "abc").difference, "--head abc is not a draw head (64 lowercase hex digits)");
}

TEST_F(BoundBundleTest, WithoutTheEventsTheBundleIsUnboundAndHeadIsRefused) {
  bundle_.audit.reset();
  fs::remove_all(dir_);
  ASSERT_TRUE(WriteBundle(dir_.string(), bundle_).ok());
  ASSERT_FALSE(fs::exists(dir_ / kAuditEventsFile));
  auto r = VerifyBundle(dir_.string());
  EXPECT_TRUE(r.match) << r.difference;
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("not bound to the audit chain"), std::string::npos);
  r = VerifyBundle(dir_.string(), 1, head_);
  EXPECT_FALSE(r.match);
  EXPECT_EQ(r.difference.rfind("--head given, but this bundle carries no audit events", 0), 0u);
  // Half a binding is a difference, not an older bundle.
  SetUp();
  fs::remove(dir_ / kAuditEventsFile);
  EXPECT_EQ(VerifyBundle(dir_.string()).difference, "bundle.json names audit events, but audit_events.jsonl is missing");
}

TEST_F(BoundBundleTest, DrawStageOnlyBundleLeavesThePairingEventsOut) {
  bundle_.pairing.reset();
  bundle_.pair_commitment.reset();
  auto files = BundleFiles(bundle_);
  ASSERT_TRUE(files.ok());
  const auto& events = files->back();
  EXPECT_EQ(events.first, kAuditEventsFile);
  EXPECT_EQ(std::count(events.second.begin(), events.second.end(), '\n'), 3);
  EXPECT_EQ(events.second.find("pair."), std::string::npos);
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
