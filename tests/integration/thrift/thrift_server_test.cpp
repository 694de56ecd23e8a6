// The SuijiCredit service over real TCP on loopback, called by the generated C++ client.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "api/thrift/server.h"
#include "tests/integration/thrift/fixture.h"

namespace suiji::rpc {
namespace {

namespace gen = thriftgen;
using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::transport::TFramedTransport;
using apache::thrift::transport::TSocket;
using testing::Codes;

struct Connection {
  explicit Connection(int port) {
    auto socket = std::make_shared<TSocket>("127.0.0.1", port);
    transport = std::make_shared<TFramedTransport>(socket);
    client = std::make_unique<gen::SuijiCreditClient>(std::make_shared<TBinaryProtocol>(transport));
    transport->open();
  }
  ~Connection() { transport->close(); }
  std::shared_ptr<TFramedTransport> transport;
  std::unique_ptr<gen::SuijiCreditClient> client;
};

// Runs `call`, expects a SuijiError with `code` (and `field` when given); returns it for more checks.
gen::SuijiError ExpectError(gen::ErrorCode::type code, const std::function<void()>& call, const std::string& field = "-") {
  try {
    call();
  } catch (const gen::SuijiError& e) {
    EXPECT_EQ(e.code, code) << e.message;
    if (field != "-") {
      EXPECT_EQ(e.field, field) << e.message;
    }
    EXPECT_FALSE(e.message.empty());
    return e;
  }
  ADD_FAILURE() << "no SuijiError thrown, expected code " << code;
  return {};
}

class ThriftServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend = std::make_shared<InMemoryCreditBackend>();
    tokens = std::make_shared<InMemoryTokenStore>();
    testing::Seed(*backend, *tokens);
    ServerOptions options;
    options.service.today = testing::FixtureToday;
    options.service.max_batch = 100;
    options.service.log = [this](std::string_view line) {
      std::lock_guard lock(log_mu);
      log.emplace_back(line);
    };
    auto s = ThriftServer::Start(options, backend, tokens);
    ASSERT_TRUE(s.ok()) << s.error().message;
    server = std::move(s).value();
    ASSERT_GT(server->port(), 0);
    conn = std::make_unique<Connection>(server->port());
  }
  void TearDown() override {
    conn.reset();
    if (server) server->Stop();
  }
  gen::SuijiCreditClient& c() { return *conn->client; }

  std::shared_ptr<InMemoryCreditBackend> backend;
  std::shared_ptr<InMemoryTokenStore> tokens;
  std::unique_ptr<ThriftServer> server;
  std::unique_ptr<Connection> conn;
  std::mutex log_mu;
  std::vector<std::string> log;
};

TEST_F(ThriftServerTest, PingNeedsNoToken) {
  std::string v;
  c().ping(v);
  EXPECT_EQ(v.rfind("suiji ", 0), 0u);
}

TEST_F(ThriftServerTest, GetEntityReturnsListsAndFlagsInForce) {
  gen::EntityRecord r;
  std::string lower = Codes().listed;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  c().getEntity(r, testing::kReaderToken, " " + lower + " ");
  EXPECT_EQ(r.code, Codes().listed);
  EXPECT_EQ(r.name, "成都川味食品有限公司");
  ASSERT_EQ(r.lists.size(), 1u);
  EXPECT_EQ(r.lists[0].list_name, "abnormal_operations");
  EXPECT_EQ(r.lists[0].listed_on, "2023-07-01");
  EXPECT_FALSE(r.lists[0].__isset.removed_on);
  ASSERT_EQ(r.flags.size(), 1u);
  EXPECT_EQ(r.flags[0].measure, "限制参与政府采购活动");
  EXPECT_EQ(r.flags[0].starts_on, "2023-07-01");
  EXPECT_FALSE(r.flags[0].__isset.ends_on);

  c().getEntity(r, testing::kReaderToken, Codes().serious);
  ASSERT_EQ(r.lists.size(), 2u);
  EXPECT_TRUE(r.lists[0].__isset.removed_on);
  EXPECT_EQ(r.lists[0].removed_on, "2022-03-01");
  EXPECT_EQ(r.lists[1].list_name, "serious_violation");
  EXPECT_EQ(r.flags.size(), 2u);

  c().getEntity(r, testing::kReaderToken, Codes().legacy);
  EXPECT_EQ(r.code, Codes().legacy);
  EXPECT_TRUE(r.flags.empty());
}

TEST_F(ThriftServerTest, TokensAreChecked) {
  gen::EntityRecord r;
  auto e = ExpectError(gen::ErrorCode::UNAUTHENTICATED, [&] { c().getEntity(r, "", Codes().listed); }, "token");
  EXPECT_NE(e.message.find("required"), std::string::npos);
  ExpectError(gen::ErrorCode::UNAUTHENTICATED, [&] { c().getEntity(r, "reader-token-ndrc", Codes().listed); }, "token");
  ExpectError(gen::ErrorCode::UNAUTHENTICATED, [&] { c().getEntity(r, std::string(100000, 'x'), Codes().listed); });
  // Revoking takes effect on the next call.
  ASSERT_TRUE(tokens->Revoke(HashToken(testing::kReaderToken)));
  ExpectError(gen::ErrorCode::UNAUTHENTICATED, [&] { c().getEntity(r, testing::kReaderToken, Codes().listed); });
}

TEST_F(ThriftServerTest, RefusedTokensFromOneAddressAreRateLimited) {
  gen::EntityRecord r;
  // A missing token is no guess and is not counted.
  for (int i = 0; i < 20; ++i) ExpectError(gen::ErrorCode::UNAUTHENTICATED, [&] { c().getEntity(r, "", Codes().listed); });
  c().getEntity(r, testing::kReaderToken, Codes().listed);
  for (int i = 0; i < FailureLimiter::kMaxFailures; ++i)
    ExpectError(gen::ErrorCode::UNAUTHENTICATED,
                [&] { c().getEntity(r, "guess-" + std::to_string(i), Codes().listed); }, "token");
  // The next call is refused before its token is looked at, the good token too, on a new connection too.
  auto e = ExpectError(gen::ErrorCode::RATE_LIMITED, [&] { c().getEntity(r, testing::kReaderToken, Codes().listed); });
  EXPECT_NE(e.message.find("127.0.0.1"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("try again in"), std::string::npos) << e.message;
  Connection fresh(server->port());
  ExpectError(gen::ErrorCode::RATE_LIMITED, [&] { fresh.client->getEntity(r, testing::kReaderToken, Codes().listed); });
  std::string v;
  fresh.client->ping(v);  // needs no token, so is never limited
  std::lock_guard lock(log_mu);
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const std::string& l) {
    return l.find("rejected an unknown token from 127.0.0.1") != std::string::npos;
  }));
}

TEST_F(ThriftServerTest, UnknownAndMalformedCodes) {
  gen::EntityRecord r;
  auto nf = ExpectError(gen::ErrorCode::NOT_FOUND, [&] { c().getEntity(r, testing::kReaderToken, Codes().unknown); });
  EXPECT_NE(nf.message.find(Codes().unknown), std::string::npos);

  std::string bad = Codes().listed;
  bad[17] = bad[17] == '0' ? '1' : '0';
  auto e = ExpectError(gen::ErrorCode::INVALID_ARGUMENT, [&] { c().getEntity(r, testing::kReaderToken, bad); }, "code");
  EXPECT_NE(e.message.find(bad), std::string::npos);
  EXPECT_NE(e.message.find("check"), std::string::npos);
  ExpectError(gen::ErrorCode::INVALID_ARGUMENT, [&] { c().getEntity(r, testing::kReaderToken, "   "); }, "code");
  ExpectError(gen::ErrorCode::INVALID_ARGUMENT, [&] { c().getEntity(r, testing::kReaderToken, "\xff\xfe\x01"); }, "code");
}

TEST_F(ThriftServerTest, BatchFlagsKeepsOrderAndMarksUnknown) {
  std::vector<gen::EntityFlags> out;
  std::vector<std::string> codes = {Codes().serious, Codes().unknown, Codes().listed, Codes().clean, Codes().serious,
                                    Codes().regno};
  c().batchFlags(out, testing::kReaderToken, codes);
  ASSERT_EQ(out.size(), codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(out[i].code, codes[i]);
  EXPECT_TRUE(out[0].known);
  EXPECT_EQ(out[0].flags.size(), 2u);
  EXPECT_FALSE(out[1].known);
  EXPECT_TRUE(out[1].flags.empty());
  EXPECT_EQ(out[2].flags.size(), 1u);
  EXPECT_TRUE(out[3].known);
  EXPECT_TRUE(out[3].flags.empty());
  EXPECT_EQ(out[4].flags.size(), 2u);
  EXPECT_EQ(out[5].flags.size(), 1u);

  c().batchFlags(out, testing::kReaderToken, {});
  EXPECT_TRUE(out.empty());
}

TEST_F(ThriftServerTest, BatchFlagsRejectsMalformedAndOversized) {
  std::vector<gen::EntityFlags> out;
  std::vector<std::string> codes = {Codes().listed, Codes().clean, "91510100MA0000001X", Codes().serious};
  auto e = ExpectError(gen::ErrorCode::INVALID_ARGUMENT, [&] { c().batchFlags(out, testing::kReaderToken, codes); },
                       "codes[2]");
  EXPECT_NE(e.message.find("codes[2]"), std::string::npos);
  EXPECT_NE(e.message.find("91510100MA0000001X"), std::string::npos);

  std::vector<std::string> many(101, Codes().listed);  // limit is 100 in this fixture
  auto big = ExpectError(gen::ErrorCode::BATCH_TOO_LARGE, [&] { c().batchFlags(out, testing::kReaderToken, many); },
                         "codes");
  EXPECT_NE(big.message.find("101"), std::string::npos);
  EXPECT_NE(big.message.find("100"), std::string::npos);
  many.pop_back();
  c().batchFlags(out, testing::kReaderToken, many);
  EXPECT_EQ(out.size(), 100u);
}

TEST_F(ThriftServerTest, ClassificationNeedsReadClass) {
  gen::Classification k;
  auto e = ExpectError(gen::ErrorCode::FORBIDDEN, [&] { c().getClassification(k, testing::kReaderToken, Codes().listed); });
  EXPECT_NE(e.message.find("read_class"), std::string::npos);
  ExpectError(gen::ErrorCode::FORBIDDEN, [&] { c().getClassification(k, testing::kTaxToken, Codes().listed); });

  c().getClassification(k, testing::kAnalystToken, Codes().listed);
  EXPECT_EQ(k.code, Codes().listed);
  EXPECT_EQ(k.credit_class, "C");
  EXPECT_DOUBLE_EQ(k.score, 58.5);
  EXPECT_EQ(k.model_version, "sc-credit-2024.1");
  EXPECT_EQ(k.as_of, "2024-06-01");
  ASSERT_EQ(k.contributions.size(), 3u);
  EXPECT_EQ(k.contributions[0].indicator, "abnormal_list");
  EXPECT_DOUBLE_EQ(k.contributions[1].contribution, -7.5);
  EXPECT_TRUE(k.contributions[2].imputed);

  ExpectError(gen::ErrorCode::NOT_FOUND, [&] { c().getClassification(k, testing::kAnalystToken, Codes().serious); });
  ExpectError(gen::ErrorCode::NOT_FOUND, [&] { c().getClassification(k, testing::kAnalystToken, Codes().unknown); });
}

gen::Penalty WirePenalty(const std::string& code, const std::string& no) {
  gen::Penalty p;
  p.entity_code = code;
  p.decision_no = no;
  p.authority = "国家税务总局成都市税务局";
  p.decided_on = "2024-05-20";
  p.category = "fine";
  p.fine_fen = 500000;
  p.legal_basis = "《税收征收管理法》第六十条";
  p.description = "逾期未申报";
  return p;
}

TEST_F(ThriftServerTest, PushPenalties) {
  std::vector<gen::PushReceipt> r;
  std::vector<gen::Penalty> ps = {WirePenalty(Codes().listed, "川税罚〔2024〕1号"),
                                  WirePenalty(Codes().clean, "川税罚〔2024〕2号")};
  ExpectError(gen::ErrorCode::FORBIDDEN, [&] { c().pushPenalties(r, testing::kAnalystToken, ps); });
  c().pushPenalties(r, testing::kTaxToken, ps);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].duplicate);
  EXPECT_NE(r[0].id, r[1].id);
  auto recorded = backend->Penalties();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].first.client_id, "tax-sc");
  EXPECT_EQ(recorded[0].first.department, "TAX");
  EXPECT_EQ(recorded[1].second.fine_fen, 500000);

  std::vector<gen::PushReceipt> again;
  c().pushPenalties(again, testing::kTaxToken, ps);
  EXPECT_TRUE(again[0].duplicate);
  EXPECT_EQ(again[0].id, r[0].id);

  // One bad item rejects the call; nothing of it is recorded.
  std::vector<gen::Penalty> mixed = {WirePenalty(Codes().clean, "川税罚〔2024〕3号"),
                                     WirePenalty(Codes().unknown, "川税罚〔2024〕4号")};
  ExpectError(gen::ErrorCode::NOT_FOUND, [&] { c().pushPenalties(r, testing::kTaxToken, mixed); },
              "penalties[1].entity_code");
  mixed[1] = WirePenalty(Codes().clean, "川税罚〔2024〕5号");
  mixed[1].decided_on = "2024-13-01";
  ExpectError(gen::ErrorCode::INVALID_ARGUMENT, [&] { c().pushPenalties(r, testing::kTaxToken, mixed); },
              "penalties[1].decided_on");
  EXPECT_EQ(backend->Penalties().size(), 2u);

  auto changed = ps[0];
  changed.fine_fen = 1;
  ExpectError(gen::ErrorCode::INVALID_ARGUMENT, [&] { c().pushPenalties(r, testing::kTaxToken, {changed}); },
              "penalties[0].decision_no");
  // The log records who pushed.
  std::lock_guard lock(log_mu);
  bool logged = false;
  for (const auto& l : log) logged |= l.find("tax-sc pushed 2 penalties (2 new)") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST_F(ThriftServerTest, PushListDecisionsChangesPublicLists) {
  gen::ListDecision d;
  d.entity_code = Codes().clean;
  d.list_name = "abnormal_operations";
  d.action = gen::ListAction::ADD;
  d.decision_no = "成市监异〔2024〕88号";
  d.authority = "成都市市场监督管理局";
  d.decided_on = "2024-06-03";
  d.reason = "通过登记的住所无法联系";
  std::vector<gen::PushReceipt> r;
  c().pushListDecisions(r, testing::kTaxToken, {d});
  gen::EntityRecord e;
  c().getEntity(e, testing::kReaderToken, Codes().clean);
  ASSERT_EQ(e.lists.size(), 1u);
  EXPECT_EQ(e.lists[0].listed_on, "2024-06-03");

  auto remove = d;
  remove.action = gen::ListAction::REMOVE;
  remove.decision_no = "成市监移〔2024〕9号";
  remove.decided_on = "2024-06-20";
  remove.reason = "已更正住所";
  c().pushListDecisions(r, testing::kTaxToken, {remove});
  c().getEntity(e, testing::kReaderToken, Codes().clean);
  EXPECT_EQ(e.lists[0].removed_on, "2024-06-20");
  EXPECT_EQ(e.lists[0].removal_reason, "已更正住所");

  remove.decision_no = "成市监移〔2024〕10号";
  auto err = ExpectError(gen::ErrorCode::INVALID_ARGUMENT,
                         [&] { c().pushListDecisions(r, testing::kTaxToken, {remove}); }, "decisions[0]");
  EXPECT_NE(err.message.find("is not on"), std::string::npos);
}

TEST_F(ThriftServerTest, PushIndicatorsOnlyForOwnDepartment) {
  gen::ExternalIndicator x;
  x.entity_code = Codes().clean;
  x.indicator = "tax_rating";
  x.value = 1;
  x.as_of = "2024-06-01";
  std::vector<gen::PushReceipt> r;
  c().pushIndicators(r, testing::kTaxToken, {x});
  ASSERT_EQ(r.size(), 1u);
  auto recorded = backend->Indicators();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].second.source_department, "TAX");

  x.source_department = "SAMR";
  ExpectError(gen::ErrorCode::FORBIDDEN, [&] { c().pushIndicators(r, testing::kTaxToken, {x}); },
              "values[0].source_department");
  x.source_department = "";
  x.value = std::numeric_limits<double>::infinity();
  ExpectError(gen::ErrorCode::INVALID_ARGUMENT, [&] { c().pushIndicators(r, testing::kTaxToken, {x}); },
              "values[0].value");
}

// A backend that fails in every way a real one might.
class BrokenBackend : public InMemoryCreditBackend {
 public:
  Result<EntityRecord> GetEntity(const EntityId&, Date) override { throw std::runtime_error("connection reset"); }
  Result<std::vector<std::optional<std::vector<Flag>>>> BatchFlags(const std::vector<EntityId>&, Date) override {
    return Error{"db.unavailable", "password authentication failed for user suiji", ""};
  }
  Result<Classification> GetClassification(const EntityId&) override { throw 42; }
};

TEST(ThriftServerFailures, BackendFailuresAreInternalErrorsAndServerSurvives) {
  auto backend = std::make_shared<BrokenBackend>();
  auto tokens = std::make_shared<InMemoryTokenStore>();
  testing::Seed(*backend, *tokens);
  std::vector<std::string> log;
  std::mutex mu;
  ServerOptions options;
  options.service.today = testing::FixtureToday;
  options.service.log = [&](std::string_view l) {
    std::lock_guard lock(mu);
    log.emplace_back(l);
  };
  auto server = ThriftServer::Start(options, backend, tokens);
  ASSERT_TRUE(server.ok());
  Connection conn((*server)->port());
  gen::EntityRecord r;
  auto e = ExpectError(gen::ErrorCode::INTERNAL,
                       [&] { conn.client->getEntity(r, testing::kReaderToken, Codes().listed); });
  EXPECT_NE(e.message.find("ref "), std::string::npos);
  EXPECT_EQ(e.message.find("connection reset"), std::string::npos);  // detail stays in the log
  std::vector<gen::EntityFlags> f;
  auto e2 = ExpectError(gen::ErrorCode::INTERNAL,
                        [&] { conn.client->batchFlags(f, testing::kReaderToken, {Codes().listed}); });
  EXPECT_EQ(e2.message.find("password"), std::string::npos);
  gen::Classification k;
  ExpectError(gen::ErrorCode::INTERNAL,
              [&] { conn.client->getClassification(k, testing::kAnalystToken, Codes().listed); });
  // The same connection still works.
  std::vector<gen::PushReceipt> receipts;
  conn.client->pushPenalties(receipts, testing::kTaxToken, {WirePenalty(Codes().listed, "X-1")});
  EXPECT_EQ(receipts.size(), 1u);
  std::lock_guard lock(mu);
  std::string all;
  for (const auto& l : log) all += l + "\n";
  EXPECT_NE(all.find("connection reset"), std::string::npos);
  EXPECT_NE(all.find("password authentication failed"), std::string::npos);
}

TEST_F(ThriftServerTest, GarbageOnTheWireDoesNotHurtTheServer) {
  auto send_raw = [&](const std::string& bytes) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(server->port()));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    (void)!::write(fd, bytes.data(), bytes.size());
    ::shutdown(fd, SHUT_WR);  // end of input: a truncated frame stays truncated
    char buf[64];
    (void)!::read(fd, buf, sizeof buf);  // the server closes the connection
    ::close(fd);
  };
  send_raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");             // not Thrift at all
  send_raw(std::string("\x7f\xff\xff\xff", 4) + "xxxx");      // a 2 GB frame header
  send_raw(std::string("\x00\x00\x00\x10", 4) + "\x80\x01");  // a truncated frame
  // A frame claiming a list of a billion strings.
  std::string frame = std::string("\x80\x01\x00\x01", 4) + std::string("\x00\x00\x00\x0a", 4) + "batchFlags" +
                      std::string("\x00\x00\x00\x01", 4) + std::string("\x0f\x00\x02\x0b\x3b\x9a\xca\x00", 8);
  std::string len = {0, 0, 0, static_cast<char>(frame.size())};
  send_raw(len + frame);
  std::string v;
  Connection fresh(server->port());
  fresh.client->ping(v);
  EXPECT_FALSE(v.empty());
}

TEST_F(ThriftServerTest, ManyConcurrentClients) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      Connection mine(server->port());
      for (int i = 0; i < 50; ++i) {
        std::vector<gen::EntityFlags> out;
        mine.client->batchFlags(out, testing::kReaderToken, {Codes().listed, Codes().serious, Codes().unknown});
        if (out.size() == 3 && out[1].flags.size() == 2 && !out[2].known) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 400);
}

TEST(ThriftServerLifecycle, PortInUseIsAnErrorAndStopIsIdempotent) {
  auto backend = std::make_shared<InMemoryCreditBackend>();
  auto tokens = std::make_shared<InMemoryTokenStore>();
  auto first = ThriftServer::Start(ServerOptions{}, backend, tokens);
  ASSERT_TRUE(first.ok());
  ServerOptions same;
  same.port = (*first)->port();
  auto second = ThriftServer::Start(same, backend, tokens);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "thrift.listen");
  EXPECT_NE(second.error().message.find(std::to_string(same.port)), std::string::npos);
  (*first)->Stop();
  (*first)->Stop();
  // After Stop the port no longer accepts connections.
  EXPECT_THROW(Connection c(same.port), apache::thrift::transport::TTransportException);

  ServerOptions bad;
  bad.port = 70000;
  EXPECT_FALSE(ThriftServer::Start(bad, backend, tokens).ok());
  EXPECT_FALSE(ThriftServer::Start(ServerOptions{}, nullptr, tokens).ok());
}

TEST(ThriftServerLifecycle, StopWithConnectedIdleClient) {
  auto backend = std::make_shared<InMemoryCreditBackend>();
  auto tokens = std::make_shared<InMemoryTokenStore>();
  auto server = ThriftServer::Start(ServerOptions{}, backend, tokens);
  ASSERT_TRUE(server.ok());
  Connection idle((*server)->port());
  std::string v;
  idle.client->ping(v);
  auto t0 = std::chrono::steady_clock::now();
  (*server)->Stop();  // must not wait for the idle client's 60 s receive timeout
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

}  // namespace
}  // namespace suiji::rpc
