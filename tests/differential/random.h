// The differential tester's source of randomness: a seeded 64-bit Mersenne Twister with the
// few draws the generators need. Every round's schema and every query get their own
// stream, Random::For(seed, stream), so one query reproduces without replaying the run.
//
// Thread safety: none (one generator per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace tenantdb::differential {

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // A stream of its own for `stream` under `seed` (splitmix64 of both).
  static Random For(uint64_t seed, uint64_t stream) {
    uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return Random(z ^ (z >> 31));
  }

  // Uniform in [0, n); n > 0.
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(engine_); }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(engine_);
  }
  // True with probability `p`.
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(engine_) < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace tenantdb::differential
