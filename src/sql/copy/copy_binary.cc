#include "sql/copy/copy_binary.h"

#include <cstring>

#include "common/utf8.h"
#include "sql/function/text_input.h"
#include "tables/pg_catalog/pg_oids.h"
#include "tenantdb/array.h"
#include "types/array_value.h"
#include "types/numeric.h"

namespace tenantdb {

namespace {

constexpr int64_t kPgEpochDays = 10957;  // 2000-01-01 in days since 1970-01-01
constexpr int64_t kPgEpochMicros = kPgEpochDays * 86'400'000'000;

void PutBigEndian(uint64_t v, size_t bytes, std::string* out) {
  for (size_t i = bytes; i > 0; --i)
    out->push_back(static_cast<char>(v >> (8 * (i - 1))));
}

uint64_t GetBigEndian(std::string_view bytes) {
  uint64_t v = 0;
  for (char c : bytes)
    v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

void AppendValueBytes(const ColumnVector& c, size_t row, std::string* out);

// An array in PostgreSQL's array_send format: int4 dimensions (0 for an empty array, else
// 1), int4 has-NULLs flag, the element type's OID, then per dimension int4 length and
// int4 lower bound (1), then each element as int4 length (-1 for NULL) and its bytes.
void AppendArrayBytes(DataType element, std::string_view encoded, std::string* out) {
  Result<std::vector<Value>> elements = DecodeArray(element, encoded);
  ColumnVector column(element);
  bool has_null = false;
  if (elements.ok()) {
    for (const Value& v : *elements) {
      column.Append(v);
      has_null = has_null || v.is_null();
    }
  }
  PutBigEndian(column.size() == 0 ? 0 : 1, 4, out);
  PutBigEndian(has_null ? 1 : 0, 4, out);
  PutBigEndian(static_cast<uint32_t>(PgTypeOf(element).oid), 4, out);
  if (column.size() == 0) return;
  PutBigEndian(column.size(), 4, out);
  PutBigEndian(1, 4, out);
  for (size_t i = 0; i < column.size(); ++i) {
    if (column.IsNull(i)) {
      PutBigEndian(0xFFFFFFFFu, 4, out);
      continue;
    }
    const size_t at = out->size();
    out->append(4, '\0');
    AppendValueBytes(column, i, out);
    const uint32_t length = static_cast<uint32_t>(out->size() - at - 4);
    for (int b = 0; b < 4; ++b)
      (*out)[at + b] = static_cast<char>(length >> (8 * (3 - b)));
  }
}

// The array of `type` in `bytes` (array_recv's input, one dimension).
Result<Value> ArrayFromPgBinary(std::string_view bytes, DataType type) {
  const DataType element = ElementType(type);
  auto bad = [&] {
    return Status(ErrorCode::kInvalidTextRepresentation,
                  "incorrect binary data format: a " + std::string(DataTypeName(type)) +
                      " field of " + std::to_string(bytes.size()) + " bytes");
  };
  auto take = [&](size_t n, std::string_view* part) {
    if (bytes.size() < n) return false;
    *part = bytes.substr(0, n);
    bytes.remove_prefix(n);
    return true;
  };
  std::string_view ndim, flags, oid, length, lower;
  if (!take(4, &ndim) || !take(4, &flags) || !take(4, &oid)) return bad();
  const uint64_t dims = GetBigEndian(ndim);
  if (dims > 1) {
    return Status(ErrorCode::kFeatureNotSupported, "multidimensional arrays are not supported");
  }
  std::vector<Value> elements;
  if (dims == 1) {
    if (!take(4, &length) || !take(4, &lower)) return bad();
    const uint64_t n = GetBigEndian(length);
    if (n > bytes.size() / 4) return bad();
    for (uint64_t i = 0; i < n; ++i) {
      std::string_view size, value;
      if (!take(4, &size)) return bad();
      if (GetBigEndian(size) == 0xFFFFFFFFu) {
        elements.push_back(Value::Null(element));
        continue;
      }
      if (!take(GetBigEndian(size), &value)) return bad();
      TDB_ASSIGN_OR_RETURN(Value v, ValueFromPgBinary(value, element));
      elements.push_back(std::move(v));
    }
  }
  if (!bytes.empty()) return bad();
  return MakeArrayValue(element, elements);
}

// The value of a non-NULL row in PostgreSQL's send format.
void AppendValueBytes(const ColumnVector& c, size_t row, std::string* out) {
  if (IsArray(c.type())) return AppendArrayBytes(ElementType(c.type()), c.bytes(row), out);
  switch (c.type()) {
    case DataType::kBoolean:
      out->push_back(c.values<uint8_t>()[row] != 0 ? 1 : 0);
      return;
    case DataType::kSmallInt:
      PutBigEndian(static_cast<uint16_t>(c.values<int16_t>()[row]), 2, out);
      return;
    case DataType::kInt:
      PutBigEndian(static_cast<uint32_t>(c.values<int32_t>()[row]), 4, out);
      return;
    case DataType::kBigInt:
      PutBigEndian(static_cast<uint64_t>(c.values<int64_t>()[row]), 8, out);
      return;
    case DataType::kReal: {
      uint32_t bits = 0;
      const float f = c.values<float>()[row];
      std::memcpy(&bits, &f, 4);
      PutBigEndian(bits, 4, out);
      return;
    }
    case DataType::kDouble: {
      uint64_t bits = 0;
      const double d = c.values<double>()[row];
      std::memcpy(&bits, &d, 8);
      PutBigEndian(bits, 8, out);
      return;
    }
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      out->append(c.bytes(row));
      return;
    case DataType::kDate:
      PutBigEndian(static_cast<uint32_t>(c.values<int32_t>()[row] - kPgEpochDays), 4, out);
      return;
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      PutBigEndian(static_cast<uint64_t>(c.values<int64_t>()[row] - kPgEpochMicros), 8, out);
      return;
    case DataType::kUuid: {
      const Uuid& u = c.values<Uuid>()[row];
      out->append(reinterpret_cast<const char*>(u.data()), u.size());
      return;
    }
    case DataType::kInterval: {
      const Interval& v = c.values<Interval>()[row];
      PutBigEndian(static_cast<uint64_t>(v.micros), 8, out);
      PutBigEndian(static_cast<uint32_t>(v.days), 4, out);
      PutBigEndian(static_cast<uint32_t>(v.months), 4, out);
      return;
    }
    case DataType::kNumeric:
      AppendNumericPgBinary(c.values<Numeric>()[row], out);
      return;
  }
}

Status Incorrect(DataType type, size_t size) {
  return Status(ErrorCode::kInvalidTextRepresentation,
                "incorrect binary data format: a " + std::string(DataTypeName(type)) +
                    " field of " + std::to_string(size) + " bytes");
}

}  // namespace

namespace sql {

void AppendBinaryCopyHeader(std::string* out) {
  out->append(kBinaryCopySignature);
  PutBigEndian(0, 4, out);  // flags
  PutBigEndian(0, 4, out);  // header extension length
}

void AppendBinaryCopyTuple(const Batch& batch, size_t row, std::string* out) {
  PutBigEndian(static_cast<uint16_t>(batch.num_columns()), 2, out);
  for (size_t c = 0; c < batch.num_columns(); ++c) {
    const ColumnVector& column = batch.column(c);
    if (column.IsNull(row)) {
      PutBigEndian(0xFFFFFFFFu, 4, out);
      continue;
    }
    const size_t at = out->size();
    out->append(4, '\0');
    AppendValueBytes(column, row, out);
    const uint32_t length = static_cast<uint32_t>(out->size() - at - 4);
    for (int i = 0; i < 4; ++i)
      (*out)[at + i] = static_cast<char>(length >> (8 * (3 - i)));
  }
}

void AppendBinaryCopyTrailer(std::string* out) {
  PutBigEndian(0xFFFF, 2, out);
}

}  // namespace sql

std::string ArrayToPgBinary(const Value& array) {
  std::string out;
  AppendArrayBytes(ElementType(array.type()), array.as_bytes(), &out);
  return out;
}

std::string NumericToPgBinary(const Numeric& v) {
  std::string out;
  AppendNumericPgBinary(v, &out);
  return out;
}

Result<Numeric> NumericFromText(std::string_view text) {
  return ParseNumeric(text);
}

Result<Value> ValueFromPgBinary(std::string_view bytes, DataType type) {
  using sql::kEndDateDays;
  using sql::kMinDateDays;
  using sql::kMinTimestampMicros;
  if (IsArray(type)) return ArrayFromPgBinary(bytes, type);
  const size_t n = bytes.size();
  auto need = [&](size_t size) { return n == size ? Status::Ok() : Incorrect(type, n); };
  switch (type) {
    case DataType::kBoolean:
      TDB_RETURN_IF_ERROR(need(1));
      return Value::Boolean(bytes[0] != 0);  // as PostgreSQL's boolrecv
    case DataType::kSmallInt:
      TDB_RETURN_IF_ERROR(need(2));
      return Value::SmallInt(static_cast<int16_t>(GetBigEndian(bytes)));
    case DataType::kInt:
      TDB_RETURN_IF_ERROR(need(4));
      return Value::Int(static_cast<int32_t>(GetBigEndian(bytes)));
    case DataType::kBigInt:
      TDB_RETURN_IF_ERROR(need(8));
      return Value::BigInt(static_cast<int64_t>(GetBigEndian(bytes)));
    case DataType::kReal: {
      TDB_RETURN_IF_ERROR(need(4));
      const uint32_t bits = static_cast<uint32_t>(GetBigEndian(bytes));
      float f = 0;
      std::memcpy(&f, &bits, 4);
      return Value::Real(f);
    }
    case DataType::kDouble: {
      TDB_RETURN_IF_ERROR(need(8));
      const uint64_t bits = GetBigEndian(bytes);
      double d = 0;
      std::memcpy(&d, &bits, 8);
      return Value::Double(d);
    }
    case DataType::kText:
      TDB_RETURN_IF_ERROR(CheckUtf8(bytes, "a binary COPY field"));
      return Value::Text(std::string(bytes));
    case DataType::kJson: {
      // jsonb's send format leads with its version, 1; JSON text never starts so.
      if (!bytes.empty() && bytes[0] == '\x01') bytes.remove_prefix(1);
      TDB_RETURN_IF_ERROR(CheckUtf8(bytes, "a binary COPY field"));
      TDB_RETURN_IF_ERROR(sql::ValidateJson(bytes));
      return Value::Json(std::string(bytes));
    }
    case DataType::kBytea:
      return Value::Bytea(std::string(bytes));
    case DataType::kDate: {
      TDB_RETURN_IF_ERROR(need(4));
      const int64_t days = int64_t{static_cast<int32_t>(GetBigEndian(bytes))} + kPgEpochDays;
      if (days < kMinDateDays || days >= kEndDateDays) {
        return Status(ErrorCode::kDatetimeOverflow, "date out of range");
      }
      return Value::Date(static_cast<int32_t>(days));
    }
    case DataType::kTimestamp:
    case DataType::kTimestampTz: {
      TDB_RETURN_IF_ERROR(need(8));
      int64_t micros = 0;
      if (__builtin_add_overflow(static_cast<int64_t>(GetBigEndian(bytes)), kPgEpochMicros,
                                 &micros) ||
          micros < kMinTimestampMicros) {
        return Status(ErrorCode::kDatetimeOverflow, "timestamp out of range");
      }
      return type == DataType::kTimestamp ? Value::Timestamp(micros) : Value::TimestampTz(micros);
    }
    case DataType::kUuid: {
      TDB_RETURN_IF_ERROR(need(16));
      Uuid u;
      std::memcpy(u.data(), bytes.data(), 16);
      return Value::FromUuid(u);
    }
    case DataType::kInterval: {
      TDB_RETURN_IF_ERROR(need(16));
      Interval v;
      v.micros = static_cast<int64_t>(GetBigEndian(bytes.substr(0, 8)));
      v.days = static_cast<int32_t>(GetBigEndian(bytes.substr(8, 4)));
      v.months = static_cast<int32_t>(GetBigEndian(bytes.substr(12, 4)));
      return Value::FromInterval(v);
    }
    case DataType::kNumeric: {
      TDB_ASSIGN_OR_RETURN(Numeric v, NumericFromPgBinary(bytes));
      return Value::FromNumeric(v);
    }
  }
  return Incorrect(type, n);
}

}  // namespace tenantdb
