// Repositories, migrations, bulk upsert, rollback and streaming, on SQLite and PostgreSQL alike.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <set>

#include "data/store/audit_log.h"
#include "data/store/entity_store.h"
#include "data/store/inspection_store.h"
#include "data/store/item_store.h"
#include "data/store/officer_store.h"
#include "data/store/org_unit_store.h"
#include "store_fixture.h"

namespace suiji::store {
namespace {

using testing::StoreTest;

Entity MakeEntity(int i) {
  Entity e;
  char id[32];
  std::snprintf(id, sizeof id, "T%08d", i);
  e.id = EntityId{id, IdKind::kLegacy};
  e.name = "企业 " + std::to_string(i);
  e.entity_type = "company";
  e.region = "510104";
  e.industry = "F5212";
  e.established = "2019-04-0" + std::to_string(1 + i % 9);
  e.address = "成都市锦江区 " + std::to_string(i) + " 号";
  e.legal_rep = "张三";
  if (i % 3 == 0) e.special_registers = {"food"};
  return e;
}

std::vector<Entity> MakeEntities(int from, int to) {
  std::vector<Entity> v;
  for (int i = from; i < to; ++i) v.push_back(MakeEntity(i));
  return v;
}

Result<UpsertCounts> UpsertCommitted(Database& db, const std::vector<Entity>& v) {
  auto tx = Transaction::Begin(db);
  if (!tx) return tx.error();
  EntityStore store(db);
  auto r = store.Upsert(tx.value(), v, "tester");
  if (!r) return r;
  Status st = tx.value().Commit();
  if (!st) return st.error();
  return r;
}

std::int64_t AuditCount(Database& db) {
  long long n = 0;
  db.session() << "SELECT COUNT(*) FROM audit_log", soci::into(n);
  return n;
}

TEST(StoreOpen, RejectsUnknownUrlsWithAClearError) {
  auto r = Database::Open("mysql://localhost/x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "db.url");
  EXPECT_FALSE(Database::Open("sqlite:").ok());
  auto pg = Database::Open("postgresql://nobody@/nodb?host=/nonexistent&port=1");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.error().code, "db.open");
}

TEST(StoreMigrations, SplitsStatementsAndSkipsComments) {
  auto s = SplitStatements("-- c\nCREATE TABLE a (x TEXT);\n\nCREATE TABLE b (\n  y TEXT\n);\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], "CREATE TABLE a (x TEXT)");
  EXPECT_EQ(s[1], "CREATE TABLE b (\n  y TEXT\n)");
  auto all = AllMigrations();
  ASSERT_TRUE(all.ok());
  ASSERT_FALSE(all.value().empty());
  EXPECT_EQ(all.value().front().version, 1);
}

TEST_P(StoreTest, MigrationsApplyOnceAndRerunIsANoOp) {
  auto first = Migrate(*db_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto all = AllMigrations();
  ASSERT_EQ(first.value().size(), all.value().size());
  EXPECT_EQ(first.value()[0].version, 1);
  EXPECT_EQ(first.value()[0].name, "registers");
  auto second = Migrate(*db_);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second.value().empty());
  auto applied = AppliedMigrations(*db_);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied.value().size(), all.value().size());
  EXPECT_EQ(applied.value()[0].applied_at, first.value()[0].applied_at);
  EntityStore entities(*db_);
  EXPECT_EQ(entities.Count().value(), 0);
}

TEST_P(StoreTest, MigrateRefusesADatabaseFromANewerSuiji) {
  MigrateOrDie();
  Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')");
  auto r = Migrate(*db_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "migration.unknown");
}

TEST_P(StoreTest, UpsertCountsInsertsUpdatesAndUnchangedAndIsIdempotent) {
  MigrateOrDie();
  auto batch = MakeEntities(0, 5);
  auto r1 = UpsertCommitted(*db_, batch);
  ASSERT_TRUE(r1.ok()) << r1.error().message;
  EXPECT_EQ(r1.value(), (UpsertCounts{5, 0, 0}));
  EXPECT_EQ(AuditCount(*db_), 1) << "one insert_batch event for the batch's new rows";

  auto r2 = UpsertCommitted(*db_, batch);  // same file again
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  EXPECT_EQ(r2.value(), (UpsertCounts{0, 0, 5}));
  EXPECT_EQ(AuditCount(*db_), 1) << "unchanged records must not be audited";

  batch[2].name = "改名后的企业";
  batch[4].special_registers = {"food", "drug"};
  batch.push_back(MakeEntity(7));
  auto r3 = UpsertCommitted(*db_, batch);
  ASSERT_TRUE(r3.ok()) << r3.error().message;
  EXPECT_EQ(r3.value(), (UpsertCounts{1, 2, 3}));
  EXPECT_EQ(AuditCount(*db_), 4);  // insert_batch of the new row, then one update per changed row

  EntityStore store(*db_);
  EXPECT_EQ(store.Count().value(), 6);
  auto got = store.Get(batch[2].id.value);
  ASSERT_TRUE(got.ok() && got.value().has_value());
  EXPECT_EQ(*got.value(), batch[2]);
  auto missing = store.Get("NOPE");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value().has_value());

  // The new row's insert_batch event first, then update events carrying exactly what changed, with
  // old and new values, in batch order.
  auto events = ListAudit(*db_, 1, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events.value().size(), 3u);
  EXPECT_EQ(events.value()[0].action, "entity.insert_batch");
  EXPECT_EQ(events.value()[0].subject, "entities");
  Json pb = Json::parse(events.value()[0].payload);
  EXPECT_EQ(pb["count"], 1);
  EXPECT_EQ(pb["first"], Json::array({batch[5].id.value}));
  EXPECT_EQ(pb["last"], Json::array({batch[5].id.value}));
  EXPECT_EQ(events.value()[1].action, "entity.update");
  EXPECT_EQ(events.value()[1].subject, "entities/" + batch[2].id.value);
  Json p = Json::parse(events.value()[1].payload);
  EXPECT_EQ(p["changed"], Json::array({"name"}));
  EXPECT_EQ(p["old"]["name"], "企业 2");
  EXPECT_EQ(p["new"]["name"], "改名后的企业");
  Json p4 = Json::parse(events.value()[2].payload);
  EXPECT_EQ(events.value()[2].action, "entity.update");
  EXPECT_EQ(p4["changed"], Json::array({"special_registers"}));
  EXPECT_EQ(p4["new"]["special_registers"], Json::array({"food", "drug"}));

  auto chain = VerifyAuditChain(*db_);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain.value().ok) << chain.value().message;
  EXPECT_EQ(chain.value().events, 4);
}

TEST_P(StoreTest, BadBatchIsRefusedWholeWithRowAndField) {
  MigrateOrDie();
  auto batch = MakeEntities(0, 4);
  batch[3].id = batch[1].id;
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  EntityStore store(*db_);
  auto dup = store.Upsert(tx.value(), batch, "tester");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "store.duplicate");
  EXPECT_NE(dup.error().message.find("row 3"), std::string::npos) << dup.error().message;

  batch = MakeEntities(0, 4);
  batch[2].address = std::string("bad \xff\xfe byte");
  auto utf = store.Upsert(tx.value(), batch, "tester");
  ASSERT_FALSE(utf.ok());
  EXPECT_EQ(utf.error().code, "store.utf8");
  EXPECT_EQ(utf.error().field, "address");
  ASSERT_TRUE(tx.value().Commit().ok());
  EXPECT_EQ(store.Count().value(), 0);
  EXPECT_EQ(AuditCount(*db_), 0);
}

TEST_P(StoreTest, FailedImportLeavesTheDatabaseExactlyAsItWas) {
  MigrateOrDie();
  ASSERT_TRUE(UpsertCommitted(*db_, MakeEntities(0, 50)).ok());
  EntityStore store(*db_);
  auto before = store.List(0, 1000).value();
  auto head_before = VerifyAuditChain(*db_).value().head;

  // Failure injected mid-import: the first batch is written (rows and audit events), then the
  // clock fails while the second batch's audit events are being appended, after its rows went in.
  int calls = 0;
  db_->set_clock([&calls]() -> std::string {
    if (++calls == 4) throw std::runtime_error("injected clock failure");
    return "2026-03-02T00:00:00.000Z";
  });
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    auto changed = MakeEntities(25, 80);
    for (auto& e : changed) e.status = "abnormal";
    auto ok1 = store.Upsert(tx.value(), {changed.begin(), changed.begin() + 30}, "importer");
    ASSERT_TRUE(ok1.ok()) << ok1.error().message;
    EXPECT_EQ(ok1.value(), (UpsertCounts{5, 25, 0}));
    auto fail = store.Upsert(tx.value(), {changed.begin() + 30, changed.end()}, "importer");
    ASSERT_FALSE(fail.ok());
    EXPECT_NE(fail.error().message.find("injected"), std::string::npos) << fail.error().message;
    // The caller gives up: the transaction is destroyed without Commit().
  }
  db_->set_clock(testing::TickingClock());
  EXPECT_EQ(store.List(0, 1000).value(), before);
  EXPECT_EQ(AuditCount(*db_), 1);
  auto chain = VerifyAuditChain(*db_).value();
  EXPECT_TRUE(chain.ok);
  EXPECT_EQ(chain.head, head_before);
  // And the store is usable afterwards (no staging table or lock left behind).
  auto again = UpsertCommitted(*db_, MakeEntities(50, 51));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again.value().inserted, 1);
}

TEST_P(StoreTest, QuotesAndUnicodeTravelAsDataNotSql) {
  MigrateOrDie();
  std::vector<Entity> v;
  const std::vector<std::string> names = {"O'Brien Trading", "四川'省 \"测试\" 公司", "x'); DROP TABLE entities; --",
                                          "back\\slash\ttab\nnewline\r", "emoji 🚀 and \x01 control"};
  for (size_t i = 0; i < names.size(); ++i) {
    Entity e = MakeEntity(static_cast<int>(i));
    e.id.value = "ID'" + std::to_string(i) + "\\";
    e.name = names[i];
    e.legal_rep = names[(i + 1) % names.size()];
    e.special_registers = {names[i], "食品"};
    v.push_back(e);
  }
  auto r = UpsertCommitted(*db_, v);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EntityStore store(*db_);
  for (const Entity& e : v) {
    auto got = store.Get(e.id.value);
    ASSERT_TRUE(got.ok() && got.value().has_value()) << e.id.value;
    EXPECT_EQ(*got.value(), e);
  }
  EXPECT_EQ(UpsertCommitted(*db_, v).value(), (UpsertCounts{0, 0, 5}));
  auto chain = VerifyAuditChain(*db_);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain.value().ok) << chain.value().message;
}

TEST_P(StoreTest, ForEachStreams100kRowsInKeyOrderAndListPages) {
  MigrateOrDie();
  constexpr int kN = 100000;
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    EntityStore store(*db_);
    for (int from = 0; from < kN; from += 25000) {
      auto r = store.Upsert(tx.value(), MakeEntities(from, from + 25000), "gen");
      ASSERT_TRUE(r.ok()) << r.error().message;
    }
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  EntityStore store(*db_);
  EXPECT_EQ(store.Count().value(), kN);
  std::int64_t seen = 0;
  std::string prev;
  bool ordered = true;
  Status st = store.ForEach(
      [&](const Entity& e) {
        if (!(prev < e.id.value)) ordered = false;
        prev = e.id.value;
        if (seen == 77777) {
          EXPECT_EQ(e, MakeEntity(77777));
        }
        ++seen;
        return true;
      },
      4096);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(seen, kN);
  EXPECT_TRUE(ordered);

  std::int64_t stopped = 0;
  ASSERT_TRUE(store.ForEach([&](const Entity&) { return ++stopped < 10; }, 3).ok());
  EXPECT_EQ(stopped, 10);

  auto page = store.List(99990, 50);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page.value().size(), 10u);
  EXPECT_EQ(page.value().front(), MakeEntity(99990));
  EXPECT_EQ(VerifyAuditChain(*db_).value().events, 4);  // one insert_batch per Upsert call
}

TEST_P(StoreTest, OtherRegistersRoundTripWithTheirKeys) {
  MigrateOrDie();
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  OrgUnitStore units(*db_);
  std::vector<OrgUnit> us = {{"510000-SAMR", "四川省市场监督管理局", "province", "", "510000"},
                             {"510104-SAMR", "锦江区市场监督管理局", "county", "510100-SAMR", "510104"}};
  ASSERT_EQ(units.Upsert(tx.value(), us, "t").value(), (UpsertCounts{2, 0, 0}));
  OfficerStore officers(*db_);
  Officer o{"51010400001", "李四", "510104-SAMR", "SAMR", {"510104"}, {"FOOD"}, "active", {"T00000001"}};
  Officer o2{"51010400002", "王五", "510000-SAMR", "SAMR", {}, {}, "active", {}};
  ASSERT_EQ(officers.Upsert(tx.value(), {o, o2}, "t").value(), (UpsertCounts{2, 0, 0}));
  ItemStore items(*db_);
  InspectionItem a{"SAMR", "1", "食品", "食品生产者检查", "食品生产企业", "key", {"现场检查"}, "市场监管部门",
                   {"《食品安全法》第八十七条"}, {"C13", "C14"}, "FOOD"};
  InspectionItem b = a;
  b.department = "MEE";
  b.name = "排污许可检查";
  ASSERT_EQ(items.Upsert(tx.value(), {a, b}, "t").value(), (UpsertCounts{2, 0, 0}));
  InspectionStore history(*db_);
  Inspection i1{"T00000001", "SAMR", "2025-06-01", "no_problem", {"51010400001", "51010400002"}, "P-2025-1"};
  Inspection i2{"T00000001", "SAMR", "2026-01-15", "problem_corrected", {"51010400001"}, ""};
  Inspection i3{"T00000002", "MEE", "2026-02-01", "not_found", {}, ""};
  ASSERT_EQ(history.Upsert(tx.value(), {i1, i2, i3}, "t").value(), (UpsertCounts{3, 0, 0}));
  ASSERT_TRUE(tx.value().Commit().ok());

  EXPECT_EQ(*units.Get("510104-SAMR").value(), us[1]);
  EXPECT_EQ(*officers.Get("51010400001").value(), o);
  EXPECT_EQ(officers.ByOrgUnit("510000-SAMR").value(), std::vector<Officer>{o2});
  EXPECT_EQ(*items.Get("MEE", "1").value(), b);
  EXPECT_EQ(*items.Get("SAMR", "1").value(), a);
  EXPECT_EQ(items.ByDepartment("SAMR").value(), std::vector<InspectionItem>{a});
  EXPECT_EQ(*history.Get("T00000001", "SAMR", "2025-06-01").value(), i1);
  EXPECT_EQ(history.Since("2026-01-01").value(), (std::vector<Inspection>{i2, i3}));
  EXPECT_EQ(history.ForEntity("T00000001").value(), (std::vector<Inspection>{i1, i2}));
  EXPECT_EQ(items.List(0, 10).value(), (std::vector<InspectionItem>{b, a}));  // key order: MEE < SAMR
  auto events = ListAudit(*db_, 0, 100).value();
  ASSERT_EQ(events.size(), 4u);  // one insert_batch per register
  EXPECT_EQ(events[2].action, "item.insert_batch");
  EXPECT_EQ(events[2].subject, "inspection_items");
  Json items_batch = Json::parse(events[2].payload);
  EXPECT_EQ(items_batch["count"], 2);
  EXPECT_EQ(items_batch["first"], Json::array({"MEE", "1"}));  // key order, column by column
  EXPECT_EQ(items_batch["last"], Json::array({"SAMR", "1"}));
}

// Org units (migration 0008): the department round-trips, children are found by parent, and a row
// written before the department column existed (hashed without it) still verifies: a late column.
TEST_P(StoreTest, OrgUnitsKeepDepartmentAndOldRowsStillVerify) {
  MigrateOrDie();
  OrgUnit root{"510000-SAMR", "四川省市场监督管理局", "province", "", "510000"};
  {
    TableSpec before = OrgUnitCodec::Spec();  // the table as migrations 0001-0007 left it
    before.columns.pop_back();
    before.late_columns.clear();
    Table old(*db_, before);
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(old.Upsert(tx.value(), {{root.code, root.name, root.level, root.parent, root.region}}, "t").ok());
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  OrgUnitStore units(*db_);
  std::vector<OrgUnit> us = {
      {"510100-SAMR", "成都市市场监督管理局", "city", "510000-SAMR", "510100", "SAMR"},
      {"510104-SAMR", "成都市锦江区市场监督管理局", "county", "510100-SAMR", "510104", "SAMR"},
      {"510107-SAMR", "成都市武侯区市场监督管理局", "county", "510100-SAMR", "510107", "SAMR"}};
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  ASSERT_EQ(units.Upsert(tx.value(), us, "t").value(), (UpsertCounts{3, 0, 0}));
  ASSERT_TRUE(tx.value().Commit().ok());
  EXPECT_EQ(*units.Get("510104-SAMR").value(), us[1]);
  EXPECT_EQ(*units.Get("510000-SAMR").value(), root);
  EXPECT_EQ(units.Children("510100-SAMR").value(), (std::vector<OrgUnit>{us[1], us[2]}));
  EXPECT_TRUE(units.Children("510104-SAMR").value().empty());
  EXPECT_EQ(units.All().value().size(), 4u);
  Table table(*db_, OrgUnitCodec::Spec());
  auto p = table.VerifyProvenance();
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_TRUE(p.value().ok()) << (p.value().problems.empty() ? "" : p.value().problems.front());
  EXPECT_EQ(p.value().batches, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"), testing::BackendParamName);

}  // namespace
}  // namespace suiji::store
