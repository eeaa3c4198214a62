// Result printing for `tenantdb shell` and `tenantdb sql`: a QueryResult as an aligned
// table (psql's look), an expanded table (psql's \x), CSV or JSON, and a failed
// statement's Status as
//
//   ERROR:  syntax_error (42601): syntax error at or near "FRM" at position 10
//   LINE 1: SELECT * FRM t
//                    ^
//
// (the LINE/caret part only when the message holds `at position N`, N being the 1-based
// character in the statement text given).
//
// Table format: a header centered over each column, a `---+---` separator, numbers
// right-aligned and everything else left-aligned, NULL as TableOptions::null_text (empty
// by default, as in psql), a cell holding line breaks spread over several lines with `+`
// at the end of each continued line, then `(N rows)`. Widths are terminal columns
// (display_width.h: CJK and emoji take two). Expanded: one `-[ RECORD n ]` block per row,
// `name | value` lines. Statements that return no rows print their command tag
// ("CREATE TABLE", "INSERT 0 1").
//
// CSV: RFC 4180 — a header line, fields quoted when they hold a comma, quote or line
// break; NULL is an empty field and the empty string a quoted one ("") so the two stay
// apart, as in PostgreSQL's CSV COPY. JSON: one object per result on one line,
//   {"columns":[{"name":"id","type":"BIGINT"}],"rows":[[1,"a"]],"row_count":1,"tag":"SELECT 1"}
// with values encoded as the HTTP API encodes them (server/http/json_text.h): BIGINTs
// beyond ±(2^53−1) as strings, JSON columns as JSON, BYTEA as base64, ISO 8601 times.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cli/display_width.h"
#include "common/status.h"
#include "sql/exec/query_result.h"

namespace tenantdb::cli {

enum class OutputFormat { kTable, kCsv, kJson };

// Parses "table" / "csv" / "json"; nullopt otherwise.
std::optional<OutputFormat> ParseOutputFormat(std::string_view text);

// The table format's settings (psql's \pset null, \x).
struct TableOptions {
  std::string null_text;  // what a NULL cell shows
  bool expanded = false;  // FormatExpanded instead of FormatTable
};

// The text to print for `result` in `format`, ending with a newline.
std::string FormatResult(const sql::QueryResult& result, OutputFormat format,
                         const TableOptions& table = {});

// Each part on its own.
std::string FormatTable(const sql::QueryResult& result, const TableOptions& options = {});
std::string FormatExpanded(const sql::QueryResult& result, const TableOptions& options = {});
std::string FormatCsv(const sql::QueryResult& result);
std::string FormatJson(const sql::QueryResult& result);

// The result's notices as psql prints them, `NOTICE:  <text>` one per line ("" when none);
// printed to stderr, before the result.
std::string FormatNotices(const sql::QueryResult& result);

// `ERROR:  <code_name> (<SQLSTATE>): <message>` and, when the message holds
// `at position N` and `statement` is given, the statement line holding character N
// with a caret under it. Ends with a newline.
std::string FormatError(const Status& status, std::string_view statement = {});

// The N of the last `at position N` in `message`, if any.
std::optional<size_t> ErrorPosition(std::string_view message);

// `Time: 1.234 ms`, with a newline.
std::string FormatTiming(double milliseconds);

}  // namespace tenantdb::cli
