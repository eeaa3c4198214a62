// Secondary indexes in storage: the entry encoding, maintenance in every write's batch
// (hot and flushed rows), UNIQUE against flushed rows, and the build over existing rows
// while writers keep writing.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/hot/hot_index.h"
#include "storage/hot/key_codec.h"
#include "storage/table_store.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-ix-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

class TableIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    kv_ = std::move(*KvStore::Open(dir_));
    catalog_ = std::move(*PersistentCatalog::Open(kv_.get(), &pool_));
    storages_ = std::make_unique<StorageRegistry>(dir_ + "/storage");
    TableStore::Options options;
    options.clock = &clock_;
    store_ = std::make_unique<TableStore>(kv_.get(), catalog_.get(), options);
    ASSERT_TRUE(catalog_->CreateNamespace(*NamespaceId::Make("chat")).ok());
  }
  void TearDown() override {
    store_.reset();
    catalog_.reset();
    kv_.reset();
    std::filesystem::remove_all(dir_);
  }
  // (id BIGINT PRIMARY KEY, tag TEXT, n INT)
  TableEntryRef CreateTable(const std::string& name, TableType type, uint32_t ttl = 0) {
    TableDefinition d;
    d.id = *TableId::Make("chat", name);
    d.type = type;
    d.ttl_seconds = ttl;
    d.schema = pool_.Intern({{"id", DataType::kBigInt, false, true, ""},
                             {"tag", DataType::kText, true, false, ""},
                             {"n", DataType::kInt, true, false, ""}});
    d.storage_id = storages_->local()->id;
    EXPECT_TRUE(catalog_->CreateTable(d).ok());
    auto entry = catalog_->Loader(*storages_)(d.id);
    EXPECT_TRUE(entry.ok());
    return *entry;
  }
  // Registers an index on `tag` (ready) under the table's gate, as CREATE INDEX does.
  HotIndex AddIndex(const TableEntryRef& t, bool unique, bool build = true) {
    HotIndex index;
    index.index_number = next_index_++;
    index.table_number = t->table_number();
    index.name = "ix" + std::to_string(index.index_number);
    index.unique = unique;
    index.column_ids = {2};
    EXPECT_TRUE(store_->hot().rekey_gate().Begin(t->table_number()).ok());
    store_->hot().indexes().Put(index);
    store_->hot().rekey_gate().Finish(t->table_number(), 0);
    if (build) {
      auto built = store_->BuildIndex(*t, index);
      EXPECT_TRUE(built.ok()) << built.status().ToString();
    }
    index.ready = true;
    store_->hot().indexes().Put(index);
    return index;
  }
  std::vector<Value> Row(int64_t id, std::optional<std::string> tag, int32_t n = 0) {
    return {Value::BigInt(id), tag ? Value::Text(*tag) : Value::Null(DataType::kText),
            Value::Int(n)};
  }
  Status Write(const TableEntryRef& t, const UserId* user, HotWrite w) {
    auto hot = store_->HotTableFor(*t);
    if (!hot.ok()) return hot.status();
    return store_->hot().ApplyBatch(*hot, user, {std::move(w)});
  }
  size_t Entries(uint32_t index_number) {
    const std::string prefix = EncodeTablePrefix(index_number);
    size_t n = 0;
    auto it = kv_->NewIterator(KvFamily::kRows);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
      ++n;
    return n;
  }
  std::set<int64_t> Lookup(const TableEntryRef& t, const UserId* user, const HotIndex& index,
                           std::optional<std::string> tag) {
    std::vector<std::pair<std::optional<HotKeyBound>, std::optional<HotKeyBound>>> ranges;
    if (tag) {
      HotKeyBound b{{Value::Text(*tag)}, true};
      ranges.emplace_back(b, b);
    } else {
      ranges.emplace_back(std::nullopt, std::nullopt);
    }
    auto rows = store_->IndexScan(*t, user, index, ranges);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::set<int64_t> ids;
    if (!rows.ok()) return ids;
    for (const Batch& b : *rows)
      for (size_t r = 0; r < b.num_rows(); ++r)
        ids.insert(b.GetRow(r)[0].as_int64());
    return ids;
  }

  std::string dir_;
  SchemaPool pool_;
  ManualClock clock_{1'700'000'000'000'000};
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<PersistentCatalog> catalog_;
  std::unique_ptr<StorageRegistry> storages_;
  std::unique_ptr<TableStore> store_;
  uint32_t next_index_ = 900'000;
  UserId alice_ = *UserId::Make("alice");
  UserId bob_ = *UserId::Make("bob");
};

TEST(IndexEntryKey, OrdersByValueWithNullsLastThenByPrimaryKey) {
  SchemaPool pool;
  auto schema = pool.Intern(
      {{"id", DataType::kBigInt, false, true, "", 1}, {"n", DataType::kInt, true, false, "", 2}});
  const std::vector<size_t> positions = {1};
  auto key = [&](int64_t id, std::optional<int32_t> n) {
    std::string pk;
    EXPECT_TRUE(AppendKeyColumn(DataType::kBigInt, Value::BigInt(id), &pk).ok());
    bool has_null = false;
    auto k = IndexEntryKey("P", *schema, positions,
                           {Value::BigInt(id), n ? Value::Int(*n) : Value::Null(DataType::kInt)},
                           pk, &has_null);
    EXPECT_TRUE(k.ok());
    EXPECT_EQ(has_null, !n.has_value());
    return *k;
  };
  EXPECT_LT(key(9, -5), key(1, 3));
  EXPECT_LT(key(1, 3), key(2, 3));
  EXPECT_LT(key(2, 3), key(1, 4));
  EXPECT_LT(key(1, 2'000'000'000), key(1, std::nullopt));
  EXPECT_LT(key(1, std::nullopt), key(2, std::nullopt));
  EXPECT_EQ(key(1, 3).substr(0, 1), "P");
  // Per-user prefixes never overlap ("a" vs "ab").
  const UserId a = *UserId::Make("a"), ab = *UserId::Make("ab");
  EXPECT_FALSE(IndexEntryPrefix(7, &ab).starts_with(IndexEntryPrefix(7, &a)));
}

// NUMERIC and INTERVAL index keys order as PostgreSQL compares the values, and values
// it calls equal (1.0 and 1.00; '1 month' and '30 days') share their bytes — also when
// another column follows (each encoding ends where it says).
TEST(IndexEntryKey, NumericAndIntervalKeysOrderAsTheValuesCompare) {
  auto key = [](DataType type, const Value& v, int32_t next) {
    std::string out;
    EXPECT_TRUE(AppendIndexColumn(type, v, &out).ok());
    EXPECT_TRUE(AppendIndexColumn(DataType::kInt, Value::Int(next), &out).ok());
    return out;
  };
  std::mt19937_64 rng(14);
  std::vector<Numeric> numbers;
  for (const char* text : {"0",
                           "0.00",
                           "1",
                           "1.0",
                           "1.00",
                           "-1",
                           "-1.000",
                           "0.12",
                           "0.123",
                           "-0.12",
                           "-0.123",
                           "1200",
                           "1.2e3",
                           "99999999999999999999999999999999999999",
                           "-99999999999999999999999999999999999999",
                           "0.00000000000000000000000000000000000001",
                           "-0.00000000000000000000000000000000000001",
                           "10",
                           "9.99",
                           "100.5"})
    numbers.push_back(*ParseNumeric(text));
  for (int i = 0; i < 300; ++i) {
    const int scale = static_cast<int>(rng() % 12);
    const __int128 unscaled = static_cast<int64_t>(rng() % 2'000'000) - 1'000'000;
    numbers.push_back(Numeric{unscaled * (rng() % 3 == 0 ? 1000 : 1), scale});
  }
  for (const Numeric& a : numbers) {
    for (const Numeric& b : numbers) {
      const int want = CompareNumerics(a, b);
      // Equal values, different next columns: the next column decides.
      const std::string ka = key(DataType::kNumeric, Value::FromNumeric(a), 1);
      const std::string kb = key(DataType::kNumeric, Value::FromNumeric(b), 2);
      const int got = ka.substr(0, ka.size() - 4) < kb.substr(0, kb.size() - 4)    ? -1
                      : ka.substr(0, ka.size() - 4) == kb.substr(0, kb.size() - 4) ? 0
                                                                                   : 1;
      ASSERT_EQ(got, want) << Value::FromNumeric(a).ToString() << " vs "
                           << Value::FromNumeric(b).ToString();
      ASSERT_EQ(ka < kb, want < 0 || want == 0)
          << Value::FromNumeric(a).ToString() << " vs " << Value::FromNumeric(b).ToString();
    }
  }
  std::vector<Interval> spans;
  for (const char* text :
       {"0", "1 month", "30 days", "720 hours", "-1 mon", "1 day", "29 days 23:59:59",
        "1 mon 1 sec", "100 years", "-100 years", "-00:00:01"})
    spans.push_back(*ParseInterval(text));
  for (int i = 0; i < 100; ++i) {
    spans.push_back(Interval{static_cast<int64_t>(rng() % 10'000'000'000) - 5'000'000'000,
                             static_cast<int32_t>(rng() % 100) - 50,
                             static_cast<int32_t>(rng() % 100) - 50});
  }
  for (const Interval& a : spans) {
    for (const Interval& b : spans) {
      const int want = CompareIntervals(a, b);
      const std::string ka = key(DataType::kInterval, Value::FromInterval(a), 1);
      const std::string kb = key(DataType::kInterval, Value::FromInterval(b), 2);
      ASSERT_EQ(ka < kb, want <= 0);
      ASSERT_EQ(ka.substr(0, ka.size() - 4) == kb.substr(0, kb.size() - 4), want == 0);
    }
  }
}

TEST_F(TableIndexTest, EveryWriteMovesItsEntryInTheSameBatch) {
  auto t = CreateTable("s", TableType::kShared);
  HotIndex index = AddIndex(t, /*unique=*/false);
  ASSERT_TRUE(Write(t, nullptr, HotWrite::Insert(Row(1, "red"))).ok());
  ASSERT_TRUE(Write(t, nullptr, HotWrite::Insert(Row(2, "red"))).ok());
  ASSERT_TRUE(Write(t, nullptr, HotWrite::Insert(Row(3, std::nullopt))).ok());
  EXPECT_EQ(Entries(index.index_number), 3u);
  EXPECT_EQ(Lookup(t, nullptr, index, "red"), (std::set<int64_t>{1, 2}));
  ASSERT_TRUE(Write(t, nullptr, HotWrite::Update(Row(2, "blue"))).ok());
  EXPECT_EQ(Lookup(t, nullptr, index, "red"), (std::set<int64_t>{1}));
  EXPECT_EQ(Lookup(t, nullptr, index, "blue"), (std::set<int64_t>{2}));
  ASSERT_TRUE(Write(t, nullptr, HotWrite::Upsert(Row(1, "green"))).ok());
  ASSERT_TRUE(Write(t, nullptr, HotWrite::Delete({Value::BigInt(3)})).ok());
  EXPECT_EQ(Entries(index.index_number), 2u);  // old entries removed, not left stale
  EXPECT_EQ(Lookup(t, nullptr, index, std::nullopt), (std::set<int64_t>{1, 2}));
  // A failed batch writes no entry either.
  auto hot = store_->HotTableFor(*t);
  ASSERT_TRUE(hot.ok());
  EXPECT_FALSE(
      store_->hot()
          .ApplyBatch(*hot, nullptr, {HotWrite::Insert(Row(4, "x")), HotWrite::Insert(Row(1, "y"))})
          .ok());
  EXPECT_EQ(Entries(index.index_number), 2u);
}

TEST_F(TableIndexTest, UniqueCountsFlushedRowsAndUpdatesOfThemFreeTheirValue) {
  auto t = CreateTable("u", TableType::kUser);
  HotIndex index = AddIndex(t, /*unique=*/true);
  ASSERT_TRUE(Write(t, &alice_, HotWrite::Insert(Row(1, "red"))).ok());
  ASSERT_TRUE(Write(t, &alice_, HotWrite::Insert(Row(2, std::nullopt))).ok());
  ASSERT_TRUE(Write(t, &alice_, HotWrite::Insert(Row(3, std::nullopt))).ok());  // NULLs
  ASSERT_TRUE(store_->Flush(*t).ok());
  Status dup = Write(t, &alice_, HotWrite::Insert(Row(4, "red")));
  EXPECT_EQ(dup.code(), ErrorCode::kUniqueViolation) << dup.ToString();
  EXPECT_NE(dup.message().find("Key (tag)=(red) already exists"), std::string::npos);
  // Another user's slice is another index range.
  EXPECT_TRUE(Write(t, &bob_, HotWrite::Insert(Row(4, "red"))).ok());
  EXPECT_EQ(Lookup(t, &alice_, index, "red"), (std::set<int64_t>{1}));
  EXPECT_EQ(Lookup(t, &bob_, index, "red"), (std::set<int64_t>{4}));
  // Updating the flushed row reads its old values from Parquet and removes its entry.
  ASSERT_TRUE(Write(t, &alice_, HotWrite::Update(Row(1, "blue"))).ok());
  EXPECT_TRUE(Write(t, &alice_, HotWrite::Insert(Row(5, "red"))).ok());
  EXPECT_EQ(Lookup(t, &alice_, index, "red"), (std::set<int64_t>{5}));
  // alice: 1 (blue), 2, 3 (NULLs), 5; bob: 4. Row 1's old "red" entry is gone.
  EXPECT_EQ(Entries(index.index_number), 5u);
}

TEST_F(TableIndexTest, BuildCoversHotAndFlushedRowsWhileWritersWrite) {
  auto t = CreateTable("b", TableType::kUser);
  for (int64_t i = 0; i < 600; ++i)
    ASSERT_TRUE(
        Write(t, i % 2 ? &alice_ : &bob_, HotWrite::Insert(Row(i, "t" + std::to_string(i % 7))))
            .ok());
  ASSERT_TRUE(store_->Flush(*t).ok());
  for (int64_t i = 600; i < 900; ++i)
    ASSERT_TRUE(
        Write(t, i % 2 ? &alice_ : &bob_, HotWrite::Insert(Row(i, "t" + std::to_string(i % 7))))
            .ok());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    int64_t id = 10'000;
    for (int round = 0; !stop.load() || round < 50; ++round) {
      EXPECT_TRUE(Write(t, &alice_, HotWrite::Insert(Row(id++, "new"))).ok());
      EXPECT_TRUE(Write(t, &alice_, HotWrite::Update(Row(round % 300 * 2 + 1, "moved"))).ok());
    }
  });
  HotIndex index = AddIndex(t, /*unique=*/false);
  stop = true;
  writer.join();
  // Every live row is found under its current value, and only there.
  for (const UserId* user : {&alice_, &bob_}) {
    auto rows = store_->ReadRows(*t, user);
    ASSERT_TRUE(rows.ok());
    std::map<std::string, std::set<int64_t>> expected;
    for (size_t r = 0; r < rows->num_rows(); ++r) {
      auto row = rows->GetRow(r);
      expected[std::string(row[1].as_bytes())].insert(row[0].as_int64());
    }
    for (const auto& [tag, ids] : expected)
      EXPECT_EQ(Lookup(t, user, index, tag), ids) << tag;
    EXPECT_EQ(Lookup(t, user, index, std::nullopt).size(), rows->num_rows());
  }
}

TEST_F(TableIndexTest, ExpiredStreamRowsTakeTheirEntriesWithThem) {
  auto t = CreateTable("ev", TableType::kStream, /*ttl=*/60);
  HotIndex index = AddIndex(t, /*unique=*/false);
  ASSERT_TRUE(Write(t, &alice_, HotWrite::Insert(Row(1, "click"))).ok());
  ASSERT_TRUE(Write(t, &bob_, HotWrite::Insert(Row(2, "click"))).ok());
  clock_.Advance(61'000'000);
  ASSERT_TRUE(Write(t, &alice_, HotWrite::Insert(Row(3, "click"))).ok());
  EXPECT_EQ(Lookup(t, &alice_, index, "click"), (std::set<int64_t>{3}));  // expired: skipped
  auto removed = store_->ExpireStream(*t);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 2u);
  EXPECT_EQ(Entries(index.index_number), 1u);
}

TEST_F(TableIndexTest, UniqueBuildRefusesDuplicatesAmongFlushedRows) {
  auto t = CreateTable("d", TableType::kShared);
  ASSERT_TRUE(Write(t, nullptr, HotWrite::Insert(Row(1, "same"))).ok());
  ASSERT_TRUE(store_->Flush(*t).ok());
  ASSERT_TRUE(Write(t, nullptr, HotWrite::Insert(Row(2, "same"))).ok());
  HotIndex index;
  index.index_number = 777'777;
  index.table_number = t->table_number();
  index.name = "d_tag";
  index.unique = true;
  index.column_ids = {2};
  auto built = store_->BuildIndex(*t, index);
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.status().code(), ErrorCode::kUniqueViolation);
  EXPECT_NE(built.status().message().find("Key (tag)=(same) is duplicated"), std::string::npos);
}

// An ordered read (ORDER BY ... LIMIT through an index) returns rows in index order —
// NULLs last ascending, first descending — over hot and flushed rows, skips a stale
// entry without disturbing the order, and reads about as many entries as rows pulled.
TEST_F(TableIndexTest, OrderedReadReturnsIndexOrderAndReadsOnlyTheEntriesPulled) {
  auto t = CreateTable("o", TableType::kUser);
  HotIndex index = AddIndex(t, /*unique=*/false);
  // 3000 rows: tags "t0000".."t2999" in an order unlike the keys', every 100th NULL.
  auto tag_of = [](int64_t id) -> std::optional<std::string> {
    if (id % 100 == 0) return std::nullopt;
    char buf[8];
    std::snprintf(buf, sizeof(buf), "t%04d", static_cast<int>((id * 7919) % 3000));
    return std::string(buf);
  };
  auto hot = store_->HotTableFor(*t);
  ASSERT_TRUE(hot.ok());
  for (int64_t id = 1; id <= 3000; id += 100) {
    std::vector<HotWrite> writes;
    for (int64_t i = id; i < id + 100; ++i)
      writes.push_back(HotWrite::Insert(Row(i, tag_of(i))));
    ASSERT_TRUE(store_->hot().ApplyBatch(*hot, &alice_, writes).ok());
    if (id == 1401) {
      ASSERT_TRUE(store_->Flush(*t).ok());  // half flushed, half hot
    }
  }
  ASSERT_TRUE(Write(t, &bob_, HotWrite::Insert(Row(1, "a"))).ok());  // not alice's
  // A stale entry: it names row 7 with a value row 7 does not hold.
  std::string pk;
  ASSERT_TRUE(AppendKeyColumn(DataType::kBigInt, Value::BigInt(7), &pk).ok());
  auto stale = IndexEntryKey(IndexEntryPrefix(index.index_number, &alice_), *t->schema(), {1},
                             Row(7, "a"), pk);
  ASSERT_TRUE(stale.ok());
  rocksdb::WriteBatch put;
  put.Put(kv_->family(KvFamily::kRows), *stale, pk);
  ASSERT_TRUE(kv_->Write(&put).ok());

  auto first_tags = [&](bool descending, size_t n, uint64_t* entries) {
    const uint64_t before = store_->counters().index_entries_read.load();
    auto stream = store_->OpenIndexScan(*t, &alice_, index, IndexRange(), descending, n);
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    std::vector<std::string> tags;
    if (!stream.ok()) return tags;
    EXPECT_TRUE((*stream)->ordered());
    auto batch = (*stream)->Next();
    EXPECT_TRUE(batch.ok() && batch->has_value());
    if (!batch.ok() || !batch->has_value()) return tags;
    for (size_t r = 0; r < (*batch)->num_rows(); ++r) {
      const Value v = (*batch)->GetRow(r)[1];
      tags.push_back(v.is_null() ? "NULL" : std::string(v.as_bytes()));
    }
    *entries = store_->counters().index_entries_read.load() - before;
    return tags;
  };
  uint64_t entries = 0;
  EXPECT_EQ(first_tags(false, 3, &entries), (std::vector<std::string>{"t0001", "t0002", "t0003"}));
  EXPECT_LE(entries, 4u);  // three rows and the stale entry before them
  const std::vector<std::string> newest = first_tags(true, 32, &entries);
  ASSERT_EQ(newest.size(), 32u);
  for (size_t i = 0; i < 30; ++i)
    EXPECT_EQ(newest[i], "NULL") << i;  // the 30 NULLs first
  EXPECT_EQ(newest[30], "t2999");
  EXPECT_EQ(newest[31], "t2998");
  EXPECT_EQ(entries, 32u);

  // The whole read, in pieces: every row once, in order; the stale entry skipped.
  auto stream = store_->OpenIndexScan(*t, &alice_, index, IndexRange(), false, 10);
  ASSERT_TRUE(stream.ok());
  std::vector<std::string> all;
  while (true) {
    auto batch = (*stream)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch->has_value()) break;
    for (size_t r = 0; r < (*batch)->num_rows(); ++r) {
      const Value v = (*batch)->GetRow(r)[1];
      all.push_back(v.is_null() ? "~NULL" : std::string(v.as_bytes()));
    }
  }
  ASSERT_EQ(all.size(), 3000u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::count(all.begin(), all.end(), "a"), 0);
}

}  // namespace
}  // namespace tenantdb
