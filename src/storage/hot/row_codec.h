// Row codec: the bytes of one hot-row value in the RocksDB `rows` family.
//
//   [format = 1][schema_version: varint][kind: 1 live, 2 tombstone][write micros: varint]
//   live rows only: [null bitmap: ceil(fields / 8) bytes, bit i (LSB first) = field i is
//                    NULL][each non-NULL value in the field order of that schema version]
//
// Values: BOOLEAN one byte; SMALLINT/INT/BIGINT, DATE and the timestamps little-endian of
// their width; REAL/DOUBLE their IEEE bits little-endian; TEXT/BYTEA/JSON a varint length
// then the bytes; UUID 16 raw bytes. A row keeps the schema version it was written under,
// so after an ALTER TABLE it is decoded with that version's schema and then projected BY
// COLUMN ID (field.h) onto the current one: columns added since read as their missing
// value or NULL, dropped columns are skipped (and stay unreadable even if a new column
// takes their name), renamed ones keep their values, a column whose type widened
// (SMALLINT -> INT -> BIGINT, REAL -> DOUBLE) is converted. The write time is kept for STREAM
// tables' TTL.
//
// Decoding never trusts the bytes: anything malformed is data_corrupted, never a crash.
// Thread safety: pure functions; RowProjection is immutable once built.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "types/column_vector.h"
#include "types/schema.h"
#include "types/value.h"

namespace tenantdb {

enum class RowKind : uint8_t { kLive = 1, kTombstone = 2 };

// The schema of an older version of a table; the caller (the catalog) supplies it.
// Error: not_found for a version the table never had.
using SchemaLookup = std::function<Result<std::shared_ptr<const Schema>>(uint32_t schema_version)>;

struct RowHeader {
  uint32_t schema_version = 0;
  RowKind kind = RowKind::kLive;
  int64_t write_micros = 0;
};

// Encodes a live row of `schema` (version `schema_version`). Errors: invalid_argument
// for a wrong number of values; type_mismatch for a value whose type is not its
// column's; invalid_argument for NULL in a NOT NULL column (as Batch::AppendRow).
Result<std::string> EncodeLiveRow(const Schema& schema, uint32_t schema_version,
                                  const std::vector<Value>& row, int64_t write_micros);
std::string EncodeTombstone(uint32_t schema_version, int64_t write_micros);
// EncodeLiveRow in two parts: the header, and the body (null bitmap and values) appended
// to `*body` — a row encoded before its write time is known (a transaction's pending
// rows) is header + body. AppendRowBody's errors are EncodeLiveRow's.
std::string EncodeLiveHeader(uint32_t schema_version, int64_t write_micros);
Status AppendRowBody(const Schema& schema, const std::vector<Value>& row, std::string* body);

// Reads the header and sets `*body` (if given) to the bytes after it. Error: data_corrupted.
Result<RowHeader> DecodeRowHeader(std::string_view bytes, std::string_view* body = nullptr);

// Decodes the body of a live row written under `stored`, in its field order.
// Error: data_corrupted.
Result<std::vector<Value>> DecodeRowBody(std::string_view body, const Schema& stored);

// Decodes the body of a live row written under `stored` straight into `columns` (one
// per field of `stored`, of its types), without building Values: the scan fast path.
// On error (data_corrupted) the columns may hold part of the row.
// `wanted` (empty: every column) marks the columns to decode; the others get NULL
// (projection pushdown: their bytes are skipped, never copied). A null entry of
// `columns` skips that column entirely (nothing appended).
Status DecodeRowBodyInto(std::string_view body, const Schema& stored,
                         std::span<ColumnVector*> columns, const std::vector<bool>& wanted = {});

// Maps rows of one schema version onto another by column id. Build once per pair of
// versions and reuse for every row.
class RowProjection {
 public:
  // Error: type_mismatch when a column changed to a type it cannot be widened from.
  static Result<RowProjection> Make(const Schema& from, const Schema& to);
  // The identity projection for rows already in `schema`'s layout.
  static RowProjection Identity(const Schema& schema);

  // `row` is in `from`'s layout; the result in `to`'s.
  std::vector<Value> Apply(std::vector<Value> row) const;

 private:
  struct Column {
    std::optional<size_t> source;  // nullopt: added since, reads as `missing`
    DataType type;                 // `to`'s type
    Value missing = Value::Null(DataType::kText);
  };
  std::vector<Column> columns_;
  bool identity_ = false;
};

// A decoded hot row, in the current schema's layout. Tombstones carry no values.
struct DecodedRow {
  RowHeader header;
  std::vector<Value> values;
};

// Decodes `bytes` and projects a live row onto `current` (version `current_version`),
// asking `lookup` for the schema of an older version. Errors: data_corrupted; not_found
// when the row's version is unknown (or newer than current); type_mismatch as
// RowProjection::Make.
Result<DecodedRow> DecodeRow(std::string_view bytes, const Schema& current,
                             uint32_t current_version, const SchemaLookup& lookup);

// Varints (LEB128), shared with the key and store code. GetVarint64 advances `*in`
// and returns false on truncated or overlong input.
void PutVarint64(uint64_t v, std::string* out);
bool GetVarint64(std::string_view* in, uint64_t* v);

}  // namespace tenantdb
