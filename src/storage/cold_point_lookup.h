// Cold point lookup: the version of one primary key that one batch file holds, found by
// decoding only the pages that can hold it.
//
// A batch file's rows are in primary-key order (a flush writes them in RocksDB key
// order) and hold each key at most once. The lookup
//   1. skips row groups whose first key column's statistics exclude the key,
//   2. picks, through the page index (ColumnIndex bounds), the pages of the first key
//      column that may hold it, and binary-searches them (decoded pages come from the
//      ColdReadCache),
//   3. confirms the whole key by its encoded bytes (composite keys compare the other key
//      columns at the candidate rows),
//   4. reads every column of the one matching row from the page that holds it.
// Files without a page index (written before it existed, or by other writers) are read
// whole, as before. Cost with an index: O(log pages + log page rows) comparisons and, on
// a cold cache, one page decode per column.
//
// Thread safety: as the ColdReadCache (any thread; one reader per call).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/cold/cold_read_cache.h"
#include "storage/hot/hot_table.h"
#include "types/schema.h"
#include "types/value.h"

namespace tenantdb {

// The row of `file` (cache key `file_key`) whose primary key is `key` (values in key
// order; `key_bytes` their AppendKeyColumns encoding), in `layout`'s columns
// (ColdFileSchema of the table: its fields, then `_deleted`); nullopt when the file does
// not hold the key. Errors: io_error (the file is gone or unreadable), data_corrupted.
Result<std::optional<std::vector<Value>>> LookupColdRow(
    ColdReadCache& cache, const std::string& file_key, const std::string& path,
    const std::shared_ptr<const Schema>& layout, const HotTable& table,
    const std::vector<Value>& key, const std::string& key_bytes);

}  // namespace tenantdb
