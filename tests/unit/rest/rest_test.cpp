#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/app/disclosure.h"
#include "api/app/roles.h"
#include "api/rest/client_address.h"
#include "api/rest/handlers.h"
#include "api/rest/metrics.h"
#include "api/rest/tar.h"

namespace suiji::rest {
namespace {

Response Named(const char* name) { return Text(200, "text/plain", name); }

Router Sample() {
  Router r;
  r.Add({"GET", "/api/v1/draws", "draws.read", [](Call&) { return Named("list"); }, ""});
  r.Add({"GET", "/api/v1/draws/{id}", "draws.read", [](Call&) { return Named("one"); }, ""});
  r.Add({"POST", "/api/v1/draws/{id}/reveal", "draws.reveal", [](Call&) { return Named("reveal"); }, ""});
  r.Add({"GET", "/api/v1/draws/{id}/bundle", "draws.read", [](Call&) { return Named("bundle"); }, ""});
  return r;
}

TEST(Router, MatchesTemplatesAndDecodesParameters) {
  Router r = Sample();
  auto m = r.Find("GET", "/api/v1/draws/D-%E6%88%90");
  ASSERT_EQ(m.kind, Match::kFound);
  EXPECT_EQ(m.route->path, "/api/v1/draws/{id}");
  EXPECT_EQ(m.params.at("id"), "D-成");
  EXPECT_EQ(r.Find("GET", "/api/v1/draws").route->path, "/api/v1/draws");
  EXPECT_EQ(r.Find("HEAD", "/api/v1/draws").kind, Match::kFound);  // HEAD is GET without a body
}

TEST(Router, NotFoundMethodNotAllowedAndBadSegments) {
  Router r = Sample();
  EXPECT_EQ(r.Find("GET", "/api/v1/nothing").kind, Match::kNotFound);
  EXPECT_EQ(r.Find("GET", "/api/v1/draws/").kind, Match::kNotFound);  // an empty segment is no id
  EXPECT_EQ(r.Find("GET", "/api/v1/draws/a/b/c").kind, Match::kNotFound);
  auto m = r.Find("DELETE", "/api/v1/draws/D-1");
  EXPECT_EQ(m.kind, Match::kMethodNotAllowed);
  EXPECT_EQ(m.allow, std::vector<std::string>{"GET"});
  EXPECT_EQ(r.Find("GET", "/api/v1/draws/D-1/reveal").allow, std::vector<std::string>{"POST"});
  for (const char* bad : {"/api/v1/draws/%2E%2E", "/api/v1/draws/..", "/api/v1/draws/a%2Fb", "/api/v1/draws/%FF",
                          "/api/v1/draws/%G1", "/api/v1/draws/%00"})
    EXPECT_EQ(r.Find("GET", bad).kind, Match::kBadPath) << bad;
}

TEST(Query, DecodesAndRejectsMalformed) {
  std::vector<std::pair<std::string, std::string>> q;
  ASSERT_TRUE(ParseQuery("name=%E9%94%A6%E6%B1%9F&limit=5&x=a+b&flag", q));
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0].second, "锦江");
  EXPECT_EQ(q[2].second, "a b");
  EXPECT_EQ(q[3].first, "flag");
  EXPECT_FALSE(ParseQuery("name=%E6%88", q));  // a truncated UTF-8 sequence
  EXPECT_FALSE(ParseQuery("name=%4", q));
  EXPECT_FALSE(ParseQuery("name=%C0%AF", q));  // overlong '/'
  EXPECT_FALSE(ValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_TRUE(ValidUtf8("统一社会信用代码"));
}

TEST(Problem, RendersRfc9457AndMapsErrors) {
  Response r = Render(Unprocessable("the filter is not valid", {{"region", "6 digits"}}), "rid-1");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto j = nlohmann::json::parse(r.Body());
  EXPECT_EQ(j["type"], "urn:suiji:problem:invalid");
  EXPECT_EQ(j["status"], 422);
  EXPECT_EQ(j["errors"][0]["field"], "region");
  EXPECT_EQ(j["request_id"], "rid-1");
  EXPECT_EQ(FromError(Error{"draw.state", "revealed once", ""}).status, 409);
  EXPECT_EQ(FromError(Error{"client.not_found", "no", ""}).status, 404);
  EXPECT_EQ(FromError(Error{"plan.invalid", "bad", "plan"}).status, 422);
  Problem internal = FromError(Error{"store.select", "SELECT secret FROM x failed", ""});
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.detail.find("SELECT"), std::string::npos);  // no SQL in a body
  // A storage code is internal whatever it ends with: its driver text never reaches a client.
  for (const char* code : {"store.row.not_found", "store.tx.conflict", "db.lock.state", "io.bulk.exists"}) {
    Problem p = FromError(Error{code, "ERROR: relation \"api_clients\" SELECT token_hash", ""});
    EXPECT_EQ(p.status, 500) << code;
    EXPECT_EQ(p.detail.find("api_clients"), std::string::npos) << code;
  }
}

TEST(Metrics, PrometheusTextWithCumulativeBuckets) {
  Metrics m;
  m.Observe("/api/v1/draws/{id}", "GET", 200, 0.004);
  m.Observe("/api/v1/draws/{id}", "GET", 200, 0.2);
  m.Observe("/api/v1/draws/{id}", "GET", 404, 20);
  const std::string t = m.Render("0.1.0");
  EXPECT_NE(t.find("suiji_http_requests_total{route=\"/api/v1/draws/{id}\",method=\"GET\",status=\"200\"} 2"), std::string::npos);
  EXPECT_NE(t.find("le=\"0.005\"} 1"), std::string::npos);
  EXPECT_NE(t.find("le=\"0.25\"} 2"), std::string::npos);
  EXPECT_NE(t.find("le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(t.find("suiji_build_info{version=\"0.1.0\"} 1"), std::string::npos);
}

TEST(Roles, OneTableLeastPrivilege) {
  for (const auto& r : app::RoleTable())
    for (const auto& a : r.actions)
      EXPECT_NE(std::find(app::Actions().begin(), app::Actions().end(), a), app::Actions().end()) << r.role << " " << a;
  EXPECT_TRUE(app::RoleAllows("admin", "draws.reveal"));
  EXPECT_FALSE(app::RoleAllows("auditor", "draws.reveal"));
  EXPECT_FALSE(app::RoleAllows("officer", "credit.read"));  // an officer never sees classes
  EXPECT_FALSE(app::RoleAllows("integration", "draws.read"));
  EXPECT_FALSE(app::RoleAllows("nobody", "entities.read"));
  EXPECT_EQ(app::ValidateRole("root").error().code, "role.unknown");
  // Every route of the API names an action of the table, or none (anonymous).
  const Router api = ApiRouter();
  for (const auto& r : api.routes()) {
    if (!r.action.empty()) {
      EXPECT_NE(std::find(app::Actions().begin(), app::Actions().end(), r.action), app::Actions().end()) << r.path;
    }
  }
}

TEST(Tar, UstarHeadersAndPadding) {
  std::string t = TarArchive("D-1", {{"bundle.json", "{}\n"}, {"tickets.csv", std::string(600, 'x')}});
  EXPECT_EQ(t.size() % 512, 0u);
  EXPECT_EQ(t.substr(0, 4), "D-1/");
  EXPECT_EQ(t.substr(257, 5), "ustar");
  EXPECT_EQ(t.substr(512, 15), "D-1/bundle.json");
  // dir header + (header + 1 block) + (header + 2 blocks) + 2 end blocks
  EXPECT_EQ(t.size(), 512u * (1 + 2 + 3 + 2));
}

}  // namespace
}  // namespace suiji::rest

// Concurrent misses of one key run the computation once; a write (Clear) during it means the next
// request computes afresh and the old answer is not kept.
TEST(ResponseCache, OneComputationPerMissAndClearStartsOver) {
  using namespace suiji::rest;
  ResponseCache cache(std::chrono::milliseconds(1000));
  std::atomic<int> computed{0};
  auto slow = [&] {
    ++computed;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return Json(200, "{\"n\":" + std::to_string(computed.load()) + "}");
  };
  std::vector<std::thread> clients;
  std::vector<std::string> bodies(8);
  for (int i = 0; i < 8; ++i)
    clients.emplace_back([&, i] { bodies[i] = cache.Fetch("k", std::chrono::steady_clock::now(), slow).Body(); });
  for (auto& t : clients) t.join();
  EXPECT_EQ(computed.load(), 1);
  for (const auto& b : bodies) EXPECT_EQ(b, "{\"n\":1}");
  EXPECT_EQ(cache.Fetch("k", std::chrono::steady_clock::now(), slow).Body(), "{\"n\":1}");  // a hit
  EXPECT_EQ(computed.load(), 1);

  cache.Clear();
  std::thread first([&] { cache.Fetch("j", std::chrono::steady_clock::now(), slow); });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  cache.Clear();  // a write while "j" is computed
  EXPECT_EQ(cache.Fetch("j", std::chrono::steady_clock::now(), slow).Body(), "{\"n\":3}");
  first.join();
  EXPECT_EQ(computed.load(), 3);
  // A non-200 answer is not shared or kept.
  auto missing = [&] {
    ++computed;
    return Json(404, "{}");
  };
  cache.Fetch("gone", std::chrono::steady_clock::now(), missing);
  cache.Fetch("gone", std::chrono::steady_clock::now(), missing);
  EXPECT_EQ(computed.load(), 5);
}

// A sole trader named after its operator is shown as 张*; other names as they are registered.
TEST(Disclosure, MasksOperatorNamesOfSoleTraders) {
  using suiji::Entity;
  Entity shop;
  shop.entity_type = "sole_proprietor";
  shop.name = "成都市锦江区张三小吃店";
  EXPECT_EQ(suiji::app::PublicName(shop), "成都市锦江区张三小吃店");
  Entity person = shop;
  person.name = "张三丰";
  EXPECT_EQ(suiji::app::PublicName(person), "张**");
  Entity from_operator;
  from_operator.entity_type = "sole_proprietor";
  from_operator.name = "欧阳建国个体";
  from_operator.repairs = {"name.from_operator"};
  EXPECT_EQ(suiji::app::PublicName(from_operator), "欧*****");
  Entity company;
  company.entity_type = "company";
  company.name = "李四";
  EXPECT_EQ(suiji::app::PublicName(company), "李四");
  company.address = "成都市";
  suiji::RegionTable regions;
  auto j = suiji::app::PublicEntity(person, regions);
  EXPECT_FALSE(j.contains("address"));
  EXPECT_FALSE(j.contains("legal_rep"));
  EXPECT_TRUE(suiji::app::PublicEntity(company, regions).contains("address"));
}

TEST(TrustedProxies, ForwardedForIsReadOnlyFromTrustedPeersAndFromTheRight) {
  using suiji::rest::TrustedProxies;
  std::string error;
  EXPECT_FALSE(TrustedProxies::Parse({"10.0.0.1", "proxy.example"}, &error));
  EXPECT_NE(error.find("'proxy.example' is not an IP address"), std::string::npos) << error;
  EXPECT_FALSE(TrustedProxies::Parse({"10.0.0.0/8"}, &error));

  const TrustedProxies none;
  EXPECT_EQ(none.ClientOf("10.0.0.1", "203.0.113.7"), "10.0.0.1");  // no proxies configured: never read

  auto t = TrustedProxies::Parse({"10.0.0.1", "::FFFF:10.0.0.2", "2001:DB8::1"}, &error);
  ASSERT_TRUE(t) << error;
  // A peer that is not a proxy cannot name another client.
  EXPECT_EQ(t->ClientOf("198.51.100.9", "203.0.113.7"), "198.51.100.9");
  // The proxy's own entry (the rightmost) is the client; what the client wrote to its left is not.
  EXPECT_EQ(t->ClientOf("10.0.0.1", "1.1.1.1, 203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(t->ClientOf("10.0.0.1", "garbage,203.0.113.7"), "203.0.113.7");
  // Chained trusted proxies are skipped; IPv6 in canonical form.
  EXPECT_EQ(t->ClientOf("10.0.0.1", "2001:db8::abcd, ::ffff:10.0.0.2"), "2001:db8::abcd");
  EXPECT_EQ(t->ClientOf("2001:db8:0::1", "  203.0.113.7  "), "203.0.113.7");
  // Nothing forwarded, or a malformed hop: the last trusted address, never the garbage.
  EXPECT_EQ(t->ClientOf("10.0.0.1", ""), "10.0.0.1");
  EXPECT_EQ(t->ClientOf("10.0.0.1", "203.0.113.7, not-an-ip"), "10.0.0.1");
  EXPECT_EQ(t->ClientOf("10.0.0.1", "10.0.0.1, 10.0.0.1"), "10.0.0.1");
}
