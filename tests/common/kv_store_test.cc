#include "common/kv_store.h"

#include <gtest/gtest.h>
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

TEST(KvStore, SecondOpenOfTheSameDirectoryIsAnIoError) {
  const std::string dir = TempDir("kvlock");
  auto first = KvStore::Open(dir);
  ASSERT_TRUE(first.ok());
  auto second = KvStore::Open(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kIoError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb
