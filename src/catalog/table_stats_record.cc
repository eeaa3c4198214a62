#include "catalog/table_stats_record.h"

#include <bit>
#include <cstring>

#include "catalog/catalog_codec.h"

namespace tenantdb {

namespace {

constexpr uint8_t kFormat = 1;
constexpr uint8_t kHasMin = 1;
constexpr uint8_t kHasMax = 2;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutSigned(std::string* out, int64_t v) {
  PutVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void PutFixed64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out->push_back(static_cast<char>(v >> (8 * i)));
}

void PutDouble(std::string* out, double d) {
  PutFixed64(out, std::bit_cast<uint64_t>(d));
}

bool GetByte(std::string_view* in, uint8_t* v) {
  if (in->empty()) return false;
  *v = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  return true;
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t b;
    if (!GetByte(in, &b)) return false;
    r |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) {
      *v = r;
      return true;
    }
  }
  return false;
}

bool GetSigned(std::string_view* in, int64_t* v) {
  uint64_t r;
  if (!GetVarint(in, &r)) return false;
  *v = static_cast<int64_t>((r >> 1) ^ (~(r & 1) + 1));
  return true;
}

bool GetFixed64(std::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  uint64_t r = 0;
  for (int i = 7; i >= 0; --i)
    r = (r << 8) | static_cast<uint8_t>((*in)[i]);
  in->remove_prefix(8);
  *v = r;
  return true;
}

bool GetDouble(std::string_view* in, double* d) {
  uint64_t bits;
  if (!GetFixed64(in, &bits)) return false;
  *d = std::bit_cast<double>(bits);
  return true;
}

bool GetBytes(std::string_view* in, std::string* s) {
  uint64_t n;
  if (!GetVarint(in, &n) || n > in->size()) return false;
  s->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}

Status Corrupt() {
  return Status(ErrorCode::kCorruption,
                "catalog record table statistics does not decode; the data directory is "
                "damaged or from a newer version");
}

}  // namespace

std::string TableStatsKey(uint32_t table_number) {
  std::string key;
  key.push_back(static_cast<char>(CatalogRecordKind::kTableStats));
  for (int i = 3; i >= 0; --i)
    key.push_back(static_cast<char>(table_number >> (8 * i)));
  return key;
}

void EncodeStatsValue(const Value& value, std::string* out) {
  const DataType type = value.type();
  out->push_back(static_cast<char>(type));
  if (IsVariableWidth(type) || type == DataType::kUuid) {
    const std::string_view bytes = value.as_bytes();
    PutVarint(out, bytes.size());
    out->append(bytes);
  } else if (IsFloatingPoint(type)) {
    PutDouble(out, value.as_double());
  } else if (type == DataType::kInterval) {
    const Interval v = value.as_interval();
    PutSigned(out, v.micros);
    PutSigned(out, v.days);
    PutSigned(out, v.months);
  } else if (type == DataType::kNumeric) {
    const Numeric v = value.as_numeric();
    const auto u = static_cast<unsigned __int128>(v.unscaled);
    PutFixed64(out, static_cast<uint64_t>(u));
    PutFixed64(out, static_cast<uint64_t>(u >> 64));
    PutSigned(out, v.scale);
  } else {
    PutSigned(out, value.as_int64());
  }
}

bool DecodeStatsValue(std::string_view* in, Value* out) {
  uint8_t raw;
  if (!GetByte(in, &raw) || !IsValidDataType(raw)) return false;
  const auto type = static_cast<DataType>(raw);
  if (IsVariableWidth(type) || type == DataType::kUuid) {
    std::string bytes;
    if (!GetBytes(in, &bytes)) return false;
    if (IsArray(type)) {
      *out = Value::Array(ElementType(type), std::move(bytes));
    } else {
      switch (type) {
        case DataType::kText:
          *out = Value::Text(std::move(bytes));
          break;
        case DataType::kBytea:
          *out = Value::Bytea(std::move(bytes));
          break;
        case DataType::kJson:
          *out = Value::Json(std::move(bytes));
          break;
        default: {  // UUID
          if (bytes.size() != 16) return false;
          Uuid u;
          std::memcpy(u.data(), bytes.data(), 16);
          *out = Value::FromUuid(u);
        }
      }
    }
    return true;
  }
  if (IsFloatingPoint(type)) {
    double d;
    if (!GetDouble(in, &d)) return false;
    *out = type == DataType::kReal ? Value::Real(static_cast<float>(d)) : Value::Double(d);
    return true;
  }
  if (type == DataType::kInterval) {
    int64_t micros, days, months;
    if (!GetSigned(in, &micros) || !GetSigned(in, &days) || !GetSigned(in, &months) ||
        days < INT32_MIN || days > INT32_MAX || months < INT32_MIN || months > INT32_MAX) {
      return false;
    }
    *out = Value::FromInterval(
        Interval{micros, static_cast<int32_t>(days), static_cast<int32_t>(months)});
    return true;
  }
  if (type == DataType::kNumeric) {
    uint64_t lo, hi;
    int64_t scale;
    if (!GetFixed64(in, &lo) || !GetFixed64(in, &hi) || !GetSigned(in, &scale) || scale < 0 ||
        scale > kNumericMaxPrecision) {
      return false;
    }
    const auto u = (static_cast<unsigned __int128>(hi) << 64) | lo;
    *out = Value::FromNumeric(Numeric{static_cast<__int128>(u), static_cast<int32_t>(scale)});
    return true;
  }
  int64_t v;
  if (!GetSigned(in, &v)) return false;
  switch (type) {
    case DataType::kBoolean:
      *out = Value::Boolean(v != 0);
      break;
    case DataType::kSmallInt:
      if (v < INT16_MIN || v > INT16_MAX) return false;
      *out = Value::SmallInt(static_cast<int16_t>(v));
      break;
    case DataType::kInt:
      if (v < INT32_MIN || v > INT32_MAX) return false;
      *out = Value::Int(static_cast<int32_t>(v));
      break;
    case DataType::kDate:
      if (v < INT32_MIN || v > INT32_MAX) return false;
      *out = Value::Date(static_cast<int32_t>(v));
      break;
    case DataType::kTimestamp:
      *out = Value::Timestamp(v);
      break;
    case DataType::kTimestampTz:
      *out = Value::TimestampTz(v);
      break;
    default:
      *out = Value::BigInt(v);
  }
  return true;
}

std::string EncodeTableStatsValue(const TableStatsRecord& record) {
  std::string out;
  out.push_back(static_cast<char>(kFormat));
  PutSigned(&out, record.rows);
  PutSigned(&out, record.users);
  PutSigned(&out, record.counted_us);
  PutSigned(&out, record.analyzed_us);
  PutSigned(&out, record.analyzed_rows);
  PutVarint(&out, record.columns.size());
  for (const ColumnStatsRecord& c : record.columns) {
    PutVarint(&out, c.column_id);
    PutDouble(&out, c.distinct);
    PutDouble(&out, c.null_fraction);
    out.push_back(static_cast<char>((c.min ? kHasMin : 0) | (c.max ? kHasMax : 0)));
    if (c.min) EncodeStatsValue(*c.min, &out);
    if (c.max) EncodeStatsValue(*c.max, &out);
  }
  return out;
}

Result<TableStatsRecord> DecodeTableStatsValue(std::string_view value) {
  std::string_view in = value;
  TableStatsRecord r;
  uint8_t format;
  uint64_t columns;
  if (!GetByte(&in, &format) || format != kFormat || !GetSigned(&in, &r.rows) ||
      !GetSigned(&in, &r.users) || !GetSigned(&in, &r.counted_us) ||
      !GetSigned(&in, &r.analyzed_us) || !GetSigned(&in, &r.analyzed_rows) ||
      !GetVarint(&in, &columns) || columns > in.size()) {
    return Corrupt();
  }
  r.columns.reserve(columns);
  for (uint64_t i = 0; i < columns; ++i) {
    ColumnStatsRecord c;
    uint64_t id;
    uint8_t flags;
    if (!GetVarint(&in, &id) || id > UINT32_MAX || !GetDouble(&in, &c.distinct) ||
        !GetDouble(&in, &c.null_fraction) || !GetByte(&in, &flags) ||
        (flags & ~(kHasMin | kHasMax)) != 0) {
      return Corrupt();
    }
    c.column_id = static_cast<uint32_t>(id);
    if (flags & kHasMin) {
      Value v = Value::Null(DataType::kText);
      if (!DecodeStatsValue(&in, &v)) return Corrupt();
      c.min = std::move(v);
    }
    if (flags & kHasMax) {
      Value v = Value::Null(DataType::kText);
      if (!DecodeStatsValue(&in, &v)) return Corrupt();
      c.max = std::move(v);
    }
    r.columns.push_back(std::move(c));
  }
  if (!in.empty()) return Corrupt();
  return r;
}

}  // namespace tenantdb
