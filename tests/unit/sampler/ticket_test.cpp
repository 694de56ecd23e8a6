// Ticket vectors computed independently with Python's hashlib (see docs/draw-protocol.md):
//   h = lambda s: hashlib.sha256(s.encode()).hexdigest()
//   ticket = "0." + "{:064d}".format(int(h(h(seed) + id), 16))[::-1]
#include <gtest/gtest.h>

#include <random>
#include <span>
#include <vector>

#include "core/sha256.h"
#include "sampler/ticket.h"

namespace suiji::sampler {
namespace {

Digest FromHex(const std::string& hex) {
  Digest d{};
  for (std::size_t i = 0; i < 32; ++i) d[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return d;
}

TEST(Ticket, RivestDocstringVectors) {
  // consistent_sampler.first_fraction docstring and make_ticket_heap docstring.
  EXPECT_EQ(TicketFor("01382438112797316654", "AB-130"),
            "0.26299714122838008416507544297546663599715395525154425586041245287750224561854");
  EXPECT_EQ(TicketFor("xy()134!g2n", "cat"),
            "0.24866413894129579898796850445568128508290132707747976039848637531569373309555");
}

TEST(Ticket, SuijiSeedVectors) {
  const std::string c = "cc1798c37f6ef59231ebcbf6dd859440ec4848f57253e41c0097a79e37616035";
  EXPECT_EQ(Sha256Hex("suiji test commitment"), c);
  const std::string seed = c + "|31415926535897932384";
  const std::string sh = SeedHash(seed);
  EXPECT_EQ(sh, "a4ab6e298e685762707e4418cc06efd736c8a29c6b92cd844951d55cd58bb56a");
  TicketHasher hasher(sh);
  struct V { std::string id, ticket; };
  std::vector<V> vectors = {
      {"91350100M000100Y43", "0.91048508029736245536943545820084317591621999712481533847280026755572666989875"},
      {"110108600123456", "0.54953287231666526762180496192435948287812918133879799577066114562697866138698"},
      {"企独琼总字第008245号", "0.46494018870373388879826811173473506244308335320915017302065943450749379542925"},
      {std::string(60, 'X'), "0.17477777967282821488812903038765432600085965162657002584354478784272321959392"},
      {"AB-130", "0.77413419624179475462487028134624490236959022508517812487419751680498763624195"},
  };
  for (const auto& v : vectors) {
    EXPECT_EQ(hasher.Ticket(v.id), v.ticket) << v.id;
    EXPECT_EQ(TicketFor(seed, v.id), v.ticket) << v.id;
    EXPECT_EQ(hasher.Key(v.id), std::stoull(v.ticket.substr(2, 16))) << v.id;
  }
}

TEST(Ticket, PaddingAndLongValues) {
  EXPECT_EQ(TicketFromDigest(Digest{}), "0." + std::string(64, '0'));
  EXPECT_EQ(TicketFromDigest(FromHex(std::string(63, '0') + "1")), "0.1" + std::string(63, '0'));
  EXPECT_EQ(TicketFromDigest(FromHex(std::string(64, 'f'))),
            "0.539936921319700485754930465046566489962358709786800589075324591613732980297511");
  EXPECT_EQ(TicketFromDigest(FromHex("0000000000000000000000000000000000000000000000008ac7230489e80000")),
            "0.0000000000000000000100000000000000000000000000000000000000000000");
  EXPECT_EQ(TicketFromDigest(FromHex("000000000000000000000000000000000000000000001a243ce7a5de34a80007")),
            "0.7000000000000000000543210000000000000000000000000000000000000000");
  EXPECT_EQ(TicketFromDigest(FromHex("000000000000000000000000000000004b3b4ca85a86c47a098a224000000005")),
            "0.5000000000000000000000000000000000000010000000000000000000000000");
}

TEST(Ticket, FastHashAndKeyAgreeWithReferenceOnRandomInputs) {
  std::mt19937_64 rng(7);
  const std::string sh = SeedHash("key test");
  TicketHasher hasher(sh);
  Sha256Prefix reference(sh);
  for (int i = 0; i < 5000; ++i) {
    std::string id(rng() % 70 + 1, ' ');
    for (auto& ch : id) ch = static_cast<char>('!' + rng() % 90);
    Digest d = hasher.Hash(id);
    ASSERT_EQ(d, reference.Hash(id)) << id;
    ASSERT_EQ(hasher.Key(id), std::stoull(TicketFromDigest(d).substr(2, 16))) << id;
  }
  for (int i = 0; i < 5000; ++i) {  // random digests, including tiny ones
    Digest d{};
    for (std::size_t b = static_cast<std::size_t>(i % 32); b < 32; ++b) d[b] = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(TicketKeyFromDigest(d), std::stoull(TicketFromDigest(d).substr(2, 16)));
  }
}

// The batch path pipelines two compressions and reuses one padded block per id length: every key
// must equal the reference ticket's, whatever the mix of lengths (0, short, 55, 56+ bytes).
TEST(Ticket, BatchKeysEqualReferenceForMixedLengths) {
  std::mt19937_64 rng(11);
  for (const std::string& sh : {SeedHash("batch"), std::string("short seed hash")}) {
    TicketHasher hasher(sh);
    std::vector<std::string> ids;
    for (int i = 0; i < 3000; ++i) {
      std::size_t len = i % 7 == 0 ? rng() % 80 : (i % 3 == 0 ? 55 + rng() % 3 : 18);
      std::string id(len, ' ');
      for (auto& ch : id) ch = static_cast<char>('!' + rng() % 90);
      ids.push_back(id);
    }
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, ids.size()}) {
      std::vector<std::uint64_t> keys(n + 1, 12345);
      hasher.Keys(std::span<const std::string>(ids.data(), n), keys.data());
      for (std::size_t i = 0; i < n; ++i)
        ASSERT_EQ(keys[i], std::stoull(TicketFromDigest(Sha256(sh + ids[i])).substr(2, 16)))
            << "n=" << n << " i=" << i << " len=" << ids[i].size();
      EXPECT_EQ(keys[n], 12345u) << "wrote past the end";
    }
  }
}

TEST(Ticket, LessIsTheStringOrderThenId) {
  TicketHasher hasher(SeedHash("order"));
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back("E" + std::to_string(i));
  for (const auto& a : ids)
    for (const auto& b : {ids[0], ids[17], ids[299]}) {
      bool expected = hasher.Ticket(a) < hasher.Ticket(b);
      EXPECT_EQ(hasher.Less(hasher.Key(a), a, hasher.Key(b), b), expected) << a << " " << b;
    }
  // Equal keys fall back to the strings and then the id.
  EXPECT_FALSE(hasher.Less(5, "x", 5, "x"));
}

}  // namespace
}  // namespace suiji::sampler
