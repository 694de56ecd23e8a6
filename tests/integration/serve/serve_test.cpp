// DbTokenStore and DbCreditBackend (api/app/rpc_backend.h) against seeded data on SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <thread>

#include "api/app/rpc_backend.h"
#include "core/identifiers.h"
#include "data/store/audit_log.h"
#include "data/store/credit_store.h"
#include "data/store/entity_store.h"
#include "tests/integration/store/store_fixture.h"

namespace suiji {
namespace {

using store::testing::StoreTest;

using store::testing::Uscc;
EntityId Id(int n) { return ParseEntityId(Uscc(n)).value(); }
using store::testing::D;

class ServeTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    MigrateOrDie();
    std::vector<Entity> es;
    for (int n = 1; n <= 4; ++n) {
      Entity e;
      e.id = Id(n);
      e.name = "测试食品有限公司" + std::to_string(n);
      e.entity_type = "company";
      e.region = "511702";
      es.push_back(e);
    }
    auto tx = store::Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(store::EntityStore(*db_).Upsert(tx.value(), es, "test").ok());
    // Entity 1: on the serious list since 2025-01-10, with an open flag; entity 2: an ended flag and a
    // removed abnormal listing.
    std::vector<store::ListMembershipRecord> ms = {
        {"M1", Uscc(1), "serious", "被吊销营业执照", "2025-01-10", "某市场监督管理局", "", "", "", "", ""},
        {"M2", Uscc(2), "abnormal", "无法联系", "2024-01-01", "某局", "", "2024-06-01", "已恢复", "某局", ""}};
    auto m = store::ListMembershipStore(*db_).SaveMemberships(tx.value(), ms, "test");
    ASSERT_TRUE(m.ok()) << m.error().message;
    std::vector<store::FlagRecord> fs = {
        {"F1", Uscc(1), "MEMO-1", "备忘录", "发改财金〔2018〕", "m1", "限制招投标", "DRC", "第十条", "list:serious", "M1",
         "2025-01-10", ""},
        {"F2", Uscc(2), "MEMO-2", "备忘录", "", "m2", "限制融资", "PBC", "第五条", "list:abnormal", "M2", "2024-01-01",
         "2024-06-01"}};
    auto f = store::FlagStore(*db_).SaveFlags(tx.value(), fs, "test");
    ASSERT_TRUE(f.ok()) << f.error().message;
    ASSERT_TRUE(tx.value().Commit().ok());

    auto pool = app::DbPool::Open(url_, 4);
    ASSERT_TRUE(pool.ok()) << pool.error().message;
    pool_ = pool.value();
    app::DbBackendOptions o;
    o.today = [] { return D("2026-03-01"); };
    backend_ = std::make_unique<app::DbCreditBackend>(pool_, o);
  }
  void TearDown() override {
    backend_.reset();
    pool_.reset();
    StoreTest::TearDown();
  }
  void InsertRun(const char* as_of, std::vector<store::CreditScoreRecord> scores) {
    auto tx = store::Transaction::Begin(*db_);
    store::CreditRunRecord run;
    run.model_id = "m";
    run.model_version = "2026.1";
    run.model_digest = std::string(64, 'a');
    run.as_of = as_of;
    auto r = store::CreditRunStore(*db_).InsertRun(tx.value(), run, scores, "test");
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  std::vector<store::AuditEvent> Audit() { return store::TailAudit(*db_, 100000).value(); }
  std::int64_t Count(const std::string& table) {
    long long n = 0;
    db_->session() << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return n;
  }

  std::shared_ptr<app::DbPool> pool_;
  std::unique_ptr<app::DbCreditBackend> backend_;
};

// ---- Clients and tokens ------------------------------------------------------------------------------------------
TEST_P(ServeTest, ClientTokenIsStoredOnlyAsItsHash) {
  auto c = app::AddApiClient(*db_, "tax-sichuan", "TAX", "read_public, push", "test");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->token.rfind("sjt_", 0), 0u);
  EXPECT_EQ(c->record.scopes, "read_public,push");
  auto stored = store::GetClient(*db_, "tax-sichuan").value();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->token_sha256, ToHex(rpc::HashToken(c->token)));
  // No column of the row, and no audit event, holds the token or its hash (the event holds a digest of
  // the hash, which binds the row to the event: TokenStoreRefusesClientsWrittenOutsideSuiji).
  for (const auto& v : {stored->client_id, stored->department, stored->scopes, stored->created_at, stored->revoked_at})
    EXPECT_EQ(v.find(c->token), std::string::npos);
  for (const auto& e : Audit()) {
    EXPECT_EQ(e.payload.find(c->token), std::string::npos);
    EXPECT_EQ(e.payload.find(stored->token_sha256), std::string::npos);
  }
  EXPECT_EQ(Audit().back().action, "api_client.add");
  EXPECT_TRUE(store::VerifyAuditChain(*db_).value().ok);
}

TEST_P(ServeTest, TokenStoreFindsActiveClientsAndRevocationBites) {
  auto a = app::AddApiClient(*db_, "tax", "TAX", "read_public,push", "test").value();
  auto b = app::AddApiClient(*db_, "bank", "PBC", "read_class", "test").value();
  app::DbTokenStore tokens(pool_, std::chrono::milliseconds(0));  // reload on every call
  auto found = tokens.Find(rpc::HashToken(a.token));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "tax");
  EXPECT_EQ(found->department, "TAX");
  EXPECT_TRUE(found->Has(rpc::Scope::kPush));
  EXPECT_FALSE(found->Has(rpc::Scope::kReadClass));
  EXPECT_FALSE(tokens.Find(rpc::HashToken(a.token + "x")));
  EXPECT_FALSE(tokens.Find(Digest{}));

  ASSERT_TRUE(app::RevokeApiClient(*db_, "tax", "test").ok());
  EXPECT_FALSE(tokens.Find(rpc::HashToken(a.token)));
  EXPECT_TRUE(tokens.Find(rpc::HashToken(b.token)));
  EXPECT_EQ(Audit().back().action, "api_client.revoke");

  // A cached store keeps its snapshot until the interval passes; Reload() applies a revocation at once.
  app::DbTokenStore cached(pool_, std::chrono::hours(1));
  EXPECT_TRUE(cached.Find(rpc::HashToken(b.token)));
  ASSERT_TRUE(app::RevokeApiClient(*db_, "bank", "test").ok());
  EXPECT_TRUE(cached.Find(rpc::HashToken(b.token)));
  ASSERT_TRUE(cached.Reload().ok());
  EXPECT_FALSE(cached.Find(rpc::HashToken(b.token)));
}

// An insider with database access (threat T4) inserts a client row, or swaps an existing client's token
// hash or widens its scopes, without going through suiji: no matching api_client.add event, so refused.
TEST_P(ServeTest, TokenStoreRefusesClientsWrittenOutsideSuiji) {
  auto a = app::AddApiClient(*db_, "tax", "TAX", "read_public", "test").value();
  auto b = app::AddApiClient(*db_, "bank", "PBC", "read_class", "test").value();
  app::DbTokenStore tokens(pool_, std::chrono::milliseconds(0));
  ASSERT_TRUE(tokens.Find(rpc::HashToken(a.token)));
  ASSERT_TRUE(tokens.Find(rpc::HashToken(b.token)));
  const std::string forged = "forged-token-of-an-insider", hash = ToHex(rpc::HashToken(forged));
  // A new row, copied from a real one with another id and the insider's hash.
  db_->session() << "INSERT INTO api_clients (client_id, department, scopes, token_sha256, created_at, revoked_at, role, "
                    "org_unit, officer, expires_at) SELECT 'ghost', department, 'read_public,read_class,push', :h, "
                    "created_at, '', 'admin', '', '', '' FROM api_clients WHERE client_id = 'tax'",
      soci::use(hash);
  EXPECT_FALSE(tokens.Find(rpc::HashToken(forged))) << "an inserted row";
  // An existing client's hash swapped for the insider's.
  const std::string forged2 = "second-forged-token", hash2 = ToHex(rpc::HashToken(forged2));
  db_->session() << "UPDATE api_clients SET token_sha256 = :h WHERE client_id = 'bank'", soci::use(hash2);
  EXPECT_FALSE(tokens.Find(rpc::HashToken(forged2))) << "a swapped hash";
  EXPECT_FALSE(tokens.Find(rpc::HashToken(b.token))) << "the row no longer holds its token";
  // An existing client's scopes widened.
  db_->session() << "UPDATE api_clients SET scopes = 'read_public,push' WHERE client_id = 'tax'";
  EXPECT_FALSE(tokens.Find(rpc::HashToken(a.token))) << "widened scopes";
  // Put back as suiji wrote it: accepted again.
  db_->session() << "UPDATE api_clients SET scopes = 'read_public' WHERE client_id = 'tax'";
  EXPECT_TRUE(tokens.Find(rpc::HashToken(a.token)));
}

TEST_P(ServeTest, ClientCommandsRefuseBadInput) {
  ASSERT_TRUE(app::AddApiClient(*db_, "tax", "TAX", "read_public", "test").ok());
  EXPECT_EQ(app::AddApiClient(*db_, "tax", "TAX", "read_public", "test").error().code, "client.exists");
  EXPECT_EQ(app::AddApiClient(*db_, "x", "TAX", "read_public,admin", "test").error().code, "scope.unknown");
  EXPECT_EQ(app::AddApiClient(*db_, "x", "TAX", "", "test").error().code, "scope.empty");
  EXPECT_EQ(app::AddApiClient(*db_, "bad id; DROP", "TAX", "push", "test").error().code, "client.bad_id");
  EXPECT_EQ(app::AddApiClient(*db_, "x", "", "push", "test").error().code, "client.bad_department");
  EXPECT_EQ(app::RevokeApiClient(*db_, "nobody", "test").error().code, "client.not_found");
  ASSERT_TRUE(app::RevokeApiClient(*db_, "tax", "test").ok());
  EXPECT_EQ(app::RevokeApiClient(*db_, "tax", "test").error().code, "client.revoked");
  EXPECT_EQ(app::AddApiClient(*db_, "tax", "TAX", "read_public", "test").error().code, "client.exists");
  EXPECT_EQ(store::ListClients(*db_).value().size(), 1u);
  EXPECT_TRUE(store::ActiveClients(*db_).value().empty());
}

// ---- Reads -----------------------------------------------------------------------------------------------------
TEST_P(ServeTest, GetEntityWithListingAndFlag) {
  auto r = backend_->GetEntity(Id(1), D("2026-03-01"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->name, "测试食品有限公司1");
  ASSERT_EQ(r->lists.size(), 1u);
  EXPECT_EQ(r->lists[0].list, rpc::kSeriousViolation);
  EXPECT_EQ(r->lists[0].listed_on, D("2025-01-10"));
  EXPECT_FALSE(r->lists[0].removed_on);
  ASSERT_EQ(r->flags.size(), 1u);
  EXPECT_EQ(r->flags[0].memorandum, "MEMO-1");
  EXPECT_EQ(r->flags[0].implementing_department, "DRC");
  EXPECT_FALSE(r->flags[0].ends_on);
  // Before the listing: nothing.
  auto before = backend_->GetEntity(Id(1), D("2025-01-09"));
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->lists.empty());
  EXPECT_TRUE(before->flags.empty());
}

TEST_P(ServeTest, EndedFlagsAndRemovalsFollowTheDate) {
  auto during = backend_->GetEntity(Id(2), D("2024-05-31")).value();
  ASSERT_EQ(during.flags.size(), 1u);
  EXPECT_EQ(during.flags[0].ends_on, D("2024-05-31"));  // end_on 2024-06-01 is exclusive in the store
  ASSERT_EQ(during.lists.size(), 1u);
  EXPECT_EQ(during.lists[0].list, rpc::kAbnormalOperations);
  EXPECT_FALSE(during.lists[0].removed_on);
  auto after = backend_->GetEntity(Id(2), D("2024-06-01")).value();
  EXPECT_TRUE(after.flags.empty());
  ASSERT_EQ(after.lists.size(), 1u);
  EXPECT_EQ(after.lists[0].removed_on, D("2024-06-01"));
  EXPECT_EQ(after.lists[0].removal_reason, "已恢复");
}

TEST_P(ServeTest, UnknownEntityIsNotFound) {
  auto r = backend_->GetEntity(Id(99), D("2026-03-01"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, rpc::kErrNotFound);
  EXPECT_EQ(backend_->GetClassification(Id(99)).error().code, rpc::kErrNotFound);
}

TEST_P(ServeTest, BatchFlagsMixesKnownAndUnknown) {
  std::vector<EntityId> ids = {Id(1), Id(99), Id(2), Id(1), Id(3)};
  auto r = backend_->BatchFlags(ids, D("2026-03-01"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 5u);
  ASSERT_TRUE((*r)[0]);
  EXPECT_EQ((*r)[0]->size(), 1u);
  EXPECT_FALSE((*r)[1]);
  ASSERT_TRUE((*r)[2]);
  EXPECT_TRUE((*r)[2]->empty());
  EXPECT_EQ((*r)[3], (*r)[0]);
  ASSERT_TRUE((*r)[4]);
  EXPECT_TRUE((*r)[4]->empty());
}

TEST_P(ServeTest, BatchFlagsOverManyChunks) {
  std::vector<EntityId> ids;
  for (int n = 1; n <= 1200; ++n) ids.push_back(Id(n));  // 3 chunks; only 1..4 exist
  auto r = backend_->BatchFlags(ids, D("2024-03-01")).value();
  ASSERT_EQ(r.size(), 1200u);
  EXPECT_TRUE(r[0] && r[0]->empty());  // entity 1's flag starts in 2025
  EXPECT_TRUE(r[1] && r[1]->size() == 1);
  EXPECT_FALSE(r[4]);
  EXPECT_FALSE(r[1199]);
}

TEST_P(ServeTest, ClassificationPresentAndAbsent) {
  EXPECT_EQ(backend_->GetClassification(Id(1)).error().code, rpc::kErrNotFound);  // no run yet
  InsertRun("2026-01-01", {{Uscc(1), "71.25", "C", std::string(64, 'b')}, {Uscc(3), "10", "A", std::string(64, 'c')}});
  auto c = backend_->GetClassification(Id(1));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credit_class, "C");
  EXPECT_DOUBLE_EQ(c->score, 71.25);
  EXPECT_EQ(c->model_version, "2026.1");
  EXPECT_EQ(c->as_of, D("2026-01-01"));
  EXPECT_EQ(backend_->GetClassification(Id(2)).error().code, rpc::kErrNotFound);  // not scored
  // A run dated after "today" is not in force yet.
  InsertRun("2026-06-01", {{Uscc(1), "5", "A", std::string(64, 'd')}});
  EXPECT_EQ(backend_->GetClassification(Id(1))->credit_class, "C");
}

// ---- Pushes --------------------------------------------------------------------------------------------------------
rpc::Penalty Pen(int entity, const char* no, std::int64_t fen = 500000) {
  return rpc::Penalty{Id(entity), no, "某市税务局", D("2026-02-01"), "fine", fen, "税收征收管理法第六十四条", "少缴税款"};
}

TEST_P(ServeTest, PenaltiesAreRecordedAtomicallyAndIdempotently) {
  rpc::Pusher tax{"tax-sichuan", "TAX"};
  auto r = backend_->RecordPenalties(tax, {Pen(1, "税罚〔2026〕1号"), Pen(2, "税罚〔2026〕2号", 12345)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_FALSE((*r)[0].duplicate);
  EXPECT_EQ((*r)[0].id, "税罚〔2026〕1号");
  auto stored = store::PenaltyStore(*db_).Get("税罚〔2026〕2号").value();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->entity_id, Uscc(2));
  EXPECT_EQ(stored->amount, "123.45");
  EXPECT_EQ(stored->penalty_type, "fine");
  const auto events = Audit().size();
  EXPECT_EQ(Audit().back().action, "rpc.push");
  EXPECT_EQ(Audit().back().actor, "rpc:tax-sichuan");

  // Identical re-push: duplicates, same ids, no row changes.
  auto again = backend_->RecordPenalties(tax, {Pen(1, "税罚〔2026〕1号")});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)[0].duplicate);
  EXPECT_EQ((*again)[0].id, "税罚〔2026〕1号");
  EXPECT_EQ(Audit().size(), events + 1);  // only the summary event
  EXPECT_EQ(Count("penalties"), 2);

  // A batch with a new item and an unknown entity: nothing is written.
  auto bad = backend_->RecordPenalties(tax, {Pen(3, "税罚〔2026〕3号"), Pen(99, "税罚〔2026〕4号")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, rpc::kErrNotFound);
  EXPECT_EQ(bad.error().field, "[1].entity_code");
  // A new item then a conflicting re-push: nothing is written.
  auto conflict = backend_->RecordPenalties(tax, {Pen(3, "税罚〔2026〕3号"), Pen(1, "税罚〔2026〕1号", 1)});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, rpc::kErrInvalid);
  EXPECT_EQ(conflict.error().field, "[1].decision_no");
  // The same decision twice in one call with different content.
  EXPECT_EQ(backend_->RecordPenalties(tax, {Pen(3, "税罚〔2026〕5号"), Pen(3, "税罚〔2026〕5号", 7)}).error().field,
            "[1].decision_no");
  EXPECT_EQ(Count("penalties"), 2);
  EXPECT_EQ(Count("rpc_pushes"), 2);
  EXPECT_EQ(Audit().size(), events + 1);
  // The same decision number from another department with other content collides with the stored row.
  EXPECT_EQ(backend_->RecordPenalties({"x", "OTHER"}, {Pen(1, "税罚〔2026〕1号", 2)}).error().code, rpc::kErrInvalid);
  EXPECT_TRUE(store::VerifyAuditChain(*db_).value().ok);
}

TEST_P(ServeTest, ListDecisionsAddAndRemove) {
  rpc::Pusher samr{"samr-city", "SAMR"};
  rpc::ListDecision add{Id(3), std::string(rpc::kSeriousViolation), rpc::ListAction::kAdd, "严列〔2026〕1号",
                        "某市场监督管理局", D("2026-02-01"), "提交虚假材料"};
  rpc::ListDecision remove{Id(3), std::string(rpc::kSeriousViolation), rpc::ListAction::kRemove, "严移〔2026〕1号",
                           "某市场监督管理局", D("2026-02-20"), "信用修复"};
  // Add then remove in one call: the second item sees the first.
  auto r = backend_->RecordListDecisions(samr, {add, remove});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].id, (*r)[1].id);  // the membership both decisions touch
  auto e = backend_->GetEntity(Id(3), D("2026-03-01")).value();
  ASSERT_EQ(e.lists.size(), 1u);
  EXPECT_EQ(e.lists[0].list, rpc::kSeriousViolation);
  EXPECT_EQ(e.lists[0].listed_on, D("2026-02-01"));
  EXPECT_EQ(e.lists[0].removed_on, D("2026-02-20"));
  auto stored = store::ListMembershipStore(*db_).ForEntity(Uscc(3)).value();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].list, "serious");
  EXPECT_EQ(stored[0].removal_authority, "某市场监督管理局");

  EXPECT_TRUE((*backend_->RecordListDecisions(samr, {add}))[0].duplicate);
  // Removing from a list the entity is not on, or adding to one it is on, is refused.
  rpc::ListDecision remove2 = remove;
  remove2.decision_no = "严移〔2026〕2号";
  EXPECT_EQ(backend_->RecordListDecisions(samr, {remove2}).error().code, rpc::kErrInvalid);
  rpc::ListDecision add2 = add;
  add2.entity = Id(1);
  add2.decision_no = "严列〔2026〕2号";
  EXPECT_EQ(backend_->RecordListDecisions(samr, {add2}).error().code, rpc::kErrInvalid);
  EXPECT_EQ(Count("list_memberships"), 3);
}

TEST_P(ServeTest, IndicatorsKeyedByDepartmentEntityIndicatorDate) {
  rpc::Pusher tax{"tax-sichuan", "TAX"};
  rpc::ExternalIndicator x{Id(1), "tax_arrears", 1234.5, D("2026-02-28"), "TAX"};
  auto r = backend_->RecordIndicators(tax, {x});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto stored = store::ExternalIndicatorStore(*db_).ForEntity(Uscc(1)).value();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].source, "TAX");
  EXPECT_EQ(stored[0].name, "tax_arrears");
  EXPECT_EQ(stored[0].value, "1234.5");
  EXPECT_TRUE((*backend_->RecordIndicators(tax, {x}))[0].duplicate);
  x.value = 1;
  auto conflict = backend_->RecordIndicators(tax, {x});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, rpc::kErrInvalid);
  EXPECT_EQ(conflict.error().field, "[0].value");
  x.as_of = D("2026-03-01");  // a correction with a new date is a new value
  EXPECT_FALSE((*backend_->RecordIndicators(tax, {x}))[0].duplicate);
  EXPECT_EQ(Count("external_indicators"), 2);
}

TEST_P(ServeTest, ConcurrentCallsShareThePool) {
  rpc::Pusher tax{"tax-sichuan", "TAX"};
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        if (!backend_->BatchFlags({Id(1), Id(2), Id(99)}, D("2026-03-01")).ok()) ++failures;
        std::string no = "并发〔2026〕" + std::to_string(t * 100 + i) + "号";
        if (!backend_->RecordPenalties(tax, {Pen(1 + i % 4, no.c_str())}).ok()) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count("penalties"), 40);
  EXPECT_LE(pool_->idle(), 4u);
  EXPECT_TRUE(store::VerifyAuditChain(*db_).value().ok);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeTest, ::testing::Values("sqlite", "postgresql"), store::testing::BackendParamName);

}  // namespace
}  // namespace suiji
