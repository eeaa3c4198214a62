// PlanCache (engine/plan_cache.h): a SELECT, INSERT, UPDATE or DELETE bound once (or
// prepared once) serves every session whose key matches (statement, role, namespace,
// parameter types, schema epoch), each user still reading and writing only its own rows;
// anything that could make a plan differ binds again.
#include "engine/plan_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

class PlanCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_plan_cache_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Engine::Options options;
    options.background_jobs = false;
    db_ = Engine::Open(dir_.string(), options).value();
    root_ = Connect("root", Role::kSystem);
  }
  void TearDown() override {
    root_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<EngineSession> Connect(const std::string& user, Role role) {
    return std::make_unique<EngineSession>(db_.get(), UserId::Make(user).value(), role);
  }
  // The rows of `sql` as "a|b\n" lines, or "ERROR <code name>".
  static std::string Query(EngineSession& s, const std::string& sql,
                           const std::vector<Value>& params = {}) {
    auto r = s.Execute(sql, params);
    if (!r.ok()) return "ERROR " + std::string(r.status().code_name());
    std::string out;
    for (size_t row = 0; row < r->num_rows(); ++row) {
      for (size_t c = 0; c < r->num_columns(); ++c)
        out += (c ? "|" : "") + r->Get(row, c).ToString();
      out += "\n";
    }
    return out;
  }
  void Ok(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  uint64_t Hits() const { return db_->plan_cache().stats().hits; }
  size_t Entries() const { return db_->plan_cache().stats().entries; }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

TEST_F(PlanCacheTest, OnePlanServesEveryUserWithTheirOwnRows) {
  Ok(*root_, "CREATE NAMESPACE app");
  Ok(*root_, "CREATE TABLE app.notes (id INT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  auto alice = Connect("alice", Role::kUser);
  auto bob = Connect("bob", Role::kUser);
  Ok(*alice, "INSERT INTO app.notes VALUES (1, 'alice one'), (2, 'alice two')");
  Ok(*bob, "INSERT INTO app.notes VALUES (1, 'bob one')");
  const std::string select = "SELECT body FROM app.notes WHERE id = $1";
  const uint64_t hits = Hits();
  EXPECT_EQ(Query(*alice, select, {Value::Int(1)}), "alice one\n");
  EXPECT_EQ(Hits(), hits);  // bound the first time
  EXPECT_EQ(Query(*bob, select, {Value::Int(1)}), "bob one\n");
  EXPECT_EQ(Query(*bob, select, {Value::Int(2)}), "");
  EXPECT_EQ(Query(*alice, select, {Value::Int(2)}), "alice two\n");
  EXPECT_EQ(Hits(), hits + 3);
  // A new session (as every HTTP request opens) reuses it too.
  auto alice_again = Connect("alice", Role::kUser);
  EXPECT_EQ(Query(*alice_again, select, {Value::Int(1)}), "alice one\n");
  EXPECT_EQ(Hits(), hits + 4);
}

TEST_F(PlanCacheTest, DdlBindsAgain) {
  Ok(*root_, "CREATE TABLE t (id INT PRIMARY KEY, a TEXT)");
  Ok(*root_, "INSERT INTO t VALUES (1, 'x')");
  EXPECT_EQ(Query(*root_, "SELECT * FROM t"), "1|x\n");
  EXPECT_EQ(Query(*root_, "SELECT * FROM t"), "1|x\n");
  Ok(*root_, "ALTER TABLE t ADD COLUMN b INT DEFAULT 7");
  EXPECT_EQ(Query(*root_, "SELECT * FROM t"), "1|x|7\n");
  Ok(*root_, "DROP TABLE t");
  EXPECT_EQ(Query(*root_, "SELECT * FROM t"), "ERROR undefined_table");
  Ok(*root_, "CREATE TABLE t (id BIGINT PRIMARY KEY)");
  Ok(*root_, "INSERT INTO t VALUES (5)");
  EXPECT_EQ(Query(*root_, "SELECT * FROM t"), "5\n");
  // An index created or dropped between two runs of one statement.
  Ok(*root_, "CREATE TABLE u (id INT PRIMARY KEY, tag TEXT)");
  Ok(*root_, "INSERT INTO u VALUES (1, 'a'), (2, 'b'), (3, 'a')");
  const std::string by_tag = "SELECT id FROM u WHERE tag = 'a' ORDER BY id";
  EXPECT_EQ(Query(*root_, by_tag), "1\n3\n");
  Ok(*root_, "CREATE INDEX u_tag ON u (tag)");
  EXPECT_EQ(Query(*root_, by_tag), "1\n3\n");
  Ok(*root_, "DROP INDEX u_tag");
  EXPECT_EQ(Query(*root_, by_tag), "1\n3\n");
}

TEST_F(PlanCacheTest, TheRoleIsPartOfTheKey) {
  Ok(*root_, "CREATE TABLE secrets (id INT PRIMARY KEY, v TEXT) WITH (ACCESS_LEVEL = 'PRIVATE')");
  Ok(*root_, "INSERT INTO secrets VALUES (1, 'k')");
  auto dba = Connect("dana", Role::kDba);
  auto user = Connect("eve", Role::kUser);
  const std::string select = "SELECT v FROM secrets";
  EXPECT_EQ(Query(*dba, select), "k\n");
  EXPECT_EQ(Query(*dba, select), "k\n");
  EXPECT_EQ(Query(*user, select), "ERROR insufficient_privilege");
  EXPECT_EQ(Query(*user, select), "ERROR insufficient_privilege");
}

TEST_F(PlanCacheTest, TheNamespaceIsPartOfTheKey) {
  Ok(*root_, "CREATE NAMESPACE a");
  Ok(*root_, "CREATE NAMESPACE b");
  Ok(*root_, "CREATE TABLE a.t (id INT PRIMARY KEY, v TEXT)");
  Ok(*root_, "CREATE TABLE b.t (id INT PRIMARY KEY, w BIGINT)");
  Ok(*root_, "INSERT INTO a.t VALUES (1, 'in a')");
  Ok(*root_, "INSERT INTO b.t VALUES (1, 42)");
  Ok(*root_, "USE a");
  EXPECT_EQ(Query(*root_, "SELECT * FROM t"), "1|in a\n");
  Ok(*root_, "USE b");
  EXPECT_EQ(Query(*root_, "SELECT * FROM t"), "1|42\n");
  auto other = Connect("root", Role::kSystem);
  Ok(*other, "USE a");
  EXPECT_EQ(Query(*other, "SELECT * FROM t"), "1|in a\n");
}

TEST_F(PlanCacheTest, ParameterTypesArePartOfTheKey) {
  const std::string select = "SELECT $1 || ''";
  EXPECT_EQ(Query(*root_, select, {Value::Text("abc")}), "abc\n");
  EXPECT_EQ(Query(*root_, select, {Value::BigInt(12)}), "12\n");
  EXPECT_EQ(Query(*root_, select, {Value::Null(DataType::kText)}), "NULL\n");
  auto r = root_->Execute("SELECT $1", {Value::BigInt(7)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->schema->field(0).type, DataType::kBigInt);
  r = root_->Execute("SELECT $1", {Value::Text("7")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->schema->field(0).type, DataType::kText);
}

TEST_F(PlanCacheTest, CurrentUserAndSystemTablesAreNotShared) {
  auto alice = Connect("alice", Role::kUser);
  auto bob = Connect("bob", Role::kUser);
  EXPECT_EQ(Query(*alice, "SELECT current_user"), "alice\n");
  EXPECT_EQ(Query(*bob, "SELECT current_user"), "bob\n");
  const size_t entries = Entries();
  EXPECT_EQ(Query(*root_, "SELECT count(*) > 0 FROM system.namespaces"), "t\n");
  EXPECT_EQ(Entries(), entries);
}

TEST_F(PlanCacheTest, ConcurrentSessionsShareOnePlan) {
  Ok(*root_, "CREATE NAMESPACE app");
  Ok(*root_, "CREATE TABLE app.notes (id INT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  constexpr int kThreads = 4;
  constexpr int kRounds = 100;
  for (int t = 0; t < kThreads; ++t) {
    auto s = Connect("u" + std::to_string(t), Role::kUser);
    Ok(*s, "INSERT INTO app.notes VALUES (1, 'of u" + std::to_string(t) + "')");
  }
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        auto s = Connect("u" + std::to_string(t), Role::kUser);
        if (Query(*s, "SELECT body FROM app.notes WHERE id = $1", {Value::Int(1)}) !=
            "of u" + std::to_string(t) + "\n") {
          ++wrong;
        }
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GE(Hits(), uint64_t{kThreads * kRounds - kThreads});
}

TEST_F(PlanCacheTest, OneWritePlanServesEveryUserWritingTheirOwnRows) {
  Ok(*root_, "CREATE NAMESPACE app");
  Ok(*root_, "CREATE TABLE app.notes (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  auto alice = Connect("alice", Role::kUser);
  auto bob = Connect("bob", Role::kUser);
  const std::string insert = "INSERT INTO app.notes (id, body) VALUES ($1, $2)";
  const uint64_t hits = Hits();
  EXPECT_EQ(Query(*alice, insert, {Value::BigInt(1), Value::Text("a1")}), "");
  EXPECT_EQ(Hits(), hits);  // bound the first time
  EXPECT_EQ(Query(*bob, insert, {Value::BigInt(1), Value::Text("b1")}), "");
  EXPECT_EQ(Query(*alice, insert, {Value::BigInt(2), Value::Text("a2")}), "");
  EXPECT_EQ(Hits(), hits + 2);
  // The same key again: each user's own slice decides the conflict.
  EXPECT_EQ(Query(*bob, insert, {Value::BigInt(1), Value::Text("again")}),
            "ERROR unique_violation");
  EXPECT_EQ(Query(*bob, insert, {Value::BigInt(2), Value::Text("b2")}), "");
  const std::string update = "UPDATE app.notes SET body = $1 WHERE id = $2";
  EXPECT_EQ(Query(*alice, update, {Value::Text("a2!"), Value::BigInt(2)}), "");
  EXPECT_EQ(Query(*bob, update, {Value::Text("b1!"), Value::BigInt(1)}), "");
  const std::string remove = "DELETE FROM app.notes WHERE id = $1";
  EXPECT_EQ(Query(*alice, remove, {Value::BigInt(1)}), "");
  auto bob_again = Connect("bob", Role::kUser);  // a new session, as every HTTP request
  EXPECT_EQ(Query(*bob_again, remove, {Value::BigInt(2)}), "");
  EXPECT_EQ(Hits(), hits + 6);
  const std::string all = "SELECT id, body FROM app.notes ORDER BY id";
  EXPECT_EQ(Query(*alice, all), "2|a2!\n");
  EXPECT_EQ(Query(*bob, all), "1|b1!\n");
}

TEST_F(PlanCacheTest, WritesBindAgainAfterDdl) {
  Ok(*root_, "CREATE TABLE t (id INT PRIMARY KEY, a TEXT)");
  const std::string insert = "INSERT INTO t (id, a) VALUES ($1, $2)";
  EXPECT_EQ(Query(*root_, insert, {Value::Int(1), Value::Text("x")}), "");
  EXPECT_EQ(Query(*root_, insert, {Value::Int(2), Value::Text("y")}), "");
  Ok(*root_, "ALTER TABLE t ADD COLUMN b INT DEFAULT 7");
  EXPECT_EQ(Query(*root_, insert, {Value::Int(3), Value::Text("z")}), "");
  EXPECT_EQ(Query(*root_, "SELECT id, b FROM t ORDER BY id"), "1|7\n2|7\n3|7\n");
  // An index created between two runs is maintained by the second.
  Ok(*root_, "CREATE INDEX t_a ON t (a)");
  EXPECT_EQ(Query(*root_, insert, {Value::Int(4), Value::Text("x")}), "");
  EXPECT_EQ(Query(*root_, "SELECT id FROM t WHERE a = 'x' ORDER BY id"), "1\n4\n");
  Ok(*root_, "DROP TABLE t");
  EXPECT_EQ(Query(*root_, insert, {Value::Int(5), Value::Text("x")}), "ERROR undefined_table");
  Ok(*root_, "CREATE TABLE t (id INT PRIMARY KEY, a INT)");
  EXPECT_EQ(Query(*root_, insert, {Value::Int(5), Value::Text("x")}), "ERROR type_mismatch");
}

TEST_F(PlanCacheTest, WritesOfCurrentUserAreNotShared) {
  Ok(*root_, "CREATE NAMESPACE app");
  Ok(*root_,
     "CREATE TABLE app.posts (id INT PRIMARY KEY, author TEXT CHECK (author = CURRENT_USER), "
     "who TEXT, made_by TEXT DEFAULT CURRENT_USER) "
     "WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC')");
  auto alice = Connect("alice", Role::kService);
  auto bob = Connect("bob", Role::kService);
  // CURRENT_USER in the statement.
  const std::string insert =
      "INSERT INTO app.posts (id, author, who) VALUES ($1, $2, current_user)";
  EXPECT_EQ(Query(*alice, insert, {Value::Int(1), Value::Text("alice")}), "");
  EXPECT_EQ(Query(*bob, insert, {Value::Int(2), Value::Text("bob")}), "");
  // ... and only in a CHECK and a DEFAULT the plan binds.
  const std::string plain = "INSERT INTO app.posts (id, author) VALUES ($1, $2)";
  EXPECT_EQ(Query(*alice, plain, {Value::Int(3), Value::Text("alice")}), "");
  EXPECT_EQ(Query(*bob, plain, {Value::Int(4), Value::Text("alice")}), "ERROR check_violation");
  EXPECT_EQ(Query(*bob, plain, {Value::Int(4), Value::Text("bob")}), "");
  EXPECT_EQ(Query(*alice, plain, {Value::Int(5), Value::Text("bob")}), "ERROR check_violation");
  EXPECT_EQ(Query(*root_, "SELECT id, author, who, made_by FROM app.posts ORDER BY id"),
            "1|alice|alice|alice\n2|bob|bob|bob\n3|alice|NULL|alice\n4|bob|NULL|bob\n");
  const std::string update = "UPDATE app.posts SET author = $1 WHERE id = $2";
  EXPECT_EQ(Query(*bob, update, {Value::Text("bob"), Value::Int(2)}), "");
  EXPECT_EQ(Query(*alice, update, {Value::Text("bob"), Value::Int(2)}), "ERROR check_violation");
}

TEST_F(PlanCacheTest, AWriteThatFailsToBindFailsTheTransaction) {
  Ok(*root_, "CREATE TABLE t (id INT PRIMARY KEY)");
  Ok(*root_, "BEGIN");
  EXPECT_EQ(Query(*root_, "INSERT INTO t (nope) VALUES ($1)", {Value::Int(1)}),
            "ERROR undefined_column");
  EXPECT_EQ(Query(*root_, "INSERT INTO t (id) VALUES ($1)", {Value::Int(1)}),
            "ERROR invalid_transaction_state");
  Ok(*root_, "ROLLBACK");
  EXPECT_EQ(Query(*root_, "INSERT INTO t (id) VALUES ($1)", {Value::Int(1)}), "");
  EXPECT_EQ(Query(*root_, "SELECT id FROM t"), "1\n");
}

TEST_F(PlanCacheTest, APreparedStatementIsBoundOnceForEverySession) {
  Ok(*root_, "CREATE NAMESPACE app");
  Ok(*root_, "CREATE TABLE app.notes (id BIGINT PRIMARY KEY, at TIMESTAMP) WITH (TYPE = 'USER')");
  const std::string insert = "INSERT INTO app.notes (id, at) VALUES ($1, $2::TIMESTAMP)";
  const uint64_t hits = Hits();
  const std::vector<std::pair<std::string, int64_t>> runs = {
      {"alice", 1}, {"bob", 7}, {"alice", 2}};
  for (const auto& [name, id] : runs) {
    auto session = Connect(name, Role::kUser);  // a session per request, as over HTTP
    auto prepared = session->Prepare(insert);
    ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
    ASSERT_EQ((*prepared)->num_parameters(), 2u);
    EXPECT_EQ((*prepared)->ParameterTypes()[1], std::optional<DataType>(DataType::kTimestamp));
    auto done = session->ExecutePrepared(**prepared,
                                         {Value::BigInt(id), Value::Text("2024-01-02 03:04:05")});
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }
  EXPECT_GE(Hits(), hits + 2);  // the second and third Prepare
  auto alice = Connect("alice", Role::kUser);
  EXPECT_EQ(Query(*alice, "SELECT count(*) FROM app.notes"), "2\n");
  auto bob = Connect("bob", Role::kUser);
  EXPECT_EQ(Query(*bob, "SELECT id, at FROM app.notes"), "7|2024-01-02 03:04:05\n");
}

TEST(PlanCacheKey, EveryPartSeparatesKeys) {
  const sql::Statement* a = reinterpret_cast<const sql::Statement*>(0x1000);
  const sql::Statement* b = reinterpret_cast<const sql::Statement*>(0x2000);
  const std::string base = PlanCache::Key(a, Role::kUser, "app", {DataType::kInt});
  EXPECT_EQ(base, PlanCache::Key(a, Role::kUser, "app", {DataType::kInt}));
  EXPECT_NE(base, PlanCache::Key(b, Role::kUser, "app", {DataType::kInt}));
  EXPECT_NE(base, PlanCache::Key(a, Role::kDba, "app", {DataType::kInt}));
  EXPECT_NE(base, PlanCache::Key(a, Role::kUser, "app2", {DataType::kInt}));
  EXPECT_NE(base, PlanCache::Key(a, Role::kUser, "app", {DataType::kBigInt}));
  EXPECT_NE(base, PlanCache::Key(a, Role::kUser, "app", {std::nullopt}));
  EXPECT_NE(base, PlanCache::Key(a, Role::kUser, "app", {DataType::kInt, DataType::kInt}));
}

}  // namespace
}  // namespace tenantdb
