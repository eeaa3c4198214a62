#include "kv/wal_file_system.h"

#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "kv/kv_store.h"

namespace tenantdb {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("tenantdb-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

uint64_t SizeOnDisk(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A log file of `wal_fs` at `name`, through the FileSystem interface RocksDB uses.
std::unique_ptr<rocksdb::FSWritableFile> NewLog(WalFileSystem& wal_fs, const std::string& name) {
  std::unique_ptr<rocksdb::FSWritableFile> file;
  EXPECT_TRUE(wal_fs.NewWritableFile(name, rocksdb::FileOptions(), &file, nullptr).ok());
  return file;
}

// Waits (bounded) until `done` holds.
template <typename F>
bool Eventually(F done) {
  for (int i = 0; i < 500 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

TEST(WalFileSystem, KnowsWriteAheadLogsByName) {
  EXPECT_TRUE(IsWriteAheadLogName("/data/rocksdb/000012.log"));
  EXPECT_TRUE(IsWriteAheadLogName("7.log"));
  EXPECT_FALSE(IsWriteAheadLogName("/data/rocksdb/LOG"));
  EXPECT_FALSE(IsWriteAheadLogName("/data/rocksdb/LOG.old.1700000000"));
  EXPECT_FALSE(IsWriteAheadLogName("/data/rocksdb/000012.sst"));
  EXPECT_FALSE(IsWriteAheadLogName("/data/rocksdb/.log"));
  EXPECT_FALSE(IsWriteAheadLogName("/data/rocksdb/MANIFEST-000005"));
  EXPECT_FALSE(IsWriteAheadLogName("/data/x1.log"));
}

// The appender's bytes are never overwritten by zeros laid ahead of it, whatever the
// timing; zeros run ahead of a growing log; a closed log holds exactly its bytes.
TEST(WalFileSystem, ZerosRunAheadOfALogAndNeverOverwriteIt) {
  const std::string dir = TempDir("walfs");
  const std::string name = dir + "/000001.log";
  auto wal_fs = std::make_shared<WalFileSystem>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::FSWritableFile> file = NewLog(*wal_fs, name);
  ASSERT_NE(file, nullptr);

  std::string expected;
  for (int i = 0; expected.size() < 3 * WalFileSystem::kZeroAheadBytes; ++i) {
    // Records of varying sizes, some large enough to cross a zero chunk in one append.
    std::string record(static_cast<size_t>(100 + (i * 7919) % 70000),
                       static_cast<char>('a' + i % 26));
    record += std::to_string(i);
    ASSERT_TRUE(file->Append(record, rocksdb::IOOptions(), nullptr).ok());
    expected += record;
    if (i % 16 == 0) {
      ASSERT_TRUE(file->Sync(rocksdb::IOOptions(), nullptr).ok());
    }
    if (i % 5 == 0) std::this_thread::yield();
    EXPECT_EQ(file->GetFileSize(rocksdb::IOOptions(), nullptr), expected.size());
  }
  ASSERT_TRUE(Eventually([&] { return SizeOnDisk(name) > expected.size(); }))
      << "no zeros were laid past a log of " << expected.size() << " bytes";
  EXPECT_GT(wal_fs->zero_chunks_written(), 0u);

  // While open: the records, then only zeros.
  const std::string open_bytes = ReadAll(name);
  ASSERT_GE(open_bytes.size(), expected.size());
  EXPECT_TRUE(open_bytes.compare(0, expected.size(), expected) == 0) << "a record was overwritten";
  EXPECT_EQ(open_bytes.find_first_not_of('\0', expected.size()), std::string::npos);

  ASSERT_TRUE(file->Close(rocksdb::IOOptions(), nullptr).ok());
  EXPECT_EQ(ReadAll(name), expected) << "a closed log holds exactly its records";
  fs::remove_all(dir);
}

TEST(WalFileSystem, ASmallLogGetsNoZeros) {
  const std::string dir = TempDir("walfs-small");
  const std::string name = dir + "/000002.log";
  auto wal_fs = std::make_shared<WalFileSystem>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::FSWritableFile> file = NewLog(*wal_fs, name);
  ASSERT_NE(file, nullptr);
  const std::string record(WalFileSystem::kZeroAheadAfter / 4, 'x');
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(file->Append(record, rocksdb::IOOptions(), nullptr).ok());
  ASSERT_TRUE(file->Sync(rocksdb::IOOptions(), nullptr).ok());
  EXPECT_EQ(SizeOnDisk(name), 3 * record.size());
  EXPECT_EQ(wal_fs->zero_chunks_written(), 0u);
  ASSERT_TRUE(file->Close(rocksdb::IOOptions(), nullptr).ok());
  fs::remove_all(dir);
}

// A crash leaves zeros after the last record of the live log (the copy of the directory
// taken while the store is open is such a crash image): every synced write is read back
// and nothing else.
TEST(WalFileSystem, ALogEndingInZerosRecoversEverySyncedWrite) {
  const std::string dir = TempDir("walfs-crash");
  const std::string image = dir + "-image";
  fs::remove_all(image);
  constexpr int kWrites = 3000;
  const std::string value(400, 'v');
  {
    auto store = KvStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < kWrites; ++i) {
      rocksdb::WriteBatch batch;
      batch.Put((*store)->family(KvFamily::kRows), "key" + std::to_string(i),
                value + std::to_string(i));
      ASSERT_TRUE((*store)->Write(&batch).ok());
    }
    // The live log is past kZeroAheadAfter, and zeros lie past its end.
    std::string log;
    for (const auto& entry : fs::directory_iterator(dir + "/rocksdb")) {
      if (IsWriteAheadLogName(entry.path().string())) log = entry.path().string();
    }
    ASSERT_FALSE(log.empty());
    ASSERT_TRUE(Eventually([&] {
      const std::string bytes = ReadAll(log);
      return bytes.size() >= 64 && bytes.compare(bytes.size() - 64, 64, std::string(64, '\0')) == 0;
    })) << "the live log does not end in zeros";
    fs::copy(dir, image, fs::copy_options::recursive);
    fs::remove(image + "/tenantdb.pid");
  }
  auto recovered = KvStore::Open(image);
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  for (int i = 0; i < kWrites; ++i) {
    auto got = (*recovered)->Get(KvFamily::kRows, "key" + std::to_string(i));
    ASSERT_TRUE(got.ok());
    ASSERT_TRUE(got->has_value()) << "write " << i << " lost";
    EXPECT_EQ(**got, value + std::to_string(i));
  }
  EXPECT_FALSE((*recovered)->Get(KvFamily::kRows, "key" + std::to_string(kWrites))->has_value());
  recovered->reset();
  fs::remove_all(dir);
  fs::remove_all(image);
}

}  // namespace
}  // namespace tenantdb
