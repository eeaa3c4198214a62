// TableStatsRecord (catalog/table_stats_record.h): its encoding, and the catalog's record
// of each table's statistics — written empty with the table, kept across reopen,
// deleted with the table, never written for a dropped one.
#include "catalog/table_stats_record.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "catalog/persistent_catalog.h"

namespace tenantdb {
namespace {

TableStatsRecord Sample() {
  TableStatsRecord r;
  r.rows = 1234;
  r.users = 17;
  r.counted_us = 1'700'000'000'000'000;
  r.analyzed_us = 1'700'000'000'000'001;
  r.analyzed_rows = 1200;
  const Value values[] = {
      Value::Boolean(true),
      Value::SmallInt(-3),
      Value::Int(-70000),
      Value::BigInt(INT64_MIN),
      Value::Real(1.5f),
      Value::Double(-2.25),
      Value::Text("hello"),
      Value::Bytea(std::string("\0\1", 2)),
      Value::Date(-5),
      Value::Timestamp(123456789),
      Value::TimestampTz(-1),
      Value::Json("{\"a\":1}"),
      Value::FromUuid(Uuid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}),
      Value::FromInterval(Interval{-5, 3, 14}),
      Value::FromNumeric(Numeric{-(static_cast<__int128>(1) << 100), 7}),
  };
  uint32_t id = 1;
  for (const Value& v : values) {
    ColumnStatsRecord c;
    c.column_id = id++;
    c.distinct = 42.5;
    c.null_fraction = 0.25;
    c.min = v;
    if (id % 2 == 0) c.max = v;
    r.columns.push_back(c);
  }
  ColumnStatsRecord unknown;
  unknown.column_id = 99;
  r.columns.push_back(unknown);
  return r;
}

TEST(TableStatsRecord, RoundTripsEveryValueType) {
  const TableStatsRecord r = Sample();
  auto decoded = DecodeTableStatsValue(EncodeTableStatsValue(r));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, r);
  auto empty = DecodeTableStatsValue(EncodeTableStatsValue(EmptyTableStats(true)));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->rows, 0);
  EXPECT_EQ(empty->users, 0);
  EXPECT_EQ(EmptyTableStats(false).users, -1);
}

TEST(TableStatsRecord, RejectsEveryTruncationAndTrailingBytes) {
  const std::string bytes = EncodeTableStatsValue(Sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto decoded = DecodeTableStatsValue(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(decoded.ok()) << "prefix of " << n << " bytes decoded";
    EXPECT_EQ(decoded.status().code(), ErrorCode::kCorruption);
  }
  EXPECT_FALSE(DecodeTableStatsValue(bytes + "x").ok());
  std::string bad_format = bytes;
  bad_format[0] = 9;
  EXPECT_FALSE(DecodeTableStatsValue(bad_format).ok());
}

class TableStatsCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tenantdb-stats-rec-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    Reopen();
    ASSERT_TRUE(catalog_->CreateNamespace(*NamespaceId::Make("chat")).ok());
  }
  void TearDown() override {
    catalog_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    catalog_.reset();
    store_.reset();
    store_ = std::move(KvStore::Open(dir_).value());
    catalog_ = std::move(PersistentCatalog::Open(store_.get(), &pool_).value());
  }
  TableDefinition Create(const std::string& name, TableType type) {
    TableDefinition d;
    d.id = *TableId::Make("chat", name);
    d.type = type;
    d.schema = pool_.Intern({Field{"id", DataType::kBigInt, false, true, ""}});
    auto created = catalog_->CreateTable(d);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }

  std::string dir_;
  SchemaPool pool_;
  std::unique_ptr<KvStore> store_;
  std::unique_ptr<PersistentCatalog> catalog_;
};

TEST_F(TableStatsCatalogTest, NewTablesStartEmptyAndRecordsSurviveReopen) {
  const TableDefinition user = Create("notes", TableType::kUser);
  const TableDefinition shared = Create("config", TableType::kShared);
  auto u = catalog_->ReadTableStats(user.table_number);
  ASSERT_TRUE(u.ok() && u->has_value());
  EXPECT_EQ((*u)->rows, 0);
  EXPECT_EQ((*u)->users, 0);
  auto s = catalog_->ReadTableStats(shared.table_number);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->users, -1);

  ASSERT_TRUE(catalog_->WriteTableStats({{user.table_number, Sample()}}).ok());
  Reopen();
  auto again = catalog_->ReadTableStats(user.table_number);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ(**again, Sample());
}

TEST_F(TableStatsCatalogTest, DropDeletesTheRecordAndLaterWritesSkipIt) {
  const TableDefinition t = Create("notes", TableType::kUser);
  ASSERT_TRUE(catalog_->WriteTableStats({{t.table_number, Sample()}}).ok());
  ASSERT_TRUE(catalog_->DropTable(t.id).ok());
  auto gone = catalog_->ReadTableStats(t.table_number);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  // A checkpoint that raced the DROP must not bring the record back.
  ASSERT_TRUE(catalog_->WriteTableStats({{t.table_number, Sample()}}).ok());
  EXPECT_FALSE(catalog_->ReadTableStats(t.table_number)->has_value());
}

}  // namespace
}  // namespace tenantdb
