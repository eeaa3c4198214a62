// HyperLogLog (common/hyperloglog.h): distinct counts within the estimator's error.
#include "common/hyperloglog.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace tenantdb {
namespace {

double CountOf(uint64_t distinct, int repeats) {
  HyperLogLog hll;
  for (int r = 0; r < repeats; ++r) {
    for (uint64_t i = 0; i < distinct; ++i)
      hll.Add(Mix64(i));
  }
  return hll.Estimate();
}

TEST(HyperLogLog, EmptyIsZero) {
  EXPECT_EQ(HyperLogLog().Estimate(), 0);
}

TEST(HyperLogLog, SmallCountsAreNearExact) {
  // Linear counting: at 1000 values in 16384 registers the expected error is ~0.2%.
  EXPECT_NEAR(CountOf(1, 3), 1, 0.01);
  EXPECT_NEAR(CountOf(10, 5), 10, 0.1);
  EXPECT_NEAR(CountOf(1000, 2), 1000, 10);
}

TEST(HyperLogLog, LargeCountsStayWithinFourStandardErrors) {
  // Standard error 1.04 / sqrt(16384) = 0.81%.
  for (uint64_t n : {50'000ULL, 300'000ULL}) {
    const double estimate = CountOf(n, 1);
    EXPECT_LT(std::abs(estimate - double(n)) / double(n), 4 * 0.0081) << n << ": " << estimate;
  }
}

TEST(HyperLogLog, HashBytesSeparatesContentAndSeed) {
  EXPECT_NE(HashBytes64("abc"), HashBytes64("abd"));
  EXPECT_NE(HashBytes64("abc", 1), HashBytes64("abc", 2));
  EXPECT_NE(HashBytes64(std::string(9, 'x')), HashBytes64(std::string(10, 'x')));
  EXPECT_EQ(HashBytes64("same"), HashBytes64(std::string("same")));
  HyperLogLog hll;
  for (int i = 0; i < 5000; ++i)
    hll.Add(HashBytes64("value-" + std::to_string(i % 2500)));
  EXPECT_NEAR(hll.Estimate(), 2500, 2500 * 0.03);
}

}  // namespace
}  // namespace tenantdb
