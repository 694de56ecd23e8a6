// Public entropy: the value revealed after the commitment, and the rules it must satisfy.
// The commitment names the source before the value exists:
//   {"kind":"dice","min_digits":N}   N >= 20: E is N or more ASCII decimal digits, nothing else
//                                    (witnesses roll 10-sided dice; the shell strips spaces first).
//   {"kind":"beacon","name":S,"round":R}   E is that beacon round's randomness, lowercase hex,
//                                    an even number of characters, at least 32 (128 bits).
// The seed is C + "|" + E, where C is the commitment digest (lowercase hex).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/canonical_json.h"
#include "core/result.h"

namespace suiji::sampler {

struct EntropySource {
  std::string kind = "dice";  // "dice" | "beacon"
  std::int64_t min_digits = 20;
  std::string beacon;         // e.g. "drand-quicknet"
  std::int64_t round = 0;
  bool operator==(const EntropySource&) const = default;
};

Json EntropySourceToJson(const EntropySource& s);
Result<EntropySource> EntropySourceFromJson(const Json& j);  // also validates
Status ValidateEntropySource(const EntropySource& s);
// Errors: entropy.digits, entropy.length, entropy.hex.
Status ValidateEntropy(const EntropySource& source, std::string_view entropy);

inline std::string MakeSeed(std::string_view commitment_digest, std::string_view entropy) {
  return std::string(commitment_digest) + "|" + std::string(entropy);
}

}  // namespace suiji::sampler
