// The files of a generated TPC-H data set: the table files (CSV with '|' between fields,
// no header, no quoting — no generated value holds '|', '"' or a line break — split into
// parts of at most `rows_per_file` rows so that a loader can take one part per
// statement) and `manifest.txt`, which lists them:
//
//   tpch-data 1            format version (kFormatVersion)
//   sf 0.01
//   seed 1
//   table lineitem 60175 lineitem.0.csv [lineitem.1.csv ...]
//
// tenantdb, DuckDB (tests/interop/duckdb_tpch.mjs) and SQLite all read the same files.
//
// Thread safety: one thread per object.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenantdb::cli::tpch {

// Raise it whenever the generator's output changes: runs reuse a data set only when its
// manifest has this version (and the same scale factor and seed).
inline constexpr int kFormatVersion = 1;

struct TableFiles {
  std::string table;
  uint64_t rows = 0;
  std::vector<std::string> files;  // names relative to the data directory
};

struct Manifest {
  double sf = 0;
  uint64_t seed = 0;
  std::vector<TableFiles> tables;
  const TableFiles* Find(std::string_view table) const;
};

Status WriteManifest(const std::string& dir, const Manifest& manifest);
// Fails (not_found) when the directory has no manifest of this format version.
Result<Manifest> ReadManifest(const std::string& dir);

// Writes one table's rows into `<dir>/<table>.<n>.csv`, a new part every `rows_per_file`
// rows. Fields are appended in column order, then EndRow().
class TableWriter {
 public:
  TableWriter(std::string dir, std::string table, uint64_t rows_per_file);
  ~TableWriter();
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;

  void Text(std::string_view value);
  void Int(int64_t value);
  // A decimal with two places from hundredths ("-12.05").
  void Money(int64_t cents);
  // YYYY-MM-DD from days since 1970-01-01.
  void Date(int32_t days);
  Status EndRow();
  // Flushes and closes the open part; the table's files and row count.
  Result<TableFiles> Finish();

 private:
  Status OpenPart();
  void Separator();

  std::string dir_;
  TableFiles files_;
  uint64_t rows_per_file_;
  uint64_t rows_in_part_ = 0;
  FILE* file_ = nullptr;
  std::string line_;
};

}  // namespace tenantdb::cli::tpch
