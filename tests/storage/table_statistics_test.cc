// Table statistics in the storage layer (storage/table_statistics_store.h,
// storage/table_analyzer.h): row counts per table and per user slice as writes commit,
// across flushes, STREAM expiry and reopening; ANALYZE's per-column figures.
#include "storage/table_statistics_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/table_analyzer.h"
#include "storage/table_store.h"

namespace tenantdb {
namespace {

class TableStatisticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tenantdb-tstats-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    Open();
    ASSERT_TRUE(catalog_->CreateNamespace(*NamespaceId::Make("chat")).ok());
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Close() {
    store_.reset();  // checkpoints the counts
    catalog_.reset();
    storages_.reset();
    kv_.reset();
  }
  void Open() {
    Close();
    kv_ = std::move(*KvStore::Open(dir_));
    catalog_ = std::move(*PersistentCatalog::Open(kv_.get(), &pool_));
    storages_ = std::make_unique<StorageRegistry>(dir_ + "/storage");
    TableStore::Options options;
    options.clock = &clock_;
    store_ = std::make_unique<TableStore>(kv_.get(), catalog_.get(), options);
  }
  // (id BIGINT PRIMARY KEY, grp INT, name TEXT)
  TableEntryRef CreateTable(const std::string& name, TableType type, uint32_t ttl = 0) {
    TableDefinition d;
    d.id = *TableId::Make("chat", name);
    d.type = type;
    d.ttl_seconds = ttl;
    d.schema = pool_.Intern({{"id", DataType::kBigInt, false, true, ""},
                             {"grp", DataType::kInt, true, false, ""},
                             {"name", DataType::kText, true, false, ""}});
    d.storage_id = storages_->local()->id;
    EXPECT_TRUE(catalog_->CreateTable(d).ok());
    return Entry(name);
  }
  TableEntryRef Entry(const std::string& name) {
    auto entry = catalog_->Loader(*storages_)(*TableId::Make("chat", name));
    EXPECT_TRUE(entry.ok()) << entry.status().ToString();
    return *entry;
  }
  static std::vector<Value> Row(int64_t id, std::optional<int32_t> grp, const std::string& name) {
    return {Value::BigInt(id), grp ? Value::Int(*grp) : Value::Null(DataType::kInt),
            Value::Text(name)};
  }
  Status Write(const TableEntryRef& t, const UserId* user, std::vector<HotWrite> writes) {
    auto hot = store_->HotTableFor(*t);
    if (!hot.ok()) return hot.status();
    clock_.Advance(1);
    return store_->hot().ApplyBatch(*hot, user, writes);
  }
  Status Insert(const TableEntryRef& t, const UserId* user, int64_t id) {
    return Write(t, user, {HotWrite::Insert(Row(id, 1, "x"))});
  }
  Status Delete(const TableEntryRef& t, const UserId* user, int64_t id) {
    return Write(t, user, {HotWrite::Delete({Value::BigInt(id)})});
  }
  TableStatisticsStore::Estimate Get(const TableEntryRef& t, const UserId* user) {
    auto e = store_->statistics().Get(*t, user);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? *e : TableStatisticsStore::Estimate{};
  }

  std::string dir_;
  SchemaPool pool_;
  ManualClock clock_{1'700'000'000'000'000};
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<PersistentCatalog> catalog_;
  std::unique_ptr<StorageRegistry> storages_;
  std::unique_ptr<TableStore> store_;
  UserId alice_ = *UserId::Make("alice");
  UserId bob_ = *UserId::Make("bob");
  UserId carol_ = *UserId::Make("carol");
};

TEST_F(TableStatisticsTest, InsertsUpdatesAndDeletesMoveTheSliceAndTableCounts) {
  auto t = CreateTable("notes", TableType::kUser);
  for (int64_t id = 1; id <= 3; ++id)
    ASSERT_TRUE(Insert(t, &alice_, id).ok());
  ASSERT_TRUE(
      Write(t, &bob_, {HotWrite::Insert(Row(1, 1, "b")), HotWrite::Insert(Row(2, 1, "b"))}).ok());
  // Updates and upserts of existing keys add nothing; an upsert of a new key adds one.
  ASSERT_TRUE(Write(t, &alice_,
                    {HotWrite::Update(Row(1, 2, "y")), HotWrite::Upsert(Row(2, 2, "y")),
                     HotWrite::Upsert(Row(4, 2, "y"))})
                  .ok());
  // A delete of an absent key hides nothing; a failed batch changes nothing.
  ASSERT_TRUE(Delete(t, &bob_, 1).ok());
  ASSERT_TRUE(Delete(t, &bob_, 99).ok());
  EXPECT_EQ(Insert(t, &alice_, 1).code(), ErrorCode::kUniqueViolation);
  // Insert after delete of the same key in one batch: -1 + 1.
  ASSERT_TRUE(
      Write(t, &alice_, {HotWrite::Delete({Value::BigInt(3)}), HotWrite::Insert(Row(3, 3, "z"))})
          .ok());

  auto a = Get(t, &alice_);
  ASSERT_TRUE(a.counts.known);
  EXPECT_EQ(a.counts.rows, 5);  // alice 4, bob 1
  EXPECT_EQ(a.counts.users, 2);
  ASSERT_TRUE(a.counts.slice.has_value());
  EXPECT_EQ(*a.counts.slice, 4);
  EXPECT_EQ(*Get(t, &bob_).counts.slice, 1);
  EXPECT_EQ(*Get(t, &carol_).counts.slice, 0);
  EXPECT_EQ(a.analyzed, nullptr);

  // Bob's last row goes: one user fewer.
  ASSERT_TRUE(Delete(t, &bob_, 2).ok());
  EXPECT_EQ(Get(t, nullptr).counts.users, 1);
}

TEST_F(TableStatisticsTest, FlushedRowsKeepTheirCountAndDeletesOfThemCount) {
  auto t = CreateTable("notes", TableType::kUser);
  for (int64_t id = 1; id <= 4; ++id)
    ASSERT_TRUE(Insert(t, &alice_, id).ok());
  ASSERT_TRUE(Insert(t, &bob_, 1).ok());
  ASSERT_TRUE(store_->Flush(*t).ok());
  EXPECT_EQ(Get(t, &alice_).counts.rows, 5);
  EXPECT_EQ(*Get(t, &alice_).counts.slice, 4);
  // The keys live only in Parquet now: a re-insert is a duplicate, a delete hides a row,
  // an update of a flushed row adds nothing.
  EXPECT_EQ(Insert(t, &alice_, 2).code(), ErrorCode::kUniqueViolation);
  ASSERT_TRUE(Delete(t, &alice_, 1).ok());
  ASSERT_TRUE(Write(t, &alice_, {HotWrite::Update(Row(2, 9, "u"))}).ok());
  ASSERT_TRUE(Delete(t, &alice_, 1).ok());  // already deleted
  EXPECT_EQ(*Get(t, &alice_).counts.slice, 3);
  ASSERT_TRUE(store_->Flush(*t).ok());
  ASSERT_TRUE(store_->Compact(*t).ok());
  auto e = Get(t, &alice_);
  EXPECT_EQ(e.counts.rows, 4);
  EXPECT_EQ(*e.counts.slice, 3);
  EXPECT_EQ(e.counts.users, 2);
}

TEST_F(TableStatisticsTest, CountsSurviveReopeningAndUsersAreRecountedAtFlush) {
  auto t = CreateTable("notes", TableType::kUser);
  auto shared = CreateTable("config", TableType::kShared);
  for (int64_t id = 1; id <= 3; ++id)
    ASSERT_TRUE(Insert(t, &alice_, id).ok());
  ASSERT_TRUE(Insert(t, &bob_, 1).ok());
  for (int64_t id = 1; id <= 7; ++id)
    ASSERT_TRUE(Insert(shared, nullptr, id).ok());
  ASSERT_TRUE(Delete(shared, nullptr, 7).ok());
  Open();  // closing checkpointed the counts
  t = Entry("notes");
  shared = Entry("config");
  auto e = Get(t, &alice_);
  ASSERT_TRUE(e.counts.known);
  EXPECT_EQ(e.counts.rows, 4);
  EXPECT_EQ(e.counts.users, 2);
  // The slices were not stored: estimated from the average plus this process's changes.
  EXPECT_FALSE(e.counts.slice.has_value());
  EXPECT_EQ(Get(shared, nullptr).counts.rows, 6);
  EXPECT_EQ(Get(shared, nullptr).counts.users, -1);

  // A new user after the reopen: counted in rows at once, in users at the next flush
  // (which lists the users holding files).
  ASSERT_TRUE(Insert(t, &carol_, 1).ok());
  ASSERT_TRUE(Insert(t, &carol_, 2).ok());
  e = Get(t, &carol_);
  EXPECT_EQ(e.counts.rows, 6);
  EXPECT_EQ(e.counts.slice_delta, 2);
  ASSERT_TRUE(store_->Flush(*t).ok());
  EXPECT_EQ(Get(t, nullptr).counts.users, 3);

  // The flush checkpointed: a reopen sees the new figures even without a clean close of
  // the statistics (the destructor's checkpoint has nothing left to write).
  Open();
  EXPECT_EQ(Get(Entry("notes"), nullptr).counts.rows, 6);
  EXPECT_EQ(Get(Entry("notes"), nullptr).counts.users, 3);
}

TEST_F(TableStatisticsTest, CheckpointIfDueWritesChangedCountsPeriodically) {
  auto t = CreateTable("config", TableType::kShared);
  ASSERT_TRUE(store_->statistics().Checkpoint().ok());  // starts the period
  ASSERT_TRUE(Insert(t, nullptr, 1).ok());
  ASSERT_TRUE(store_->statistics().CheckpointIfDue().ok());  // not due yet
  auto stored = catalog_->ReadTableStats(t->table_number());
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->rows, 0);
  clock_.Advance(TableStatisticsStore::kCheckpointPeriodMicros);
  ASSERT_TRUE(store_->statistics().CheckpointIfDue().ok());
  stored = catalog_->ReadTableStats(t->table_number());
  EXPECT_EQ((*stored)->rows, 1);
}

TEST_F(TableStatisticsTest, ExpiredStreamRowsLeaveTheCounts) {
  auto t = CreateTable("events", TableType::kStream, /*ttl=*/60);
  ASSERT_TRUE(Insert(t, &alice_, 1).ok());
  ASSERT_TRUE(Insert(t, &alice_, 2).ok());
  ASSERT_TRUE(Insert(t, &bob_, 1).ok());
  ASSERT_TRUE(Delete(t, &bob_, 1).ok());  // a tombstone: expiring it removes no live row
  EXPECT_EQ(Get(t, nullptr).counts.rows, 2);
  clock_.AdvanceSeconds(61);
  ASSERT_TRUE(Insert(t, &alice_, 3).ok());
  auto removed = store_->ExpireStream(*t);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 3u);
  auto e = Get(t, &alice_);
  EXPECT_EQ(e.counts.rows, 1);
  EXPECT_EQ(*e.counts.slice, 1);
  EXPECT_EQ(e.counts.users, 1);
}

TEST_F(TableStatisticsTest, DroppingATableForgetsItsCounts) {
  auto t = CreateTable("notes", TableType::kUser);
  ASSERT_TRUE(Insert(t, &alice_, 1).ok());
  ASSERT_TRUE(catalog_->DropTable(t->id()).ok());
  ASSERT_TRUE(store_->hot().DropTable(t->table_number()).ok());
  EXPECT_FALSE(store_->hot().row_counts().Get(t->table_number(), "").has_value());
  EXPECT_FALSE(catalog_->ReadTableStats(t->table_number())->has_value());
}

// 1000 rows, half flushed: id 0..999 (distinct, no NULLs), grp = id % 37 except NULL for
// every fourth id, name = "n<id % 100>".
TEST_F(TableStatisticsTest, AnalyzeMeasuresDistinctValuesNullsAndBounds) {
  auto t = CreateTable("facts", TableType::kShared);
  std::vector<HotWrite> writes;
  for (int64_t id = 0; id < 1000; ++id) {
    writes.push_back(HotWrite::Insert(Row(id, id % 4 == 0 ? std::nullopt : std::optional(id % 37),
                                          "n" + std::to_string(id % 100))));
    if (id == 499) {
      ASSERT_TRUE(Write(t, nullptr, std::move(writes)).ok());
      writes.clear();
      ASSERT_TRUE(store_->Flush(*t).ok());
    }
  }
  ASSERT_TRUE(Write(t, nullptr, std::move(writes)).ok());
  auto analysis = AnalyzeTable(*store_, *catalog_, *t, clock_.NowUnixMicros());
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  const TableStatsRecord& r = analysis->record;
  EXPECT_EQ(r.rows, 1000);
  EXPECT_EQ(r.analyzed_rows, 1000);
  EXPECT_EQ(r.users, -1);
  ASSERT_EQ(r.columns.size(), 3u);
  EXPECT_EQ(r.columns[0].column_id, t->schema()->field(0).id);
  EXPECT_NEAR(r.columns[0].distinct, 1000, 10);  // HyperLogLog, linear-counting range
  EXPECT_EQ(r.columns[0].null_fraction, 0);
  EXPECT_EQ(r.columns[0].min, Value::BigInt(0));
  EXPECT_EQ(r.columns[0].max, Value::BigInt(999));
  EXPECT_NEAR(r.columns[1].distinct, 37, 1);
  EXPECT_DOUBLE_EQ(r.columns[1].null_fraction, 0.25);
  EXPECT_EQ(r.columns[1].min, Value::Int(0));
  EXPECT_EQ(r.columns[1].max, Value::Int(36));
  EXPECT_NEAR(r.columns[2].distinct, 100, 2);
  EXPECT_EQ(r.columns[2].min, Value::Text("n0"));
  EXPECT_EQ(r.columns[2].max, Value::Text("n99"));

  ASSERT_TRUE(store_->statistics().Install(*t, analysis->record, analysis->slices).ok());
  Open();
  auto e = Get(Entry("facts"), nullptr);
  ASSERT_NE(e.analyzed, nullptr);
  EXPECT_EQ(e.analyzed->columns, r.columns);
  EXPECT_EQ(e.counts.rows, 1000);
}

TEST_F(TableStatisticsTest, AnalyzeOfAPerUserTableCountsEverySlice) {
  auto t = CreateTable("notes", TableType::kUser);
  for (int64_t id = 1; id <= 5; ++id)
    ASSERT_TRUE(Insert(t, &alice_, id).ok());
  ASSERT_TRUE(Insert(t, &bob_, 1).ok());
  ASSERT_TRUE(store_->Flush(*t).ok());
  ASSERT_TRUE(Insert(t, &carol_, 1).ok());
  ASSERT_TRUE(Delete(t, &bob_, 1).ok());  // bob has a file but no live row
  Open();                                 // slices are estimates after a reopen...
  t = Entry("notes");
  EXPECT_FALSE(Get(t, &alice_).counts.slice.has_value());
  auto analysis = AnalyzeTable(*store_, *catalog_, *t, clock_.NowUnixMicros());
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  EXPECT_EQ(analysis->record.rows, 6);
  EXPECT_EQ(analysis->record.users, 2);
  ASSERT_TRUE(store_->statistics().Install(*t, analysis->record, analysis->slices).ok());
  auto e = Get(t, &alice_);  // ...and exact again after ANALYZE
  EXPECT_EQ(e.counts.rows, 6);
  EXPECT_EQ(e.counts.users, 2);
  ASSERT_TRUE(e.counts.slice.has_value());
  EXPECT_EQ(*e.counts.slice, 5);
  EXPECT_EQ(*Get(t, &bob_).counts.slice, 0);
}

}  // namespace
}  // namespace tenantdb
