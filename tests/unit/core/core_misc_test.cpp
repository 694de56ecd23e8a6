#include <gtest/gtest.h>

#include "core/canonical_json.h"
#include "core/date.h"
#include "core/org_units.h"
#include "core/region.h"
#include "core/sha256.h"

#include <vector>

namespace suiji {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, PrefixStateMatchesOneShot) {
  std::string prefix(64, 'p');
  prefix += "tail-of-prefix";
  Sha256Prefix h(prefix);
  for (std::string s : std::vector<std::string>{"", "x", "91350100M000100Y43", std::string(200, 'z')})
    EXPECT_EQ(ToHex(h.Hash(s)), Sha256Hex(prefix + s));
}

TEST(CanonicalJson, SortedCompactUtf8) {
  Json j = {{"b", 1}, {"a", "检查"}, {"c", {{"z", 1}, {"y", 2}}}};
  EXPECT_EQ(CanonicalJson(j), "{\"a\":\"检查\",\"b\":1,\"c\":{\"y\":2,\"z\":1}}");
}

TEST(Date, RoundTripAndValidation) {
  auto d = ParseDate("2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatDate(*d), "2024-02-29");
  EXPECT_EQ(FormatDate(AddYears(*d, 1)), "2025-02-28");
  EXPECT_EQ(ParseDate("1970-01-01")->days, 0);
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_FALSE(ParseDate("2023-13-01").ok());
  EXPECT_EQ(*ParseDate("2026-11-30") - *ParseDate("2026-01-01"), 333);
}

TEST(Region, CoversAndTable) {
  EXPECT_TRUE(RegionTable::Covers("510000", "510502"));
  EXPECT_TRUE(RegionTable::Covers("510500", "510502"));
  EXPECT_FALSE(RegionTable::Covers("510500", "510602"));
  EXPECT_FALSE(RegionTable::Covers("510502", "510500"));
  auto t = RegionTable::LoadDefault();
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_GT(t->size(), 3000u);
  EXPECT_TRUE(t->Validate("110101").ok());
  EXPECT_EQ(t->Validate("999999").error().code, "region.unknown");
  EXPECT_EQ(t->Validate("11010").error().code, "region.format");
}

TEST(OrgUnits, SeesOwnAndLowerNeverUpper) {
  auto o = OrgUnits::Build({{"51", "四川省", "province", "", "510000"},
                            {"5105", "泸州市", "city", "51", "510500"},
                            {"510502", "江阳区", "county", "5105", "510502"},
                            {"5106", "德阳市", "city", "51", "510600"}});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->Sees("51", "510502"));
  EXPECT_TRUE(o->Sees("5105", "5105"));
  EXPECT_FALSE(o->Sees("510502", "5105"));
  EXPECT_FALSE(o->Sees("5106", "510502"));
  EXPECT_EQ(o->Descendants("5105").size(), 2u);
  EXPECT_FALSE(OrgUnits::Build({{"a", "", "county", "", ""}, {"b", "", "city", "a", ""}}).ok());
}

}  // namespace suiji
