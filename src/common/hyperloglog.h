// HyperLogLog: an estimate of how many distinct 64-bit hashes were added, in fixed
// memory (2^precision one-byte registers; 16 KiB at the default precision 14, for a
// standard error of about 1.04 / sqrt(2^14) = 0.8%). Small counts use linear counting
// (the fraction of empty registers), which is near exact up to a few thousand values.
// Flajolet et al., "HyperLogLog: the analysis of a near-optimal cardinality estimation
// algorithm" (2007), with the small-range correction of Heule et al. (2013).
//
// Callers hash their values well first (every bit of the hash is used). Thread safety:
// a value type; not for concurrent writers.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace tenantdb {

class HyperLogLog {
 public:
  explicit HyperLogLog(int precision = 14);

  void Add(uint64_t hash);
  double Estimate() const;

 private:
  int precision_;
  std::vector<uint8_t> registers_;
};

// A 64-bit hash of `bytes` good enough for HyperLogLog (every output bit depends on every
// input bit); `seed` separates kinds of values.
uint64_t HashBytes64(std::string_view bytes, uint64_t seed = 0);
// The final mix of MurmurHash3: a well-spread hash of one 64-bit word.
uint64_t Mix64(uint64_t x);

}  // namespace tenantdb
