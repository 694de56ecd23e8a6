// The parts of the Thrift service that need no socket: tokens, input checks, the in-memory backend.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>

#include "api/thrift/clients_file.h"
#include "api/thrift/memory_backend.h"
#include "api/thrift/token_store.h"
#include "api/thrift/validate.h"
#include "tests/integration/thrift/fixture.h"

namespace suiji::rpc {
namespace {

using testing::Codes;
using testing::FixtureToday;

TEST(ThriftTokenStore, FindsClientByTokenHashOnly) {
  InMemoryTokenStore store;
  ASSERT_TRUE(store.Add(Client{"c1", "TAX", {Scope::kPush}}, HashToken("secret-1")).ok());
  ASSERT_TRUE(store.Add(Client{"c2", "NDRC", {Scope::kReadPublic}}, HashToken("secret-2")).ok());
  auto c = store.Find(HashToken("secret-2"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->id, "c2");
  EXPECT_EQ(c->department, "NDRC");
  EXPECT_TRUE(c->Has(Scope::kReadPublic));
  EXPECT_FALSE(c->Has(Scope::kPush));
  EXPECT_FALSE(store.Find(HashToken("secret-3")));
  EXPECT_FALSE(store.Find(HashToken("Secret-2")));
}

TEST(ThriftTokenStore, RejectsDuplicateAndRevokes) {
  InMemoryTokenStore store;
  ASSERT_TRUE(store.Add(Client{"c1", "TAX", {}}, HashToken("t")).ok());
  auto dup = store.Add(Client{"c9", "X", {}}, HashToken("t"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "token.duplicate");
  EXPECT_FALSE(store.Add(Client{"", "X", {}}, HashToken("u")).ok());
  EXPECT_TRUE(store.Revoke(HashToken("t")));
  EXPECT_FALSE(store.Find(HashToken("t")));
  EXPECT_FALSE(store.Revoke(HashToken("t")));
}

TEST(ThriftTokenStore, HashIsSha256OfToken) {
  // SHA-256("abc"), FIPS 180-2 test vector.
  EXPECT_EQ(ToHex(HashToken("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(DigestEquals(HashToken("abc"), HashToken("abc")));
  Digest a = HashToken("abc"), b = a;
  b[31] ^= 1;
  EXPECT_FALSE(DigestEquals(a, b));
  b = a;
  b[0] ^= 0x80;
  EXPECT_FALSE(DigestEquals(a, b));
}

TEST(ThriftTokenStore, NewTokensAreRandomHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto t = NewToken();
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t->size(), 4u + 64u);
    EXPECT_EQ(t->substr(0, 4), "sjt_");
    EXPECT_EQ(t->find_first_not_of("0123456789abcdef", 4), std::string::npos);
    seen.insert(*t);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(ThriftTokenStore, ParsesScopes) {
  auto s = ParseScopes("read_public, push,read_public");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (std::vector<Scope>{Scope::kReadPublic, Scope::kPush}));
  auto bad = ParseScopes("read_public,admin");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("admin"), std::string::npos);
}

TEST(ThriftValidate, QuoteEscapesAndTruncates) {
  EXPECT_EQ(QuoteForMessage("abc"), "'abc'");
  EXPECT_EQ(QuoteForMessage("a\nb"), "'a\\x0ab'");
  EXPECT_EQ(QuoteForMessage("it's"), "'it\\'s'");
  EXPECT_EQ(QuoteForMessage("\xff\xfe"), "'\\xff\\xfe'");
  EXPECT_EQ(QuoteForMessage("企业"), "'企业'");
  std::string long_text(100, 'x');
  EXPECT_EQ(QuoteForMessage(long_text), "'" + std::string(64, 'x') + "'...");
  // A multi-byte character is never cut in half.
  std::string han;
  for (int i = 0; i < 30; ++i) han += "企";  // 90 bytes
  std::string q = QuoteForMessage(han);
  EXPECT_TRUE(IsValidUtf8(q));
  EXPECT_EQ(q.substr(q.size() - 3), "...");
}

TEST(ThriftValidate, Utf8) {
  EXPECT_TRUE(IsValidUtf8("plain 企业 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE4\xBC"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(ThriftValidate, ParseCodeNormalisesAndExplains) {
  std::string code = Codes().listed;
  std::string messy = "  " + code + "  ";
  for (auto& ch : messy) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto ok = ParseCode(messy, "code");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->value, code);
  EXPECT_EQ(ok->kind, IdKind::kUscc);

  std::string bad = code;
  bad[17] = bad[17] == '0' ? '1' : '0';
  auto e = ParseCode(bad, "codes[3]");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "invalid");
  EXPECT_EQ(e.error().field, "codes[3]");
  EXPECT_NE(e.error().message.find(bad), std::string::npos);
  EXPECT_NE(e.error().message.find("uscc.check"), std::string::npos);

  EXPECT_FALSE(ParseCode("", "code").ok());
  EXPECT_FALSE(ParseCode(std::string(65, '1'), "code").ok());
  EXPECT_FALSE(ParseCode("ABC\x01", "code").ok());
  EXPECT_FALSE(ParseCode("9.14690062012665e+17", "code").ok());
  auto legacy = ParseCode(Codes().legacy, "code");
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(legacy->kind, IdKind::kLegacy);
}

thriftgen::Penalty GoodPenalty() {
  thriftgen::Penalty p;
  p.entity_code = Codes().listed;
  p.decision_no = "川税罚〔2024〕12号";
  p.authority = "国家税务总局成都市税务局";
  p.decided_on = "2024-05-20";
  p.category = "fine";
  p.fine_fen = 500000;
  p.legal_basis = "《税收征收管理法》第六十条";
  return p;
}

TEST(ThriftValidate, PenaltyFieldsNamed) {
  Date today = FixtureToday();
  auto ok = ToPenalty(GoodPenalty(), "penalties[0]", today);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->decided_on, ParseDate("2024-05-20").value());
  EXPECT_EQ(ok->fine_fen, 500000);

  auto p = GoodPenalty();
  p.decided_on = "2024-07-01";  // after the fixture's today
  auto e = ToPenalty(p, "penalties[4]", today);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "penalties[4].decided_on");
  EXPECT_NE(e.error().message.find("future"), std::string::npos);

  p = GoodPenalty();
  p.decided_on = "2024-02-30";
  EXPECT_EQ(ToPenalty(p, "penalties[0]", today).error().field, "penalties[0].decided_on");
  p = GoodPenalty();
  p.fine_fen = -1;
  EXPECT_EQ(ToPenalty(p, "penalties[0]", today).error().field, "penalties[0].fine_fen");
  p = GoodPenalty();
  p.authority = "   ";
  EXPECT_EQ(ToPenalty(p, "penalties[0]", today).error().field, "penalties[0].authority");
  p = GoodPenalty();
  p.description = std::string(kMaxTextLength + 1, 'x');
  EXPECT_EQ(ToPenalty(p, "penalties[0]", today).error().field, "penalties[0].description");
  p = GoodPenalty();
  p.legal_basis = "bad \xff utf8";
  EXPECT_EQ(ToPenalty(p, "penalties[0]", today).error().field, "penalties[0].legal_basis");
}

TEST(ThriftValidate, ListDecisionAndIndicator) {
  Date today = FixtureToday();
  thriftgen::ListDecision d;
  d.entity_code = Codes().clean;
  d.list_name = "abnormal_operations";
  d.action = thriftgen::ListAction::ADD;
  d.decision_no = "成市监异〔2024〕1号";
  d.authority = "成都市市场监督管理局";
  d.decided_on = "2024-06-01";
  d.reason = "通过登记的住所无法联系";
  ASSERT_TRUE(ToListDecision(d, "decisions[0]", today).ok());
  d.list_name = "blacklist";
  EXPECT_EQ(ToListDecision(d, "decisions[0]", today).error().field, "decisions[0].list_name");
  d.list_name = "serious_violation";
  std::int32_t seven = 7;  // what the generated reader stores for an unknown value on the wire
  std::memcpy(&d.action, &seven, sizeof seven);
  EXPECT_EQ(ToListDecision(d, "decisions[0]", today).error().field, "decisions[0].action");

  thriftgen::ExternalIndicator x;
  x.entity_code = Codes().clean;
  x.indicator = "tax_rating";
  x.value = 1;
  x.as_of = "2024-06-01";
  auto ok = ToIndicator(x, "values[0]", today, "TAX");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->source_department, "TAX");
  x.source_department = "SAMR";
  auto forbidden = ToIndicator(x, "values[0]", today, "TAX");
  ASSERT_FALSE(forbidden.ok());
  EXPECT_EQ(forbidden.error().code, kErrForbidden);
  x.source_department = "TAX";
  x.value = std::nan("");
  EXPECT_EQ(ToIndicator(x, "values[0]", today, "TAX").error().field, "values[0].value");
  x.value = 2;
  x.indicator = "Tax Rating";
  EXPECT_EQ(ToIndicator(x, "values[0]", today, "TAX").error().field, "values[0].indicator");
}

class ThriftMemoryBackendTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::Seed(backend, tokens); }
  InMemoryCreditBackend backend;
  InMemoryTokenStore tokens;
  Pusher tax{"tax-sc", "TAX"};
  EntityId Id(const std::string& s) { return ParseEntityId(s).value(); }
};

TEST_F(ThriftMemoryBackendTest, FlagsFilteredByDate) {
  auto listed = Id(Codes().listed);
  auto now = backend.GetEntity(listed, FixtureToday());
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->flags.size(), 1u);  // the 2020 flag has ended
  auto in2020 = backend.GetEntity(listed, ParseDate("2020-06-01").value());
  ASSERT_TRUE(in2020.ok());
  ASSERT_EQ(in2020->flags.size(), 1u);
  EXPECT_EQ(in2020->flags[0].ends_on, ParseDate("2021-01-01").value());
  auto batch = backend.BatchFlags({listed, Id(Codes().unknown), Id(Codes().serious)}, FixtureToday());
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->size(), 3u);
  EXPECT_EQ((*batch)[0]->size(), 1u);
  EXPECT_FALSE((*batch)[1].has_value());
  EXPECT_EQ((*batch)[2]->size(), 2u);
}

ListDecision Decision(const EntityId& id, ListAction action, std::string no, const char* day) {
  return ListDecision{id, std::string(kAbnormalOperations), action, std::move(no), "成都市市场监督管理局",
                      ParseDate(day).value(), "通过登记的住所无法联系"};
}

TEST_F(ThriftMemoryBackendTest, ListDecisionsOpenAndCloseMemberships) {
  auto clean = Id(Codes().clean);
  auto r = backend.RecordListDecisions(tax, {Decision(clean, ListAction::kAdd, "D1", "2024-01-10"),
                                             Decision(clean, ListAction::kRemove, "D2", "2024-03-10")});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto e = backend.GetEntity(clean, FixtureToday());
  ASSERT_EQ(e->lists.size(), 1u);
  EXPECT_EQ(e->lists[0].listed_on, ParseDate("2024-01-10").value());
  EXPECT_EQ(e->lists[0].removed_on, ParseDate("2024-03-10").value());

  auto again = backend.RecordListDecisions(tax, {Decision(clean, ListAction::kRemove, "D3", "2024-04-01")});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, kErrInvalid);
  EXPECT_EQ(again.error().field, "[0]");
}

TEST_F(ThriftMemoryBackendTest, PushesAreAtomicAndIdempotent) {
  auto clean = Id(Codes().clean);
  // The second item fails, so the first must not be recorded either.
  auto r = backend.RecordListDecisions(
      tax, {Decision(clean, ListAction::kAdd, "A1", "2024-01-10"), Decision(Id(Codes().unknown), ListAction::kAdd, "A2", "2024-01-10")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kErrNotFound);
  EXPECT_EQ(r.error().field, "[1].entity_code");
  EXPECT_TRUE(backend.GetEntity(clean, FixtureToday())->lists.empty());

  Penalty p{clean, "P-1", "税务局", ParseDate("2024-05-01").value(), "fine", 100, "法", ""};
  auto first = backend.RecordPenalties(tax, {p});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE((*first)[0].duplicate);
  auto second = backend.RecordPenalties(tax, {p, p});
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE((*second)[0].duplicate);
  EXPECT_EQ((*second)[0].id, (*first)[0].id);
  EXPECT_EQ(backend.Penalties().size(), 1u);
  // Another department may use the same decision number.
  auto other = backend.RecordPenalties(Pusher{"x", "SAMR"}, {p});
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE((*other)[0].duplicate);
  // Same key, different content: a conflict, not a silent overwrite.
  p.fine_fen = 200;
  auto conflict = backend.RecordPenalties(tax, {p});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().field, "[0].decision_no");
  EXPECT_EQ(backend.Penalties().size(), 2u);
}

}  // namespace
}  // namespace suiji::rpc

namespace suiji::rpc {
namespace {

TEST(ThriftClientsFile, ParsesClientsAndTokenHashes) {
  std::string text = "# clients\n\n" + ClientsFileLine(Client{"tax-sc", "TAX", {Scope::kReadPublic, Scope::kPush}}, "tok-1") +
                     "   # trailing comment\r\n" + "samr-risk  SAMR read_public,read_class " +
                     ToHex(HashToken("tok-2")) + "\n";
  InMemoryTokenStore store;
  auto st = ParseClients(text, "clients.txt", store);
  ASSERT_TRUE(st.ok()) << st.error().message;
  auto tax = store.Find(HashToken("tok-1"));
  ASSERT_TRUE(tax);
  EXPECT_EQ(tax->department, "TAX");
  EXPECT_TRUE(tax->Has(Scope::kPush));
  EXPECT_FALSE(tax->Has(Scope::kReadClass));
  auto samr = store.Find(HashToken("tok-2"));
  ASSERT_TRUE(samr);
  EXPECT_TRUE(samr->Has(Scope::kReadClass));
  // The file holds no token: only its hash.
  EXPECT_EQ(text.find("tok-1"), std::string::npos);
}

TEST(ThriftClientsFile, ErrorsNameFileLineAndFieldAndAddNothing) {
  std::string good = ClientsFileLine(Client{"a", "TAX", {Scope::kReadPublic}}, "t1") + "\n";
  struct Case {
    std::string line;
    std::string field;
  } cases[] = {
      {"b TAX read_public", "line"},
      {"b TAX read_all " + ToHex(HashToken("t2")), "scopes"},
      {"b TAX read_public plain-token-by-mistake", "token_sha256"},
      {"b TAX read_public " + ToHex(HashToken("t1")), "token_sha256"},  // same hash as line 1
  };
  for (const auto& c : cases) {
    InMemoryTokenStore store;
    auto st = ParseClients(good + c.line + "\n", "clients.txt", store);
    ASSERT_FALSE(st.ok()) << c.line;
    EXPECT_EQ(st.error().field, c.field) << st.error().message;
    EXPECT_EQ(st.error().message.rfind("clients.txt:2: " + c.field + ": ", 0), 0u) << st.error().message;
    EXPECT_FALSE(store.Find(HashToken("t1"))) << "nothing is added when a line is bad";
  }
  InMemoryTokenStore store;
  EXPECT_EQ(LoadClientsFile("/nonexistent/clients.txt", store).error().code, "clients.open");
}

}  // namespace
}  // namespace suiji::rpc
