// Column DEFAULTs and CHECK constraints, bound once per table version.
//
// A table's DEFAULT expressions are stored as SQL text in its schema (Field::default_expr).
// Parsing and binding them for every INSERT (or every row) would dominate small writes, so
// the binder takes them from a ColumnDefaultCache: one set of bound expressions per
// (table number, schema version), reused by every statement until DDL publishes a new
// version (ALTER TABLE ... SET DEFAULT bumps the version, so the next statement binds the
// new default).
//
// Where the cache lives, and why: catalog/ sits below sql/, so a TableEntry cannot hold
// bound expressions (and it is kept at 64 bytes on purpose, see table_entry.h). The cache
// is therefore an sql/planner component the Engine owns one of, keyed by the entry's
// (table_number, schema_version), the identity of a table version. Each slot also holds
// the schema object it was bound from and is used only while the table's current schema
// is that same object, so a table number reused by a dropped and re-created table, or a
// second database in the same process, can never see another table's defaults.
//
// A table's CHECK constraints (catalog/check_registry.h) are bound alongside, for the
// same reason: every INSERT / UPDATE / COPY evaluates them. Every change to a table's
// checks publishes a new schema version (or a new table), so a slot never outlives them.
//
// What is cached: defaults (and checks) whose binding depends on nothing but the schema. A default
// that binds differently per statement (CURRENT_USER, bound as the session's user; a
// subquery, resolved in the session's namespace; a $n parameter) is bound for each
// statement instead, exactly as before. Bound expressions are evaluated per row, so
// volatile defaults (NOW(), SNOWFLAKE_ID(), UUID functions) still give each row its own
// value; only the parse and the binding are shared.
//
// Cost: one mutex-protected hash lookup per DML statement. Memory: bounded by `capacity`
// slots (a full cache drops an arbitrary slot: a miss only costs one re-bind).
// Thread safety: every method may be called concurrently; the ColumnDefaults it returns
// are immutable and shared by the plans that hold them.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "catalog/catalog_records.h"
#include "catalog/table_entry.h"
#include "sql/planner/bound_expr.h"

namespace tenantdb::sql {

class Binder;
struct Expr;

// The bound DEFAULT of each column of one table version, in schema order (a NULL constant
// of the column's type when the column has none). Immutable once built.
struct BoundCheck {
  std::string name;
  BoundExprPtr condition;  // boolean, over one row in table layout
};
struct ColumnDefaults {
  std::vector<BoundExprPtr> exprs;
  // The table's CHECK constraints in declaration order (empty for most tables).
  std::vector<BoundCheck> checks;
};
using ColumnDefaultsRef = std::shared_ptr<const ColumnDefaults>;

// The DEFAULT of `field` parsed and bound as an expression of its type (NULL when it has
// none). Errors: those of parsing and binding the stored text, without a position (it
// would point into the stored text, not into the statement the user ran).
Result<BoundExprPtr> BindColumnDefault(const Field& field, Binder& binder);

// `expr`, a DEFAULT a statement writes (CREATE TABLE, ALTER TABLE ... ADD COLUMN / SET
// DEFAULT), bound as an expression of `field`'s type, so a bad one fails that statement
// with the position of the offending name in its text.
Result<BoundExprPtr> BindWrittenDefault(const Expr& expr, const Field& field, Binder& binder);

// A stored CHECK constraint of `table` parsed and bound over a row of it (Binder::BindCheck).
// Errors: those of parsing and binding, without a position.
Result<BoundExprPtr> BindStoredCheck(const TableEntry& table, const CheckConstraint& check,
                                     Binder& binder);

class ColumnDefaultCache {
 public:
  explicit ColumnDefaultCache(size_t capacity = 4096) : capacity_(capacity) {}
  ColumnDefaultCache(const ColumnDefaultCache&) = delete;
  ColumnDefaultCache& operator=(const ColumnDefaultCache&) = delete;

  // The bound defaults of `table`'s current version: cached, or bound now with `binder`
  // (the statement's, for the per-statement cases above) and cached when they may be.
  Result<ColumnDefaultsRef> Get(const TableEntry& table, Binder& binder);

  // How many times a table's defaults were bound (a test hook: a second statement on
  // the same table version must not bind them again).
  uint64_t binds() const { return binds_.load(std::memory_order_relaxed); }
  size_t size() const;

 private:
  struct Slot {
    std::shared_ptr<const Schema> schema;  // held: its address cannot be reused meanwhile
    ColumnDefaultsRef defaults;
  };
  const size_t capacity_;
  mutable std::mutex mu_;
  absl::flat_hash_map<uint64_t, Slot> slots_;  // (table_number << 32) | schema_version
  std::atomic<uint64_t> binds_{0};
};

// The defaults of `table` bound with `binder`, not cached (no cache configured).
Result<ColumnDefaultsRef> BindColumnDefaults(const TableEntry& table, Binder& binder);

}  // namespace tenantdb::sql
