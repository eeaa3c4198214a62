// Change codec: how the change log's records are laid out in the RocksDB `changes` family
// (common/kv_store.h).
//
//   key   = [slice prefix][seq: 8 bytes big-endian]
//           slice prefix = key_codec's table prefix (SHARED) or user prefix (USER,
//           STREAM): the same bytes that start the slice's rows in the `rows` family, so
//           one slice's records are one contiguous range in sequence order, one table's
//           records (all users) are the range of its table prefix, and a DROP deletes
//           them with one range delete.
//   value = [format: 1 byte = 1][type: 1 byte, ChangeType]
//           [commit micros: varint][key length: varint][encoded key columns]
//           [new row length: varint][new row: row_codec's live row, header included]
//           [old row length: varint][old row: row_codec's live row, or empty]
//
// The rows are stored exactly as the rows family stores them (row_codec.h: schema
// version, write time, column values), so the writer copies bytes it has already
// encoded, and a reader decodes them like a hot row — through the schema version they
// were written under, projected onto the table's current columns.
//
// Thread safety: pure functions. Cost: linear in the bytes written or read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/hot/hot_table.h"
#include "tenantdb/changes.h"

namespace tenantdb {

// Record bytes before decoding: views into the value they were parsed from.
struct EncodedChange {
  ChangeType type = ChangeType::kInsert;
  int64_t commit_micros = 0;
  std::string_view key_columns;  // key_codec's AppendKeyColumns bytes
  std::string_view new_row;      // empty for a delete
  std::string_view old_row;      // empty when unknown or an insert
};

// The key of record `seq` of the slice starting with `slice_prefix`.
std::string ChangeKey(std::string_view slice_prefix, uint64_t seq);
// The sequence number at the end of a change key, and the slice prefix before it.
// Error: data_corrupted for a key shorter than a sequence number.
Result<uint64_t> ChangeKeySeq(std::string_view key, std::string_view* slice_prefix = nullptr);

// Appends the value bytes of `change` to `out`.
void EncodeChangeValue(const EncodedChange& change, std::string* out);
// Parses a value; the views point into `value`. Error: data_corrupted.
Result<EncodedChange> ParseChangeValue(std::string_view value);

// Decodes a parsed record of `table` into the public shape: key values, and rows in the
// table's current layout (older schema versions through table.lookup()). Errors:
// data_corrupted, and those of DecodeRow (a schema version the table does not know).
Result<ChangeRecord> DecodeChange(const HotTable& table, uint64_t seq, const EncodedChange& change);

}  // namespace tenantdb
