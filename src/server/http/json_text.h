// JSON text for the HTTP API, written straight into a std::string (no DOM on the result
// path): strings, result cells and the value types a JavaScript client must read exactly.
//
//   NULL                    null
//   BOOLEAN                 true / false
//   SMALLINT, INT           a number
//   BIGINT                  a number within ±(2^53−1) (JavaScript's safe integers);
//                           beyond that a string of the decimal digits, so no digit is lost
//   REAL, DOUBLE            the shortest number that reads back exactly; NaN and ±Infinity
//                           (which JSON cannot spell) as "NaN", "Infinity", "-Infinity"
//   TEXT                    a string
//   JSON                    the JSON value itself (a stored text that does not parse as
//                           JSON comes back as a string)
//   BYTEA                   a string: standard base64 with '=' padding (RFC 4648 §4)
//   UUID                    a string, 8-4-4-4-12 lower-case hex
//   DATE                    "2024-01-31"
//   TIMESTAMP               "2024-01-31T12:00:00.5" style ISO 8601, no offset (wall clock)
//   TIMESTAMPTZ             "2024-01-31T12:00:00.5Z", UTC
//   INTERVAL                a string in PostgreSQL's output: "1 year 2 mons 3 days 04:05:06"
//
// Fractions of a second are printed with 3 digits when whole milliseconds, else 6; years
// outside 0000–9999 use ISO 8601's expanded form (+012345, -000001), which Date.parse reads.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tenantdb/result.h"
#include "tenantdb/role.h"
#include "tenantdb/value.h"

namespace tenantdb::server::http {

// Largest integer a JavaScript number holds exactly: 2^53 − 1.
inline constexpr int64_t kMaxSafeJsonInteger = (int64_t{1} << 53) - 1;

// Appends `text` as a JSON string literal. Bytes that are not valid UTF-8 become U+FFFD,
// so the output is always valid JSON.
void AppendJsonString(std::string_view text, std::string* out);

// Appends the cell (row, column) of `batch`, whose column type is `type`.
void AppendJsonCell(const RowBatch& batch, size_t row, size_t column, DataType type,
                    std::string* out);

// The cell `row` of a column view (RowBatch::ViewColumn), without the accessors' per-cell
// checks; AppendJsonCell writes these types through it. False (nothing appended) for a
// type the view does not carry (UUID, INTERVAL, NUMERIC, arrays): use AppendJsonCell.
bool AppendJsonViewCell(const RowBatch::ColumnView& view, size_t row, std::string* out);

// Appends row `row` of the column views as a JSON array ("[1,\"a\",null]"), written in
// place. False (nothing appended) when a view is of a type AppendJsonViewCell does not
// write, a JSON or BYTEA column, or the row is very large: append its cells one by one.
bool AppendJsonViewRow(std::span<const RowBatch::ColumnView> views, size_t row, std::string* out);

// Appends rows [first, end) as AppendJsonViewRow does, each after a comma but the first
// (it too when `comma_first`), and stops after the row that brings out->size() to
// `stop_bytes` or more. Returns the rows appended; fewer than asked (0 when it is
// `first`) means the stop was reached or the next row is one AppendJsonViewRow refuses:
// append that row cell by cell.
size_t AppendJsonViewRows(std::span<const RowBatch::ColumnView> views, size_t first, size_t end,
                          bool comma_first, size_t stop_bytes, std::string* out);

// Appends a result's "schema" array: [{"name":..,"data_type":..,"index":0},...]. The
// last array a thread wrote is kept and reused for the same columns: a keep-alive client
// mostly repeats its statements.
void AppendResultSchemaJson(const std::vector<Column>& columns, std::string* out);

// Appends one Value (the same encoding as a cell).
void AppendJsonValue(const Value& value, std::string* out);

// ISO 8601 text of microseconds since 1970-01-01 ("...Z" when `utc`), and of a day count.
std::string IsoTimestamp(int64_t micros, bool utc);
// IsoTimestamp() appended to `out`.
void AppendIsoTimestamp(int64_t micros, bool utc, std::string* out);
std::string IsoDate(int64_t days);

// Standard base64 with padding.
std::string Base64Padded(std::string_view bytes);

}  // namespace tenantdb::server::http
