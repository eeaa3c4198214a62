// Batch files: the Parquet files a flush or a compaction writes into one cold directory
// (one user of a USER table, or a SHARED table), named batch-<table>-<n>.parquet: the
// table number (never reused, even after DROP) and n from the (table, user) manifest
// (never reused either). So a file name is never used twice for different contents, a
// table re-created under a dropped one's name never writes a name the dropped one used,
// and tables whose path templates resolve to one directory never touch each other's
// files. Files named batch-<n>.parquet (written before the table number was part of the
// name) are still read through their manifests, but cleanup, not knowing their owner,
// never removes them unless a manifest lists them.
//
// Cold rows carry one system column besides the table's own: `_deleted` (BOOLEAN, NOT
// NULL). A flush writes the newest version of every primary key it moves out of
// RocksDB, deletes included, so a delete of a row that an older file still holds keeps
// hiding it after the tombstone leaves the hot store (the pitfall in issue 3).
//
// Durability (WriteBatchFile): rows go to batch-<n>.parquet.tmp, which is fsynced,
// renamed to its final name, and the directory fsynced, so after a crash a batch file
// is either whole or absent. Whether it counts is decided by the flush manifest alone:
// RemoveUnlistedFiles() deletes the table's temporary files and batch files the manifest
// does not name (written by a flush that crashed before its manifest update, or replaced
// by a compaction that crashed before deleting them).
//
// Thread safety: functions are independent; one flush writes a directory at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/cold/parquet_writer.h"
#include "types/batch.h"
#include "types/schema.h"

namespace tenantdb {

inline constexpr std::string_view kDeletedColumn = "_deleted";
// Key of the key/value metadata entry holding the table's schema version.
inline constexpr std::string_view kSchemaVersionKey = "tenantdb.schema_version";

// "batch-<table_number>-<batch_number>.parquet"
std::string BatchFileName(uint32_t table_number, uint64_t batch_number);
struct BatchFileId {
  uint32_t table_number = 0;
  uint64_t batch_number = 0;
  friend bool operator==(const BatchFileId&, const BatchFileId&) = default;
};
// The numbers in a batch file name; nullopt for any other name (legacy names included).
std::optional<BatchFileId> ParseBatchFileName(std::string_view name);

// The schema of cold files for a table schema: its fields (all but the primary key made
// nullable, since a delete marker carries only its key) plus `_deleted`.
std::shared_ptr<const Schema> ColdFileSchema(const Schema& table_schema);

// Writes `rows` (laid out as ColdFileSchema) durably as
// `directory`/BatchFileName(table_number, batch_number), creating the directory if
// needed (again, if the erasure of a dropped table removed it meanwhile). Errors:
// io_error; invalid_argument for rows that do not fit the schema. On error no file with
// the final name is left behind.
Status WriteBatchFile(const std::string& directory, uint32_t table_number, uint64_t batch_number,
                      const Batch& rows, uint32_t schema_version,
                      const ParquetWriterOptions& options = {});

// Deletes from `directory` table `table_number`'s temporary files and its batch files
// whose batch numbers are not in `listed` (absent directory: nothing to do); files of
// other tables and legacy names stay. Returns how many files it removed.
Result<size_t> RemoveUnlistedFiles(const std::string& directory, uint32_t table_number,
                                   const std::set<uint64_t>& listed);

// Removes `directory` and then each parent up to (not including) `stop_at` while they
// are empty; a directory that is not empty (or is being filled) ends the walk. `stop_at`
// must be a prefix of `directory`. Errors: none that matter (best effort, returns Ok).
Status RemoveEmptyDirectories(const std::string& directory, const std::string& stop_at);

// Makes a rename or creation in `directory` durable.
Status SyncDirectory(const std::string& directory);

}  // namespace tenantdb
