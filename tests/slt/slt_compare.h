// How slt_runner turns query results into sqllogictest text and compares them with a
// record's expectations. Kept apart from the runner so it is testable without an engine.
//
// Value formatting (SQLite's conventions, DuckDB's where SQLite has none):
//   NULL                      NULL
//   empty string              (empty)
//   BOOLEAN                   true / false (in any column)
//   `I` column                integers in decimal; REAL/DOUBLE truncated toward zero
//   `R` column                numbers with "%.3f"
//   `T` (or other) column     PostgreSQL's text output (Value::ToString)
//   control characters (< 0x20) in any value print as '@'
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "slt_parser.h"
#include "types/value.h"

namespace tenantdb::slt {

// `value` as printed in a column whose type letter is `type_letter`.
std::string FormatValue(const Value& value, char type_letter);

// Whether the error text `actual` ("code_name: message") satisfies `expected`: empty
// matches any error, "<REGEX>:re" / "<!REGEX>:re" a regex search (or its absence),
// anything else must be a substring.
bool ErrorMatches(const std::string& expected, const std::string& actual);

// Sorts `rows` for rowsort, then returns every value in order (sorted for valuesort).
std::vector<std::string> FlattenValues(std::vector<std::vector<std::string>>* rows, SortMode sort);

// The MD5 (hex) of the values, each followed by '\n': SQLite's result hash.
std::string HashValues(const std::vector<std::string>& values);

// Whether `record.expected` equals the actual result, given as `rows` (already sorted
// per the record) and `values` (FlattenValues of them). Expected lines may be one value
// per line or one row per line with tab-separated values (or, without tabs, values
// separated by runs of spaces). For rowsort and valuesort the expected side is sorted too.
bool ResultMatches(const Record& record, const std::vector<std::vector<std::string>>& rows,
                   const std::vector<std::string>& values, size_t columns);

}  // namespace tenantdb::slt
