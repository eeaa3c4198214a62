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
//   changes   the change log: one record per committed row      the table number
//             change (storage/changes/change_codec.h)
//
// Durability: with Options::sync_writes (the default) every Write() is synced to the
// write-ahead log before it returns, so an acknowledged write survives kill -9 and power
// loss — unless the writer asks for WalSync::kDeferred: the write then returns once its
// log record is written (in the OS, surviving kill -9), and the WAL syncer (wal_syncer.h)
// syncs it with whatever else was written meanwhile; whoever answers a client waits for
// IsDurable(WritePosition()) first (WhenDurable).
//
// Faults. A data directory is locked for its process (common/directory_lock.h). A
// directory that cannot be written (a read-only mount, or Options::read_only) opens
// read-only: reads work, writes fail with read_only_sql_transaction. After a write error
// (a full disk above all) the store stops writing: RocksDB keeps the error, every later
// Write() fails with it (disk_full for ENOSPC) without touching RocksDB's files, and
// reads go on. Recovery is deliberate, never in RocksDB's background: the next Write()
// after space returns calls DB::Resume(), which flushes the memtables to new files and
// starts a new write-ahead log, and then writes again. A directory whose disk is full at
// open opens read-only (disk_full on writes) rather than not at all. RocksDB's info log
// goes through a logger of ours that drops lines it cannot write: RocksDB's own asserts
// (Debian builds it with assertions on) on the first line after a failed one.
//
// Thread safety: all methods may be called concurrently (RocksDB's guarantee).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/directory_lock.h"
#include "common/status.h"
#include "kv/wal_syncer.h"
#include "tenantdb/clock.h"

namespace rocksdb {
class DB;
class Env;
class ColumnFamilyHandle;
class Iterator;
class Slice;
class Snapshot;
class Status;
class WriteBatch;
}  // namespace rocksdb

namespace tenantdb {

class WalFileSystem;

// Maps a RocksDB status to ours: disk_full (ENOSPC), io_error, data_corrupted, or
// internal_error.
Status FromRocksStatus(const rocksdb::Status& status, std::string_view context);

enum class KvFamily : uint8_t { kCatalog = 0, kRows = 1, kChanges = 2 };

// When a Write() syncs the write-ahead log (with Options::sync_writes; without it,
// never): before it returns, or later, by the WAL syncer (see the header comment).
enum class WalSync : uint8_t { kBeforeReturn, kDeferred };

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
    // Open read-only even when the directory is writable (never creates it). Directories
    // that cannot be written open read-only anyway.
    bool read_only = false;
    // Paces recovery after a write error (monotonic). Never null; must outlive the store.
    const Clock* clock = &Clock::System();
  };

  // Opens (or creates) the database in `directory`. Errors: object_in_use (another
  // process, or another open in this one, has it), io_error (permissions), disk_full
  // (a full disk and no database to open read-only yet), data_corrupted.
  static Result<std::unique_ptr<KvStore>> Open(const std::string& directory, Options options);
  static Result<std::unique_ptr<KvStore>> Open(const std::string& directory) {
    return Open(directory, Options());
  }
  ~KvStore();
  KvStore(const KvStore&) = delete;
  KvStore& operator=(const KvStore&) = delete;

  // Applies `batch` atomically (synced per Options::sync_writes). Errors: disk_full,
  // read_only_sql_transaction, io_error; a failed write changed nothing (until a
  // restart, a write whose log record reached the disk may replay: never a duplicate,
  // since it is the same key and version).
  Status Write(rocksdb::WriteBatch* batch, WalSync sync = WalSync::kBeforeReturn);
  // The position of the newest write readers can see (a RocksDB sequence number; an
  // atomic load).
  uint64_t WritePosition() const;
  // Whether every write up to `position` is durable (always, without sync_writes).
  bool IsDurable(uint64_t position) const {
    return !sync_writes_ || syncer_ == nullptr || syncer_->IsDurable(position);
  }
  // Calls `done` once `position` is durable, or with the error that stopped the sync;
  // inline when it is durable already. See WalSyncer for where callbacks run.
  void WhenDurable(uint64_t position, WalSyncer::Callback done);
  Status WaitUntilDurable(uint64_t position) {
    return IsDurable(position) ? Status::Ok() : syncer_->WaitUntilDurable(position);
  }
  // OK until a sync of the write-ahead log failed; that sync's error from then on (no
  // wait for durability can succeed again before the store is reopened).
  Status DurabilityFailure() const {
    return syncer_ != nullptr ? syncer_->failure() : Status::Ok();
  }
  // Syncs the WAL syncer ran (deferred writes' group commits).
  uint64_t DeferredWalSyncs() const { return syncer_ != nullptr ? syncer_->syncs() : 0; }
  // Returns once every WhenDurable callback queued before the call has run.
  void DrainDurabilityCallbacks() {
    if (syncer_ != nullptr) syncer_->Drain();
  }
  // OK when writes are possible now: not read-only, and not stopped by an earlier
  // write error (recovering first if space has returned). Callers about to write
  // elsewhere before a Write() (a flush's Parquet file) check this first.
  Status CheckWritable();
  // Whether the store was opened read-only (explicitly, or because the directory could
  // not be written or its disk was full at open).
  bool read_only() const { return !read_only_reason_.ok(); }
  // The value of `key`, or nullopt when absent.
  Result<std::optional<std::string>> Get(KvFamily family, std::string_view key) const;
  // An iterator over `family` (caller owns it; it must not outlive the store). With
  // `pin_data`, every key and value it returns stays valid until it is destroyed (free
  // for memtable rows; rows read from files pin their blocks in the cache meanwhile).
  // Through `snapshot` (GetSnapshot) when given: the store as of that moment.
  // `lower` / `upper` (inclusive / exclusive; null: none) bound the keys it visits: give
  // them for a range scan, or a Seek past the range's last live key walks every deleted
  // key up to the next live one, in whatever range it lies (after a flush, a whole
  // table's). The slices and the bytes they point to must outlive the iterator.
  std::unique_ptr<rocksdb::Iterator> NewIterator(KvFamily family, bool pin_data = false,
                                                 const rocksdb::Snapshot* snapshot = nullptr,
                                                 const rocksdb::Slice* lower = nullptr,
                                                 const rocksdb::Slice* upper = nullptr) const;
  // A RocksDB snapshot of every family, released when the last reference goes (live
  // queries read a table's rows and its change log as of one moment). Must not outlive
  // the store.
  std::shared_ptr<const rocksdb::Snapshot> GetSnapshot() const;

  // RocksDB's own figures for one family (kv_store_stats.cc): read from memory, no I/O.
  struct FamilyStats {
    uint64_t live_sst_bytes = 0;
    uint64_t memtable_bytes = 0;  // active and immutable memtables
    uint64_t estimated_keys = 0;
    uint64_t write_stops = 0;      // stall events that stopped writes (since open)
    uint64_t write_slowdowns = 0;  // stall events that slowed writes down (since open)
  };
  FamilyStats Stats(KvFamily family) const;
  // Microseconds writers spent in write stalls since open (every family).
  uint64_t WriteStallMicros() const;
  // Whether RocksDB is stopping writes right now.
  bool WritesStopped() const;

  rocksdb::DB* db() const { return db_.get(); }
  // The family's handle. kChanges is null in a database opened read-only that was
  // written before the change log existed (a read-only open cannot create families).
  rocksdb::ColumnFamilyHandle* family(KvFamily family) const;
  const std::string& directory() const { return directory_; }

 private:
  struct PrivateTag {};

 public:
  explicit KvStore(PrivateTag);  // use Open()

  // What the RocksDB event listener shares with the store (it may outlive neither, but
  // RocksDB owns its copy of the listener, hence the separate object).
  struct ErrorState {
    std::atomic<bool> stopped{false};  // a write or background error awaits recovery
    // The default family's memtable is empty: put the WAL-switch marker back (see
    // KvStore::Write). Set at open and whenever RocksDB seals that memtable.
    std::atomic<bool> marker_needed{true};
    std::mutex mu;
    Status error;  // why writes stopped (guarded by mu)
    void Stop(Status why);
  };

 private:
  // Resumes RocksDB after a write error when that can succeed; the error otherwise.
  Status TryResume();

  std::string directory_;
  bool sync_writes_ = true;
  Status read_only_reason_;  // what writes fail with; OK when writable
  std::shared_ptr<ErrorState> errors_ = std::make_shared<ErrorState>();
  const Clock* clock_ = &Clock::System();
  std::mutex resume_mu_;  // one Resume() at a time
  // Monotonic micros of the last Resume(), if any; guarded by resume_mu_.
  std::optional<int64_t> last_resume_micros_;
  std::unique_ptr<DirectoryLock> lock_;  // released after db_ closes
  // The file system (write-ahead logs over zeros, wal_file_system.h) and the Env over it
  // that db_ uses; both outlive db_. Null when read-only (RocksDB's defaults).
  std::shared_ptr<WalFileSystem> wal_fs_;
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<rocksdb::DB> db_;
  // Syncs deferred writes; null when read-only. Stopped before db_ closes.
  std::unique_ptr<WalSyncer> syncer_;
  rocksdb::ColumnFamilyHandle* families_[3] = {};  // owned by db_; destroyed before it
};

}  // namespace tenantdb
