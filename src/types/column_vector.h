// ColumnVector: the values of one column for a run of rows, stored by type.
//
// Fixed-width types sit in a typed std::vector (see data_type.h for which C++ type);
// TEXT, BYTEA and JSON sit in one byte buffer with size()+1 offsets (value i is
// bytes[offsets[i], offsets[i+1])). A validity bitmap, one bit per row (least significant
// bit first, as Arrow and Parquet), says which rows hold a value; a NULL row keeps a zero
// or empty placeholder so positions line up.
//
// Thread safety: not synchronized; share a ColumnVector only once nobody appends to it.
#pragma once

#include <cassert>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "types/data_type.h"
#include "types/value.h"

namespace tenantdb {

class ColumnVector {
 public:
  explicit ColumnVector(DataType type);

  DataType type() const { return type_; }
  size_t size() const { return size_; }
  size_t null_count() const { return null_count_; }
  void Reserve(size_t rows);
  // Heap bytes the vector holds (capacities), for caches that budget memory.
  size_t MemoryBytes() const;

  void AppendNull();
  // Appends `n` NULLs at once (columns a scan was not asked for).
  void AppendNulls(size_t n);
  // `value` must have this column's type (or be NULL); the caller converts first.
  void Append(const Value& value);
  // Typed appends for code that produces values in bulk; each must match type().
  void AppendInt64(int64_t v);           // BOOLEAN, integers, DATE, TIMESTAMP[TZ]
  void AppendDouble(double v);           // REAL, DOUBLE
  void AppendBytes(std::string_view v);  // TEXT, BYTEA, JSON
  void AppendUuid(const Uuid& v);
  void AppendInterval(const Interval& v);
  void AppendNumeric(const Numeric& v);
  // Appends row `row` of `other`, which has the same type (NULL stays NULL).
  void AppendFrom(const ColumnVector& other, size_t row);
  // Appends rows rows[0], rows[1], ... of `other` (same type): a typed gather, one
  // dispatch for the whole run instead of one per row.
  void AppendRows(const ColumnVector& other, std::span<const uint32_t> rows);

  // Bulk appends for kernels that write many values: `n` valid rows whose values the
  // caller writes through the returned span (T as values<T>() has it, zero-filled), then
  // SetNull<T> for the rows that are NULL. Far cheaper than `n` typed appends.
  template <typename T>
  std::span<T> AppendValid(size_t n) {
    std::vector<T>& v = std::get<std::vector<T>>(fixed_);
    const size_t old = v.size();
    assert(old == size_);
    v.resize(old + n);
    MarkValidRange(n);
    return std::span<T>(v.data() + old, n);
  }
  // Row `row`, appended valid, becomes NULL (its placeholder zero, as AppendNull's).
  template <typename T>
  void SetNull(size_t row) {
    assert(row < size_ && !IsNull(row));
    std::get<std::vector<T>>(fixed_)[row] = T{};
    validity_[row >> 3] &= static_cast<uint8_t>(~(1u << (row & 7)));
    ++null_count_;
  }

  bool IsNull(size_t row) const { return (validity_[row >> 3] >> (row & 7) & 1) == 0; }
  // Value at `row` (NULL-aware); allocates for byte types: for tests and slow paths.
  Value GetValue(size_t row) const;

  // Typed access to the stored values: T is uint8_t (BOOLEAN), int16_t, int32_t (INT,
  // DATE), int64_t (BIGINT, TIMESTAMP[TZ]), float, double, Uuid, Interval or Numeric.
  template <typename T>
  std::span<const T> values() const {
    return std::get<std::vector<T>>(fixed_);
  }
  std::string_view bytes(size_t row) const {
    return std::string_view(bytes_).substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
  }
  const std::vector<uint8_t>& validity() const { return validity_; }
  // Variable-width types: size()+1 offsets into all_bytes() (see the header comment).
  const std::vector<uint32_t>& offsets() const { return offsets_; }
  const std::string& all_bytes() const { return bytes_; }
  // Fixed-width types: the values' array (as values<T>().data()), null for byte types.
  const void* fixed_data() const;

 private:
  void MarkValid(bool valid);
  // Appends `n` valid rows' bits.
  void MarkValidRange(size_t n);

  DataType type_;
  size_t size_ = 0;
  size_t null_count_ = 0;
  std::vector<uint8_t> validity_;
  std::variant<std::monostate, std::vector<uint8_t>, std::vector<int16_t>, std::vector<int32_t>,
               std::vector<int64_t>, std::vector<float>, std::vector<double>, std::vector<Uuid>,
               std::vector<Interval>, std::vector<Numeric>>
      fixed_;
  std::vector<uint32_t> offsets_;  // variable-width types only
  std::string bytes_;
};

}  // namespace tenantdb
