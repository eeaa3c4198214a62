// RowCounts (storage/hot/row_counts.h): live rows per table and user slice, from the
// changes the hot store reports, on top of a persisted base.
#include "storage/hot/row_counts.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace tenantdb {
namespace {

TEST(RowCounts, NothingIsKnownBeforeTheBase) {
  RowCounts counts;
  counts.Add(7, "alice", 3);
  EXPECT_FALSE(counts.Get(7, "alice").has_value());
  EXPECT_FALSE(counts.HasBase(7));
}

TEST(RowCounts, AnEmptyPerUserTableCountsEverySliceExactly) {
  RowCounts counts;
  counts.Add(7, "alice", 3);  // written before anyone asked: kept as changes
  counts.Base(7, 0, 0);
  counts.Add(7, "bob", 2);
  counts.Add(7, "alice", -1);
  auto f = counts.Get(7, "alice");
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->known);
  EXPECT_EQ(f->rows, 4);
  EXPECT_EQ(f->users, 2);
  ASSERT_TRUE(f->slice.has_value());
  EXPECT_EQ(*f->slice, 2);
  EXPECT_EQ(*counts.Get(7, "carol")->slice, 0);
  // Bob deletes his last rows: one user fewer.
  counts.Add(7, "bob", -2);
  EXPECT_EQ(counts.Get(7, "")->users, 1);
  EXPECT_EQ(counts.Get(7, "")->rows, 2);
}

TEST(RowCounts, ANonEmptyBaseGivesChangesNotSlices) {
  RowCounts counts;
  counts.Base(7, 100, 10);
  counts.Add(7, "alice", 5);
  counts.Add(7, "newcomer", 1);
  auto f = counts.Get(7, "alice");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->rows, 106);
  EXPECT_EQ(f->users, 10);  // not exact: a flush or ANALYZE recounts users
  EXPECT_FALSE(f->slice.has_value());
  EXPECT_EQ(f->slice_delta, 5);
  counts.SetUsers(7, 11);
  EXPECT_EQ(counts.Get(7, "")->users, 11);
  // A second base (another loader that raced) changes nothing.
  counts.Base(7, 5, 1);
  EXPECT_EQ(counts.Get(7, "")->rows, 106);
}

TEST(RowCounts, SharedTablesHaveNoUsers) {
  RowCounts counts;
  counts.Base(3, 0, -1);
  counts.Add(3, "", 4);
  auto f = counts.Get(3, "");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->rows, 4);
  EXPECT_EQ(f->users, -1);
}

TEST(RowCounts, AnUnknownBaseStaysUnknownUntilReset) {
  RowCounts counts;
  counts.Base(9, -1, -1);
  counts.Add(9, "alice", 2);
  ASSERT_TRUE(counts.Get(9, "alice").has_value());
  EXPECT_FALSE(counts.Get(9, "alice")->known);
  std::vector<uint32_t> unbased;
  EXPECT_TRUE(counts.TakeDirty(&unbased).empty());  // nothing worth storing
  counts.Reset(9, 12, {{"alice", 2}, {"bob", 10}}, /*per_user=*/true);
  auto f = counts.Get(9, "bob");
  EXPECT_TRUE(f->known);
  EXPECT_EQ(f->rows, 12);
  EXPECT_EQ(f->users, 2);
  EXPECT_EQ(*f->slice, 10);
}

TEST(RowCounts, TakeDirtyReportsChangedTablesOnceAndAsksForMissingBases) {
  RowCounts counts;
  counts.Base(1, 0, 0);
  counts.Add(1, "a", 1);
  counts.Add(2, "a", 1);  // no base yet
  std::vector<uint32_t> unbased;
  auto dirty = counts.TakeDirty(&unbased);
  ASSERT_EQ(dirty.size(), 1u);
  EXPECT_EQ(dirty[0].first, 1u);
  EXPECT_EQ(dirty[0].second.rows, 1);
  EXPECT_EQ(unbased, std::vector<uint32_t>{2});
  EXPECT_TRUE(counts.TakeDirty(nullptr).empty());
  counts.MarkDirty(1);
  EXPECT_EQ(counts.TakeDirty(nullptr).size(), 1u);
  counts.Forget(1);
  EXPECT_FALSE(counts.Get(1, "").has_value());
}

TEST(RowCounts, TooManySlicesFallBackToChanges) {
  RowCounts counts;
  counts.Base(5, 0, 0);
  for (size_t i = 0; i < RowCounts::kMaxSlices; ++i)
    counts.Add(5, "u" + std::to_string(i), 1);
  EXPECT_EQ(counts.Get(5, "")->users, static_cast<int64_t>(RowCounts::kMaxSlices));
  counts.Add(5, "one-too-many", 1);
  auto f = counts.Get(5, "u1");
  EXPECT_EQ(f->rows, static_cast<int64_t>(RowCounts::kMaxSlices) + 1);
  EXPECT_FALSE(f->slice.has_value());  // estimated from the average from here on
}

TEST(RowCounts, ConcurrentWritersLoseNoChange) {
  RowCounts counts;
  counts.Base(4, 0, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&counts, t] {
      for (int i = 0; i < 1000; ++i)
        counts.Add(4, "user" + std::to_string(t), i % 3 == 2 ? -1 : 1);
    });
  }
  for (auto& th : threads)
    th.join();
  // Per thread: 1000 changes, 333 of them -1: 667 - 333 = 334.
  EXPECT_EQ(counts.Get(4, "")->rows, 4 * 334);
  EXPECT_EQ(*counts.Get(4, "user2")->slice, 334);
}

}  // namespace
}  // namespace tenantdb
