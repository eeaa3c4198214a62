// UNIQUE and CHECK constraints end to end (engine), where slt cannot look: a refused
// CREATE TABLE leaves no table, index or check behind (in the catalog and in memory),
// only tables with checks take room in the check registry, and a CHECK that reads
// CURRENT_USER is bound per statement, not cached for the first user's.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

class ConstraintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_constraint_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Open();
  }
  void TearDown() override {
    root_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    root_.reset();
    db_.reset();
    Engine::Options options;
    options.background_jobs = false;
    db_ = Engine::Open(dir_.string(), options).value();
    root_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  }
  Status Run(EngineSession& s, const std::string& sql) { return s.Execute(sql).status(); }
  void Ok(const std::string& sql) {
    Status s = Run(*root_, sql);
    ASSERT_TRUE(s.ok()) << sql << ": " << s.ToString();
  }
  bool IndexExists(const std::string& name) {
    auto index = db_->catalog().GetIndex(*NamespaceId::Make("default"), name);
    return index.ok() && index->has_value();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

TEST_F(ConstraintTest, ARefusedCreateTableLeavesNothingBehind) {
  const uint32_t next = db_->catalog().next_table_number();
  // The UNIQUE is valid, the CHECK is not: neither the table nor its index may remain.
  Status s = Run(*root_,
                 "CREATE TABLE t (id INT PRIMARY KEY, a INT UNIQUE, b INT CHECK (sum(b) > 0)) "
                 "WITH (TYPE = 'SHARED')");
  EXPECT_EQ(s.code(), ErrorCode::kGroupingError) << s.ToString();
  // A taken index name, found only by the catalog's write.
  Ok("CREATE TABLE other (id INT PRIMARY KEY) WITH (TYPE = 'SHARED')");
  s = Run(*root_,
          "CREATE TABLE t (id INT PRIMARY KEY, a INT CONSTRAINT other UNIQUE, b INT CHECK (b > "
          "0)) WITH (TYPE = 'SHARED')");
  EXPECT_EQ(s.code(), ErrorCode::kDuplicateTable) << s.ToString();

  EXPECT_EQ(db_->catalog().GetTable(*TableId::Make("default", "t")).status().code(),
            ErrorCode::kNotFound);
  EXPECT_FALSE(IndexExists("t_a_key"));
  EXPECT_FALSE(IndexExists("other"));
  EXPECT_EQ(db_->checks().size(), 0u);
  // Only `other` took a number.
  EXPECT_EQ(db_->catalog().next_table_number(), next + 1);
  for (uint32_t n = next; n < next + 4; ++n)
    EXPECT_EQ(db_->tables().hot().indexes().Get(n), nullptr) << n;

  // The same statement, corrected, works.
  Ok("CREATE TABLE t (id INT PRIMARY KEY, a INT UNIQUE, b INT CHECK (b > 0)) "
     "WITH (TYPE = 'SHARED')");
  EXPECT_TRUE(IndexExists("t_a_key"));
  EXPECT_EQ(db_->checks().size(), 1u);
}

TEST_F(ConstraintTest, OnlyTablesWithChecksTakeRoomInTheRegistry) {
  for (int i = 0; i < 50; ++i) {
    Ok("CREATE TABLE plain" + std::to_string(i) +
       " (id INT PRIMARY KEY, a INT UNIQUE) WITH (TYPE = 'USER')");
  }
  Ok("CREATE TABLE checked (id INT PRIMARY KEY, a INT CHECK (a > 0)) WITH (TYPE = 'USER')");
  EXPECT_EQ(db_->checks().size(), 1u);
  Open();
  EXPECT_EQ(db_->checks().size(), 1u);
  Ok("DROP TABLE checked");
  EXPECT_EQ(db_->checks().size(), 0u);
  Open();
  EXPECT_EQ(db_->checks().size(), 0u);
}

TEST_F(ConstraintTest, ACheckOnCurrentUserIsBoundForEachUser) {
  Ok("CREATE TABLE posts (id INT PRIMARY KEY, author TEXT CHECK (author = CURRENT_USER)) "
     "WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC')");
  Ok("CREATE USER alice");
  Ok("CREATE USER bob");
  EngineSession alice(db_.get(), UserId::Make("alice").value(), Role::kService);
  EngineSession bob(db_.get(), UserId::Make("bob").value(), Role::kService);
  EXPECT_TRUE(Run(alice, "INSERT INTO posts VALUES (1, 'alice')").ok());
  EXPECT_EQ(Run(bob, "INSERT INTO posts VALUES (2, 'alice')").code(), ErrorCode::kCheckViolation);
  EXPECT_TRUE(Run(bob, "INSERT INTO posts VALUES (2, 'bob')").ok());
  Status s = Run(alice, "UPDATE posts SET author = 'bob' WHERE id = 2");
  EXPECT_EQ(s.code(), ErrorCode::kCheckViolation) << s.ToString();
  EXPECT_EQ(s.sqlstate(), "23514");
  EXPECT_EQ(s.detail(), "Failing row contains (2, bob).");
}

}  // namespace
}  // namespace tenantdb
