// RequestContext: who is asking, and with what, for one call into a table provider.
//
// Providers hold no per-user or per-session state (N users x M tables = M providers):
// everything a call needs beyond the table itself travels here — the user the request
// acts as, their role, the open transaction (whose pending writes the call must see and
// extend), the storage the rows live in and, for SYSTEM tables, the catalog components
// they describe. The caller (engine::EngineSession) builds one per statement.
//
// Thread safety: a value the calling thread owns; the pointees are thread-safe components
// except `transaction`, which belongs to the calling session.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "catalog/role.h"
#include "catalog/table_entry.h"
#include "ids/identifier.h"
#include "types/value.h"

namespace tenantdb {

class TableStore;
class Transaction;
class RowLockManager;
class PersistentCatalog;
class SchemaCache;
class SchemaPool;
class StorageRegistry;
class CheckRegistry;

// What SYSTEM tables read. Rows of system.jobs come from the engine (above this layer).
struct SystemSources {
  PersistentCatalog* catalog = nullptr;
  SchemaCache* cache = nullptr;
  SchemaPool* pool = nullptr;
  StorageRegistry* storages = nullptr;
  TableStore* tables = nullptr;  // for the USER-table row cache figures
  // Tables' CHECK constraints (information_schema.table_constraints); null: none shown.
  const CheckRegistry* checks = nullptr;
  // (name, started_at micros, finished_at micros, status, detail) per recent job run.
  std::function<std::vector<std::vector<Value>>()> job_rows;
  // (user_id, role, has_password, created_at) per known user (system.users).
  std::function<std::vector<std::vector<Value>>()> user_rows;
  // The built-in read-only tables (system.*, pg_catalog.*, information_schema.*), which
  // pg_catalog.pg_class lists besides the catalog's tables; immortal.
  std::vector<TableEntryRef> virtual_tables;
};

struct RequestContext {
  const UserId* user = nullptr;  // the user the request acts as; never null from a session
  Role role = Role::kUser;
  TableStore* store = nullptr;
  Transaction* transaction = nullptr;  // null: reads see committed rows only
  // The row locks UPDATE and DELETE take (tables/row_locks.h); null: none are taken.
  RowLockManager* row_locks = nullptr;
  std::chrono::milliseconds lock_timeout{0};  // 0: wait until cancelled or deadlocked
  const SystemSources* system = nullptr;
  // The session's namespace and its plain settings (SET name = value), for pg_catalog's
  // search-path rules, current_schema() and current_setting(); null outside a session.
  const std::string* current_namespace = nullptr;
  std::map<std::string, std::string>* settings = nullptr;  // set_config() writes
};

}  // namespace tenantdb
