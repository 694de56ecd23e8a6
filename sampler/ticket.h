// Entity tickets: exactly the generation-1 ticket of Rivest's consistent sampler
// (github.com/ron-rivest/consistent_sampler, first_fraction(id, seed)), so that package reproduces
// our draw.
//
//   seed_hash = hex(SHA-256(utf8(seed)))                         64 lowercase hex characters
//   x         = SHA-256(utf8(seed_hash + id)) as a big-endian unsigned integer
//   ticket    = "0." + reverse(decimal(x) left-padded with '0' to at least 64 digits)
//
// Tickets compare as byte strings, ties (never seen in practice) by id. No floating point anywhere.
//
// The hot path never builds the string: TicketKey is the first 16 ticket digits as an integer,
// which orders tickets exactly except on equal keys, where TicketLess falls back to the strings.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/sha256.h"

namespace suiji::sampler {

// hex(SHA-256(seed)).
std::string SeedHash(std::string_view seed);

// The ticket string of x (a SHA-256 digest read big-endian).
std::string TicketFromDigest(const Digest& x);

// The first 16 digits of TicketFromDigest(x) read as a decimal integer (< 10^16).
std::uint64_t TicketKeyFromDigest(const Digest& x);

// Hashes seed_hash + id for many ids. seed_hash is one whole 64-byte SHA-256 block, so its state is
// computed once; an id of up to 55 bytes then costs exactly one compression.
class TicketHasher {
 public:
  explicit TicketHasher(std::string_view seed_hash);
  ~TicketHasher();
  TicketHasher(const TicketHasher&) = delete;
  TicketHasher& operator=(const TicketHasher&) = delete;

  Digest Hash(std::string_view id) const;                       // SHA-256(seed_hash + id)
  std::uint64_t Key(std::string_view id) const;                 // TicketKeyFromDigest(Hash(id))
  // out[i] = Key(ids[i]) for every i, faster than one Key call per id (the hot path of a draw).
  void Keys(std::span<const std::string> ids, std::uint64_t* out) const;
  std::string Ticket(std::string_view id) const { return TicketFromDigest(Hash(id)); }
  // Exact order of (ticket, id): key first, full strings only when keys are equal.
  bool Less(std::uint64_t key_a, std::string_view id_a, std::uint64_t key_b,
            std::string_view id_b) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  Sha256Prefix fallback_;  // ids longer than 55 bytes
};

// Convenience: the ticket of `id` under `seed` (not `seed_hash`), i.e. first_fraction(id, seed).
std::string TicketFor(std::string_view seed, std::string_view id);

}  // namespace suiji::sampler
