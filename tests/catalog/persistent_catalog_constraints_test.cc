// PersistentCatalog's UNIQUE and CHECK constraints: created in the table's own batch (all
// or nothing), dropped with it, stored out of line (a table without checks stores and
// caches nothing for them), and the records' codec.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "catalog/catalog_codec.h"
#include "catalog/check_registry.h"
#include "catalog/persistent_catalog.h"
#include "catalog/table_entry.h"

namespace tenantdb {
namespace {

class CatalogConstraintsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tenantdb-constraints-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    Reopen();
    ASSERT_TRUE(catalog_->CreateNamespace(*NamespaceId::Make("app")).ok());
  }
  void TearDown() override {
    catalog_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    catalog_.reset();
    store_.reset();
    store_ = std::move(KvStore::Open(dir_)).value();
    catalog_ = std::move(PersistentCatalog::Open(store_.get(), &pool_)).value();
  }
  TableDefinition Def(std::string_view table) {
    TableDefinition d;
    d.id = *TableId::Make("app", table);
    d.type = TableType::kShared;
    d.schema = pool_.Intern({Field{"id", DataType::kBigInt, false, true, "", 1},
                             Field{"email", DataType::kText, true, false, "", 2},
                             Field{"qty", DataType::kInt, true, false, "", 3}});
    return d;
  }
  static std::vector<std::pair<std::string, IndexRecord>> UniqueEmail(std::string name) {
    IndexRecord r;
    r.column_ids = {2};
    return {{std::move(name), r}};
  }
  static std::vector<CheckConstraint> QtyCheck() {
    return {CheckConstraint{"t_qty_check", "(qty >= 0)", {3}}};
  }
  std::vector<std::pair<uint32_t, std::vector<CheckConstraint>>> AllChecks() {
    std::vector<std::pair<uint32_t, std::vector<CheckConstraint>>> out;
    EXPECT_TRUE(catalog_
                    ->ForEachChecks([&](uint32_t table, std::vector<CheckConstraint> checks) {
                      out.emplace_back(table, std::move(checks));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  std::string dir_;
  SchemaPool pool_;
  std::unique_ptr<KvStore> store_;
  std::unique_ptr<PersistentCatalog> catalog_;
};

TEST_F(CatalogConstraintsTest, TableIndexesAndChecksAreCreatedTogetherAndSurviveReopen) {
  const uint32_t first = catalog_->next_table_number();
  bool published = false;
  auto created =
      catalog_->CreateTableWithConstraints(Def("t"), UniqueEmail("t_email_key"), QtyCheck(),
                                           [&](const PersistentCatalog::CreatedTable& c) {
                                             // Before the write: the table cannot be read yet.
                                             published = true;
                                             EXPECT_FALSE(catalog_->GetTable(c.table.id).ok());
                                           });
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(published);
  EXPECT_EQ(created->table.table_number, first);
  ASSERT_EQ(created->indexes.size(), 1u);
  EXPECT_EQ(created->indexes[0].second.index_number, first + 1);
  EXPECT_EQ(catalog_->next_table_number(), first + 2);

  Reopen();
  ASSERT_TRUE(catalog_->GetTable(*TableId::Make("app", "t")).ok());
  auto index = catalog_->GetIndex(*NamespaceId::Make("app"), "t_email_key");
  ASSERT_TRUE(index.ok() && index->has_value());
  EXPECT_TRUE((*index)->unique);
  EXPECT_TRUE((*index)->constraint);
  EXPECT_TRUE((*index)->ready);  // the table had no rows to build it over
  EXPECT_EQ((*index)->table_number, first);
  EXPECT_EQ((*index)->column_ids, std::vector<uint32_t>{2});
  auto checks = AllChecks();
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].first, first);
  EXPECT_EQ(checks[0].second, QtyCheck());
}

TEST_F(CatalogConstraintsTest, ATakenIndexNameLeavesNoTableNoChecksAndNoNumberTaken) {
  ASSERT_TRUE(catalog_->CreateTable(Def("taken")).ok());
  const uint32_t next = catalog_->next_table_number();
  bool published = false;
  auto created = catalog_->CreateTableWithConstraints(
      Def("t"), UniqueEmail("taken"), QtyCheck(),
      [&](const PersistentCatalog::CreatedTable&) { published = true; });
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), ErrorCode::kDuplicateTable);
  EXPECT_FALSE(published);
  // Nor may an index take the new table's own name.
  EXPECT_EQ(catalog_->CreateTableWithConstraints(Def("t"), UniqueEmail("t"), {}).status().code(),
            ErrorCode::kDuplicateTable);
  Reopen();
  EXPECT_EQ(catalog_->GetTable(*TableId::Make("app", "t")).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(AllChecks().empty());
  EXPECT_EQ(catalog_->next_table_number(), next);
}

TEST_F(CatalogConstraintsTest, DropTableRemovesItsChecksInItsBatch) {
  ASSERT_TRUE(catalog_->CreateTableWithConstraints(Def("t"), {}, QtyCheck()).ok());
  ASSERT_TRUE(catalog_->CreateTableWithConstraints(Def("u"), {}, QtyCheck()).ok());
  ASSERT_EQ(AllChecks().size(), 2u);
  ASSERT_TRUE(catalog_->DropTable(*TableId::Make("app", "t")).ok());
  Reopen();
  auto checks = AllChecks();
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].first, catalog_->GetTable(*TableId::Make("app", "u"))->table_number);
}

// The seed's per-table budget: constraints live out of line, so tables without them
// store no check record, the registry holds nothing for them and the cached entry stays
// the size table_entry.h promises.
TEST_F(CatalogConstraintsTest, TablesWithoutConstraintsCostNothingForThem) {
  std::vector<TableDefinition> defs;
  for (int i = 0; i < 1000; ++i)
    defs.push_back(Def("plain" + std::to_string(i)));
  ASSERT_TRUE(catalog_->CreateTables(std::move(defs)).ok());
  ASSERT_TRUE(catalog_->CreateTableWithConstraints(Def("checked"), {}, QtyCheck()).ok());
  EXPECT_EQ(AllChecks().size(), 1u);

  CheckRegistry registry;
  for (const auto& [table, checks] : AllChecks())
    registry.Put(table, checks);
  EXPECT_EQ(registry.size(), 1u);
  EXPECT_EQ(registry.Get(PersistentCatalog::kFirstTableNumber), nullptr);
  EXPECT_EQ(sizeof(TableEntry), 64u)
      << "TableEntry grew: constraints must stay out of the cached entry";
}

TEST(CatalogCodecConstraints, ChecksAndConstraintIndexesRoundTrip) {
  std::vector<CheckConstraint> checks = {
      {"a_check", "(a > 0)", {1}}, {"t_check", "((a + b) > 0)", {1, 2}}, {"t_check1", "TRUE", {}}};
  auto decoded = DecodeChecksValue(EncodeChecksValue(checks));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, checks);
  EXPECT_EQ(*DecodeChecksKey(ChecksKey(4242)), 4242u);
  EXPECT_FALSE(DecodeChecksValue(EncodeChecksValue(checks).substr(0, 9)).ok());

  IndexRecord index;
  index.table = "t";
  index.table_number = 7;
  index.index_number = 8;
  index.unique = true;
  index.constraint = true;
  index.column_ids = {2};
  EXPECT_EQ(*DecodeIndexValue(EncodeIndexValue(index)), index);
  // A unique index written before constraints existed reads as no constraint.
  index.constraint = false;
  EXPECT_EQ(*DecodeIndexValue(EncodeIndexValue(index)), index);
}

}  // namespace
}  // namespace tenantdb
