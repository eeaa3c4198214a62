#include "types/schema.h"

#include <cassert>
#include <cstring>

#include <algorithm>

#include "absl/hash/hash.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb {

Schema::Schema(std::vector<Field> fields, SchemaMetadata metadata)
    : fields_(std::move(fields)), metadata_(std::move(metadata)) {
  std::sort(metadata_.begin(), metadata_.end());
}

std::optional<std::string_view> Schema::metadata_value(std::string_view key) const {
  for (const auto& [k, v] : metadata_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<size_t> Schema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<size_t> Schema::FieldIndexById(uint32_t id) const {
  assert(id != 0);
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].id == id) return i;
  }
  return std::nullopt;
}

std::vector<size_t> Schema::PrimaryKeyIndices() const {
  std::vector<size_t> out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].primary_key) out.push_back(i);
  }
  return out;
}

std::string Schema::ToString() const {
  std::string out = "(";
  for (size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    if (i > 0) out += ", ";
    out += f.name;
    out += ' ';
    out += DataTypeName(f.type);
    if (f.numeric_precision != 0) {
      out +=
          "(" + std::to_string(f.numeric_precision) + "," + std::to_string(f.numeric_scale) + ")";
    }
    if (!f.nullable) out += " NOT NULL";
    if (f.primary_key) out += " PRIMARY KEY";
    if (!f.default_expr.empty()) out += " DEFAULT " + f.default_expr;
  }
  return out + ")";
}

size_t HashSchemaParts(const std::vector<Field>& fields, const SchemaMetadata& metadata) {
  size_t h = absl::Hash<size_t>()(fields.size());
  for (const Field& f : fields) {
    h = absl::HashOf(h, f.id, f.name, static_cast<uint8_t>(f.type), f.nullable, f.primary_key,
                     f.default_expr, f.numeric_precision, f.numeric_scale);
  }
  SchemaMetadata sorted = metadata;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [k, v] : sorted)
    h = absl::HashOf(h, k, v);
  return h;
}

std::optional<size_t> FindSameColumn(const Schema& source, const Schema& target,
                                     size_t target_field) {
  const Field& f = target.field(target_field);
  if (f.id != 0) return source.FieldIndexById(f.id);
  return source.FieldIndex(f.name);
}

std::string MissingValueKey(uint32_t column_id) {
  return std::string(kMissingValuePrefix) + std::to_string(column_id);
}

std::string EncodeMissingValue(const Value& value) {
  if (value.is_null()) return "";
  std::string out = "v";  // non-empty even for an empty string
  if (IsArray(value.type())) return out.append(value.as_bytes());
  switch (value.type()) {
    case DataType::kReal:
    case DataType::kDouble: {
      const double d = value.as_double();
      char bytes[sizeof(double)];
      std::memcpy(bytes, &d, sizeof d);
      out.append(bytes, sizeof bytes);
      return out;
    }
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
    case DataType::kUuid:
      out.append(value.as_bytes());
      return out;
    case DataType::kInterval:
      AppendIntervalBytes(value.as_interval(), &out);
      return out;
    case DataType::kNumeric:
      AppendNumericBytes(value.as_numeric(), &out);
      return out;
    default: {
      const int64_t v = value.as_int64();
      char bytes[sizeof(int64_t)];
      std::memcpy(bytes, &v, sizeof v);
      out.append(bytes, sizeof bytes);
      return out;
    }
  }
}

Value MissingValue(const Schema& schema, size_t field) {
  const Field& f = schema.field(field);
  if (f.id == 0) return Value::Null(f.type);
  std::optional<std::string_view> stored = schema.metadata_value(MissingValueKey(f.id));
  if (!stored.has_value() || stored->empty()) return Value::Null(f.type);
  std::string_view body = stored->substr(1);
  if (IsArray(f.type)) return Value::Array(ElementType(f.type), std::string(body));
  switch (f.type) {
    case DataType::kReal:
    case DataType::kDouble: {
      if (body.size() != sizeof(double)) return Value::Null(f.type);
      double d;
      std::memcpy(&d, body.data(), sizeof d);
      return f.type == DataType::kReal ? Value::Real(static_cast<float>(d)) : Value::Double(d);
    }
    case DataType::kText:
      return Value::Text(std::string(body));
    case DataType::kBytea:
      return Value::Bytea(std::string(body));
    case DataType::kJson:
      return Value::Json(std::string(body));
    case DataType::kUuid: {
      if (body.size() != 16) return Value::Null(f.type);
      Uuid u;
      std::memcpy(u.data(), body.data(), 16);
      return Value::FromUuid(u);
    }
    case DataType::kInterval:
      if (body.size() != kIntervalBytes) return Value::Null(f.type);
      return Value::FromInterval(IntervalFromBytes(body.data()));
    case DataType::kNumeric:
      if (body.size() != kNumericBytes) return Value::Null(f.type);
      return Value::FromNumeric(NumericFromBytes(body.data()));
    default: {
      if (body.size() != sizeof(int64_t)) return Value::Null(f.type);
      int64_t v;
      std::memcpy(&v, body.data(), sizeof v);
      switch (f.type) {
        case DataType::kBoolean:
          return Value::Boolean(v != 0);
        case DataType::kSmallInt:
          return Value::SmallInt(static_cast<int16_t>(v));
        case DataType::kInt:
          return Value::Int(static_cast<int32_t>(v));
        case DataType::kDate:
          return Value::Date(static_cast<int32_t>(v));
        case DataType::kTimestamp:
          return Value::Timestamp(v);
        case DataType::kTimestampTz:
          return Value::TimestampTz(v);
        default:
          return Value::BigInt(v);
      }
    }
  }
}

}  // namespace tenantdb
