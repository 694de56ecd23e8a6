// Rng: the generator's only source of randomness. Deterministic for a seed on every platform and
// Boost version: it uses the raw 64-bit output of boost::random::mt19937_64 (fixed by its
// specification) and maps it to ranges itself, never through a library distribution.
#pragma once
#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <vector>

namespace suiji::gen {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t Next() { return engine_(); }
  // Uniform in [0, n) by rejection (no modulo bias); n > 0.
  std::uint64_t Below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      std::uint64_t x = engine_();
      if (x >= threshold) return x % n;
    }
  }
  // True with probability per_mille / 1000.
  bool PerMille(unsigned per_mille) { return Below(1000) < per_mille; }
  template <typename T>
  const T& Pick(const std::vector<T>& xs) { return xs[Below(xs.size())]; }

 private:
  boost::random::mt19937_64 engine_;
};

}  // namespace suiji::gen
