// MemoryTracker and MemoryReservation: hierarchical byte budgets (common/memory_tracker.h).
#include "common/memory_tracker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tenantdb {
namespace {

TEST(MemoryTracker, ReservesUpToTheLimitAndRefusesPastIt) {
  MemoryTracker t("statement_mem", 1000);
  EXPECT_TRUE(t.Reserve(600).ok());
  EXPECT_TRUE(t.Reserve(400).ok());
  Status s = t.Reserve(1);
  EXPECT_EQ(s.code(), ErrorCode::kOutOfMemory);
  EXPECT_EQ(s.sqlstate(), "53200");
  EXPECT_EQ(t.used(), 1000u);  // the refused request left nothing behind
  t.Release(1000);
  EXPECT_EQ(t.used(), 0u);
  EXPECT_EQ(t.peak(), 1000u);
}

TEST(MemoryTracker, ErrorNamesTheLimitAndHowToRaiseIt) {
  MemoryTracker t("statement_mem", 1 << 20, nullptr,
                  "raise it with SET statement_mem = '2MB' or the database option");
  Status s = t.Reserve(size_t{3} << 20);
  ASSERT_EQ(s.code(), ErrorCode::kOutOfMemory);
  const std::string message(s.message());
  EXPECT_NE(message.find("statement_mem (1MB)"), std::string::npos) << message;
  EXPECT_NE(message.find("SET statement_mem = '2MB'"), std::string::npos) << message;
}

TEST(MemoryTracker, ChildChargesItsParentAndTheParentLimitWins) {
  MemoryTracker global("global_mem", 1000, nullptr, "raise global_mem");
  MemoryTracker a("statement_mem", 800, &global);
  MemoryTracker b("statement_mem", 800, &global);
  EXPECT_TRUE(a.Reserve(700).ok());
  EXPECT_EQ(global.used(), 700u);
  // b is within its own limit but the global one is not.
  Status s = b.Reserve(400);
  ASSERT_EQ(s.code(), ErrorCode::kOutOfMemory);
  EXPECT_NE(std::string(s.message()).find("global_mem"), std::string::npos);
  EXPECT_EQ(b.used(), 0u);  // rolled back at the child too
  EXPECT_EQ(global.used(), 700u);
  // a's own limit refuses before the global is asked.
  s = a.Reserve(200);
  ASSERT_EQ(s.code(), ErrorCode::kOutOfMemory);
  EXPECT_NE(std::string(s.message()).find("statement_mem"), std::string::npos);
  EXPECT_EQ(global.used(), 700u);
  a.Release(700);
  EXPECT_EQ(global.used(), 0u);
}

TEST(MemoryTracker, ZeroLimitIsUnlimited) {
  MemoryTracker t("global_mem", 0);
  EXPECT_TRUE(t.Reserve(size_t{1} << 40).ok());
  t.Release(size_t{1} << 40);
}

TEST(MemoryReservation, ResizeMovesTheChargeAndDestructionReleasesIt) {
  MemoryTracker global("global_mem", 0);
  MemoryTracker t("statement_mem", 1000, &global);
  {
    MemoryReservation r(&t);
    EXPECT_TRUE(r.Resize(300).ok());
    EXPECT_EQ(t.used(), 300u);
    EXPECT_TRUE(r.Grow(200).ok());
    EXPECT_EQ(t.used(), 500u);
    EXPECT_TRUE(r.Resize(100).ok());
    EXPECT_EQ(t.used(), 100u);
    // A refused resize keeps the old total.
    EXPECT_EQ(r.Resize(2000).code(), ErrorCode::kOutOfMemory);
    EXPECT_EQ(r.bytes(), 100u);
    EXPECT_EQ(t.used(), 100u);
    MemoryReservation moved = std::move(r);
    EXPECT_EQ(r.bytes(), 0u);
    EXPECT_EQ(moved.bytes(), 100u);
    EXPECT_EQ(t.used(), 100u);
  }
  EXPECT_EQ(t.used(), 0u);
  EXPECT_EQ(global.used(), 0u);
}

TEST(MemoryTracker, ConcurrentReservationsNeverPassTheLimitAndBalanceToZero) {
  MemoryTracker global("global_mem", 64 * 1000);
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      MemoryTracker statement("statement_mem", 32 * 1000, &global);
      for (int round = 0; round < 2000; ++round) {
        MemoryReservation r(&statement);
        for (int step = 1; step <= 40; ++step) {
          if (!r.Resize(static_cast<size_t>(step) * 1000).ok()) {
            ++refused;
            break;
          }
          ASSERT_LE(global.used(), global.limit());
        }
      }
      EXPECT_EQ(statement.used(), 0u);
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(global.used(), 0u);
  EXPECT_LE(global.peak(), global.limit());
  EXPECT_GT(refused.load(), 0);  // 40 steps of 1000 pass statement_mem every round
}

TEST(MemoryTracker, FormatsSettingsInPostgresUnits) {
  EXPECT_EQ(FormatMemorySetting(256u << 20), "256MB");
  EXPECT_EQ(FormatMemorySetting(size_t{1} << 30), "1GB");
  EXPECT_EQ(FormatMemorySetting(64u << 10), "64kB");
  EXPECT_EQ(FormatMemorySetting(1500), "1500B");
  EXPECT_EQ(FormatMemorySetting(1536u << 20), "1536MB");
}

TEST(MemoryTracker, PhysicalMemoryIsPlausible) {
  EXPECT_GE(PhysicalMemoryBytes(), size_t{64} << 20);
}

}  // namespace
}  // namespace tenantdb
