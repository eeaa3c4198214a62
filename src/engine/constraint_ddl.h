// UNIQUE and CHECK constraints: CREATE TABLE's, and what other DDL and the engine's open
// do with them.
//
// A UNIQUE constraint is a unique index (index_ddl.h) created with its table, named as
// PostgreSQL names it (`<table>_<columns>_key`) and marked as a constraint: writes
// enforce it like any unique index (hot and flushed rows, per user slice of a USER
// table), DROP INDEX refuses it (2BP01, as PostgreSQL), DROP TABLE and DROP COLUMN drop
// it. A CHECK constraint is bound at CREATE (PostgreSQL's refusals: subqueries,
// aggregates, window functions; also volatile functions), stored as text in the table's
// check record (catalog_records.h) and in the engine's CheckRegistry, and evaluated on
// every INSERT / UPDATE / COPY row (sql/exec/operators/write_support.h). Table, indexes
// and checks are one catalog write: a refused name or a crash leaves no table behind.
//
// Thread safety: as the DDL executor's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/ddl_executor.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace tenantdb {

// Whether CREATE TABLE declares UNIQUE or CHECK constraints (on columns or the table).
bool HasConstraints(const sql::CreateTableStmt& stmt);

// CREATE TABLE of `def` (columns, key and options checked by the caller; schema set)
// with the statement's constraints. Returns the stored definition. Errors: those of
// PersistentCatalog::CreateTableWithConstraints; undefined_column (a UNIQUE column, or a
// CHECK's), duplicate_column (a column twice in one UNIQUE), already_exists (a constraint
// name given twice), feature_not_supported (a UNIQUE array column), and Binder::BindCheck's.
Result<TableDefinition> CreateTableWithConstraints(const sql::CreateTableStmt& stmt,
                                                   TableDefinition def, const DdlContext& ctx);

// At open: every table's CHECK constraints into the engine's registry.
Status LoadChecks(Engine& db);

// DROP TABLE / DROP NAMESPACE: forgets the table's checks (the catalog's drop deleted
// the record in its batch).
void ForgetTableChecks(Engine& db, uint32_t table_number);

// DROP INDEX of `record`: dependent_objects_still_exist when it is a constraint's.
Status CheckIndexDroppable(const IndexRecord& record, const std::string& name);

// ALTER TABLE of table `table_number` from `before` to `after`: the checks it keeps
// (PostgreSQL drops a constraint with a column it reads), or nullopt when they do not
// change. Error: feature_not_supported for a renamed column a check reads (its text
// names the column).
Result<std::optional<std::vector<CheckConstraint>>> ChecksAfterAlter(Engine& db,
                                                                     uint32_t table_number,
                                                                     const Schema& before,
                                                                     const Schema& after);
// Adds the table's new check record (none when `checks` is empty) to an ALTER's batch;
// PublishChecks puts them in the registry once that batch is written.
void StageChecks(Engine& db, rocksdb::WriteBatch* batch, uint32_t table_number,
                 const std::vector<CheckConstraint>& checks);
void PublishChecks(Engine& db, uint32_t table_number, std::vector<CheckConstraint> checks);

// The table's constraints for \d and SHOW CREATE TABLE: "CONSTRAINT name UNIQUE (cols)"
// per UNIQUE (in creation order), then "CONSTRAINT name CHECK (condition)" per CHECK (in
// declaration order).
std::vector<std::string> ConstraintDefinitions(Engine& db, const TableEntry& table);

}  // namespace tenantdb
