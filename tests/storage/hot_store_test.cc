#include "storage/hot/hot_store.h"

#include <gtest/gtest.h>
#include <rocksdb/iterator.h>
#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "storage/hot/key_codec.h"
#include "storage/row_merge.h"

namespace tenantdb {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-hot-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

// (id BIGINT PRIMARY KEY, body TEXT NOT NULL, score DOUBLE)
std::shared_ptr<const Schema> MessageSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"id", DataType::kBigInt, false, true, ""},
                                                     {"body", DataType::kText, false, false, ""},
                                                     {"score", DataType::kDouble, true, false, ""}},
                                  SchemaMetadata{});
}

std::vector<Value> Msg(int64_t id, std::string body) {
  return {Value::BigInt(id), Value::Text(std::move(body)), Value::Null(DataType::kDouble)};
}

HotTable MakeTable(uint32_t number, TableType type,
                   std::shared_ptr<const Schema> schema = MessageSchema(), uint32_t version = 1,
                   SchemaLookup lookup = {}) {
  auto t = HotTable::Make(number, type, version, std::move(schema), std::move(lookup));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

UserId User(std::string_view name) {
  return UserId::Make(name).value();
}

class HotStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override {
    store_.reset();
    kv_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Open(KvStore::Options kv_options = {}, HotStore::Options options = {}) {
    store_.reset();
    kv_.reset();
    auto kv = KvStore::Open(dir_, kv_options);
    ASSERT_TRUE(kv.ok()) << kv.status().ToString();
    kv_ = std::move(kv).value();
    store_ = std::make_unique<HotStore>(kv_.get(), std::move(options));
  }
  // Ids and bodies of a scan, in scan order.
  std::vector<std::pair<int64_t, std::string>> ScanAll(const HotTable& t, const UserId* user,
                                                       HotScanOptions options = {}) {
    std::vector<std::pair<int64_t, std::string>> out;
    auto batches = store_->Scan(t, user, options, 7);
    EXPECT_TRUE(batches.ok()) << batches.status().ToString();
    if (!batches.ok()) return out;
    for (const Batch& b : *batches) {
      EXPECT_LE(b.num_rows(), 7u);
      for (size_t r = 0; r < b.num_rows(); ++r) {
        auto row = b.GetRow(r);
        out.emplace_back(row[0].as_int64(), std::string(row[1].as_bytes()));
      }
    }
    return out;
  }

  std::string dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<HotStore> store_;
};

TEST_F(HotStoreTest, InsertGetUpdateDeleteWithTombstones) {
  const HotTable t = MakeTable(1, TableType::kUser);
  const UserId alice = User("alice");
  ASSERT_TRUE(store_->Insert(t, &alice, Msg(1, "hi")).ok());
  EXPECT_EQ(store_->Insert(t, &alice, Msg(1, "again")).code(), ErrorCode::kUniqueViolation);
  auto got = store_->Get(t, &alice, {Value::BigInt(1)});
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, Msg(1, "hi"));

  EXPECT_EQ(store_->Update(t, &alice, Msg(2, "nope")).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store_->Update(t, &alice, Msg(1, "edited")).ok());
  EXPECT_EQ(**store_->Get(t, &alice, {Value::BigInt(1)}), Msg(1, "edited"));

  auto deleted = store_->Delete(t, &alice, {Value::BigInt(1)});
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  EXPECT_FALSE(*store_->Delete(t, &alice, {Value::BigInt(1)}));  // already gone
  EXPECT_FALSE(store_->Get(t, &alice, {Value::BigInt(1)})->has_value());
  auto version = store_->GetVersion(t, &alice, {Value::BigInt(1)});
  ASSERT_TRUE(version.ok());
  ASSERT_TRUE(version->has_value());
  EXPECT_TRUE((*version)->is_tombstone());
  EXPECT_EQ((*version)->values[0], Value::BigInt(1));
  EXPECT_EQ(store_->Update(t, &alice, Msg(1, "x")).code(), ErrorCode::kNotFound);

  // A deleted key may be inserted again; upsert writes either way.
  ASSERT_TRUE(store_->Insert(t, &alice, Msg(1, "reborn")).ok());
  ASSERT_TRUE(store_->Upsert(t, &alice, Msg(1, "upserted")).ok());
  ASSERT_TRUE(store_->Upsert(t, &alice, Msg(3, "new")).ok());
  EXPECT_EQ(ScanAll(t, &alice),
            (std::vector<std::pair<int64_t, std::string>>{{1, "upserted"}, {3, "new"}}));
}

TEST_F(HotStoreTest, UserAndSharedTablesCheckTheUser) {
  const HotTable user_table = MakeTable(1, TableType::kUser);
  const HotTable stream_table = MakeTable(2, TableType::kStream);
  const HotTable shared_table = MakeTable(3, TableType::kShared);
  const UserId alice = User("alice");
  EXPECT_EQ(store_->Insert(user_table, nullptr, Msg(1, "x")).code(), ErrorCode::kInvalidArgument);
  const UserId none;
  EXPECT_EQ(store_->Insert(stream_table, &none, Msg(1, "x")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->Insert(shared_table, &alice, Msg(1, "x")).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->Insert(shared_table, nullptr, Msg(1, "x")).ok());
  EXPECT_TRUE(store_->Insert(stream_table, &alice, Msg(1, "x")).ok());
  EXPECT_EQ(store_->Scan(user_table, nullptr, {}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ScanAll(shared_table, nullptr).size(), 1u);
  // Value checks: wrong type, NULL in NOT NULL, wrong arity.
  EXPECT_EQ(store_
                ->Insert(shared_table, nullptr,
                         {Value::Int(1), Value::Text("x"), Value::Null(DataType::kDouble)})
                .code(),
            ErrorCode::kTypeMismatch);
  EXPECT_EQ(
      store_
          ->Insert(shared_table, nullptr,
                   {Value::BigInt(2), Value::Null(DataType::kText), Value::Null(DataType::kDouble)})
          .code(),
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->Get(shared_table, nullptr, {}).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(HotStoreTest, ScansNeverCrossUsersEvenWithPrefixLikeIds) {
  const HotTable t = MakeTable(9, TableType::kUser);
  const std::vector<std::string> names = {"a", "ab", "a_b", "a.", "A", "b", "a-"};
  std::vector<UserId> users;
  for (const auto& n : names)
    users.push_back(User(n));
  for (const UserId& u : users) {
    for (int64_t id = -3; id <= 3; ++id)
      ASSERT_TRUE(store_->Insert(t, &u, Msg(id, std::string(u.str()))).ok());
  }
  for (const UserId& u : users) {
    HotScanOptions all;
    all.include_tombstones = true;
    auto rows = ScanAll(t, &u, all);
    ASSERT_EQ(rows.size(), 7u) << u.str();
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].first, static_cast<int64_t>(i) - 3);
      EXPECT_EQ(rows[i].second, u.str());
    }
    // Unbounded-above and -below scans stay inside the user too.
    HotScanOptions from_high;
    from_high.lower = HotKeyBound{{Value::BigInt(3)}, false};
    EXPECT_TRUE(ScanAll(t, &u, from_high).empty());
    HotScanOptions to_low;
    to_low.upper = HotKeyBound{{Value::BigInt(-3)}, false};
    EXPECT_TRUE(ScanAll(t, &u, to_low).empty());
  }
  // Point reads are per user as well.
  const UserId nobody = User("nobody");
  EXPECT_FALSE(store_->Get(t, &nobody, {Value::BigInt(1)})->has_value());
  EXPECT_EQ(store_->Insert(t, &nobody, Msg(1, "mine")).code(), ErrorCode::kOk);
}

TEST_F(HotStoreTest, KeyRangePushdownAndLimit) {
  const HotTable t = MakeTable(4, TableType::kShared);
  for (int64_t id = -10; id <= 10; ++id)
    ASSERT_TRUE(store_->Insert(t, nullptr, Msg(id, "r" + std::to_string(id))).ok());
  auto ids = [&](HotScanOptions o) {
    std::vector<int64_t> out;
    for (auto& [id, body] : ScanAll(t, nullptr, o))
      out.push_back(id);
    return out;
  };
  HotScanOptions o;
  o.lower = HotKeyBound{{Value::BigInt(-2)}, true};
  o.upper = HotKeyBound{{Value::BigInt(2)}, false};
  EXPECT_EQ(ids(o), (std::vector<int64_t>{-2, -1, 0, 1}));
  o.lower->inclusive = false;
  o.upper->inclusive = true;
  EXPECT_EQ(ids(o), (std::vector<int64_t>{-1, 0, 1, 2}));
  o.limit = 2;
  EXPECT_EQ(ids(o), (std::vector<int64_t>{-1, 0}));
  HotScanOptions empty;
  empty.lower = HotKeyBound{{Value::BigInt(5)}, true};
  empty.upper = HotKeyBound{{Value::BigInt(4)}, true};
  EXPECT_TRUE(ids(empty).empty());
  HotScanOptions all;
  EXPECT_EQ(ids(all).size(), 21u);
  // Limit counts returned rows, so deleted rows do not use it up.
  ASSERT_TRUE(*store_->Delete(t, nullptr, {Value::BigInt(-10)}));
  HotScanOptions first3;
  first3.limit = 3;
  EXPECT_EQ(ids(first3), (std::vector<int64_t>{-9, -8, -7}));
  first3.include_tombstones = true;
  EXPECT_EQ(ids(first3), (std::vector<int64_t>{-10, -9, -8}));
  // Bad bounds are errors, not empty scans.
  HotScanOptions bad;
  bad.lower = HotKeyBound{{Value::Text("x")}, true};
  EXPECT_EQ(store_->Scan(t, nullptr, bad).status().code(), ErrorCode::kTypeMismatch);
}

// A flush deletes a table's hot rows from RocksDB. A scan of the table before it in key
// order must stop at its own range's end rather than walk those deletions looking for
// the next live key: it did, and every scan of a small table then cost as much as
// skipping a large neighbour's flushed rows (tens of milliseconds per TPC-H scan).
TEST_F(HotStoreTest, ScansDoNotWalkANeighbourTablesDeletedRows) {
  const HotTable small = MakeTable(7, TableType::kShared);
  const HotTable flushed = MakeTable(8, TableType::kShared);
  for (int64_t id = 0; id < 3; ++id)
    ASSERT_TRUE(store_->Insert(small, nullptr, Msg(id, "s")).ok());
  for (int64_t id = 0; id < 2000; ++id)
    ASSERT_TRUE(store_->Insert(flushed, nullptr, Msg(id, "f")).ok());
  {
    rocksdb::WriteBatch batch;
    auto it = kv_->NewIterator(KvFamily::kRows);
    const std::string prefix = EncodeTablePrefix(8);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
      batch.Delete(kv_->family(KvFamily::kRows), it->key());
    ASSERT_EQ(batch.Count(), 2000u);
    ASSERT_TRUE(kv_->Write(&batch).ok());
  }
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  EXPECT_EQ(ScanAll(small, nullptr).size(), 3u);
  const uint64_t skipped = rocksdb::get_perf_context()->internal_delete_skipped_count;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  EXPECT_LT(skipped, 10u);
  EXPECT_TRUE(ScanAll(flushed, nullptr).empty());
}

// ORDER BY the key LIMIT n reads the range from the matching end (a reverse RocksDB scan
// for DESC): the answer must equal sorting every live row in range, whatever the bounds,
// deletes, other users' neighbouring keys and the rows' schema versions.
TEST_F(HotStoreTest, TopNInKeyOrderMatchesASortOfTheRange) {
  const HotTable t = MakeTable(9, TableType::kUser);
  const UserId alice = User("alice"), bob = User("bob"), alicf = User("alicf");
  std::mt19937 rng(7);
  std::map<int64_t, std::string> model;
  for (int64_t id = 0; id < 300; ++id) {
    ASSERT_TRUE(store_->Insert(t, &alice, Msg(id, "a" + std::to_string(id))).ok());
    model[id] = "a" + std::to_string(id);
    // Neighbours on both sides of alice's key range.
    ASSERT_TRUE(store_->Insert(t, &bob, Msg(id, "b")).ok());
    ASSERT_TRUE(store_->Insert(t, &alicf, Msg(id, "c")).ok());
  }
  for (int i = 0; i < 120; ++i) {  // tombstones, some at the range's ends
    const auto id = static_cast<int64_t>(rng() % 300);
    ASSERT_TRUE(store_->Delete(t, &alice, {Value::BigInt(id)}).ok());
    model.erase(id);
  }
  ASSERT_TRUE(store_->Delete(t, &alice, {Value::BigInt(299)}).ok());
  model.erase(299);
  for (int q = 0; q < 200; ++q) {
    HotScanOptions o;
    std::optional<int64_t> lo, hi;
    bool lo_inc = true, hi_inc = true;
    if (rng() % 2 == 0) {
      lo = static_cast<int64_t>(rng() % 320) - 10;
      lo_inc = rng() % 2 == 0;
      o.lower = HotKeyBound{{Value::BigInt(*lo)}, lo_inc};
    }
    if (rng() % 2 == 0) {
      hi = static_cast<int64_t>(rng() % 320) - 10;
      hi_inc = rng() % 2 == 0;
      o.upper = HotKeyBound{{Value::BigInt(*hi)}, hi_inc};
    }
    const bool descending = rng() % 2 == 0;
    o.order.push_back(HotSortKey{0, descending, false});
    o.top_n = 1 + rng() % 40;
    std::vector<std::pair<int64_t, std::string>> want;
    for (const auto& [id, body] : model) {
      if (lo && (id < *lo || (id == *lo && !lo_inc))) continue;
      if (hi && (id > *hi || (id == *hi && !hi_inc))) continue;
      want.emplace_back(id, body);
    }
    if (descending) std::reverse(want.begin(), want.end());
    if (want.size() > o.top_n) want.resize(o.top_n);
    ASSERT_EQ(ScanAll(t, &alice, o), want) << "query " << q;
  }
  // The iterator itself: reverse with a limit counts from the top and skips tombstones.
  HotScanOptions last3;
  last3.reverse = true;
  last3.limit = 3;
  auto scan = store_->NewScan(t, &alice, last3);
  ASSERT_TRUE(scan.ok());
  std::vector<int64_t> ids;
  while (true) {
    auto more = (*scan)->Next();
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    ids.push_back((*scan)->row().values[0].as_int64());
  }
  std::vector<int64_t> want_ids;
  for (auto it = model.rbegin(); it != model.rend() && want_ids.size() < 3; ++it)
    want_ids.push_back(it->first);
  EXPECT_EQ(ids, want_ids);
  HotScanOptions whole;
  whole.reverse = true;
  EXPECT_EQ(store_->NewTableScan(t, whole).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(HotStoreTest, CompositeKeysScanByKeyPrefix) {
  auto schema =
      std::make_shared<Schema>(std::vector<Field>{{"thread", DataType::kText, false, true, ""},
                                                  {"body", DataType::kText, false, false, ""},
                                                  {"seq", DataType::kInt, false, true, ""}},
                               SchemaMetadata{});
  const HotTable t = MakeTable(5, TableType::kUser, schema);
  const UserId u = User("u1");
  for (const char* thread : {"t", "t1", "t2"}) {
    for (int seq = 0; seq < 3; ++seq) {
      ASSERT_TRUE(
          store_->Insert(t, &u, {Value::Text(thread), Value::Text("m"), Value::Int(seq)}).ok());
    }
  }
  HotScanOptions o;
  o.lower = HotKeyBound{{Value::Text("t1")}, true};
  o.upper = HotKeyBound{{Value::Text("t1")}, true};
  auto batches = store_->Scan(t, &u, o);
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 1u);
  ASSERT_EQ((*batches)[0].num_rows(), 3u);
  for (size_t r = 0; r < 3; ++r) {
    EXPECT_EQ((*batches)[0].GetRow(r)[0], Value::Text("t1"));
    EXPECT_EQ((*batches)[0].GetRow(r)[2], Value::Int(static_cast<int32_t>(r)));
  }
  o.lower = HotKeyBound{{Value::Text("t"), Value::Int(1)}, false};
  o.upper = HotKeyBound{{Value::Text("t1")}, false};
  batches = store_->Scan(t, &u, o);
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].num_rows(), 1u);
  EXPECT_EQ((*batches)[0].GetRow(0)[2], Value::Int(2));
}

TEST_F(HotStoreTest, TombstoneScanFeedsTheNewestWinsMerge) {
  const HotTable t = MakeTable(6, TableType::kUser);
  const UserId u = User("u");
  ASSERT_TRUE(store_->Insert(t, &u, Msg(1, "hot")).ok());
  ASSERT_TRUE(store_->Insert(t, &u, Msg(2, "doomed")).ok());
  ASSERT_TRUE(*store_->Delete(t, &u, {Value::BigInt(2)}));
  HotScanOptions o;
  o.include_tombstones = true;
  auto hot = store_->Scan(t, &u, o);
  ASSERT_TRUE(hot.ok()) << hot.status().ToString();
  ASSERT_EQ(hot->size(), 1u);
  const Batch& h = (*hot)[0];
  ASSERT_EQ(h.num_columns(), 4u);
  EXPECT_EQ(h.schema()->field(3).name, "_deleted");
  EXPECT_EQ(h.GetRow(1),
            (std::vector<Value>{Value::BigInt(2), Value::Text(""), Value::Null(DataType::kDouble),
                                Value::Boolean(true)}));

  Batch cold(h.schema());  // an older flushed copy of both keys, and one more
  ASSERT_TRUE(cold.AppendRow({Value::BigInt(1), Value::Text("old"), Value::Double(1),
                              Value::Boolean(false)})
                  .ok());
  ASSERT_TRUE(cold.AppendRow({Value::BigInt(2), Value::Text("old"), Value::Double(1),
                              Value::Boolean(false)})
                  .ok());
  ASSERT_TRUE(cold.AppendRow({Value::BigInt(3), Value::Text("cold"), Value::Double(1),
                              Value::Boolean(false)})
                  .ok());
  auto merged = MergeNewestWins({&h, &cold}, t.schema());
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  std::map<int64_t, std::string> rows;
  for (size_t r = 0; r < merged->num_rows(); ++r)
    rows[merged->GetRow(r)[0].as_int64()] = std::string(merged->GetRow(r)[1].as_bytes());
  EXPECT_EQ(rows, (std::map<int64_t, std::string>{{1, "hot"}, {3, "cold"}}));
}

TEST_F(HotStoreTest, RowsWrittenBeforeAlterReadAfterIt) {
  auto v1 = MessageSchema();
  // v2: drop `score`, add `lang TEXT` and `pinned BOOLEAN NOT NULL` (default filled above).
  auto v2 = std::make_shared<Schema>(
      std::vector<Field>{{"id", DataType::kBigInt, false, true, ""},
                         {"lang", DataType::kText, true, false, ""},
                         {"body", DataType::kText, false, false, ""},
                         {"pinned", DataType::kBoolean, false, false, "false"}},
      SchemaMetadata{});
  const HotTable t1 = MakeTable(7, TableType::kUser, v1, 1);
  const UserId u = User("u");
  ASSERT_TRUE(
      store_->Insert(t1, &u, {Value::BigInt(1), Value::Text("old"), Value::Double(2)}).ok());
  ASSERT_TRUE(store_->Insert(t1, &u, Msg(2, "old2")).ok());
  ASSERT_TRUE(*store_->Delete(t1, &u, {Value::BigInt(2)}));

  SchemaLookup lookup = [&](uint32_t version) -> Result<std::shared_ptr<const Schema>> {
    if (version == 1) return std::shared_ptr<const Schema>(v1);
    if (version == 2) return std::shared_ptr<const Schema>(v2);
    return Status(ErrorCode::kNotFound, "unknown version");
  };
  const HotTable t2 = MakeTable(7, TableType::kUser, v2, 2, lookup);
  ASSERT_TRUE(
      store_
          ->Insert(t2, &u,
                   {Value::BigInt(3), Value::Text("en"), Value::Text("new"), Value::Boolean(true)})
          .ok());
  auto got = store_->Get(t2, &u, {Value::BigInt(1)});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(**got, (std::vector<Value>{Value::BigInt(1), Value::Null(DataType::kText),
                                       Value::Text("old"), Value::Null(DataType::kBoolean)}));
  EXPECT_FALSE(store_->Get(t2, &u, {Value::BigInt(2)})->has_value());
  auto batches = store_->Scan(t2, &u, {});
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  ASSERT_EQ(batches->size(), 1u);
  ASSERT_EQ((*batches)[0].num_rows(), 2u);
  EXPECT_EQ((*batches)[0].GetRow(0)[2], Value::Text("old"));
  EXPECT_TRUE((*batches)[0].GetRow(0)[3].is_null());
  EXPECT_EQ((*batches)[0].GetRow(1)[1], Value::Text("en"));
  // Updating an old row rewrites it under the new version.
  ASSERT_TRUE(
      store_
          ->Update(t2, &u,
                   {Value::BigInt(1), Value::Text("fr"), Value::Text("old"), Value::Boolean(false)})
          .ok());
  auto v = store_->GetVersion(t2, &u, {Value::BigInt(1)});
  EXPECT_EQ((*v)->header.schema_version, 2u);
  // Without a way to find version 1, its rows are an error, not garbage.
  const HotTable blind = MakeTable(7, TableType::kUser, v2, 2);
  ASSERT_TRUE(store_->Insert(t1, &u, Msg(4, "v1 again")).ok());
  EXPECT_EQ(store_->Scan(blind, &u, {}).status().code(), ErrorCode::kNotFound);
}

TEST_F(HotStoreTest, AcknowledgedWritesSurviveReopen) {
  const HotTable t = MakeTable(8, TableType::kUser);
  const UserId u = User("durable");
  for (int64_t id = 0; id < 50; ++id)
    ASSERT_TRUE(store_->Insert(t, &u, Msg(id, "v" + std::to_string(id))).ok());
  ASSERT_TRUE(*store_->Delete(t, &u, {Value::BigInt(7)}));
  ASSERT_TRUE(store_->Update(t, &u, Msg(8, "updated")).ok());
  Open();  // destroys the store and the KvStore, then reopens the directory
  auto rows = ScanAll(t, &u);
  ASSERT_EQ(rows.size(), 49u);
  EXPECT_FALSE(store_->Get(t, &u, {Value::BigInt(7)})->has_value());
  EXPECT_EQ(**store_->Get(t, &u, {Value::BigInt(8)}), Msg(8, "updated"));
  EXPECT_EQ(store_->Insert(t, &u, Msg(9, "dup")).code(), ErrorCode::kUniqueViolation);
}

TEST_F(HotStoreTest, BatchesAreAllOrNothing) {
  const HotTable t = MakeTable(10, TableType::kUser);
  const UserId u = User("u");
  ASSERT_TRUE(store_->Insert(t, &u, Msg(57, "existing")).ok());
  std::vector<HotWrite> writes;
  for (int64_t id = 0; id < 100; ++id)
    writes.push_back(HotWrite::Insert(Msg(id, "batch")));
  Status s = store_->ApplyBatch(t, &u, writes);
  EXPECT_EQ(s.code(), ErrorCode::kUniqueViolation);
  EXPECT_NE(s.message().find("row 58"), std::string_view::npos) << s.ToString();
  EXPECT_EQ(ScanAll(t, &u).size(), 1u);

  // A duplicate inside the batch, or a bad value late in it, also writes nothing.
  writes.clear();
  writes.push_back(HotWrite::Insert(Msg(1, "a")));
  writes.push_back(HotWrite::Insert(Msg(1, "b")));
  EXPECT_EQ(store_->ApplyBatch(t, &u, writes).code(), ErrorCode::kUniqueViolation);
  writes.back() = HotWrite::Insert({Value::BigInt(2)});
  EXPECT_EQ(store_->ApplyBatch(t, &u, writes).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ScanAll(t, &u).size(), 1u);

  // Writes see the batch's earlier writes.
  writes.clear();
  writes.push_back(HotWrite::Delete({Value::BigInt(57)}));
  writes.push_back(HotWrite::Insert(Msg(57, "replaced")));
  writes.push_back(HotWrite::Insert(Msg(58, "new")));
  writes.push_back(HotWrite::Update(Msg(58, "newer")));
  writes.push_back(HotWrite::Upsert(Msg(59, "up")));
  writes.push_back(HotWrite::Delete({Value::BigInt(59)}));
  ASSERT_TRUE(store_->ApplyBatch(t, &u, writes).ok());
  EXPECT_EQ(ScanAll(t, &u),
            (std::vector<std::pair<int64_t, std::string>>{{57, "replaced"}, {58, "newer"}}));
}

TEST_F(HotStoreTest, DropTableRemovesEveryUsersRowsAndNothingElse) {
  const HotTable dropped = MakeTable(20, TableType::kUser);
  const HotTable before = MakeTable(19, TableType::kUser);
  const HotTable after = MakeTable(21, TableType::kShared);
  const HotTable last = MakeTable(0xFFFFFFFFu, TableType::kShared);
  const UserId a = User("a"), b = User("b");
  for (const UserId* u : {&a, &b}) {
    for (int64_t id = 0; id < 10; ++id) {
      ASSERT_TRUE(store_->Insert(dropped, u, Msg(id, "x")).ok());
      ASSERT_TRUE(store_->Insert(before, u, Msg(id, "x")).ok());
    }
  }
  ASSERT_TRUE(*store_->Delete(dropped, &a, {Value::BigInt(3)}));
  ASSERT_TRUE(store_->Insert(after, nullptr, Msg(1, "x")).ok());
  ASSERT_TRUE(store_->Insert(last, nullptr, Msg(1, "x")).ok());

  ASSERT_TRUE(store_->DropTable(20).ok());
  HotScanOptions with_tombstones;
  with_tombstones.include_tombstones = true;
  EXPECT_TRUE(ScanAll(dropped, &a, with_tombstones).empty());
  EXPECT_TRUE(ScanAll(dropped, &b, with_tombstones).empty());
  EXPECT_EQ(ScanAll(before, &a).size(), 10u);
  EXPECT_EQ(ScanAll(before, &b).size(), 10u);
  EXPECT_EQ(ScanAll(after, nullptr).size(), 1u);
  // Nothing at all is left under the dropped table's prefix.
  {
    auto it = kv_->NewIterator(KvFamily::kRows);
    const std::string prefix = EncodeTablePrefix(20);
    it->Seek(prefix);
    EXPECT_TRUE(!it->Valid() || !it->key().starts_with(prefix));
  }

  ASSERT_TRUE(store_->DropTable(0xFFFFFFFFu).ok());  // no successor prefix: point deletes
  EXPECT_TRUE(ScanAll(last, nullptr).empty());
  EXPECT_EQ(ScanAll(after, nullptr).size(), 1u);
  // After a reopen the range delete still holds.
  Open();
  EXPECT_TRUE(ScanAll(dropped, &a, with_tombstones).empty());
  EXPECT_EQ(ScanAll(before, &b).size(), 10u);
}

TEST_F(HotStoreTest, ConcurrentInsertsOfOneKeyHaveExactlyOneWinner) {
  KvStore::Options fast;
  fast.sync_writes = false;  // the race, not the disk, is under test
  Open(fast);
  const HotTable t = MakeTable(30, TableType::kUser);
  const UserId u = User("racer");
  constexpr int kThreads = 8;
  constexpr int kKeys = 200;
  std::vector<std::atomic<int>> wins(kKeys);
  std::atomic<int> other_errors{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      for (int k = 0; k < kKeys; ++k) {
        // Half the threads insert one row at a time, half in two-row batches.
        Status s;
        if (th % 2 == 0) {
          s = store_->Insert(t, &u, Msg(k, "t" + std::to_string(th)));
        } else {
          s = store_->ApplyBatch(t, &u, {HotWrite::Insert(Msg(k, "t" + std::to_string(th)))});
        }
        if (s.ok()) {
          wins[k].fetch_add(1);
        } else if (s.code() != ErrorCode::kUniqueViolation) {
          other_errors.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(other_errors.load(), 0);
  for (int k = 0; k < kKeys; ++k)
    ASSERT_EQ(wins[k].load(), 1) << "key " << k;
  EXPECT_EQ(ScanAll(t, &u).size(), static_cast<size_t>(kKeys));
}

TEST_F(HotStoreTest, ColdProbeDecidesForKeysTheHotStoreLacks) {
  HotStore::Options options;
  std::vector<int64_t> probed;
  options.cold_probe = [&](const HotTable&, const UserId*,
                           const std::vector<Value>& key) -> Result<bool> {
    probed.push_back(key[0].as_int64());
    return key[0].as_int64() < 100;  // keys below 100 were flushed and are live
  };
  ManualClock clock(/*unix_micros=*/1000);
  options.clock = &clock;
  Open({}, std::move(options));
  const HotTable t = MakeTable(40, TableType::kUser);
  const UserId u = User("u");
  EXPECT_EQ(store_->Insert(t, &u, Msg(5, "dup of cold")).code(), ErrorCode::kUniqueViolation);
  EXPECT_TRUE(store_->Insert(t, &u, Msg(500, "fresh")).ok());
  EXPECT_TRUE(store_->Update(t, &u, Msg(6, "updates a cold row")).ok());
  auto deleted = store_->Delete(t, &u, {Value::BigInt(7)});
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);  // a tombstone now hides the cold copy
  EXPECT_TRUE((*store_->GetVersion(t, &u, {Value::BigInt(7)}))->is_tombstone());
  EXPECT_FALSE(*store_->Delete(t, &u, {Value::BigInt(700)}));
  // Once the hot store has a version, the probe is not asked.
  probed.clear();
  EXPECT_TRUE(store_->Insert(t, &u, Msg(7, "back")).ok());
  EXPECT_TRUE(probed.empty());
  // The write clock is stamped on every version.
  auto v = store_->GetVersion(t, &u, {Value::BigInt(7)});
  EXPECT_GE((*v)->header.write_micros, 1000);
}

TEST_F(HotStoreTest, TableScanAndListUsersSpanEveryUser) {
  const HotTable t = MakeTable(50, TableType::kUser);
  const HotTable neighbour = MakeTable(51, TableType::kUser);
  const std::vector<std::string> names = {"b", "a", "ab", "a_b"};
  for (const auto& n : names) {
    const UserId u = User(n);
    for (int64_t id = 0; id < 3; ++id)
      ASSERT_TRUE(store_->Insert(t, &u, Msg(id, n)).ok());
    ASSERT_TRUE(store_->Insert(neighbour, &u, Msg(9, n)).ok());
  }
  const UserId a = User("a");
  ASSERT_TRUE(*store_->Delete(t, &a, {Value::BigInt(0)}));

  auto users = store_->ListUsers(t);
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  EXPECT_EQ(*users, (std::vector<std::string>{"a", "a_b", "ab", "b"}));

  HotScanOptions o;
  o.include_tombstones = true;
  auto scan = store_->NewTableScan(t, o);
  ASSERT_TRUE(scan.ok());
  std::vector<std::string> seen;
  while (true) {
    auto more = (*scan)->Next();
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    const HotRow& row = (*scan)->row();
    if (!row.is_tombstone()) {
      EXPECT_EQ(row.values[1].as_bytes(), (*scan)->user_id());
    }
    seen.push_back((*scan)->user_id() + ":" + row.values[0].ToString());
    // The raw bytes are what the store holds, for the flush's compare-and-delete.
    EXPECT_EQ(*kv_->Get(KvFamily::kRows, (*scan)->key()).value(), (*scan)->value_bytes());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a:0", "a:1", "a:2", "a_b:0", "a_b:1", "a_b:2", "ab:0",
                                            "ab:1", "ab:2", "b:0", "b:1", "b:2"}));
  o.lower = HotKeyBound{{Value::BigInt(1)}, true};
  EXPECT_EQ(store_->NewTableScan(t, o).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->ListUsers(MakeTable(52, TableType::kShared)).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->ListUsers(MakeTable(53, TableType::kUser))->empty());
}

TEST_F(HotStoreTest, StreamRowsExpireByWriteTime) {
  ManualClock clock(/*unix_micros=*/1000);
  HotStore::Options options;
  options.clock = &clock;
  Open({}, std::move(options));
  const HotTable t = MakeTable(60, TableType::kStream);
  const UserId a = User("a"), b = User("b");
  for (int64_t id = 0; id < 5; ++id) {
    clock.SetUnixMicros(1000 + id * 100);  // ids written at 1000, 1100, ..., 1400
    ASSERT_TRUE(store_->Insert(t, &a, Msg(id, "a")).ok());
    ASSERT_TRUE(store_->Insert(t, &b, Msg(id, "b")).ok());
  }
  clock.SetUnixMicros(2000);
  ASSERT_TRUE(store_->Upsert(t, &a, Msg(0, "refreshed")).ok());

  HotScanOptions fresh;
  fresh.written_since_micros = 1250;
  EXPECT_EQ(ScanAll(t, &a, fresh),
            (std::vector<std::pair<int64_t, std::string>>{{0, "refreshed"}, {3, "a"}, {4, "a"}}));
  auto removed = store_->DeleteExpired(t, 1250);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 5u);  // a:1, a:2, b:0, b:1, b:2
  EXPECT_EQ(ScanAll(t, &a).size(), 3u);
  EXPECT_EQ(ScanAll(t, &b).size(), 2u);
  EXPECT_EQ(*store_->DeleteExpired(t, 1250), 0u);
  EXPECT_EQ(store_->DeleteExpired(MakeTable(61, TableType::kUser), 1).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(HotStoreTest, ScanProjectsColumns) {
  const HotTable t = MakeTable(70, TableType::kShared);
  ASSERT_TRUE(
      store_->Insert(t, nullptr, {Value::BigInt(1), Value::Text("x"), Value::Double(2.5)}).ok());
  ASSERT_TRUE(store_->Insert(t, nullptr, Msg(2, "gone")).ok());
  ASSERT_TRUE(*store_->Delete(t, nullptr, {Value::BigInt(2)}));
  HotScanOptions o;
  o.columns = {2, 0};
  auto batches = store_->Scan(t, nullptr, o);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].schema()->field(0).name, "score");
  EXPECT_EQ((*batches)[0].GetRow(0), (std::vector<Value>{Value::Double(2.5), Value::BigInt(1)}));
  o.include_tombstones = true;
  batches = store_->Scan(t, nullptr, o);
  ASSERT_TRUE(batches.ok());
  EXPECT_EQ((*batches)[0].GetRow(1), (std::vector<Value>{Value::Null(DataType::kDouble),
                                                         Value::BigInt(2), Value::Boolean(true)}));
  o.columns = {3};
  EXPECT_EQ(store_->Scan(t, nullptr, o).status().code(), ErrorCode::kInvalidArgument);
  // An empty user id means "no user" for a SHARED table.
  const UserId none;
  EXPECT_TRUE(store_->Get(t, &none, {Value::BigInt(1)})->has_value());
}

TEST_F(HotStoreTest, RandomWorkloadMatchesAModel) {
  KvStore::Options fast;
  fast.sync_writes = false;
  Open(fast);
  // Composite key (k1 INT, k2 TEXT) so bounds on a key prefix are exercised too.
  auto schema =
      std::make_shared<Schema>(std::vector<Field>{{"k1", DataType::kInt, false, true, ""},
                                                  {"k2", DataType::kText, false, true, ""},
                                                  {"v", DataType::kBigInt, true, false, ""}},
                               SchemaMetadata{});
  const HotTable t = MakeTable(80, TableType::kUser, schema);
  const UserId users[] = {User("a"), User("ab")};
  using Key = std::pair<int32_t, std::string>;
  std::map<Key, int64_t> model[2];
  std::mt19937_64 rng(99);
  auto random_key = [&]() -> Key {
    static const char* kTexts[] = {"", "a", "ab", "b", "\x7F"};
    return {static_cast<int32_t>(rng() % 9) - 4, kTexts[rng() % 5]};
  };
  auto row = [](const Key& k, int64_t v) {
    return std::vector<Value>{Value::Int(k.first), Value::Text(k.second), Value::BigInt(v)};
  };
  for (int step = 0; step < 1500; ++step) {
    const int u = static_cast<int>(rng() % 2);
    const Key k = random_key();
    const int64_t v = static_cast<int64_t>(rng() % 1000);
    const bool present = model[u].count(k) > 0;
    switch (rng() % 4) {
      case 0: {
        const Status s = store_->Insert(t, &users[u], row(k, v));
        ASSERT_EQ(s.ok(), !present) << s.ToString();
        if (s.ok()) model[u][k] = v;
        break;
      }
      case 1:
        ASSERT_TRUE(store_->Upsert(t, &users[u], row(k, v)).ok());
        model[u][k] = v;
        break;
      case 2: {
        auto deleted = store_->Delete(t, &users[u], {Value::Int(k.first), Value::Text(k.second)});
        ASSERT_TRUE(deleted.ok());
        ASSERT_EQ(*deleted, present);
        model[u].erase(k);
        break;
      }
      default: {
        // A batch of three inserts: all land or none do.
        std::vector<HotWrite> writes;
        std::map<Key, int64_t> after = model[u];
        bool ok = true;
        for (int i = 0; i < 3; ++i) {
          const Key bk = random_key();
          writes.push_back(HotWrite::Insert(row(bk, i)));
          ok = ok && after.emplace(bk, i).second;
        }
        const Status s = store_->ApplyBatch(t, &users[u], writes);
        ASSERT_EQ(s.ok(), ok) << s.ToString();
        if (ok) model[u] = std::move(after);
      }
    }
    if (step % 50 != 0) continue;
    // A random range scan of each user against the model.
    for (int mu = 0; mu < 2; ++mu) {
      HotScanOptions o;
      std::optional<Key> lo, hi;
      bool lo_inc = rng() % 2, hi_inc = rng() % 2, lo_prefix = rng() % 2, hi_prefix = rng() % 2;
      if (rng() % 3) {
        lo = random_key();
        o.lower = HotKeyBound{{Value::Int(lo->first)}, lo_inc};
        if (!lo_prefix) o.lower->key.push_back(Value::Text(lo->second));
      }
      if (rng() % 3) {
        hi = random_key();
        o.upper = HotKeyBound{{Value::Int(hi->first)}, hi_inc};
        if (!hi_prefix) o.upper->key.push_back(Value::Text(hi->second));
      }
      o.limit = rng() % 4 == 0 ? 1 + rng() % 5 : 0;
      std::vector<std::string> expected;
      for (const auto& [k, v] : model[mu]) {
        if (lo) {
          const int c = lo_prefix ? (k.first > lo->first) - (k.first < lo->first)
                                  : (k < *lo ? -1 : (*lo < k ? 1 : 0));
          if (c < 0 || (c == 0 && !lo_inc)) continue;
        }
        if (hi) {
          const int c = hi_prefix ? (k.first > hi->first) - (k.first < hi->first)
                                  : (k < *hi ? -1 : (*hi < k ? 1 : 0));
          if (c > 0 || (c == 0 && !hi_inc)) continue;
        }
        if (o.limit != 0 && expected.size() >= o.limit) break;
        expected.push_back(std::to_string(k.first) + "/" + k.second + "=" + std::to_string(v));
      }
      auto batches = store_->Scan(t, &users[mu], o, 3);
      ASSERT_TRUE(batches.ok()) << batches.status().ToString();
      std::vector<std::string> got;
      for (const Batch& b : *batches) {
        for (size_t r = 0; r < b.num_rows(); ++r) {
          auto vals = b.GetRow(r);
          got.push_back(std::to_string(vals[0].as_int64()) + "/" + std::string(vals[1].as_bytes()) +
                        "=" + std::to_string(vals[2].as_int64()));
        }
      }
      ASSERT_EQ(got, expected) << "step " << step;
    }
  }
}

TEST_F(HotStoreTest, OverlappingBatchesInOppositeOrdersDoNotDeadlock) {
  KvStore::Options fast;
  fast.sync_writes = false;
  Open(fast);
  const HotTable t = MakeTable(90, TableType::kShared);
  constexpr int kKeys = 64;
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th) {
    threads.emplace_back([&, th] {
      for (int round = 0; round < 50; ++round) {
        std::vector<HotWrite> writes;
        for (int i = 0; i < kKeys; ++i) {
          const int k = th % 2 == 0 ? i : kKeys - 1 - i;
          writes.push_back(HotWrite::Upsert(Msg(k, "t" + std::to_string(th))));
        }
        ASSERT_TRUE(store_->ApplyBatch(t, nullptr, writes).ok());
      }
    });
  }
  for (auto& th : threads)
    th.join();
  // Each batch is atomic, so every key carries the body of the last batch applied.
  auto rows = ScanAll(t, nullptr);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kKeys));
  for (const auto& [id, body] : rows)
    EXPECT_EQ(body, rows[0].second);
}

}  // namespace
}  // namespace tenantdb
