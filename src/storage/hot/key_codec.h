// Key codec: the order-preserving byte encoding of hot-row keys in the RocksDB `rows`
// family (see kv/kv_store.h). Comparing two encoded keys with memcmp gives the same
// answer as comparing what they encode, so a range of primary keys is a range of bytes.
//
//   row key = [table_number: 4 bytes big-endian]
//             [user id, escaped and terminated]      USER and STREAM tables only
//             [primary-key column 1][column 2]...     in the schema's field order
//
// Every part is self-delimiting, so the bytes of (table) and of (table, user) are prefixes
// of exactly that table's or that user's keys: one user's rows of one table are one
// contiguous range, and no user's range overlaps another's ("a" vs "ab" vs "a\0b").
//
// Byte strings (user ids, TEXT, BYTEA, JSON) are escaped: 0x00 becomes 0x00 0xFF and the
// string ends with 0x00 0x01. The terminator sorts below every escaped byte, so "a" < "ab"
// and a shorter string never collides with a longer one (the scheme of CockroachDB and
// FoundationDB's tuple layer). Primary-key columns are NOT NULL, so there is no NULL
// marker. Per type:
//   BOOLEAN                      1 byte, 0 or 1
//   SMALLINT/INT/BIGINT, DATE,   big-endian two's complement of the column's width with
//   TIMESTAMP, TIMESTAMPTZ       the sign bit flipped (negative < positive)
//   REAL, DOUBLE                 IEEE bits, all bits flipped when negative, else the sign
//                                bit flipped; -0.0 is written as 0.0 and every NaN as one
//                                canonical NaN, which sorts after +infinity
//   TEXT, BYTEA, JSON            escaped and terminated as above
//   UUID                         the 16 raw bytes
//
// Thread safety: pure functions. Cost: linear in the bytes written or read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "types/column_vector.h"
#include "types/data_type.h"
#include "types/value.h"

namespace tenantdb {

// The 4-byte prefix shared by every key of table `table_number`.
std::string EncodeTablePrefix(uint32_t table_number);

// The prefix shared by every key of `user_id`'s rows in table `table_number`.
std::string EncodeUserPrefix(uint32_t table_number, std::string_view user_id);

// Appends the escaped, terminated form of `bytes` to `out`.
void AppendEscapedBytes(std::string_view bytes, std::string* out);

// Appends the order-preserving encoding of `value` as a key column of type `type`.
// Errors: type_mismatch when value.type() != type; invalid_argument for NULL.
Status AppendKeyColumn(DataType type, const Value& value, std::string* out);

// invalid_argument unless there is one value per key column (a whole key, not a prefix).
Status CheckWholeKey(std::span<const DataType> types, size_t values);

// Appends the key columns `values` (one per entry of `types`, or fewer: a prefix of
// the key, as range bounds use) to `out`. Errors as AppendKeyColumn, and
// invalid_argument for more values than key columns.
Status AppendKeyColumns(std::span<const DataType> types, std::span<const Value> values,
                        std::string* out);

// Appends the encoding of row `row` of `column` as a key column of the column's type,
// exactly as AppendKeyColumn would for column.GetValue(row), without building a Value:
// the merge of flushed rows encodes every row's key this way. Error: invalid_argument
// for a NULL (a key column never holds one).
Status AppendKeyColumnAt(const ColumnVector& column, size_t row, std::string* out);

// Decodes the key columns of `types` from `encoded`, which must hold exactly them (the
// part of a row key after the table/user prefix). Error: data_corrupted.
Result<std::vector<Value>> DecodeKeyColumns(std::span<const DataType> types,
                                            std::string_view encoded);

// Decodes the user id right after a table prefix in `key` and sets `*rest` to the bytes
// after it. Error: data_corrupted.
Result<std::string> DecodeUserId(std::string_view key, std::string_view* rest);

// The smallest string greater than every string that starts with `prefix`; empty when
// there is none (the prefix is all 0xFF bytes or empty), meaning "no upper bound".
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace tenantdb
