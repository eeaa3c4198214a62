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
#include <string>
#include <vector>

#include "catalog/role.h"
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

// What SYSTEM tables read. Rows of system.jobs come from the engine (above this layer).
struct SystemSources {
  PersistentCatalog* catalog = nullptr;
  SchemaCache* cache = nullptr;
  SchemaPool* pool = nullptr;
  StorageRegistry* storages = nullptr;
  TableStore* tables = nullptr;  // for the USER-table row cache figures
  // (name, started_at micros, finished_at micros, status, detail) per recent job run.
  std::function<std::vector<std::vector<Value>>()> job_rows;
  // (user_id, role, has_password, created_at) per known user (system.users).
  std::function<std::vector<std::vector<Value>>()> user_rows;
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
};

}  // namespace tenantdb
