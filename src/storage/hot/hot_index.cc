#include "storage/hot/hot_index.h"

#include <algorithm>
#include <mutex>

#include "storage/hot/key_codec.h"

namespace tenantdb {

namespace {

constexpr char kValueMarker = 0x01;
constexpr char kNullMarker = 0x02;  // after every value: NULLS LAST

// NUMERIC by value, whatever the scale (1.0 and 1.00 are one key, as PostgreSQL's btree
// has them equal): trailing zeros are dropped, so the value is 0.d1d2...dn × 10^E with
// d1 != 0 and dn != 0, and encodes as
//   zero      0x02
//   positive  0x03, E + 128, then 0x01 + d per digit, then 0x00
//   negative  0x01, 127 - E, then 0x0A - d per digit, then 0xFF
// A larger exponent is a larger magnitude; at equal exponents the digits compare as
// strings, and the terminator (below every digit byte for positives, above for
// negatives) orders a prefix right: 0.12 < 0.123 but -0.12 > -0.123. The terminators
// also make each encoding end where it says, so the columns after it compare as they
// should. |unscaled| < 10^38 and 0 <= scale <= 38 keep E within [-37, 76].
void AppendOrderedNumeric(const Numeric& v, std::string* out) {
  if (v.unscaled == 0) {
    out->push_back(0x02);
    return;
  }
  const bool negative = v.unscaled < 0;
  unsigned __int128 m = negative ? -static_cast<unsigned __int128>(v.unscaled)
                                 : static_cast<unsigned __int128>(v.unscaled);
  int scale = v.scale;
  while (m % 10 == 0) {
    m /= 10;
    --scale;
  }
  std::string digits;
  for (; m > 0; m /= 10)
    digits.push_back(static_cast<char>('0' + static_cast<int>(m % 10)));
  std::reverse(digits.begin(), digits.end());
  const int exponent = static_cast<int>(digits.size()) - scale;
  out->push_back(negative ? 0x01 : 0x03);
  out->push_back(static_cast<char>(negative ? 127 - exponent : exponent + 128));
  for (char d : digits)
    out->push_back(static_cast<char>(negative ? 0x0A - (d - '0') : 0x01 + (d - '0')));
  out->push_back(static_cast<char>(negative ? 0xFF : 0x00));
}

// INTERVAL by PostgreSQL's span (IntervalSpan: 30-day months), so '1 month' and
// '30 days' are one key as they are equal there: 16 bytes big-endian, sign bit flipped.
void AppendOrderedInterval(const Interval& v, std::string* out) {
  const unsigned __int128 bits =
      static_cast<unsigned __int128>(IntervalSpan(v)) ^ (static_cast<unsigned __int128>(1) << 127);
  for (int shift = 120; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>(static_cast<uint8_t>(bits >> shift)));
}

}  // namespace

HotIndexList HotIndexRegistry::Get(uint32_t table_number) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it = by_table_.find(table_number);
  return it == by_table_.end() ? nullptr : it->second;
}

void HotIndexRegistry::Put(const HotIndex& index) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto next = std::make_shared<std::vector<HotIndex>>();
  if (auto it = by_table_.find(index.table_number); it != by_table_.end()) *next = *it->second;
  bool replaced = false;
  for (HotIndex& i : *next) {
    if (i.index_number == index.index_number) {
      i = index;
      replaced = true;
    }
  }
  if (!replaced) next->push_back(index);
  by_table_[index.table_number] = std::move(next);
}

void HotIndexRegistry::Remove(uint32_t table_number, uint32_t index_number) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto it = by_table_.find(table_number);
  if (it == by_table_.end()) return;
  auto next = std::make_shared<std::vector<HotIndex>>();
  for (const HotIndex& i : *it->second)
    if (i.index_number != index_number) next->push_back(i);
  if (next->empty()) {
    by_table_.erase(it);
  } else {
    it->second = std::move(next);
  }
}

void HotIndexRegistry::RemoveTable(uint32_t table_number) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  by_table_.erase(table_number);
}

std::optional<HotIndex> HotIndexRegistry::Find(uint32_t table_number, uint32_t index_number) const {
  HotIndexList list = Get(table_number);
  if (list == nullptr) return std::nullopt;
  for (const HotIndex& i : *list)
    if (i.index_number == index_number) return i;
  return std::nullopt;
}

Result<std::vector<size_t>> IndexColumnPositions(const HotIndex& index, const Schema& schema) {
  std::vector<size_t> positions;
  positions.reserve(index.column_ids.size());
  for (uint32_t id : index.column_ids) {
    bool found = false;
    for (size_t c = 0; c < schema.num_fields(); ++c) {
      if (schema.field(c).id == id) {
        positions.push_back(c);
        found = true;
        break;
      }
    }
    if (!found) {
      return Status(ErrorCode::kUndefinedColumn,
                    "a column of index \"" + index.name + "\" no longer exists");
    }
  }
  return positions;
}

std::string IndexEntryPrefix(uint32_t index_number, const UserId* user) {
  if (user == nullptr || user->empty()) return EncodeTablePrefix(index_number);
  return EncodeUserPrefix(index_number, user->str());
}

Status AppendIndexColumn(DataType type, const Value& value, std::string* out) {
  if (value.is_null()) {
    out->push_back(kNullMarker);
    return Status::Ok();
  }
  out->push_back(kValueMarker);
  if (type == DataType::kNumeric && value.type() == DataType::kNumeric) {
    AppendOrderedNumeric(value.as_numeric(), out);
    return Status::Ok();
  }
  if (type == DataType::kInterval && value.type() == DataType::kInterval) {
    AppendOrderedInterval(value.as_interval(), out);
    return Status::Ok();
  }
  return AppendKeyColumn(type, value, out);
}

Result<std::string> IndexEntryKey(std::string_view prefix, const Schema& schema,
                                  const std::vector<size_t>& positions,
                                  const std::vector<Value>& row, std::string_view pk_bytes,
                                  bool* has_null) {
  std::string key(prefix);
  bool null = false;
  for (size_t p : positions) {
    if (p >= row.size()) return Status(ErrorCode::kInvalidArgument, "row too short for its index");
    null = null || row[p].is_null();
    TDB_RETURN_IF_ERROR(AppendIndexColumn(schema.field(p).type, row[p], &key));
  }
  key.append(pk_bytes);
  if (has_null != nullptr) *has_null = null;
  return key;
}

Result<std::pair<std::string, std::string>> IndexRangeKeys(std::string_view base,
                                                           const std::vector<DataType>& types,
                                                           const IndexRange& range) {
  auto encode = [&](const HotKeyBound& bound) -> Result<std::string> {
    if (bound.key.size() > types.size()) {
      return Status(ErrorCode::kInvalidArgument, "an index bound has too many columns");
    }
    std::string out(base);
    for (size_t i = 0; i < bound.key.size(); ++i)
      TDB_RETURN_IF_ERROR(AppendIndexColumn(types[i], bound.key[i], &out));
    return out;
  };
  std::string start(base), end = PrefixSuccessor(base);
  if (range.first) {
    TDB_ASSIGN_OR_RETURN(std::string b, encode(*range.first));
    start = range.first->inclusive ? b : PrefixSuccessor(b);
  }
  const size_t upper_columns = range.second ? range.second->key.size() : 0;
  if (range.second) {
    TDB_ASSIGN_OR_RETURN(std::string b, encode(*range.second));
    end = range.second->inclusive ? PrefixSuccessor(b) : b;
  }
  if (range.first && range.first->key.size() == upper_columns + 1) {
    // The last lower column has no upper bound: stop before its NULLs.
    HotKeyBound prefix{range.first->key, true};
    prefix.key.pop_back();
    TDB_ASSIGN_OR_RETURN(std::string nulls, encode(prefix));
    nulls.push_back(kNullMarker);
    if (nulls < end) end = std::move(nulls);
  }
  return std::make_pair(std::move(start), std::move(end));
}

std::string IndexKeyText(const Schema& schema, const std::vector<size_t>& positions,
                         const std::vector<Value>& row) {
  std::string names, values;
  for (size_t i = 0; i < positions.size(); ++i) {
    names += (i > 0 ? ", " : "") + schema.field(positions[i]).name;
    values += (i > 0 ? ", " : "") + row[positions[i]].ToString();
  }
  return "(" + names + ")=(" + values + ")";
}

}  // namespace tenantdb
