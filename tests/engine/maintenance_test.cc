// TRUNCATE, VACUUM / ANALYZE and ALTER TABLE ... ADD PRIMARY KEY (engine/statement_handlers/
// maintenance.cc, engine/ddl_executor.cc) through sessions on a real data directory:
// TRUNCATE of a USER table empties only the session user's slice, hot and flushed rows
// alike, and is undone by ROLLBACK; VACUUM says it does nothing (ANALYZE works); ADD PRIMARY KEY
// replaces a keyless table's generated _rowid and stores its rows, hot and flushed, under the key.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

class MaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_maintenance_" + std::to_string(::getpid()) + "_" +
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
  static std::string Query(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    if (!r.ok()) return "ERROR " + r.status().ToString();
    std::string out;
    for (size_t row = 0; row < r->num_rows(); ++row) {
      for (size_t c = 0; c < r->num_columns(); ++c)
        out += (c ? "|" : "") + r->Get(row, c).ToString();
      out += "\n";
    }
    return out;
  }
  static void Ok(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  void Ok(const std::string& sql) { Ok(*root_, sql); }
  ErrorCode Fail(const std::string& sql) {
    auto r = root_->Execute(sql);
    EXPECT_FALSE(r.ok()) << sql;
    return r.ok() ? ErrorCode::kOk : r.status().code();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

TEST_F(MaintenanceTest, TruncateEmptiesTheUsersSliceHotAndCold) {
  Ok("CREATE NAMESPACE app");
  Ok("CREATE TABLE app.notes (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  Ok("CREATE USER alice ROLE user");
  Ok("CREATE USER bob ROLE user");
  EngineSession alice(db_.get(), UserId::Make("alice").value(), Role::kUser);
  EngineSession bob(db_.get(), UserId::Make("bob").value(), Role::kUser);
  Ok(alice, "INSERT INTO app.notes VALUES (1, 'a'), (2, 'b')");
  Ok(bob, "INSERT INTO app.notes VALUES (1, 'x')");
  Ok("STORAGE FLUSH TABLE app.notes");  // alice's first rows are cold now
  Ok(alice, "INSERT INTO app.notes VALUES (3, 'c')");

  Ok(alice, "BEGIN");
  auto truncated = alice.Execute("TRUNCATE TABLE app.notes");
  ASSERT_TRUE(truncated.ok()) << truncated.status().ToString();
  EXPECT_EQ(truncated->command_tag, "TRUNCATE TABLE");
  EXPECT_EQ(Query(alice, "SELECT count(*) FROM app.notes"), "0\n");  // its own view
  Ok(alice, "ROLLBACK");
  EXPECT_EQ(Query(alice, "SELECT id FROM app.notes ORDER BY id"), "1\n2\n3\n");

  Ok(alice, "TRUNCATE app.notes");
  EXPECT_EQ(Query(alice, "SELECT count(*) FROM app.notes"), "0\n");
  EXPECT_EQ(Query(bob, "SELECT id, body FROM app.notes"), "1|x\n");  // not bob's rows
  Ok(alice, "INSERT INTO app.notes VALUES (1, 'again')");            // no stale copy resurfaces
  EXPECT_EQ(Query(alice, "SELECT id, body FROM app.notes"), "1|again\n");
}

TEST_F(MaintenanceTest, TruncateOfSharedTablesIsOneTransaction) {
  Ok("CREATE TABLE a (k INT PRIMARY KEY) WITH (TYPE = 'SHARED')");
  Ok("CREATE TABLE b (v TEXT) WITH (TYPE = 'SHARED')");
  Ok("INSERT INTO a VALUES (1), (2)");
  Ok("INSERT INTO b VALUES ('x')");
  // The second name fails: the first table keeps its rows.
  EXPECT_EQ(Fail("TRUNCATE a, missing"), ErrorCode::kUndefinedTable);
  EXPECT_EQ(Query(*root_, "SELECT count(*) FROM a"), "2\n");
  Ok("TRUNCATE a, b");
  EXPECT_EQ(Query(*root_, "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)"), "0\n");
  EXPECT_FALSE(root_->in_transaction());
}

TEST_F(MaintenanceTest, VacuumIsANoOpThatSaysSoWhileAnalyzeCollectsStatistics) {
  Ok("CREATE TABLE a (k INT PRIMARY KEY) WITH (TYPE = 'SHARED')");
  for (const char* sql : {"VACUUM", "VACUUM ANALYZE a"}) {
    auto r = root_->Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    ASSERT_EQ(r->notices.size(), 1u) << sql;
    EXPECT_NE(r->notices[0].find("does nothing in tenantdb"), std::string::npos);
  }
  // ANALYZE does its work (tests/engine/table_statistics_sql_test.cc has the figures).
  auto r = root_->Execute("ANALYZE a");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->command_tag, "ANALYZE");
  EXPECT_TRUE(r->notices.empty());
}

TEST_F(MaintenanceTest, AddPrimaryKeyReplacesTheGeneratedRowIdOfAnEmptyTable) {
  Ok("CREATE TABLE t (a INT NOT NULL, b TEXT) WITH (TYPE = 'SHARED', fillfactor = 100)");
  Ok("ALTER TABLE t ADD PRIMARY KEY (a)");
  Ok("INSERT INTO t VALUES (2, 'y'), (1, 'x')");
  EXPECT_EQ(Fail("INSERT INTO t VALUES (1, 'again')"), ErrorCode::kUniqueViolation);
  EXPECT_EQ(Fail("INSERT INTO t VALUES (NULL, 'none')"), ErrorCode::kNotNullViolation);
  EXPECT_EQ(Query(*root_, "SELECT * FROM t ORDER BY a"), "1|x\n2|y\n");
  auto shown = Query(*root_, "SHOW CREATE TABLE t");
  EXPECT_EQ(shown.find("_rowid"), std::string::npos) << shown;
  // A second key, a key over a missing column: refused.
  EXPECT_EQ(Fail("ALTER TABLE t ADD PRIMARY KEY (b)"), ErrorCode::kInvalidArgument);
  Ok("CREATE TABLE u (a INT NOT NULL) WITH (TYPE = 'SHARED')");
  EXPECT_EQ(Fail("ALTER TABLE u ADD PRIMARY KEY (nope)"), ErrorCode::kUndefinedColumn);
}

// pgbench -i's order: load the rows, then add the key. Hot rows, flushed rows, deleted
// and updated ones are all stored anew under the key, and the table behaves as one
// created with it — also after a restart.
TEST_F(MaintenanceTest, AddPrimaryKeyRekeysHotAndFlushedRows) {
  Ok("CREATE TABLE t (a INT, b TEXT, c BIGINT) WITH (TYPE = 'SHARED')");
  Ok("INSERT INTO t SELECT x, 'v' || x, x * 10 FROM generate_series(1, 500) AS g(x)");
  Ok("STORAGE FLUSH TABLE t");  // these rows are in Parquet, keyed by _rowid
  Ok("INSERT INTO t SELECT x, 'w' || x, x FROM generate_series(501, 600) AS g(x)");
  Ok("DELETE FROM t WHERE a % 100 = 0");
  Ok("UPDATE t SET b = 'changed' WHERE a IN (7, 507)");
  const std::string before = Query(*root_, "SELECT a, b, c FROM t ORDER BY a");

  Ok("ALTER TABLE t ADD PRIMARY KEY (a)");
  EXPECT_EQ(Query(*root_, "SELECT a, b, c FROM t ORDER BY a"), before);
  EXPECT_EQ(Query(*root_, "SELECT count(*), count(DISTINCT a) FROM t"), "594|594\n");
  EXPECT_EQ(Query(*root_, "SELECT b FROM t WHERE a = 7"), "changed\n");
  EXPECT_EQ(Fail("INSERT INTO t VALUES (7, 'again', 0)"), ErrorCode::kUniqueViolation);
  Ok("INSERT INTO t VALUES (100, 'back', 0)");  // deleted before: free
  Ok("UPDATE t SET b = 'hot' WHERE a = 8");
  auto shown = Query(*root_, "SHOW CREATE TABLE t");
  EXPECT_EQ(shown.find("_rowid"), std::string::npos) << shown;
  EXPECT_NE(shown.find("PRIMARY KEY (a)"), std::string::npos) << shown;
  Ok("STORAGE FLUSH TABLE t");
  const std::string after = Query(*root_, "SELECT a, b, c FROM t ORDER BY a");

  root_.reset();
  db_.reset();
  Engine::Options options;
  options.background_jobs = false;
  db_ = Engine::Open(dir_.string(), options).value();
  root_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  EXPECT_EQ(Query(*root_, "SELECT a, b, c FROM t ORDER BY a"), after);
  EXPECT_EQ(Query(*root_, "SELECT b FROM t WHERE a = 8"), "hot\n");
  EXPECT_EQ(Query(*root_, "SELECT count(*) FROM t"), "595\n");
}

// Rows the new key cannot hold: the statement fails with PostgreSQL's errors and the
// table keeps its generated key and every row.
TEST_F(MaintenanceTest, AddPrimaryKeyRefusesDuplicatesAndNullsAndChangesNothing) {
  Ok("CREATE TABLE t (a INT, b TEXT) WITH (TYPE = 'SHARED')");
  Ok("INSERT INTO t VALUES (1, 'x'), (2, 'y')");
  Ok("STORAGE FLUSH TABLE t");
  Ok("INSERT INTO t VALUES (2, 'again'), (NULL, 'none')");
  auto nulls = root_->Execute("ALTER TABLE t ADD PRIMARY KEY (a)");
  ASSERT_FALSE(nulls.ok());
  EXPECT_EQ(nulls.status().code(), ErrorCode::kNotNullViolation);
  EXPECT_NE(nulls.status().message().find("column \"a\" of relation"), std::string::npos)
      << nulls.status().ToString();
  Ok("DELETE FROM t WHERE a IS NULL");
  auto duplicated = root_->Execute("ALTER TABLE t ADD PRIMARY KEY (a)");
  ASSERT_FALSE(duplicated.ok());
  EXPECT_EQ(duplicated.status().code(), ErrorCode::kUniqueViolation);
  EXPECT_NE(duplicated.status().message().find("key (a)=(2) is duplicated"), std::string::npos)
      << duplicated.status().ToString();
  EXPECT_EQ(Query(*root_, "SELECT a, b FROM t ORDER BY b"), "2|again\n1|x\n2|y\n");
  Ok("INSERT INTO t VALUES (2, 'third')");  // still keyed by _rowid
  Ok("DELETE FROM t WHERE b <> 'x' AND b <> 'y'");
  Ok("ALTER TABLE t ADD PRIMARY KEY (a, b)");
  EXPECT_EQ(Query(*root_, "SELECT a, b FROM t ORDER BY a"), "1|x\n2|y\n");
}

// A transaction that wrote the table before its key changed cannot commit rows keyed
// the old way: it fails with serialization_failure and writes nothing.
TEST_F(MaintenanceTest, AddPrimaryKeyRefusesWritesPlannedAgainstTheOldKey) {
  Ok("CREATE TABLE t (a INT, b TEXT) WITH (TYPE = 'SHARED')");
  Ok("INSERT INTO t VALUES (1, 'x')");
  EngineSession other(db_.get(), UserId::Make("root").value(), Role::kSystem);
  Ok(other, "BEGIN");
  Ok(other, "INSERT INTO t VALUES (2, 'y')");
  Ok("ALTER TABLE t ADD PRIMARY KEY (a)");
  auto committed = other.Execute("COMMIT");
  ASSERT_FALSE(committed.ok() && committed->command_tag == "COMMIT");
  if (!committed.ok()) {
    EXPECT_EQ(committed.status().code(), ErrorCode::kSerializationFailure);
  }
  EXPECT_EQ(Query(*root_, "SELECT a, b FROM t ORDER BY a"), "1|x\n");
  Ok(other, "INSERT INTO t VALUES (2, 'y')");  // a new statement sees the new key
  EXPECT_EQ(Query(*root_, "SELECT a, b FROM t ORDER BY a"), "1|x\n2|y\n");
}

}  // namespace
}  // namespace tenantdb
