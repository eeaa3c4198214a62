#include "storage/cold/batch_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "storage/cold/parquet_reader.h"

namespace tenantdb {
namespace {

std::string FreshDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

TEST(BatchFile, NamesCarryTheTableNumberAndRejectLookalikes) {
  EXPECT_EQ(BatchFileName(1024, 0), "batch-1024-0.parquet");
  EXPECT_EQ(ParseBatchFileName("batch-1024-42.parquet"), (BatchFileId{1024, 42}));
  for (const char* bad :
       {"batch-.parquet", "batch-1-01.parquet", "batch-1-4.parquet.tmp", "batch-1-x.parquet",
        "other-1-1.parquet", "batch-1-1.parq", "batch-42.parquet", "batch-1--1.parquet",
        "batch-4294967296-1.parquet", "batch--1.parquet"}) {
    EXPECT_EQ(ParseBatchFileName(bad), std::nullopt) << bad;
  }
}

TEST(BatchFile, WritesDurablyWithSchemaVersionAndNoTemporaryLeft) {
  const std::string dir = FreshDir("batchfile") + "/ns/table/alice";
  auto table = std::make_shared<Schema>(
      std::vector<Field>{{"id", DataType::kBigInt, false, true, ""}}, SchemaMetadata{});
  Batch rows(ColdFileSchema(*table));
  ASSERT_TRUE(rows.AppendRow({Value::BigInt(1), Value::Boolean(false)}).ok());
  ASSERT_TRUE(rows.AppendRow({Value::BigInt(2), Value::Boolean(true)}).ok());
  ASSERT_TRUE(WriteBatchFile(dir, 1030, 3, rows, 7).ok());
  EXPECT_FALSE(std::filesystem::exists(dir + "/batch-1030-3.parquet.tmp"));
  auto reader = ParquetReader::Open(dir + "/batch-1030-3.parquet");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->metadata_value(kSchemaVersionKey), "7");
  auto read = (*reader)->Read(rows.schema());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ((*read)[0].GetRow(1), (std::vector<Value>{Value::BigInt(2), Value::Boolean(true)}));
  std::filesystem::remove_all(FreshDir("batchfile"));
}

TEST(BatchFile, RemoveUnlistedFilesKeepsWhatTheManifestNamesAndOtherTablesFiles) {
  const std::string dir = FreshDir("unlisted");
  std::filesystem::create_directories(dir);
  for (const char* name : {"batch-1024-0.parquet", "batch-1024-1.parquet", "batch-1024-2.parquet",
                           "batch-1024-3.parquet.tmp", "notes.txt", "batch-1025-2.parquet",
                           "batch-1025-3.parquet.tmp", "batch-2.parquet", "batch-3.parquet.tmp"}) {
    std::ofstream(dir + "/" + name) << "x";
  }
  auto removed = RemoveUnlistedFiles(dir, 1024, {0, 1});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2u);  // batch-1024-2 (a crashed flush's) and the temporary file
  EXPECT_TRUE(std::filesystem::exists(dir + "/batch-1024-0.parquet"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/batch-1024-1.parquet"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/batch-1024-2.parquet"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/batch-1024-3.parquet.tmp"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/notes.txt"));  // not ours: untouched
  // Another table sharing the directory (a template without {tableName}), and legacy
  // names whose owner cannot be told: untouched.
  EXPECT_TRUE(std::filesystem::exists(dir + "/batch-1025-2.parquet"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/batch-1025-3.parquet.tmp"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/batch-2.parquet"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/batch-3.parquet.tmp"));
  EXPECT_EQ(*RemoveUnlistedFiles(dir + "/absent", 1024, {}), 0u);
  std::filesystem::remove_all(dir);
}

TEST(BatchFile, RemoveEmptyDirectoriesStopsAtTheBaseAndAtAnyFile) {
  const std::string base = FreshDir("emptydirs");
  std::filesystem::create_directories(base + "/ns/t/alice");
  std::filesystem::create_directories(base + "/ns/t/bob");
  std::ofstream(base + "/ns/t/bob/keep") << "x";
  ASSERT_TRUE(RemoveEmptyDirectories(base + "/ns/t/alice", base).ok());
  EXPECT_FALSE(std::filesystem::exists(base + "/ns/t/alice"));
  EXPECT_TRUE(std::filesystem::exists(base + "/ns/t/bob/keep"));
  std::filesystem::remove(base + "/ns/t/bob/keep");
  ASSERT_TRUE(RemoveEmptyDirectories(base + "/ns/t/bob", base).ok());
  EXPECT_FALSE(std::filesystem::exists(base + "/ns"));
  EXPECT_TRUE(std::filesystem::exists(base));  // the storage base stays
  std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace tenantdb
