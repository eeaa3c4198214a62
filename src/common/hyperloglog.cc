#include "common/hyperloglog.h"

#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>

namespace tenantdb {

HyperLogLog::HyperLogLog(int precision)
    : precision_(precision), registers_(size_t{1} << precision, 0) {
  assert(precision >= 4 && precision <= 18);
}

void HyperLogLog::Add(uint64_t hash) {
  const uint64_t index = hash >> (64 - precision_);
  // The rank of the first 1 bit in the remaining bits (their count + 1 when all are 0).
  const uint64_t rest = hash << precision_;
  const int rank = rest == 0 ? 64 - precision_ + 1 : std::countl_zero(rest) + 1;
  uint8_t& r = registers_[index];
  if (rank > r) r = static_cast<uint8_t>(rank);
}

double HyperLogLog::Estimate() const {
  const double m = static_cast<double>(registers_.size());
  double sum = 0;
  size_t zeros = 0;
  for (uint8_t r : registers_) {
    sum += std::ldexp(1.0, -r);
    zeros += r == 0 ? 1 : 0;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  const double raw = alpha * m * m / sum;
  // Small range: linear counting is far more accurate while registers remain empty.
  if (raw <= 2.5 * m && zeros > 0) return m * std::log(m / static_cast<double>(zeros));
  return raw;
}

uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t HashBytes64(std::string_view bytes, uint64_t seed) {
  uint64_t h = Mix64(seed ^ (bytes.size() * 0x9e3779b97f4a7c15ULL));
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = Mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
  }
  uint64_t tail = 0;
  for (size_t k = 0; i + k < bytes.size(); ++k)
    tail |= uint64_t{static_cast<uint8_t>(bytes[i + k])} << (8 * k);
  return Mix64(h ^ tail ^ 0x2545f4914f6cdd1dULL);
}

}  // namespace tenantdb
