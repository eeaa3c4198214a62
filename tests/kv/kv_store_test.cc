#include "kv/kv_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <filesystem>

namespace tenantdb {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

TEST(KvStore, WritesAcrossFamiliesAtomicallyAndPersists) {
  const std::string dir = TempDir("kv");
  {
    auto store = KvStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    rocksdb::WriteBatch batch;
    batch.Put((*store)->family(KvFamily::kCatalog), "k", "catalog-value");
    batch.Put((*store)->family(KvFamily::kRows), "k", "row-value");
    ASSERT_TRUE((*store)->Write(&batch).ok());
    EXPECT_EQ(*(*store)->Get(KvFamily::kCatalog, "k").value(), "catalog-value");
    EXPECT_EQ(*(*store)->Get(KvFamily::kRows, "k").value(), "row-value");
    EXPECT_FALSE((*store)->Get(KvFamily::kRows, "missing").value().has_value());
  }
  auto reopened = KvStore::Open(dir);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->Get(KvFamily::kRows, "k").value(), "row-value");
  std::filesystem::remove_all(dir);
}

TEST(KvStore, ASecondOpenOfTheSameDirectoryIsObjectInUse) {
  const std::string dir = TempDir("kvlock");
  auto first = KvStore::Open(dir);
  ASSERT_TRUE(first.ok());
  auto second = KvStore::Open(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kObjectInUse) << second.status().ToString();
  first->reset();
  EXPECT_TRUE(KvStore::Open(dir).ok()) << "closing released the lock";
  std::filesystem::remove_all(dir);
}

// A process that holds RocksDB's lock but not our pid file (a tenantdb from before the
// pid file, or another RocksDB tool) is still reported as a process holding the directory.
TEST(KvStore, ARocksDbLockWithoutOurPidFileIsObjectInUseToo) {
  const std::string dir = TempDir("kvrockslock");
  ASSERT_TRUE(KvStore::Open(dir).ok());
  std::filesystem::remove(dir + "/tenantdb.pid");
  rocksdb::Options options;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, {}}, {"catalog", {}}, {"rows", {}}, {"changes", {}}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir + "/rocksdb", families, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> rocks(raw);
  auto second = KvStore::Open(dir);
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kObjectInUse) << second.status().ToString();
  EXPECT_NE(second.status().message().find("is in use by another process"), std::string_view::npos)
      << second.status().ToString();
  for (auto* handle : handles)
    rocks->DestroyColumnFamilyHandle(handle);
  rocks.reset();
  std::filesystem::remove_all(dir);
}

// WalSync::kDeferred: the row is readable at once, not durable until the syncer synced
// (WhenDurable), and a synced write makes itself and everything before it durable.
TEST(KvStore, ADeferredWriteIsDurableOnlyAfterTheSyncerOrASyncedWrite) {
  const std::string dir = TempDir("kvdeferred");
  {
    auto store = KvStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    KvStore& kv = **store;
    EXPECT_TRUE(kv.IsDurable(kv.WritePosition())) << "nothing written yet";

    rocksdb::WriteBatch first;
    first.Put(kv.family(KvFamily::kRows), "a", "1");
    ASSERT_TRUE(kv.Write(&first, WalSync::kDeferred).ok());
    EXPECT_EQ(*kv.Get(KvFamily::kRows, "a").value(), "1");
    const uint64_t after_first = kv.WritePosition();
    EXPECT_FALSE(kv.IsDurable(after_first));

    const Status waited = kv.WaitUntilDurable(after_first);  // through the syncer
    EXPECT_TRUE(waited.ok()) << waited.ToString();
    EXPECT_TRUE(kv.IsDurable(after_first));

    rocksdb::WriteBatch second;
    second.Put(kv.family(KvFamily::kRows), "b", "2");
    ASSERT_TRUE(kv.Write(&second, WalSync::kDeferred).ok());
    EXPECT_FALSE(kv.IsDurable(kv.WritePosition()));
    rocksdb::WriteBatch synced;
    synced.Put(kv.family(KvFamily::kRows), "c", "3");
    synced.Put(kv.family(KvFamily::kCatalog), "c", "3");
    ASSERT_TRUE(kv.Write(&synced).ok());
    EXPECT_TRUE(kv.IsDurable(kv.WritePosition()))
        << "a synced write covers its own records and the deferred one before it";
  }
  auto reopened = KvStore::Open(dir);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->Get(KvFamily::kRows, "b").value(), "2");
  std::filesystem::remove_all(dir);
}

TEST(KvStore, WithoutSyncWritesEveryPositionIsDurable) {
  const std::string dir = TempDir("kvnosync");
  KvStore::Options options;
  options.sync_writes = false;
  auto store = KvStore::Open(dir, options);
  ASSERT_TRUE(store.ok());
  rocksdb::WriteBatch batch;
  batch.Put((*store)->family(KvFamily::kRows), "a", "1");
  ASSERT_TRUE((*store)->Write(&batch, WalSync::kDeferred).ok());
  EXPECT_TRUE((*store)->IsDurable((*store)->WritePosition()));
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb
