// The HotUserCache's tail entries: a user with more rows than a whole entry may hold gets
// their newest rows remembered by a descending key-order top-N read. Every read of such a
// user (scans of every shape, top-N served by the tail or reaching below it, point reads)
// after random writes must equal a HotStore without the cache on the same RocksDB.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "storage/hot/hot_store.h"

namespace tenantdb {
namespace {

// (a INT, b BIGINT, c BIGINT NULL), PRIMARY KEY (a, b)
std::shared_ptr<const Schema> TailSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"a", DataType::kInt, false, true, ""},
                                                     {"b", DataType::kBigInt, false, true, ""},
                                                     {"c", DataType::kBigInt, true, false, ""}},
                                  SchemaMetadata{});
}

class HotUserTailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tenantdb-usertail-" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    kv_ = KvStore::Open(dir_).value();
    HotStore::Options cached;
    cached.user_cache_bytes = 8 << 20;
    cached.user_cache_max_rows = 64;
    cached_ = std::make_unique<HotStore>(kv_.get(), std::move(cached));
    plain_ = std::make_unique<HotStore>(kv_.get());
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
  // ORDER BY a DESC, b DESC LIMIT n: the primary key, newest first.
  static HotScanOptions Newest(size_t n) {
    HotScanOptions options;
    options.top_n = n;
    options.order = {HotSortKey{0, true, false}, HotSortKey{1, true, false}};
    return options;
  }

  std::string dir_;
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<HotStore> cached_, plain_;
  HotTable table_ = HotTable::Make(4, TableType::kUser, 1, TailSchema(), {}).value();
};

TEST_F(HotUserTailTest, RepeatedNewestReadsOfABigUserAreServedFromMemory) {
  const UserId big = UserId::Make("big").value();
  std::vector<HotWrite> writes;
  for (int64_t b = 0; b < 200; ++b)  // above user_cache_max_rows (64)
    writes.push_back(HotWrite::Insert({Value::Int(0), Value::BigInt(b), Value::BigInt(b)}));
  ASSERT_TRUE(cached_->ApplyBatch(table_, &big, writes).ok());
  const auto want = Rows(plain_->Scan(table_, &big, Newest(20)));
  ASSERT_EQ(want.size(), 20u);
  EXPECT_EQ(want[0][1], Value::BigInt(199));
  EXPECT_EQ(Rows(cached_->Scan(table_, &big, Newest(20))), want);  // marker, then the tail
  const uint64_t fills = cached_->user_cache_stats().fills;
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(Rows(cached_->Scan(table_, &big, Newest(20))), want);
  EXPECT_EQ(Rows(cached_->Scan(table_, &big, Newest(7))).size(), 7u);
  EXPECT_EQ(cached_->user_cache_stats().fills, fills);  // all served by the tail
  // A point read at or above the tail's first key is answered from it, below it is not.
  auto above = cached_->CachedRow(table_, &big, {Value::Int(0), Value::BigInt(190)});
  ASSERT_TRUE(above.ok() && above->has_value() && (*above)->has_value());
  auto below = cached_->CachedRow(table_, &big, {Value::Int(0), Value::BigInt(10)});
  ASSERT_TRUE(below.ok());
  EXPECT_FALSE(below->has_value());
  // A write: the tail goes, the next read sees the new row.
  ASSERT_TRUE(
      cached_
          ->ApplyBatch(table_, &big,
                       {HotWrite::Insert({Value::Int(0), Value::BigInt(500), Value::BigInt(1)})})
          .ok());
  const auto after = Rows(cached_->Scan(table_, &big, Newest(20)));
  ASSERT_EQ(after.size(), 20u);
  EXPECT_EQ(after[0][1], Value::BigInt(500));
  EXPECT_EQ(after, Rows(plain_->Scan(table_, &big, Newest(20))));
}

TEST_F(HotUserTailTest, EveryReadOfABigUserMatchesTheUncachedStoreAfterRandomWrites) {
  std::mt19937_64 rng(7);
  const std::vector<UserId> users = {UserId::Make("alice").value(), UserId::Make("bob").value()};
  for (const UserId& user : users) {
    std::vector<HotWrite> writes;
    for (int32_t a = 0; a < 3; ++a) {
      for (int64_t b = 0; b < 40; ++b)
        writes.push_back(HotWrite::Insert({Value::Int(a), Value::BigInt(b), Value::BigInt(b)}));
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
        writes.push_back(HotWrite::Upsert({key[0], key[1], Value::BigInt(round)}));
      }
      ASSERT_TRUE(cached_->ApplyBatch(table_, &user, writes).ok());
    }
    HotScanOptions options = Newest(1 + rng() % 30);
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
    if (rng() % 4 == 0) options.wanted = {true, true, false};
    const auto want = Rows(plain_->Scan(table_, &user, options, 4));
    const auto got = Rows(cached_->Scan(table_, &user, options, 4));
    ASSERT_EQ(got, want) << "round " << round;

    const std::vector<Value> key = random_key();
    auto cached_row = cached_->CachedRow(table_, &user, key);
    ASSERT_TRUE(cached_row.ok()) << cached_row.status().ToString();
    auto version = plain_->GetVersion(table_, &user, key);
    ASSERT_TRUE(version.ok());
    if (cached_row->has_value()) {
      ++point_hits;
      if ((*cached_row)->has_value()) {
        ASSERT_TRUE(version->has_value() && !(*version)->is_tombstone());
        ASSERT_EQ(**cached_row, (*version)->values);
      } else {
        ASSERT_TRUE(!version->has_value() || (*version)->is_tombstone());
      }
    }
  }
  EXPECT_GT(point_hits, 20u);
  EXPECT_GT(cached_->user_cache_stats().fills, 50u);
}

}  // namespace
}  // namespace tenantdb
