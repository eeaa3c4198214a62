#include "storage/hot/hot_index.h"

#include <mutex>

#include "storage/hot/key_codec.h"

namespace tenantdb {

namespace {

constexpr char kValueMarker = 0x01;
constexpr char kNullMarker = 0x02;  // after every value: NULLS LAST

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
