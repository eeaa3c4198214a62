// Helpers shared by the Parquet tests: temporary directories, schemas, and batches of
// every DataType with edge values.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "types/batch.h"
#include "types/numeric.h"
#include "types/schema.h"

namespace tenantdb::testing {

// A fresh directory under TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tdb_parquet_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline Field MakeField(std::string name, DataType type, bool nullable = true) {
  Field f;
  f.name = std::move(name);
  f.type = type;
  f.nullable = nullable;
  return f;
}

inline std::shared_ptr<const Schema> MakeSchema(std::vector<Field> fields) {
  return std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
}

// One column per DataType, named after it ("c_bigint" ...), nullable or not; INTERVAL
// (stored as tenantdb's own 16 bytes, which other readers see as a binary) optional.
inline std::shared_ptr<const Schema> AllTypesSchema(bool nullable, bool with_interval = true) {
  std::vector<Field> fields;
  for (DataType t : kAllDataTypes) {
    if (t == DataType::kInterval && !with_interval) continue;
    std::string name = "c_" + std::string(DataTypeName(t));
    for (char& ch : name)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    fields.push_back(MakeField(name, t, nullable));
    if (t == DataType::kNumeric) {  // DECIMAL(38,4) in Parquet: FIXED_LEN_BYTE_ARRAY(16)
      fields.back().numeric_precision = 38;
      fields.back().numeric_scale = 4;
    }
  }
  return MakeSchema(std::move(fields));
}

inline Uuid UuidFrom(uint64_t hi, uint64_t lo) {
  Uuid u;
  for (int i = 0; i < 8; ++i) {
    u[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    u[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  return u;
}

// A deterministic value of `type` for row `i`, cycling through edge cases.
inline Value SampleValue(DataType type, size_t i) {
  size_t k = i % 7;
  switch (type) {
    case DataType::kBoolean:
      return Value::Boolean(i % 3 == 0);
    case DataType::kSmallInt: {
      int16_t edge[] = {0, -1, 1, INT16_MIN, INT16_MAX, 1234, -4321};
      return Value::SmallInt(k < 5 ? edge[k] : static_cast<int16_t>(i * 7 - 300));
    }
    case DataType::kInt: {
      int32_t edge[] = {0, -1, 1, INT32_MIN, INT32_MAX};
      return Value::Int(k < 5 ? edge[k] : static_cast<int32_t>(i * 1001 - 77777));
    }
    case DataType::kBigInt: {
      int64_t edge[] = {0, -1, 1, INT64_MIN, INT64_MAX};
      return Value::BigInt(k < 5 ? edge[k] : static_cast<int64_t>(i) * 1000000007LL - 5);
    }
    case DataType::kReal: {
      float edge[] = {0.0f,
                      -0.0f,
                      1.5f,
                      -3.25e20f,
                      std::numeric_limits<float>::max(),
                      std::numeric_limits<float>::denorm_min(),
                      0.1f};
      return Value::Real(edge[k] + static_cast<float>(i % 3));
    }
    case DataType::kDouble: {
      double edge[] = {0.0,
                       -0.0,
                       1.5,
                       -1e300,
                       std::numeric_limits<double>::max(),
                       std::numeric_limits<double>::denorm_min(),
                       0.1};
      return Value::Double(edge[k] + static_cast<double>(i % 3));
    }
    case DataType::kText: {
      const char* edge[] = {"",        "hello",     "héllo wörld ✓",     "日本語テキスト",
                            "emoji 🚀", "tab\tnl\n", "quote\"back\\slash"};
      return Value::Text(std::string(edge[k]) + (i % 2 ? std::to_string(i % 50) : ""));
    }
    case DataType::kBytea: {
      std::string b;
      for (size_t j = 0; j < i % 9; ++j)
        b.push_back(static_cast<char>((i * 31 + j * 17) & 0xff));
      return Value::Bytea(b);
    }
    case DataType::kJson: {
      const char* edge[] = {"{}", "[]", "null", "{\"a\":1}", "{\"k\":\"ü\"}", "[1,2,3]", "42"};
      return Value::Json(edge[k]);
    }
    case DataType::kDate: {
      int32_t edge[] = {0, -1, 19000, -719162 /* 0001-01-01 */, 2932896 /* 9999-12-31 */};
      return Value::Date(k < 5 ? edge[k] : static_cast<int32_t>(i * 3));
    }
    case DataType::kTimestamp:
    case DataType::kTimestampTz: {
      int64_t edge[] = {0, -1, 1700000000123456LL, -62135596800000000LL /* 0001-01-01 */,
                        253402300799999999LL /* 9999-12-31 23:59:59.999999 */};
      int64_t v = k < 5 ? edge[k] : static_cast<int64_t>(i) * 1000003;
      return type == DataType::kTimestamp ? Value::Timestamp(v) : Value::TimestampTz(v);
    }
    case DataType::kUuid:
      return Value::FromUuid(UuidFrom(i * 0x9e3779b97f4a7c15ULL, ~i));
    case DataType::kInterval: {
      const Interval edge[] = {{}, {-1, 0, 0}, {0, -5, 14}, {INT64_MAX, INT32_MAX, INT32_MIN}};
      return Value::FromInterval(
          k < 4 ? edge[k]
                : Interval{static_cast<int64_t>(i) * 1000003, static_cast<int32_t>(i % 40), 1});
    }
    case DataType::kNumeric: {  // at AllTypesSchema's scale 4, up to 38 digits
      const __int128 max38 = NumericPow10(38) - 1;
      const __int128 edge[] = {0, -10000, 123456789012345678, max38, -max38};
      return Value::FromNumeric(
          Numeric{k < 5 ? edge[k] : static_cast<__int128>(i) * 1000003 - 77777, 4});
    }
  }
  return Value::Null(type);
}

// Rows of SampleValue; with `nulls`, every 5th value of each column (shifted per
// column) is NULL.
inline Batch MakeBatch(const std::shared_ptr<const Schema>& schema, size_t rows, bool nulls,
                       size_t first = 0) {
  Batch b(schema);
  for (size_t r = first; r < first + rows; ++r) {
    std::vector<Value> row;
    for (size_t c = 0; c < schema->num_fields(); ++c) {
      const Field& f = schema->field(c);
      if (nulls && f.nullable && (r + c) % 5 == 0) {
        row.push_back(Value::Null(f.type));
      } else {
        row.push_back(SampleValue(f.type, r));
      }
    }
    EXPECT_TRUE(b.AppendRow(row).ok());
  }
  return b;
}

// Compares two values, treating NaN as equal to NaN and -0.0 as distinct from 0.0.
inline bool SameValue(const Value& a, const Value& b) {
  if (a.type() != b.type() || a.is_null() != b.is_null()) return false;
  if (a.is_null()) return true;
  if (IsFloatingPoint(a.type())) {
    double x = a.as_double(), y = b.as_double();
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
    return x == y && std::signbit(x) == std::signbit(y);
  }
  return a == b;
}

}  // namespace tenantdb::testing
