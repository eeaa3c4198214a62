// The HotUserCache on its own, and HotStore reads through it checked against a HotStore
// without it on the same RocksDB: every scan shape (bounds, limit, top-N, projection)
// after random writes, reads racing writes, and invalidation by flush-style deletes,
// DROP TABLE and schema versions. Users with more rows than a whole entry may hold
// (user_cache_max_rows) get tail entries from newest-N reads: their reads of every shape
// and point reads are checked the same way.
#include "storage/hot/hot_user_cache.h"

#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "storage/hot/hot_store.h"

namespace tenantdb {
namespace {

std::shared_ptr<HotUserCache::Entry> EntryOf(uint32_t version, size_t rows) {
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{{"id", DataType::kBigInt, false, true, ""}}, SchemaMetadata{});
  auto entry = std::make_shared<HotUserCache::Entry>();
  entry->schema_version = version;
  entry->rows = std::make_unique<Batch>(schema);
  for (size_t i = 0; i < rows; ++i) {
    EXPECT_TRUE(entry->rows->AppendRow({Value::BigInt(static_cast<int64_t>(i))}).ok());
    entry->keys.push_back(std::to_string(i));
  }
  return entry;
}

TEST(HotUserCacheTest, FindsWhatWasInsertedForItsSchemaVersionOnly) {
  HotUserCache cache(1 << 20, 100);
  EXPECT_EQ(cache.Find(7, "alice", 1), nullptr);
  cache.Insert(7, "alice", cache.Generation(7, "alice"), EntryOf(1, 3));
  auto hit = cache.Find(7, "alice", 1);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->rows->num_rows(), 3u);
  EXPECT_EQ(cache.Find(7, "alice", 2), nullptr);  // another schema version
  EXPECT_EQ(cache.Find(7, "bob", 1), nullptr);
  EXPECT_EQ(cache.Find(8, "alice", 1), nullptr);
  const HotUserCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 4u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_GT(stats.bytes, 0u);
}

TEST(HotUserCacheTest, AFillThatRacedAWriteIsNotKept) {
  HotUserCache cache(1 << 20, 100);
  const uint64_t generation = cache.Generation(7, "alice");
  cache.Invalidate(7, "alice");  // a write landed while the fill was reading
  cache.Insert(7, "alice", generation, EntryOf(1, 3));
  EXPECT_EQ(cache.Find(7, "alice", 1), nullptr);
  EXPECT_EQ(cache.stats().rejected_fills, 1u);

  const uint64_t table_generation = cache.Generation(7, "alice");
  cache.InvalidateTable(7);
  cache.Insert(7, "alice", table_generation, EntryOf(1, 3));
  EXPECT_EQ(cache.Find(7, "alice", 1), nullptr);
}

TEST(HotUserCacheTest, InvalidationDropsEntries) {
  HotUserCache cache(1 << 20, 100);
  for (const char* user : {"alice", "bob"}) {
    cache.Insert(7, user, cache.Generation(7, user), EntryOf(1, 2));
    cache.Insert(9, user, cache.Generation(9, user), EntryOf(1, 2));
  }
  cache.Invalidate(7, "alice");
  EXPECT_EQ(cache.Find(7, "alice", 1), nullptr);
  EXPECT_NE(cache.Find(7, "bob", 1), nullptr);
  cache.InvalidateTable(9);
  EXPECT_EQ(cache.Find(9, "alice", 1), nullptr);
  EXPECT_EQ(cache.Find(9, "bob", 1), nullptr);
  EXPECT_NE(cache.Find(7, "bob", 1), nullptr);
}

TEST(HotUserCacheTest, AWriteTurnsATailIntoAMarkerAndKeepsMarkersUntilARecheck) {
  HotUserCache cache(1 << 20, 100);
  auto tail = EntryOf(1, 3);
  tail->complete = false;
  cache.Insert(7, "big", cache.Generation(7, "big"), tail);
  ASSERT_NE(cache.Find(7, "big", 1), nullptr);
  cache.Invalidate(7, "big");
  auto marker = cache.Find(7, "big", 1);
  ASSERT_NE(marker, nullptr);  // still known to be too big for a whole entry
  EXPECT_EQ(marker->rows, nullptr);
  EXPECT_EQ(marker->writes_since_made, 1u);
  for (uint32_t i = 1; i + 1 < HotUserCache::kMarkerRecheckWrites; ++i)
    cache.Invalidate(7, "big");
  ASSERT_NE(cache.Find(7, "big", 1), nullptr);
  cache.Invalidate(7, "big");  // the recheck: the next read counts the user's rows again
  EXPECT_EQ(cache.Find(7, "big", 1), nullptr);
}

TEST(HotUserCacheTest, StaysWithinItsBudgetByEvictingTheLeastRecentlyUsed) {
  const size_t budget = 256 << 10;
  HotUserCache cache(budget, 100'000);
  for (int i = 0; i < 400; ++i) {
    const std::string user = "user" + std::to_string(i);
    cache.Insert(1, user, cache.Generation(1, user), EntryOf(1, 100));
  }
  const HotUserCache::Stats stats = cache.stats();
  EXPECT_LE(stats.bytes, budget);
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_GT(stats.entries, 0u);
  EXPECT_NE(cache.Find(1, "user399", 1), nullptr);  // the newest survives
  EXPECT_EQ(cache.Find(1, "user0", 1), nullptr);
}

// The budget is the cache's, not each shard's: entries that together fit are all kept,
// however they hash. (With a budget per shard, 18 entries of 1/20 of the cache each
// evicted one another at 90 % of it: 18 users in 16 shards put two in one shard.)
TEST(HotUserCacheTest, EntriesThatFitTogetherAreAllKeptHoweverTheyHash) {
  const size_t entry_bytes = [] {
    HotUserCache probe(1 << 30, 100'000);
    probe.Insert(1, "u", probe.Generation(1, "u"), EntryOf(1, 100));
    return probe.stats().bytes;
  }();
  const size_t budget = entry_bytes * 20;
  HotUserCache cache(budget, 100'000);
  for (int i = 0; i < 18; ++i) {
    const std::string user = "user" + std::to_string(i);
    cache.Insert(1, user, cache.Generation(1, user), EntryOf(1, 100));
  }
  HotUserCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.evictions, 0u);
  EXPECT_EQ(stats.entries, 18u);
  for (int i = 0; i < 18; ++i)
    EXPECT_NE(cache.Find(1, "user" + std::to_string(i), 1), nullptr) << i;

  // Past the budget, the least recently used go, and the cache stays within it.
  for (int i = 18; i < 60; ++i) {
    const std::string user = "user" + std::to_string(i);
    cache.Insert(1, user, cache.Generation(1, user), EntryOf(1, 100));
  }
  stats = cache.stats();
  EXPECT_LE(stats.bytes, budget);
  EXPECT_EQ(stats.entries, 20u);  // entries of one size: the budget holds exactly 20
  EXPECT_EQ(stats.evictions, 40u);
  EXPECT_NE(cache.Find(1, "user59", 1), nullptr);
}

TEST(HotUserCacheTest, UncachedPointReadsEarnAFillUntilAWriteResetsThem) {
  HotUserCache cache(1 << 20, 10, 1000);
  const size_t rows = 160;  // a fill every 160 / kScanRowsPerPointRead reads
  const size_t every = rows / HotUserCache::kScanRowsPerPointRead;
  for (size_t i = 1; i < every; ++i)
    EXPECT_FALSE(cache.NoteUncachedPointRead(7, "alice", rows)) << i;
  cache.Invalidate(7, "alice");  // a write: the reads so far paid for nothing
  for (size_t i = 1; i < every; ++i)
    EXPECT_FALSE(cache.NoteUncachedPointRead(7, "alice", rows)) << i;
  EXPECT_TRUE(cache.NoteUncachedPointRead(7, "alice", rows));
  EXPECT_EQ(cache.stats().earned_fills, 1u);
  // Above the earned limit, never.
  for (int i = 0; i < 1000; ++i)
    EXPECT_FALSE(cache.NoteUncachedPointRead(7, "bob", 1001));
}

TEST(HotUserCacheTest, CapacityZeroCachesNothing) {
  HotUserCache cache(0, 100);
  EXPECT_FALSE(cache.enabled());
  cache.Insert(1, "a", cache.Generation(1, "a"), EntryOf(1, 1));
  EXPECT_EQ(cache.Find(1, "a", 1), nullptr);
}

// ---- HotStore through the cache vs without it ------------------------------------------

// (a INT, b BIGINT, c BIGINT NULL, t TEXT NULL), PRIMARY KEY (a, b)
std::shared_ptr<const Schema> WideSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"a", DataType::kInt, false, true, ""},
                                                     {"b", DataType::kBigInt, false, true, ""},
                                                     {"c", DataType::kBigInt, true, false, ""},
                                                     {"t", DataType::kText, true, false, ""}},
                                  SchemaMetadata{});
}

class CachedHotStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tenantdb-usercache-" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    kv_ = KvStore::Open(dir_).value();
    HotStore::Options cached;
    cached.user_cache_bytes = 8 << 20;
    cached.user_cache_max_rows = 64;
    cached_ = std::make_unique<HotStore>(kv_.get(), std::move(cached));
    // A table counted from empty: exact rows per user (what earned fills are sized by).
    cached_->row_counts().Base(table_.table_number(), 0, 0);
    plain_ = std::make_unique<HotStore>(kv_.get());
    table_ = HotTable::Make(3, TableType::kUser, 1, WideSchema(), {}).value();
  }
  void TearDown() override {
    cached_.reset();
    plain_.reset();
    kv_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::vector<std::vector<Value>> Rows(const Result<std::vector<Batch>>& batches) {
    std::vector<std::vector<Value>> out;
    EXPECT_TRUE(batches.ok()) << batches.status().ToString();
    if (!batches.ok()) return out;
    for (const Batch& b : *batches) {
      for (size_t r = 0; r < b.num_rows(); ++r)
        out.push_back(b.GetRow(r));
    }
    return out;
  }

  // One row (a, b, 5, t) of `user`, written through the cached store.
  Status InsertOne(const UserId& user, int32_t a, int64_t b, const std::string& t) {
    return cached_->ApplyBatch(
        table_, &user,
        {HotWrite::Insert({Value::Int(a), Value::BigInt(b), Value::BigInt(5), Value::Text(t)})});
  }

  // Rows (a, 0..n-1, b, t) of `user` in one batch, written through the cached store.
  Status InsertRows(const UserId& user, int32_t a, int64_t n, const std::string& t = "x") {
    std::vector<HotWrite> writes;
    for (int64_t b = 0; b < n; ++b)
      writes.push_back(
          HotWrite::Insert({Value::Int(a), Value::BigInt(b), Value::BigInt(b), Value::Text(t)}));
    return cached_->ApplyBatch(table_, &user, writes);
  }

  // Point reads of `key` (each checked by CheckPointRead) until the cache answers one:
  // how many it took (0: none of `limit`).
  size_t ReadsUntilAnswered(const UserId& user, const std::vector<Value>& key,
                            size_t limit = 1000) {
    for (size_t reads = 1; reads <= limit; ++reads) {
      size_t answered = 0;
      CheckPointRead(user, key, &answered);
      if (answered > 0 || ::testing::Test::HasFatalFailure()) return reads;
    }
    return 0;
  }

  // The cache answers a point read of `key` with a live row whose `t` is `text`.
  void ExpectCachedText(const UserId& user, const std::vector<Value>& key,
                        const std::string& text) {
    auto row = cached_->CachedRow(table_, &user, key);
    ASSERT_TRUE(row.ok() && row->has_value() && (*row)->has_value());
    EXPECT_EQ((***row)[3], Value::Text(text));
  }

  // A point read through the cache agrees with RocksDB's version of the key when the
  // cache answers at all; `*hits` counts the answers.
  void CheckPointRead(const UserId& user, const std::vector<Value>& key, size_t* hits) {
    auto cached_row = cached_->CachedRow(table_, &user, key);
    ASSERT_TRUE(cached_row.ok()) << cached_row.status().ToString();
    auto version = plain_->GetVersion(table_, &user, key);
    ASSERT_TRUE(version.ok());
    if (!cached_row->has_value()) return;
    ++*hits;
    if ((*cached_row)->has_value()) {
      ASSERT_TRUE(version->has_value() && !(*version)->is_tombstone());
      ASSERT_EQ(**cached_row, (*version)->values);
    } else {
      ASSERT_TRUE(!version->has_value() || (*version)->is_tombstone());
    }
  }

  // ORDER BY a DESC, b DESC LIMIT n: the primary key, newest first (what leaves a tail).
  static HotScanOptions NewestRows(size_t n) {
    HotScanOptions options;
    options.top_n = n;
    options.order = {HotSortKey{0, true, false}, HotSortKey{1, true, false}};
    return options;
  }

  std::string dir_;
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<HotStore> cached_, plain_;
  HotTable table_ = HotTable::Make(3, TableType::kUser, 1, WideSchema(), {}).value();
};

TEST_F(CachedHotStoreTest, EveryScanShapeMatchesTheUncachedStoreAfterRandomWrites) {
  std::mt19937_64 rng(42);
  const std::vector<UserId> users = {UserId::Make("alice").value(), UserId::Make("bob").value(),
                                     UserId::Make("carol").value()};
  auto random_row = [&](int32_t a, int64_t b) {
    std::vector<Value> row = {Value::Int(a), Value::BigInt(b), Value::Null(DataType::kBigInt),
                              Value::Null(DataType::kText)};
    if (rng() % 4 != 0) row[2] = Value::BigInt(static_cast<int64_t>(rng() % 7));
    if (rng() % 5 != 0) row[3] = Value::Text("t" + std::to_string(rng() % 5));
    return row;
  };
  size_t hits_before = 0;
  size_t point_hits = 0;
  for (int round = 0; round < 400; ++round) {
    const UserId& user = users[rng() % users.size()];
    // A write through the cached store (the one that invalidates).
    std::vector<HotWrite> writes;
    const int n = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < n; ++i) {
      const auto a = static_cast<int32_t>(rng() % 3);
      const auto b = static_cast<int64_t>(rng() % 12);
      if (rng() % 5 == 0) {
        writes.push_back(HotWrite::Delete({Value::Int(a), Value::BigInt(b)}));
      } else {
        writes.push_back(HotWrite::Upsert(random_row(a, b)));
      }
    }
    ASSERT_TRUE(cached_->ApplyBatch(table_, &user, writes).ok());

    // A few reads of random shapes, each compared with the uncached store.
    for (int q = 0; q < 4; ++q) {
      const UserId& reader = users[rng() % users.size()];
      HotScanOptions options;
      if (rng() % 2 == 0) {
        const auto a = static_cast<int32_t>(rng() % 3);
        HotKeyBound lower{{Value::Int(a)}, rng() % 3 != 0};
        if (rng() % 2 == 0) lower.key.push_back(Value::BigInt(static_cast<int64_t>(rng() % 12)));
        options.lower = lower;
      }
      if (rng() % 2 == 0) {
        const auto a = static_cast<int32_t>(rng() % 3);
        HotKeyBound upper{{Value::Int(a)}, rng() % 3 != 0};
        if (rng() % 2 == 0) upper.key.push_back(Value::BigInt(static_cast<int64_t>(rng() % 12)));
        options.upper = upper;
      }
      switch (rng() % 3) {
        case 0:
          break;
        case 1:
          options.limit = 1 + rng() % 5;
          break;
        case 2: {
          options.top_n = 1 + rng() % 6;
          options.order.push_back(HotSortKey{2 + rng() % 2, rng() % 2 == 0, rng() % 2 == 0});
          if (rng() % 2 == 0) options.order.push_back(HotSortKey{1, rng() % 2 == 0, false});
          break;
        }
      }
      if (rng() % 3 == 0) options.wanted = {true, true, rng() % 2 == 0, rng() % 2 == 0};
      const auto want = Rows(plain_->Scan(table_, &reader, options, 3));
      const auto got = Rows(cached_->Scan(table_, &reader, options, 3));
      ASSERT_EQ(got, want) << "round " << round << " query " << q;

      // A point read of a random key: the cached answer agrees with RocksDB's version.
      const std::vector<Value> key = {Value::Int(static_cast<int32_t>(rng() % 3)),
                                      Value::BigInt(static_cast<int64_t>(rng() % 12))};
      ASSERT_NO_FATAL_FAILURE(CheckPointRead(reader, key, &point_hits));
    }
  }
  hits_before = cached_->user_cache_stats().hits;
  EXPECT_GT(hits_before, 100u);  // the comparison really went through the cache
  EXPECT_GT(cached_->user_cache_stats().invalidations, 100u);
  EXPECT_GT(point_hits, 100u);
}

TEST_F(CachedHotStoreTest, ARunOfPointReadsFillsTheUsersEntry) {
  const UserId alice = UserId::Make("alice").value();
  for (int64_t b = 0; b < 10; ++b)
    ASSERT_TRUE(InsertOne(alice, 1, b, "v" + std::to_string(b)).ok());
  const std::vector<Value> key = {Value::Int(1), Value::BigInt(3)};
  size_t answered = 0;
  // The first reads of a user without an entry go to RocksDB; the kPointReadsPerFill-th
  // fills the entry, and it answers from then on.
  EXPECT_EQ(ReadsUntilAnswered(alice, key), HotUserCache::kPointReadsPerFill);
  EXPECT_EQ(cached_->user_cache_stats().fills, 1u);
  ASSERT_NO_FATAL_FAILURE(CheckPointRead(alice, {Value::Int(1), Value::BigInt(99)}, &answered));
  EXPECT_EQ(answered, 1u);  // absent, and the entry says so
  // A write empties the entry; reads stay right, and a later run fills it again.
  ASSERT_TRUE(cached_
                  ->ApplyBatch(table_, &alice,
                               {HotWrite::Upsert({Value::Int(1), Value::BigInt(3), Value::BigInt(9),
                                                  Value::Text("new")})})
                  .ok());
  for (uint32_t i = 0; i < 2 * HotUserCache::kPointReadsPerFill; ++i)
    ASSERT_NO_FATAL_FAILURE(CheckPointRead(alice, key, &answered));
  EXPECT_GE(cached_->user_cache_stats().fills, 2u);
  ExpectCachedText(alice, key, "new");
}

TEST_F(CachedHotStoreTest, AUserWithTooManyRowsIsReadFromRocksDb) {
  const UserId big = UserId::Make("big").value();
  ASSERT_TRUE(InsertRows(big, 1, 100).ok());  // above user_cache_max_rows (64)
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Rows(cached_->Scan(table_, &big, {})).size(), 100u);
  EXPECT_EQ(cached_->user_cache_stats().hits, 2u);  // the "too many" marker was found
  // The marker holds no rows and no room for them: it is charged as an empty entry, not
  // as the 64 keys its fill read before it gave up.
  EXPECT_EQ(cached_->user_cache_stats().entries, 1u);
  EXPECT_LT(cached_->user_cache_stats().bytes, 64 * sizeof(std::string));
  // Deleting rows below the cap: reads stay right (the marker stays until its recheck).
  std::vector<HotWrite> writes;
  for (int64_t b = 0; b < 50; ++b)
    writes.push_back(HotWrite::Delete({Value::Int(1), Value::BigInt(b)}));
  ASSERT_TRUE(cached_->ApplyBatch(table_, &big, writes).ok());
  EXPECT_EQ(Rows(cached_->Scan(table_, &big, {})).size(), 50u);
  EXPECT_EQ(Rows(cached_->Scan(table_, &big, {})).size(), 50u);
}

TEST_F(CachedHotStoreTest, PointReadsOfABigUserEarnItsWholeEntry) {
  const UserId big = UserId::Make("big").value();
  ASSERT_TRUE(InsertRows(big, 1, 200).ok());  // above user_cache_max_rows (64)
  const size_t every = 200 / HotUserCache::kScanRowsPerPointRead;
  // The marker (made by the kPointReadsPerFill-th read), then `every` reads through
  // RocksDB: the last of them pays for a fill of all 200 rows.
  size_t answered = 0, reads = 0;
  while (answered == 0 && reads < 10 * every) {
    ASSERT_NO_FATAL_FAILURE(CheckPointRead(
        big, {Value::Int(1), Value::BigInt(static_cast<int64_t>(reads % 220))}, &answered));
    ++reads;
  }
  EXPECT_EQ(reads, HotUserCache::kPointReadsPerFill + every - 1);
  EXPECT_EQ(cached_->user_cache_stats().earned_fills, 1u);
  for (int64_t b = 0; b < 220; ++b)  // every key from memory, the absent ones too
    ASSERT_NO_FATAL_FAILURE(CheckPointRead(big, {Value::Int(1), Value::BigInt(b)}, &answered));
  EXPECT_EQ(answered, 221u);
  EXPECT_EQ(Rows(cached_->Scan(table_, &big, {})), Rows(plain_->Scan(table_, &big, {})));

  // A write turns the entry back into a marker (the user still has too many rows for an
  // unearned fill); reads are right meanwhile, and earn the entry again.
  ASSERT_TRUE(cached_
                  ->ApplyBatch(table_, &big,
                               {HotWrite::Upsert({Value::Int(1), Value::BigInt(7), Value::BigInt(0),
                                                  Value::Text("new")})})
                  .ok());
  const std::vector<Value> seven = {Value::Int(1), Value::BigInt(7)};
  EXPECT_EQ(ReadsUntilAnswered(big, seven), every);
  EXPECT_EQ(cached_->user_cache_stats().earned_fills, 2u);
  ExpectCachedText(big, seven, "new");
}

TEST_F(CachedHotStoreTest, ABigUserOfASkewedTableIsPricedByTheRowsItWasSeenToHave) {
  // 100 rows over 50 users on record: an average of 2, far below this user's 200.
  HotStore::Options options;
  options.user_cache_bytes = 8 << 20;
  options.user_cache_max_rows = 64;
  HotStore skewed(kv_.get(), std::move(options));
  skewed.row_counts().Base(table_.table_number(), 100, 50);
  const UserId big = UserId::Make("big").value();
  ASSERT_TRUE(InsertRows(big, 1, 200).ok());
  const std::vector<Value> key = {Value::Int(1), Value::BigInt(5)};
  auto reads_until_answered = [&] {
    for (size_t reads = 1; reads <= 1000; ++reads) {
      auto row = skewed.CachedRow(table_, &big, key);
      EXPECT_TRUE(row.ok());
      if (!row.ok() || row->has_value()) return reads;
    }
    return size_t{0};
  };
  // The marker knows the user has more than 64 rows: its first fill is priced at 65.
  EXPECT_EQ(reads_until_answered(),
            HotUserCache::kPointReadsPerFill + 65 / HotUserCache::kScanRowsPerPointRead - 1);
  // After a write, the marker knows the 200 rows the earned entry held.
  ASSERT_TRUE(skewed
                  .ApplyBatch(table_, &big,
                              {HotWrite::Upsert({Value::Int(1), Value::BigInt(5), Value::BigInt(0),
                                                 Value::Text("y")})})
                  .ok());
  EXPECT_EQ(reads_until_answered(), 200 / HotUserCache::kScanRowsPerPointRead);
  EXPECT_EQ(skewed.user_cache_stats().earned_fills, 2u);
}

TEST_F(CachedHotStoreTest, PointReadsEarnNoEntryTooBigForTheCache) {
  const UserId big = UserId::Make("big").value();
  ASSERT_TRUE(InsertRows(big, 1, 400, std::string(100, 'x')).ok());
  // Above the earned limit: no read pays for a fill.
  HotStore::Options few;
  few.user_cache_bytes = 8 << 20;
  few.user_cache_max_rows = 64;
  few.user_cache_max_earned_rows = 300;
  HotStore limited(kv_.get(), std::move(few));
  limited.row_counts().Base(table_.table_number(), 400, 1);
  // Within the limit but more bytes than the cache holds (a shard's share of 256 KB):
  // one fill finds that out (the read that paid for it is answered from what it read),
  // and the marker it leaves stops further ones.
  HotStore::Options small;
  small.user_cache_bytes = 256 << 10;
  small.user_cache_max_rows = 64;
  HotStore tiny(kv_.get(), std::move(small));
  tiny.row_counts().Base(table_.table_number(), 400, 1);
  const size_t every = 400 / HotUserCache::kScanRowsPerPointRead;
  size_t answered_limited = 0, answered_tiny = 0;
  for (size_t i = 0; i < 5 * every; ++i) {
    const std::vector<Value> key = {Value::Int(1), Value::BigInt(static_cast<int64_t>(i % 400))};
    auto from_limited = limited.CachedRow(table_, &big, key);
    ASSERT_TRUE(from_limited.ok());
    answered_limited += from_limited->has_value();
    auto from_tiny = tiny.CachedRow(table_, &big, key);
    ASSERT_TRUE(from_tiny.ok());
    if (from_tiny->has_value()) {
      ++answered_tiny;
      ASSERT_TRUE(from_tiny->value().has_value());
      EXPECT_EQ((*from_tiny->value())[1], key[1]);
    }
  }
  EXPECT_EQ(answered_limited, 0u);
  EXPECT_EQ(limited.user_cache_stats().earned_fills, 0u);
  EXPECT_EQ(answered_tiny, 1u);
  EXPECT_EQ(tiny.user_cache_stats().earned_fills, 1u);
  EXPECT_EQ(tiny.user_cache_stats().entries, 1u);  // the marker
}

TEST_F(CachedHotStoreTest, DirectDeletesAndDropTableInvalidate) {
  const UserId alice = UserId::Make("alice").value();
  ASSERT_TRUE(InsertOne(alice, 1, 1, "a").ok());
  EXPECT_EQ(Rows(cached_->Scan(table_, &alice, {})).size(), 1u);  // now cached
  // A flush deletes moved rows with its own RocksDB batch, then invalidates.
  std::string key = cached_->EncodeKey(table_, &alice, {Value::Int(1), Value::BigInt(1)}).value();
  rocksdb::WriteBatch batch;
  batch.Delete(kv_->family(KvFamily::kRows), key);
  ASSERT_TRUE(kv_->Write(&batch).ok());
  cached_->InvalidateCached(table_, &alice);
  EXPECT_TRUE(Rows(cached_->Scan(table_, &alice, {})).empty());

  ASSERT_TRUE(InsertOne(alice, 2, 2, "b").ok());
  EXPECT_EQ(Rows(cached_->Scan(table_, &alice, {})).size(), 1u);
  ASSERT_TRUE(cached_->DropTable(table_.table_number()).ok());
  EXPECT_TRUE(Rows(cached_->Scan(table_, &alice, {})).empty());
}

TEST_F(CachedHotStoreTest, ANewSchemaVersionIsNotServedOldEntries) {
  const UserId alice = UserId::Make("alice").value();
  ASSERT_TRUE(InsertOne(alice, 1, 1, "a").ok());
  EXPECT_EQ(Rows(cached_->Scan(table_, &alice, {})).size(), 1u);
  // Version 2 adds a column; version-1 rows read with it NULL.
  std::vector<Field> fields = WideSchema()->fields();
  fields.push_back({"extra", DataType::kInt, true, false, ""});
  auto v2_schema = std::make_shared<Schema>(fields, SchemaMetadata{});
  auto v1 = WideSchema();
  HotTable v2 = HotTable::Make(3, TableType::kUser, 2, v2_schema,
                               [v1](uint32_t) -> Result<std::shared_ptr<const Schema>> {
                                 return std::shared_ptr<const Schema>(v1);
                               })
                    .value();
  const auto rows = Rows(cached_->Scan(v2, &alice, {}));
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].size(), 5u);
  EXPECT_TRUE(rows[0][4].is_null());
}

TEST_F(CachedHotStoreTest, AReadAfterAnAcknowledgedWriteNeverMissesIt) {
  // One writer appends rows and publishes how many it has acknowledged; readers keep
  // scanning through the cache and must always see at least that many.
  HotStore::Options options;
  options.user_cache_bytes = 8 << 20;
  options.user_cache_max_rows = 100'000;
  cached_ = std::make_unique<HotStore>(kv_.get(), std::move(options));
  const UserId alice = UserId::Make("alice").value();
  std::atomic<int64_t> acknowledged{0};
  std::atomic<bool> failed{false};
  constexpr int64_t kRows = 400;
  std::thread writer([&] {
    for (int64_t b = 1; b <= kRows; ++b) {
      auto s = cached_->ApplyBatch(table_, &alice,
                                   {HotWrite::Insert({Value::Int(0), Value::BigInt(b),
                                                      Value::BigInt(b), Value::Text("r")})});
      if (!s.ok()) failed = true;
      acknowledged.store(b);
    }
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (acknowledged.load() < kRows && !failed) {
        const int64_t floor = acknowledged.load();
        auto batches = cached_->Scan(table_, &alice, {});
        if (!batches.ok()) {
          failed = true;
          return;
        }
        size_t n = 0;
        for (const Batch& b : *batches)
          n += b.num_rows();
        if (static_cast<int64_t>(n) < floor) {
          ADD_FAILURE() << "read " << n << " rows after " << floor << " were acknowledged";
          failed = true;
          return;
        }
      }
    });
  }
  writer.join();
  for (auto& t : readers)
    t.join();
  EXPECT_FALSE(failed);
  EXPECT_EQ(Rows(cached_->Scan(table_, &alice, {})).size(), static_cast<size_t>(kRows));
}

TEST_F(CachedHotStoreTest, RepeatedNewestReadsOfABigUserAreServedFromMemory) {
  const UserId big = UserId::Make("big").value();
  ASSERT_TRUE(InsertRows(big, 0, 200).ok());  // above user_cache_max_rows (64)
  const auto want = Rows(plain_->Scan(table_, &big, NewestRows(20)));
  ASSERT_EQ(want.size(), 20u);
  EXPECT_EQ(want[0][1], Value::BigInt(199));
  EXPECT_EQ(Rows(cached_->Scan(table_, &big, NewestRows(20))), want);  // marker, then the tail
  const uint64_t fills = cached_->user_cache_stats().fills;
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(Rows(cached_->Scan(table_, &big, NewestRows(20))), want);
  EXPECT_EQ(Rows(cached_->Scan(table_, &big, NewestRows(7))).size(), 7u);
  EXPECT_EQ(cached_->user_cache_stats().fills, fills);  // all served by the tail
  // A point read at or above the tail's first key is answered from it, below it is not.
  auto above = cached_->CachedRow(table_, &big, {Value::Int(0), Value::BigInt(190)});
  ASSERT_TRUE(above.ok() && above->has_value() && (*above)->has_value());
  auto below = cached_->CachedRow(table_, &big, {Value::Int(0), Value::BigInt(10)});
  ASSERT_TRUE(below.ok());
  EXPECT_FALSE(below->has_value());
  // A write: the tail goes, the next read sees the new row.
  ASSERT_TRUE(cached_
                  ->ApplyBatch(table_, &big,
                               {HotWrite::Insert({Value::Int(0), Value::BigInt(500),
                                                  Value::BigInt(1), Value::Text("y")})})
                  .ok());
  const auto after = Rows(cached_->Scan(table_, &big, NewestRows(20)));
  ASSERT_EQ(after.size(), 20u);
  EXPECT_EQ(after[0][1], Value::BigInt(500));
  EXPECT_EQ(after, Rows(plain_->Scan(table_, &big, NewestRows(20))));
}

TEST_F(CachedHotStoreTest, EveryReadOfABigUserMatchesTheUncachedStoreAfterRandomWrites) {
  std::mt19937_64 rng(7);
  const std::vector<UserId> users = {UserId::Make("alice").value(), UserId::Make("bob").value()};
  for (const UserId& user : users) {
    std::vector<HotWrite> writes;
    for (int32_t a = 0; a < 3; ++a) {
      for (int64_t b = 0; b < 40; ++b)
        writes.push_back(HotWrite::Insert(
            {Value::Int(a), Value::BigInt(b), Value::BigInt(b), Value::Text("x")}));
    }
    ASSERT_TRUE(cached_->ApplyBatch(table_, &user, writes).ok());
  }
  auto random_key = [&] {
    return std::vector<Value>{Value::Int(static_cast<int32_t>(rng() % 3)),
                              Value::BigInt(static_cast<int64_t>(rng() % 45))};
  };
  size_t point_hits = 0;
  for (int round = 0; round < 600; ++round) {
    const UserId& user = users[rng() % users.size()];
    if (rng() % 4 == 0) {
      const std::vector<Value> key = random_key();
      std::vector<HotWrite> writes;
      if (rng() % 3 == 0) {
        writes.push_back(HotWrite::Delete(key));
      } else {
        writes.push_back(
            HotWrite::Upsert({key[0], key[1], Value::BigInt(round), Value::Text("u")}));
      }
      ASSERT_TRUE(cached_->ApplyBatch(table_, &user, writes).ok());
    }
    HotScanOptions options = NewestRows(1 + rng() % 30);
    switch (rng() % 5) {
      case 0:
      case 1:
        break;  // the tail's own shape: fills it, then is served by it
      case 2: {
        const std::vector<Value> key = random_key();
        options.upper =
            HotKeyBound{rng() % 2 == 0 ? key : std::vector<Value>{key[0]}, rng() % 2 == 0};
        break;
      }
      case 3: {
        const std::vector<Value> key = random_key();
        options.lower =
            HotKeyBound{rng() % 2 == 0 ? key : std::vector<Value>{key[0]}, rng() % 2 == 0};
        if (rng() % 2 == 0) options.upper = HotKeyBound{{key[0]}, true};  // a pinned
        break;
      }
      case 4:
        options = HotScanOptions{};
        if (rng() % 2 == 0) options.limit = 1 + rng() % 10;
        if (rng() % 2 == 0) options.lower = HotKeyBound{random_key(), true};
        break;
    }
    if (rng() % 4 == 0) options.wanted = {true, true, false, rng() % 2 == 0};
    const auto want = Rows(plain_->Scan(table_, &user, options, 4));
    const auto got = Rows(cached_->Scan(table_, &user, options, 4));
    ASSERT_EQ(got, want) << "round " << round;

    const std::vector<Value> key = random_key();
    ASSERT_NO_FATAL_FAILURE(CheckPointRead(user, key, &point_hits));
  }
  EXPECT_GT(point_hits, 20u);
  EXPECT_GT(cached_->user_cache_stats().fills, 50u);
}

}  // namespace
}  // namespace tenantdb
