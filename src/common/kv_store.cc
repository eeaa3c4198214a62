#include "common/kv_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <vector>

namespace tenantdb {

Status FromRocksStatus(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::Ok();
  ErrorCode code = ErrorCode::kIoError;
  if (s.IsCorruption()) code = ErrorCode::kCorruption;
  if (s.IsInvalidArgument() || s.IsNotSupported()) code = ErrorCode::kInternal;
  return Status(code, std::string(context) + ": " + s.ToString());
}

Result<std::unique_ptr<KvStore>> KvStore::Open(const std::string& directory, Options options) {
  std::error_code ec;
  if (options.create_if_missing) std::filesystem::create_directories(directory, ec);
  if (ec) {
    return Status(ErrorCode::kIoError,
                  "cannot create data directory " + directory + ": " + ec.message());
  }
  rocksdb::Options db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 3;

  auto family_options = [](size_t cache_bytes) {
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = rocksdb::NewLRUCache(cache_bytes);
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    rocksdb::ColumnFamilyOptions family;
    family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    family.compression = rocksdb::kLZ4Compression;
    return family;
  };
  const rocksdb::ColumnFamilyOptions catalog_options = family_options(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, catalog_options},
      {"catalog", catalog_options},
      {"rows", family_options(options.rows_block_cache_bytes)},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, directory + "/rocksdb", families, &handles, &raw);
  if (!s.ok()) return FromRocksStatus(s, "opening " + directory);

  auto store = std::make_unique<KvStore>(PrivateTag{});
  store->db_.reset(raw);
  store->directory_ = directory;
  store->sync_writes_ = options.sync_writes;
  // The default family is unused; RocksDB requires it to exist.
  raw->DestroyColumnFamilyHandle(handles[0]);
  store->families_[0] = handles[1];
  store->families_[1] = handles[2];
  return store;
}

KvStore::KvStore(PrivateTag) {}

KvStore::~KvStore() {
  // Persist the memtables on a clean close, so the next open has no write-ahead log to
  // replay (with a million-table catalog that replay alone took over a second).
  rocksdb::FlushOptions flush;
  flush.wait = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  for (auto* handle : families_) {
    if (handle != nullptr) handles.push_back(handle);
  }
  if (db_ && !handles.empty()) db_->Flush(flush, handles).PermitUncheckedError();
  for (auto* handle : families_) {
    if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle);
  }
}

rocksdb::ColumnFamilyHandle* KvStore::family(KvFamily family) const {
  return families_[static_cast<size_t>(family)];
}

Status KvStore::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions options;
  options.sync = sync_writes_;
  return FromRocksStatus(db_->Write(options, batch), "writing to RocksDB");
}

Result<std::optional<std::string>> KvStore::Get(KvFamily family, std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), this->family(family),
                               rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocksStatus(s, "reading from RocksDB");
  return std::optional<std::string>(std::move(value));
}

std::unique_ptr<rocksdb::Iterator> KvStore::NewIterator(KvFamily family, bool pin_data) const {
  rocksdb::ReadOptions options;
  options.pin_data = pin_data;
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(options, this->family(family)));
}

}  // namespace tenantdb
