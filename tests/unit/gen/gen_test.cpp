#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "core/identifiers.h"
#include "core/sha256.h"
#include "data/gen/registers.h"
#include "data/gen/rng.h"
#include "data/import/importer.h"
#include "gen_util.h"

namespace suiji::gen {
namespace {

using testing::Regions;

struct Files {
  std::string entities, officers, items;
  GenSummary summary;
};

Files Generate(const GenOptions& o) {
  std::ostringstream e, of, it;
  auto s = GenerateRegisters(o, Regions(), e, of, it);
  EXPECT_TRUE(s.ok());
  return {e.str(), of.str(), it.str(), s.ok() ? s.value() : GenSummary{}};
}

TEST(Rng, IsTheStandardMt19937_64) {
  // C++ [rand.predef]: the 10000th output of a default-constructed mt19937_64 (seed 5489).
  Rng rng(5489u);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = rng.Next();
  EXPECT_EQ(x, 9981545732273789042ull);
}

TEST(Rng, BelowStaysInRangeAndCoversIt) {
  Rng rng(1);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) {
    auto v = rng.Below(7);
    ASSERT_LT(v, 7u);
    ++seen[v];
  }
  for (int c : seen) EXPECT_GT(c, 850);
}

TEST(Gen, SameSeedSameBytesOtherSeedOtherBytes) {
  GenOptions o;
  o.seed = 11;
  o.entities = 500;
  o.officers = 40;
  auto a = Generate(o), b = Generate(o);
  EXPECT_EQ(a.entities, b.entities);
  EXPECT_EQ(a.officers, b.officers);
  EXPECT_EQ(a.items, b.items);
  o.seed = 12;
  auto c = Generate(o);
  EXPECT_NE(a.entities, c.entities);
  EXPECT_NE(a.officers, c.officers);
}

TEST(Gen, CommittedFixturesAreReproducedByteForByte) {
  // data/examples/registers was written by: suiji gen --seed 7 --entities 60 --officers 30 --items 16
  //   --bom --messy. A change here means the generator (or the Boost engine) changed its output.
  GenOptions o;
  o.seed = 7;
  o.entities = 60;
  o.officers = 30;
  o.items = 16;
  o.bom = true;
  auto f = Generate(o);
  EXPECT_EQ(f.entities, testing::ReadFile(testing::Fixture("entities.csv")));
  EXPECT_EQ(f.officers, testing::ReadFile(testing::Fixture("officers.csv")));
  EXPECT_EQ(f.items, testing::ReadFile(testing::Fixture("items.csv")));
}

TEST(Gen, RegistersImportCleanlyWithTheAdvertisedMix) {
  GenOptions o;
  o.seed = 2026;
  o.entities = 20000;
  o.officers = 400;
  o.items = 24;
  auto f = Generate(o);
  const auto& s = f.summary;
  EXPECT_EQ(s.entities, 20000);
  EXPECT_EQ(s.uscc + s.regno + s.legacy, 20000);
  // ~3% legacy, ~5% registration numbers, a few deregistered (binomial: 5 sigma bounds).
  EXPECT_NEAR(static_cast<double>(s.legacy) / 20000, 0.03, 0.006);
  EXPECT_NEAR(static_cast<double>(s.regno) / 20000, 0.05, 0.008);
  EXPECT_NEAR(static_cast<double>(s.deregistered) / 20000, 0.02, 0.005);

  auto ents = import::EntityImporter::FromString(f.entities, Regions());
  ASSERT_TRUE(ents.ok());
  std::vector<Entity> batch;
  std::set<std::string> regions;
  std::int64_t legacy = 0, regno = 0;
  while (ents.value().NextBatch(batch, 4096))
    for (const auto& e : batch) {
      regions.insert(e.region);
      legacy += e.id.kind == IdKind::kLegacy;
      regno += e.id.kind == IdKind::kRegistrationNumber;
      EXPECT_EQ(e.region.substr(0, 2), "51");
      if (e.id.kind == IdKind::kUscc) {
        EXPECT_EQ(e.id.value.substr(2, 6), e.region);
      }
    }
  const auto& r = ents.value().report();
  EXPECT_EQ(r.rows_read, 20000);
  EXPECT_EQ(r.rows_valid, 20000) << (r.errors.empty() ? "" : r.errors[0].code + " " + r.errors[0].reason);
  EXPECT_EQ(r.rows_flagged, s.legacy);  // every legacy id is flagged, nothing else is
  EXPECT_EQ(legacy, s.legacy);
  EXPECT_EQ(regno, s.regno);
  EXPECT_EQ(r.error_counts.count("entity.duplicate"), 0u);

  auto items = import::ItemImporter::FromString(f.items, Regions());
  ASSERT_TRUE(items.ok());
  std::vector<InspectionItem> item_batch;
  std::set<std::string> item_quals;
  while (items.value().NextBatch(item_batch))
    for (const auto& it : item_batch)
      if (!it.qualification.empty()) item_quals.insert(it.qualification);
  EXPECT_EQ(items.value().report().rows_valid, 24);

  auto offs = import::OfficerImporter::FromString(f.officers, Regions());
  ASSERT_TRUE(offs.ok());
  std::vector<Officer> ob;
  std::vector<Officer> officers;
  while (offs.value().NextBatch(ob))
    for (auto& x : ob) officers.push_back(x);
  EXPECT_EQ(offs.value().report().rows_valid, 400);
  std::set<std::string> departments;
  std::int64_t with_conflicts = 0;
  for (const auto& off : officers) {
    departments.insert(off.department);
    for (const auto& q : off.qualifications) EXPECT_TRUE(item_quals.count(q)) << q;
    with_conflicts += !off.conflicts.empty();
    for (const auto& c : off.conflicts) EXPECT_TRUE(ParseEntityId(c).ok());
  }
  EXPECT_EQ(departments, (std::set<std::string>{"MEE", "NMPA", "SAMR"}));
  EXPECT_EQ(with_conflicts, s.officers_with_conflicts);
  EXPECT_GT(with_conflicts, 0);
  // Every region that has entities is inside some officer's jurisdiction.
  for (const auto& region : regions) {
    bool covered = false;
    for (const auto& off : officers)
      for (const auto& j : off.jurisdictions) covered = covered || RegionTable::Covers(j, region);
    EXPECT_TRUE(covered) << region;
  }
}

TEST(Gen, FewOfficersGetCityOrProvinceJurisdictions) {
  GenOptions o;
  o.entities = 50;
  o.officers = 3;  // fewer than Sichuan's cities: each officer covers the province
  auto f = Generate(o);
  EXPECT_NE(f.officers.find(",510000,"), std::string::npos);
  o.officers = 30;  // enough for every city
  f = Generate(o);
  auto offs = import::OfficerImporter::FromString(f.officers, Regions());
  ASSERT_TRUE(offs.ok());
  std::vector<Officer> ob;
  ASSERT_TRUE(offs.value().NextBatch(ob, 100));
  for (const auto& off : ob) EXPECT_EQ(off.jurisdictions.at(0).substr(4), "00");
}

TEST(Gen, UnknownProvinceIsAnError) {
  GenOptions o;
  o.province = "99";
  std::ostringstream a, b, c;
  auto s = GenerateRegisters(o, Regions(), a, b, c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "gen.province");
}

TEST(Gen, OrgCodeCheckCharacter) {
  EXPECT_EQ(OrgCodeCheckChar("00000000"), '0');  // 11 - 0 = 11 -> '0'
  EXPECT_EQ(OrgCodeCheckChar("00000001"), '9');  // 11 - 2 = 9
  EXPECT_EQ(OrgCodeCheckChar("00000004"), '3');  // 11 - 8 = 3
  EXPECT_EQ(OrgCodeCheckChar("10000000"), '8');  // 11 - 3 = 8
  EXPECT_EQ(OrgCodeCheckChar("00000000"), '0');
  EXPECT_EQ(OrgCodeCheckChar("00000003"), '5');  // 11 - 6 = 5
  EXPECT_EQ(OrgCodeCheckChar("0000000"), '\0');
}

}  // namespace
}  // namespace suiji::gen
