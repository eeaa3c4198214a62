// `tenantdb bench sql`: the SQL engine through the embedded API (engine/engine_session.h)
// against SQLite (bench_sql_sqlite.h) on the same data, in the same run.
//
//   insert        single-row INSERTs into the USER table bench.messages, round-robin over
//                 the users (--rows in all): tenantdb, one EngineSession per user (role user)
//                 with a prepared INSERT ... VALUES ($1,$2,$3,$4); SQLite, one database
//                 file per user with a prepared INSERT. Both sync every acknowledged
//                 write (tenantdb's WAL; SQLite WAL mode with synchronous=FULL), so this
//                 phase is bound by fsync and --rows is kept moderate by default. The
//                 sides alternate in blocks of 1,000 rows.
//   load          (untimed) each user topped up to --rows-per-user rows: multi-row
//                 INSERTs on tenantdb, one transaction per user on SQLite; row counts
//                 checked on both sides.
//   point select  SELECT * ... WHERE <primary key> = ... for a random user and key
//                 (--queries). --key thread (default) keys messages by (thread_id, id) on
//                 both sides (SQLite: WITHOUT ROWID), --key id by id alone.
//   recent20      SELECT * ... WHERE thread_id = $1 ORDER BY created_at DESC LIMIT 20: a
//                 random user's 20 newest rows of a random thread (--queries); both sides
//                 must return 20 rows with the expected newest created_at. tenantdb reads
//                 the thread's key range with the top 20 pushed into the read; the
//                 USER-table row cache (--row-cache-mb, 0 = off) serves users read
//                 before, as SQLite's page cache serves each file's pages; its hits and
//                 misses during both select phases are reported.
//   agg           SELECT k, count(*), sum(v), avg(v) FROM bench.shared_events GROUP BY k
//                 over --agg-rows rows (100 groups) of a SHARED table, loaded untimed in
//                 multi-row INSERTs (SQLite: one file, one transaction); best of three
//                 runs each; group counts, counts and sums must match.
//
// Progress goes to stderr; the last stdout line is one JSON object with every figure and
// the ratios (tenantdb / SQLite for rates; SQLite ms / tenantdb ms for the aggregate, so
// above 1 always means tenantdb is faster).
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/bench_commands.h"
#include "cli/bench_sql_sqlite.h"
#include "cli/bench_util.h"
#include "cli/commands.h"
#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb::cli {

namespace {

constexpr int64_t kGroups = 100;
constexpr int64_t kEpochMillis = 1'700'000'000'000;

// Row `i` (1-based) of user `u`: the same on both sides.
BenchMessage MakeMessage(size_t u, int64_t i) {
  return BenchMessage{i, static_cast<int32_t>(i % kBenchThreads),
                      kEpochMillis + i * 1000 + static_cast<int64_t>(u % 1000),
                      "message " + std::to_string(i) + " of user " + std::to_string(u) +
                          ": the quick brown fox jumps over the lazy dog"};
}

// The created_at of the newest row of `thread` among rows 1..n.
int64_t NewestOfThread(size_t u, int64_t n, int32_t thread) {
  int64_t i = n;
  while (i > 0 && i % kBenchThreads != thread)
    --i;
  return i > 0 ? MakeMessage(u, i).created_at : -1;
}

// How many of rows 1..n belong to `thread`.
size_t RowsOfThread(int64_t n, int32_t thread) {
  if (thread == 0) return size_t(n / kBenchThreads);
  return n >= thread ? size_t((n - thread) / kBenchThreads + 1) : 0;
}

int64_t AsInt64(const Value& value) {
  if (value.is_null()) return 0;
  if (IsFloatingPoint(value.type())) return std::llround(value.as_double());
  if (IsVariableWidth(value.type())) return std::llround(std::stod(std::string(value.as_bytes())));
  return value.as_int64();
}

double AsDouble(const Value& value) {
  if (value.is_null()) return 0;
  if (IsFloatingPoint(value.type())) return value.as_double();
  if (IsVariableWidth(value.type())) return std::stod(std::string(value.as_bytes()));
  return static_cast<double>(value.as_int64());
}

std::vector<Value> MessageParams(const BenchMessage& m) {
  return {Value::BigInt(m.id), Value::Int(m.thread_id), Value::BigInt(m.created_at),
          Value::Text(m.body)};
}

std::string SqlQuote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  return out + "'";
}

Status Check(bool condition, const std::string& what) {
  return condition ? Status::Ok() : Status(ErrorCode::kInternal, "check failed: " + what);
}

struct Figures {
  double insert_per_s = 0, sqlite_insert_per_s = 0;
  double point_select_per_s = 0, sqlite_point_select_per_s = 0;
  double recent20_per_s = 0, sqlite_recent20_per_s = 0;
  double agg_ms = 0, sqlite_agg_ms = 0;
  int64_t agg_groups = 0;
  uint64_t row_cache_hits = 0, row_cache_misses = 0;  // during the two select phases
};

struct TenantUser {
  std::unique_ptr<EngineSession> session;
  std::unique_ptr<EnginePreparedStatement> insert, point, recent;
};

Status RunWorkload(const SqlBenchOptions& options, const std::string& dir, Figures* f) {
  const size_t users = options.users;
  Engine::Options db_options;
  db_options.user_cache_bytes = options.row_cache_mb << 20;
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<Engine> db, Engine::Open(dir + "/tenantdb", db_options));
  std::filesystem::create_directories(dir + "/sqlite");
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<SqliteBench> lite,
                       SqliteBench::Open(dir + "/sqlite", users, options.key == "thread"));

  auto root = std::make_unique<EngineSession>(db.get(), *UserId::Make("root"), Role::kSystem);
  TDB_RETURN_IF_ERROR(root->Execute("CREATE NAMESPACE IF NOT EXISTS bench").status());
  const bool thread_key = options.key == "thread";
  TDB_RETURN_IF_ERROR(root->Execute(thread_key
                                        ? "CREATE TABLE bench.messages (thread_id INT, "
                                          "id BIGINT, created_at BIGINT, body TEXT, "
                                          "PRIMARY KEY (thread_id, id)) WITH (TYPE = 'USER')"
                                        : "CREATE TABLE bench.messages (id BIGINT PRIMARY KEY, "
                                          "thread_id INT, created_at BIGINT, body TEXT) "
                                          "WITH (TYPE = 'USER')")
                          .status());
  TDB_RETURN_IF_ERROR(root->Execute("CREATE TABLE bench.shared_events (id BIGINT PRIMARY KEY, "
                                    "k INT NOT NULL, v BIGINT NOT NULL) "
                                    "WITH (TYPE = 'SHARED')")
                          .status());

  std::vector<TenantUser> tenants(users);
  for (size_t u = 0; u < users; ++u) {
    TDB_ASSIGN_OR_RETURN(UserId id, UserId::Make("user" + std::to_string(u)));
    TenantUser& t = tenants[u];
    t.session = std::make_unique<EngineSession>(db.get(), id, Role::kUser);
    TDB_ASSIGN_OR_RETURN(t.insert, t.session->Prepare("INSERT INTO bench.messages (id, thread_id, "
                                                      "created_at, body) VALUES ($1, $2, $3, $4)"));
    TDB_ASSIGN_OR_RETURN(
        t.point,
        t.session->Prepare(
            thread_key
                ? "SELECT id, thread_id, created_at, body FROM bench.messages "
                  "WHERE thread_id = $1 AND id = $2"
                : "SELECT id, thread_id, created_at, body FROM bench.messages WHERE id = $1"));
    TDB_ASSIGN_OR_RETURN(
        t.recent, t.session->Prepare("SELECT id, thread_id, created_at, body FROM bench.messages "
                                     "WHERE thread_id = $1 "
                                     "ORDER BY created_at DESC LIMIT 20"));
  }
  std::fprintf(stderr, "bench sql: %zu users, %zu sessions with 3 prepared statements each\n",
               users, users);

  // --- insert: single-row statements, round-robin over users, each synced. The two
  // sides alternate in blocks of 1,000 rows so that drift in the disk's fsync latency
  // during the run falls on both alike; each side's time is the sum of its blocks.
  std::vector<int64_t> per_user(users, 0);
  {
    double tenant_seconds = 0, sqlite_seconds = 0;
    constexpr size_t kBlock = 1000;
    for (size_t block = 0; block < options.rows; block += kBlock) {
      const size_t end = std::min(options.rows, block + kBlock);
      double start = NowSeconds();
      for (size_t g = block; g < end; ++g) {
        const size_t u = g % users;
        const BenchMessage m = MakeMessage(u, int64_t(g / users) + 1);
        TDB_ASSIGN_OR_RETURN(sql::QueryResult r, tenants[u].session->ExecutePrepared(
                                                     *tenants[u].insert, MessageParams(m)));
        if (r.rows_affected != 1) return Check(false, "tenantdb INSERT wrote 1 row");
      }
      tenant_seconds += NowSeconds() - start;
      start = NowSeconds();
      for (size_t g = block; g < end; ++g) {
        const size_t u = g % users;
        TDB_RETURN_IF_ERROR(lite->Insert(u, MakeMessage(u, int64_t(g / users) + 1)));
      }
      sqlite_seconds += NowSeconds() - start;
    }
    f->insert_per_s = double(options.rows) / tenant_seconds;
    f->sqlite_insert_per_s = double(options.rows) / sqlite_seconds;
    std::fprintf(stderr, "insert: tenantdb %.0f rows/s, sqlite %.0f rows/s (%zu each)\n",
                 f->insert_per_s, f->sqlite_insert_per_s, options.rows);
  }
  for (size_t g = 0; g < options.rows; ++g)
    ++per_user[g % users];

  // --- load (untimed): every user up to rows_per_user rows.
  {
    const double start = NowSeconds();
    for (size_t u = 0; u < users; ++u) {
      const int64_t target = std::max<int64_t>(per_user[u], int64_t(options.rows_per_user));
      std::vector<BenchMessage> rows;
      for (int64_t i = per_user[u] + 1; i <= target; ++i)
        rows.push_back(MakeMessage(u, i));
      for (size_t begin = 0; begin < rows.size(); begin += 500) {
        std::string sql = "INSERT INTO bench.messages (id, thread_id, created_at, body) VALUES ";
        const size_t end = std::min(rows.size(), begin + 500);
        for (size_t r = begin; r < end; ++r) {
          const BenchMessage& m = rows[r];
          if (r > begin) sql += ", ";
          sql += "(" + std::to_string(m.id) + ", " + std::to_string(m.thread_id) + ", " +
                 std::to_string(m.created_at) + ", " + SqlQuote(m.body) + ")";
        }
        TDB_ASSIGN_OR_RETURN(sql::QueryResult r, tenants[u].session->Execute(sql));
        TDB_RETURN_IF_ERROR(Check(r.rows_affected == end - begin, "multi-row INSERT count"));
      }
      if (!rows.empty()) TDB_RETURN_IF_ERROR(lite->InsertMany(u, rows));
      per_user[u] = target;
    }
    // Every user's row count, on both sides.
    for (size_t u = 0; u < users; ++u) {
      TDB_ASSIGN_OR_RETURN(sql::QueryResult r,
                           tenants[u].session->Execute("SELECT count(*) FROM bench.messages"));
      TDB_RETURN_IF_ERROR(Check(r.num_rows() == 1 && AsInt64(r.Get(0, 0)) == per_user[u],
                                "tenantdb row count of user" + std::to_string(u)));
      TDB_ASSIGN_OR_RETURN(int64_t n, lite->CountRows(u));
      TDB_RETURN_IF_ERROR(Check(n == per_user[u], "sqlite row count of user" + std::to_string(u)));
    }
    std::fprintf(stderr, "load: %zu rows per user on both sides (checked) in %.1f s\n",
                 options.rows_per_user, NowSeconds() - start);
  }

  const HotUserCache::Stats cache_before = db->tables().hot().user_cache_stats();
  // --- point select by primary key, random user and key (same sequence both sides).
  {
    std::mt19937_64 rng(42);
    size_t body_bytes = 0;
    const double start = NowSeconds();
    for (size_t q = 0; q < options.queries; ++q) {
      const size_t u = rng() % users;
      const int64_t id = int64_t(rng() % uint64_t(per_user[u])) + 1;
      const Value thread = Value::Int(static_cast<int32_t>(id % kBenchThreads));
      TDB_ASSIGN_OR_RETURN(
          sql::QueryResult r,
          tenants[u].session->ExecutePrepared(
              *tenants[u].point, thread_key ? std::vector<Value>{thread, Value::BigInt(id)}
                                            : std::vector<Value>{Value::BigInt(id)}));
      if (r.num_rows() != 1 || r.Get(0, 0).as_int64() != id) {
        return Check(false, "tenantdb point select of id " + std::to_string(id));
      }
      body_bytes += r.Get(0, 3).as_bytes().size();
    }
    f->point_select_per_s = double(options.queries) / (NowSeconds() - start);
    DoNotOptimize(body_bytes);
  }
  {
    std::mt19937_64 rng(42);
    size_t body_bytes = 0;
    const double start = NowSeconds();
    for (size_t q = 0; q < options.queries; ++q) {
      const size_t u = rng() % users;
      const int64_t id = int64_t(rng() % uint64_t(per_user[u])) + 1;
      TDB_ASSIGN_OR_RETURN(size_t rows, lite->PointSelect(u, id, &body_bytes));
      if (rows != 1) return Check(false, "sqlite point select of id " + std::to_string(id));
    }
    f->sqlite_point_select_per_s = double(options.queries) / (NowSeconds() - start);
    DoNotOptimize(body_bytes);
  }
  std::fprintf(stderr, "point select: tenantdb %.0f/s, sqlite %.0f/s (%zu queries each)\n",
               f->point_select_per_s, f->sqlite_point_select_per_s, options.queries);

  // --- recent20: a user's 20 newest rows of one thread.
  {
    std::mt19937_64 rng(7);
    const double start = NowSeconds();
    for (size_t q = 0; q < options.queries; ++q) {
      const size_t u = rng() % users;
      const auto thread = static_cast<int32_t>(rng() % kBenchThreads);
      TDB_ASSIGN_OR_RETURN(sql::QueryResult r, tenants[u].session->ExecutePrepared(
                                                   *tenants[u].recent, {Value::Int(thread)}));
      const size_t expected = std::min<size_t>(20, RowsOfThread(per_user[u], thread));
      if (r.num_rows() != expected ||
          (expected > 0 && r.Get(0, 2).as_int64() != NewestOfThread(u, per_user[u], thread))) {
        return Check(false, "tenantdb recent20 of user" + std::to_string(u));
      }
    }
    f->recent20_per_s = double(options.queries) / (NowSeconds() - start);
  }
  {
    std::mt19937_64 rng(7);
    const double start = NowSeconds();
    for (size_t q = 0; q < options.queries; ++q) {
      const size_t u = rng() % users;
      const auto thread = static_cast<int32_t>(rng() % kBenchThreads);
      int64_t newest = -1;
      TDB_ASSIGN_OR_RETURN(size_t rows, lite->Recent20(u, thread, &newest));
      const size_t expected = std::min<size_t>(20, RowsOfThread(per_user[u], thread));
      if (rows != expected || (expected > 0 && newest != NewestOfThread(u, per_user[u], thread))) {
        return Check(false, "sqlite recent20 of user" + std::to_string(u));
      }
    }
    f->sqlite_recent20_per_s = double(options.queries) / (NowSeconds() - start);
  }
  std::fprintf(stderr, "recent20: tenantdb %.0f/s, sqlite %.0f/s (%zu queries each)\n",
               f->recent20_per_s, f->sqlite_recent20_per_s, options.queries);
  const HotUserCache::Stats cache_after = db->tables().hot().user_cache_stats();
  f->row_cache_hits = cache_after.hits - cache_before.hits;
  f->row_cache_misses = cache_after.misses - cache_before.misses;
  std::fprintf(stderr, "row cache (%zu MiB) during the selects: %llu hits, %llu misses\n",
               options.row_cache_mb, static_cast<unsigned long long>(f->row_cache_hits),
               static_cast<unsigned long long>(f->row_cache_misses));
  tenants.clear();

  // --- agg: load the shared table (untimed), then GROUP BY, best of three.
  {
    const double start = NowSeconds();
    const int64_t total = int64_t(options.agg_rows);
    const int64_t kPerStatement = 1000;
    for (int64_t first = 0; first < total; first += kPerStatement) {
      const int64_t end = std::min(total, first + kPerStatement);
      std::string sql = "INSERT INTO bench.shared_events VALUES ";
      for (int64_t id = first; id < end; ++id) {
        if (id > first) sql += ",";
        sql += "(" + std::to_string(id) + "," + std::to_string(SharedK(id, kGroups)) + "," +
               std::to_string(SharedV(id)) + ")";
      }
      TDB_ASSIGN_OR_RETURN(sql::QueryResult r, root->Execute(sql));
      TDB_RETURN_IF_ERROR(Check(r.rows_affected == uint64_t(end - first), "shared INSERT count"));
    }
    TDB_RETURN_IF_ERROR(lite->LoadShared(0, total, kGroups));
    std::fprintf(stderr, "agg: loaded %lld shared rows on both sides in %.1f s\n",
                 static_cast<long long>(total), NowSeconds() - start);
  }
  std::map<int64_t, BenchGroup> expected;
  for (int64_t id = 0; id < int64_t(options.agg_rows); ++id) {
    BenchGroup& g = expected[SharedK(id, kGroups)];
    g.k = SharedK(id, kGroups);
    ++g.count;
    g.sum += SharedV(id);
  }
  auto check_groups = [&](const std::vector<BenchGroup>& groups, const char* side) -> Status {
    if (groups.size() != expected.size()) {
      return Check(false, std::string(side) + " aggregate returned " +
                              std::to_string(groups.size()) + " groups, expected " +
                              std::to_string(expected.size()));
    }
    for (const BenchGroup& g : groups) {
      auto it = expected.find(g.k);
      if (it == expected.end() || it->second.count != g.count || it->second.sum != g.sum ||
          std::fabs(g.avg - double(g.sum) / double(g.count)) > 1e-6 * std::max(1.0, g.avg)) {
        return Check(false, std::string(side) + " aggregate group k=" + std::to_string(g.k));
      }
    }
    return Status::Ok();
  };
  const std::string agg_sql =
      "SELECT k, count(*), sum(v), avg(v) FROM bench.shared_events GROUP BY k";
  f->agg_ms = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    const double start = NowSeconds();
    TDB_ASSIGN_OR_RETURN(sql::QueryResult r, root->Execute(agg_sql));
    const double ms = (NowSeconds() - start) * 1000;
    f->agg_ms = std::min(f->agg_ms, ms);
    std::vector<BenchGroup> groups;
    for (size_t row = 0; row < r.num_rows(); ++row) {
      groups.push_back({AsInt64(r.Get(row, 0)), AsInt64(r.Get(row, 1)), AsInt64(r.Get(row, 2)),
                        AsDouble(r.Get(row, 3))});
    }
    TDB_RETURN_IF_ERROR(check_groups(groups, "tenantdb"));
    f->agg_groups = int64_t(groups.size());
  }
  f->sqlite_agg_ms = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    const double start = NowSeconds();
    TDB_ASSIGN_OR_RETURN(std::vector<BenchGroup> groups, lite->Aggregate());
    f->sqlite_agg_ms = std::min(f->sqlite_agg_ms, (NowSeconds() - start) * 1000);
    TDB_RETURN_IF_ERROR(check_groups(groups, "sqlite"));
  }
  std::fprintf(stderr,
               "agg over %zu rows: tenantdb %.1f ms, sqlite %.1f ms (best of 3, %lld "
               "groups, counts and sums checked)\n",
               options.agg_rows, f->agg_ms, f->sqlite_agg_ms,
               static_cast<long long>(f->agg_groups));

  // Closing is not measured, but it is slow enough to say so: SQLite checkpoints each
  // file's WAL on close.
  double start = NowSeconds();
  lite.reset();
  std::fprintf(stderr, "closed %zu SQLite files in %.1f s\n", users + 1, NowSeconds() - start);
  start = NowSeconds();
  root.reset();
  db.reset();
  std::fprintf(stderr, "closed the tenantdb database in %.1f s\n", NowSeconds() - start);
  return Status::Ok();
}

}  // namespace

int RunSqlBench(const SqlBenchOptions& options) {
  std::string dir = options.directory;
  const bool temporary = dir.empty();
  if (temporary) {
    dir = (std::filesystem::temp_directory_path() /
           ("tenantdb-bench-sql-" + std::to_string(getpid())))
              .string();
  }
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  std::filesystem::create_directories(dir, error);
  if (error) {
    std::fprintf(stderr, "bench sql: cannot create %s: %s\n", dir.c_str(), error.message().c_str());
    return 1;
  }
  std::fprintf(stderr,
               "bench sql: tenantdb (embedded EngineSession API) vs SQLite %s in %s; every "
               "acknowledged write synced on both sides; %zu single-row inserts (kept "
               "moderate: this phase is bound by fsync)\n",
               "(one WAL-mode file per user)", dir.c_str(), options.rows);
  Figures f;
  Status status = RunWorkload(options, dir, &f);
  if (temporary && !options.keep) std::filesystem::remove_all(dir, error);
  if (!status.ok()) {
    std::fprintf(stderr, "bench sql: %s\n", status.ToString().c_str());
    return 1;
  }
  JsonLine json;
  json.Add("bench", std::string("sql"))
      .Add("users", double(options.users))
      .Add("rows", double(options.rows))
      .Add("rows_per_user", double(options.rows_per_user))
      .Add("queries", double(options.queries))
      .Add("agg_rows", double(options.agg_rows))
      .Add("agg_groups", double(f.agg_groups))
      .Add("durability", std::string("each write synced"))
      .Add("row_cache_mb", double(options.row_cache_mb))
      .Add("row_cache_hits", double(f.row_cache_hits))
      .Add("row_cache_misses", double(f.row_cache_misses))
      .Add("insert_per_s", std::round(f.insert_per_s))
      .Add("sqlite_insert_per_s", std::round(f.sqlite_insert_per_s))
      .Add("insert_ratio", f.insert_per_s / f.sqlite_insert_per_s)
      .Add("point_select_per_s", std::round(f.point_select_per_s))
      .Add("sqlite_point_select_per_s", std::round(f.sqlite_point_select_per_s))
      .Add("point_select_ratio", f.point_select_per_s / f.sqlite_point_select_per_s)
      .Add("recent20_per_s", std::round(f.recent20_per_s))
      .Add("sqlite_recent20_per_s", std::round(f.sqlite_recent20_per_s))
      .Add("recent20_ratio", f.recent20_per_s / f.sqlite_recent20_per_s)
      .Add("agg_1m_rows_ms", f.agg_ms)
      .Add("sqlite_agg_1m_rows_ms", f.sqlite_agg_ms)
      .Add("agg_ratio", f.sqlite_agg_ms / f.agg_ms);
  json.Print();
  return 0;
}

void RegisterSqlBench(CLI::App* bench) {
  auto options = std::make_shared<SqlBenchOptions>();
  CLI::App* s = bench->add_subcommand("sql", "SQL through the embedded API against SQLite");
  s->add_option("--users", options->users, "Users (sessions; SQLite: database files)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--rows", options->rows, "Single-row INSERTs timed (each synced)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--rows-per-user", options->rows_per_user,
                "Rows per user before the selects (loaded untimed)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--queries", options->queries, "Point selects and recent20 queries each")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--key", options->key,
                "Primary key of bench.messages on both sides: thread = (thread_id, id), id = (id)")
      ->check(CLI::IsMember({"thread", "id"}));
  s->add_option("--row-cache-mb", options->row_cache_mb,
                "tenantdb's USER-table row cache in MiB (0: off, every read goes to RocksDB)")
      ->capture_default_str();
  s->add_option("--agg-rows", options->agg_rows, "Rows of the shared table aggregated")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option(
      "--dir", options->directory,
      "Working directory (erased first, kept after; default: a temporary one, removed after)");
  s->add_flag("--keep", options->keep, "Keep the working directory afterwards");
  s->callback([options] { SetExitCode(RunSqlBench(*options)); });
}

}  // namespace tenantdb::cli
