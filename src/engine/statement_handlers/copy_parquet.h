// COPY with FORMAT parquet (DuckDB's spelling; PostgreSQL has no Parquet format): the
// file half of COPY t FROM 'f.parquet' and COPY t | (query) TO 'f.parquet', on top of
// storage/cold's ParquetReader and ParquetWriter (column types mapped as parquet_types.h
// says, INTERVAL columns named in the file's metadata).
//
//   CopyParquetIn   reads every row group of `path` into `load` (copy_load.h), which
//                   commits nothing until its Finish(). The file's columns are matched to
//                   the loaded columns BY NAME: a loaded column the file lacks, or a file
//                   column COPY does not load, is an error naming that column (22023, or
//                   42703 for the missing one), and so is a type that cannot be stored in
//                   the column (42804; assignment casts such as bigint -> integer run per
//                   value, and a value that does not fit names its row and column).
//   CopyParquetOut  pulls `source`'s batches into a new file at `path` and returns the rows
//                   written. A failure removes the partial file. The query's column names
//                   become the file's; a name given twice is 42701.
//
// Callers check the role (server files are for dba and system roles) before either.
// Thread safety: the session's thread only.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "engine/engine_statement.h"
#include "engine/statement_handlers/copy_load.h"

namespace tenantdb {

Status CopyParquetIn(const std::string& path, CopyLoad* load);

Result<uint64_t> CopyParquetOut(const std::string& path, EngineStatement* source);

}  // namespace tenantdb
