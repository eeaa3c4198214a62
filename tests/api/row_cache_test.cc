// Database::Options' row cache settings reach the cache: which users' point reads end up
// answered from memory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "tenantdb/database.h"
#include "tenantdb/session.h"

namespace tenantdb {
namespace {

// Opens a database with `max_earned_rows`, gives alice `rows` rows and reads them back one
// key at a time, enough reads to pay for a fill of all of them; returns the bytes the row
// cache then holds (a user's whole rows, or a few bytes of marker saying "too many").
uint64_t CachedBytesAfterPointReads(size_t max_earned_rows, int64_t rows) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("tdb_row_cache_" + std::to_string(::getpid()) + "_" + std::to_string(max_earned_rows));
  std::filesystem::remove_all(dir);
  uint64_t bytes = 0;
  {
    Database::Options options;
    options.background_jobs = false;
    options.user_cache_max_earned_rows = max_earned_rows;
    auto db = Database::Open(dir.string(), options);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return 0;
    auto root = (*db)->Connect("root", Role::kSystem);
    EXPECT_TRUE(root.ok());
    EXPECT_TRUE((*root)->Execute("CREATE NAMESPACE app").ok());
    EXPECT_TRUE(
        (*root)->Execute("CREATE USER TABLE app.notes (id BIGINT PRIMARY KEY, body TEXT)").ok());
    auto alice = (*db)->Connect("alice", Role::kUser);
    EXPECT_TRUE(alice.ok());
    for (int64_t first = 1; first <= rows; first += 500) {
      std::string sql = "INSERT INTO app.notes VALUES ";
      for (int64_t id = first; id < first + 500 && id <= rows; ++id)
        sql += (id > first ? ", (" : "(") + std::to_string(id) + ", 'note')";
      auto inserted = (*alice)->Execute(sql);
      EXPECT_TRUE(inserted.ok()) << inserted.status().ToString();
    }
    // A fill is earned after about rows / 16 reads from RocksDB; read twice that.
    for (int64_t i = 0; i < rows / 8; ++i) {
      auto cursor = (*alice)->Query("SELECT body FROM app.notes WHERE id = $1",
                                    {Value::BigInt(i % rows + 1)});
      EXPECT_TRUE(cursor.ok()) << cursor.status().ToString();
      if (!cursor.ok()) break;
      auto more = (*cursor)->Next();
      EXPECT_TRUE(more.ok() && *more);
      EXPECT_EQ((*cursor)->batch().num_rows(), 1u);
    }
    bytes = (*db)->Stats().row_cache.bytes;
  }
  std::filesystem::remove_all(dir);
  return bytes;
}

TEST(RowCacheOptions, PointReadsCacheAUserWithUpToMaxEarnedRowsAndNoBigger) {
  // 3,000 rows: above the 1,024 a scan caches, within the default 65,536; each row's
  // BIGINT and TEXT cell, and its key, take more than 16 bytes.
  EXPECT_GT(CachedBytesAfterPointReads(Database::Options().user_cache_max_earned_rows, 3000),
            3000u * 16);
  EXPECT_GT(CachedBytesAfterPointReads(3000, 3000), 3000u * 16);
  // Below the user's rows: a marker, and every read goes to RocksDB.
  EXPECT_LT(CachedBytesAfterPointReads(2999, 3000), 3000u);
  EXPECT_LT(CachedBytesAfterPointReads(0, 3000), 3000u);
}

}  // namespace
}  // namespace tenantdb
