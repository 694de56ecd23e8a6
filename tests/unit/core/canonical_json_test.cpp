// The canonical JSON escape rules of docs/draw-protocol.md section 0, rule by rule, and its test vector.
// canonical_differential.py checks the same against Python's json.dumps on random documents.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "core/canonical_json.h"
#include "core/sha256.h"

namespace suiji {
namespace {

std::string Str(const std::string& s) { return CanonicalJson(Json(s)); }

TEST(CanonicalJsonEscapes, NamedEscapesForFiveControlsAndQuoteAndBackslash) {
  EXPECT_EQ(Str("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Str("\"\\"), R"("\"\\")");
}

TEST(CanonicalJsonEscapes, OtherControlsAsLowercaseU00xx) {
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') continue;
    char want[16];
    std::snprintf(want, sizeof want, "\"\\u%04x\"", c);
    EXPECT_EQ(Str(std::string(1, static_cast<char>(c))), want) << c;
  }
  EXPECT_EQ(Str("\x1b"), R"("\u001b")");  // lowercase hex
}

TEST(CanonicalJsonEscapes, NothingElseIsEscaped) {
  EXPECT_EQ(Str("\x7f"), "\"\x7f\"");                              // DEL raw
  EXPECT_EQ(Str("a/b"), "\"a/b\"");                                // '/' raw
  EXPECT_EQ(Str("检查 é 😀"), "\"检查 é 😀\"");                     // non-ASCII as its UTF-8 bytes
  EXPECT_EQ(Str("\xe2\x80\xa8\xe2\x80\xa9"), "\"\xe2\x80\xa8\xe2\x80\xa9\"");  // U+2028, U+2029 raw
  EXPECT_EQ(Str("\xef\xbb\xbf"), "\"\xef\xbb\xbf\"");              // BOM raw
}

TEST(CanonicalJsonEscapes, InvalidUtf8IsRefused) {
  EXPECT_THROW(Str("\xff"), std::exception);
  EXPECT_THROW(Str("\xed\xa0\x80"), std::exception);  // a UTF-8-encoded surrogate
  EXPECT_THROW(Str("\xc0\xaf"), std::exception);      // overlong '/'
}

TEST(CanonicalJsonEscapes, KeysSortedByUtf8BytesAndIntegersOver64Bits) {
  Json j = Json::parse(R"({"é":1,"z":2,"Z":3,"":4,"a":{"b":[]},"n":-9223372036854775808,"u":18446744073709551615})");
  EXPECT_EQ(CanonicalJson(j),
            "{\"\":4,\"Z\":3,\"a\":{\"b\":[]},\"n\":-9223372036854775808,\"u\":18446744073709551615,\"z\":2,\"é\":1}");
}

// docs/draw-protocol.md section 0: the escape test vector.
TEST(CanonicalJsonEscapes, ProtocolTestVector) {
  Json j = Json::parse(R"({"text":"检查 é \ud83d\ude00 \u2028",)"
                       R"("reason":"closed\tsince 2026-03-01\nsee \"notice\" 7/2026\\b",)"
                       R"("controls":"\u0000\u0001\u0007\b\t\n\u000b\f\r\u000e\u001b\u001f\u007f"})");
  const std::string want =
      "{\"controls\":\"\\u0000\\u0001\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u001b\\u001f\x7f\","
      "\"reason\":\"closed\\tsince 2026-03-01\\nsee \\\"notice\\\" 7/2026\\\\b\","
      "\"text\":\"检查 é 😀 \xe2\x80\xa8\"}";
  EXPECT_EQ(CanonicalJson(j), want);
  EXPECT_EQ(want.size(), 158u);
  EXPECT_EQ(Sha256Hex(want), "c770d5892a9807700cb110559455daebc4938a29d93bdb79a5bd1f1e6b1e0c6c");
}

}  // namespace
}  // namespace suiji
