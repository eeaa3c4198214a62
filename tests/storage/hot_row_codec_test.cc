#include "storage/hot/row_codec.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "tenantdb/array.h"

namespace tenantdb {
namespace {

std::shared_ptr<const Schema> AllTypesSchema() {
  std::vector<Field> fields;
  fields.push_back({"id", DataType::kBigInt, false, true, ""});
  for (DataType t : kAllDataTypes) {
    fields.push_back({"c_" + std::string(DataTypeName(t)), t, true, false, ""});
  }
  fields.push_back({"c_array", ArrayOf(DataType::kText), true, false, ""});
  return std::make_shared<Schema>(std::move(fields), SchemaMetadata{});
}

Value TextArrayOf(std::vector<std::string> texts) {
  std::vector<Value> elements;
  for (std::string& t : texts)
    elements.push_back(Value::Text(std::move(t)));
  elements.push_back(Value::Null(DataType::kText));
  return MakeArrayValue(DataType::kText, elements);
}

std::vector<Value> AllTypesRow(int64_t id) {
  Uuid u{};
  u[0] = 0xAB;
  u[15] = 0x01;
  return {Value::BigInt(id),
          Value::Boolean(true),
          Value::SmallInt(-32768),
          Value::Int(std::numeric_limits<int32_t>::min()),
          Value::BigInt(std::numeric_limits<int64_t>::max()),
          Value::Real(-1.5f),
          Value::Double(std::numeric_limits<double>::lowest()),
          Value::Text("héllo\0x"),
          Value::Bytea(std::string("\0\xFF", 2)),
          Value::Date(-719162),
          Value::Timestamp(-1),
          Value::TimestampTz(1700000000000000),
          Value::Json("{\"a\":1}"),
          Value::FromUuid(u),
          Value::FromInterval(Interval{-1, 2, -3}),
          Value::FromNumeric(Numeric{-(static_cast<__int128>(1) << 100), 7}),
          TextArrayOf({"a", "b c"})};
}

TEST(HotRowCodec, RoundTripsEveryTypeAndNulls) {
  auto schema = AllTypesSchema();
  std::vector<Value> row = AllTypesRow(9);
  auto bytes = EncodeLiveRow(*schema, 3, row, 123456789);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto decoded = DecodeRow(*bytes, *schema, 3, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->header.schema_version, 3u);
  EXPECT_EQ(decoded->header.kind, RowKind::kLive);
  EXPECT_EQ(decoded->header.write_micros, 123456789);
  EXPECT_EQ(decoded->values, row);

  for (size_t i = 1; i < row.size(); ++i)
    row[i] = Value::Null(row[i].type());
  bytes = EncodeLiveRow(*schema, 3, row, 0);
  ASSERT_TRUE(bytes.ok());
  decoded = DecodeRow(*bytes, *schema, 3, {});
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->values, row);
}

TEST(HotRowCodec, TombstonesCarryVersionAndTime) {
  auto decoded = DecodeRow(EncodeTombstone(2, 77), *AllTypesSchema(), 2, {});
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->header.kind, RowKind::kTombstone);
  EXPECT_EQ(decoded->header.write_micros, 77);
  EXPECT_TRUE(decoded->values.empty());
}

TEST(HotRowCodec, RejectsBadRows) {
  auto schema = AllTypesSchema();
  std::vector<Value> row = AllTypesRow(1);
  row[0] = Value::Null(DataType::kBigInt);  // NOT NULL key
  EXPECT_EQ(EncodeLiveRow(*schema, 1, row, 0).status().code(), ErrorCode::kInvalidArgument);
  row = AllTypesRow(1);
  row[2] = Value::Int(1);  // SMALLINT column
  EXPECT_EQ(EncodeLiveRow(*schema, 1, row, 0).status().code(), ErrorCode::kTypeMismatch);
  row.pop_back();
  EXPECT_EQ(EncodeLiveRow(*schema, 1, row, 0).status().code(), ErrorCode::kInvalidArgument);
}

TEST(HotRowCodec, OlderVersionsProjectByColumnName) {
  // v1: (id, name TEXT, age SMALLINT, gone TEXT); v2 drops `gone`, adds `email`, widens
  // `age` to BIGINT and moves `name` after it.
  auto v1 =
      std::make_shared<Schema>(std::vector<Field>{{"id", DataType::kInt, false, true, ""},
                                                  {"name", DataType::kText, true, false, ""},
                                                  {"age", DataType::kSmallInt, true, false, ""},
                                                  {"gone", DataType::kText, true, false, ""}},
                               SchemaMetadata{});
  auto v2 =
      std::make_shared<Schema>(std::vector<Field>{{"id", DataType::kInt, false, true, ""},
                                                  {"age", DataType::kBigInt, true, false, ""},
                                                  {"name", DataType::kText, true, false, ""},
                                                  {"email", DataType::kText, true, false, ""}},
                               SchemaMetadata{});
  auto bytes = EncodeLiveRow(
      *v1, 1, {Value::Int(1), Value::Text("ann"), Value::SmallInt(41), Value::Text("x")}, 5);
  ASSERT_TRUE(bytes.ok());
  SchemaLookup lookup = [&](uint32_t version) -> Result<std::shared_ptr<const Schema>> {
    if (version == 1) return std::shared_ptr<const Schema>(v1);
    return Status(ErrorCode::kNotFound, "no such version");
  };
  auto decoded = DecodeRow(*bytes, *v2, 2, lookup);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->values,
            (std::vector<Value>{Value::Int(1), Value::BigInt(41), Value::Text("ann"),
                                Value::Null(DataType::kText)}));
  // Without a lookup an older version cannot be read.
  EXPECT_EQ(DecodeRow(*bytes, *v2, 2, {}).status().code(), ErrorCode::kNotFound);
  // A type that cannot widen is refused rather than misread.
  auto v3 =
      std::make_shared<Schema>(std::vector<Field>{{"id", DataType::kInt, false, true, ""},
                                                  {"name", DataType::kBigInt, true, false, ""}},
                               SchemaMetadata{});
  EXPECT_EQ(DecodeRow(*bytes, *v3, 3, lookup).status().code(), ErrorCode::kTypeMismatch);
}

TEST(HotRowCodec, RandomBytesNeverCrash) {
  auto schema = AllTypesSchema();
  auto good = EncodeLiveRow(*schema, 1, AllTypesRow(3), 99);
  ASSERT_TRUE(good.ok());
  std::mt19937_64 rng(1234);
  int decoded_ok = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string bytes;
    if (i % 2 == 0) {
      // Mutations of a valid row: flipped bytes, truncations, appended junk.
      bytes = *good;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        switch (rng() % 3) {
          case 0:
            bytes[rng() % bytes.size()] = static_cast<char>(rng());
            break;
          case 1:
            bytes.resize(rng() % (bytes.size() + 1));
            if (bytes.empty()) bytes.push_back('\x01');
            break;
          default:
            bytes.push_back(static_cast<char>(rng()));
        }
      }
    } else {
      bytes.resize(rng() % 64);
      for (char& c : bytes)
        c = static_cast<char>(rng());
      if (!bytes.empty() && rng() % 2) bytes[0] = '\x01';
    }
    auto decoded = DecodeRow(bytes, *schema, 1, {});
    if (decoded.ok()) {
      ++decoded_ok;
      if (decoded->header.kind == RowKind::kLive) {
        EXPECT_EQ(decoded->values.size(), schema->num_fields());
      }
    } else {
      EXPECT_TRUE(decoded.status().code() == ErrorCode::kCorruption ||
                  decoded.status().code() == ErrorCode::kNotFound)
          << decoded.status().ToString();
    }
  }
  EXPECT_GT(decoded_ok, 0);
}

TEST(HotRowCodec, VarintsRejectOverlongInput) {
  std::string out;
  PutVarint64(std::numeric_limits<uint64_t>::max(), &out);
  std::string_view in = out;
  uint64_t v = 0;
  ASSERT_TRUE(GetVarint64(&in, &v));
  EXPECT_EQ(v, std::numeric_limits<uint64_t>::max());
  std::string bad(11, '\xFF');
  in = bad;
  EXPECT_FALSE(GetVarint64(&in, &v));
}

}  // namespace
}  // namespace tenantdb
