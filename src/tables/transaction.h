// Transaction: the writes one session has made and not yet committed, and the view of a
// table those writes give its own reads.
//
// Every statement writes through a Transaction: an explicit one (BEGIN ... COMMIT) or an
// implicit one the session commits when the statement ends, so a statement that fails
// halfway leaves nothing. Writes are kept per (table, user) in order; Commit() hands them
// all to HotStore::ApplyGroups as ONE atomic RocksDB batch, which re-checks each insert
// and update against the rows committed meanwhile. Until then nobody else sees them.
//
// The overlay: for each key written, its newest pending state (a row, or deleted), so
// reads in the same transaction see their own writes (Overlay / PendingRow).
//
// Isolation (READ COMMITTED, as PostgreSQL's): each statement's reads see the rows
// committed when it reads them plus the overlay. UPDATE and DELETE take a row lock
// (tables/row_locks.h) on every row they change, held until this transaction commits
// or rolls back: a second writer of the row waits for the first to end, then re-reads
// the newest committed version and re-evaluates its WHERE and SET against it
// (sql/exec/operators/write_support.h, LockMatchedRows), so no update is lost. A wait
// ends when the lock is granted, or fails with serialization_failure "deadlock
// detected", object_in_use (lock_timeout) or query_canceled (57014: statement_timeout,
// cancel); see row_locks.h. INSERT takes no lock: of two inserts of one key, the later
// check (at the statement in an explicit transaction, else at Commit) fails with
// unique_violation, and nothing of that transaction is written. There is no REPEATABLE
// READ / SERIALIZABLE: a transaction's later statements see rows others committed
// meanwhile (no phantom protection).
// Thread safety: owned and used by one session's thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "catalog/table_entry.h"
#include "storage/hot/hot_store.h"
#include "storage/hot/packed_inserts.h"
#include "storage/table_store.h"
#include "tables/row_locks.h"

namespace tenantdb {

class Transaction {
 public:
  // The pending writes of one (table, user).
  struct TableWrites {
    TableEntryRef table;
    std::optional<UserId> user;  // none for SHARED tables
    HotTable hot_table;
    std::vector<HotWrite> writes;
    // Encoded primary key -> newest pending row (nullopt: deleted).
    std::map<std::string, std::optional<std::vector<Value>>> overlay;
    // A write-only transaction's inserts (instead of `writes` and `overlay`).
    PackedInserts packed;
  };

  // `sync`: when Commit() syncs the write-ahead log (kv_store.h's WalSync): kDeferred for
  // a session whose caller waits for durability before it answers (Session::DeferCommitSync).
  explicit Transaction(WalSync sync = WalSync::kBeforeReturn) : wal_sync_(sync) {}
  ~Transaction() { ReleaseLocks(); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // A write-only transaction (an autocommit COPY's: nothing reads it before it commits)
  // keeps its rows encoded (PackedInserts) and no overlay, a fraction of the memory of
  // rows held as values. Only inserts may be added to it; Find shows no pending rows.
  void set_write_only() { write_only_ = true; }
  // Memory the pending rows of a write-only transaction hold.
  size_t packed_bytes() const;

  bool empty() const { return groups_.empty(); }
  size_t num_writes() const;

  // Adds `write` for (table, user); `table` must stay alive (the transaction keeps a ref).
  // `pack` (inserts only): hold the row encoded (PackedInserts) until something reads
  // the table's pending rows or writes them otherwise — a COPY into a table keyed by its
  // generated _rowid inside BEGIN ... COMMIT (pgbench -i) then costs its encoded size.
  Status Add(TableStore* store, const TableEntry& table, const UserId* user, HotWrite write,
             bool pack = false);
  // The pending writes of (table, user), or null. Packed rows of a transaction that is
  // not write-only become writes and overlay entries first (logically const: what the
  // transaction holds does not change, only how).
  const TableWrites* Find(const TableEntry& table, const UserId* user) const;

  // (table, number of writes) for each table written, for the flush policies.
  std::vector<std::pair<TableEntryRef, size_t>> WriteCounts() const;

  // Locks the row `key` (primary-key values in key order) of (table, user) until this
  // transaction ends (RowLockManager::Lock). True when newly taken: the caller re-reads
  // the row, which may have changed since it read it.
  Result<bool> LockRow(RowLockManager* locks, const TableEntry& table, const UserId* user,
                       const std::vector<Value>& key, CancelToken* cancel,
                       std::chrono::milliseconds lock_timeout);
  // Releases the lock of `key` that LockRow newly took for this transaction and that it
  // did not use (the row was not there), so a missing row locks nothing, as in PostgreSQL.
  Status UnlockRow(const TableEntry& table, const UserId* user, const std::vector<Value>& key);
  size_t num_locks() const { return locked_.size(); }

  // Applies every write atomically (synced per the constructor's WalSync), then releases
  // the row locks; the transaction is empty afterwards either way.
  Status Commit(TableStore* store);
  void Rollback() {
    groups_.clear();
    ReleaseLocks();
  }

  // Savepoint of a statement inside an explicit transaction, to drop its writes if it
  // fails (PostgreSQL then aborts the transaction anyway; this keeps the overlay sane).
  size_t Mark() const { return num_writes(); }

 private:
  void ReleaseLocks();
  // Moves `group`'s packed rows to its writes and overlay, in order (they always follow
  // every write in `writes`).
  Status Unpack(TableWrites* group) const;
  TableWrites* FindGroup(const TableEntry& table, const UserId* user) const;

  const WalSync wal_sync_;
  bool write_only_ = false;
  std::vector<std::unique_ptr<TableWrites>> groups_;
  RowLockManager* locks_ = nullptr;  // set by the first LockRow
  uint64_t lock_owner_ = 0;
  std::vector<std::string> locked_;  // lock keys held
};

// Encodes `key` (primary-key values in key order) as the overlay's map key.
Result<std::string> EncodeOverlayKey(const HotTable& table, const std::vector<Value>& key);

}  // namespace tenantdb
