// TableStore::OpenScan against a model: random inserts, updates and deletes across many
// flushes, compactions and hot writes, with tiny batches and row groups so every read
// crosses many boundaries; and streams that stay right while compactions and flushes
// run between their Next() calls.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/table_store.h"

namespace tenantdb {
namespace {

struct ModelRow {
  std::string body;
  std::optional<int64_t> n;
  friend bool operator==(const ModelRow&, const ModelRow&) = default;
};
using Model = std::map<int64_t, ModelRow>;
using Scanned = std::vector<std::pair<int64_t, ModelRow>>;

class TableStoreScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tenantdb-scan-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
             std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    kv_ = std::move(*KvStore::Open(dir_));
    catalog_ = std::move(*PersistentCatalog::Open(kv_.get(), &pool_));
    storages_ = std::make_unique<StorageRegistry>(dir_ + "/storage");
    TableStore::Options options;
    options.parquet.row_group_rows = 5;
    options.parquet.page_rows = 2;
    options.scan_batch_rows = 3;
    options.compact_after_files = 0;  // the tests compact when they want to
    options.user_cache_bytes = 0;     // every hot read goes through the iterator
    store_ = std::make_unique<TableStore>(kv_.get(), catalog_.get(), options);
    ASSERT_TRUE(catalog_->CreateNamespace(*NamespaceId::Make("app")).ok());
    TableDefinition d;
    d.id = *TableId::Make("app", "items");
    d.type = TableType::kUser;
    d.schema = pool_.Intern({{"id", DataType::kBigInt, false, true, ""},
                             {"body", DataType::kText, false, false, ""},
                             {"n", DataType::kBigInt, true, false, ""}});
    d.storage_id = storages_->local()->id;
    ASSERT_TRUE(catalog_->CreateTable(d).ok());
    auto entry = catalog_->Loader(*storages_)(d.id);
    ASSERT_TRUE(entry.ok()) << entry.status().ToString();
    table_ = *entry;
    hot_ = std::make_unique<HotTable>(*store_->HotTableFor(*table_));
  }
  void TearDown() override {
    hot_.reset();
    table_ = {};
    store_.reset();
    catalog_.reset();
    kv_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Put(int64_t id, const ModelRow& row) {
    ASSERT_TRUE(store_->hot()
                    .Upsert(*hot_, &alice_,
                            {Value::BigInt(id), Value::Text(row.body),
                             row.n ? Value::BigInt(*row.n) : Value::Null(DataType::kBigInt)})
                    .ok());
    model_[id] = row;
  }
  void Delete(int64_t id) {
    ASSERT_TRUE(store_->hot().Delete(*hot_, &alice_, {Value::BigInt(id)}).ok());
    model_.erase(id);
  }

  static void Collect(const Batch& batch, const std::vector<bool>& wanted, Scanned* out) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      auto row = batch.GetRow(r);
      ModelRow m;
      m.body = row[1].is_null() ? "<null>" : std::string(row[1].as_bytes());
      if (!row[2].is_null()) m.n = row[2].as_int64();
      if (!wanted.empty() && !wanted[1]) {
        EXPECT_TRUE(row[1].is_null());
      }
      out->emplace_back(row[0].as_int64(), m);
    }
  }

  Scanned Scan(const TableStore::ReadOptions& options) {
    Scanned out;
    auto stream = store_->OpenScan(*table_, &alice_, options);
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    if (!stream.ok()) return out;
    while (true) {
      auto batch = (*stream)->Next();
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok() || !batch->has_value()) break;
      Collect(**batch, options.wanted, &out);
    }
    return out;
  }

  // The model's rows within [lo, hi) (either open), at most `limit`, as a scan with
  // `wanted` returns them.
  Scanned Expected(std::optional<int64_t> lo, std::optional<int64_t> hi, size_t limit,
                   const std::vector<bool>& wanted) const {
    Scanned out;
    for (const auto& [id, row] : model_) {
      if ((lo && id < *lo) || (hi && id >= *hi)) continue;
      if (limit != 0 && out.size() == limit) break;
      ModelRow m = row;
      if (!wanted.empty() && !wanted[1]) m.body = "<null>";
      if (!wanted.empty() && !wanted[2]) m.n.reset();
      out.emplace_back(id, m);
    }
    return out;
  }

  size_t FilesOnDisk() const {
    size_t n = 0;
    const std::string dir = dir_ + "/storage/app/items/alice";
    if (!std::filesystem::exists(dir)) return 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      n += e.path().extension() == ".parquet" ? 1 : 0;
    return n;
  }

  std::string dir_;
  SchemaPool pool_;
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<PersistentCatalog> catalog_;
  std::unique_ptr<StorageRegistry> storages_;
  std::unique_ptr<TableStore> store_;
  TableEntryRef table_;
  std::unique_ptr<HotTable> hot_;
  UserId alice_ = *UserId::Make("alice");
  Model model_;
};

TEST_F(TableStoreScanTest, StreamedScansMatchAModelAcrossFlushesAndCompactions) {
  uint64_t seed = 7;
  auto rnd = [&](uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % n;
  };
  for (int round = 0; round < 25; ++round) {
    for (int op = 0; op < 30; ++op) {
      const auto id = static_cast<int64_t>(rnd(80));
      if (rnd(4) == 0) {
        Delete(id);
      } else {
        ModelRow row{"r" + std::to_string(round) + "-" + std::to_string(op),
                     rnd(3) == 0 ? std::nullopt : std::optional<int64_t>(rnd(1000))};
        Put(id, row);
      }
    }
    if (rnd(3) != 0) {
      ASSERT_TRUE(store_->Flush(*table_).ok());
    }
    if (rnd(8) == 0) {
      ASSERT_TRUE(store_->Compact(*table_).ok());
    }
    ASSERT_EQ(Scan({}), Expected(std::nullopt, std::nullopt, 0, {})) << "round " << round;
    for (int probe = 0; probe < 6; ++probe) {
      TableStore::ReadOptions o;
      std::optional<int64_t> lo, hi;
      if (rnd(2) == 0) {
        lo = static_cast<int64_t>(rnd(80));
        o.lower = HotKeyBound{{Value::BigInt(*lo)}, true};
      }
      if (rnd(2) == 0) {
        hi = static_cast<int64_t>(rnd(80));
        o.upper = HotKeyBound{{Value::BigInt(*hi)}, false};
      }
      o.limit = rnd(3) == 0 ? 1 + rnd(10) : 0;
      if (rnd(2) == 0) o.wanted = {true, rnd(2) == 0, rnd(2) == 0};
      ASSERT_EQ(Scan(o), Expected(lo, hi, o.limit, o.wanted))
          << "round " << round << " probe " << probe;
    }
  }
}

TEST_F(TableStoreScanTest, AStreamStaysRightWhileACompactionDeletesItsFiles) {
  for (int file = 0; file < 4; ++file) {
    for (int64_t id = file; id < 40; id += 2)
      Put(id, {"f" + std::to_string(file) + "-" + std::to_string(id), id});
    if (file == 2) Delete(10);
    ASSERT_TRUE(store_->Flush(*table_).ok());
  }
  Put(3, {"hot", std::nullopt});
  ASSERT_EQ(FilesOnDisk(), 4u);
  const Scanned expected = Expected(std::nullopt, std::nullopt, 0, {});

  auto stream = store_->OpenScan(*table_, &alice_, {});
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  Scanned got;
  auto first = (*stream)->Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  Collect(**first, {}, &got);
  // The compaction replaces the four files the stream has open and deletes them.
  auto compacted = store_->Compact(*table_);
  ASSERT_TRUE(compacted.ok()) << compacted.status().ToString();
  ASSERT_EQ(compacted->files_in, 4u);
  ASSERT_EQ(FilesOnDisk(), 1u);
  // A flush between two pulls moves the hot row into a file the stream never opened;
  // the stream still has it from its hot snapshot.
  ASSERT_TRUE(store_->Flush(*table_).ok());
  while (true) {
    auto batch = (*stream)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch->has_value()) break;
    Collect(**batch, {}, &got);
    // Writes after the stream opened stay out of it.
    Put(1000 + static_cast<int64_t>(got.size()), {"late", std::nullopt});
  }
  EXPECT_EQ(got, expected);
}

TEST_F(TableStoreScanTest, ABoundedScanSkipsFilesOutsideTheBounds) {
  for (int64_t id = 0; id < 10; ++id)
    Put(id, {"low", std::nullopt});
  ASSERT_TRUE(store_->Flush(*table_).ok());
  for (int64_t id = 100; id < 110; ++id)
    Put(id, {"high", std::nullopt});
  ASSERT_TRUE(store_->Flush(*table_).ok());
  // The first file is gone; a scan above its keys never opens it.
  for (const auto& e : std::filesystem::directory_iterator(dir_ + "/storage/app/items/alice")) {
    if (e.path().filename().string().ends_with("-1.parquet")) std::filesystem::remove(e.path());
  }
  TableStore::ReadOptions o;
  o.lower = HotKeyBound{{Value::BigInt(50)}, true};
  model_.clear();
  for (int64_t id = 100; id < 110; ++id)
    model_[id] = {"high", std::nullopt};
  EXPECT_EQ(Scan(o), Expected(std::nullopt, std::nullopt, 0, {}));
  // An unbounded scan needs it, and says so.
  auto stream = store_->OpenScan(*table_, &alice_, {});
  EXPECT_FALSE(stream.ok());
}

}  // namespace
}  // namespace tenantdb
