// TpchRandom: the deterministic random source of the TPC-H generator (tpch_generator.h).
// A SplitMix64 stream: small, fast, and the same numbers on every platform and compiler
// (std::uniform_int_distribution is implementation-defined, so it is not used). Each
// table draws from its own stream, seeded from the user's seed and the table's number,
// so a table's rows do not depend on which other tables were generated.
//
// Thread safety: one thread per object.
#pragma once

#include <cstdint>

namespace tenantdb::cli::tpch {

class TpchRandom {
 public:
  TpchRandom(uint64_t seed, uint64_t stream) : state_(seed * 0x9E3779B97F4A7C15ull + stream) {
    Next();  // mixes the seed into the first state
  }

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [lo, hi] (both inclusive; lo <= hi). The modulo bias is below 2^-40 for
  // every range the generator uses (at most a few billion values).
  int64_t Uniform(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(Next() % span);
  }

 private:
  uint64_t state_;
};

}  // namespace tenantdb::cli::tpch
