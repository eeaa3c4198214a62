// Table statistics through SQL: ANALYZE (engine/statement_handlers/analyze.cc), the
// system.table_statistics / system.column_statistics tables, the providers'
// EstimateStatistics, and who may see and refresh what.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/engine.h"
#include "engine/engine_session.h"
#include "tables/table_provider.h"

namespace tenantdb {
namespace {

class TableStatisticsSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_table_stats_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Open();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    Engine::Options options;
    options.background_jobs = false;
    db_ = Engine::Open(dir_.string(), options).value();
    root_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  }
  void Close() {
    root_.reset();
    db_.reset();
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
  std::string Query(const std::string& sql) { return Query(*root_, sql); }
  static void Ok(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  void Ok(const std::string& sql) { Ok(*root_, sql); }
  // The planner's view of `table` for `user`.
  TableStatistics Estimate(const std::string& ns, const std::string& table, const UserId& user) {
    auto entry = db_->cache().Get(*TableId::Make(ns, table));
    EXPECT_TRUE(entry.ok()) << entry.status().ToString();
    if (!entry.ok()) return {};
    RequestContext ctx;
    ctx.user = &user;
    ctx.role = Role::kUser;
    ctx.store = &db_->tables();
    return static_cast<const TableProvider&>(**entry).EstimateStatistics(ctx);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
  UserId alice_ = UserId::Make("alice").value();
  UserId bob_ = UserId::Make("bob").value();
};

TEST_F(TableStatisticsSqlTest, EstimatesFollowWritesPerUserSliceWithoutAnalyze) {
  Ok("CREATE NAMESPACE app");
  Ok("CREATE TABLE app.notes (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  Ok("CREATE USER alice ROLE user");
  Ok("CREATE USER bob ROLE user");
  EngineSession alice(db_.get(), alice_, Role::kUser);
  EngineSession bob(db_.get(), bob_, Role::kUser);
  Ok(alice, "INSERT INTO app.notes VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  Ok(bob, "INSERT INTO app.notes VALUES (1, 'x')");
  Ok(alice, "UPDATE app.notes SET body = 'B' WHERE id = 2");
  Ok(alice, "DELETE FROM app.notes WHERE id = 3");
  Ok("STORAGE FLUSH TABLE app.notes");
  Ok(alice, "INSERT INTO app.notes VALUES (4, 'd')");

  TableStatistics a = Estimate("app", "notes", alice_);
  EXPECT_EQ(a.rows, 3);  // alice's slice
  EXPECT_EQ(a.table_rows, 4);
  EXPECT_EQ(a.users, 2);
  EXPECT_TRUE(a.columns.empty());  // never analyzed
  EXPECT_EQ(Estimate("app", "notes", bob_).rows, 1);
  EXPECT_EQ(Query("SELECT table_type, row_count, user_count, analyzed_at FROM "
                  "system.table_statistics WHERE table_name = 'notes'"),
            "USER|4|2|NULL\n");
}

TEST_F(TableStatisticsSqlTest, AnalyzeStoresColumnFiguresThatSurviveRestart) {
  Ok("CREATE TABLE facts (id INT PRIMARY KEY, grp INT, tag TEXT) WITH (TYPE = 'SHARED')");
  // 200 rows: grp = id % 10, NULL when id % 5 = 0; tag 't' || id % 3.
  Ok("INSERT INTO facts SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE g % 10 END, 't' || (g % 3) "
     "FROM generate_series(1, 200) AS s(g)");
  auto r = root_->Execute("ANALYZE facts");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->command_tag, "ANALYZE");
  EXPECT_EQ(Query("SELECT column_name, distinct_values, null_fraction, min_value, max_value "
                  "FROM system.column_statistics WHERE table_name = 'facts' "
                  "ORDER BY ordinal_position"),
            "id|200|0|1|200\n"
            "grp|8|0.2|1|9\n"
            "tag|3|0|t0|t2\n");
  TableStatistics s = Estimate("default", "facts", alice_);
  EXPECT_EQ(s.rows, 200);
  ASSERT_EQ(s.columns.size(), 3u);
  EXPECT_EQ(s.columns[1].distinct, 8);
  EXPECT_DOUBLE_EQ(s.columns[1].null_fraction, 0.2);
  EXPECT_EQ(s.columns[1].min, Value::Int(1));
  EXPECT_EQ(s.columns[1].max, Value::Int(9));
  EXPECT_EQ(Query("SELECT count(*) FROM system.jobs WHERE job_name = 'analyze'"), "1\n");

  Close();
  Open();
  s = Estimate("default", "facts", alice_);
  EXPECT_EQ(s.rows, 200);
  ASSERT_EQ(s.columns.size(), 3u);
  EXPECT_EQ(s.columns[2].distinct, 3);
  EXPECT_EQ(Query("SELECT row_count, analyzed_rows, analyzed_at IS NOT NULL FROM "
                  "system.table_statistics WHERE table_name = 'facts'"),
            "200|200|t\n");
}

TEST_F(TableStatisticsSqlTest, AlterTableKeepsColumnsByIdentityAndDropRemovesStatistics) {
  Ok("CREATE TABLE t (id INT PRIMARY KEY, a INT, b TEXT) WITH (TYPE = 'SHARED')");
  Ok("INSERT INTO t VALUES (1, 10, 'x'), (2, 20, 'y')");
  Ok("ANALYZE t");
  Ok("ALTER TABLE t DROP COLUMN a");
  Ok("ALTER TABLE t ADD COLUMN c INT");
  TableStatistics s = Estimate("default", "t", alice_);
  ASSERT_EQ(s.columns.size(), 3u);  // id, b, c
  EXPECT_EQ(s.columns[1].max, Value::Text("y"));
  EXPECT_LT(s.columns[2].distinct, 0);  // added after ANALYZE: unknown
  EXPECT_EQ(Query("SELECT column_name FROM system.column_statistics WHERE table_name = 't' "
                  "ORDER BY ordinal_position"),
            "id\nb\n");

  const uint32_t number = db_->cache().Get(*TableId::Make("default", "t")).value()->table_number();
  Ok("DROP TABLE t");
  auto record = db_->catalog().ReadTableStats(number);
  ASSERT_TRUE(record.ok());
  EXPECT_FALSE(record->has_value());
  EXPECT_EQ(Query("SELECT count(*) FROM system.table_statistics WHERE table_name = 't'"), "0\n");
  // A table of the same name starts from nothing.
  Ok("CREATE TABLE t (id INT PRIMARY KEY) WITH (TYPE = 'SHARED')");
  EXPECT_EQ(Query("SELECT row_count, analyzed_at FROM system.table_statistics "
                  "WHERE table_name = 't'"),
            "0|NULL\n");
}

TEST_F(TableStatisticsSqlTest, AnalyzeNeedsAPrivilegedRoleAndStatisticsStayPrivate) {
  Ok("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  Ok("CREATE TABLE pub (id INT PRIMARY KEY) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC')");
  Ok("CREATE TABLE priv (id INT PRIMARY KEY) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PRIVATE')");
  Ok("CREATE USER alice ROLE user");
  Ok("CREATE USER svc ROLE service");
  EngineSession alice(db_.get(), alice_, Role::kUser);
  EngineSession svc(db_.get(), UserId::Make("svc").value(), Role::kService);
  Ok(alice, "INSERT INTO notes VALUES (1, 'secret')");

  auto named = alice.Execute("ANALYZE notes");
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.status().code(), ErrorCode::kInsufficientPrivilege);
  auto all = alice.Execute("ANALYZE");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->notices.size(), 1u);
  EXPECT_NE(all->notices[0].find("skipped"), std::string::npos);
  EXPECT_EQ(Query("SELECT count(*) FROM system.jobs WHERE job_name = 'analyze'"), "0\n");

  // A service may analyze what it may read; a PRIVATE table needs dba.
  auto priv = svc.Execute("ANALYZE priv");
  ASSERT_FALSE(priv.ok());
  EXPECT_EQ(priv.status().code(), ErrorCode::kInsufficientPrivilege);
  auto every = svc.Execute("ANALYZE");
  ASSERT_TRUE(every.ok()) << every.status().ToString();
  ASSERT_EQ(every->notices.size(), 1u);
  EXPECT_NE(every->notices[0].find("priv"), std::string::npos);
  EXPECT_EQ(Query("SELECT count(*) FROM system.jobs WHERE job_name = 'analyze'"), "2\n");

  // A user sees the figures of SHARED tables it may read only: a USER table's min / max
  // would show other users' values.
  Ok("ANALYZE notes");
  EXPECT_EQ(Query(alice, "SELECT table_name FROM system.table_statistics ORDER BY table_name"),
            "pub\n");
  EXPECT_EQ(Query(alice, "SELECT count(*) FROM system.column_statistics"), "1\n");
  EXPECT_EQ(Query("SELECT table_name FROM system.table_statistics ORDER BY table_name"),
            "notes\npriv\npub\n");
  EXPECT_EQ(Query("SELECT max_value FROM system.column_statistics WHERE table_name = 'notes' AND "
                  "column_name = 'body'"),
            "secret\n");
}

}  // namespace
}  // namespace tenantdb
