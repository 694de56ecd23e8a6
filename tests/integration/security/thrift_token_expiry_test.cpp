// A token's expires_at ends it on the Thrift service as it does on the REST API (docs/security.md,
// "a compromised county token"): the handler refuses an expired token with UNAUTHENTICATED before any
// scope or backend is consulted, and accepts the same client while the date is ahead.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/thrift/handler.h"
#include "tests/integration/thrift/fixture.h"

namespace suiji::rpc {
namespace {

namespace gen = thriftgen;

struct World {
  std::shared_ptr<InMemoryCreditBackend> backend = std::make_shared<InMemoryCreditBackend>();
  std::shared_ptr<InMemoryTokenStore> tokens = std::make_shared<InMemoryTokenStore>();
  std::unique_ptr<SuijiCreditHandler> handler;
  World() {
    testing::Seed(*backend, *tokens);
    Client expired{"expired-reader", "NDRC", {Scope::kReadPublic, Scope::kPush}};
    expired.expires_at = "2020-01-01";
    EXPECT_TRUE(tokens->Add(expired, HashToken("expired-token")).ok());
    Client ahead{"future-reader", "NDRC", {Scope::kReadPublic}};
    ahead.expires_at = "2999-01-01T00:00:00Z";
    EXPECT_TRUE(tokens->Add(ahead, HashToken("future-token")).ok());
    ServiceOptions o;
    o.today = testing::FixtureToday;
    o.log = [](std::string_view) {};
    handler = std::make_unique<SuijiCreditHandler>(backend, tokens, o);
  }
};

gen::ErrorCode::type CodeOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const gen::SuijiError& e) {
    return e.code;
  }
  return static_cast<gen::ErrorCode::type>(0);
}

TEST(ThriftTokenExpiry, ExpiredTokenIsRefusedOnEveryScope) {
  World w;
  gen::EntityRecord rec;
  EXPECT_EQ(CodeOf([&] { w.handler->getEntity(rec, "expired-token", testing::Codes().listed); }),
            gen::ErrorCode::UNAUTHENTICATED);
  std::vector<gen::EntityFlags> flags;
  EXPECT_EQ(CodeOf([&] { w.handler->batchFlags(flags, "expired-token", {testing::Codes().listed}); }),
            gen::ErrorCode::UNAUTHENTICATED);
  std::vector<gen::PushReceipt> receipts;
  EXPECT_EQ(CodeOf([&] { w.handler->pushPenalties(receipts, "expired-token", {}); }), gen::ErrorCode::UNAUTHENTICATED);
}

TEST(ThriftTokenExpiry, TokenBeforeItsExpiryWorks) {
  World w;
  gen::EntityRecord rec;
  EXPECT_EQ(CodeOf([&] { w.handler->getEntity(rec, "future-token", testing::Codes().listed); }),
            static_cast<gen::ErrorCode::type>(0));
  EXPECT_EQ(CodeOf([&] { w.handler->getEntity(rec, testing::kReaderToken, testing::Codes().listed); }),
            static_cast<gen::ErrorCode::type>(0));
}

}  // namespace
}  // namespace suiji::rpc
