#include "storage/hot/row_codec.h"

#include <bit>
#include <cstring>

#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb {

namespace {

constexpr uint8_t kFormatV1 = 1;

Status Corrupt(std::string_view what) {
  return Status(ErrorCode::kCorruption, "hot row value is corrupted: " + std::string(what));
}

void PutLittleEndian(uint64_t v, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i)
    out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

bool GetLittleEndian(std::string_view* in, int bytes, uint64_t* v) {
  if (in->size() < static_cast<size_t>(bytes)) return false;
  uint64_t r = 0;
  for (int i = bytes - 1; i >= 0; --i)
    r = (r << 8) | static_cast<uint8_t>((*in)[i]);
  in->remove_prefix(bytes);
  *v = r;
  return true;
}

int StoredWidth(DataType type) {
  if (type == DataType::kNumeric) return static_cast<int>(kNumericBytes);
  return static_cast<int>(FixedWidth(type));
}

void EncodeValue(const Value& v, std::string* out) {
  switch (IsArray(v.type()) ? DataType::kBytea : v.type()) {
    case DataType::kBoolean:
      out->push_back(v.as_bool() ? '\x01' : '\x00');
      return;
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kDate:
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      PutLittleEndian(static_cast<uint64_t>(v.as_int64()), StoredWidth(v.type()), out);
      return;
    case DataType::kReal:
      PutLittleEndian(std::bit_cast<uint32_t>(static_cast<float>(v.as_double())), 4, out);
      return;
    case DataType::kDouble:
      PutLittleEndian(std::bit_cast<uint64_t>(v.as_double()), 8, out);
      return;
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      PutVarint64(v.as_bytes().size(), out);
      out->append(v.as_bytes());
      return;
    case DataType::kUuid:
      out->append(v.as_bytes());
      return;
    case DataType::kInterval:
      AppendIntervalBytes(v.as_interval(), out);
      return;
    case DataType::kNumeric:
      AppendNumericBytes(v.as_numeric(), out);
      return;
  }
}

bool DecodeValue(DataType type, std::string_view* in, Value* out) {
  if (IsArray(type)) {
    uint64_t len = 0;
    if (!GetVarint64(in, &len) || len > in->size()) return false;
    *out = Value::Array(ElementType(type), std::string(in->substr(0, len)));
    in->remove_prefix(len);
    return true;
  }
  if (type == DataType::kText || type == DataType::kBytea || type == DataType::kJson) {
    uint64_t len = 0;
    if (!GetVarint64(in, &len) || len > in->size()) return false;
    std::string bytes(in->substr(0, len));
    in->remove_prefix(len);
    *out = type == DataType::kText    ? Value::Text(std::move(bytes))
           : type == DataType::kBytea ? Value::Bytea(std::move(bytes))
                                      : Value::Json(std::move(bytes));
    return true;
  }
  if (type == DataType::kUuid) {
    if (in->size() < 16) return false;
    Uuid u;
    std::memcpy(u.data(), in->data(), 16);
    in->remove_prefix(16);
    *out = Value::FromUuid(u);
    return true;
  }
  if (type == DataType::kInterval) {
    if (in->size() < kIntervalBytes) return false;
    *out = Value::FromInterval(IntervalFromBytes(in->data()));
    in->remove_prefix(kIntervalBytes);
    return true;
  }
  if (type == DataType::kNumeric) {
    if (in->size() < kNumericBytes) return false;
    *out = Value::FromNumeric(NumericFromBytes(in->data()));
    in->remove_prefix(kNumericBytes);
    return true;
  }
  uint64_t raw = 0;
  if (!GetLittleEndian(in, StoredWidth(type), &raw)) return false;
  switch (type) {
    case DataType::kBoolean:
      if (raw > 1) return false;
      *out = Value::Boolean(raw == 1);
      return true;
    case DataType::kSmallInt:
      *out = Value::SmallInt(static_cast<int16_t>(raw));
      return true;
    case DataType::kInt:
      *out = Value::Int(static_cast<int32_t>(raw));
      return true;
    case DataType::kDate:
      *out = Value::Date(static_cast<int32_t>(raw));
      return true;
    case DataType::kBigInt:
      *out = Value::BigInt(static_cast<int64_t>(raw));
      return true;
    case DataType::kTimestamp:
      *out = Value::Timestamp(static_cast<int64_t>(raw));
      return true;
    case DataType::kTimestampTz:
      *out = Value::TimestampTz(static_cast<int64_t>(raw));
      return true;
    case DataType::kReal:
      *out = Value::Real(std::bit_cast<float>(static_cast<uint32_t>(raw)));
      return true;
    case DataType::kDouble:
      *out = Value::Double(std::bit_cast<double>(raw));
      return true;
    default:
      return false;
  }
}

// Whether values of `from` convert losslessly to `to` on read.
bool CanWiden(DataType from, DataType to) {
  if (from == to) return true;
  if (IsInteger(from) && IsInteger(to)) return FixedWidth(from) <= FixedWidth(to);
  return from == DataType::kReal && to == DataType::kDouble;
}

Value Widen(Value v, DataType to) {
  if (v.type() == to) return v;
  if (v.is_null()) return Value::Null(to);
  switch (to) {
    case DataType::kInt:
      return Value::Int(static_cast<int32_t>(v.as_int64()));
    case DataType::kBigInt:
      return Value::BigInt(v.as_int64());
    case DataType::kDouble:
      return Value::Double(v.as_double());
    default:
      return v;  // unreachable: Make() accepted only the conversions above
  }
}

}  // namespace

void PutVarint64(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (size_t i = 0; i < 10 && i < in->size(); ++i) {
    const uint8_t byte = static_cast<uint8_t>((*in)[i]);
    if (i == 9 && byte > 1) return false;  // more than 64 bits
    result |= uint64_t{byte & 0x7Fu} << (7 * i);
    if ((byte & 0x80) == 0) {
      in->remove_prefix(i + 1);
      *v = result;
      return true;
    }
  }
  return false;
}

Result<std::string> EncodeLiveRow(const Schema& schema, uint32_t schema_version,
                                  const std::vector<Value>& row, int64_t write_micros) {
  std::string out = EncodeLiveHeader(schema_version, write_micros);
  TDB_RETURN_IF_ERROR(AppendRowBody(schema, row, &out));
  return out;
}

std::string EncodeLiveHeader(uint32_t schema_version, int64_t write_micros) {
  std::string out;
  out.push_back(static_cast<char>(kFormatV1));
  PutVarint64(schema_version, &out);
  out.push_back(static_cast<char>(RowKind::kLive));
  PutVarint64(static_cast<uint64_t>(write_micros), &out);
  return out;
}

Status AppendRowBody(const Schema& schema, const std::vector<Value>& row, std::string* body) {
  if (row.size() != schema.num_fields()) {
    return Status(ErrorCode::kInvalidArgument,
                  "row has " + std::to_string(row.size()) + " values but the table has " +
                      std::to_string(schema.num_fields()) + " columns");
  }
  std::string& out = *body;
  const size_t bitmap_at = out.size();
  out.append((row.size() + 7) / 8, '\0');
  for (size_t i = 0; i < row.size(); ++i) {
    const Field& f = schema.field(i);
    const Value& v = row[i];
    if (v.type() != f.type) {
      return Status(ErrorCode::kTypeMismatch,
                    "column " + f.name + " is " + std::string(DataTypeName(f.type)) +
                        " but the value is " + std::string(DataTypeName(v.type())));
    }
    if (v.is_null()) {
      if (!f.nullable) {
        return Status(ErrorCode::kInvalidArgument,
                      "null value in column \"" + f.name + "\" violates its NOT NULL constraint");
      }
      out[bitmap_at + i / 8] = static_cast<char>(out[bitmap_at + i / 8] | (1 << (i % 8)));
      continue;
    }
    if (v.type() == DataType::kUuid && v.as_bytes().size() != 16) {
      return Status(ErrorCode::kInvalidArgument, "a UUID has 16 bytes");
    }
    EncodeValue(v, &out);
  }
  return Status::Ok();
}

std::string EncodeTombstone(uint32_t schema_version, int64_t write_micros) {
  std::string out;
  out.push_back(static_cast<char>(kFormatV1));
  PutVarint64(schema_version, &out);
  out.push_back(static_cast<char>(RowKind::kTombstone));
  PutVarint64(static_cast<uint64_t>(write_micros), &out);
  return out;
}

Result<RowHeader> DecodeRowHeader(std::string_view bytes, std::string_view* body) {
  if (bytes.empty()) return Corrupt("empty");
  if (static_cast<uint8_t>(bytes[0]) != kFormatV1) return Corrupt("unknown format byte");
  bytes.remove_prefix(1);
  RowHeader h;
  uint64_t version = 0;
  if (!GetVarint64(&bytes, &version) || version > UINT32_MAX) return Corrupt("schema version");
  h.schema_version = static_cast<uint32_t>(version);
  if (bytes.empty()) return Corrupt("truncated before the row kind");
  const uint8_t kind = static_cast<uint8_t>(bytes[0]);
  if (kind != static_cast<uint8_t>(RowKind::kLive) &&
      kind != static_cast<uint8_t>(RowKind::kTombstone)) {
    return Corrupt("unknown row kind");
  }
  h.kind = static_cast<RowKind>(kind);
  bytes.remove_prefix(1);
  uint64_t micros = 0;
  if (!GetVarint64(&bytes, &micros)) return Corrupt("write time");
  h.write_micros = static_cast<int64_t>(micros);
  if (h.kind == RowKind::kTombstone && !bytes.empty()) return Corrupt("bytes after a tombstone");
  if (body != nullptr) *body = bytes;
  return h;
}

Result<std::vector<Value>> DecodeRowBody(std::string_view body, const Schema& stored) {
  const size_t n = stored.num_fields();
  const size_t bitmap_bytes = (n + 7) / 8;
  if (body.size() < bitmap_bytes) return Corrupt("truncated null bitmap");
  const std::string_view bitmap = body.substr(0, bitmap_bytes);
  body.remove_prefix(bitmap_bytes);
  std::vector<Value> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const DataType type = stored.field(i).type;
    if ((static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8) & 1) != 0) {
      out.push_back(Value::Null(type));
      continue;
    }
    Value v = Value::Null(type);
    if (!DecodeValue(type, &body, &v)) {
      return Corrupt("value of column " + stored.field(i).name);
    }
    out.push_back(std::move(v));
  }
  if (!body.empty()) return Corrupt("bytes after the last value");
  return out;
}

Status DecodeRowBodyInto(std::string_view body, const Schema& stored,
                         std::span<ColumnVector*> columns, const std::vector<bool>& wanted) {
  const size_t n = stored.num_fields();
  const size_t bitmap_bytes = (n + 7) / 8;
  if (body.size() < bitmap_bytes || columns.size() != n) return Corrupt("truncated null bitmap");
  const std::string_view bitmap = body.substr(0, bitmap_bytes);
  body.remove_prefix(bitmap_bytes);
  for (size_t i = 0; i < n; ++i) {
    ColumnVector* target = columns[i];
    const DataType type = stored.field(i).type;
    if ((static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8) & 1) != 0) {
      if (target != nullptr) target->AppendNull();
      continue;
    }
    const bool skip = target == nullptr || (!wanted.empty() && !wanted[i]);
    if (IsVariableWidth(type)) {
      uint64_t len = 0;
      if (!GetVarint64(&body, &len) || len > body.size()) {
        return Corrupt("value of column " + stored.field(i).name);
      }
      if (skip) {
        if (target != nullptr) target->AppendNull();
      } else {
        target->AppendBytes(body.substr(0, len));
      }
      body.remove_prefix(len);
      continue;
    }
    if (skip) {
      const size_t width = static_cast<size_t>(StoredWidth(type));
      if (body.size() < width) return Corrupt("value of column " + stored.field(i).name);
      body.remove_prefix(width);
      if (target != nullptr) target->AppendNull();
      continue;
    }
    ColumnVector& out = *target;
    if (type == DataType::kUuid) {
      if (body.size() < 16) return Corrupt("value of column " + stored.field(i).name);
      Uuid u;
      std::memcpy(u.data(), body.data(), 16);
      body.remove_prefix(16);
      out.AppendUuid(u);
      continue;
    }
    if (type == DataType::kInterval) {
      if (body.size() < kIntervalBytes) return Corrupt("value of column " + stored.field(i).name);
      out.AppendInterval(IntervalFromBytes(body.data()));
      body.remove_prefix(kIntervalBytes);
      continue;
    }
    if (type == DataType::kNumeric) {
      if (body.size() < kNumericBytes) return Corrupt("value of column " + stored.field(i).name);
      out.AppendNumeric(NumericFromBytes(body.data()));
      body.remove_prefix(kNumericBytes);
      continue;
    }
    uint64_t raw = 0;
    if (!GetLittleEndian(&body, StoredWidth(type), &raw)) {
      return Corrupt("value of column " + stored.field(i).name);
    }
    switch (type) {
      case DataType::kBoolean:
        if (raw > 1) return Corrupt("value of column " + stored.field(i).name);
        out.AppendInt64(static_cast<int64_t>(raw));
        break;
      case DataType::kSmallInt:
        out.AppendInt64(static_cast<int16_t>(raw));
        break;
      case DataType::kInt:
      case DataType::kDate:
        out.AppendInt64(static_cast<int32_t>(raw));
        break;
      case DataType::kReal:
        out.AppendDouble(std::bit_cast<float>(static_cast<uint32_t>(raw)));
        break;
      case DataType::kDouble:
        out.AppendDouble(std::bit_cast<double>(raw));
        break;
      default:
        out.AppendInt64(static_cast<int64_t>(raw));
        break;
    }
  }
  if (!body.empty()) return Corrupt("bytes after the last value");
  return Status::Ok();
}

Result<RowProjection> RowProjection::Make(const Schema& from, const Schema& to) {
  RowProjection p;
  p.columns_.reserve(to.num_fields());
  bool identity = from.num_fields() == to.num_fields();
  for (size_t i = 0; i < to.num_fields(); ++i) {
    const Field& f = to.field(i);
    std::optional<size_t> source = FindSameColumn(from, to, i);
    if (source) {
      const DataType old_type = from.field(*source).type;
      if (!CanWiden(old_type, f.type)) {
        return Status(ErrorCode::kTypeMismatch,
                      "column " + f.name + " was " + std::string(DataTypeName(old_type)) +
                          " and cannot be read as " + std::string(DataTypeName(f.type)));
      }
      if (old_type != f.type || *source != i) identity = false;
    } else {
      identity = false;
    }
    p.columns_.push_back({source, f.type, source ? Value::Null(f.type) : MissingValue(to, i)});
  }
  p.identity_ = identity;
  return p;
}

RowProjection RowProjection::Identity(const Schema& schema) {
  RowProjection p;
  p.identity_ = true;
  p.columns_.reserve(schema.num_fields());
  for (size_t i = 0; i < schema.num_fields(); ++i)
    p.columns_.push_back({i, schema.field(i).type, Value::Null(schema.field(i).type)});
  return p;
}

std::vector<Value> RowProjection::Apply(std::vector<Value> row) const {
  if (identity_) return row;
  std::vector<Value> out;
  out.reserve(columns_.size());
  for (const Column& c : columns_) {
    if (!c.source || *c.source >= row.size()) {
      out.push_back(c.missing);
    } else {
      out.push_back(Widen(std::move(row[*c.source]), c.type));
    }
  }
  return out;
}

Result<DecodedRow> DecodeRow(std::string_view bytes, const Schema& current,
                             uint32_t current_version, const SchemaLookup& lookup) {
  std::string_view body;
  TDB_ASSIGN_OR_RETURN(RowHeader header, DecodeRowHeader(bytes, &body));
  DecodedRow row{header, {}};
  if (header.kind == RowKind::kTombstone) return row;
  if (header.schema_version == current_version) {
    TDB_ASSIGN_OR_RETURN(row.values, DecodeRowBody(body, current));
    return row;
  }
  if (header.schema_version > current_version || !lookup) {
    return Status(ErrorCode::kNotFound,
                  "hot row written under schema version " + std::to_string(header.schema_version) +
                      ", which is unknown at version " + std::to_string(current_version));
  }
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const Schema> stored, lookup(header.schema_version));
  if (stored == nullptr) return Status(ErrorCode::kNotFound, "schema version lookup failed");
  TDB_ASSIGN_OR_RETURN(std::vector<Value> values, DecodeRowBody(body, *stored));
  TDB_ASSIGN_OR_RETURN(RowProjection projection, RowProjection::Make(*stored, current));
  row.values = projection.Apply(std::move(values));
  return row;
}

}  // namespace tenantdb
