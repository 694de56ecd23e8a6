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

// The final block after the 64-byte seed hash, without the id: the id's `len` bytes (<= 55) go
// first, then 0x80, zeros, and the bit length of (64 + len) as a 64-bit big-endian integer.
void PadFinalBlock(unsigned char* block, std::size_t len) {
  std::memset(block, 0, 64);
  block[len] = 0x80;
  std::uint64_t bits = (64 + len) * 8;
  for (int i = 0; i < 8; ++i) block[63 - i] = static_cast<unsigned char>(bits >> (8 * i));
}

}  // namespace

std::string SeedHash(std::string_view seed) { return Sha256Hex(seed); }

// x given as eight big-endian 32-bit words (the SHA-256 state after the last block).
inline std::uint64_t KeyFromWords(const std::uint32_t* w) {
  std::uint64_t sum = 0;
  for (int j = 0; j < 8; ++j) {
    std::uint32_t word = w[7 - j];
    sum += std::uint64_t{word & 0xFFFF} * kWeights[2 * j] + std::uint64_t{word >> 16} * kWeights[2 * j + 1];
  }  // < 16 * 2^16 * 2^38 = 2^58
  std::uint64_t a5 = sum % kFive16;
  std::uint64_t a2 = w[7] & 0xFFFF;
  std::uint64_t t = ((a2 - a5) * kFive16Inv) & 0xFFFF;
  std::uint64_t r = a5 + kFive16 * t;  // x mod 10^16: its digits, lowest first, start the ticket
  std::uint64_t c0 = r % 10000, c1 = r / 10000 % 10000, c2 = r / 100000000 % 10000, c3 = r / 1000000000000ULL;
  return std::uint64_t{kRev4.v[c0]} * 1000000000000ULL + std::uint64_t{kRev4.v[c1]} * 100000000ULL +
         std::uint64_t{kRev4.v[c2]} * 10000ULL + kRev4.v[c3];
}

std::uint64_t TicketKeyFromDigest(const Digest& x) {
  std::uint32_t w[8];
  for (int i = 0; i < 8; ++i)
    w[i] = (std::uint32_t{x[4 * i]} << 24) | (std::uint32_t{x[4 * i + 1]} << 16) |
           (std::uint32_t{x[4 * i + 2]} << 8) | x[4 * i + 3];
  return KeyFromWords(w);
}

std::string TicketFromDigest(const Digest& x) {
  // Long division of the 256-bit value by 10^9 over 32-bit limbs: each step is a 64-bit division
  // by a constant, which the compiler turns into a multiplication.
  std::uint32_t limb[8];
  for (int i = 0; i < 8; ++i)
    limb[i] = (std::uint32_t{x[4 * i]} << 24) | (std::uint32_t{x[4 * i + 1]} << 16) |
              (std::uint32_t{x[4 * i + 2]} << 8) | x[4 * i + 3];
  char digits[90];  // least significant digit first = ticket digit order; 2^256 has 78 digits
  int n = 0, top = 0;
  while (top < 8) {
    std::uint64_t rem = 0;
    for (int i = top; i < 8; ++i) {
      std::uint64_t cur = (rem << 32) | limb[i];
      limb[i] = static_cast<std::uint32_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    while (top < 8 && limb[top] == 0) ++top;
    std::uint32_t r = static_cast<std::uint32_t>(rem);
    for (int d = 0; d < 9 && (top < 8 || r != 0); ++d) {
      digits[n++] = static_cast<char>('0' + r % 10);
      r /= 10;
    }
  }
  while (n < 64) digits[n++] = '0';
  std::string t;
  t.reserve(static_cast<std::size_t>(n) + 2);
  t += "0.";
  t.append(digits, static_cast<std::size_t>(n));
  return t;
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
  alignas(16) unsigned char block[64];
  PadFinalBlock(block, id.size());
  std::memcpy(block, id.data(), id.size());
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

std::uint64_t TicketHasher::Key(std::string_view id) const {
  if (!state_ || id.size() > 55) return TicketKeyFromDigest(fallback_.Hash(id));
  alignas(16) unsigned char block[64];
  PadFinalBlock(block, id.size());
  std::memcpy(block, id.data(), id.size());
  SHA256_CTX c;
  std::memcpy(c.h, state_->after_seed_hash.h, sizeof c.h);
  SHA256_Transform(&c, block);
  return KeyFromWords(c.h);
}

void TicketHasher::Keys(std::span<const std::string> ids, std::uint64_t* out) const {
  if (!state_) {
    for (std::size_t i = 0; i < ids.size(); ++i) out[i] = Key(ids[i]);
    return;
  }
  // The key of an id depends on its compression's last rounds, so computing it right after them
  // stalls the core; computing it after the NEXT id's compression has been issued overlaps the two
  // (measured: 1.31x -> 1.07x of one compression per id). Two states alternate for that.
  constexpr std::size_t kNone = ~std::size_t{0};
  alignas(16) unsigned char block[64];
  std::size_t len = kNone, pending = kNone;
  SHA256_CTX c[2];
  int slot = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    if (id.size() > 55) {
      out[i] = Key(id);
      continue;
    }
    if (id.size() != len) PadFinalBlock(block, len = id.size());  // ids mostly share one length
    std::memcpy(block, id.data(), len);
    std::memcpy(c[slot].h, state_->after_seed_hash.h, sizeof c[slot].h);
    SHA256_Transform(&c[slot], block);
    if (pending != kNone) out[pending] = KeyFromWords(c[slot ^ 1].h);
    pending = i;
    slot ^= 1;
  }
  if (pending != kNone) out[pending] = KeyFromWords(c[slot ^ 1].h);
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
