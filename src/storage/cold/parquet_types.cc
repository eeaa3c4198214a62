#include "storage/cold/parquet_types.h"

#include <cmath>
#include <cstring>

namespace tenantdb {

using parquet::ConvertedType;
using parquet::LogicalType;
using parquet::SchemaElement;
using parquet::Type;
using Kind = parquet::LogicalType::Kind;

SchemaElement SchemaElementForField(const Field& field) {
  SchemaElement e;
  e.name = field.name;
  // The column's identity (field.h): readers map columns by it, so a file outlives renames.
  if (field.id != 0) e.field_id = static_cast<int32_t>(field.id);
  e.repetition = field.nullable ? parquet::Repetition::kOptional : parquet::Repetition::kRequired;
  LogicalType& lt = e.logical_type;
  if (IsArray(field.type)) {
    // PostgreSQL's array text ('{1,2,NULL}'), named with its type in the file's metadata
    // (kArrayColumnsKey) so it reads back as the array; other tools see strings.
    e.type = Type::kByteArray;
    e.converted_type = ConvertedType::kUtf8;
    lt.kind = Kind::kString;
    return e;
  }
  switch (field.type) {
    case DataType::kBoolean:
      e.type = Type::kBoolean;
      break;
    case DataType::kSmallInt:
      e.type = Type::kInt32;
      e.converted_type = ConvertedType::kInt16;
      lt.kind = Kind::kInteger;
      lt.bit_width = 16;
      lt.is_signed = true;
      break;
    case DataType::kInt:
      e.type = Type::kInt32;
      break;
    case DataType::kBigInt:
      e.type = Type::kInt64;
      break;
    case DataType::kReal:
      e.type = Type::kFloat;
      break;
    case DataType::kDouble:
      e.type = Type::kDouble;
      break;
    case DataType::kText:
      e.type = Type::kByteArray;
      e.converted_type = ConvertedType::kUtf8;
      lt.kind = Kind::kString;
      break;
    case DataType::kBytea:
      e.type = Type::kByteArray;
      break;
    case DataType::kJson:
      e.type = Type::kByteArray;
      e.converted_type = ConvertedType::kJson;
      lt.kind = Kind::kJson;
      break;
    case DataType::kDate:
      e.type = Type::kInt32;
      e.converted_type = ConvertedType::kDate;
      lt.kind = Kind::kDate;
      break;
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      e.type = Type::kInt64;
      e.converted_type = ConvertedType::kTimestampMicros;
      lt.kind = Kind::kTimestamp;
      lt.is_adjusted_to_utc = field.type == DataType::kTimestampTz;
      lt.unit = parquet::TimeUnit::kMicros;
      break;
    case DataType::kUuid:
      e.type = Type::kFixedLenByteArray;
      e.type_length = 16;
      lt.kind = Kind::kUuid;
      break;
    case DataType::kInterval:
      // Parquet's INTERVAL annotation holds milliseconds only; tenantdb keeps
      // microseconds: 16 unannotated bytes (types/interval.h), named in the file's
      // key-value metadata (kIntervalColumnsKey) so the reader maps them back.
      e.type = Type::kFixedLenByteArray;
      e.type_length = 16;
      break;
    case DataType::kNumeric:
      if (field.numeric_precision == 0) {
        // Unconstrained NUMERIC keeps each value's own scale, which a DECIMAL column (one
        // scale for all) cannot: PostgreSQL's text, exact, named in the file's metadata
        // (kNumericColumnsKey) so it reads back as NUMERIC; other tools see strings.
        e.type = Type::kByteArray;
        e.converted_type = ConvertedType::kUtf8;
        lt.kind = Kind::kString;
      } else {
        // DECIMAL(p,s) on the narrowest physical type the Parquet spec allows for p.
        const int precision = field.numeric_precision;
        e.type = precision <= 9    ? Type::kInt32
                 : precision <= 18 ? Type::kInt64
                                   : Type::kFixedLenByteArray;
        if (precision > 18) e.type_length = 16;
        e.converted_type = ConvertedType::kDecimal;
        e.precision = precision;
        e.scale = field.numeric_scale;
        lt.kind = Kind::kDecimal;
        lt.decimal_precision = precision;
        lt.decimal_scale = field.numeric_scale;
      }
      break;
  }
  return e;
}

namespace {

void Unsupported(ParquetColumnInfo* info, const std::string& what) {
  info->type.reset();
  info->unsupported_reason =
      "column " + info->name + " has Parquet type " + what + ", which tenantdb cannot read";
}

// DECIMAL(p,s) on INT32, INT64, BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY(<= 16) reads as
// NUMERIC when it fits 38 digits (the unscaled integer, two's complement, big-endian for
// the byte arrays).
void MapDecimal(const SchemaElement& e, ParquetColumnInfo* info) {
  const LogicalType& lt = e.logical_type;
  const int precision = lt.kind == Kind::kDecimal ? lt.decimal_precision : e.precision.value_or(0);
  const int scale = lt.kind == Kind::kDecimal ? lt.decimal_scale : e.scale.value_or(0);
  if (precision < 1 || precision > kNumericMaxPrecision || scale < 0 || scale > precision ||
      (info->physical == Type::kFixedLenByteArray && info->type_length > 16)) {
    return Unsupported(info,
                       "DECIMAL(" + std::to_string(precision) + "," + std::to_string(scale) + ")");
  }
  info->type = DataType::kNumeric;
  info->decimal_precision = precision;
  info->decimal_scale = scale;
  info->min_max_usable = false;  // bounds are not decoded as NUMERIC yet
}

bool IsDecimal(const SchemaElement& e) {
  return e.logical_type.kind == Kind::kDecimal || e.converted_type == ConvertedType::kDecimal;
}

void MapInt32(const SchemaElement& e, ParquetColumnInfo* info) {
  const LogicalType& lt = e.logical_type;
  if (IsDecimal(e)) return MapDecimal(e, info);
  if (lt.kind == Kind::kInteger) {
    if (lt.bit_width <= 8 || (lt.bit_width == 16 && lt.is_signed)) {
      info->type = DataType::kSmallInt;
    } else if (lt.bit_width == 16 || lt.is_signed) {
      info->type = DataType::kInt;
    } else {
      info->type = DataType::kBigInt;
      info->conversion = ParquetConversion::kUint32ToInt64;
    }
    return;
  }
  if (lt.kind == Kind::kDate) {
    info->type = DataType::kDate;
    return;
  }
  if (lt.kind == Kind::kDecimal) return Unsupported(info, "DECIMAL");
  if (lt.kind == Kind::kTime) return Unsupported(info, "TIME");
  if (lt.kind != Kind::kNone && lt.kind != Kind::kOther)
    return Unsupported(info, "INT32 (annotated)");
  if (!e.converted_type) {
    info->type = DataType::kInt;
    return;
  }
  switch (*e.converted_type) {
    case ConvertedType::kInt8:
    case ConvertedType::kInt16:
    case ConvertedType::kUint8:
      info->type = DataType::kSmallInt;
      break;
    case ConvertedType::kInt32:
    case ConvertedType::kUint16:
      info->type = DataType::kInt;
      break;
    case ConvertedType::kUint32:
      info->type = DataType::kBigInt;
      info->conversion = ParquetConversion::kUint32ToInt64;
      break;
    case ConvertedType::kDate:
      info->type = DataType::kDate;
      break;
    case ConvertedType::kDecimal:
      Unsupported(info, "DECIMAL");
      break;
    case ConvertedType::kTimeMillis:
      Unsupported(info, "TIME");
      break;
    default:
      Unsupported(info, "INT32 with converted type #" +
                            std::to_string(static_cast<int>(*e.converted_type)));
  }
}

void MapInt64(const SchemaElement& e, ParquetColumnInfo* info) {
  const LogicalType& lt = e.logical_type;
  if (IsDecimal(e)) return MapDecimal(e, info);
  auto timestamp = [info](bool utc, parquet::TimeUnit unit) {
    info->type = utc ? DataType::kTimestampTz : DataType::kTimestamp;
    info->conversion = unit == parquet::TimeUnit::kMillis  ? ParquetConversion::kMillisToMicros
                       : unit == parquet::TimeUnit::kNanos ? ParquetConversion::kNanosToMicros
                                                           : ParquetConversion::kNone;
  };
  if (lt.kind == Kind::kTimestamp) return timestamp(lt.is_adjusted_to_utc, lt.unit);
  if (lt.kind == Kind::kInteger) {
    if (lt.is_signed || lt.bit_width < 64) {
      info->type = DataType::kBigInt;
    } else {
      Unsupported(info, "INT(64, unsigned)");
    }
    return;
  }
  if (lt.kind == Kind::kDecimal) return Unsupported(info, "DECIMAL");
  if (lt.kind == Kind::kTime) return Unsupported(info, "TIME");
  if (lt.kind != Kind::kNone && lt.kind != Kind::kOther)
    return Unsupported(info, "INT64 (annotated)");
  if (!e.converted_type) {
    info->type = DataType::kBigInt;
    return;
  }
  switch (*e.converted_type) {
    case ConvertedType::kInt64:
    case ConvertedType::kUint32:
    case ConvertedType::kInt32:
      info->type = DataType::kBigInt;
      break;
    case ConvertedType::kTimestampMicros:
      timestamp(false, parquet::TimeUnit::kMicros);
      break;
    case ConvertedType::kTimestampMillis:
      timestamp(false, parquet::TimeUnit::kMillis);
      break;
    case ConvertedType::kDecimal:
      Unsupported(info, "DECIMAL");
      break;
    case ConvertedType::kUint64:
      Unsupported(info, "UINT_64");
      break;
    case ConvertedType::kTimeMicros:
      Unsupported(info, "TIME");
      break;
    default:
      Unsupported(info, "INT64 with converted type #" +
                            std::to_string(static_cast<int>(*e.converted_type)));
  }
}

void MapByteArray(const SchemaElement& e, ParquetColumnInfo* info) {
  const LogicalType& lt = e.logical_type;
  if (IsDecimal(e)) return MapDecimal(e, info);
  switch (lt.kind) {
    case Kind::kString:
    case Kind::kEnum:
      info->type = DataType::kText;
      return;
    case Kind::kJson:
      info->type = DataType::kJson;
      return;
    case Kind::kBson:
      info->type = DataType::kBytea;
      return;
    case Kind::kDecimal:
      return Unsupported(info, "DECIMAL");
    case Kind::kNone:
    case Kind::kOther:
      break;
    default:
      return Unsupported(info, "BYTE_ARRAY (annotated)");
  }
  if (!e.converted_type) {
    info->type = DataType::kBytea;
    return;
  }
  switch (*e.converted_type) {
    case ConvertedType::kUtf8:
    case ConvertedType::kEnum:
      info->type = DataType::kText;
      break;
    case ConvertedType::kJson:
      info->type = DataType::kJson;
      break;
    case ConvertedType::kBson:
      info->type = DataType::kBytea;
      break;
    case ConvertedType::kDecimal:
      Unsupported(info, "DECIMAL");
      break;
    default:
      Unsupported(info, "BYTE_ARRAY with converted type #" +
                            std::to_string(static_cast<int>(*e.converted_type)));
  }
}

}  // namespace

ParquetColumnInfo MapParquetColumn(const SchemaElement& e, size_t leaf_index) {
  ParquetColumnInfo info;
  info.name = e.name;
  info.leaf_index = leaf_index;
  if (e.field_id && *e.field_id > 0) info.field_id = static_cast<uint32_t>(*e.field_id);
  info.physical = e.type.value_or(Type::kInt32);
  info.type_length = e.type_length.value_or(0);
  info.optional =
      e.repetition.value_or(parquet::Repetition::kOptional) != parquet::Repetition::kRequired;
  if (e.repetition == parquet::Repetition::kRepeated) {
    Unsupported(&info, "REPEATED " + parquet::TypeName(info.physical));
    return info;
  }
  switch (info.physical) {
    case Type::kBoolean:
      info.type = DataType::kBoolean;
      break;
    case Type::kInt32:
      MapInt32(e, &info);
      break;
    case Type::kInt64:
      MapInt64(e, &info);
      break;
    case Type::kInt96:
      info.type = DataType::kTimestamp;
      info.conversion = ParquetConversion::kInt96ToMicros;
      info.min_max_usable = false;  // INT96 statistics have no usable order
      break;
    case Type::kFloat:
      info.type = DataType::kReal;
      break;
    case Type::kDouble:
      info.type = DataType::kDouble;
      break;
    case Type::kByteArray:
      MapByteArray(e, &info);
      break;
    case Type::kFixedLenByteArray:
      if (info.type_length <= 0) {
        Unsupported(&info, "FIXED_LEN_BYTE_ARRAY without a length");
      } else if (e.logical_type.kind == Kind::kUuid) {
        if (info.type_length != 16) {
          Unsupported(&info, "UUID of length " + std::to_string(info.type_length));
        } else {
          info.type = DataType::kUuid;
        }
      } else if (IsDecimal(e)) {
        MapDecimal(e, &info);
      } else if (e.logical_type.kind == Kind::kFloat16) {
        Unsupported(&info, "FLOAT16");
      } else if (e.converted_type == ConvertedType::kInterval) {
        Unsupported(&info, "INTERVAL");
      } else {
        info.type = DataType::kBytea;
      }
      break;
    default:
      Unsupported(&info, parquet::TypeName(info.physical));
  }
  return info;
}

namespace {

template <typename T>
bool LoadLe(std::string_view raw, T* v) {
  if (raw.size() != sizeof(T)) return false;
  std::memcpy(v, raw.data(), sizeof(T));
  return true;
}

// Microseconds of a statistics value; nullopt when they do not fit in int64 (a hostile or
// far-future value), which makes the statistic unusable rather than wrong.
std::optional<int64_t> ConvertTime(int64_t v, ParquetConversion c) {
  switch (c) {
    case ParquetConversion::kMillisToMicros: {
      int64_t micros{};
      if (__builtin_mul_overflow(v, int64_t{1000}, &micros)) return std::nullopt;
      return micros;
    }
    case ParquetConversion::kNanosToMicros:
      return NanosToMicros(v);
    default:
      return v;
  }
}

}  // namespace

std::optional<Value> DecodeStatisticsValue(const ParquetColumnInfo& c, std::string_view raw) {
  if (!c.type || !c.min_max_usable) return std::nullopt;
  switch (*c.type) {
    case DataType::kBoolean: {
      if (raw.size() != 1) return std::nullopt;
      return Value::Boolean(raw[0] != 0);
    }
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kDate: {
      int32_t v{};
      if (!LoadLe(raw, &v)) return std::nullopt;
      if (*c.type == DataType::kSmallInt) return Value::SmallInt(static_cast<int16_t>(v));
      if (*c.type == DataType::kDate) return Value::Date(v);
      return Value::Int(v);
    }
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz: {
      int64_t v{};
      if (c.physical == Type::kInt32) {
        int32_t v32{};
        if (!LoadLe(raw, &v32)) return std::nullopt;
        v = c.conversion == ParquetConversion::kUint32ToInt64 ? static_cast<uint32_t>(v32) : v32;
      } else if (!LoadLe(raw, &v)) {
        return std::nullopt;
      }
      const std::optional<int64_t> micros = ConvertTime(v, c.conversion);
      if (!micros) return std::nullopt;
      v = *micros;
      if (*c.type == DataType::kBigInt) return Value::BigInt(v);
      if (*c.type == DataType::kTimestamp) return Value::Timestamp(v);
      return Value::TimestampTz(v);
    }
    case DataType::kReal: {
      float v{};
      if (!LoadLe(raw, &v)) return std::nullopt;
      return Value::Real(v);
    }
    case DataType::kDouble: {
      double v{};
      if (!LoadLe(raw, &v)) return std::nullopt;
      return Value::Double(v);
    }
    case DataType::kText:
      return Value::Text(std::string(raw));
    case DataType::kBytea:
      return Value::Bytea(std::string(raw));
    case DataType::kJson:
      return Value::Json(std::string(raw));
    case DataType::kUuid: {
      if (raw.size() != 16) return std::nullopt;
      Uuid u;
      std::memcpy(u.data(), raw.data(), 16);
      return Value::FromUuid(u);
    }
    case DataType::kInterval:
    case DataType::kNumeric:
      return std::nullopt;  // INTERVAL and NUMERIC chunks carry no bounds tenantdb reads
  }
  return std::nullopt;
}

namespace {

bool IsIntegral(DataType t) {
  return IsInteger(t) || IsTemporal(t) || t == DataType::kBoolean;
}

template <typename T>
int Cmp(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

std::optional<int> ComparePruningValues(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  DataType ta = a.type(), tb = b.type();
  if (IsIntegral(ta) && IsIntegral(tb)) {
    // Dates against timestamps would need a unit conversion; do not mix them.
    if (IsTemporal(ta) != IsTemporal(tb)) return std::nullopt;
    if (IsTemporal(ta) && (ta == DataType::kDate) != (tb == DataType::kDate)) return std::nullopt;
    return Cmp(a.as_int64(), b.as_int64());
  }
  bool na = IsInteger(ta) || IsFloatingPoint(ta);
  bool nb = IsInteger(tb) || IsFloatingPoint(tb);
  if (na && nb) {
    double x = IsFloatingPoint(ta) ? a.as_double() : static_cast<double>(a.as_int64());
    double y = IsFloatingPoint(tb) ? b.as_double() : static_cast<double>(b.as_int64());
    if (std::isnan(x) || std::isnan(y)) return std::nullopt;
    return Cmp(x, y);
  }
  bool ba = IsVariableWidth(ta) || ta == DataType::kUuid;
  bool bb = IsVariableWidth(tb) || tb == DataType::kUuid;
  if (ba && bb && (ta == DataType::kUuid) == (tb == DataType::kUuid)) {
    int c = a.as_bytes().compare(b.as_bytes());  // char_traits<char> compares as unsigned
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

bool CanReadAs(DataType stored, DataType requested) {
  if (stored == requested) return true;
  switch (requested) {
    case DataType::kInt:
      return stored == DataType::kSmallInt;
    case DataType::kBigInt:
      return stored == DataType::kSmallInt || stored == DataType::kInt;
    case DataType::kDouble:
      return stored == DataType::kReal;
    case DataType::kText:
      return stored == DataType::kJson;
    case DataType::kJson:
      return stored == DataType::kText;
    default:
      return false;
  }
}

}  // namespace tenantdb
