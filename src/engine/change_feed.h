// ChangeFeed: the engine's side of the public change-log API (tenantdb/changes.h) —
// reads of a slice by table name and user, and listeners told of commits with the
// table's names instead of its internal number. Database::ReadChanges and
// Database::AddChangeListener call it (engine/public_changes.cc).
//
// Names: a commit carries its table's number; the feed maps it to (namespace, table)
// through a small cache filled from the catalog on a miss (table numbers are never
// reused, so an entry never goes stale; a dropped table's entry is dropped with it).
// Cost with no listener registered: nothing (the storage layer builds no events).
//
// Access control is the caller's: the embedding application (or the server, which checks
// the session's user and role before it reads or forwards anything) is trusted.
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "catalog/persistent_catalog.h"
#include "catalog/schema_cache.h"
#include "common/status.h"
#include "storage/table_store.h"
#include "tenantdb/changes.h"

namespace tenantdb {

class ChangeFeed {
 public:
  // All must outlive the feed (and every listener handle it returned).
  ChangeFeed(SchemaCache* cache, PersistentCatalog* catalog, TableStore* tables)
      : cache_(cache), catalog_(catalog), tables_(tables) {}
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // The changes of `user`'s slice of ns.table (user empty for a SHARED table) after
  // `after_seq`, at most `max_changes` (0: 1000). Errors: undefined_table,
  // invalid_identifier, invalid_argument (a SYSTEM table, a user for a SHARED table or
  // none for a USER/STREAM one), and the log's (data_corrupted, io_error).
  Result<ChangeReadResult> Read(std::string_view ns, std::string_view table, std::string_view user,
                                uint64_t after_seq, size_t max_changes);

  // Registers `listener` (see tenantdb/changes.h for when and how it is called).
  ChangeListenerHandle AddListener(ChangeListener listener);

 private:
  // The names of table `table_number`, or nullopt when it no longer exists.
  std::optional<TableId> NamesOf(uint32_t table_number);
  void Deliver(const ChangeListener& listener, const CommittedChanges& changes);

  SchemaCache* cache_;
  PersistentCatalog* catalog_;
  TableStore* tables_;
  std::mutex names_mu_;
  absl::flat_hash_map<uint32_t, TableId> names_;  // guarded by names_mu_
};

}  // namespace tenantdb
