// TableStore: the storage API that table providers call — one object for all tables,
// joining the hot rows (hot/HotStore, RocksDB) and the cold files (cold/, Parquet) of
// each table through the persistent catalog's flush manifests.
//
//   writes   go to the hot store. Its cold-key probe is wired to the table's batch files,
//            so inserting a key that only lives in Parquet is still a duplicate.
//   reads    OpenScan streams hot and cold merged by key, newest version winning
//            (merge_stream.h): a row updated or deleted after it was flushed stays
//            updated or deleted. Memory: one batch per source, not the row set.
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
//   compact  Compact rewrites a directory's batch files as one (storage/compaction.cc);
//            a flush that leaves more than Options::compact_after_files files in a
//            directory compacts it. A scan opens every file it lists when it starts
//            (retrying when a compaction deleted one between the listing and the open,
//            compactions_committed_); open files stay readable after a compaction or
//            an erasure unlinks them, so a stream in progress is unaffected.
//   erase    EraseDropped deletes dropped tables' cold files (storage/cold_erasure.cc).
//   changes  Every row change the hot store commits is recorded, with its sequence
//            number, in the change log (storage/changes/change_log.h) in the same batch;
//            flushes never touch the log, so retained changes outlive their hot rows.
//
// Cold directories: <storage base>/<table's path template resolved for the user>.
// Flushes, compactions and the erasure of one table are serialized (a mutex per table
// number); different tables proceed in parallel. Thread safety: every method may be
// called concurrently.
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
#include "kv/kv_store.h"
#include "storage/changes/change_log.h"
#include "storage/cold/cold_read_cache.h"
#include "storage/cold/parquet_writer.h"
#include "storage/hot/hot_store.h"
#include "storage/hot/hot_table.h"
#include "storage/manifest_cache.h"
#include "storage/merge_stream.h"
#include "storage/storage_counters.h"
#include "storage/table_statistics_store.h"
#include "tenantdb/clock.h"
#include "types/batch.h"
#include "types/batch_stream.h"

namespace tenantdb {

struct FlushStats {
  size_t users = 0;             // directories that got a new batch file
  size_t rows = 0;              // row versions written to Parquet (deletes included)
  size_t rows_kept_hot = 0;     // versions rewritten during the flush, left for the next one
  size_t hot_keys_deleted = 0;  // hot keys the flush deleted (their versions went to files)
  uint64_t bytes = 0;           // Parquet bytes written
  size_t compactions = 0;       // directories compacted after the flush (compact_after_files)
};

struct CompactionStats {
  size_t directories = 0;  // directories rewritten
  size_t files_in = 0;     // batch files replaced
  size_t files_out = 0;    // batch files written (0 when every row was deleted)
  size_t rows_in = 0;      // row versions read (deletes included)
  size_t rows_out = 0;     // live rows written
  uint64_t bytes_in = 0;   // bytes of the files replaced
  uint64_t bytes_out = 0;  // bytes of the files written
};

struct ErasureStats {
  size_t tables = 0;       // dropped tables whose erasure finished
  size_t directories = 0;  // cold directories visited
  size_t files = 0;        // files deleted
};

class StorageRegistry;

// How far TableStore::BuildIndex has come.
struct IndexBuildProgress {
  size_t rows = 0;               // entries written so far
  size_t users_done = 0;         // users whose rows are all indexed (SHARED: the one row set)
  size_t users_total = 0;        // users with rows (hot or flushed) when the build began
  bool checking_unique = false;  // every row indexed; now checking a UNIQUE index
};

class TableStore {
 public:
  struct Options {
    ParquetWriterOptions parquet;
    // The database's clock: row write times, TTL, files' created times, flush durations.
    // Never null; must outlive the store.
    const Clock* clock = &Clock::System();
    // Memory for USER tables' recently read rows, decoded (storage/hot/hot_user_cache.h);
    // 0 turns the cache off.
    size_t user_cache_bytes = 64 << 20;
    // The most rows of one user that a run of point reads may bring into that cache
    // whole (HotStore::Options::user_cache_max_earned_rows).
    size_t user_cache_max_earned_rows = 65536;
    // Memory for decoded Parquet pages that primary-key lookups of flushed rows read
    // (storage/cold/cold_read_cache.h), like RocksDB's block cache for hot rows; 0 keeps
    // none (every flushed lookup decodes its pages again). Default: 128 MiB, the size of
    // the rows family's RocksDB block cache, so both tiers keep as much decoded data.
    size_t cold_cache_bytes = 128 << 20;

    // The automatic compaction policy: a flush that leaves a directory (one user of a
    // USER table, or a SHARED table) with more than this many batch files compacts it
    // into one, right after the flush and under the same lock. Default 8: a point read
    // or scan then opens at most 9 files per directory, and the rewrite (which reads all
    // of the directory's rows) happens about once every 8 flushes of a user. 0 turns
    // automatic compaction off (STORAGE COMPACT TABLE still works).
    size_t compact_after_files = 8;

    // Rows per batch a scan reads from the hot store and assembles when merging hot and
    // cold rows (a Parquet row group is read whole, as the writer made it). Default 4096:
    // big enough that per-batch costs vanish, small enough to stay in cache. Tests make
    // it tiny to cross many batch boundaries.
    size_t scan_batch_rows = 4096;

    // The change log's retention and counters (ChangeLog::Options; its clock is
    // the clock above when it has none of its own).
    ChangeLog::Options changes;
  };

  // All three must outlive the store.
  TableStore(KvStore* kv, PersistentCatalog* catalog, Options options);
  TableStore(KvStore* kv, PersistentCatalog* catalog) : TableStore(kv, catalog, Options()) {}
  // Writes the row counts that changed since the last checkpoint (statistics()).
  ~TableStore();
  TableStore(const TableStore&) = delete;
  TableStore& operator=(const TableStore&) = delete;

  // The hot store, for writes and hot-only reads.
  HotStore& hot() { return *hot_; }
  // The change log every hot write records its changes in.
  ChangeLog& changes() { return *changes_; }
  const ChangeLog& changes() const { return *changes_; }
  // What the hot store needs of `table`, with older schema versions from the catalog.
  // The HotTable keeps a reference to `table`, which must therefore be owned through a
  // TableEntryRef (as every entry from the cache or a catalog loader is).
  Result<HotTable> HotTableFor(const TableEntry& table) const;

  // Live rows of `user` (null for SHARED tables) within optional primary-key bounds, at
  // most `limit` (0: all), in the table's current layout.
  struct ReadOptions {
    std::optional<HotKeyBound> lower;
    std::optional<HotKeyBound> upper;
    size_t limit = 0;
    std::vector<bool> wanted;  // columns to decode (empty: all); the others come back NULL
    // ORDER BY ... LIMIT top_n: hot-only reads may return just those rows, sorted (see
    // HotScanOptions::order); others return every row and leave the sort to the caller.
    std::vector<HotSortKey> order;
    size_t top_n = 0;
    // Read as of this RocksDB snapshot (KvStore::GetSnapshot) instead of now (hot rows;
    // cold files are immutable). Must outlive the stream.
    const rocksdb::Snapshot* snapshot = nullptr;
    // The stream may return only the wanted columns (and the key), saying which through
    // BatchStream::columns().
    bool projected = false;
  };
  // The rows as a stream, in bounded memory: a table with no cold files streams its hot
  // range (HotStore::NewBatchScan); otherwise the hot rows (a RocksDB iterator) and
  // each batch file (row group by row group, only the wanted columns plus the key and
  // `_deleted` decoded) are merged in key order by MergeStream (merge_stream.h), newest
  // version winning. Rows come in primary-key order except for a top-N read.
  //
  // Consistency: the hot iterator (a RocksDB snapshot) is made before the manifest is
  // read, so a flush committing in between leaves its rows in both (the hot copy wins)
  // rather than in neither. Every listed batch file is opened before the stream is
  // returned and stays open until it is read: a compaction or the erasure job that
  // deletes a file meanwhile only unlinks it (the open descriptor keeps its bytes), so
  // the stream never fails or changes because of them. Opening retries when a
  // compaction removed a listed file between the manifest read and the open.
  // The stream refers to this store (not to `table`, which it keeps alive); destroy it
  // before the store. Errors (here or from Next): those of the hot store, io_error,
  // data_corrupted.
  Result<BatchStreamPtr> OpenScan(const TableEntry& table, const UserId* user,
                                  const ReadOptions& options) const;
  // OpenScan's rows, all of them at once (tests, and callers that need every row).
  Result<std::vector<Batch>> ReadRows(const TableEntry& table, const UserId* user,
                                      const ReadOptions& options) const;
  // Every live row of `user`, every column, as one batch (DDL checks, tests).
  Result<Batch> ReadRows(const TableEntry& table, const UserId* user) const;
  // The live row with primary key `key` (values in key order), hot or cold.
  Result<std::optional<std::vector<Value>>> GetRow(const TableEntry& table, const UserId* user,
                                                   const std::vector<Value>& key) const;
  // GetRow, appending the row to `out` (whose columns are the table's current schema's)
  // instead: a row from the user row cache is copied column by column, with no Value in
  // between. Returns whether there was a row.
  Result<bool> AppendRowTo(const TableEntry& table, const UserId* user,
                           const std::vector<Value>& key, Batch* out) const;

  // Moves the table's hot rows to Parquet (see the header comment). SYSTEM and STREAM
  // tables: invalid_argument.
  Result<FlushStats> Flush(const TableEntry& table);

  // How many hot row versions (deletes included: a flush moves them too) each table
  // has, for the tables that have any and still exist. Reads every hot key once; the
  // flush scheduler calls it once per process to count rows written before a restart.
  Result<std::vector<std::pair<TableId, uint64_t>>> CountHotRows() const;

  // Rewrites each of the table's cold directories that holds at least `min_files` batch
  // files (1: every directory with files) into one file holding only the newest version
  // of each key and no deleted rows; the new file replaces the old ones in the manifest
  // atomically, then the old files are deleted (storage/compaction.cc). A directory with
  // one file and nothing to drop is left alone. Hot rows are untouched. SYSTEM and STREAM
  // tables: invalid_argument. A dropped table: nothing to do.
  Result<CompactionStats> Compact(const TableEntry& table, size_t min_files = 1);

  // Deletes the cold files of every dropped table (PersistentCatalog::ListPendingErasures)
  // and any hot rows left behind, then forgets the erasure; crash-safe and resumable
  // (storage/cold_erasure.cc). `storages` resolves the dropped tables' directories.
  // The first error stops the run; the erasure resumes at the next call.
  Result<ErasureStats> EraseDropped(const StorageRegistry& storages);

  // Removes STREAM rows written more than ttl_seconds ago; returns how many.
  Result<size_t> ExpireStream(const TableEntry& table);

  // The directory of `user`'s cold files (absolute or relative to the working directory,
  // as the storage's base is).
  Result<std::string> ColdDirectory(const TableEntry& table, const UserId* user) const;

  // ALTER TABLE ... ADD PRIMARY KEY of a SHARED table keyed by its generated `_rowid`
  // (storage/table_rekey.cc): makes `schema` (derived from version `base_version`, with
  // `_rowid` gone and the new key's columns NOT NULL) the table's current schema and
  // rewrites every row, hot and cold, as a hot row under the new key — the schema
  // version, the removal of every old version and the cold files' manifest entries, and
  // the new rows in ONE RocksDB batch, so a crash leaves the table all old or all new.
  // Writers and readers of the table wait meanwhile (RekeyGate), and ones that planned
  // against the old layout fail with serialization_failure afterwards; flushes wait too.
  // The old files are deleted after the batch (a crash leaves them unlisted, for the
  // next flush to remove). Memory: every row, twice (decoded and encoded). Errors:
  // not_null_violation, unique_violation (naming the duplicated key), those of
  // PersistentCatalog::AlterTable.
  Result<TableDefinition> RewriteWithKey(const TableEntry& table, uint32_t base_version,
                                         std::shared_ptr<const Schema> schema);

  // ---- secondary indexes (storage/table_index.cc; layout in hot/hot_index.h) ----
  // Writes the entry of every live row (hot and flushed, every user) of `table` into
  // `index`, which must already be registered in hot().indexes() so that concurrent
  // writes maintain it; puts are idempotent, so rows written meanwhile are fine either
  // way. `progress` (if set) is told how far it has come (IndexBuildProgress) when it
  // starts, every 1024 rows and after each user. For a
  // UNIQUE index, then checks that no two valid entries of one user hold the same
  // non-NULL values. Returns the rows indexed. Errors: unique_violation (naming the
  // duplicated values), those of reads and writes.
  Result<size_t> BuildIndex(const TableEntry& table, const HotIndex& index,
                            const std::function<void(const IndexBuildProgress&)>& progress = {});
  // The live rows of `user` whose index entries lie within any of `ranges` (bounds on a
  // prefix of the index's columns, as HotKeyBound), each row once, in index order. An
  // entry is re-checked against its row (hot or flushed): a stale one is skipped.
  Result<std::vector<Batch>> IndexScan(const TableEntry& table, const UserId* user,
                                       const HotIndex& index,
                                       const std::vector<IndexRange>& ranges) const;
  // The live rows of `user` whose entries lie within `range`, in index order (reversed
  // when `descending`: NULLs, which sort last, then come first, as PostgreSQL's DESC
  // puts them), streamed: entries are read as batches are pulled — `first_rows` in the
  // first batch (a LIMIT's n), then batches twice as large — and re-checked as
  // IndexScan's are, so a caller that stops after n rows read about n entries plus the
  // stale ones it skipped (storage/table_index_ordered.cc). The stream must not outlive
  // this store. Errors: those of IndexScan.
  Result<BatchStreamPtr> OpenIndexScan(const TableEntry& table, const UserId* user,
                                       const HotIndex& index, const IndexRange& range,
                                       bool descending, size_t first_rows) const;
  // Deletes every entry of index `index_number` (one range delete).
  Status DropIndexEntries(uint32_t index_number);

  // The tables' statistics: row counts kept on write and flush, ANALYZE's figures
  // (table_statistics_store.h). A flush checkpoints the flushed table's counts.
  TableStatisticsStore& statistics() { return *statistics_; }
  const TableStatisticsStore& statistics() const { return *statistics_; }

  // Figures of the cold point-read cache (system.stats, benchmarks).
  ColdReadCacheStats cold_cache_stats() const { return cold_cache_->stats(); }
  // Flush jobs and compactions so far (Database::Stats()).
  const StorageCounters& counters() const { return counters_; }

 private:
  // GetRow past the user row cache, which had no live hot row with the key
  // (`cache_has_no_hot_row`) or did not know. The caller holds the table's rekey gate.
  Result<std::optional<std::vector<Value>>> UncachedRow(const TableEntry& table,
                                                        const HotTable& hot_table,
                                                        const UserId* user,
                                                        const std::vector<Value>& key,
                                                        bool cache_has_no_hot_row) const;
  // The newest cold version of `key` for `user`, in ColdFileSchema's layout (its last
  // value says whether it is a delete), or nullopt when no file holds the key. Reads
  // only the pages that can hold it (storage/cold_point_lookup.h).
  Result<std::optional<std::vector<Value>>> ColdVersion(const TableEntry& entry,
                                                        const HotTable& table, const UserId* user,
                                                        const std::vector<Value>& key) const;
  // ColdFileSchema(*schema), built once per schema (the map keeps `schema` alive, so a
  // pointer is never reused for another schema while its entry exists).
  std::shared_ptr<const Schema> ColdLayout(const std::shared_ptr<const Schema>& schema) const;
  // The manifest of `user`'s cold directory (ManifestCache: loaded from the catalog on a
  // miss). Every write of a manifest calls ManifestChanged after its RocksDB write.
  Result<ManifestCache::EntryRef> CachedManifest(const TableEntry& table, const UserId* user) const;
  void ManifestChanged(uint32_t table_number, const UserId* user) const;
  Result<bool> ProbeCold(const HotTable& table, const UserId* user,
                         const std::vector<Value>& key) const;
  // The live cold row of `key` (current layout), or nullopt.
  Result<std::optional<std::vector<Value>>> ColdRow(const HotTable& table, const UserId* user,
                                                    const std::vector<Value>& key) const;
  // BuildIndex's check of a UNIQUE index.
  Status VerifyUnique(const HotTable& table, const HotIndex& index) const;
  // Flush's work; Flush times and counts it.
  Result<FlushStats> FlushTable(const TableEntry& table);
  Result<size_t> FlushUser(const TableEntry& table, const HotTable& hot_table, const UserId* user,
                           FlushStats* stats);
  // The sources of a merged read after the hot rows: each listed batch file that may
  // hold keys within the bounds, opened, newest first.
  Result<std::vector<std::unique_ptr<VersionSource>>> OpenColdSources(
      const TableEntry& table, const UserId* user, const std::shared_ptr<const Schema>& requested,
      const std::vector<size_t>& key_columns, const std::optional<EncodedKeyBound>& lower,
      const std::optional<EncodedKeyBound>& upper) const;
  std::mutex& FlushMutex(uint32_t table_number);
  // Passes the table's RekeyGate (reads hold the pass while they open).
  Result<RekeyGate::Pass> EnterGate(const TableEntry& table) const;
  Result<BatchStreamPtr> OpenScanInGate(const TableEntry& table, const UserId* user,
                                        const ReadOptions& options) const;
  // Compacts the table's hot key range when a flush deleted `deleted` >= 4096 keys.
  void CompactFlushedRange(uint32_t table_number, size_t deleted) const;
  // Whether the table numbered `table_number` still exists (a flush or compaction that
  // got its lock after a DROP must not write files the erasure would never see).
  Result<bool> TableExists(uint32_t table_number) const;
  // Compacts one directory; the caller holds FlushMutex (storage/compaction.cc).
  Status CompactUser(const TableEntry& table, const HotTable& hot_table, const UserId* user,
                     size_t min_files, CompactionStats* stats);
  // Runs `read` (a read of cold files) again when it failed while a compaction deleted
  // files it may have listed; bounded.
  template <typename T>
  Result<T> RetryIfCompacted(const std::function<Result<T>()>& read) const;

  KvStore* kv_;
  PersistentCatalog* catalog_;
  Options options_;
  std::unique_ptr<ChangeLog> changes_;  // before hot_, which writes to it
  std::unique_ptr<HotStore> hot_;
  std::unique_ptr<ColdReadCache> cold_cache_;
  std::unique_ptr<TableStatisticsStore> statistics_;  // after hot_, whose counts it persists
  mutable ManifestCache manifests_;
  mutable std::mutex cold_layouts_mu_;
  mutable absl::flat_hash_map<const Schema*, std::pair<std::shared_ptr<const Schema>,
                                                       std::shared_ptr<const Schema>>>
      cold_layouts_;  // guarded by cold_layouts_mu_
  // Flush batches (manifest + hot deletes) started and finished. A hot-only read that
  // saw finished == started before it began and started unchanged after it cannot have
  // raced a flush moving its rows to Parquet; otherwise it re-checks for cold files.
  std::atomic<uint64_t> flushes_started_{0};
  std::atomic<uint64_t> flushes_finished_{0};
  // Compactions whose manifest batch was written; bumped before their old files are
  // deleted, so a read that began earlier and failed on a vanished file sees it moved.
  std::atomic<uint64_t> compactions_committed_{0};
  mutable StorageCounters counters_;  // reads count index entries too
  std::mutex flush_mutexes_mu_;
  absl::flat_hash_map<uint32_t, std::unique_ptr<std::mutex>> flush_mutexes_;
};

}  // namespace tenantdb
