// CheckRegistry: the CHECK constraints of every table that has some, in memory (loaded
// from the catalog at open, changed by CREATE TABLE, ALTER TABLE and DROP TABLE). The
// binder reads it once per INSERT / UPDATE / COPY of a table version, through the
// ColumnDefaultCache (sql/planner/column_defaults.h), which binds the conditions.
//
// Cost: a table without checks has no entry, so the registry grows only with the tables
// that have them (the catalog's per-table memory budget stays untouched); a lookup is
// one shared-lock hash probe.
//
// Thread safety: every method may be called concurrently; the lists it returns are
// immutable and shared.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "catalog/catalog_records.h"

namespace tenantdb {

using CheckList = std::shared_ptr<const std::vector<CheckConstraint>>;

class CheckRegistry {
 public:
  // The checks of `table_number`, in the order they were declared; null when none.
  CheckList Get(uint32_t table_number) const;
  // Replaces the table's checks (an empty list removes the entry).
  void Put(uint32_t table_number, std::vector<CheckConstraint> checks);
  void Remove(uint32_t table_number);
  // How many tables have checks.
  size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  absl::flat_hash_map<uint32_t, CheckList> tables_;
};

}  // namespace tenantdb
