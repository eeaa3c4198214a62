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

TEST(BatchFile, NamesRoundTripAndRejectLookalikes) {
  EXPECT_EQ(BatchFileName(0), "batch-0.parquet");
  EXPECT_EQ(ParseBatchFileName("batch-42.parquet"), 42u);
  for (const char* bad : {"batch-.parquet", "batch-01.parquet", "batch-4.parquet.tmp",
                          "batch-x.parquet", "other-1.parquet", "batch-1.parq"}) {
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
  ASSERT_TRUE(WriteBatchFile(dir, 3, rows, 7).ok());
  EXPECT_FALSE(std::filesystem::exists(dir + "/batch-3.parquet.tmp"));
  auto reader = ParquetReader::Open(dir + "/batch-3.parquet");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->metadata_value(kSchemaVersionKey), "7");
  auto read = (*reader)->Read(rows.schema());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ((*read)[0].GetRow(1), (std::vector<Value>{Value::BigInt(2), Value::Boolean(true)}));
  std::filesystem::remove_all(FreshDir("batchfile"));
}

TEST(BatchFile, RemoveUnlistedFilesKeepsOnlyWhatTheManifestNames) {
  const std::string dir = FreshDir("unlisted");
  std::filesystem::create_directories(dir);
  for (const char* name : {"batch-0.parquet", "batch-1.parquet", "batch-2.parquet",
                           "batch-3.parquet.tmp", "notes.txt"}) {
    std::ofstream(dir + "/" + name) << "x";
  }
  auto removed = RemoveUnlistedFiles(dir, {0, 1});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2u);  // batch-2 (a crashed flush's) and the temporary file
  EXPECT_TRUE(std::filesystem::exists(dir + "/batch-0.parquet"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/batch-1.parquet"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/batch-2.parquet"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/batch-3.parquet.tmp"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/notes.txt"));  // not ours: untouched
  EXPECT_EQ(*RemoveUnlistedFiles(dir + "/absent", {}), 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb
