// CREATE [UNIQUE] INDEX and DROP INDEX, and what other DDL and the engine's open do with
// indexes (the DDL executor's index statements; storage/hot/hot_index.h has the entry
// layout and storage/table_store.h the build).
//
// CREATE INDEX records the index (not ready) in the catalog, registers it with the hot
// store under the table's closed RekeyGate (so every write from then on maintains it and
// every earlier write is visible to the build), builds it over the existing hot and
// flushed rows as an `index_build` job (system.jobs), checks UNIQUE over the complete
// index, and marks it ready; only then may the planner read it. A failed build drops
// the index again (record and entries). A crash during the build leaves it unready: the
// next open drops it (LoadIndexes), as PostgreSQL rolls back an interrupted CREATE
// INDEX. DROP TABLE drops the table's indexes in its own batch; ALTER TABLE ... DROP
// COLUMN drops the indexes that use the column, as PostgreSQL does; RENAME keeps them
// (indexes name columns by id).
//
// Thread safety: as the DDL executor's.
#pragma once

#include <string>
#include <vector>

#include "engine/ddl_executor.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace tenantdb {

Result<sql::QueryResult> CreateIndex(const sql::CreateIndexStmt& stmt, const DdlContext& ctx);
Result<sql::QueryResult> DropIndexes(const sql::DropIndexStmt& stmt, const DdlContext& ctx);

// At open: registers every built index with the hot store and drops the unbuilt ones.
Status LoadIndexes(Engine& db);

// DROP TABLE of `table`: adds the removal of its indexes (records and entries) to the
// drop's batch; ForgetTableIndexes unregisters them once the batch is written.
void StageDropTableIndexes(Engine& db, rocksdb::WriteBatch* batch, const TableDefinition& table);
void ForgetTableIndexes(Engine& db, uint32_t table_number);

// After ALTER TABLE made `schema` the table's current one: drops the indexes of a
// column it no longer has.
Status DropIndexesOfDroppedColumns(Engine& db, const TableId& table, uint32_t table_number,
                                   const Schema& schema);

// The indexes of a table (for \d, SHOW CREATE TABLE and system.tables): one
// "CREATE [UNIQUE] INDEX name ON ns.table (cols)" per index, in index-number order
// (a UNIQUE constraint's index is listed with the constraints, constraint_ddl.h).
std::vector<std::string> IndexDefinitions(Engine& db, const TableEntry& table);

}  // namespace tenantdb
