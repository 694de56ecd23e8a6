// Regression tests for what tests/fuzz/rest_body_fuzz.cpp found in the JSON request bodies (api/rest/body.h);
// each input is the fuzzer's (tests/fuzz/corpus/rest_body/crash_*.json without the route byte).
#include <gtest/gtest.h>

#include <string>

#include "api/rest/body.h"

namespace suiji::rest {
namespace {

Request Post(std::string body) {
  Request r;
  r.method = "POST";
  r.body = std::move(body);
  return r;
}

bool Names(const Problem& p, const std::string& field) {
  for (const auto& e : p.errors)
    if (e.field == field) return true;
  return false;
}

// POST /api/v1/draws (draws.cpp Commit).
std::optional<JsonDoc> CommitBody(const std::string& body, Problem* p) {
  return JsonBody(Post(body),
                  {{"plan", BodyField::kString, false}, {"plan_id", BodyField::kString, false},
                   {"as_of", BodyField::kString, false}, {"reserve", BodyField::kInt, false},
                   {"redraw_reason", BodyField::kString, false}},
                  p);
}

// crash_empty_name.json: a member named "" was refused with an error whose field was "".
TEST(JsonBodyFuzz, EmptyMemberNameIsNamed) {
  Problem p;
  EXPECT_FALSE(CommitBody(R"({"plalA":1,"reserve":"5","":null})", &p));
  EXPECT_EQ(p.status, 400);
  for (const auto& e : p.errors) EXPECT_FALSE(e.field.empty()) << e.reason;
  EXPECT_TRUE(Names(p, "\"\""));
  EXPECT_TRUE(Names(p, "plalA"));
  EXPECT_TRUE(Names(p, "reserve"));
  Problem q;
  EXPECT_FALSE(ObjectBody(Post(R"({"":1})"), {"decision"}, &q));
  ASSERT_EQ(q.errors.size(), 1u);
  EXPECT_EQ(q.errors[0].field, "\"\"");
}

// crash_nul_escape.json: the raw body's NUL is refused, but "\u0000" put one into an accepted string
// (which the store hands to the database as a C string).
TEST(JsonBodyFuzz, EscapedNulIsRefused) {
  Problem p;
  EXPECT_FALSE(JsonBody(Post(R"({"entropy":"\u0000000000000000000000000000000000000000000000000000e9\ud83d\ude00 \" \\ \/"})"),
                        {{"entropy", BodyField::kString, true}}, &p));
  EXPECT_EQ(p.status, 400);
  EXPECT_TRUE(Names(p, "entropy"));
  Problem q;  // at any depth, and in member names
  EXPECT_FALSE(ObjectBody(Post(R"({"correction":{"findings":[{"note":"a\u0000b"}]}})"), {"correction"}, &q));
  EXPECT_TRUE(Names(q, "correction"));
  Problem r;
  EXPECT_FALSE(ObjectBody(Post(R"({"correction":{"x\u0000":1}})"), {"correction"}, &r));
  Problem ok;
  EXPECT_TRUE(JsonBody(Post(R"({"entropy":"\u00e9 1618 0339"})"), {{"entropy", BodyField::kString, true}}, &ok));
}

// crash_reserve_wraps.json: "reserve": 4294967296 was accepted as an integer and read by the handler
// as the int 0, passing its 0..100000 range check.
TEST(JsonBodyFuzz, IntegerWiderThanAnIntIsRefused) {
  for (const char* body : {R"({"plan_id":"p","reserve":4294967296})", R"({"plan_id":"p","reserve":-2147483649})",
                           R"({"plan_id":"p","reserve":18446744073709551615})"}) {
    Problem p;
    EXPECT_FALSE(CommitBody(body, &p)) << body;
    EXPECT_TRUE(Names(p, "reserve")) << body;
  }
  Problem p;
  auto ok = CommitBody(R"({"plan_id":"p","reserve":2147483647})", &p);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->value("reserve", -1), 2147483647);
  EXPECT_TRUE(CommitBody(R"({"plan_id":"p","reserve":-2147483648})", &p));
}

}  // namespace
}  // namespace suiji::rest
