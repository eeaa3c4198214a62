// CopyFormat: how COPY's data is laid out — PostgreSQL's text and CSV formats and their
// options — validated from the statement's option list (ast/copy.h).
//
//   text  one row per line; fields split by DELIMITER (default tab); NULL is `\N`;
//         backslash escapes (\t \n \r \\ \b \f \v \ooo \xhh, \<anything> is itself)
//   csv   RFC 4180 with PostgreSQL's options: DELIMITER (','), QUOTE ('"'), ESCAPE (the
//         quote), NULL (the unquoted empty string), HEADER, FORCE_QUOTE (cols | *) on
//         output, FORCE_NOT_NULL / FORCE_NULL (cols) on input
//
//   parquet  (DuckDB's spelling; PostgreSQL has no such format) a Parquet file on the
//         server, read and written by storage/cold's reader and writer
//         (engine/statement_handlers/copy_parquet.h); files only, no other options
//
// Errors (all SQLSTATE 22023 invalid_parameter_value or 42601 syntax_error, as
// PostgreSQL): an unknown option, an option given twice, a delimiter / quote / escape that
// is not one single-byte character, the delimiter inside the NULL string, options of CSV
// with the text format, FORCE_QUOTE on COPY FROM, FORCE_NOT_NULL on COPY TO.
//
// Thread safety: values.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "sql/parser/ast/copy.h"

namespace tenantdb::sql {

enum class CopyFormatKind : uint8_t { kText, kCsv, kBinary, kParquet };

struct CopyFormat {
  CopyFormatKind kind = CopyFormatKind::kText;
  char delimiter = '\t';
  std::string null_string = "\\N";
  char quote = '"';
  char escape = '"';
  bool header = false;
  // Column names as the options gave them (resolved against the copied columns later).
  bool force_quote_all = false;
  std::vector<std::string> force_quote;
  std::vector<std::string> force_not_null;
  std::vector<std::string> force_null;

  bool csv() const { return kind == CopyFormatKind::kCsv; }
};

// The format `options` describe for a COPY FROM (`is_from`) or TO.
Result<CopyFormat> ParseCopyFormat(const std::vector<CopyOption>& options, bool is_from);

}  // namespace tenantdb::sql
