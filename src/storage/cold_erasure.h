// Cold erasure: removing a dropped table's Parquet files from disk. It owns
// TableStore::EraseDropped (defined in cold_erasure.cc) and the per-directory step below.
//
// DROP TABLE and DROP NAMESPACE ... CASCADE remove the table from the catalog and, in the
// same RocksDB batch, record a PendingErasure while keeping the table's manifests
// (persistent_catalog.h). A manifest exists for every directory that may hold one of the
// table's files, because a flush claims it (PersistentCatalog::ClaimManifest) before
// writing its first file there. The erasure job then, per dropped table, under the
// table's flush mutex (so a flush or compaction that began before the DROP finishes
// first, and one that begins after it sees the table gone and writes nothing):
//   1. for each manifest (one per user, or the SHARED table's one):
//      a. delete the files it lists (legacy names too) and every other file of the
//         table in that directory (unlisted or temporary: a crashed flush's);
//      b. remove the directory and its parents up to the storage base while empty;
//      c. delete the manifest (one batch);
//   2. range-delete the table's hot rows again (the DROP did, in a separate write that a
//      crash may have missed);
//   3. delete the PendingErasure record.
// A crash anywhere repeats at most the step it interrupted: every step is idempotent
// and a manifest goes only after its files. File names carry the table number, which is
// never reused, so nothing here can touch a live table's file, even in a directory that
// a re-created table of the same name (or another table whose template resolves to the
// same place) writes to.
//
// Thread safety: TableStore's.
#pragma once

#include <string>

#include "catalog/catalog_records.h"
#include "common/status.h"

namespace tenantdb {

// Step 1a and 1b for one directory: deletes the files `manifest` lists and every other
// file of table `table_number` in `directory`, then the directory and its empty parents
// below `base` (the storage's base directory). Returns how many files it deleted.
// Errors: io_error.
Result<size_t> EraseColdDirectory(const std::string& base, const std::string& directory,
                                  uint32_t table_number, const Manifest& manifest);

}  // namespace tenantdb
