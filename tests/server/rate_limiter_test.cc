#include "server/auth/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tenantdb::server {
namespace {

TEST(RateLimiter, NewKeyStartsWithAFullBurst) {
  ManualClock clock;
  RateLimiter limiter({/*rate_per_second=*/1, /*burst=*/3, /*max_keys=*/100}, &clock);
  EXPECT_TRUE(limiter.Acquire("user:alice").allowed);
  EXPECT_TRUE(limiter.Acquire("user:alice").allowed);
  EXPECT_TRUE(limiter.Acquire("user:alice").allowed);
  const RateLimiter::Decision refused = limiter.Acquire("user:alice");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_micros, 1'000'000);
}

TEST(RateLimiter, KeysAreIndependent) {
  ManualClock clock;
  RateLimiter limiter({1, 1, 100}, &clock);
  EXPECT_TRUE(limiter.Acquire("user:alice").allowed);
  EXPECT_FALSE(limiter.Acquire("user:alice").allowed);
  EXPECT_TRUE(limiter.Acquire("user:bob").allowed);
  EXPECT_TRUE(limiter.Acquire("addr:10.0.0.1").allowed);
}

TEST(RateLimiter, RefillsAtTheRateUpToTheBurst) {
  ManualClock clock;
  // 10 failed logins per minute.
  RateLimiter limiter({10.0 / 60, 10, 100}, &clock);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(limiter.Acquire("user:alice").allowed) << i;
  const RateLimiter::Decision refused = limiter.Acquire("user:alice");
  ASSERT_FALSE(refused.allowed);
  EXPECT_NEAR(refused.retry_after_micros, 6'000'000, 1);
  clock.AdvanceSeconds(5);
  EXPECT_FALSE(limiter.Acquire("user:alice").allowed);
  clock.AdvanceSeconds(1);  // 6 s: one token back
  EXPECT_TRUE(limiter.Acquire("user:alice").allowed);
  EXPECT_FALSE(limiter.Acquire("user:alice").allowed);
  // A long pause refills to the burst, not beyond.
  clock.AdvanceSeconds(3600);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(limiter.Acquire("user:alice").allowed) << i;
  EXPECT_FALSE(limiter.Acquire("user:alice").allowed);
}

TEST(RateLimiter, RefusedAttemptsTakeNothing) {
  ManualClock clock;
  RateLimiter limiter({1, 1, 100}, &clock);
  ASSERT_TRUE(limiter.Acquire("k").allowed);
  clock.Advance(500'000);
  for (int i = 0; i < 100; ++i)
    ASSERT_FALSE(limiter.Acquire("k").allowed);
  clock.Advance(500'000);
  EXPECT_TRUE(limiter.Acquire("k").allowed);
}

TEST(RateLimiter, CostAboveTheBurstIsNeverAllowed) {
  ManualClock clock;
  RateLimiter limiter({100, 5, 100}, &clock);
  const RateLimiter::Decision d = limiter.Acquire("k", 6);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_micros, INT64_MAX);
  EXPECT_TRUE(limiter.Acquire("k", 5).allowed);
}

TEST(RateLimiter, WouldAllowTakesNothingAndResetForgives) {
  ManualClock clock;
  RateLimiter limiter({1, 2, 100}, &clock);
  EXPECT_TRUE(limiter.WouldAllow("user:alice"));
  EXPECT_EQ(limiter.KeyCount(), 0u);
  ASSERT_TRUE(limiter.Acquire("user:alice").allowed);
  ASSERT_TRUE(limiter.Acquire("user:alice").allowed);
  EXPECT_FALSE(limiter.WouldAllow("user:alice"));
  limiter.Reset("user:alice");
  EXPECT_TRUE(limiter.WouldAllow("user:alice"));
  EXPECT_TRUE(limiter.Acquire("user:alice").allowed);
}

TEST(RateLimiter, KeyTableStaysBoundedUnderAFloodOfNewKeys) {
  ManualClock clock;
  RateLimiter limiter({1, 5, 64}, &clock);
  for (int i = 0; i < 10'000; ++i) {
    limiter.Acquire("user:" + std::to_string(i));
    ASSERT_LE(limiter.KeyCount(), 64u) << i;
  }
  EXPECT_GT(limiter.KeyCount(), 0u);
}

TEST(RateLimiter, IdleKeysAreDroppedBeforeLimitedOnes) {
  ManualClock clock;
  RateLimiter limiter({1, 2, 128}, &clock);
  // Many keys used once, then idle long enough to refill: they carry no information.
  for (int i = 0; i < 1000; ++i)
    limiter.Acquire("idle:" + std::to_string(i));
  ASSERT_LE(limiter.KeyCount(), 128u);
  clock.AdvanceSeconds(10);
  // mallory is being limited now.
  ASSERT_TRUE(limiter.Acquire("user:mallory").allowed);
  ASSERT_TRUE(limiter.Acquire("user:mallory").allowed);
  ASSERT_FALSE(limiter.Acquire("user:mallory").allowed);
  // New keys make room by dropping the idle ones, never mallory's.
  for (int i = 0; i < 16; ++i)
    limiter.Acquire("new:" + std::to_string(i));
  EXPECT_FALSE(limiter.WouldAllow("user:mallory"));
  EXPECT_LE(limiter.KeyCount(), 128u);
}

TEST(RateLimiter, LongestUntouchedKeysAreEvictedWhenNoneIsIdle) {
  ManualClock clock;
  // Refills so slowly that no bucket becomes idle during the test.
  RateLimiter limiter({0.001, 2, 128}, &clock);
  ASSERT_TRUE(limiter.Acquire("old").allowed);
  ASSERT_TRUE(limiter.Acquire("old").allowed);
  ASSERT_FALSE(limiter.WouldAllow("old"));
  for (int i = 0; i < 2000; ++i) {
    clock.Advance(1000);
    const std::string key = "drained:" + std::to_string(i);
    limiter.Acquire(key);
    limiter.Acquire(key);
    ASSERT_LE(limiter.KeyCount(), 128u) << i;
  }
  // The oldest key was forgotten (its limit forgiven); the newest is still limited.
  EXPECT_TRUE(limiter.WouldAllow("old"));
  EXPECT_FALSE(limiter.WouldAllow("drained:1999"));
}

TEST(RateLimiter, ConcurrentAcquiresNeverOverspend) {
  ManualClock clock;  // frozen: no refill during the test
  RateLimiter limiter({1, 1000, 1000}, &clock);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (limiter.Acquire("shared").allowed) allowed.fetch_add(1);
        limiter.Acquire("own:" + std::to_string(i));
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(allowed.load(), 1000);
}

TEST(RateLimiter, OptionsOutOfRangeAreClamped) {
  ManualClock clock;
  RateLimiter limiter({0, 0, 0}, &clock);
  EXPECT_GE(limiter.options().burst, 1.0);
  EXPECT_GT(limiter.options().rate_per_second, 0.0);
  EXPECT_GE(limiter.options().max_keys, 1u);
  EXPECT_TRUE(limiter.Acquire("k").allowed);
  EXPECT_FALSE(limiter.Acquire("k").allowed);
}

}  // namespace
}  // namespace tenantdb::server
