// Point reads of flushed rows: the Parquet page index the writer now emits, the page
// reader, and TableStore::GetRow through them, checked against the full hot+cold merge.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>

#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"
#include "storage/table_store.h"

namespace tenantdb {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-cpl-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(ParquetPageIndex, EveryPageIsIndexedWithBoundsAndReadsAlone) {
  const std::string dir = TempDir("pageindex");
  auto schema =
      std::make_shared<Schema>(std::vector<Field>{{"id", DataType::kBigInt, false, true, "", 1},
                                                  {"body", DataType::kText, true, false, "", 2}},
                               SchemaMetadata{});
  ParquetWriterOptions options;
  options.page_rows = 100;
  options.row_group_rows = 1000;
  const std::string path = dir + "/f.parquet";
  {
    auto writer = *ParquetWriter::Open(path, schema, options);
    Batch batch(schema);
    for (int64_t i = 0; i < 2500; ++i) {
      batch.mutable_column(0).AppendInt64(i * 2);
      if (i % 7 == 0) {
        batch.mutable_column(1).AppendNull();
      } else {
        batch.mutable_column(1).AppendBytes("v" + std::to_string(i % 13));
      }
    }
    ASSERT_TRUE(writer->Write(batch).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  auto reader = *ParquetReader::Open(path);
  ASSERT_TRUE(*reader->LoadPageIndex());
  ASSERT_EQ(reader->num_row_groups(), 3u);
  auto whole = *reader->Read(schema);
  for (size_t g = 0; g < reader->num_row_groups(); ++g) {
    const auto& pages = reader->offset_index(g, 0).page_locations;
    ASSERT_EQ(pages.size(), g < 2 ? 10u : 5u);
    const parquet::ColumnIndex* bounds = reader->column_index(g, 0);
    ASSERT_NE(bounds, nullptr);
    EXPECT_EQ(bounds->boundary_order, parquet::BoundaryOrder::kAscending);
    for (size_t p = 0; p < pages.size(); ++p) {
      EXPECT_EQ(pages[p].first_row_index, static_cast<int64_t>(p * 100));
      // Bounds of page p of the ids 2*row: exactly its first and last value.
      auto min = DecodeStatisticsValue(reader->columns()[0], bounds->min_values[p]);
      auto max = DecodeStatisticsValue(reader->columns()[0], bounds->max_values[p]);
      const int64_t first_id = static_cast<int64_t>(g * 1000 + p * 100) * 2;
      EXPECT_EQ(min->as_int64(), first_id);
      EXPECT_EQ(max->as_int64(), first_id + 198);
      // Each page alone decodes to the same values as the whole group, for both columns
      // (the text column's pages need the chunk's dictionary).
      for (size_t c = 0; c < 2; ++c) {
        ColumnVector page(schema->field(c).type);
        ASSERT_TRUE(reader->ReadPage(g, c, p, &page).ok());
        ASSERT_EQ(page.size(), 100u);
        for (size_t i = 0; i < page.size(); ++i) {
          ASSERT_EQ(page.GetValue(i), whole[g].column(c).GetValue(p * 100 + i))
              << "group " << g << " column " << c << " page " << p << " row " << i;
        }
      }
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(ParquetPageIndex, FilesWithoutAnIndexSayNo) {
  const std::string dir = TempDir("noindex");
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{{"id", DataType::kBigInt, false, true, ""}}, SchemaMetadata{});
  ParquetWriterOptions options;
  options.write_page_index = false;
  {
    auto writer = *ParquetWriter::Open(dir + "/f.parquet", schema, options);
    Batch batch(schema);
    batch.mutable_column(0).AppendInt64(1);
    ASSERT_TRUE(writer->Write(batch).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  auto reader = *ParquetReader::Open(dir + "/f.parquet");
  EXPECT_FALSE(*reader->LoadPageIndex());
  std::filesystem::remove_all(dir);
}

// GetRow on flushed rows (one or two key columns, several files, updates and deletes
// between flushes, keys never written) against the full merge of hot and cold rows.
class ColdPointLookupTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = TempDir(std::string("lookup") + (GetParam() ? "2" : "1"));
    kv_ = std::move(*KvStore::Open(dir_));
    catalog_ = std::move(*PersistentCatalog::Open(kv_.get(), &pool_));
    storages_ = std::make_unique<StorageRegistry>(dir_ + "/storage");
    TableStore::Options options;
    options.parquet.page_rows = 64;  // many pages per file
    options.cold_cache_bytes = 1 << 20;
    store_ = std::make_unique<TableStore>(kv_.get(), catalog_.get(), options);
    ASSERT_TRUE(catalog_->CreateNamespace(*NamespaceId::Make("chat")).ok());
  }
  void TearDown() override {
    store_.reset();
    catalog_.reset();
    kv_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  SchemaPool pool_;
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<PersistentCatalog> catalog_;
  std::unique_ptr<StorageRegistry> storages_;
  std::unique_ptr<TableStore> store_;
};

TEST_P(ColdPointLookupTest, FlushedLookupsMatchTheFullMerge) {
  const bool composite = GetParam();
  TableDefinition d;
  d.id = *TableId::Make("chat", "m");
  d.type = TableType::kUser;
  if (composite) {
    d.schema = pool_.Intern({{"thread", DataType::kText, false, true, ""},
                             {"id", DataType::kBigInt, false, true, ""},
                             {"body", DataType::kText, true, false, ""}});
  } else {
    d.schema = pool_.Intern(
        {{"id", DataType::kBigInt, false, true, ""}, {"body", DataType::kText, true, false, ""}});
  }
  d.storage_id = storages_->local()->id;
  ASSERT_TRUE(catalog_->CreateTable(d).ok());
  TableEntryRef entry = *catalog_->Loader(*storages_)(d.id);
  HotTable hot = *store_->HotTableFor(*entry);
  const UserId alice = *UserId::Make("alice");
  auto key_of = [&](int64_t i) {
    std::vector<Value> key;
    if (composite) key.push_back(Value::Text("t" + std::to_string(i % 5)));
    key.push_back(Value::BigInt(i));
    return key;
  };
  auto row_of = [&](int64_t i, const std::string& body) {
    std::vector<Value> row = key_of(i);
    row.push_back(i % 7 == 0 ? Value::Null(DataType::kText) : Value::Text(body));
    return row;
  };
  std::mt19937 rng(7);
  constexpr int64_t kKeys = 600;
  for (int round = 0; round < 4; ++round) {
    std::vector<HotWrite> writes;
    for (int i = 0; i < 250; ++i) {
      const int64_t k = static_cast<int64_t>(rng() % kKeys);
      if (rng() % 5 == 0) {
        writes.push_back(HotWrite::Delete(key_of(k)));
      } else {
        writes.push_back(
            HotWrite::Upsert(row_of(k, "r" + std::to_string(round) + "-" + std::to_string(i))));
      }
    }
    for (const HotWrite& w : writes) {
      ASSERT_TRUE(store_->hot().ApplyBatch(hot, &alice, {w}).ok());
    }
    if (round < 3) {
      ASSERT_TRUE(store_->Flush(*entry).ok());
    }
  }
  // Expected: the full merge.
  std::map<std::string, std::vector<Value>> expected;
  Batch all = *store_->ReadRows(*entry, &alice);
  for (size_t r = 0; r < all.num_rows(); ++r) {
    std::vector<Value> row = all.GetRow(r);
    std::string k;
    for (size_t i = 0; i + 1 < row.size(); ++i)
      k += row[i].ToString() + "|";
    expected[k] = row;
  }
  ASSERT_GT(expected.size(), 100u);
  const uint64_t cache_hits_before = store_->hot().user_cache_stats().hits;
  size_t found = 0;
  for (int64_t i = -3; i < kKeys + 3; ++i) {
    std::vector<Value> key = key_of(i);
    std::string k;
    for (const Value& v : key)
      k += v.ToString() + "|";
    auto got = store_->GetRow(*entry, &alice, key);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    // AppendRowTo finds the same row (copied from the user row cache when it holds it).
    Batch appended(entry->schema());
    auto appended_found = store_->AppendRowTo(*entry, &alice, key, &appended);
    ASSERT_TRUE(appended_found.ok()) << appended_found.status().ToString();
    ASSERT_EQ(*appended_found, got->has_value()) << "key " << k;
    ASSERT_EQ(appended.num_rows(), *appended_found ? 1u : 0u);
    if (*appended_found) {
      EXPECT_EQ(appended.GetRow(0), **got) << "key " << k;
    }
    auto it = expected.find(k);
    if (it == expected.end()) {
      EXPECT_FALSE(got->has_value()) << "key " << k;
    } else {
      ASSERT_TRUE(got->has_value()) << "key " << k;
      EXPECT_EQ(**got, it->second) << "key " << k;
      ++found;
    }
  }
  EXPECT_EQ(found, expected.size());
  // The scan above filled alice's user row cache entry: hot rows came from it.
  EXPECT_GT(store_->hot().user_cache_stats().hits, cache_hits_before);
  // Decoded pages were cached and reused, not decoded per lookup.
  ColdReadCacheStats stats = store_->cold_cache_stats();
  EXPECT_GT(stats.page_hits, stats.page_misses);
}

// Lookups between flushes and compactions: the manifests GetRow caches (ManifestCache)
// must follow every flush and compaction, or a lookup reads an old version or misses a
// new file. Checked against a model after every step.
TEST_P(ColdPointLookupTest, LookupsFollowEveryFlushAndCompaction) {
  TableDefinition d;
  d.id = *TableId::Make("chat", "f");
  d.type = GetParam() ? TableType::kShared : TableType::kUser;
  d.schema = pool_.Intern(
      {{"id", DataType::kBigInt, false, true, ""}, {"body", DataType::kText, true, false, ""}});
  d.storage_id = storages_->local()->id;
  ASSERT_TRUE(catalog_->CreateTable(d).ok());
  TableEntryRef entry = *catalog_->Loader(*storages_)(d.id);
  HotTable hot = *store_->HotTableFor(*entry);
  const UserId alice = *UserId::Make("alice");
  const UserId* owner = GetParam() ? nullptr : &alice;
  std::map<int64_t, std::string> model;
  std::mt19937 rng(11);
  constexpr int64_t kKeys = 200;
  auto check_all = [&](const std::string& when) {
    for (int64_t k = 0; k < kKeys; ++k) {
      auto got = store_->GetRow(*entry, owner, {Value::BigInt(k)});
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      auto it = model.find(k);
      if (it == model.end()) {
        ASSERT_FALSE(got->has_value()) << when << ": key " << k;
      } else {
        ASSERT_TRUE(got->has_value()) << when << ": key " << k;
        ASSERT_EQ((**got)[1], Value::Text(it->second)) << when << ": key " << k;
      }
    }
  };
  check_all("empty");
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 60; ++i) {
      const int64_t k = static_cast<int64_t>(rng() % kKeys);
      if (rng() % 4 == 0) {
        ASSERT_TRUE(
            store_->hot().ApplyBatch(hot, owner, {HotWrite::Delete({Value::BigInt(k)})}).ok());
        model.erase(k);
      } else {
        const std::string body = "r" + std::to_string(round) + "-" + std::to_string(i);
        ASSERT_TRUE(
            store_->hot()
                .ApplyBatch(hot, owner, {HotWrite::Upsert({Value::BigInt(k), Value::Text(body)})})
                .ok());
        model[k] = body;
      }
    }
    check_all("round " + std::to_string(round) + " hot");
    ASSERT_TRUE(store_->Flush(*entry).ok());
    check_all("round " + std::to_string(round) + " flushed");
    if (round % 2 == 1) {
      ASSERT_TRUE(store_->Compact(*entry).ok());
      check_all("round " + std::to_string(round) + " compacted");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Keys, ColdPointLookupTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Composite" : "Single"; });

}  // namespace
}  // namespace tenantdb
