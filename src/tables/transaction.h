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
// Isolation: reads see the latest committed rows plus the overlay (read committed);
// a conflicting write committed by someone else first makes Commit fail with
// unique_violation or not_found, and nothing of this transaction is written.
// Thread safety: owned and used by one session's thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "catalog/table_entry.h"
#include "storage/hot/hot_store.h"
#include "storage/table_store.h"

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
  };

  Transaction() = default;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  bool empty() const { return groups_.empty(); }
  size_t num_writes() const;

  // Adds `write` for (table, user); `table` must stay alive (the transaction keeps a ref).
  Status Add(TableStore* store, const TableEntry& table, const UserId* user, HotWrite write);
  // The pending writes of (table, user), or null.
  const TableWrites* Find(const TableEntry& table, const UserId* user) const;

  // (table, number of writes) for each table written, for the flush policies.
  std::vector<std::pair<TableEntryRef, size_t>> WriteCounts() const;

  // Applies every write atomically; the transaction is empty afterwards either way.
  Status Commit(TableStore* store);
  void Rollback() { groups_.clear(); }

  // Savepoint of a statement inside an explicit transaction, to drop its writes if it
  // fails (PostgreSQL then aborts the transaction anyway; this keeps the overlay sane).
  size_t Mark() const { return num_writes(); }

 private:
  std::vector<std::unique_ptr<TableWrites>> groups_;
};

// Encodes `key` (primary-key values in key order) as the overlay's map key.
Result<std::string> EncodeOverlayKey(const HotTable& table, const std::vector<Value>& key);

}  // namespace tenantdb
