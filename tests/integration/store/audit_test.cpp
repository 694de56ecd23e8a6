// The hash-chained audit log: hashes match an independent recomputation, and tampering (edited,
// deleted, reordered, re-hashed rows) is reported at the right seq, on both backends.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "core/sha256.h"
#include "data/store/audit_log.h"
#include "data/store/json_text.h"
#include "store_fixture.h"

namespace suiji::store {
namespace {

using testing::StoreTest;

TEST(AuditRecord, FastTextIsTheCanonicalJsonOfTheRecord) {
  AuditEvent e{42, "2026-03-01T00:00:00.000Z", "张三 \"admin\"", "entity.update", "entities/O'Brien\\x",
               R"({"a":"\u0001\n\t","b":[1,2],"c":"四川'省 🚀"})", std::string(kGenesisHash), ""};
  Json record = {{"seq", e.seq},       {"at", e.at},           {"actor", e.actor},
                 {"action", e.action}, {"subject", e.subject}, {"payload", Json::parse(e.payload)},
                 {"prev_hash", e.prev_hash}};
  EXPECT_EQ(AuditRecordText(e), CanonicalJson(record));
  std::string ctl;
  for (int c = 1; c < 0x20; ++c) ctl += static_cast<char>(c);
  e.actor = ctl + "\x7f";
  e.payload = "{}";
  record["actor"] = e.actor;
  record["payload"] = Json::object();
  EXPECT_EQ(AuditRecordText(e), CanonicalJson(record));
}

TEST(AuditRecord, Utf8CheckRejectsWhatTheVerifierCouldNotParse) {
  EXPECT_TRUE(ValidUtf8("四川'省 🚀 O'Brien"));
  EXPECT_TRUE(ValidUtf8(""));
  EXPECT_FALSE(ValidUtf8("\xff"));
  EXPECT_FALSE(ValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(ValidUtf8("\xed\xa0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(ValidUtf8("\xe5\x9b"));          // truncated 3-byte sequence
  EXPECT_FALSE(ValidUtf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
}

class AuditTest : public StoreTest {
 protected:
  void AppendN(int n) {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < n; ++i) {
      auto e = AppendAuditEvent(tx.value(), "officer-" + std::to_string(i % 3), "draw.commit",
                                "plans/P" + std::to_string(i), Json{{"i", i}, {"note", "第" + std::to_string(i) + "次"}});
      ASSERT_TRUE(e.ok()) << e.error().message;
      EXPECT_EQ(e.value().seq, i + 1);
    }
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  ChainReport Verify() {
    auto r = VerifyAuditChain(*db_, 3);  // small batches so breaks straddle batch edges
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.value();
  }
};

TEST_P(AuditTest, EmptyChainIsOkWithTheGenesisHead) {
  MigrateOrDie();
  auto r = Verify();
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.events, 0);
  EXPECT_EQ(r.head, kGenesisHash);
}

TEST_P(AuditTest, ChainLinksAndHashesAreIndependentlyRecomputable) {
  MigrateOrDie();
  db_->set_clock(testing::TickingClock());
  AppendN(10);
  auto events = ListAudit(*db_, 0, 100).value();
  ASSERT_EQ(events.size(), 10u);
  std::string prev(kGenesisHash);
  for (const AuditEvent& e : events) {
    EXPECT_EQ(e.prev_hash, prev);
    Json rec = {{"seq", e.seq},         {"at", e.at},           {"actor", e.actor},
                {"action", e.action},   {"subject", e.subject}, {"payload", Json::parse(e.payload)},
                {"prev_hash", e.prev_hash}};
    EXPECT_EQ(e.hash, Sha256Hex(CanonicalJson(rec)));
    prev = e.hash;
  }
  // The injected clock makes the chain deterministic: the same events give the same head.
  EXPECT_EQ(events[0].at, "2026-03-01T00:00:00.000Z");
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.events, 10);
  EXPECT_EQ(r.head, events.back().hash);
  auto tail = TailAudit(*db_, 3).value();
  ASSERT_EQ(tail.size(), 3u);
  EXPECT_EQ(tail.front().seq, 8);
  EXPECT_EQ(tail.back().seq, 10);
}

TEST_P(AuditTest, EditedPayloadIsReportedAtItsSeq) {
  MigrateOrDie();
  AppendN(8);
  Exec("UPDATE audit_log SET payload = '{\"i\":99,\"note\":\"x\"}' WHERE seq = 5");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.seq, 5);
  EXPECT_EQ(r.problem, "edited");
  EXPECT_EQ(r.events, 4);
}

TEST_P(AuditTest, DeletedRowIsAGapAtTheMissingSeq) {
  MigrateOrDie();
  AppendN(8);
  Exec("DELETE FROM audit_log WHERE seq = 5");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.seq, 5);
  EXPECT_EQ(r.problem, "gap");
  EXPECT_EQ(r.expected, "seq 5");
  EXPECT_EQ(r.found, "seq 6");
  Exec("DELETE FROM audit_log WHERE seq = 1");
  EXPECT_EQ(Verify().seq, 1);
}

TEST_P(AuditTest, ReorderedRowsAreDetected) {
  MigrateOrDie();
  AppendN(8);
  Exec("UPDATE audit_log SET seq = 100 WHERE seq = 3");
  Exec("UPDATE audit_log SET seq = 3 WHERE seq = 4");
  Exec("UPDATE audit_log SET seq = 4 WHERE seq = 100");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.seq, 3);
}

TEST_P(AuditTest, RehashedEditBreaksTheNextLink) {
  MigrateOrDie();
  AppendN(8);
  // A careful forger edits seq 6 and recomputes its hash: the row is self-consistent, seq 7 is not.
  auto ev = ListAudit(*db_, 5, 1).value().front();
  ev.payload = R"({"i":5,"note":"forged"})";
  ev.hash = Sha256Hex(AuditRecordText(ev));
  db_->session() << "UPDATE audit_log SET payload = :p, hash = :h WHERE seq = 6", soci::use(ev.payload),
      soci::use(ev.hash);
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.seq, 7);
  EXPECT_EQ(r.problem, "relinked");
  EXPECT_EQ(r.found, ListAudit(*db_, 6, 1).value().front().prev_hash);
  EXPECT_EQ(r.expected, ev.hash);
}

TEST_P(AuditTest, AppendNeedsAnOpenTransaction) {
  MigrateOrDie();
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(tx.value().Commit().ok());
  auto e = AppendAuditEvent(tx.value(), "a", "b", "c", Json::object());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "audit.tx");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest, ::testing::Values("sqlite", "postgresql"), testing::BackendParamName);

}  // namespace
}  // namespace suiji::store
