// QueryResult: what one executed SQL statement gives back — its rows (for SELECT,
// RETURNING, SHOW, EXPLAIN, ...) in columnar Batches, and PostgreSQL's command tag.
//
//   SELECT ...            tag "SELECT <n>",  rows
//   INSERT ...            tag "INSERT 0 <n>", rows only with RETURNING
//   UPDATE / DELETE       tag "UPDATE <n>" / "DELETE <n>", rows only with RETURNING
//   CREATE TABLE, BEGIN.. tag "CREATE TABLE", "BEGIN", ...; no rows
//
// `schema` names and types the result's columns (names may repeat, as in
// `SELECT 1 AS a, 2 AS a`); every batch has that schema. Statements that return no rows
// have a null schema and no batches. Result sinks (the shell, the sqllogictest runner,
// the servers) read it through num_rows()/Get() or batch by batch.
//
// Thread safety: a value; not synchronized.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "types/batch.h"
#include "types/schema.h"
#include "types/value.h"

namespace tenantdb::sql {

struct QueryResult {
  std::string command_tag;               // PostgreSQL's, e.g. "SELECT 2", "INSERT 0 1"
  std::shared_ptr<const Schema> schema;  // null when the statement returns no rows
  std::vector<Batch> batches;
  uint64_t rows_affected = 0;  // INSERT/UPDATE/DELETE: rows written; SELECT: rows returned
  // PostgreSQL's NOTICE messages: what the statement did that the user may not expect
  // (e.g. the type a CREATE TABLE without TYPE chose). Informational, never errors.
  std::vector<std::string> notices;

  bool returns_rows() const { return schema != nullptr; }
  size_t num_columns() const { return schema ? schema->num_fields() : 0; }
  size_t num_rows() const;
  // Value of `column` in result row `row` (0-based across batches). O(number of batches)
  // to find the batch; iterate `batches` directly in hot loops.
  Value Get(size_t row, size_t column) const;
};

}  // namespace tenantdb::sql
