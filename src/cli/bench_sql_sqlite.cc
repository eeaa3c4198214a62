#include "cli/bench_sql_sqlite.h"

#include <sqlite3.h>

namespace tenantdb::cli {

namespace {

Status SqliteError(sqlite3* db, const std::string& what) {
  return Status(ErrorCode::kIoError,
                "sqlite: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    Status status(ErrorCode::kIoError,
                  std::string("sqlite: ") + sql + ": " + (error ? error : "unknown error"));
    sqlite3_free(error);
    return status;
  }
  return Status::Ok();
}

Result<sqlite3*> OpenDb(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    Status status = SqliteError(db, "open " + path);
    sqlite3_close(db);
    return status;
  }
  // Same durability as tenantdb: the WAL is fsynced at every commit.
  TDB_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  TDB_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=FULL"));
  return db;
}

Result<sqlite3_stmt*> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
    return SqliteError(db, std::string("prepare ") + sql);
  }
  return statement;
}

// Runs a prepared write to completion and resets it.
Status Step(sqlite3* db, sqlite3_stmt* statement, const char* what) {
  const int rc = sqlite3_step(statement);
  sqlite3_reset(statement);
  if (rc != SQLITE_DONE) return SqliteError(db, what);
  return Status::Ok();
}

void BindMessage(sqlite3_stmt* statement, const BenchMessage& row) {
  sqlite3_bind_int64(statement, 1, row.id);
  sqlite3_bind_int(statement, 2, row.thread_id);
  sqlite3_bind_int64(statement, 3, row.created_at);
  sqlite3_bind_text(statement, 4, row.body.data(), static_cast<int>(row.body.size()),
                    SQLITE_STATIC);
}

}  // namespace

SqliteBench::~SqliteBench() {
  for (UserDb& u : users_) {
    sqlite3_finalize(u.insert);
    sqlite3_finalize(u.point);
    sqlite3_finalize(u.recent);
    sqlite3_finalize(u.count);
    sqlite3_close(u.db);
  }
  sqlite3_finalize(shared_insert_);
  sqlite3_finalize(aggregate_);
  sqlite3_close(shared_);
}

Result<std::unique_ptr<SqliteBench>> SqliteBench::Open(const std::string& directory, size_t users,
                                                       bool thread_key) {
  std::unique_ptr<SqliteBench> bench(new SqliteBench());
  bench->users_.reserve(users);
  for (size_t u = 0; u < users; ++u) {
    bench->users_.emplace_back();
    UserDb& user = bench->users_.back();
    TDB_ASSIGN_OR_RETURN(user.db, OpenDb(directory + "/user" + std::to_string(u) + ".db"));
    TDB_RETURN_IF_ERROR(
        Exec(user.db, thread_key ? "CREATE TABLE IF NOT EXISTS messages (thread_id INT, "
                                   "id INTEGER, created_at BIGINT, body TEXT, "
                                   "PRIMARY KEY (thread_id, id)) WITHOUT ROWID"
                                 : "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, "
                                   "thread_id INT, created_at BIGINT, body TEXT)"));
    TDB_RETURN_IF_ERROR(Exec(user.db,
                             "CREATE INDEX IF NOT EXISTS messages_thread ON messages "
                             "(thread_id, created_at)"));
    TDB_ASSIGN_OR_RETURN(
        user.insert,
        Prepare(user.db,
                "INSERT INTO messages (id, thread_id, created_at, body) VALUES (?1, ?2, ?3, ?4)"));
    TDB_ASSIGN_OR_RETURN(
        user.point,
        Prepare(user.db,
                thread_key ? "SELECT id, thread_id, created_at, body FROM messages WHERE "
                             "thread_id = ?2 AND id = ?1"
                           : "SELECT id, thread_id, created_at, body FROM messages WHERE id = ?1"));
    TDB_ASSIGN_OR_RETURN(
        user.recent,
        Prepare(user.db,
                "SELECT id, thread_id, created_at, body FROM messages WHERE thread_id = ?1 "
                "ORDER BY created_at DESC LIMIT 20"));
    TDB_ASSIGN_OR_RETURN(user.count, Prepare(user.db, "SELECT count(*) FROM messages"));
  }
  TDB_ASSIGN_OR_RETURN(bench->shared_, OpenDb(directory + "/shared.db"));
  TDB_RETURN_IF_ERROR(Exec(bench->shared_,
                           "CREATE TABLE IF NOT EXISTS shared_events (id INTEGER PRIMARY KEY, "
                           "k INT NOT NULL, v BIGINT NOT NULL)"));
  TDB_ASSIGN_OR_RETURN(bench->shared_insert_,
                       Prepare(bench->shared_, "INSERT INTO shared_events VALUES (?1, ?2, ?3)"));
  TDB_ASSIGN_OR_RETURN(bench->aggregate_,
                       Prepare(bench->shared_,
                               "SELECT k, count(*), sum(v), avg(v) FROM shared_events "
                               "GROUP BY k ORDER BY k"));
  return bench;
}

Status SqliteBench::Insert(size_t user, const BenchMessage& row) {
  UserDb& u = users_[user];
  BindMessage(u.insert, row);
  return Step(u.db, u.insert, "insert");
}

Status SqliteBench::InsertMany(size_t user, const std::vector<BenchMessage>& rows) {
  UserDb& u = users_[user];
  TDB_RETURN_IF_ERROR(Exec(u.db, "BEGIN"));
  for (const BenchMessage& row : rows) {
    BindMessage(u.insert, row);
    TDB_RETURN_IF_ERROR(Step(u.db, u.insert, "insert"));
  }
  return Exec(u.db, "COMMIT");
}

Result<size_t> SqliteBench::PointSelect(size_t user, int64_t id, size_t* body_bytes) {
  UserDb& u = users_[user];
  sqlite3_bind_int64(u.point, 1, id);
  if (sqlite3_bind_parameter_count(u.point) > 1) {
    sqlite3_bind_int64(u.point, 2, id % kBenchThreads);
  }
  size_t rows = 0;
  int rc;
  while ((rc = sqlite3_step(u.point)) == SQLITE_ROW) {
    ++rows;
    *body_bytes = static_cast<size_t>(sqlite3_column_bytes(u.point, 3));
  }
  sqlite3_reset(u.point);
  if (rc != SQLITE_DONE) return SqliteError(u.db, "point select");
  return rows;
}

Result<size_t> SqliteBench::Recent20(size_t user, int32_t thread_id, int64_t* newest) {
  UserDb& u = users_[user];
  sqlite3_bind_int(u.recent, 1, thread_id);
  size_t rows = 0;
  int rc;
  while ((rc = sqlite3_step(u.recent)) == SQLITE_ROW) {
    if (rows == 0) *newest = sqlite3_column_int64(u.recent, 2);
    // Read every column, as a client would.
    sqlite3_column_int64(u.recent, 0);
    sqlite3_column_int(u.recent, 1);
    sqlite3_column_text(u.recent, 3);
    ++rows;
  }
  sqlite3_reset(u.recent);
  if (rc != SQLITE_DONE) return SqliteError(u.db, "recent20");
  return rows;
}

Result<int64_t> SqliteBench::CountRows(size_t user) {
  UserDb& u = users_[user];
  int64_t count = -1;
  if (sqlite3_step(u.count) == SQLITE_ROW) count = sqlite3_column_int64(u.count, 0);
  sqlite3_reset(u.count);
  if (count < 0) return SqliteError(u.db, "count");
  return count;
}

Status SqliteBench::LoadShared(int64_t first, int64_t count, int64_t groups) {
  TDB_RETURN_IF_ERROR(Exec(shared_, "BEGIN"));
  for (int64_t id = first; id < first + count; ++id) {
    sqlite3_bind_int64(shared_insert_, 1, id);
    sqlite3_bind_int64(shared_insert_, 2, SharedK(id, groups));
    sqlite3_bind_int64(shared_insert_, 3, SharedV(id));
    TDB_RETURN_IF_ERROR(Step(shared_, shared_insert_, "insert shared"));
  }
  return Exec(shared_, "COMMIT");
}

Result<std::vector<BenchGroup>> SqliteBench::Aggregate() {
  std::vector<BenchGroup> groups;
  int rc;
  while ((rc = sqlite3_step(aggregate_)) == SQLITE_ROW) {
    groups.push_back({sqlite3_column_int64(aggregate_, 0), sqlite3_column_int64(aggregate_, 1),
                      sqlite3_column_int64(aggregate_, 2), sqlite3_column_double(aggregate_, 3)});
  }
  sqlite3_reset(aggregate_);
  if (rc != SQLITE_DONE) return SqliteError(shared_, "aggregate");
  return groups;
}

}  // namespace tenantdb::cli
