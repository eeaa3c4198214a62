#include "engine/flush_scheduler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "catalog/persistent_catalog.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/cold/batch_file.h"

namespace tenantdb {
namespace {

class FlushSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tenantdb-fs-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    kv_ = *KvStore::Open(dir_);
    catalog_ = *PersistentCatalog::Open(kv_.get(), &pool_);
    storages_ = std::make_unique<StorageRegistry>(dir_ + "/storage");
    store_ = std::make_unique<TableStore>(kv_.get(), catalog_.get());
    cache_ = std::make_unique<SchemaCache>(SchemaCache::Options(), catalog_->Loader(*storages_));
    scheduler_ = std::make_unique<FlushScheduler>(cache_.get(), store_.get(), &clock_);
    ASSERT_TRUE(catalog_->CreateNamespace(*NamespaceId::Make("app")).ok());
  }
  void TearDown() override {
    scheduler_.reset();
    cache_.reset();
    store_.reset();
    catalog_.reset();
    kv_.reset();
    std::filesystem::remove_all(dir_);
  }
  TableEntryRef Create(const std::string& name, const std::string& policy) {
    TableDefinition d;
    d.id = *TableId::Make("app", name);
    d.type = TableType::kShared;
    d.schema = pool_.Intern({{"id", DataType::kBigInt, false, true, ""}});
    d.storage_id = storages_->local()->id;
    d.flush_policy = *FlushPolicy::Parse(policy);
    EXPECT_TRUE(catalog_->CreateTable(d).ok());
    return *cache_->Get(d.id);
  }
  void Write(const TableEntryRef& t, int64_t from, int64_t to, bool record = true) {
    auto hot = *store_->HotTableFor(*t);
    for (int64_t i = from; i < to; ++i)
      ASSERT_TRUE(store_->hot().Insert(hot, nullptr, {Value::BigInt(i)}).ok());
    if (record) scheduler_->RecordWrites(*t, static_cast<uint64_t>(to - from));
  }
  // A process that wrote rows and stopped before its flush job ran: the rows are stored,
  // the scheduler that counted them is gone.
  void WriteThenRestart(const TableEntryRef& t, int64_t from, int64_t to) {
    Write(t, from, to, /*record=*/false);
    scheduler_ = std::make_unique<FlushScheduler>(cache_.get(), store_.get(), &clock_);
  }
  // Whether the table's directory holds batch file number `n` (of any table number).
  bool HasFile(const std::string& table, uint64_t n) {
    std::error_code ec;
    for (const auto& item :
         std::filesystem::directory_iterator(dir_ + "/storage/app/" + table, ec)) {
      auto id = ParseBatchFileName(item.path().filename().string());
      if (id && id->batch_number == n) return true;
    }
    return false;
  }

  std::string dir_;
  SchemaPool pool_;
  ManualClock clock_;
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<PersistentCatalog> catalog_;
  std::unique_ptr<StorageRegistry> storages_;
  std::unique_ptr<TableStore> store_;
  std::unique_ptr<SchemaCache> cache_;
  std::unique_ptr<FlushScheduler> scheduler_;
};

TEST_F(FlushSchedulerTest, RowsPolicyFlushesOnceEnoughRowsArrived) {
  auto t = Create("counted", "rows:5");
  Write(t, 0, 4);
  // A check that flushed nothing says nothing, so its job run is not recorded.
  auto idle = scheduler_->CheckAndFlush();
  ASSERT_TRUE(idle.ok()) << idle.status().ToString();
  EXPECT_EQ(*idle, "");
  EXPECT_FALSE(HasFile("counted", 1));
  Write(t, 4, 6);
  auto summary = scheduler_->CheckAndFlush();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(*summary, "flushed 1 tables, 6 rows");
  EXPECT_TRUE(HasFile("counted", 1));
  ASSERT_TRUE(scheduler_->CheckAndFlush().ok());
  EXPECT_FALSE(HasFile("counted", 2));  // the counter restarted
}

TEST_F(FlushSchedulerTest, IntervalPolicyFlushesWrittenTablesWhenTheTimeComes) {
  auto timed = Create("timed", "interval:60");
  auto quiet = Create("quiet", "interval:60");
  Write(timed, 0, 1);
  clock_.AdvanceSeconds(59);
  ASSERT_TRUE(scheduler_->CheckAndFlush().ok());
  EXPECT_FALSE(HasFile("timed", 1));
  clock_.AdvanceSeconds(2);
  ASSERT_TRUE(scheduler_->CheckAndFlush().ok());
  EXPECT_TRUE(HasFile("timed", 1));
  EXPECT_FALSE(HasFile("quiet", 1));  // no writes, nothing to flush
}

TEST_F(FlushSchedulerTest, TablesWithoutAPolicyAreNotTracked) {
  auto manual = Create("manual", "rows:1");
  TableDefinition d = manual->definition();
  d.id = *TableId::Make("app", "none");
  d.flush_policy = {};
  ASSERT_TRUE(catalog_->CreateTable(d).ok());
  auto none = *cache_->Get(d.id);
  Write(none, 0, 100);
  ASSERT_TRUE(scheduler_->CheckAndFlush().ok());
  EXPECT_FALSE(HasFile("none", 1));
}

TEST_F(FlushSchedulerTest, RowsWrittenBeforeARestartFlushWithoutNewWrites) {
  auto over = Create("over", "rows:5");
  auto under = Create("under", "rows:5");
  auto unmanaged = Create("unmanaged", "rows:5");
  WriteThenRestart(over, 0, 6);
  WriteThenRestart(under, 0, 3);
  TableDefinition d = unmanaged->definition();
  d.id = *TableId::Make("app", "none");
  d.flush_policy = {};
  ASSERT_TRUE(catalog_->CreateTable(d).ok());
  WriteThenRestart(*cache_->Get(d.id), 0, 100);

  auto summary = scheduler_->CheckAndFlush();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(*summary, "flushed 1 tables, 6 rows");
  EXPECT_TRUE(HasFile("over", 1));
  EXPECT_FALSE(HasFile("under", 1));
  EXPECT_FALSE(HasFile("none", 1));  // no policy: stored rows are not its business
  // The 3 stored rows and 2 new ones reach the threshold together, counted once each.
  Write(under, 3, 5);
  ASSERT_TRUE(scheduler_->CheckAndFlush().ok());
  EXPECT_TRUE(HasFile("under", 1));
  ASSERT_TRUE(scheduler_->CheckAndFlush().ok());
  EXPECT_FALSE(HasFile("over", 2));
  EXPECT_FALSE(HasFile("under", 2));
}

TEST_F(FlushSchedulerTest, AnIntervalRunsFromTheOpenForRowsWrittenBeforeARestart) {
  auto timed = Create("timed", "interval:60");
  WriteThenRestart(timed, 0, 2);
  ASSERT_TRUE(scheduler_->CheckAndFlush().ok());
  EXPECT_FALSE(HasFile("timed", 1));
  clock_.AdvanceSeconds(61);
  ASSERT_TRUE(scheduler_->CheckAndFlush().ok());
  EXPECT_TRUE(HasFile("timed", 1));
}

}  // namespace
}  // namespace tenantdb
