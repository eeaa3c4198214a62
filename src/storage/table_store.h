// TableStore: the storage API that table providers call — one object for all tables,
// joining the hot rows (hot/HotStore, RocksDB) and the cold files (cold/, Parquet) of
// each table through the persistent catalog's flush manifests.
//
//   writes   go to the hot store. Its cold-key probe is wired to the table's batch files,
//            so inserting a key that only lives in Parquet is still a duplicate.
//   reads    ReadRows merges hot and cold, newest version first (row_merge.h): a row
//            updated or deleted after it was flushed stays updated or deleted.
//   flush    Flush moves every hot version of a table (live rows and deletes) to one new
//            batch file per user: write batch-<n>.parquet.tmp, fsync, rename, fsync the
//            directory; then, in ONE RocksDB batch, record the file in the manifest and
//            delete the hot keys that still hold the versions written (a key rewritten
//            meanwhile stays hot and wins the merge). A crash before that batch leaves an
//            unlisted file, removed by the next flush of the directory and never read; a
//            crash after it leaves nothing to redo. Nothing is lost or duplicated.
//   TTL      ExpireStream removes STREAM rows older than the table's TTL; until then the
//            hot store treats them as absent for every read and write (HotStore::
//            ExpiryCutoff). STREAM tables are never flushed.
//
// Cold directories: <storage base>/<table's path template resolved for the user>.
// Flushes of one table are serialized (a mutex per table number); different tables
// flush in parallel. Thread safety: every method may be called concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "catalog/persistent_catalog.h"
#include "catalog/table_entry.h"
#include "common/kv_store.h"
#include "storage/cold/parquet_writer.h"
#include "storage/hot/hot_store.h"
#include "storage/hot/hot_table.h"
#include "types/batch.h"

namespace tenantdb {

struct FlushStats {
  size_t users = 0;          // directories that got a new batch file
  size_t rows = 0;           // row versions written to Parquet (deletes included)
  size_t rows_kept_hot = 0;  // versions rewritten during the flush, left for the next one
  uint64_t bytes = 0;        // Parquet bytes written
};

class TableStore {
 public:
  struct Options {
    ParquetWriterOptions parquet;
    // Wall clock in microseconds since the epoch (TTL); default the system clock.
    std::function<int64_t()> now_micros;
    // Memory for USER tables' recently read rows, decoded (storage/hot/hot_user_cache.h);
    // 0 turns the cache off.
    size_t user_cache_bytes = 64 << 20;
  };

  // All three must outlive the store.
  TableStore(KvStore* kv, PersistentCatalog* catalog, Options options);
  TableStore(KvStore* kv, PersistentCatalog* catalog) : TableStore(kv, catalog, Options()) {}
  TableStore(const TableStore&) = delete;
  TableStore& operator=(const TableStore&) = delete;

  // The hot store, for writes and hot-only reads.
  HotStore& hot() { return *hot_; }
  // What the hot store needs of `table`, with older schema versions from the catalog.
  // The HotTable keeps a reference to `table`, which must therefore be owned through a
  // TableEntryRef (as every entry from the cache or a catalog loader is).
  Result<HotTable> HotTableFor(const TableEntry& table) const;

  // Every live row of `user` (null for SHARED tables) in the table's current layout,
  // hot and cold merged. Errors: those of the hot store, io_error, data_corrupted.
  Result<Batch> ReadRows(const TableEntry& table, const UserId* user) const;

  // Live rows of `user` within optional primary-key bounds, at most `limit` (0: all).
  // Tables with no cold files read only the hot range, in key order, stopping at the
  // limit; otherwise hot and cold are merged (any order) and then filtered.
  struct ReadOptions {
    std::optional<HotKeyBound> lower;
    std::optional<HotKeyBound> upper;
    size_t limit = 0;
    std::vector<bool> wanted;  // hot-only reads: columns to decode (empty: all)
    // ORDER BY ... LIMIT top_n: hot-only reads may return just those rows, sorted (see
    // HotScanOptions::order); others return every row and leave the sort to the caller.
    std::vector<HotSortKey> order;
    size_t top_n = 0;
  };
  Result<std::vector<Batch>> ReadRows(const TableEntry& table, const UserId* user,
                                      const ReadOptions& options) const;
  // The live row with primary key `key` (values in key order), hot or cold.
  Result<std::optional<std::vector<Value>>> GetRow(const TableEntry& table, const UserId* user,
                                                   const std::vector<Value>& key) const;

  // Moves the table's hot rows to Parquet (see the header comment). SYSTEM and STREAM
  // tables: invalid_argument.
  Result<FlushStats> Flush(const TableEntry& table);

  // How many hot row versions (deletes included: a flush moves them too) each table
  // has, for the tables that have any and still exist. Reads every hot key once; the
  // flush scheduler calls it once per process to count rows written before a restart.
  Result<std::vector<std::pair<TableId, uint64_t>>> CountHotRows() const;

  // Removes STREAM rows written more than ttl_seconds ago; returns how many.
  Result<size_t> ExpireStream(const TableEntry& table);

  // The directory of `user`'s cold files (absolute or relative to the working directory,
  // as the storage's base is).
  Result<std::string> ColdDirectory(const TableEntry& table, const UserId* user) const;

 private:
  Result<bool> ProbeCold(const HotTable& table, const UserId* user,
                         const std::vector<Value>& key) const;
  Result<size_t> FlushUser(const TableEntry& table, const HotTable& hot_table, const UserId* user,
                           FlushStats* stats);
  Result<std::vector<Batch>> ReadColdNewestFirst(const TableEntry& table, const UserId* user) const;
  std::mutex& FlushMutex(uint32_t table_number);

  KvStore* kv_;
  PersistentCatalog* catalog_;
  Options options_;
  std::unique_ptr<HotStore> hot_;
  // Flush batches (manifest + hot deletes) started and finished. A hot-only read that
  // saw finished == started before it began and started unchanged after it cannot have
  // raced a flush moving its rows to Parquet; otherwise it re-checks for cold files.
  std::atomic<uint64_t> flushes_started_{0};
  std::atomic<uint64_t> flushes_finished_{0};
  std::mutex flush_mutexes_mu_;
  absl::flat_hash_map<uint32_t, std::unique_ptr<std::mutex>> flush_mutexes_;
};

}  // namespace tenantdb
