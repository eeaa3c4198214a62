// SQLite, the peer of `tenantdb bench sql`: the same workload through libsqlite3's C API
// with prepared statements. Per-user data lives in one database file per user (the way
// an application on SQLite isolates tenants), shared data in one more file. Every file
// runs in WAL mode with synchronous=FULL, so each committed write is fsynced before it
// is acknowledged — tenantdb's durability (its KvStore syncs the WAL on every write).
//
// Thread safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tenantdb::cli {

// One row of `messages`, the per-user table both sides hold.
// Threads per user in the messages data: 200 rows give 40 per thread.
inline constexpr int32_t kBenchThreads = 5;

struct BenchMessage {
  int64_t id;
  int32_t thread_id;
  int64_t created_at;
  std::string body;
};

// One group of the shared-table aggregate.
struct BenchGroup {
  int64_t k;
  int64_t count;
  int64_t sum;
  double avg;
};

class SqliteBench {
 public:
  ~SqliteBench();

  // Creates `users` per-user database files and `shared.db` in `directory` (which must
  // exist), each with its tables and prepared statements.
  // `thread_key`: messages keyed by (thread_id, id) (a WITHOUT ROWID table), else by id.
  static Result<std::unique_ptr<SqliteBench>> Open(const std::string& directory, size_t users,
                                                   bool thread_key);

  // One autocommit single-row INSERT (timed phase).
  Status Insert(size_t user, const BenchMessage& row);
  // Many rows in one transaction (untimed load).
  Status InsertMany(size_t user, const std::vector<BenchMessage>& rows);
  // SELECT * ... WHERE id = ?: the rows found (0 or 1); `body_bytes` gets the body's size.
  Result<size_t> PointSelect(size_t user, int64_t id, size_t* body_bytes);
  // The user's 20 newest rows of `thread_id`: how many, and the first one's created_at.
  Result<size_t> Recent20(size_t user, int32_t thread_id, int64_t* newest);
  // Rows of user `user` (a check of the load).
  Result<int64_t> CountRows(size_t user);

  // shared_events(id, k, v): rows [first, first + count) in one transaction.
  Status LoadShared(int64_t first, int64_t count, int64_t groups);
  // SELECT k, count(*), sum(v), avg(v) FROM shared_events GROUP BY k ORDER BY k.
  Result<std::vector<BenchGroup>> Aggregate();

 private:
  struct UserDb {
    sqlite3* db = nullptr;
    sqlite3_stmt* insert = nullptr;
    sqlite3_stmt* point = nullptr;
    sqlite3_stmt* recent = nullptr;
    sqlite3_stmt* count = nullptr;
  };
  SqliteBench() = default;

  std::vector<UserDb> users_;
  sqlite3* shared_ = nullptr;
  sqlite3_stmt* shared_insert_ = nullptr;
  sqlite3_stmt* aggregate_ = nullptr;
};

// The value of shared_events.k and .v for row `id` (both sides load the same rows).
inline int64_t SharedK(int64_t id, int64_t groups) {
  return id % groups;
}
inline int64_t SharedV(int64_t id) {
  return (id * 7919) % 1000;
}

}  // namespace tenantdb::cli
