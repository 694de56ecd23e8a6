// Per-batch insert auditing and row provenance (migration 0005), on SQLite and PostgreSQL:
// VerifyProvenance recomputes insert_batch digests from the rows, and reports a tampered value, a
// tampered value with a matching row_sha256, and a row pointing at an event that did not write it.
// Also the first-load fast path: a key repeated in a later batch of the same transaction is still
// found (no probe is skipped wrongly).
#include <gtest/gtest.h>

#include <algorithm>
#include <soci/soci.h>

#include "core/canonical_json.h"
#include "core/sha256.h"
#include "data/store/audit_log.h"
#include "data/store/entity_store.h"
#include "data/store/item_store.h"
#include "data/store/table.h"
#include "store_fixture.h"

namespace suiji::store {
namespace {

class ProvenanceTest : public testing::StoreTest {};

Entity MakeEntity(int i, std::string name = "") {
  Entity e;
  char id[32];
  std::snprintf(id, sizeof id, "P%08d", (i * 7919) % 100000);  // not in key order
  e.id = EntityId{id, IdKind::kLegacy};
  e.name = name.empty() ? "企业 " + std::to_string(i) : name;
  e.entity_type = "company";
  e.region = "510104";
  e.industry = "F5212";
  e.address = "地址 " + std::to_string(i);
  if (i % 4 == 0) e.special_registers = {"food"};
  return e;
}

std::vector<Entity> MakeEntities(int from, int to) {
  std::vector<Entity> v;
  for (int i = from; i < to; ++i) v.push_back(MakeEntity(i));
  return v;
}

std::int64_t AuditCount(Database& db) {
  long long n = 0;
  db.session() << "SELECT COUNT(*) FROM audit_log", soci::into(n);
  return n;
}

ProvenanceReport Verify(Database& db) {
  Table t(db, EntityCodec::Spec());
  auto r = t.VerifyProvenance();
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? r.value() : ProvenanceReport{};
}

std::string Problems(const ProvenanceReport& r) {
  std::string s;
  for (const auto& p : r.problems) s += p + "\n";
  return s;
}

// Three batches in one transaction (the first-load path), committed.
void Load(Database& db) {
  auto tx = Transaction::Begin(db);
  ASSERT_TRUE(tx.ok());
  EntityStore store(db);
  for (int from = 0; from < 300; from += 100)
    ASSERT_EQ(store.Upsert(tx.value(), MakeEntities(from, from + 100), "t").value(), (UpsertCounts{100, 0, 0}));
  ASSERT_TRUE(tx.value().Commit().ok());
}

TEST_P(ProvenanceTest, CleanLoadVerifiesEveryBatchDigest) {
  MigrateOrDie();
  Load(*db_);
  EXPECT_EQ(AuditCount(*db_), 3);
  ProvenanceReport r = Verify(*db_);
  EXPECT_TRUE(r.ok()) << Problems(r);
  EXPECT_EQ(r.rows, 300);
  EXPECT_EQ(r.batches, 3);
  EXPECT_EQ(r.batches_partial, 0);
  EXPECT_EQ(r.legacy_rows, 0);
}

TEST_P(ProvenanceTest, TamperedValueIsReportedWhileTheChainStaysIntact) {
  MigrateOrDie();
  Load(*db_);
  const std::string id = MakeEntity(42).id.value;
  Exec("UPDATE entities SET name = '假名' WHERE id = '" + id + "'");
  EXPECT_TRUE(VerifyAuditChain(*db_).value().ok) << "the chain alone cannot see a table edit";
  ProvenanceReport r = Verify(*db_);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.problem_count, 1) << Problems(r);
  EXPECT_NE(r.problems[0].find(id), std::string::npos) << r.problems[0];
  EXPECT_NE(r.problems[0].find("row_sha256"), std::string::npos) << r.problems[0];
}

TEST_P(ProvenanceTest, TamperedValueWithMatchingRowShaBreaksTheBatchDigest) {
  MigrateOrDie();
  Load(*db_);
  Entity forged = MakeEntity(42, "假名");
  Table t(*db_, EntityCodec::Spec());
  Json object = Json::object();
  Row row = EntityCodec::ToRow(forged);
  const TableSpec& spec = EntityCodec::Spec();
  for (size_t c = 0; c < row.size(); ++c) {
    const std::string& col = spec.columns[c];
    bool late = std::find(spec.late_columns.begin(), spec.late_columns.end(), col) != spec.late_columns.end();
    if (late && (row[c].empty() || row[c] == "[]")) continue;  // the documented rule for columns added later
    bool json = std::find(spec.json_columns.begin(), spec.json_columns.end(), col) != spec.json_columns.end();
    object[col] = json ? Json::parse(row[c]) : Json(row[c]);
  }
  const std::string sha = Sha256Hex(CanonicalJson(object));
  Exec("UPDATE entities SET name = '假名', row_sha256 = '" + sha + "' WHERE id = '" + forged.id.value + "'");
  ProvenanceReport r = Verify(*db_);
  ASSERT_EQ(r.problem_count, 1) << Problems(r);
  EXPECT_NE(r.problems[0].find("digest"), std::string::npos) << r.problems[0];
  EXPECT_EQ(r.batches, 2);  // the other two batches still verify
}

TEST_P(ProvenanceTest, RowPointingAtAnotherEventIsReported) {
  MigrateOrDie();
  Load(*db_);
  // Moving a row to another batch breaks both digests' row counts.
  Exec("UPDATE entities SET audit_seq = 2 WHERE id = '" + MakeEntity(3).id.value + "'");
  ProvenanceReport r = Verify(*db_);
  EXPECT_EQ(r.problem_count, 1) << Problems(r);  // batch 2 has 101 rows; batch 1 is partial
  EXPECT_EQ(r.batches_partial, 1);
  Exec("UPDATE entities SET audit_seq = 99 WHERE id = '" + MakeEntity(150).id.value + "'");
  r = Verify(*db_);
  EXPECT_EQ(r.problem_count, 2) << Problems(r);
  EXPECT_NE(Problems(r).find("seq 99"), std::string::npos) << Problems(r);
}

TEST_P(ProvenanceTest, UpdatesMoveProvenanceAndReimportWritesNothing) {
  MigrateOrDie();
  Load(*db_);
  auto changed = MakeEntities(0, 300);
  changed[7].status = "abnormal";
  changed[250].address = "新地址";
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    EntityStore store(*db_);
    ASSERT_EQ(store.Upsert(tx.value(), changed, "t").value(), (UpsertCounts{0, 2, 298}));
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  EXPECT_EQ(AuditCount(*db_), 5);
  ProvenanceReport r = Verify(*db_);
  EXPECT_TRUE(r.ok()) << Problems(r);
  EXPECT_EQ(r.batches, 1);
  EXPECT_EQ(r.batches_partial, 2);
  EXPECT_EQ(r.updates, 2);
  // Same data again: no event, nothing moves.
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  EntityStore store(*db_);
  ASSERT_EQ(store.Upsert(tx.value(), changed, "t").value(), (UpsertCounts{0, 0, 300}));
  ASSERT_TRUE(tx.value().Commit().ok());
  EXPECT_EQ(AuditCount(*db_), 5);
  // Tampering an updated row is caught against its update event too.
  Exec("UPDATE entities SET row_sha256 = '00' WHERE id = '" + changed[7].id.value + "'");
  r = Verify(*db_);
  EXPECT_EQ(r.problem_count, 2) << Problems(r);  // content vs row_sha256, and the update's new values
}

TEST_P(ProvenanceTest, FirstLoadStillFindsKeysRepeatedInLaterBatches) {
  MigrateOrDie();
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  EntityStore store(*db_);
  ASSERT_EQ(store.Upsert(tx.value(), MakeEntities(0, 50), "t").value(), (UpsertCounts{50, 0, 0}));
  // The table was empty when the transaction began; these keys were inserted by the batch above.
  auto again = MakeEntities(40, 60);
  again[0].name = "改";
  auto r = store.Upsert(tx.value(), again, "t");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value(), (UpsertCounts{10, 1, 9}));
  // A second store on the same transaction knows nothing of the first one's inserts: it probes.
  EntityStore other(*db_);
  EXPECT_EQ(other.Upsert(tx.value(), MakeEntities(55, 65), "t").value(), (UpsertCounts{5, 0, 5}));
  ASSERT_TRUE(tx.value().Commit().ok());
  EXPECT_EQ(store.Count().value(), 65);
  // The next transaction starts over: the table is not empty any more.
  auto tx2 = Transaction::Begin(*db_);
  ASSERT_TRUE(tx2.ok());
  EXPECT_EQ(store.Upsert(tx2.value(), MakeEntities(0, 70), "t").value(), (UpsertCounts{5, 1, 64}));
  ASSERT_TRUE(tx2.value().Commit().ok());
  ProvenanceReport v = Verify(*db_);
  EXPECT_TRUE(v.ok()) << Problems(v);
}

TEST_P(ProvenanceTest, CompositeKeysDigestInColumnOrder) {
  MigrateOrDie();
  ItemStore items(*db_);
  InspectionItem a{"SAMR", "2", "食品", "检查", "", "key", {"现场检查"}, "", {}, {}, ""};
  InspectionItem b = a, c = a;
  b.code = "10";
  c.department = "MEE";
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  ASSERT_EQ(items.Upsert(tx.value(), {a, b, c}, "t").value(), (UpsertCounts{3, 0, 0}));
  ASSERT_TRUE(tx.value().Commit().ok());
  Json p = Json::parse(ListAudit(*db_, 0, 10).value().at(0).payload);
  EXPECT_EQ(p["first"], Json::array({"MEE", "2"}));
  EXPECT_EQ(p["last"], Json::array({"SAMR", "2"}));  // "10" < "2": bytes, not numbers
  Table t(*db_, ItemCodec::Spec());
  auto r = t.VerifyProvenance();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r.value().ok()) << Problems(r.value());
  EXPECT_EQ(r.value().batches, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProvenanceTest, ::testing::Values("sqlite", "postgresql"),
                         testing::BackendParamName);

}  // namespace
}  // namespace suiji::store
