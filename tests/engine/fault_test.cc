// Faults of the file system under a Engine: a full disk (a real 8 MB tmpfs), a data
// directory another process holds, a read-only directory. Each test mounts its own
// tmpfs (tests run as root here and in CI) and skips only when mounting is not
// permitted at all.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "../support/tmpfs_mount.h"
#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

using testing::TmpfsMount;

constexpr size_t kTmpfsBytes = 8 << 20;

#define MOUNT_OR_SKIP(fs)                                                                    \
  do {                                                                                       \
    const int mount_errno = (fs).Mount(kTmpfsBytes);                                         \
    if (mount_errno == EPERM) {                                                              \
      GTEST_SKIP() << "mounting a tmpfs needs root (CAP_SYS_ADMIN); this test needs a real " \
                      "small file system";                                                   \
    }                                                                                        \
    ASSERT_EQ(mount_errno, 0) << "mount tmpfs: " << std::strerror(mount_errno);              \
  } while (0)

Engine::Options Quiet() {
  Engine::Options options;
  options.background_jobs = false;
  return options;
}

Result<sql::QueryResult> Insert(EngineSession& s, int64_t id, const std::string& body) {
  return s.Execute("INSERT INTO t VALUES ($1, $2)", {Value::BigInt(id), Value::Text(body)});
}

// Every id in t, in order; an error string if the SELECT fails.
std::string Ids(EngineSession& s, std::set<int64_t>* out) {
  auto r = s.Execute("SELECT id FROM t ORDER BY id");
  if (!r.ok()) return r.status().ToString();
  for (size_t i = 0; i < r->num_rows(); ++i)
    out->insert(std::stoll(r->Get(i, 0).ToString()));
  if (out->size() != r->num_rows()) return "duplicate ids in SELECT";
  return "";
}

std::vector<std::string> ColdFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) files.push_back(e.path().string());
  }
  return files;
}

// The repro of issue 9: inserts until the disk is full. The old code aborted (SIGABRT in
// RocksDB's file writer) on the write after the first failed one, and again on reopen.
TEST(DiskFull, WritesFailWithDiskFullReadsWorkAndWritesResumeWhenSpaceReturns) {
  TmpfsMount fs;
  MOUNT_OR_SKIP(fs);
  const std::string dir = fs.path() + "/data";
  const std::string filler = fs.path() + "/filler";
  const std::string body(2000, 'b');
  std::set<int64_t> acked;
  int64_t next_id = 0;
  {
    auto db = Engine::Open(dir, Quiet());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
    ASSERT_TRUE(s.Execute("CREATE TABLE t (id BIGINT PRIMARY KEY, body TEXT)").ok());
    // The filler leaves ~1 MB, so the inserts below are what runs the disk out.
    const size_t free_bytes = fs.FreeBytes();
    ASSERT_GT(free_bytes, size_t{2 << 20});
    TmpfsMount::Fill(filler, free_bytes - (1 << 20));

    // 1. Insert until the disk is full (bounded: 1 MB holds < 600 rows of 2 KB).
    Status failure;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (next_id < 5000 && std::chrono::steady_clock::now() < deadline) {
      auto r = Insert(s, next_id, body);
      if (!r.ok()) {
        failure = r.status();
        break;
      }
      acked.insert(next_id++);
    }
    ASSERT_FALSE(failure.ok()) << "the disk never filled up";
    EXPECT_EQ(failure.code(), ErrorCode::kDiskFull) << failure.ToString();
    EXPECT_EQ(failure.sqlstate(), "53100");
    ASSERT_GT(acked.size(), 0u);
    const int64_t first_failed = next_id;

    // 2. More writes keep failing the same way (the old code aborted here), DDL too.
    for (int i = 1; i <= 5; ++i) {
      auto r = Insert(s, first_failed + i, body);
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().code(), ErrorCode::kDiskFull) << r.status().ToString();
    }
    auto ddl = s.Execute("CREATE TABLE t2 (id BIGINT PRIMARY KEY)");
    ASSERT_FALSE(ddl.ok());
    EXPECT_EQ(ddl.status().code(), ErrorCode::kDiskFull) << ddl.status().ToString();

    // 3. Reads still work and see exactly the acknowledged rows.
    std::set<int64_t> seen;
    ASSERT_EQ(Ids(s, &seen), "");
    EXPECT_EQ(seen, acked);

    // 4. A flush to Parquet on the full disk fails cleanly: no file left, none counted.
    auto flush = s.Execute("STORAGE FLUSH TABLE t");
    ASSERT_FALSE(flush.ok());
    EXPECT_EQ(flush.status().code(), ErrorCode::kDiskFull) << flush.status().ToString();
    EXPECT_EQ(ColdFiles(dir + "/storage"), std::vector<std::string>());
    seen.clear();
    ASSERT_EQ(Ids(s, &seen), "");
    EXPECT_EQ(seen, acked);

    // 5. Space returns: writes resume (bounded wait), the failed ids are not there.
    ASSERT_TRUE(std::filesystem::remove(filler));
    Status resumed(ErrorCode::kInternal, "no attempt");
    for (int attempt = 0; attempt < 100 && !resumed.ok(); ++attempt) {
      auto r = Insert(s, first_failed, body);
      resumed = r.ok() ? Status::Ok() : r.status();
      if (!resumed.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(resumed.ok()) << "writes did not resume: " << resumed.ToString();
    acked.insert(first_failed);
    for (int64_t id = first_failed + 1; id <= first_failed + 5; ++id) {
      auto r = Insert(s, id, body);  // a failed insert left no row behind
      ASSERT_TRUE(r.ok()) << id << ": " << r.status().ToString();
      acked.insert(id);
    }
    ASSERT_TRUE(s.Execute("CREATE TABLE t2 (id BIGINT PRIMARY KEY)").ok());
    auto flushed = s.Execute("STORAGE FLUSH TABLE t");
    ASSERT_TRUE(flushed.ok()) << flushed.status().ToString();
    seen.clear();
    ASSERT_EQ(Ids(s, &seen), "");
    EXPECT_EQ(seen, acked);
  }

  // 6. Reopening on a full disk must not abort: it opens (read-only at worst), reads
  //    every acknowledged row, and refuses writes with disk_full.
  TmpfsMount::Fill(filler, kTmpfsBytes);
  {
    auto db = Engine::Open(dir, Quiet());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_TRUE((*db)->read_only()) << "expected the read-only fallback";
    EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
    std::set<int64_t> seen;
    ASSERT_EQ(Ids(s, &seen), "");
    EXPECT_EQ(seen, acked);
    auto r = Insert(s, 100'000, body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kDiskFull) << r.status().ToString();
  }
  ASSERT_TRUE(std::filesystem::remove(filler));
  {
    auto db = Engine::Open(dir, Quiet());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
    std::set<int64_t> seen;
    ASSERT_EQ(Ids(s, &seen), "");
    EXPECT_EQ(seen, acked);
    ASSERT_TRUE(Insert(s, 100'000, body).ok());
  }
}

// The first write after a clean reopen goes into empty memtables, so recovering from it
// has nothing to flush: the new write-ahead log must come from Resume() all the same
// (RocksDB asserts on a write to the log that failed).
TEST(DiskFull, TheFirstWriteAfterAReopenFailsCleanlyAndResumes) {
  TmpfsMount fs;
  MOUNT_OR_SKIP(fs);
  const std::string dir = fs.path() + "/data";
  const std::string filler = fs.path() + "/filler";
  {
    auto db = Engine::Open(dir, Quiet());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
    ASSERT_TRUE(s.Execute("CREATE TABLE t (id BIGINT PRIMARY KEY, body TEXT)").ok());
    ASSERT_TRUE(Insert(s, 1, "one").ok());
  }
  auto db = Engine::Open(dir, Quiet());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_FALSE((*db)->read_only());
  EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
  TmpfsMount::Fill(filler, kTmpfsBytes);
  const std::string big(64 << 10, 'x');  // larger than any slack left in the last page
  for (int i = 0; i < 3; ++i) {
    auto r = Insert(s, 2, big);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kDiskFull) << r.status().ToString();
  }
  ASSERT_TRUE(std::filesystem::remove(filler));
  Status resumed(ErrorCode::kInternal, "no attempt");
  for (int attempt = 0; attempt < 100 && !resumed.ok(); ++attempt) {
    auto r = Insert(s, 2, big);
    resumed = r.ok() ? Status::Ok() : r.status();
    if (!resumed.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(resumed.ok()) << resumed.ToString();
  for (int64_t id = 3; id < 20; ++id)
    ASSERT_TRUE(Insert(s, id, "more").ok()) << id;
  std::set<int64_t> seen;
  ASSERT_EQ(Ids(s, &seen), "");
  EXPECT_EQ(seen.size(), 19u);
}

// Closing while writes are stopped on a full disk writes nothing (RocksDB's close
// would flush) and loses no acknowledged row.
TEST(DiskFull, ClosingWhileTheDiskIsFullLosesNoAcknowledgedRow) {
  TmpfsMount fs;
  MOUNT_OR_SKIP(fs);
  const std::string dir = fs.path() + "/data";
  const std::string filler = fs.path() + "/filler";
  {
    auto db = Engine::Open(dir, Quiet());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
    ASSERT_TRUE(s.Execute("CREATE TABLE t (id BIGINT PRIMARY KEY, body TEXT)").ok());
    for (int64_t id = 0; id < 10; ++id)
      ASSERT_TRUE(Insert(s, id, "acked").ok());
    TmpfsMount::Fill(filler, kTmpfsBytes);
    auto r = Insert(s, 10, std::string(64 << 10, 'x'));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kDiskFull) << r.status().ToString();
  }
  ASSERT_TRUE(std::filesystem::remove(filler));
  auto db = Engine::Open(dir, Quiet());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
  std::set<int64_t> seen;
  ASSERT_EQ(Ids(s, &seen), "");
  EXPECT_EQ(seen, (std::set<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  ASSERT_TRUE(Insert(s, 10, "after").ok());
}

// A Parquet flush that runs out of space leaves no file behind (temporary or final)
// and counts none: the rows stay hot and readable, and the next flush with space works.
TEST(DiskFull, AFlushThatRunsOutOfSpaceLeavesNoFileAndLosesNoRow) {
  TmpfsMount fs;
  MOUNT_OR_SKIP(fs);
  const std::string dir = fs.path() + "/data";
  const std::string filler = fs.path() + "/filler";
  auto db = Engine::Open(dir, Quiet());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
  ASSERT_TRUE(s.Execute("CREATE TABLE t (id BIGINT PRIMARY KEY, body TEXT)").ok());
  std::set<int64_t> acked;
  // Distinct bodies, so compression cannot make the file tiny.
  for (int64_t id = 0; id < 400; ++id) {
    std::string body;
    for (int i = 0; i < 250; ++i)
      body += std::to_string((id * 7919 + i * 104729) % 100000000);
    ASSERT_TRUE(Insert(s, id, body).ok());
    acked.insert(id);
  }
  // No write to RocksDB fails here: only the Parquet file meets the full disk.
  TmpfsMount::Fill(filler, kTmpfsBytes);
  auto flush = s.Execute("STORAGE FLUSH TABLE t");
  ASSERT_FALSE(flush.ok());
  EXPECT_EQ(flush.status().code(), ErrorCode::kDiskFull) << flush.status().ToString();
  EXPECT_EQ(ColdFiles(dir + "/storage"), std::vector<std::string>());
  std::set<int64_t> seen;
  ASSERT_EQ(Ids(s, &seen), "");
  EXPECT_EQ(seen, acked);

  ASSERT_TRUE(std::filesystem::remove(filler));
  auto flushed = s.Execute("STORAGE FLUSH TABLE t");
  ASSERT_TRUE(flushed.ok()) << flushed.status().ToString();
  const auto files = ColdFiles(dir + "/storage");
  ASSERT_EQ(files.size(), 1u);
  // The first batch number: the failed flush left no file and took no number for good.
  EXPECT_TRUE(files[0].ends_with("-1.parquet")) << files[0];
  seen.clear();
  ASSERT_EQ(Ids(s, &seen), "");
  EXPECT_EQ(seen, acked);
}

// Creates t with ids 1..3 flushed to Parquet and 4 still hot.
void CreateHotAndColdRows(const std::string& dir) {
  auto db = Engine::Open(dir, Quiet());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
  ASSERT_TRUE(s.Execute("CREATE TABLE t (id BIGINT PRIMARY KEY, body TEXT)").ok());
  for (int64_t id = 1; id <= 3; ++id)
    ASSERT_TRUE(Insert(s, id, "cold").ok());
  ASSERT_TRUE(s.Execute("STORAGE FLUSH TABLE t").ok());
  ASSERT_TRUE(Insert(s, 4, "hot").ok());
}

void ExpectReadOnly(const Result<sql::QueryResult>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kReadOnly) << r.status().ToString();
  EXPECT_EQ(r.status().sqlstate(), "25006");
  EXPECT_NE(r.status().message().find("read-only"), std::string_view::npos)
      << r.status().ToString();
}

// A read-only mount opens read-only: SELECT works, every kind of write is refused. As
// root, chmod a-w stops nothing, so the test remounts its tmpfs read-only, which stops
// root too (the open probes by creating a file, not by reading permission bits).
TEST(ReadOnly, AReadOnlyMountOpensForReadsAndRefusesWrites) {
  TmpfsMount fs;
  MOUNT_OR_SKIP(fs);
  const std::string dir = fs.path() + "/data";
  CreateHotAndColdRows(dir);
  ASSERT_EQ(fs.Remount(/*read_only=*/true, kTmpfsBytes), 0);
  {
    auto db = Engine::Open(dir, Quiet());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_TRUE((*db)->read_only());
    EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
    std::set<int64_t> seen;
    ASSERT_EQ(Ids(s, &seen), "");
    EXPECT_EQ(seen, (std::set<int64_t>{1, 2, 3, 4}));
    ExpectReadOnly(Insert(s, 5, "x"));
    ExpectReadOnly(s.Execute("DELETE FROM t WHERE id = 1"));
    ExpectReadOnly(s.Execute("CREATE TABLE t2 (id BIGINT PRIMARY KEY)"));
    ExpectReadOnly(s.Execute("STORAGE FLUSH TABLE t"));
    seen.clear();
    ASSERT_EQ(Ids(s, &seen), "");
    EXPECT_EQ(seen, (std::set<int64_t>{1, 2, 3, 4}));
  }
  ASSERT_EQ(fs.Remount(/*read_only=*/false, kTmpfsBytes), 0);
  auto db = Engine::Open(dir, Quiet());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_FALSE((*db)->read_only());
  EngineSession s(db->get(), UserId::Make("root").value(), Role::kSystem);
  ASSERT_TRUE(Insert(s, 5, "x").ok());
}

// KvStore::Options::read_only opens a writable directory read-only; read-only opens
// share the directory with each other but not with a writer.
TEST(ReadOnly, AnExplicitReadOnlyOpenRefusesWritesAndExcludesWriters) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("tdb_readonly_" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  CreateHotAndColdRows(dir);
  Engine::Options options = Quiet();
  options.kv.read_only = true;
  {
    auto reader = Engine::Open(dir, options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    auto other_reader = Engine::Open(dir, options);
    ASSERT_TRUE(other_reader.ok()) << other_reader.status().ToString();
    auto writer = Engine::Open(dir, Quiet());
    ASSERT_FALSE(writer.ok());
    EXPECT_EQ(writer.status().code(), ErrorCode::kObjectInUse) << writer.status().ToString();
    EngineSession s(reader->get(), UserId::Make("root").value(), Role::kSystem);
    std::set<int64_t> seen;
    ASSERT_EQ(Ids(s, &seen), "");
    EXPECT_EQ(seen, (std::set<int64_t>{1, 2, 3, 4}));
    ExpectReadOnly(Insert(s, 5, "x"));
  }
  {
    auto writer = Engine::Open(dir, Quiet());
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    auto reader = Engine::Open(dir, options);
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.status().code(), ErrorCode::kObjectInUse) << reader.status().ToString();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb
