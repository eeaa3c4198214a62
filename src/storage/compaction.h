// Compaction: rewrites the batch files of one cold directory (one user of a USER table,
// or a SHARED table) as one file holding the newest version of each key and no deleted
// rows. It owns TableStore::Compact and the automatic policy's step in TableStore::Flush
// (both defined in compaction.cc) and the pure merge below.
//
// Why every file at once: a delete marker in a batch file hides older versions in older
// files. When all of a directory's files are merged, nothing older than the output
// remains in cold storage, so the markers can go with the rows they hid; hot rows are
// newer than every cold version and are not touched. The output takes the next batch
// number, so later flushes still sort after it (newest-wins reads go by batch number).
//
// Crash safety (TableStore::CompactUser, under the table's flush mutex):
//   1. remove files the manifest does not list (left by a crashed flush or compaction);
//   2. read the listed files and merge them;
//   3. write the new file durably under its final name (tmp, fsync, rename, fsync dir);
//   4. in ONE RocksDB batch, remove the old files from the manifest and add the new one;
//   5. delete the old files.
// A crash before 4 leaves an unlisted new file (removed by step 1 of the next flush or
// compaction of the directory); a crash after 4 leaves unlisted old files (likewise).
// Reads only ever use listed files, so nothing is lost or resurrected at any point.
//
// Readers racing step 5 may have listed an old file before step 4 and find it gone;
// TableStore retries such reads from the new manifest (compactions_committed_).
//
// Cost: the directory's rows are read into memory (as a full read of that user is).
// Thread safety: TableStore's.
#pragma once

#include <memory>
#include <vector>

#include "common/status.h"
#include "storage/hot/hot_table.h"
#include "types/batch.h"
#include "types/schema.h"

namespace tenantdb {

// The newest live version of every key across `newest_first` (batches in the cold-file
// layout of `table`'s current schema, newest first, one version per key within each),
// sorted by encoded primary key, in the cold-file layout with `_deleted` false.
// Errors: invalid_argument for batches of another layout.
Result<Batch> CompactRows(const std::vector<const Batch*>& newest_first, const HotTable& table);

}  // namespace tenantdb
