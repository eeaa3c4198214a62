// ReadAll: a public Cursor (include/tenantdb/result.h) read to its end into the
// QueryResult the result printer formats. The printer aligns columns, so it needs every
// row before printing; the statement itself still runs through the cursor.
// Thread safety: the cursor's (one thread).
#pragma once

#include "sql/exec/query_result.h"
#include "tenantdb/result.h"

namespace tenantdb::cli {

// Every row of `cursor`, its columns, command tag and row count. Errors: the cursor's;
// out_of_memory when the rows would take more than `max_bytes` (0: no bound), after
// closing the cursor.
Result<sql::QueryResult> ReadAll(Cursor& cursor, size_t max_bytes = 0);

}  // namespace tenantdb::cli
