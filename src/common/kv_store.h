// KvStore: the one RocksDB database of a tenantdb data directory, shared by the
// persistent catalog (catalog/) and the hot rows (storage/hot/).
//
// Column families keep the two apart so each can be tuned and scanned on its own, while
// one WriteBatch may still span both: a flush records a Parquet file in the catalog
// family and deletes the flushed rows in the rows family atomically.
//
//   family    holds                                             keys start with
//   catalog   namespaces, tables and their schema versions,     a record-kind byte
//             storages, counters, flush manifests
//   rows      hot rows of every table                           the table number
//
// Durability: with Options::sync_writes (the default) every Write() is synced to the
// write-ahead log before it returns, so an acknowledged write survives kill -9 and power
// loss. Thread safety: all methods may be called concurrently (RocksDB's guarantee).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Iterator;
class Status;
class WriteBatch;
}  // namespace rocksdb

namespace tenantdb {

// Maps a RocksDB status to ours: io_error, data_corrupted, or internal_error.
Status FromRocksStatus(const rocksdb::Status& status, std::string_view context);

enum class KvFamily : uint8_t { kCatalog = 0, kRows = 1 };

class KvStore {
 public:
  struct Options {
    // Sync the write-ahead log on every Write(). Turning it off trades the durability of
    // the last moments before a crash for write speed; only benchmarks do.
    bool sync_writes = true;
    // Create the directory and database when missing.
    bool create_if_missing = true;
    // RocksDB block caches: one for the catalog family, one for the rows family, so a
    // scan of a large table never evicts the catalog's blocks (and the other way round).
    // Both fill lazily; the capacities are upper bounds.
    size_t block_cache_bytes = 32 << 20;
    size_t rows_block_cache_bytes = 128 << 20;
  };

  // Opens (or creates) the database in `directory`. Errors: io_error (permissions, a
  // lock held by another process), data_corrupted.
  static Result<std::unique_ptr<KvStore>> Open(const std::string& directory, Options options);
  static Result<std::unique_ptr<KvStore>> Open(const std::string& directory) {
    return Open(directory, Options());
  }
  ~KvStore();
  KvStore(const KvStore&) = delete;
  KvStore& operator=(const KvStore&) = delete;

  // Applies `batch` atomically (synced per Options::sync_writes).
  Status Write(rocksdb::WriteBatch* batch);
  // The value of `key`, or nullopt when absent.
  Result<std::optional<std::string>> Get(KvFamily family, std::string_view key) const;
  // An iterator over `family` (caller owns it; it must not outlive the store). With
  // `pin_data`, every key and value it returns stays valid until it is destroyed (free
  // for memtable rows; rows read from files pin their blocks in the cache meanwhile).
  std::unique_ptr<rocksdb::Iterator> NewIterator(KvFamily family, bool pin_data = false) const;

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* family(KvFamily family) const;
  const std::string& directory() const { return directory_; }

 private:
  struct PrivateTag {};

 public:
  explicit KvStore(PrivateTag);  // use Open()

 private:
  std::string directory_;
  bool sync_writes_ = true;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* families_[2] = {};  // owned by db_; destroyed before it
};

}  // namespace tenantdb
