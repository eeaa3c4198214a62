// HotStore: the recent rows of every table, in the RocksDB `rows` family of the shared
// KvStore (kv/kv_store.h). Keys are laid out by key_codec.h (table number, user id
// for USER/STREAM tables, primary key), values by row_codec.h (schema version, live or
// tombstone, write time, columns).
//
// Who calls it: the table providers (tables/) for SQL reads and writes, and the flush
// (storage/) which moves hot rows to Parquet. Every call names its table (a HotTable) and,
// for USER and STREAM tables, the user whose rows it touches; a SHARED table must not be
// given a user. One user's rows are one key range, so a scan for alice cannot see bob's.
//
// Versions: an update writes the new row over the old key; a delete writes a TOMBSTONE
// value (not a RocksDB delete) so a later flush carries the delete over older Parquet
// copies. Get() hides tombstones; GetVersion() and scans with include_tombstones show
// them to the merge layer.
//
// Cold copies: the hot store alone does not know what is already in Parquet. Options::
// cold_probe, when set (by the flush layer), is asked whether a key has a live cold copy
// whenever the hot store has no version of it: Insert fails with unique_violation, Update
// succeeds, Delete writes a tombstone. Without a probe the hot store is the whole truth.
//
// Durability and atomicity: each call is one rocksdb::WriteBatch through KvStore::Write
// (WAL-synced when the KvStore says so): a multi-row ApplyBatch writes all or nothing.
// With Options::changes, every row change of the batch also gets its change-log record
// and sequence number in that same batch (storage/changes/change_log.h).
// Concurrency: writers of the same key are serialized by striped locks (key_locks.h) held
// across the existence check and the write, so of N concurrent inserts of one key exactly
// one succeeds. Reads take no locks and see a consistent RocksDB snapshot.
//
// Thread safety: all methods may be called concurrently. Cost: point operations
// O(log n) in RocksDB; scans O(rows read), decoding each row once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/slice.h>

#include "common/status.h"
#include "ids/identifier.h"
#include "kv/kv_store.h"
#include "storage/changes/change_log.h"
#include "storage/hot/hot_index.h"
#include "storage/hot/hot_table.h"
#include "storage/hot/hot_user_cache.h"
#include "storage/hot/key_locks.h"
#include "storage/hot/packed_inserts.h"
#include "storage/hot/rekey_gate.h"
#include "storage/hot/row_codec.h"
#include "storage/hot/row_counts.h"
#include "tenantdb/clock.h"
#include "types/batch.h"
#include "types/batch_stream.h"

namespace rocksdb {
class Iterator;
class Snapshot;
}  // namespace rocksdb

namespace tenantdb {

// Whether `key` (primary-key values in key order) has a live copy in `user`'s cold
// files of `table`. Set by the flush layer; see the header comment.
using ColdKeyProbe = std::function<Result<bool>(const HotTable& table, const UserId* user,
                                                const std::vector<Value>& key)>;

// The live cold row (current layout) with primary key `key`, or nullopt. Set by the flush
// layer: the write path needs a flushed row's old values to remove its index entries.
using ColdRowProbe = std::function<Result<std::optional<std::vector<Value>>>(
    const HotTable& table, const UserId* user, const std::vector<Value>& key)>;

// One hot version of a row: header plus values in the table's current layout. For a
// tombstone, the key columns hold the key and every other column is NULL.
struct HotRow {
  RowHeader header;
  std::vector<Value> values;
  bool is_tombstone() const { return header.kind == RowKind::kTombstone; }
};

// One write of an ApplyBatch. Insert, Upsert and Update carry a full row in the table's
// current layout; Delete carries the primary-key values in key order.
struct HotWrite {
  enum class Kind : uint8_t { kInsert, kUpsert, kUpdate, kDelete };
  Kind kind;
  std::vector<Value> values;

  static HotWrite Insert(std::vector<Value> row) { return {Kind::kInsert, std::move(row)}; }
  static HotWrite Upsert(std::vector<Value> row) { return {Kind::kUpsert, std::move(row)}; }
  static HotWrite Update(std::vector<Value> row) { return {Kind::kUpdate, std::move(row)}; }
  static HotWrite Delete(std::vector<Value> key) { return {Kind::kDelete, std::move(key)}; }
};

// The writes of one (table, user) pair inside a multi-table ApplyGroups.
struct HotWriteGroup {
  const HotTable* table;
  const UserId* user;
  const std::vector<HotWrite>* writes;
  // Inserts held encoded (a write-only transaction's), applied after `writes`; may be null.
  const PackedInserts* packed = nullptr;
};

// HotKeyBound (a bound of a key-range scan) is declared in hot_index.h.

// One key of a top-N scan: a column of the current schema and its ORDER BY direction.
struct HotSortKey {
  size_t column = 0;
  bool descending = false;
  bool nulls_first = false;
};

struct HotScanOptions {
  std::optional<HotKeyBound> lower;  // none: from the first row
  std::optional<HotKeyBound> upper;  // none: to the last row
  // Most rows to return (tombstones count when included); 0 = no limit.
  size_t limit = 0;
  // Return tombstones too (for the merge with cold files).
  bool include_tombstones = false;
  // Skip versions written before this time (microseconds since the epoch). Versions
  // past the table's TTL are skipped in any case (HotStore::ExpiryCutoff).
  std::optional<int64_t> written_since_micros;
  // Columns (positions in the current schema) that Scan() puts in its batches, in this
  // order; empty: all. HotRowIterator rows always hold every column.
  std::vector<size_t> columns;
  // HotRowIterator only: leave row().values empty for live rows of the current schema
  // version (the caller decodes row_body() itself). For Scan's fast path.
  bool raw_current_rows = false;
  // Scan() only: columns the caller reads (empty: all). The others come back NULL and
  // cost no copy. Key columns should be wanted when rows are merged by key.
  std::vector<bool> wanted;
  // Scan() only, top_n > 0 with a non-empty `order`: return only the first top_n live
  // rows in that order (equal rows in key order), sorted so: ORDER BY ... LIMIT pushed
  // down. Every row in range has its sort columns decoded; only the winners are decoded
  // whole (late materialization). Not combinable with include_tombstones, limit or
  // columns (invalid_argument).
  std::vector<HotSortKey> order;
  size_t top_n = 0;
  // HotRowIterator only: row_body() stays valid until the iterator is destroyed, not
  // just until Next() (RocksDB pin_data: blocks read from files stay pinned meanwhile).
  bool pin_rows = false;
  // Read as of this RocksDB snapshot (KvStore::GetSnapshot) instead of now; the user row
  // cache is bypassed then. Must outlive the scan.
  const rocksdb::Snapshot* snapshot = nullptr;
  // HotRowIterator of one user or SHARED table only (NewScan): rows in descending key
  // order, from the upper bound down. `limit` then counts from the top: ORDER BY the key
  // DESC LIMIT n reads n rows, not the range.
  bool reverse = false;
};

// Rows of one scan in key order. Holds a RocksDB iterator (and its implicit snapshot):
// destroy it before the HotStore and KvStore. Not thread-safe.
class HotRowIterator {
  struct PrivateTag {};

 public:
  explicit HotRowIterator(PrivateTag);  // made by HotStore::NewScan / NewTableScan
  ~HotRowIterator();
  HotRowIterator(const HotRowIterator&) = delete;
  HotRowIterator& operator=(const HotRowIterator&) = delete;

  // Moves to the next row; false at the end. Errors: data_corrupted, io_error, and
  // those of DecodeRow (an unknown schema version).
  Result<bool> Next();
  // The current row (valid after Next() returned true), its encoded key and its stored
  // value bytes (a flush compares them to delete only versions nobody replaced since).
  const HotRow& row() const { return row_; }
  const std::string& key() const { return key_; }
  const std::string& value_bytes() const { return value_; }
  // With HotScanOptions::raw_current_rows: whether the current row was left undecoded,
  // and its body (valid until the next Next()).
  bool raw() const { return raw_; }
  std::string_view row_body() const { return body_; }
  // The current row's encoded key columns (after the table/user prefix), valid until
  // Next() (or, with pin_rows, until the iterator is destroyed).
  std::string_view key_columns() const { return key_columns_; }
  // The user owning the current row: in a whole-table scan (NewTableScan) of a USER or
  // STREAM table; empty otherwise.
  const std::string& user_id() const { return user_; }

 private:
  friend class HotStore;
  struct Projection {
    uint32_t version;
    std::shared_ptr<const Schema> schema;
    RowProjection projection;
  };
  Result<const Projection*> ProjectionFor(uint32_t version);

  const HotTable* table_ = nullptr;
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string prefix_;  // of the table or the user: every key returned starts with it
  std::string start_;
  std::string end_;  // exclusive; empty: no bound
  // The RocksDB iterator's bounds, over start_ and end_ (which must not change after it_
  // is made).
  rocksdb::Slice lower_bound_;
  rocksdb::Slice upper_bound_;
  bool reverse_ = false;    // from end_ down to start_
  bool all_users_ = false;  // a whole-table scan of a per-user table: keys carry users
  std::optional<int64_t> written_since_micros_;
  size_t limit_ = 0;
  size_t returned_ = 0;
  bool include_tombstones_ = false;
  bool raw_current_rows_ = false;
  bool raw_ = false;
  std::string_view body_;
  std::string_view key_columns_;
  bool started_ = false;
  std::vector<Projection> projections_;  // older schema versions seen so far
  std::string key_;
  std::string value_;
  std::string user_;
  HotRow row_;
};

class HotStore {
 public:
  struct Options {
    // Its wall clock is stamped on every write and compared with STREAM TTLs. Never null;
    // must outlive the store.
    const Clock* clock = &Clock::System();
    // See the header comment; default none.
    ColdKeyProbe cold_probe;
    // Asked instead of cold_probe when a write of a table with secondary indexes needs
    // the old values of a row that lives only in Parquet; default none (then such a
    // row's old index entry stays, and readers skip it as stale: hot_index.h).
    ColdRowProbe cold_row;
    // The change log that ApplyGroups records every row change in (same batch), and
    // DropTable deletes a table's records from; null: none. Must outlive the store.
    ChangeLog* changes = nullptr;
    // HotUserCache budget for USER tables' rows (0: no cache) and the most rows of one
    // user it keeps.
    size_t user_cache_bytes = 0;
    // Bounds the cost of a refill: every write empties the user's entry, so a user who
    // alternates writes and reads pays one scan of their rows per read after a write.
    size_t user_cache_max_rows = 1024;
    // The most rows of a user whose whole entry a run of point reads may pay for
    // (hot_user_cache.h): such a fill costs no more than the reads it saves.
    size_t user_cache_max_earned_rows = 65536;
  };

  // `kv` must outlive the store.
  explicit HotStore(KvStore* kv) : HotStore(kv, Options()) {}
  HotStore(KvStore* kv, Options options);
  HotStore(const HotStore&) = delete;
  HotStore& operator=(const HotStore&) = delete;

  // Every method taking (table, user): `user` is required (non-null, non-empty) for USER
  // and STREAM tables and must be null (or empty) for SHARED tables, else
  // invalid_argument. Row and
  // key values must have their columns' exact types (type_mismatch); NULL in a NOT NULL
  // column is invalid_argument.

  // Adds a row. Error: unique_violation when the key has a live version (hot or cold).
  Status Insert(const HotTable& table, const UserId* user, const std::vector<Value>& row);
  // Writes the row whether or not its key exists.
  Status Upsert(const HotTable& table, const UserId* user, const std::vector<Value>& row);
  // Replaces the row with the same key. Error: not_found when the key has no live row.
  Status Update(const HotTable& table, const UserId* user, const std::vector<Value>& row);
  // Writes a tombstone for `key` if it has a live row; returns whether it had one.
  Result<bool> Delete(const HotTable& table, const UserId* user, const std::vector<Value>& key);

  // All writes in one atomic RocksDB batch, checked in order as if applied one by one
  // (an insert after a delete of the same key in the batch succeeds). If any write fails
  // nothing is written and its error is returned, prefixed with its position.
  Status ApplyBatch(const HotTable& table, const UserId* user, const std::vector<HotWrite>& writes);
  // Writes of several tables and users in ONE atomic RocksDB batch (a transaction's
  // commit), checked in order like ApplyBatch. `*deleted` (if given) counts the deletes
  // that hid a live row. `sync`: when the write-ahead log is synced (kv_store.h).
  Status ApplyGroups(std::span<const HotWriteGroup> groups, size_t* deleted = nullptr,
                     WalSync sync = WalSync::kBeforeReturn);

  // The live row with primary key `key`, or nullopt when absent or deleted.
  Result<std::optional<std::vector<Value>>> Get(const HotTable& table, const UserId* user,
                                                const std::vector<Value>& key) const;
  // The hot version of `key`, tombstones included; nullopt when the hot store has none.
  Result<std::optional<HotRow>> GetVersion(const HotTable& table, const UserId* user,
                                           const std::vector<Value>& key) const;

  // Rows of one user (or of a SHARED table) in key order within the bounds. `table` must
  // outlive the iterator.
  Result<std::unique_ptr<HotRowIterator>> NewScan(const HotTable& table, const UserId* user,
                                                  const HotScanOptions& options) const;
  // The same rows as Batches of at most `batch_rows` rows. Without tombstones the
  // batches have the table's schema (or options.columns of it); with them, those fields
  // plus a BOOLEAN `_deleted` (the layout of cold files and MergeNewestWins); a tombstone
  // row then holds its key, NULL in nullable columns and a zero/empty placeholder in NOT
  // NULL ones. Error: invalid_argument for a column position out of range.
  Result<std::vector<Batch>> Scan(const HotTable& table, const UserId* user,
                                  const HotScanOptions& options, size_t batch_rows = 4096) const;
  // The same batches, pulled one at a time: memory stays one batch (plus the RocksDB
  // iterator) however many rows the range holds, except for a cached user's rows and a
  // top-N scan, which are small and built at once. The stream holds a RocksDB iterator
  // (an implicit snapshot taken now); `table` must outlive it.
  Result<BatchStreamPtr> NewBatchScan(const HotTable& table, const UserId* user,
                                      const HotScanOptions& options,
                                      size_t batch_rows = 4096) const;

  // Every row of the table, all users', in key order (user by user); the iterator's
  // user_id() names each row's user. For the flush and the TTL job, never for a user's
  // query. Error: invalid_argument when `options` has key bounds (keys are per user).
  Result<std::unique_ptr<HotRowIterator>> NewTableScan(const HotTable& table,
                                                       const HotScanOptions& options) const;
  // The users that have hot versions (tombstones included) in a USER or STREAM table, in
  // key order. Cost: one seek per user, not per row. Error: invalid_argument for SHARED.
  Result<std::vector<std::string>> ListUsers(const HotTable& table) const;
  // Removes (RocksDB deletes, not tombstones) every version of a STREAM table written
  // before `cutoff_micros`, for every user, re-checking each under its key lock so a
  // newer write is never lost. Returns how many were removed. Error: invalid_argument
  // for a table that is not STREAM (its deletes must reach cold files as tombstones).
  Result<size_t> DeleteExpired(const HotTable& table, int64_t cutoff_micros);

  // The write time (microseconds since the epoch, by Options::clock) before which
  // `table`'s versions are expired now; nullopt for a table whose rows never expire.
  // Every read and write treats an expired version as absent: an insert of its key
  // succeeds, an update or delete does not find it, scans and Get skip it.
  std::optional<int64_t> ExpiryCutoff(const HotTable& table) const;

  // Removes every row of the table, for every user, with one RocksDB range delete, and
  // its change-log records in the same batch.
  Status DropTable(uint32_t table_number);

  // For the flush: the encoded key of `key`, and the stripe locks that writers of keys
  // take. A flush that deletes moved rows locks their keys, re-checks the versions it
  // wrote to Parquet are still the hot ones, and deletes them in its manifest batch.
  Result<std::string> EncodeKey(const HotTable& table, const UserId* user,
                                const std::vector<Value>& key) const;
  KeyLocks::Guard LockKeys(std::span<const std::string> encoded_keys) {
    return locks_.Lock(encoded_keys);
  }
  KvStore* kv() const { return kv_; }

  // The live hot row of a USER table with primary key `key` (values in key order) from
  // the HotUserCache, without filling it: nullopt when the user's rows are not cached
  // (ask GetVersion); an empty inner optional when they are and no live hot row has the
  // key (it may be absent or deleted: only the cold tier can tell which matters).
  Result<std::optional<std::optional<std::vector<Value>>>> CachedRow(
      const HotTable& table, const UserId* user, const std::vector<Value>& key) const;
  // CachedRow's answer as a position: the row is `entry->rows` row `row` (none: no live
  // hot row has the key). The entry keeps it alive and unchanged (entries are immutable)
  // for as long as it is held; copying the row out is the caller's.
  struct CachedRowAt {
    std::shared_ptr<const HotUserCache::Entry> entry;
    std::optional<size_t> row;
  };
  Result<std::optional<CachedRowAt>> FindCachedRow(const HotTable& table, const UserId* user,
                                                   const std::vector<Value>& key) const;

  // ALTER TABLE ... ADD PRIMARY KEY (storage/table_rekey.cc): every write passes this
  // gate, which a rewrite closes for its table.
  RekeyGate& rekey_gate() { return rekey_gate_; }
  // Adds to `batch` the removal of every hot version of `table` (a SHARED table: all its
  // rows are under one prefix), then `rows` (values in `table`'s schema order) as live
  // rows keyed and encoded by `table`, whose key may differ from the one the removed
  // versions had. Does not write and logs no change: the rows are the same rows.
  // Errors: not_null_violation (a NULL key value), unique_violation (two rows with one
  // key; the message names the key), invalid_argument (not SHARED, a row's width).
  Status StageRewrite(const HotTable& table, const std::vector<std::vector<Value>>& rows,
                      const std::string& relation, rocksdb::WriteBatch* batch) const;
  // Forgets cached rows of every user of the table (after a rewrite is written).
  void InvalidateTable(uint32_t table_number) { user_cache_.InvalidateTable(table_number); }

  // For writers outside this class (the flush's hot deletes): after writing rows of
  // (table, user) to RocksDB directly.
  void InvalidateCached(const HotTable& table, const UserId* user);
  HotUserCache::Stats user_cache_stats() const { return user_cache_.stats(); }
  // Live rows per table and user slice, counted as writes commit (row_counts.h).
  RowCounts& row_counts() { return row_counts_; }
  const RowCounts& row_counts() const { return row_counts_; }

  // The secondary indexes every write maintains (hot_index.h): ApplyGroups stages each
  // write's index entries in the rows' batch. CREATE INDEX registers under the table's
  // closed RekeyGate (rekey_gate()), so no write planned without the index lands after.
  HotIndexRegistry& indexes() { return indexes_; }
  const HotIndexRegistry& indexes() const { return indexes_; }
  // The live row with primary key `key`, hot or (through Options::cold_row) cold; for
  // re-checking index entries.
  Result<std::optional<std::vector<Value>>> LiveRow(const HotTable& table, const UserId* user,
                                                    const std::vector<Value>& key) const;

 private:
  struct Planned;
  // ApplyBatch; `*deleted` (if given) counts the deletes that hid a live row.
  Status ApplyWrites(const HotTable& table, const UserId* user, const std::vector<HotWrite>& writes,
                     size_t* deleted);
  Result<std::string> KeyPrefix(const HotTable& table, const UserId* user) const;
  // Scan() through the HotUserCache: the user's cached entry, filled first on a miss
  // (a marker when the user has too many rows to cache).
  Result<std::shared_ptr<const HotUserCache::Entry>> CachedUserRows(const HotTable& table,
                                                                    const UserId& user) const;
  // Reads the user's rows into a new entry, kept unless a write raced it: all of them,
  // or a marker when there are more than `max_rows` (too_big_to_earn when `max_rows` is
  // the earned limit).
  Result<std::shared_ptr<const HotUserCache::Entry>> FillUserRows(const HotTable& table,
                                                                  const UserId& user,
                                                                  size_t max_rows) const;
  // The user's live hot rows as far as the hot store knows (RowCounts), for
  // NoteUncachedPointRead; the earned limit when unknown.
  size_t EstimatedUserRows(const HotTable& table, const UserId& user) const;
  Result<std::vector<Batch>> ScanCached(const HotUserCache::Entry& entry, const HotTable& table,
                                        const HotScanOptions& options, size_t batch_rows) const;
  // A scan served by a tail entry (the user's newest rows), or nullopt when the scan may
  // need rows below the tail.
  Result<std::optional<std::vector<Batch>>> ScanTail(const HotUserCache::Entry& entry,
                                                     const HotTable& table,
                                                     const HotScanOptions& options,
                                                     size_t batch_rows) const;
  // A top-N in descending key order over all of a user's rows (no bounds), read from
  // RocksDB and remembered as the user's tail entry in place of `replaced` (a marker or
  // a tail too short for this read).
  Result<std::vector<Batch>> ScanNewestIntoTail(const HotTable& table, const UserId& user,
                                                const HotScanOptions& options, size_t batch_rows,
                                                const HotUserCache::Entry& replaced) const;
  // Scan() with options.top_n.
  Result<std::vector<Batch>> ScanTopN(const HotTable& table, const UserId* user,
                                      const HotScanOptions& options, size_t batch_rows) const;
  Result<std::string> RowKey(const HotTable& table, const std::string& prefix,
                             const std::vector<Value>& row) const;
  // Whether `key` has a live version at time `now`: the hot one if any (an expired one
  // counts as none), else the cold probe's answer.
  // `*hot_row` (if given) receives the stored bytes of a live hot version (else stays
  // empty): the change log's old row.
  // With `old_values`, a live version's values (current layout) are decoded into it
  // (the cold one through Options::cold_row): what index maintenance removes.
  Result<bool> LiveNow(const HotTable& table, const UserId* user, const std::string& key,
                       const std::vector<Value>& key_values, int64_t now,
                       std::string* hot_row = nullptr,
                       std::optional<std::vector<Value>>* old_values = nullptr) const;
  // ExpiryCutoff() at time `now`.
  static std::optional<int64_t> ExpiryCutoffAt(const HotTable& table, int64_t now);

  KvStore* kv_;
  Options options_;
  mutable KeyLocks locks_;
  mutable HotUserCache user_cache_;
  RekeyGate rekey_gate_;
  HotIndexRegistry indexes_;
  RowCounts row_counts_;
};

}  // namespace tenantdb
