// The bulk upsert path: the insert_batch digest and each row's provenance (recomputed here through
// nlohmann), and the existing-key lookup finds keys that hold text[]-literal syntax, single and
// composite keys, on both backends.
#include <gtest/gtest.h>

#include <random>
#include <soci/soci.h>

#include <algorithm>

#include "core/canonical_json.h"
#include "core/sha256.h"
#include "data/store/audit_log.h"
#include "data/store/entity_store.h"
#include "data/store/json_text.h"
#include "data/store/table.h"
#include "store_fixture.h"

namespace suiji::store {
namespace {

class BulkTest : public testing::StoreTest {};

// Keys that break a naive array literal or a naive split: quotes, backslashes, braces, commas,
// blanks, the word NULL, non-ASCII.
const std::vector<std::string> kAwkward = {"a\"b", "c\\d", "{x,y}", " lead", "trail ", "NULL", "null",
                                           "中文,键", "tab\there", "new\nline", "\\\"", "}", "{", ","};

Entity AwkwardEntity(size_t i) {
  Entity e;
  e.id = EntityId{kAwkward[i], IdKind::kLegacy};
  e.name = "名称 \"" + kAwkward[i] + "\"";
  e.entity_type = "company";
  e.region = "510104";
  e.industry = "F5212";
  e.established = "2020-01-01";
  e.address = "路\\" + std::to_string(i);
  e.legal_rep = "张三";
  if (i % 2) e.special_registers = {"food", kAwkward[i]};
  return e;
}

Result<UpsertCounts> Upsert(Database& db, Table& t, std::vector<Row> rows) {
  auto tx = Transaction::Begin(db);
  if (!tx) return tx.error();
  auto r = t.Upsert(tx.value(), std::move(rows), "tester");
  if (!r) ADD_FAILURE() << r.error().code << ": " << r.error().message;
  if (!r) return r;
  if (Status st = tx.value().Commit(); !st) return st.error();
  return r;
}

// The row sha256 recomputed independently of the store's fast writer: nlohmann's canonical JSON of
// column -> value (JSON columns embedded as JSON; late columns left out while '' or '[]').
std::string RowSha(const TableSpec& spec, const Row& row) {
  Json object = Json::object();
  for (size_t c = 0; c < spec.columns.size(); ++c) {
    bool late = std::find(spec.late_columns.begin(), spec.late_columns.end(), spec.columns[c]) != spec.late_columns.end();
    if (late && (row[c].empty() || row[c] == "[]")) continue;
    bool json = std::find(spec.json_columns.begin(), spec.json_columns.end(), spec.columns[c]) !=
                spec.json_columns.end();
    object[spec.columns[c]] = json ? Json::parse(row[c]) : Json(row[c]);
  }
  return Sha256Hex(CanonicalJson(object));
}

struct Provenance {
  long long seq = -1;
  std::string sha;
};
Provenance ProvenanceOf(Database& db, const std::string& id) {
  Provenance p;
  std::string key = id;
  db.session() << "SELECT audit_seq, row_sha256 FROM entities WHERE id = :id", soci::into(p.seq), soci::into(p.sha),
      soci::use(key);
  return p;
}

TEST_P(BulkTest, InsertBatchDigestIsRecomputableFromTheStoredRows) {
  MigrateOrDie();
  Table t(*db_, EntityCodec::Spec());
  std::vector<Row> rows;
  for (size_t i = 0; i < kAwkward.size(); ++i) rows.push_back(EntityCodec::ToRow(AwkwardEntity(i)));
  ASSERT_EQ(Upsert(*db_, t, rows).value(), (UpsertCounts{static_cast<std::int64_t>(rows.size()), 0, 0}));

  auto events = ListAudit(*db_, 0, 100).value();
  ASSERT_EQ(events.size(), 1u);  // one event for the whole batch
  EXPECT_EQ(events[0].action, "entity.insert_batch");
  EXPECT_EQ(events[0].subject, "entities");
  Json payload = Json::parse(events[0].payload);
  EXPECT_EQ(payload["count"], static_cast<int>(rows.size()));

  // The documented bytes: rows in byte order of their key, one line each:
  //   canonical JSON array of the key values, TAB, row sha256, LF.
  std::vector<std::string> keys = kAwkward;
  std::sort(keys.begin(), keys.end());
  std::string lines;
  const TableSpec& spec = EntityCodec::Spec();
  for (const std::string& k : keys) {
    auto stored = t.Get({k});
    ASSERT_TRUE(stored.ok() && stored.value().has_value()) << k;
    const std::string sha = RowSha(spec, *stored.value());
    lines += CanonicalJson(Json::array({k})) + "\t" + sha + "\n";
    // Provenance: the row names the event that brought it in, and its own digest.
    Provenance p = ProvenanceOf(*db_, k);
    EXPECT_EQ(p.seq, events[0].seq) << k;
    EXPECT_EQ(p.sha, sha) << k;
  }
  EXPECT_EQ(payload["digest"], Sha256Hex(lines));
  EXPECT_EQ(payload["first"], Json::array({keys.front()}));
  EXPECT_EQ(payload["last"], Json::array({keys.back()}));

  // A changed row: an update event with old and new values, and the row's provenance follows it.
  rows[3][2] = "改名";
  ASSERT_EQ(Upsert(*db_, t, rows).value(), (UpsertCounts{0, 1, static_cast<std::int64_t>(rows.size()) - 1}));
  auto update = ListAudit(*db_, 1, 10).value();
  ASSERT_EQ(update.size(), 1u);
  EXPECT_EQ(update[0].action, "entity.update");
  Json p = Json::parse(update[0].payload);
  EXPECT_EQ(p["changed"], Json::array({"name"}));
  EXPECT_EQ(p["old"]["name"], "名称 \"" + kAwkward[3] + "\"");
  EXPECT_EQ(p["new"]["name"], "改名");
  Provenance moved = ProvenanceOf(*db_, kAwkward[3]);
  EXPECT_EQ(moved.seq, update[0].seq);
  EXPECT_EQ(moved.sha, RowSha(spec, rows[3]));
  EXPECT_EQ(moved.sha, Sha256Hex(CanonicalJson(p["new"])));
  EXPECT_EQ(ProvenanceOf(*db_, kAwkward[4]).seq, events[0].seq) << "unchanged rows keep their provenance";

  // Re-importing the same rows writes nothing: no event, no provenance change.
  ASSERT_EQ(Upsert(*db_, t, rows).value(), (UpsertCounts{0, 0, static_cast<std::int64_t>(rows.size())}));
  EXPECT_EQ(ListAudit(*db_, 0, 100).value().size(), 2u);
  EXPECT_EQ(ProvenanceOf(*db_, kAwkward[3]).seq, update[0].seq);

  auto chain = VerifyAuditChain(*db_);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain.value().ok) << chain.value().message;
  auto rep = t.VerifyProvenance();
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_TRUE(rep.value().ok()) << (rep.value().problems.empty() ? "" : rep.value().problems[0]);
  EXPECT_EQ(rep.value().rows, static_cast<std::int64_t>(rows.size()));
  EXPECT_EQ(rep.value().batches, 0);          // one of its rows changed since:
  EXPECT_EQ(rep.value().batches_partial, 1);  // its update event keeps the old values
  EXPECT_EQ(rep.value().updates, 1);
}

// A batch mixing new, changed and unchanged rows: the insert_batch event commits to the new rows
// alone (in key order), which is not the digest Prepare computed for the whole batch.
TEST_P(BulkTest, MixedBatchDigestCoversOnlyItsNewRows) {
  MigrateOrDie();
  Table t(*db_, EntityCodec::Spec());
  const TableSpec& spec = EntityCodec::Spec();
  std::vector<Row> first;
  for (size_t i = 0; i < kAwkward.size(); i += 2) first.push_back(EntityCodec::ToRow(AwkwardEntity(i)));
  ASSERT_TRUE(Upsert(*db_, t, first).ok());

  std::vector<Row> mixed;  // the odd keys are new; key 0 changes; the other even keys are unchanged
  for (size_t i = kAwkward.size(); i-- > 0;) mixed.push_back(EntityCodec::ToRow(AwkwardEntity(i)));
  for (Row& r : mixed)
    if (r[0] == kAwkward[0]) r[2] = "改名";
  const std::int64_t news = static_cast<std::int64_t>(kAwkward.size() / 2);
  ASSERT_EQ(Upsert(*db_, t, mixed).value(), (UpsertCounts{news, 1, static_cast<std::int64_t>(first.size()) - 1}));

  auto events = ListAudit(*db_, 1, 100).value();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].action, "entity.insert_batch");
  EXPECT_EQ(events[1].action, "entity.update");
  Json payload = Json::parse(events[0].payload);
  EXPECT_EQ(payload["count"], news);
  std::vector<std::string> keys;
  for (size_t i = 1; i < kAwkward.size(); i += 2) keys.push_back(kAwkward[i]);
  std::sort(keys.begin(), keys.end());
  std::string lines;
  for (const std::string& k : keys) {
    auto stored = t.Get({k}).value();
    ASSERT_TRUE(stored.has_value()) << k;
    lines += CanonicalJson(Json::array({k})) + "\t" + RowSha(spec, *stored) + "\n";
    EXPECT_EQ(ProvenanceOf(*db_, k).seq, events[0].seq) << k;
  }
  EXPECT_EQ(payload["digest"], Sha256Hex(lines));
  EXPECT_EQ(payload["first"], Json::array({keys.front()}));
  EXPECT_EQ(payload["last"], Json::array({keys.back()}));
  EXPECT_EQ(ProvenanceOf(*db_, kAwkward[0]).seq, events[1].seq);

  auto rep = t.VerifyProvenance();
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_TRUE(rep.value().ok()) << (rep.value().problems.empty() ? "" : rep.value().problems[0]);
  EXPECT_EQ(rep.value().batches, 1);          // the mixed batch, whole
  EXPECT_EQ(rep.value().batches_partial, 1);  // the first batch lost key 0 to the update
}

// Long values with escapes anywhere (the writers scan 8 bytes at a time): random pieces of text,
// control characters, quotes and backslashes.
std::string RandomAwkwardText(std::mt19937_64& rng) {
  static const std::vector<std::string> kPieces = {"a", "bcdefghij", "中文", "名称", "\t", "\n", "\r", "\\", "\"",
                                                   "\x01", "\x1f", "\x7f", " ", "0123456789abcdef", "{", "}", ","};
  std::string s;
  const int n = static_cast<int>(rng() % 24);
  for (int i = 0; i < n; ++i) s += kPieces[rng() % kPieces.size()];
  return s;
}

TEST(JsonTextTest, AppendJsonStringMatchesCanonicalJson) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    const std::string v = RandomAwkwardText(rng);
    std::string out;
    AppendJsonString(out, v);
    ASSERT_EQ(out, CanonicalJson(Json(v))) << i;
  }
}

TEST_P(BulkTest, LongAwkwardValuesRoundTripThroughTheBulkWriter) {
  MigrateOrDie();
  Table t(*db_, EntityCodec::Spec());
  std::mt19937_64 rng(11);
  std::vector<Row> rows;
  for (int i = 0; i < 300; ++i) {
    Entity e = AwkwardEntity(static_cast<size_t>(i) % kAwkward.size());
    e.id.value = "K" + std::to_string(i) + RandomAwkwardText(rng);
    e.name = RandomAwkwardText(rng);
    e.address = RandomAwkwardText(rng);
    rows.push_back(EntityCodec::ToRow(e));
  }
  ASSERT_TRUE(Upsert(*db_, t, rows).ok());
  for (const Row& r : rows) {
    auto stored = t.Get({r[0]}).value();
    ASSERT_TRUE(stored.has_value()) << r[0];
    EXPECT_EQ(*stored, r);
  }
  auto rep = t.VerifyProvenance();
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_TRUE(rep.value().ok()) << (rep.value().problems.empty() ? "" : rep.value().problems[0]);
}

// The moving codec (the import's path) gives the same row as the copying one.
TEST(EntityCodecTest, MovingToRowEqualsCopyingToRow) {
  for (size_t i = 0; i < kAwkward.size(); ++i) {
    Entity e = AwkwardEntity(i);
    Row copied = EntityCodec::ToRow(e);
    EXPECT_EQ(EntityCodec::ToRow(std::move(e)), copied) << i;
  }
}

// Prepare is the database-free half: its errors are Upsert's, and a batch prepared by one table is
// refused by another.
TEST_P(BulkTest, PreparedRowsBelongToTheirTable) {
  MigrateOrDie();
  Table entities(*db_, EntityCodec::Spec());
  std::vector<Row> rows = {EntityCodec::ToRow(AwkwardEntity(0)), EntityCodec::ToRow(AwkwardEntity(0))};
  auto dup = entities.Prepare(rows);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "store.duplicate");
  rows.pop_back();
  auto prepared = entities.Prepare(rows);
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  prepared.value().table = "officers";  // as if another table had prepared it
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  auto r = entities.Upsert(tx.value(), prepared.value(), "tester");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "store.prepared");
  tx.value().Rollback();
  EXPECT_EQ(entities.Count().value(), 0);
}

TEST_P(BulkTest, ExistingKeyLookupFindsAwkwardSingleKeys) {
  MigrateOrDie();
  Table t(*db_, EntityCodec::Spec());
  std::vector<Row> first, all;
  for (size_t i = 0; i < kAwkward.size(); ++i) {
    Row r = EntityCodec::ToRow(AwkwardEntity(i));
    if (i % 2 == 0) first.push_back(r);
    all.push_back(r);
  }
  ASSERT_TRUE(Upsert(*db_, t, first).ok());
  // Half exist, half are new, one existing row changed: each is classified by its own key.
  all[0][8] = "新地址";
  auto r = Upsert(*db_, t, all);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto half = static_cast<std::int64_t>(first.size());
  EXPECT_EQ(r.value(), (UpsertCounts{static_cast<std::int64_t>(all.size()) - half, 1, half - 1}));
  EXPECT_EQ(Upsert(*db_, t, all).value(), (UpsertCounts{0, 0, static_cast<std::int64_t>(all.size())}));
  EXPECT_EQ(t.Count().value(), static_cast<std::int64_t>(all.size()));
}

TEST_P(BulkTest, ExistingKeyLookupMatchesWholeCompositeKeys) {
  MigrateOrDie();
  Table t(*db_, TableSpec{"annual_reports", {"entity_id", "report_year", "filed_on"}, 2, {}, "", "annual_report"});
  std::vector<Row> rows;
  for (size_t i = 0; i < kAwkward.size(); ++i)
    for (const char* year : {"2024", "2025"}) rows.push_back({kAwkward[i], year, "2025-0" + std::to_string(1 + i % 9)});
  // ("a","b,c") must not match ("a,b","c"): keys compared column by column.
  rows.push_back({"a", "b,c", "x"});
  rows.push_back({"a,b", "c", "y"});
  ASSERT_EQ(Upsert(*db_, t, {rows.back()}).value(), (UpsertCounts{1, 0, 0}));
  auto r = Upsert(*db_, t, rows);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value(), (UpsertCounts{static_cast<std::int64_t>(rows.size()) - 1, 0, 1}));
  rows[5][2] = "2026-01-01";
  EXPECT_EQ(Upsert(*db_, t, rows).value(), (UpsertCounts{0, 1, static_cast<std::int64_t>(rows.size()) - 1}));
  auto got = t.Get({rows[5][0], rows[5][1]});
  ASSERT_TRUE(got.ok() && got.value().has_value());
  EXPECT_EQ(*got.value(), rows[5]);
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkTest, ::testing::Values("sqlite", "postgresql"), testing::BackendParamName);

}  // namespace
}  // namespace suiji::store
