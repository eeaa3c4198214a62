#include "types/batch.h"

#include <gtest/gtest.h>

#include <limits>

namespace tenantdb {
namespace {

std::shared_ptr<const Schema> AllTypesSchema() {
  std::vector<Field> fields;
  int i = 0;
  for (DataType t : kAllDataTypes)
    fields.push_back({"c" + std::to_string(i++), t, true, false, ""});
  return std::make_shared<Schema>(std::move(fields), SchemaMetadata{});
}

std::vector<Value> SampleRow(int n) {
  Uuid u{};
  u[15] = static_cast<uint8_t>(n);
  return {Value::Boolean(n % 2 == 0),
          Value::SmallInt(static_cast<int16_t>(-n)),
          Value::Int(n * 1000),
          Value::BigInt(std::numeric_limits<int64_t>::max() - n),
          Value::Real(1.25f * n),
          Value::Double(-2.5 * n),
          Value::Text("héllo " + std::to_string(n)),
          Value::Bytea(std::string("\0\1", 2)),
          Value::Date(n),
          Value::Timestamp(n * 1'000'000LL),
          Value::TimestampTz(-n * 1'000'000LL),
          Value::Json("{\"n\":" + std::to_string(n) + "}"),
          Value::FromUuid(u),
          Value::FromInterval(Interval{n * 1'000'000LL, n, -n}),
          Value::FromNumeric(Numeric{static_cast<__int128>(n) * 12345 - 6, n % 5})};
}

TEST(Batch, RoundTripsEveryTypeWithNulls) {
  Batch batch(AllTypesSchema());
  for (int n = 0; n < 20; ++n) {
    std::vector<Value> row = SampleRow(n);
    if (n % 3 == 0) row[n % row.size()] = Value::Null(row[n % row.size()].type());
    ASSERT_TRUE(batch.AppendRow(row).ok());
  }
  ASSERT_EQ(batch.num_rows(), 20u);
  for (int n = 0; n < 20; ++n) {
    std::vector<Value> expected = SampleRow(n);
    if (n % 3 == 0)
      expected[n % expected.size()] = Value::Null(expected[n % expected.size()].type());
    EXPECT_EQ(batch.GetRow(n), expected) << "row " << n;
  }
  size_t nulls = 0;
  for (size_t c = 0; c < batch.num_columns(); ++c)
    nulls += batch.column(c).null_count();
  EXPECT_EQ(nulls, 7u);
}

// Columns moved out of one batch make another under a schema with other names (what a
// projection does): the rows are the same, the names are the new schema's.
TEST(Batch, IsMadeOfColumnsMovedFromAnotherUnderItsOwnSchema) {
  Batch source(AllTypesSchema());
  for (int n = 0; n < 5; ++n)
    ASSERT_TRUE(source.AppendRow(SampleRow(n)).ok());
  std::vector<Field> renamed = source.schema()->fields();
  for (Field& f : renamed)
    f.name = "r_" + f.name;
  auto schema = std::make_shared<Schema>(std::move(renamed), SchemaMetadata{});
  std::vector<ColumnVector> columns;
  for (size_t c = 0; c < source.num_columns(); ++c)
    columns.push_back(std::move(source.mutable_column(c)));
  const Batch batch(schema, std::move(columns));
  EXPECT_EQ(batch.schema(), schema);
  EXPECT_EQ(batch.schema()->field(6).name, "r_c6");
  ASSERT_EQ(batch.num_rows(), 5u);
  for (int n = 0; n < 5; ++n)
    EXPECT_EQ(batch.GetRow(n), SampleRow(n)) << "row " << n;
}

TEST(Batch, RejectsWrongTypesAndNullsInNotNullColumnsWithoutAppending) {
  auto schema =
      std::make_shared<Schema>(std::vector<Field>{{"id", DataType::kBigInt, false, true, ""},
                                                  {"body", DataType::kText, true, false, ""}},
                               SchemaMetadata{});
  Batch batch(schema);
  Status wrong_type = batch.AppendRow({Value::Int(1), Value::Text("x")});
  EXPECT_EQ(wrong_type.code(), ErrorCode::kTypeMismatch);
  Status null_key = batch.AppendRow({Value::Null(DataType::kBigInt), Value::Text("x")});
  EXPECT_EQ(null_key.code(), ErrorCode::kInvalidArgument);
  Status short_row = batch.AppendRow({Value::BigInt(1)});
  EXPECT_EQ(short_row.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(batch.num_rows(), 0u);
  EXPECT_TRUE(batch.AppendRow({Value::BigInt(1), Value::Null(DataType::kText)}).ok());
  EXPECT_EQ(batch.num_rows(), 1u);
  EXPECT_TRUE(batch.column(1).IsNull(0));
}

TEST(ColumnVector, TypedAccessAndOffsets) {
  ColumnVector ints(DataType::kInt);
  ColumnVector texts(DataType::kText);
  for (int i = 0; i < 100; ++i) {
    ints.AppendInt64(i);
    texts.AppendBytes(std::string(i % 5, 'a'));
  }
  ints.AppendNull();
  texts.AppendNull();
  EXPECT_EQ(ints.values<int32_t>()[42], 42);
  EXPECT_EQ(texts.bytes(7), "aa");
  EXPECT_TRUE(ints.IsNull(100));
  EXPECT_FALSE(ints.IsNull(99));
  EXPECT_EQ(texts.bytes(100), "");
  EXPECT_EQ(ints.null_count(), 1u);
}

TEST(Schema, MetadataOrderDoesNotMatterAndLookupsWork) {
  std::vector<Field> fields{{"id", DataType::kBigInt, false, true, ""},
                            {"body", DataType::kText, true, false, "'x'"}};
  Schema a(fields, {{"b", "2"}, {"a", "1"}});
  Schema b(fields, {{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(a, b);
  EXPECT_EQ(HashSchemaParts(a.fields(), a.metadata()),
            HashSchemaParts(b.fields(), {{"b", "2"}, {"a", "1"}}));
  EXPECT_EQ(a.FieldIndex("body"), 1u);
  EXPECT_EQ(a.FieldIndex("nope"), std::nullopt);
  EXPECT_EQ(a.PrimaryKeyIndices(), std::vector<size_t>{0});
  EXPECT_EQ(a.metadata_value("b"), "2");
  EXPECT_EQ(a.ToString(), "(id BIGINT NOT NULL PRIMARY KEY, body TEXT DEFAULT 'x')");
}

}  // namespace
}  // namespace tenantdb

namespace tenantdb {
namespace {

TEST(ColumnVector, AppendFromCopiesValuesAndNullsOfEveryType) {
  for (DataType t : kAllDataTypes) {
    ColumnVector from(t);
    from.AppendNull();
    // One real value of the type.
    Uuid u{};
    u[0] = 9;
    Value v = t == DataType::kUuid       ? Value::FromUuid(u)
              : t == DataType::kInterval ? Value::FromInterval(Interval{7, 7, 7})
              : t == DataType::kNumeric  ? Value::FromNumeric(Numeric{-75, 1})
              : IsVariableWidth(t)       ? (t == DataType::kText   ? Value::Text("x")
                                            : t == DataType::kJson ? Value::Json("{}")
                                                                   : Value::Bytea("\x01"))
              : IsFloatingPoint(t) ? (t == DataType::kReal ? Value::Real(2.5f) : Value::Double(2.5))
              : t == DataType::kBoolean     ? Value::Boolean(true)
              : t == DataType::kSmallInt    ? Value::SmallInt(7)
              : t == DataType::kInt         ? Value::Int(7)
              : t == DataType::kDate        ? Value::Date(7)
              : t == DataType::kTimestamp   ? Value::Timestamp(7)
              : t == DataType::kTimestampTz ? Value::TimestampTz(7)
                                            : Value::BigInt(7);
    from.Append(v);
    ColumnVector to(t);
    to.AppendFrom(from, 1);
    to.AppendFrom(from, 0);
    EXPECT_EQ(to.GetValue(0), v) << DataTypeName(t);
    EXPECT_TRUE(to.IsNull(1)) << DataTypeName(t);
    EXPECT_EQ(to.size(), 2u);
  }
}

}  // namespace
}  // namespace tenantdb
