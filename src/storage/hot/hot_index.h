// Secondary indexes in the hot store: what an index is (HotIndex), the registry of the
// indexes every write must maintain (HotIndexRegistry), and the byte layout of index
// entries in the RocksDB `rows` family.
//
// Entry layout (order-preserving, like key_codec.h's row keys):
//
//   key   = [index_number: 4 bytes big-endian]
//           [user id, escaped and terminated]          USER and STREAM tables only
//           [indexed column 1][column 2]...            each: 0x01 + key_codec encoding
//                                                      (NUMERIC, INTERVAL: hot_index.cc's
//                                                      own), or 0x02 alone for NULL
//           [primary-key columns]                      key_codec encoding
//   value = [primary-key columns]                      the same bytes, so a reader gets the
//                                                      row's key without parsing the key
//
// Index numbers come from the catalog's table-number counter, so an index's entries
// are one contiguous range no table's rows ever share, and one user's entries of one
// index are a contiguous range too (a lookup for alice never sees bob's entries). NULL
// sorts after every value (PostgreSQL's default NULLS LAST) and a NULL entry is never a
// duplicate: UNIQUE allows several NULLs, as PostgreSQL does. The primary key makes every
// entry distinct, so entries of equal values are adjacent and ordered by key.
//
// Entries are hints that a reader re-checks: an entry is valid only while the row its
// primary key names is live and encodes to exactly that entry key (IndexEntryKey). Writes
// delete the entry of the row's old values (hot or flushed) in the batch that writes the
// new one, so stale entries are rare (a backfill racing an update can leave one); readers
// and the UNIQUE check ignore them.
//
// Thread safety: the registry may be used from any thread; the codec is pure functions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"
#include "ids/identifier.h"
#include "types/data_type.h"
#include "types/schema.h"
#include "types/value.h"

namespace tenantdb {

// A bound of a key-range scan: the first key.size() primary-key columns (a prefix of the
// key is allowed: {5} on a (a, b) key bounds every row with a = 5). Index reads use it
// for a prefix of the index's columns.
struct HotKeyBound {
  std::vector<Value> key;
  bool inclusive = true;
};

// One secondary index of one table.
struct HotIndex {
  uint32_t index_number = 0;  // prefixes its entries; never a table's number
  uint32_t table_number = 0;
  std::string name;  // unqualified; unique among the indexes of the table's namespace
  bool unique = false;
  bool constraint = false;  // a UNIQUE constraint's index (catalog_records.h)
  // Built: every live row has its entry, so the planner may read it. Writers maintain an
  // index from the moment it is registered, built or not.
  bool ready = false;
  std::vector<uint32_t> column_ids;  // Field::id of the indexed columns, in index order

  friend bool operator==(const HotIndex&, const HotIndex&) = default;
};

using HotIndexList = std::shared_ptr<const std::vector<HotIndex>>;

// The indexes of every table, in memory (loaded from the catalog at open, changed by
// CREATE / DROP INDEX). HotStore::ApplyGroups reads it once per table written, inside
// the table's RekeyGate pass: CREATE INDEX registers under a closed gate, so a write
// either finished before the registration (and the backfill sees its row) or maintains
// the index.
class HotIndexRegistry {
 public:
  // The table's indexes; null when it has none.
  HotIndexList Get(uint32_t table_number) const;
  // Adds `index`, or replaces the one with its index_number.
  void Put(const HotIndex& index);
  void Remove(uint32_t table_number, uint32_t index_number);
  void RemoveTable(uint32_t table_number);
  // The index numbered `index_number`, if registered.
  std::optional<HotIndex> Find(uint32_t table_number, uint32_t index_number) const;

 private:
  mutable std::shared_mutex mu_;
  absl::flat_hash_map<uint32_t, HotIndexList> by_table_;  // guarded by mu_
};

// Positions in `schema` of the index's columns. Error: undefined_column when one was
// dropped (the caller drops the index with it).
Result<std::vector<size_t>> IndexColumnPositions(const HotIndex& index, const Schema& schema);

// The prefix of every entry of `user` (null or empty for SHARED tables) in the index.
std::string IndexEntryPrefix(uint32_t index_number, const UserId* user);

// Appends one indexed column: 0x02 for NULL, else 0x01 and AppendKeyColumn's bytes — or,
// for NUMERIC and INTERVAL (which primary keys cannot hold), an order-preserving encoding
// in which values PostgreSQL calls equal (1.0 and 1.00; '1 month' and '30 days') have the
// same bytes, so equality lookups and UNIQUE agree with PostgreSQL's btree.
Status AppendIndexColumn(DataType type, const Value& value, std::string* out);

// The entry key of `row` (the table's values in `schema` order): `prefix`, the columns at
// `positions`, then `pk_bytes` (the row's encoded primary key). `*has_null` (if given)
// says whether an indexed value is NULL.
Result<std::string> IndexEntryKey(std::string_view prefix, const Schema& schema,
                                  const std::vector<size_t>& positions,
                                  const std::vector<Value>& row, std::string_view pk_bytes,
                                  bool* has_null = nullptr);

// One range of an index read: bounds on a prefix of the index's columns (HotKeyBound;
// absent: open). A lower bound one column longer than the upper one (or than nothing)
// bounds that column from below only, as `a = 1 AND b > 5` does.
using IndexRange = std::pair<std::optional<HotKeyBound>, std::optional<HotKeyBound>>;

// The entry keys [start, end) of `range` under `base` (IndexEntryPrefix) for an index
// whose columns have `types`. A comparison never accepts NULL, so a column bounded
// from below only ends before its NULL entries (which sort last) instead of reading
// them. Error: invalid_argument when a bound has more columns than the index.
Result<std::pair<std::string, std::string>> IndexRangeKeys(std::string_view base,
                                                           const std::vector<DataType>& types,
                                                           const IndexRange& range);

// "(email)=(a@example.com)": the columns and values of an index, as PostgreSQL's DETAIL.
std::string IndexKeyText(const Schema& schema, const std::vector<size_t>& positions,
                         const std::vector<Value>& row);

}  // namespace tenantdb
