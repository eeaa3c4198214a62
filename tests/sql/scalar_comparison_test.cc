// Ordering and comparison operators of sql/function/comparison.h.
#include "sql/function/comparison.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace tenantdb::sql {
namespace {

const ScalarOp kOps[] = {ScalarOp::kEqual,          ScalarOp::kNotEqual,
                         ScalarOp::kLess,           ScalarOp::kLessEqual,
                         ScalarOp::kGreater,        ScalarOp::kGreaterEqual,
                         ScalarOp::kIsDistinctFrom, ScalarOp::kIsNotDistinctFrom};

TEST(ScalarComparison, DoublesSortNanLastAndEqualToItself) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(CompareValues(Value::Double(nan), Value::Double(nan)), 0);
  EXPECT_GT(CompareValues(Value::Double(nan), Value::Double(inf)), 0);
  EXPECT_LT(CompareValues(Value::Double(-inf), Value::Double(nan)), 0);
  EXPECT_EQ(CompareValues(Value::Double(-0.0), Value::Double(0.0)), 0);
  EXPECT_LT(CompareValues(Value::Real(1.5f), Value::Real(2.5f)), 0);
  EXPECT_GT(CompareValues(Value::Real(nan), Value::Real(1e38f)), 0);
  std::vector<double> values = {3, nan, -inf, 0, inf, -1, nan, 2.5};
  std::vector<Value> sorted;
  for (double d : values)
    sorted.push_back(Value::Double(d));
  std::sort(sorted.begin(), sorted.end(),
            [](const Value& a, const Value& b) { return CompareValues(a, b) < 0; });
  std::string order;
  for (const Value& v : sorted)
    order += v.ToString() + " ";
  EXPECT_EQ(order, "-Infinity -1 0 2.5 3 Infinity NaN NaN ");
}

TEST(ScalarComparison, OtherTypes) {
  EXPECT_LT(CompareValues(Value::Int(-5), Value::Int(3)), 0);
  EXPECT_LT(CompareValues(Value::BigInt(std::numeric_limits<int64_t>::min()),
                          Value::BigInt(std::numeric_limits<int64_t>::max())),
            0);
  EXPECT_LT(CompareValues(Value::Boolean(false), Value::Boolean(true)), 0);
  // C collation: bytes, so 'B' < 'a' and a prefix sorts first; bytes >= 0x80 after ASCII.
  EXPECT_LT(CompareValues(Value::Text("B"), Value::Text("a")), 0);
  EXPECT_LT(CompareValues(Value::Text("ab"), Value::Text("abc")), 0);
  EXPECT_LT(CompareValues(Value::Text("z"), Value::Text("\xc3\xa9")), 0);
  EXPECT_EQ(CompareValues(Value::Text(""), Value::Text("")), 0);
  EXPECT_LT(CompareValues(Value::Bytea(std::string("\x00\xff", 2)), Value::Bytea("\x01")), 0);
  EXPECT_LT(CompareValues(Value::FromUuid(Uuid{0x7f}), Value::FromUuid(Uuid{0x80})), 0);
  EXPECT_LT(CompareValues(Value::Date(-1), Value::Date(0)), 0);
  EXPECT_GT(CompareValues(Value::TimestampTz(5), Value::TimestampTz(-5)), 0);
}

std::string Eval(ScalarOp op, const Value& a, const Value& b) {
  Result<Value> v = EvalComparison(op, a, b);
  return v.ok() ? v->ToString() : "ERROR";
}

TEST(ScalarComparison, ValueOperatorsAndNulls) {
  const Value one = Value::Int(1), two = Value::Int(2), null = Value::Null(DataType::kInt);
  EXPECT_EQ(Eval(ScalarOp::kLess, one, two), "t");
  EXPECT_EQ(Eval(ScalarOp::kGreaterEqual, one, two), "f");
  EXPECT_EQ(Eval(ScalarOp::kNotEqual, one, two), "t");
  EXPECT_EQ(Eval(ScalarOp::kEqual, one, null), "NULL");
  EXPECT_EQ(Eval(ScalarOp::kEqual, null, null), "NULL");
  EXPECT_EQ(Eval(ScalarOp::kIsDistinctFrom, null, null), "f");
  EXPECT_EQ(Eval(ScalarOp::kIsDistinctFrom, one, null), "t");
  EXPECT_EQ(Eval(ScalarOp::kIsNotDistinctFrom, null, null), "t");
  EXPECT_EQ(Eval(ScalarOp::kIsNotDistinctFrom, one, one), "t");
  EXPECT_EQ(Eval(ScalarOp::kEqual, Value::Double(NAN), Value::Double(NAN)), "t");
  EXPECT_EQ(Eval(ScalarOp::kAdd, one, two), "ERROR");
  EXPECT_EQ(Eval(ScalarOp::kEqual, one, Value::BigInt(1)), "ERROR");
}

Value RandomValue(DataType type, std::mt19937_64& rng) {
  if (rng() % 8 == 0) return Value::Null(type);
  const int64_t r = static_cast<int64_t>(rng() % 7) - 3;  // small range: many ties
  switch (type) {
    case DataType::kBoolean:
      return Value::Boolean(r > 0);
    case DataType::kSmallInt:
      return Value::SmallInt(static_cast<int16_t>(r));
    case DataType::kInt:
      return Value::Int(static_cast<int32_t>(r));
    case DataType::kBigInt:
      return Value::BigInt(r * 1'000'000'000'000);
    case DataType::kReal:
      return Value::Real(r == 3 ? NAN : static_cast<float>(r) / 2);
    case DataType::kDouble:
      return Value::Double(r == 3 ? NAN : (r == -3 ? -0.0 : static_cast<double>(r) / 2));
    case DataType::kDate:
      return Value::Date(static_cast<int32_t>(r));
    case DataType::kTimestamp:
      return Value::Timestamp(r);
    case DataType::kTimestampTz:
      return Value::TimestampTz(r);
    case DataType::kUuid:
      return Value::FromUuid(Uuid{static_cast<uint8_t>(r + 3), 0, 0, static_cast<uint8_t>(r)});
    case DataType::kInterval:
      // Equal spans in different fields: r days and r * 24 hours.
      return Value::FromInterval(r % 2 == 0 ? Interval{0, static_cast<int32_t>(r), 0}
                                            : Interval{r * 86'400'000'000, 0, 0});
    case DataType::kNumeric:
      // Equal numbers at different scales: r and r.00.
      return Value::FromNumeric(r % 2 == 0 ? Numeric{r, 0}
                                           : Numeric{static_cast<__int128>(r) * 100, 2});
    case DataType::kText:
      return Value::Text(std::string(static_cast<size_t>(r + 3), r > 0 ? 'b' : '\xc3'));
    case DataType::kBytea:
      return Value::Bytea(std::string(static_cast<size_t>(r + 3), '\x80'));
    case DataType::kJson:
      return Value::Json(std::to_string(r));
  }
  return Value::Null(type);
}

TEST(ScalarComparison, VectorsAgreeWithValuesForEveryTypeAndOperator) {
  std::mt19937_64 rng(7);
  for (DataType type : kAllDataTypes) {
    for (ScalarOp op : kOps) {
      const size_t n = 1 + rng() % 50;
      ColumnVector l(type), r(type);
      std::vector<Value> lv, rv;
      for (size_t i = 0; i < n; ++i) {
        lv.push_back(RandomValue(type, rng));
        rv.push_back(RandomValue(type, rng));
        l.Append(lv.back());
        r.Append(rv.back());
      }
      ColumnVector out(DataType::kBoolean);
      ASSERT_TRUE(CompareVector(op, l, r, &out).ok());
      ASSERT_EQ(out.size(), n);
      for (size_t i = 0; i < n; ++i) {
        Result<Value> want = EvalComparison(op, lv[i], rv[i]);
        ASSERT_TRUE(want.ok());
        EXPECT_EQ(out.GetValue(i), *want) << DataTypeName(type) << " " << lv[i].ToString() << " "
                                          << ScalarOpName(op) << " " << rv[i].ToString();
      }
      // The constant form against each right-hand value in turn, NULL included.
      const Value constant = rv[0];
      ColumnVector out_c(DataType::kBoolean);
      ASSERT_TRUE(CompareVectorConstant(op, l, constant, &out_c).ok());
      ASSERT_EQ(out_c.size(), n);
      for (size_t i = 0; i < n; ++i) {
        EXPECT_EQ(out_c.GetValue(i), *EvalComparison(op, lv[i], constant))
            << DataTypeName(type) << " " << lv[i].ToString() << " " << ScalarOpName(op) << " "
            << constant.ToString();
      }
    }
  }
}

TEST(ScalarComparison, VectorConstantNullAndNoNullFastPath) {
  ColumnVector l(DataType::kInt);
  for (int i = 0; i < 100; ++i)
    l.Append(Value::Int(i));
  ColumnVector out(DataType::kBoolean);
  ASSERT_TRUE(CompareVectorConstant(ScalarOp::kEqual, l, Value::Int(42), &out).ok());
  size_t hits = 0;
  for (size_t i = 0; i < out.size(); ++i)
    hits += out.GetValue(i).as_bool();
  EXPECT_EQ(hits, 1u);
  EXPECT_EQ(out.null_count(), 0u);
  ColumnVector nulls(DataType::kBoolean);
  ASSERT_TRUE(CompareVectorConstant(ScalarOp::kLess, l, Value::Null(DataType::kInt), &nulls).ok());
  EXPECT_EQ(nulls.null_count(), 100u);
}

TEST(ScalarComparison, VectorRejectsMisuse) {
  ColumnVector a(DataType::kInt), b(DataType::kBigInt), out(DataType::kBoolean);
  a.Append(Value::Int(1));
  b.Append(Value::BigInt(1));
  EXPECT_EQ(CompareVector(ScalarOp::kEqual, a, b, &out).code(), ErrorCode::kInternal);
  EXPECT_EQ(CompareVector(ScalarOp::kAdd, a, a, &out).code(), ErrorCode::kInternal);
  ColumnVector wrong_out(DataType::kInt);
  EXPECT_EQ(CompareVector(ScalarOp::kEqual, a, a, &wrong_out).code(), ErrorCode::kInternal);
}

}  // namespace
}  // namespace tenantdb::sql
