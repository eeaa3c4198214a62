// MergeNewestWins: the read rule of tenantdb's two-tier storage. A table's rows live in
// several places — RocksDB (hot) and any number of Parquet batch files (cold) — and a
// primary key may have a version in more than one. The newest version wins, and when
// the newest version is a delete the key is gone, whatever older versions say.
//
// Input: row sets in the cold-file layout (the table's fields, then `_deleted`; see
// cold/batch_file.h), ordered newest first: the hot rows, then batch files from the
// highest batch number down. Within one set a key appears at most once (a flush writes
// one version per key; the hot store holds one per key). Output: the live rows in the
// table's layout, without `_deleted`, each key once, newest sets' rows first.
//
// Cost: O(total rows) time, and a hash set of the keys seen (their encoded bytes). It
// holds every row: compaction uses it (it rewrites a directory whole anyway); reads
// stream the same rule through MergeStream (merge_stream.h) in bounded memory.
// Thread safety: a pure function.
#pragma once

#include <vector>

#include "common/status.h"
#include "types/batch.h"
#include "types/schema.h"

namespace tenantdb {

// `table_schema` marks the primary key (Field::primary_key). Every input batch must
// hold the table's fields in order followed by a BOOLEAN `_deleted`. Errors:
// invalid_argument when a batch does not have that layout or the table has no key.
Result<Batch> MergeNewestWins(const std::vector<const Batch*>& newest_first,
                              const std::shared_ptr<const Schema>& table_schema);

}  // namespace tenantdb
