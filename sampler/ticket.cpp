#include "sampler/ticket.h"

#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace suiji::sampler {
namespace {

// x mod 10^16 via the Chinese remainder theorem over 2^16 and 5^16: the 5^16 part is a sum of
// 16-bit limbs times 2^(16 j) mod 5^16, which fits in 64 bits without a 128-bit division.
constexpr std::uint64_t kFive16 = 152587890625ULL;  // 5^16 < 2^38
constexpr std::uint64_t kTen16 = 10000000000000000ULL;

constexpr std::array<std::uint64_t, 16> LimbWeights() {
  std::array<std::uint64_t, 16> w{};
  std::uint64_t p = 1;
  for (int j = 0; j < 16; ++j) {
    w[j] = p;
    p = (p << 16) % kFive16;
  }
  return w;
}
constexpr auto kWeights = LimbWeights();

constexpr std::uint64_t InverseMod2_16(std::uint64_t a) {
  std::uint64_t inv = 1;  // Newton: each step doubles the correct low bits
  for (int i = 0; i < 5; ++i) inv *= 2 - a * inv;
  return inv & 0xFFFF;
}
constexpr std::uint64_t kFive16Inv = InverseMod2_16(kFive16);
static_assert(((kFive16 * kFive16Inv) & 0xFFFF) == 1);

// rev4[n] = the 4 digits of n (zero-padded) reversed.
struct Rev4Table {
  std::array<std::uint16_t, 10000> v;
  constexpr Rev4Table() : v() {
    for (int n = 0; n < 10000; ++n)
      v[n] = static_cast<std::uint16_t>((n % 10) * 1000 + (n / 10 % 10) * 100 + (n / 100 % 10) * 10 +
                                        n / 1000);
  }
};
constexpr Rev4Table kRev4;

}  // namespace

std::string SeedHash(std::string_view seed) { return Sha256Hex(seed); }

std::uint64_t TicketKeyFromDigest(const Digest& x) {
  std::uint64_t sum = 0;
  for (int j = 0; j < 16; ++j) {
    std::uint64_t limb = (std::uint64_t{x[31 - 2 * j - 1]} << 8) | x[31 - 2 * j];
    sum += limb * kWeights[j];  // < 16 * 2^16 * 2^38 = 2^58
  }
  std::uint64_t a5 = sum % kFive16;
  std::uint64_t a2 = (std::uint64_t{x[30]} << 8) | x[31];
  std::uint64_t t = ((a2 - a5) * kFive16Inv) & 0xFFFF;
  std::uint64_t r = a5 + kFive16 * t;  // x mod 10^16: its digits, lowest first, start the ticket
  std::uint64_t c0 = r % 10000, c1 = r / 10000 % 10000, c2 = r / 100000000 % 10000, c3 = r / 1000000000000ULL;
  return std::uint64_t{kRev4.v[c0]} * 1000000000000ULL + std::uint64_t{kRev4.v[c1]} * 100000000ULL +
         std::uint64_t{kRev4.v[c2]} * 10000ULL + kRev4.v[c3];
}

std::string TicketFromDigest(const Digest& x) {
  // Base-10^19 long division of the 256-bit value; only run for drawn and reserve tickets.
  std::uint64_t limb[4];
  for (int i = 0; i < 4; ++i) {
    limb[i] = 0;
    for (int b = 0; b < 8; ++b) limb[i] = (limb[i] << 8) | x[8 * i + b];
  }
  constexpr std::uint64_t kTen19 = 10000000000000000000ULL;
  std::string reversed;  // least significant digit first = ticket digit order
  reversed.reserve(80);
  for (;;) {
    bool zero = limb[0] == 0 && limb[1] == 0 && limb[2] == 0 && limb[3] == 0;
    if (zero) break;
    unsigned __int128 rem = 0;
    for (int i = 0; i < 4; ++i) {
      unsigned __int128 cur = (rem << 64) | limb[i];
      limb[i] = static_cast<std::uint64_t>(cur / kTen19);
      rem = cur % kTen19;
    }
    std::uint64_t r = static_cast<std::uint64_t>(rem);
    bool last = limb[0] == 0 && limb[1] == 0 && limb[2] == 0 && limb[3] == 0;
    for (int d = 0; d < 19 && (!last || r != 0); ++d) {
      reversed.push_back(static_cast<char>('0' + r % 10));
      r /= 10;
    }
  }
  if (reversed.size() < 64) reversed.append(64 - reversed.size(), '0');
  return "0." + reversed;
}

struct TicketHasher::State {
  SHA256_CTX after_seed_hash;  // exactly one block absorbed
};

TicketHasher::TicketHasher(std::string_view seed_hash)
    : state_(std::make_unique<State>()), fallback_(seed_hash) {
  SHA256_Init(&state_->after_seed_hash);
  SHA256_Update(&state_->after_seed_hash, seed_hash.data(), seed_hash.size());
  // The one-block fast path needs the prefix to be a whole block (a real seed hash always is).
  if (seed_hash.size() != 64) state_.reset();
}

TicketHasher::~TicketHasher() = default;

Digest TicketHasher::Hash(std::string_view id) const {
  if (!state_ || id.size() > 55) return fallback_.Hash(id);
  // Final block: id, 0x80, zeros, bit length of (64 + id) as a 64-bit big-endian integer.
  alignas(16) unsigned char block[64];
  std::memcpy(block, id.data(), id.size());
  block[id.size()] = 0x80;
  std::memset(block + id.size() + 1, 0, 64 - id.size() - 1);
  std::uint64_t bits = (64 + id.size()) * 8;
  for (int i = 0; i < 8; ++i) block[63 - i] = static_cast<unsigned char>(bits >> (8 * i));
  SHA256_CTX c;
  std::memcpy(c.h, state_->after_seed_hash.h, sizeof c.h);
  SHA256_Transform(&c, block);
  Digest d;
  for (int i = 0; i < 8; ++i) {
    d[4 * i] = static_cast<std::uint8_t>(c.h[i] >> 24);
    d[4 * i + 1] = static_cast<std::uint8_t>(c.h[i] >> 16);
    d[4 * i + 2] = static_cast<std::uint8_t>(c.h[i] >> 8);
    d[4 * i + 3] = static_cast<std::uint8_t>(c.h[i]);
  }
  return d;
}

bool TicketHasher::Less(std::uint64_t key_a, std::string_view id_a, std::uint64_t key_b,
                        std::string_view id_b) const {
  if (key_a != key_b) return key_a < key_b;
  std::string ta = Ticket(id_a), tb = Ticket(id_b);
  if (ta != tb) return ta < tb;
  return id_a < id_b;
}

std::string TicketFor(std::string_view seed, std::string_view id) {
  return TicketFromDigest(Sha256(SeedHash(seed) + std::string(id)));
}

}  // namespace suiji::sampler
