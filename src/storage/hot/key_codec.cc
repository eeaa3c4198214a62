#include "storage/hot/key_codec.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace tenantdb {

namespace {

constexpr char kEscape = '\x00';
constexpr char kEscapedZero = '\xFF';
constexpr char kTerminator = '\x01';

void AppendBigEndian(uint64_t v, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i)
    out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t ReadBigEndian(std::string_view in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

// Two's complement of `width` bytes with the sign bit flipped: unsigned order == signed.
void AppendSigned(int64_t v, int width, std::string* out) {
  const uint64_t sign = uint64_t{1} << (8 * width - 1);
  const uint64_t mask = width == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * width)) - 1;
  AppendBigEndian((static_cast<uint64_t>(v) & mask) ^ sign, width, out);
}

int64_t ReadSigned(std::string_view in, int width) {
  const uint64_t sign = uint64_t{1} << (8 * width - 1);
  const uint64_t raw = ReadBigEndian(in, width) ^ sign;
  if (width == 8) return static_cast<int64_t>(raw);
  // Sign-extend from `width` bytes.
  const uint64_t extended = (raw & sign) != 0 ? raw | ~((sign << 1) - 1) : raw;
  return static_cast<int64_t>(extended);
}

// IEEE-754 bits -> bytes that sort like the numbers: negative numbers have every bit
// flipped (larger magnitude sorts lower), the others just the sign bit.
template <typename Bits>
Bits OrderedFloatBits(Bits bits) {
  constexpr Bits kSign = Bits{1} << (sizeof(Bits) * 8 - 1);
  return (bits & kSign) != 0 ? ~bits : bits ^ kSign;
}
template <typename Bits>
Bits FloatBitsFromOrdered(Bits ordered) {
  constexpr Bits kSign = Bits{1} << (sizeof(Bits) * 8 - 1);
  return (ordered & kSign) != 0 ? ordered ^ kSign : ~ordered;
}

int IntegerWidth(DataType type) {
  switch (type) {
    case DataType::kSmallInt:
      return 2;
    case DataType::kInt:
    case DataType::kDate:
      return 4;
    default:
      return 8;
  }
}

Status Corrupt(std::string_view what) {
  return Status(ErrorCode::kCorruption, "hot row key is corrupted: " + std::string(what));
}

// Reads an escaped, terminated byte string from the front of `*in`, advancing it.
bool ReadEscapedBytes(std::string_view* in, std::string* out) {
  size_t i = 0;
  while (i < in->size()) {
    const char c = (*in)[i];
    if (c != kEscape) {
      out->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= in->size()) return false;
    const char next = (*in)[i + 1];
    if (next == kTerminator) {
      in->remove_prefix(i + 2);
      return true;
    }
    if (next != kEscapedZero) return false;
    out->push_back('\0');
    i += 2;
  }
  return false;
}

}  // namespace

std::string EncodeTablePrefix(uint32_t table_number) {
  std::string out;
  AppendBigEndian(table_number, 4, &out);
  return out;
}

std::string EncodeUserPrefix(uint32_t table_number, std::string_view user_id) {
  std::string out = EncodeTablePrefix(table_number);
  AppendEscapedBytes(user_id, &out);
  return out;
}

void AppendEscapedBytes(std::string_view bytes, std::string* out) {
  out->reserve(out->size() + bytes.size() + 2);
  for (char c : bytes) {
    out->push_back(c);
    if (c == kEscape) out->push_back(kEscapedZero);
  }
  out->push_back(kEscape);
  out->push_back(kTerminator);
}

namespace {

// Floats in key order: one NaN (every NaN sorts equal, last) and one zero (-0.0 == 0.0).
void AppendOrderedReal(float f, std::string* out) {
  if (std::isnan(f)) f = std::numeric_limits<float>::quiet_NaN();
  if (f == 0.0f) f = 0.0f;
  AppendBigEndian(OrderedFloatBits(std::bit_cast<uint32_t>(f)), 4, out);
}

void AppendOrderedDouble(double d, std::string* out) {
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  if (d == 0.0) d = 0.0;
  AppendBigEndian(OrderedFloatBits(std::bit_cast<uint64_t>(d)), 8, out);
}

}  // namespace

Status AppendKeyColumn(DataType type, const Value& value, std::string* out) {
  if (value.type() != type) {
    return Status(ErrorCode::kTypeMismatch, "key column is " + std::string(DataTypeName(type)) +
                                                " but the value is " +
                                                std::string(DataTypeName(value.type())));
  }
  if (value.is_null()) {
    return Status(ErrorCode::kInvalidArgument, "a primary-key value may not be NULL");
  }
  switch (type) {
    case DataType::kBoolean:
      out->push_back(value.as_bool() ? '\x01' : '\x00');
      return Status::Ok();
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kBigInt:
    case DataType::kDate:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      AppendSigned(value.as_int64(), IntegerWidth(type), out);
      return Status::Ok();
    case DataType::kReal:
      AppendOrderedReal(static_cast<float>(value.as_double()), out);
      return Status::Ok();
    case DataType::kDouble:
      AppendOrderedDouble(value.as_double(), out);
      return Status::Ok();
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      AppendEscapedBytes(value.as_bytes(), out);
      return Status::Ok();
    case DataType::kUuid: {
      const std::string_view raw = value.as_bytes();
      if (raw.size() != 16) return Status(ErrorCode::kInvalidArgument, "a UUID has 16 bytes");
      out->append(raw);
      return Status::Ok();
    }
    case DataType::kInterval:
    case DataType::kNumeric:
      break;  // refused as a key column by CREATE TABLE
  }
  return Status(ErrorCode::kInternal, "unknown data type in a key");
}

Status AppendKeyColumnAt(const ColumnVector& column, size_t row, std::string* out) {
  if (column.IsNull(row)) {
    return Status(ErrorCode::kInvalidArgument, "a primary-key value may not be NULL");
  }
  const DataType type = column.type();
  switch (type) {
    case DataType::kBoolean:
      out->push_back(column.values<uint8_t>()[row] != 0 ? '\x01' : '\x00');
      return Status::Ok();
    case DataType::kSmallInt:
      AppendSigned(column.values<int16_t>()[row], 2, out);
      return Status::Ok();
    case DataType::kInt:
    case DataType::kDate:
      AppendSigned(column.values<int32_t>()[row], 4, out);
      return Status::Ok();
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      AppendSigned(column.values<int64_t>()[row], 8, out);
      return Status::Ok();
    case DataType::kReal:
      AppendOrderedReal(column.values<float>()[row], out);
      return Status::Ok();
    case DataType::kDouble:
      AppendOrderedDouble(column.values<double>()[row], out);
      return Status::Ok();
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      AppendEscapedBytes(column.bytes(row), out);
      return Status::Ok();
    case DataType::kUuid: {
      const Uuid& u = column.values<Uuid>()[row];
      static_assert(sizeof(Uuid) == 16);
      out->append(reinterpret_cast<const char*>(&u), sizeof(u));
      return Status::Ok();
    }
    case DataType::kInterval:
    case DataType::kNumeric:
      break;  // refused as a key column by CREATE TABLE
  }
  return Status(ErrorCode::kInternal, "unknown data type in a key");
}

namespace {

Status KeyArityError(size_t columns, size_t values) {
  return Status(ErrorCode::kInvalidArgument, "the primary key has " + std::to_string(columns) +
                                                 " columns but " + std::to_string(values) +
                                                 " values were given");
}

}  // namespace

Status CheckWholeKey(std::span<const DataType> types, size_t values) {
  return values == types.size() ? Status::Ok() : KeyArityError(types.size(), values);
}

Status AppendKeyColumns(std::span<const DataType> types, std::span<const Value> values,
                        std::string* out) {
  if (values.size() > types.size()) return KeyArityError(types.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i)
    TDB_RETURN_IF_ERROR(AppendKeyColumn(types[i], values[i], out));
  return Status::Ok();
}

Result<std::vector<Value>> DecodeKeyColumns(std::span<const DataType> types, std::string_view in) {
  std::vector<Value> out;
  out.reserve(types.size());
  for (DataType type : types) {
    switch (type) {
      case DataType::kBoolean: {
        if (in.empty()) return Corrupt("truncated BOOLEAN");
        const uint8_t b = static_cast<uint8_t>(in[0]);
        if (b > 1) return Corrupt("BOOLEAN byte is not 0 or 1");
        out.push_back(Value::Boolean(b == 1));
        in.remove_prefix(1);
        break;
      }
      case DataType::kSmallInt:
      case DataType::kInt:
      case DataType::kBigInt:
      case DataType::kDate:
      case DataType::kTimestamp:
      case DataType::kTimestampTz: {
        const int width = IntegerWidth(type);
        if (in.size() < static_cast<size_t>(width)) return Corrupt("truncated integer");
        const int64_t v = ReadSigned(in, width);
        in.remove_prefix(width);
        switch (type) {
          case DataType::kSmallInt:
            out.push_back(Value::SmallInt(static_cast<int16_t>(v)));
            break;
          case DataType::kInt:
            out.push_back(Value::Int(static_cast<int32_t>(v)));
            break;
          case DataType::kDate:
            out.push_back(Value::Date(static_cast<int32_t>(v)));
            break;
          case DataType::kBigInt:
            out.push_back(Value::BigInt(v));
            break;
          case DataType::kTimestamp:
            out.push_back(Value::Timestamp(v));
            break;
          default:
            out.push_back(Value::TimestampTz(v));
            break;
        }
        break;
      }
      case DataType::kReal: {
        if (in.size() < 4) return Corrupt("truncated REAL");
        const auto bits = FloatBitsFromOrdered(static_cast<uint32_t>(ReadBigEndian(in, 4)));
        out.push_back(Value::Real(std::bit_cast<float>(bits)));
        in.remove_prefix(4);
        break;
      }
      case DataType::kDouble: {
        if (in.size() < 8) return Corrupt("truncated DOUBLE");
        const auto bits = FloatBitsFromOrdered(ReadBigEndian(in, 8));
        out.push_back(Value::Double(std::bit_cast<double>(bits)));
        in.remove_prefix(8);
        break;
      }
      case DataType::kText:
      case DataType::kBytea:
      case DataType::kJson: {
        std::string bytes;
        if (!ReadEscapedBytes(&in, &bytes)) return Corrupt("bad escaped string");
        out.push_back(type == DataType::kText    ? Value::Text(std::move(bytes))
                      : type == DataType::kBytea ? Value::Bytea(std::move(bytes))
                                                 : Value::Json(std::move(bytes)));
        break;
      }
      case DataType::kUuid: {
        if (in.size() < 16) return Corrupt("truncated UUID");
        Uuid u;
        std::memcpy(u.data(), in.data(), 16);
        out.push_back(Value::FromUuid(u));
        in.remove_prefix(16);
        break;
      }
      default:
        return Corrupt("unknown key column type");
    }
  }
  if (!in.empty()) return Corrupt("bytes left after the last key column");
  return out;
}

Result<std::string> DecodeUserId(std::string_view key, std::string_view* rest) {
  if (key.size() < 4) return Corrupt("shorter than a table number");
  key.remove_prefix(4);
  std::string user;
  if (!ReadEscapedBytes(&key, &user)) return Corrupt("bad user id");
  *rest = key;
  return user;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(out.back());
    if (last != 0xFF) {
      ++last;
      return out;
    }
    out.pop_back();
  }
  return out;
}

}  // namespace tenantdb
