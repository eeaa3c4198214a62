// TableStatsRecord: a table's statistics as the persistent catalog stores them — live
// row and user counts (checkpointed from the storage layer's in-memory counters, see
// storage/table_statistics_store.h) and the per-column figures the last ANALYZE
// computed. One record per table, in the catalog family under kind 0x0E + table number:
// a side record, never part of the cached TableEntry, created empty with the table and
// deleted in the batch that drops it.
//
// Layout of the value: [format = 1][rows: signed varint][users: signed varint]
// [counted_us: signed varint][analyzed_us: signed varint][analyzed_rows: signed varint]
// [column count: varint] then per column [column id: varint][distinct: 8 bytes LE
// double][null_fraction: 8 bytes LE double][flags: bit 0 min, bit 1 max][min][max],
// each value as [type byte][payload] (EncodeStatsValue below). Decoding never trusts
// the bytes (corruption, never a crash).
//
// Columns are keyed by their stable column id (types/field.h), so ALTER TABLE ADD /
// DROP / RENAME COLUMN needs no rewrite: readers map ids onto the current layout and a
// dropped column's figures are simply never looked up.
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "types/value.h"

namespace tenantdb {

struct ColumnStatsRecord {
  uint32_t column_id = 0;
  double distinct = -1;       // distinct non-NULL values; < 0: unknown
  double null_fraction = -1;  // of rows; < 0: unknown
  std::optional<Value> min;   // smallest / largest non-NULL value, when known
  std::optional<Value> max;

  friend bool operator==(const ColumnStatsRecord&, const ColumnStatsRecord&) = default;
};

struct TableStatsRecord {
  int64_t rows = -1;           // live rows of every user together; < 0: unknown
  int64_t users = -1;          // users holding rows (USER / STREAM tables); < 0: unknown
  int64_t counted_us = 0;      // when rows / users were last written (microseconds)
  int64_t analyzed_us = 0;     // when ANALYZE last ran; 0: never
  int64_t analyzed_rows = -1;  // rows ANALYZE read (the base of null_fraction)
  std::vector<ColumnStatsRecord> columns;  // from the last ANALYZE, by column id

  friend bool operator==(const TableStatsRecord&, const TableStatsRecord&) = default;
};

// The record of a table just created: no rows, and no users for a per-user table
// (users stays unknown, < 0, for a SHARED one).
inline TableStatsRecord EmptyTableStats(bool per_user) {
  TableStatsRecord r;
  r.rows = 0;
  r.users = per_user ? 0 : -1;
  return r;
}

std::string TableStatsKey(uint32_t table_number);
std::string EncodeTableStatsValue(const TableStatsRecord& record);
// Error corruption for bytes that do not decode.
Result<TableStatsRecord> DecodeTableStatsValue(std::string_view value);

// One value as the record stores it; false from the decoder for malformed bytes.
void EncodeStatsValue(const Value& value, std::string* out);
bool DecodeStatsValue(std::string_view* in, Value* out);

}  // namespace tenantdb
