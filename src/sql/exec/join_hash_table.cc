#include "sql/exec/join_hash_table.h"

#include <algorithm>
#include <cassert>

#include "sql/exec/exec_context.h"
#include "sql/exec/integer_key.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/row_key.h"

namespace tenantdb::sql {

namespace {

// Row `row`'s key bytes; false when a key is NULL.
bool KeyBytes(const std::vector<const ColumnVector*>& keys, size_t row, std::string* out) {
  out->clear();
  for (const ColumnVector* c : keys) {
    if (c->IsNull(row)) return false;
    AppendKeyValue(*c, row, out);
  }
  return true;
}

}  // namespace

Status JoinHashTable::Build(const std::vector<const ColumnVector*>& keys, size_t rows,
                            const std::vector<DataType>& probe_types,
                            const std::function<Status()>& poll) {
  assert(keys.size() == probe_types.size());
  const size_t n = rows;
  assert(
      std::all_of(keys.begin(), keys.end(), [n](const ColumnVector* k) { return k->size() == n; }));
  assert(n < kEnd);
  // Integer keys of one type on both sides compare as their values; any other pair of
  // types goes through key bytes, as before.
  integer_ =
      keys.size() == 1 && IsIntegerLike(keys[0]->type()) && probe_types[0] == keys[0]->type();
  next_.assign(n, kEnd);
  // Backwards, so that each chain ends up ascending.
  std::string key;
  size_t since_poll = 0;
  for (size_t i = n; i-- > 0;) {
    if (++since_poll == kCheckEveryRows) {
      since_poll = 0;
      TDB_RETURN_IF_ERROR(poll());
    }
    const auto row = static_cast<uint32_t>(i);
    if (integer_) {
      if (keys[0]->IsNull(i)) continue;
      auto [it, inserted] = by_integer_.try_emplace(IntegerAt(*keys[0], i), row);
      if (!inserted) {
        next_[i] = it->second;
        it->second = row;
      }
      continue;
    }
    if (!KeyBytes(keys, i, &key)) continue;
    auto [it, inserted] = by_bytes_.try_emplace(key, row);
    if (inserted) {
      key_heap_bytes_ += StringHeapBytes(it->first);
    } else {
      next_[i] = it->second;
      it->second = row;
    }
  }
  return Status::Ok();
}

uint32_t JoinHashTable::Find(const std::vector<const ColumnVector*>& probe, size_t row,
                             std::string* scratch) const {
  if (integer_) {
    assert(probe.size() == 1 && IsIntegerLike(probe[0]->type()));  // Build's probe_types
    if (probe[0]->IsNull(row)) return kEnd;
    auto it = by_integer_.find(IntegerAt(*probe[0], row));
    return it == by_integer_.end() ? kEnd : it->second;
  }
  if (!KeyBytes(probe, row, scratch)) return kEnd;
  auto it = by_bytes_.find(*scratch);
  return it == by_bytes_.end() ? kEnd : it->second;
}

size_t JoinHashTable::MemoryBytes() const {
  return next_.capacity() * sizeof(uint32_t) + key_heap_bytes_ +
         HashSlotsBytes(by_integer_.capacity(), sizeof(std::pair<int64_t, uint32_t>)) +
         HashSlotsBytes(by_bytes_.capacity(), sizeof(std::pair<std::string, uint32_t>));
}

}  // namespace tenantdb::sql
