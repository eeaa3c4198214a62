#include "types/column_vector.h"

#include <cassert>
#include <cstring>
#include <type_traits>
#include <variant>

namespace tenantdb {

ColumnVector::ColumnVector(DataType type) : type_(type) {
  if (IsArray(type)) {
    offsets_.push_back(0);
    return;
  }
  switch (type) {
    case DataType::kBoolean:
      fixed_.emplace<std::vector<uint8_t>>();
      break;
    case DataType::kSmallInt:
      fixed_.emplace<std::vector<int16_t>>();
      break;
    case DataType::kInt:
    case DataType::kDate:
      fixed_.emplace<std::vector<int32_t>>();
      break;
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      fixed_.emplace<std::vector<int64_t>>();
      break;
    case DataType::kReal:
      fixed_.emplace<std::vector<float>>();
      break;
    case DataType::kDouble:
      fixed_.emplace<std::vector<double>>();
      break;
    case DataType::kUuid:
      fixed_.emplace<std::vector<Uuid>>();
      break;
    case DataType::kInterval:
      fixed_.emplace<std::vector<Interval>>();
      break;
    case DataType::kNumeric:
      fixed_.emplace<std::vector<Numeric>>();
      break;
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      offsets_.push_back(0);
      break;
  }
}

void ColumnVector::Reserve(size_t rows) {
  validity_.reserve((rows + 7) / 8);
  std::visit(
      [rows](auto& v) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) v.reserve(rows);
      },
      fixed_);
  if (IsVariableWidth(type_)) offsets_.reserve(rows + 1);
}

size_t ColumnVector::MemoryBytes() const {
  size_t bytes = validity_.capacity() + offsets_.capacity() * sizeof(uint32_t) + bytes_.capacity();
  std::visit(
      [&bytes](const auto& v) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
          bytes += v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type);
        }
      },
      fixed_);
  return bytes;
}

void ColumnVector::MarkValid(bool valid) {
  if ((size_ & 7) == 0) validity_.push_back(0);
  if (valid) {
    validity_.back() |= static_cast<uint8_t>(1u << (size_ & 7));
  } else {
    ++null_count_;
  }
  ++size_;
}

void ColumnVector::MarkValidRange(size_t n) {
  const size_t end = size_ + n;
  validity_.resize((end + 7) / 8, 0);
  size_t row = size_;
  for (; row < end && (row & 7) != 0; ++row)
    validity_[row >> 3] |= static_cast<uint8_t>(1u << (row & 7));
  const size_t full_bytes = (end - row) / 8;
  if (full_bytes > 0) {
    std::memset(validity_.data() + (row >> 3), 0xFF, full_bytes);
    row += full_bytes * 8;
  }
  for (; row < end; ++row)
    validity_[row >> 3] |= static_cast<uint8_t>(1u << (row & 7));
  size_ = end;
}

void ColumnVector::AppendNulls(size_t n) {
  if (n == 0) return;
  std::visit(
      [n](auto& v) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
          v.resize(v.size() + n);
        }
      },
      fixed_);
  if (IsVariableWidth(type_)) offsets_.insert(offsets_.end(), n, offsets_.back());
  // Bits past size_ are still 0 (MarkValid sets only valid rows' bits): new rows are NULL.
  validity_.resize((size_ + n + 7) / 8, 0);
  size_ += n;
  null_count_ += n;
}

void ColumnVector::AppendNull() {
  switch (IsArray(type_) ? DataType::kText : type_) {
    case DataType::kReal:
    case DataType::kDouble:
      AppendDouble(0);
      break;
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      AppendBytes({});
      break;
    case DataType::kUuid:
      AppendUuid(Uuid{});
      break;
    case DataType::kInterval:
      AppendInterval(Interval{});
      break;
    case DataType::kNumeric:
      AppendNumeric(Numeric{});
      break;
    default:
      AppendInt64(0);
      break;
  }
  // Undo the validity bit the typed append set.
  --size_;
  validity_.back() &= static_cast<uint8_t>(~(1u << (size_ & 7)));
  ++size_;
  ++null_count_;
}

void ColumnVector::AppendInt64(int64_t v) {
  switch (type_) {
    case DataType::kBoolean:
      std::get<std::vector<uint8_t>>(fixed_).push_back(v != 0);
      break;
    case DataType::kSmallInt:
      std::get<std::vector<int16_t>>(fixed_).push_back(static_cast<int16_t>(v));
      break;
    case DataType::kInt:
    case DataType::kDate:
      std::get<std::vector<int32_t>>(fixed_).push_back(static_cast<int32_t>(v));
      break;
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      std::get<std::vector<int64_t>>(fixed_).push_back(v);
      break;
    default:
      assert(false && "AppendInt64 on a non-integer column");
      return;
  }
  MarkValid(true);
}

void ColumnVector::AppendDouble(double v) {
  if (type_ == DataType::kReal) {
    std::get<std::vector<float>>(fixed_).push_back(static_cast<float>(v));
  } else {
    std::get<std::vector<double>>(fixed_).push_back(v);
  }
  MarkValid(true);
}

void ColumnVector::AppendBytes(std::string_view v) {
  assert(IsVariableWidth(type_));
  bytes_.append(v);
  offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
  MarkValid(true);
}

void ColumnVector::AppendUuid(const Uuid& v) {
  std::get<std::vector<Uuid>>(fixed_).push_back(v);
  MarkValid(true);
}

void ColumnVector::AppendInterval(const Interval& v) {
  std::get<std::vector<Interval>>(fixed_).push_back(v);
  MarkValid(true);
}

void ColumnVector::AppendNumeric(const Numeric& v) {
  std::get<std::vector<Numeric>>(fixed_).push_back(v);
  MarkValid(true);
}

void ColumnVector::Append(const Value& value) {
  assert(value.type() == type_);
  if (value.is_null()) return AppendNull();
  if (IsArray(type_)) return AppendBytes(value.as_bytes());
  switch (type_) {
    case DataType::kReal:
    case DataType::kDouble:
      return AppendDouble(value.as_double());
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      return AppendBytes(value.as_bytes());
    case DataType::kUuid:
      return AppendUuid(value.as_uuid());
    case DataType::kInterval:
      return AppendInterval(value.as_interval());
    case DataType::kNumeric:
      return AppendNumeric(value.as_numeric());
    default:
      return AppendInt64(value.as_int64());
  }
}

void ColumnVector::AppendFrom(const ColumnVector& other, size_t row) {
  assert(other.type_ == type_);
  if (other.IsNull(row)) return AppendNull();
  std::visit(
      [&](auto& mine) {
        using Vector = std::decay_t<decltype(mine)>;
        if constexpr (std::is_same_v<Vector, std::monostate>) {
          AppendBytes(other.bytes(row));
        } else {
          mine.push_back(std::get<Vector>(other.fixed_)[row]);
          MarkValid(true);
        }
      },
      fixed_);
}

const void* ColumnVector::fixed_data() const {
  return std::visit(
      [](const auto& v) -> const void* {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
          return nullptr;
        } else {
          return v.data();
        }
      },
      fixed_);
}

void ColumnVector::AppendRows(const ColumnVector& other, std::span<const uint32_t> rows) {
  assert(other.type_ == type_);
  const size_t base = size_;
  std::visit(
      [&](auto& mine) {
        using Vector = std::decay_t<decltype(mine)>;
        if constexpr (std::is_same_v<Vector, std::monostate>) {
          offsets_.reserve(offsets_.size() + rows.size());
          size_t total = 0;  // one allocation for the bytes, not one per doubling
          for (uint32_t r : rows)
            total += other.offsets_[r + 1] - other.offsets_[r];
          bytes_.reserve(bytes_.size() + total);
          for (uint32_t r : rows) {
            bytes_.append(other.bytes(r));
            offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
          }
          MarkValidRange(rows.size());
        } else {
          const Vector& theirs = std::get<Vector>(other.fixed_);
          const size_t old = mine.size();
          mine.resize(old + rows.size());
          auto* out = mine.data() + old;
          for (size_t i = 0; i < rows.size(); ++i)
            out[i] = theirs[rows[i]];
          MarkValidRange(rows.size());
        }
      },
      fixed_);
  if (other.null_count_ == 0) return;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!other.IsNull(rows[i])) continue;
    // NULL rows keep their zero or empty placeholder (other's already is one).
    validity_[(base + i) >> 3] &= static_cast<uint8_t>(~(1u << ((base + i) & 7)));
    ++null_count_;
  }
}

Value ColumnVector::GetValue(size_t row) const {
  if (IsNull(row)) return Value::Null(type_);
  if (IsArray(type_)) return Value::Array(ElementType(type_), std::string(bytes(row)));
  switch (type_) {
    case DataType::kBoolean:
      return Value::Boolean(values<uint8_t>()[row] != 0);
    case DataType::kSmallInt:
      return Value::SmallInt(values<int16_t>()[row]);
    case DataType::kInt:
      return Value::Int(values<int32_t>()[row]);
    case DataType::kDate:
      return Value::Date(values<int32_t>()[row]);
    case DataType::kBigInt:
      return Value::BigInt(values<int64_t>()[row]);
    case DataType::kTimestamp:
      return Value::Timestamp(values<int64_t>()[row]);
    case DataType::kTimestampTz:
      return Value::TimestampTz(values<int64_t>()[row]);
    case DataType::kReal:
      return Value::Real(values<float>()[row]);
    case DataType::kDouble:
      return Value::Double(values<double>()[row]);
    case DataType::kText:
      return Value::Text(std::string(bytes(row)));
    case DataType::kBytea:
      return Value::Bytea(std::string(bytes(row)));
    case DataType::kJson:
      return Value::Json(std::string(bytes(row)));
    case DataType::kUuid:
      return Value::FromUuid(values<Uuid>()[row]);
    case DataType::kInterval:
      return Value::FromInterval(values<Interval>()[row]);
    case DataType::kNumeric:
      return Value::FromNumeric(values<Numeric>()[row]);
  }
  return Value::Null(type_);
}

}  // namespace tenantdb
