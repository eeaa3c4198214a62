// Transactions and providers on a real data directory: pending writes are private,
// commits are atomic across tables and users, and conflicting commits change nothing.
#include "tables/transaction.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/engine.h"
#include "tables/table_provider.h"

namespace tenantdb {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_txn_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Engine::Options options;
    options.background_jobs = false;
    db_ = Engine::Open(dir_.string(), options).value();
    shared_ = Create("s", TableType::kShared);
    per_user_ = Create("u", TableType::kUser);
  }
  void TearDown() override {
    shared_ = nullptr;
    per_user_ = nullptr;
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  TableProviderRef Create(const std::string& name, TableType type) {
    TableDefinition def;
    def.id = TableId::Make("default", name).value();
    def.type = type;
    def.schema = db_->schema_pool().Intern(
        {{"k", DataType::kBigInt, false, true, ""}, {"v", DataType::kText, true, false, ""}});
    EXPECT_TRUE(db_->catalog().CreateTable(def).ok());
    auto entry = db_->cache().Get(def.id);
    EXPECT_TRUE(entry.ok());
    return TableProviderRef(static_cast<const TableProvider*>(entry->get()));
  }

  RequestContext Context(const UserId* user, Role role, Transaction* txn) {
    RequestContext ctx;
    ctx.user = user;
    ctx.role = role;
    ctx.store = &db_->tables();
    ctx.transaction = txn;
    return ctx;
  }

  size_t Rows(const TableProvider& table, const RequestContext& ctx) {
    auto stream = table.Scan(ctx, ScanRequest{});
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    if (!stream.ok()) return 0;
    auto batches = DrainStream(**stream);
    EXPECT_TRUE(batches.ok()) << batches.status().ToString();
    size_t n = 0;
    for (const Batch& b : *batches)
      n += b.num_rows();
    return n;
  }

  static std::vector<Value> Row(int64_t k, const std::string& v) {
    return {Value::BigInt(k), Value::Text(v)};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  TableProviderRef shared_;
  TableProviderRef per_user_;
  UserId alice_ = UserId::Make("alice").value();
  UserId bob_ = UserId::Make("bob").value();
};

TEST_F(TransactionTest, PendingWritesArePrivateUntilCommitAndAtomicAcrossTables) {
  Transaction txn;
  RequestContext mine = Context(&alice_, Role::kService, &txn);
  RequestContext others = Context(&bob_, Role::kService, nullptr);
  ASSERT_TRUE(shared_->Write(mine, {HotWrite::Insert(Row(1, "a"))}, true).ok());
  ASSERT_TRUE(per_user_->Write(mine, {HotWrite::Insert(Row(1, "mine"))}, true).ok());
  EXPECT_EQ(Rows(*shared_, mine), 1u);    // read-your-writes
  EXPECT_EQ(Rows(*shared_, others), 0u);  // invisible to others
  ASSERT_TRUE(txn.Commit(&db_->tables()).ok());
  EXPECT_EQ(Rows(*shared_, others), 1u);
  EXPECT_EQ(Rows(*per_user_, others), 0u);  // bob sees none of alice's rows
  RequestContext alice_now = Context(&alice_, Role::kUser, nullptr);
  EXPECT_EQ(Rows(*per_user_, alice_now), 1u);
}

TEST_F(TransactionTest, AConflictingCommitWritesNothing) {
  Transaction first, second;
  RequestContext a = Context(&alice_, Role::kService, &first);
  RequestContext b = Context(&alice_, Role::kService, &second);
  ASSERT_TRUE(shared_->Write(a, {HotWrite::Insert(Row(7, "first"))}, true).ok());
  ASSERT_TRUE(shared_->Write(b, {HotWrite::Insert(Row(8, "second"))}, true).ok());
  ASSERT_TRUE(per_user_->Write(b, {HotWrite::Insert(Row(1, "x"))}, true).ok());
  ASSERT_TRUE(shared_->Write(b, {HotWrite::Insert(Row(7, "dup"))}, true).ok());
  ASSERT_TRUE(first.Commit(&db_->tables()).ok());
  Status s = second.Commit(&db_->tables());
  EXPECT_EQ(s.code(), ErrorCode::kUniqueViolation) << s.ToString();
  RequestContext read = Context(&alice_, Role::kService, nullptr);
  EXPECT_EQ(Rows(*shared_, read), 1u);    // only the first transaction's row
  EXPECT_EQ(Rows(*per_user_, read), 0u);  // and nothing of the second, in any table
}

TEST_F(TransactionTest, OverlayHidesDeletedRowsAndShowsUpdates) {
  RequestContext plain = Context(&alice_, Role::kService, nullptr);
  Transaction setup;
  plain.transaction = &setup;
  ASSERT_TRUE(
      shared_->Write(plain, {HotWrite::Insert(Row(1, "a")), HotWrite::Insert(Row(2, "b"))}, false)
          .ok());
  ASSERT_TRUE(setup.Commit(&db_->tables()).ok());
  Transaction txn;
  RequestContext ctx = Context(&alice_, Role::kService, &txn);
  ASSERT_TRUE(shared_->Write(ctx, {HotWrite::Delete({Value::BigInt(1)})}, true).ok());
  ASSERT_TRUE(shared_->Write(ctx, {HotWrite::Update(Row(2, "B"))}, true).ok());
  EXPECT_EQ(Rows(*shared_, ctx), 1u);
  auto two = shared_->Get(ctx, {Value::BigInt(2)});
  ASSERT_TRUE(two.ok() && two->has_value());
  EXPECT_EQ((**two)[1].ToString(), "B");
  EXPECT_FALSE(shared_->Get(ctx, {Value::BigInt(1)})->has_value());
  EXPECT_TRUE(shared_->Get(plain, {Value::BigInt(1)})->has_value());  // not committed yet
  txn.Rollback();
  EXPECT_EQ(Rows(*shared_, Context(&alice_, Role::kService, nullptr)), 2u);
}

TEST_F(TransactionTest, AccessLevelsAndSystemTablesAreEnforced) {
  RequestContext user = Context(&alice_, Role::kUser, nullptr);
  EXPECT_TRUE(shared_->CheckRead(user).ok());  // PUBLIC: everyone reads
  EXPECT_EQ(shared_->CheckWrite(user).code(), ErrorCode::kInsufficientPrivilege);
  EXPECT_TRUE(shared_->CheckWrite(Context(&alice_, Role::kService, nullptr)).ok());
  auto stats = db_->cache().Get(TableId::Make("system", "stats").value());
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  const auto& provider = static_cast<const TableProvider&>(**stats);
  EXPECT_EQ(provider.CheckWrite(Context(&alice_, Role::kSystem, nullptr)).code(),
            ErrorCode::kInsufficientPrivilege);
  RequestContext sys = Context(&alice_, Role::kSystem, nullptr);
  sys.system = &db_->system_sources();
  EXPECT_GE(Rows(provider, sys), 5u);
}

}  // namespace
}  // namespace tenantdb
