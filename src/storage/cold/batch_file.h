// Batch files: the Parquet files a flush writes into one cold directory (one user of a
// USER table, or a SHARED table), named batch-<n>.parquet with n counting up from 0.
//
// Cold rows carry one system column besides the table's own: `_deleted` (BOOLEAN, NOT
// NULL). A flush writes the newest version of every primary key it moves out of
// RocksDB, deletes included, so a delete of a row that an older file still holds keeps
// hiding it after the tombstone leaves the hot store (the pitfall in issue 3).
//
// Durability (WriteBatchFile): rows go to batch-<n>.parquet.tmp, which is fsynced,
// renamed to its final name, and the directory fsynced, so after a crash a batch file
// is either whole or absent. Whether it counts is decided by the flush manifest alone:
// RemoveUnlistedFiles() deletes temporary files and batch files the manifest does not
// name (written by a flush that crashed before its manifest update).
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

// "batch-<n>.parquet"
std::string BatchFileName(uint64_t batch_number);
// The batch number in a batch file name; nullopt for any other name.
std::optional<uint64_t> ParseBatchFileName(std::string_view name);

// The schema of cold files for a table schema: its fields (all but the primary key made
// nullable, since a delete marker carries only its key) plus `_deleted`.
std::shared_ptr<const Schema> ColdFileSchema(const Schema& table_schema);

// Writes `rows` (laid out as ColdFileSchema) durably as `directory`/batch-<n>.parquet,
// creating the directory if needed. Errors: io_error; invalid_argument for rows that do
// not fit the schema. On error no file with the final name is left behind.
Status WriteBatchFile(const std::string& directory, uint64_t batch_number, const Batch& rows,
                      uint32_t schema_version, const ParquetWriterOptions& options = {});

// Deletes *.tmp files and batch files whose numbers are not in `listed` from
// `directory` (absent directory: nothing to do). Returns how many files it removed.
Result<size_t> RemoveUnlistedFiles(const std::string& directory, const std::set<uint64_t>& listed);

// Makes a rename or creation in `directory` durable.
Status SyncDirectory(const std::string& directory);

}  // namespace tenantdb
