// End-to-end tests of the embedded SQL API (engine/engine_session.h) on a real data directory.
#include "engine/engine_session.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "engine/engine.h"

namespace tenantdb {
namespace {

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_session_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Engine::Options options;
    options.background_jobs = false;
    db_ = Engine::Open(dir_.string(), options).value();
    root_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  }
  void TearDown() override {
    root_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs `sql` and renders its rows as "a|b\n" lines (NULL as "NULL").
  std::string Query(EngineSession& s, const std::string& sql,
                    const std::vector<Value>& params = {}) {
    auto r = s.Execute(sql, params);
    if (!r.ok()) return "ERROR " + r.status().ToString();
    std::string out;
    for (size_t row = 0; row < r->num_rows(); ++row) {
      for (size_t c = 0; c < r->num_columns(); ++c) {
        out += (c ? "|" : "") + r->Get(row, c).ToString();
      }
      out += "\n";
    }
    return out;
  }
  std::string Query(const std::string& sql) { return Query(*root_, sql); }
  void Ok(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  void Ok(const std::string& sql) { Ok(*root_, sql); }
  ErrorCode Fail(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    EXPECT_FALSE(r.ok()) << sql;
    return r.ok() ? ErrorCode::kOk : r.status().code();
  }
  ErrorCode Fail(const std::string& sql) { return Fail(*root_, sql); }

  // Reopens the database with a clock the test moves (for STREAM TTLs).
  void ReopenWithClock() {
    root_.reset();
    db_.reset();
    Engine::Options options;
    options.background_jobs = false;
    options.clock = &clock_;
    db_ = Engine::Open(dir_.string(), options).value();
    root_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  }
  uint64_t Affected(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? r->rows_affected : ~uint64_t{0};
  }

  std::filesystem::path dir_;
  ManualClock clock_{1'700'000'000'000'000};  // outlives db_
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

TEST_F(SessionTest, SelectWithoutFrom) {
  EXPECT_EQ(Query("SELECT 1 + 2, 'a' || 'b', NULL IS NULL"), "3|ab|t\n");
}

TEST_F(SessionTest, SharedTableRoundTrip) {
  Ok("CREATE TABLE t (a INT PRIMARY KEY, b TEXT)");
  Ok("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, NULL)");
  EXPECT_EQ(Query("SELECT a, b FROM t ORDER BY a"), "1|one\n2|two\n3|NULL\n");
  EXPECT_EQ(Query("SELECT count(*), sum(a), max(b) FROM t"), "3|6|two\n");
  Ok("UPDATE t SET b = 'TWO' WHERE a = 2");
  Ok("DELETE FROM t WHERE a = 1");
  EXPECT_EQ(Query("SELECT * FROM t ORDER BY a DESC"), "3|NULL\n2|TWO\n");
}

TEST_F(SessionTest, TableWithoutKeyGetsHiddenRowId) {
  Ok("CREATE TABLE t1 (a INTEGER, b INTEGER)");
  Ok("INSERT INTO t1 VALUES (1, 2), (1, 2)");
  EXPECT_EQ(Query("SELECT * FROM t1"), "1|2\n1|2\n");
}

TEST_F(SessionTest, UserTableIsolation) {
  Ok("CREATE NAMESPACE chat");
  Ok("CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  EngineSession alice(db_.get(), UserId::Make("alice").value(), Role::kUser);
  EngineSession bob(db_.get(), UserId::Make("bob").value(), Role::kUser);
  Ok(alice, "INSERT INTO chat.messages VALUES (1, 'hi from alice')");
  Ok(bob, "INSERT INTO chat.messages VALUES (1, 'hi from bob')");
  EXPECT_EQ(Query(alice, "SELECT body FROM chat.messages"), "hi from alice\n");
  EXPECT_EQ(Query(bob, "SELECT body FROM chat.messages WHERE id = 1"), "hi from bob\n");
  EXPECT_EQ(Fail(bob, "EXECUTE AS USER 'alice' (SELECT * FROM chat.messages)"),
            ErrorCode::kInsufficientPrivilege);
  EXPECT_EQ(Query(*root_, "EXECUTE AS USER 'alice' (SELECT body FROM chat.messages)"),
            "hi from alice\n");
}

TEST_F(SessionTest, Errors) {
  Ok("CREATE TABLE t (a INT PRIMARY KEY, b TEXT NOT NULL)");
  EXPECT_EQ(Fail("SELECT * FROM nope"), ErrorCode::kUndefinedTable);
  EXPECT_EQ(Fail("SELECT c FROM t"), ErrorCode::kUndefinedColumn);
  EXPECT_EQ(Fail("INSERT INTO t VALUES (1, NULL)"), ErrorCode::kNotNullViolation);
  Ok("INSERT INTO t VALUES (1, 'x')");
  EXPECT_EQ(Fail("INSERT INTO t VALUES (2, 'y'), (1, 'dup')"), ErrorCode::kUniqueViolation);
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "1\n");
  EXPECT_EQ(Fail("SELECT 1 / 0"), ErrorCode::kDivisionByZero);
  EXPECT_EQ(Fail("SELECT 2147483647 + 1"), ErrorCode::kNumericOutOfRange);
  EXPECT_EQ(Fail("SELEC 1"), ErrorCode::kSyntaxError);
  EXPECT_EQ(Fail("CREATE TABLE u (a INT) WITH (TYPE = 'USER')"), ErrorCode::kInvalidArgument);
}

TEST_F(SessionTest, TransactionsAreAtomic) {
  // PUBLIC: the other session (a service) reads it.
  Ok("CREATE TABLE t (a INT PRIMARY KEY) WITH (ACCESS_LEVEL = 'PUBLIC')");
  EngineSession other(db_.get(), UserId::Make("svc").value(), Role::kService);
  Ok("BEGIN");
  Ok("INSERT INTO t VALUES (1)");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "1\n");
  EXPECT_EQ(Query(other, "SELECT count(*) FROM t"), "0\n");
  Ok("COMMIT");
  EXPECT_EQ(Query(other, "SELECT count(*) FROM t"), "1\n");
  Ok("BEGIN");
  Ok("INSERT INTO t VALUES (2)");
  Ok("ROLLBACK");
  EXPECT_EQ(Query("SELECT a FROM t"), "1\n");
}

TEST_F(SessionTest, PreparedStatements) {
  Ok("CREATE TABLE t (a BIGINT PRIMARY KEY, b TEXT)");
  auto insert = root_->Prepare("INSERT INTO t VALUES ($1, $2)");
  ASSERT_TRUE(insert.ok()) << insert.status().ToString();
  for (int i = 0; i < 10; ++i) {
    auto r =
        root_->ExecutePrepared(**insert, {Value::BigInt(i), Value::Text("v" + std::to_string(i))});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  auto select = root_->Prepare("SELECT b FROM t WHERE a = $1");
  ASSERT_TRUE(select.ok()) << select.status().ToString();
  auto r = root_->ExecutePrepared(**select, {Value::Int(7)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Get(0, 0).ToString(), "v7");
  EXPECT_EQ(Query("EXPLAIN SELECT b FROM t WHERE a = 5").find("key = (5)") != std::string::npos,
            true)
      << Query("EXPLAIN SELECT b FROM t WHERE a = 5");
}

// Issue 9: a STREAM row past its TTL was invisible to SELECT but still held its key
// (INSERT failed with unique_violation, ON CONFLICT saw a conflict) until the TTL job ran.
TEST_F(SessionTest, ExpiredStreamRowsAreGoneForEveryStatementAtOnce) {
  ReopenWithClock();
  Ok("CREATE NAMESPACE app");
  Ok("CREATE TABLE app.ev (id BIGINT PRIMARY KEY, body TEXT) "
     "WITH (TYPE = 'STREAM', TTL_SECONDS = 2)");
  EngineSession alice(db_.get(), UserId::Make("alice").value(), Role::kUser);
  Ok(alice, "INSERT INTO app.ev VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')");
  clock_.Advance(1'000'000);
  EXPECT_EQ(Query(alice, "SELECT count(*) FROM app.ev"), "5\n");
  EXPECT_EQ(Fail(alice, "INSERT INTO app.ev VALUES (1, 'dup')"), ErrorCode::kUniqueViolation);
  clock_.Advance(2'000'000);  // 3 s old: expired, and the TTL job has not run
  EXPECT_EQ(Query(alice, "SELECT count(*) FROM app.ev"), "0\n");
  EXPECT_EQ(Query(alice, "SELECT body FROM app.ev WHERE id = 1"), "");
  Ok(alice, "INSERT INTO app.ev VALUES (1, 'new')");
  EXPECT_EQ(Affected(alice, "INSERT INTO app.ev VALUES (2, 'x') ON CONFLICT DO NOTHING"), 1u);
  EXPECT_EQ(Affected(alice,
                     "INSERT INTO app.ev VALUES (3, 'y') "
                     "ON CONFLICT (id) DO UPDATE SET body = 'conflict'"),
            1u);
  EXPECT_EQ(Affected(alice, "UPDATE app.ev SET body = 'z' WHERE id = 4"), 0u);
  EXPECT_EQ(Affected(alice, "DELETE FROM app.ev WHERE id = 5"), 0u);
  Ok(alice, "INSERT INTO app.ev VALUES (4, 'w'), (5, 'v')");
  EXPECT_EQ(Query(alice, "SELECT id, body FROM app.ev ORDER BY id"), "1|new\n2|x\n3|y\n4|w\n5|v\n");
  // A transaction sees the same: the expired key is free inside it too.
  clock_.Advance(3'000'000);
  Ok(alice, "BEGIN");
  Ok(alice, "INSERT INTO app.ev VALUES (1, 'txn')");
  Ok(alice, "COMMIT");
  EXPECT_EQ(Query(alice, "SELECT id, body FROM app.ev"), "1|txn\n");
  // The rows written before stay invisible once the TTL job removes them.
  auto expired = db_->ExpireStreams();
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  EXPECT_EQ(Query(alice, "SELECT id, body FROM app.ev"), "1|txn\n");
}

// Issue 9: bound parameters bypass the parser, and their text was stored as given.
TEST_F(SessionTest, TextParametersMustBeValidUtf8) {
  Ok("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)");
  for (const std::string bad : {"\xff\xfe", "a\xc0\xaf", "\xed\xa0\x80"}) {
    auto direct =
        root_->Execute("INSERT INTO notes VALUES ($1, $2)", {Value::Int(1), Value::Text(bad)});
    ASSERT_FALSE(direct.ok());
    EXPECT_EQ(direct.status().sqlstate(), "22021") << direct.status().ToString();
    EXPECT_NE(direct.status().message().find("parameter $2"), std::string_view::npos);
    auto insert = root_->Prepare("INSERT INTO notes VALUES ($1, $2)");
    ASSERT_TRUE(insert.ok()) << insert.status().ToString();
    auto prepared = root_->ExecutePrepared(**insert, {Value::Int(2), Value::Text(bad)});
    ASSERT_FALSE(prepared.ok());
    EXPECT_EQ(prepared.status().sqlstate(), "22021") << prepared.status().ToString();
    auto select = root_->Prepare("SELECT count(*) FROM notes WHERE body = $1");
    ASSERT_TRUE(select.ok()) << select.status().ToString();
    auto compared = root_->ExecutePrepared(**select, {Value::Text(bad)});
    ASSERT_FALSE(compared.ok());
    EXPECT_EQ(compared.status().sqlstate(), "22021") << compared.status().ToString();
  }
  EXPECT_EQ(Query("SELECT count(*) FROM notes"), "0\n");
  auto good = root_->Execute("INSERT INTO notes VALUES ($1, $2)",
                             {Value::Int(3), Value::Text("h\xc3\xa9llo")});
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(Query("SELECT length(body) FROM notes"), "5\n");
}

// Issue 9: system.jobs' details ("flushed 1 tables, 12 rows", "expired 3 rows") and the
// activity counters of system.stats summed up every user's data for role user.
TEST_F(SessionTest, SystemTablesShowAUserOnlyWhatIsTheirsOrGlobal) {
  Ok("CREATE NAMESPACE app");
  Ok("CREATE TABLE app.m (id BIGINT PRIMARY KEY, body TEXT) "
     "WITH (TYPE = 'USER', FLUSH_POLICY = 'rows:5')");
  Ok("CREATE TABLE app.ev (id BIGINT PRIMARY KEY) WITH (TYPE = 'STREAM', TTL_SECONDS = 60)");
  Ok("CREATE USER alice ROLE user");
  Ok("CREATE USER bob ROLE user");
  Ok("CREATE USER ops ROLE dba");
  EngineSession alice(db_.get(), UserId::Make("alice").value(), Role::kUser);
  EngineSession bob(db_.get(), UserId::Make("bob").value(), Role::kUser);
  EngineSession svc(db_.get(), UserId::Make("svc").value(), Role::kService);
  EngineSession ops(db_.get(), UserId::Make("ops").value(), Role::kDba);
  Ok(bob, "INSERT INTO app.m VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, 'f')");
  Ok(bob, "INSERT INTO app.ev VALUES (1)");
  Ok(bob, "SELECT * FROM app.m");
  auto flushed =
      db_->jobs().RunNow("flush", [this] { return db_->flush_scheduler().CheckAndFlush(); });
  ASSERT_TRUE(flushed.ok()) << flushed.status().ToString();
  ASSERT_NE(flushed->find("6 rows"), std::string::npos) << *flushed;
  auto expired = db_->jobs().RunNow("stream_ttl", [this] { return db_->ExpireStreams(); });
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();

  // system.jobs: every role sees that the jobs ran; only dba and system see the details.
  const std::string jobs =
      "SELECT job_name, status, detail IS NULL FROM system.jobs ORDER BY job_id";
  EXPECT_EQ(Query(alice, jobs), "flush|ok|t\nstream_ttl|ok|t\n");
  EXPECT_EQ(Query(svc, jobs), "flush|ok|t\nstream_ttl|ok|t\n");
  EXPECT_EQ(Query(ops, jobs), "flush|ok|f\nstream_ttl|ok|f\n");
  EXPECT_EQ(Query(*root_, "SELECT detail FROM system.jobs WHERE job_name = 'flush'"),
            *flushed + "\n");

  // system.stats: configuration and catalog shape for everyone; counters of everybody's
  // requests and memory for dba and system only.
  const std::string stats = "SELECT metric_name FROM system.stats ORDER BY metric_name";
  EXPECT_EQ(Query(alice, stats), "cache_capacity\nschema_dedup_rate\nunique_schemas\n");
  EXPECT_EQ(Query(svc, stats), "cache_capacity\nschema_dedup_rate\nunique_schemas\n");
  const std::string all = Query(ops, stats);
  for (const char* counter : {"cache_hits", "heap_bytes", "row_cache_hits", "row_cache_bytes"}) {
    EXPECT_NE(all.find(counter), std::string::npos) << counter;
  }

  // system.users: role user sees itself; roles that act for users see everyone.
  EXPECT_EQ(Query(alice, "SELECT user_id, role FROM system.users"), "alice|user\n");
  EXPECT_EQ(Query(svc, "SELECT count(*) FROM system.users WHERE user_id IN ('alice', 'bob')"),
            "2\n");
}

// Issue 10 §5: a table's DEFAULTs are parsed and bound once per table version and kept
// by the engine; ALTER TABLE ... SET DEFAULT (a new version) takes effect on the next
// statement; volatile defaults still give each row its own value.
TEST_F(SessionTest, DefaultsAreBoundOncePerTableVersion) {
  Ok("CREATE TABLE d (id BIGINT PRIMARY KEY DEFAULT SNOWFLAKE_ID(), n INT DEFAULT 7, "
     "note TEXT)");
  const uint64_t before = db_->column_defaults().binds();
  Ok("INSERT INTO d (note) VALUES ('a')");
  EXPECT_EQ(db_->column_defaults().binds(), before + 1);
  Ok("INSERT INTO d (note) VALUES ('b'), ('c'), ('d')");
  Ok("INSERT INTO d (id, note) VALUES (1, 'e')");
  Ok("UPDATE d SET n = DEFAULT WHERE id = 1");
  EngineSession other(db_.get(), UserId::Make("root").value(), Role::kSystem);
  Ok(other, "INSERT INTO d (note) VALUES ('f')");
  EXPECT_EQ(db_->column_defaults().binds(), before + 1) << "defaults bound again";
  // SNOWFLAKE_ID() is evaluated per row: six rows, six keys.
  EXPECT_EQ(Query("SELECT count(DISTINCT id), min(n), max(n) FROM d"), "6|7|7\n");

  Ok("ALTER TABLE d ALTER COLUMN n SET DEFAULT 42");
  Ok("INSERT INTO d (note) VALUES ('g')");
  EXPECT_EQ(Query("SELECT n FROM d WHERE note = 'g'"), "42\n");
  EXPECT_EQ(db_->column_defaults().binds(), before + 2);
  Ok("INSERT INTO d (note) VALUES ('h')");
  EXPECT_EQ(db_->column_defaults().binds(), before + 2);

  // Dropped and created again under the same name: the new table's defaults, never the
  // old one's.
  Ok("DROP TABLE d");
  Ok("CREATE TABLE d (id BIGINT PRIMARY KEY, n INT DEFAULT -1)");
  Ok("INSERT INTO d (id) VALUES (1)");
  EXPECT_EQ(Query("SELECT n FROM d"), "-1\n");
}

// A default that binds per statement (CURRENT_USER is each session's own user) is not
// shared between statements.
TEST_F(SessionTest, UserDependentDefaultsAreBoundPerStatement) {
  Ok("CREATE NAMESPACE app");
  Ok("CREATE TABLE app.log (id INT PRIMARY KEY, who TEXT DEFAULT CURRENT_USER) "
     "WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC')");
  Ok("CREATE USER svc ROLE service");
  EngineSession svc(db_.get(), UserId::Make("svc").value(), Role::kService);
  Ok("INSERT INTO app.log (id) VALUES (1)");
  Ok(svc, "INSERT INTO app.log (id) VALUES (2)");
  EXPECT_EQ(Query("SELECT id, who FROM app.log ORDER BY id"), "1|root\n2|svc\n");
}

// Issue 10 §5: parameter count and types come from the binder; wrong argument counts
// fail as PostgreSQL's do.
TEST_F(SessionTest, PreparedParametersComeFromTheBinder) {
  Ok("CREATE TABLE t (a BIGINT PRIMARY KEY, b TEXT)");
  // '$9' inside a literal is text, not a parameter.
  auto insert = root_->Prepare("INSERT INTO t (a, b) VALUES ($1, '$9' || $2)");
  ASSERT_TRUE(insert.ok()) << insert.status().ToString();
  EXPECT_EQ((*insert)->num_parameters(), 2u);
  auto r = root_->ExecutePrepared(**insert, {Value::BigInt(5), Value::Text("x")});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Query("SELECT a, b FROM t"), "5|$9x\n");
  // Through the API a string stays TEXT in a write unless the SQL casts it (the HTTP
  // API's documented rule): not silently parsed as the column's BIGINT.
  auto text = root_->ExecutePrepared(**insert, {Value::Text("6"), Value::Text("y")});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), ErrorCode::kTypeMismatch) << text.status().ToString();

  auto wrong = root_->ExecutePrepared(**insert, {Value::BigInt(6)});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().sqlstate(), "08P01") << wrong.status().ToString();
  auto select = root_->Prepare("SELECT b FROM t WHERE a = $1 OR b = $2 OR a = $3");
  ASSERT_TRUE(select.ok()) << select.status().ToString();
  EXPECT_EQ((*select)->num_parameters(), 3u);
  auto extra = root_->ExecutePrepared(
      **select, {Value::BigInt(5), Value::Text("x"), Value::BigInt(1), Value::BigInt(2)});
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.status().sqlstate(), "08P01") << extra.status().ToString();

  Ok("PREPARE p (INT) AS SELECT a FROM t WHERE a = $1");
  auto count = root_->Execute("EXECUTE p(5, 6)");
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.status().sqlstate(), "42601");
  EXPECT_NE(count.status().message().find("wrong number of parameters for prepared statement "
                                          "\"p\": expected 1, got 2"),
            std::string_view::npos)
      << count.status().ToString();
  EXPECT_EQ(Fail("EXECUTE p"), ErrorCode::kSyntaxError);
  EXPECT_EQ(Query("EXECUTE p(5)"), "5\n");
  // Inferred when PREPARE lists no types: both are the key's BIGINT, so the untyped
  // literals parse as BIGINT.
  Ok("PREPARE q AS SELECT b FROM t WHERE a = $1 AND a < $2");
  EXPECT_EQ(Query("EXECUTE q('5', '6')"), "$9x\n");
  EXPECT_EQ(Fail("EXECUTE q('five', '6')"), ErrorCode::kInvalidTextRepresentation);

  // A prepared write keeps working after DDL (bound again with the same types).
  auto del = root_->Prepare("DELETE FROM t WHERE a = $1");
  ASSERT_TRUE(del.ok()) << del.status().ToString();
  Ok("CREATE TABLE unrelated (id INT PRIMARY KEY)");
  auto deleted = root_->ExecutePrepared(**del, {Value::BigInt(5)});
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(deleted->rows_affected, 1u);
}

// EXPLAIN ANALYZE ran nothing and printed the plan alone (the ANALYZE was parsed and
// dropped): it now runs the SELECT and reports each operator's actual rows, and refuses
// writes instead of silently not running them.
TEST_F(SessionTest, ExplainAnalyzeRunsTheSelectAndReportsActualRowsPerOperator) {
  Ok("CREATE TABLE t (a INT PRIMARY KEY, b TEXT)");
  Ok("INSERT INTO t SELECT x, 'v' || x FROM generate_series(1, 100) AS g(x)");
  const std::string plan = Query(
      "EXPLAIN ANALYZE SELECT b, count(*) FROM t WHERE a % 10 = 3 GROUP BY b "
      "ORDER BY b LIMIT 4");
  std::vector<std::string> lines;
  for (size_t start = 0; start < plan.size();) {
    const size_t end = plan.find('\n', start);
    lines.push_back(plan.substr(start, end - start));
    start = end + 1;
  }
  auto line_of = [&](const std::string& node) -> std::string {
    for (const std::string& l : lines)
      if (l.find(node) != std::string::npos) return l;
    return "";
  };
  // The scan (its filter pushed into it) returns the 10 rows that pass, 10 groups, the
  // top-N sort keeps 4.
  EXPECT_NE(line_of("Scan default.t").find("(actual rows=10 loops=1 time="), std::string::npos)
      << plan;
  EXPECT_NE(line_of("HashAggregate").find("(actual rows=10 loops=1"), std::string::npos) << plan;
  EXPECT_NE(line_of("Sort").find("(actual rows=4 loops=1"), std::string::npos) << plan;
  EXPECT_NE(line_of("Limit").find("(actual rows=4 loops=1"), std::string::npos) << plan;
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("Execution Time: ", 0), 0u) << plan;
  for (const std::string& l : lines) {
    if (l.rfind("Execution Time", 0) == 0) continue;
    EXPECT_NE(l.find("(actual rows="), std::string::npos) << "a node without figures: " << l;
  }
  // Plain EXPLAIN still runs nothing and shows no figures.
  EXPECT_EQ(Query("EXPLAIN SELECT * FROM t").find("actual"), std::string::npos);
  EXPECT_EQ(Fail("EXPLAIN ANALYZE DELETE FROM t"), ErrorCode::kFeatureNotSupported);
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "100\n");
}

// The API's prepared statements (and the wire protocol's, which use them) and COPY FROM
// STDIN bypass the SQL dispatcher: a read-only transaction refuses their writes too.
TEST_F(SessionTest, ReadOnlyTransactionRefusesPreparedWritesAndCopyIn) {
  Ok("CREATE TABLE t (a BIGINT PRIMARY KEY, b TEXT)");
  auto insert = root_->Prepare("INSERT INTO t VALUES ($1, $2)");
  ASSERT_TRUE(insert.ok()) << insert.status().ToString();
  auto select = root_->Prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(select.ok()) << select.status().ToString();
  Ok("BEGIN READ ONLY");
  auto refused = root_->ExecutePrepared(**insert, {Value::BigInt(1), Value::Text("x")});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kReadOnly);
  EXPECT_EQ(refused.status().sqlstate(), "25006");
  EXPECT_TRUE(
      refused.status().message().starts_with("cannot execute INSERT in a read-only transaction"))
      << refused.status().ToString();
  Ok("ROLLBACK");
  Ok("SET default_transaction_read_only = on");
  auto counted = root_->ExecutePrepared(**select, {});
  ASSERT_TRUE(counted.ok()) << counted.status().ToString();
  auto copy_in = root_->Open("COPY t FROM STDIN", {});
  ASSERT_FALSE(copy_in.ok());
  EXPECT_EQ(copy_in.status().code(), ErrorCode::kReadOnly);
  Ok("SET default_transaction_read_only = off");
  auto inserted = root_->ExecutePrepared(**insert, {Value::BigInt(1), Value::Text("x")});
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "1\n");
}

// STORAGE FLUSH TABLE ran outside the job runner and left no trace in system.jobs,
// unlike STORAGE COMPACT TABLE; and the every-second flush check recorded each run that
// flushed nothing, pushing the real work out of the bounded history.
TEST_F(SessionTest, StorageFlushIsAJobAndIdleChecksAreNot) {
  Ok("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT) WITH (FLUSH_POLICY = 'rows:1000')");
  Ok("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  const std::string jobs = "SELECT job_name, status, detail FROM system.jobs ORDER BY job_id";
  // The automatic check, as its periodic job calls it: nothing due, nothing to record.
  auto idle = db_->flush_scheduler().CheckAndFlush();
  ASSERT_TRUE(idle.ok()) << idle.status().ToString();
  EXPECT_EQ(*idle, "");
  EXPECT_EQ(Query(jobs), "");
  EXPECT_EQ(Affected(*root_, "STORAGE FLUSH TABLE t"), 2u);
  EXPECT_EQ(Query(jobs),
            "flush|ok|STORAGE FLUSH TABLE default.t: flushed 2 rows into 1 directories\n");
  Ok("STORAGE COMPACT TABLE t");
  EXPECT_EQ(Query("SELECT job_name FROM system.jobs ORDER BY job_id"), "flush\ncompact\n");
}

}  // namespace
}  // namespace tenantdb
