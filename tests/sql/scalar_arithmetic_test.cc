// Operators of sql/function/arithmetic.h on Values and ColumnVectors. Expected results
// and messages are PostgreSQL 15's.
#include "sql/function/arithmetic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "sql/function/cast.h"

namespace tenantdb::sql {
namespace {

constexpr int16_t kMin16 = std::numeric_limits<int16_t>::min();
constexpr int16_t kMax16 = std::numeric_limits<int16_t>::max();
constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();
constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();

// `l op r` printed, or "ERROR <sqlstate>: message".
std::string Eval(ScalarOp op, const Value& l, const Value& r) {
  Result<Value> v = EvalArithmetic(op, l, r);
  if (!v.ok()) {
    return "ERROR " + std::string(v.status().sqlstate()) + ": " + std::string(v.status().message());
  }
  return v->ToString();
}

std::string ResultType(ScalarOp op, DataType l, DataType r) {
  Result<DataType> t = ArithmeticResultType(op, l, r);
  if (!t.ok()) return "ERROR: " + std::string(t.status().message());
  return std::string(PgTypeName(*t));
}

TEST(ScalarArithmetic, ResultTypesFollowPostgres) {
  using enum DataType;
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kSmallInt, kSmallInt), "smallint");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kSmallInt, kInt), "integer");
  EXPECT_EQ(ResultType(ScalarOp::kMultiply, kInt, kBigInt), "bigint");
  EXPECT_EQ(ResultType(ScalarOp::kModulo, kSmallInt, kSmallInt), "smallint");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kReal, kInt), "double precision");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kSmallInt, kReal), "double precision");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kReal, kReal), "real");
  EXPECT_EQ(ResultType(ScalarOp::kDivide, kInt, kDouble), "double precision");
  EXPECT_EQ(ResultType(ScalarOp::kPower, kInt, kInt), "double precision");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kDate, kInt), "date");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kSmallInt, kDate), "date");
  EXPECT_EQ(ResultType(ScalarOp::kSubtract, kDate, kInt), "date");
  EXPECT_EQ(ResultType(ScalarOp::kSubtract, kDate, kDate), "integer");
  EXPECT_EQ(ResultType(ScalarOp::kConcat, kText, kText), "text");
  EXPECT_EQ(ResultType(ScalarOp::kConcat, kInt, kText), "text");
  EXPECT_EQ(ResultType(ScalarOp::kConcat, kText, kBoolean), "text");
  EXPECT_EQ(ResultType(ScalarOp::kConcat, kBytea, kBytea), "bytea");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kText, kInt),
            "ERROR: operator does not exist: text + integer");
  EXPECT_EQ(ResultType(ScalarOp::kConcat, kInt, kInt),
            "ERROR: operator does not exist: integer || integer");
  EXPECT_EQ(ResultType(ScalarOp::kSubtract, kInt, kDate),
            "ERROR: operator does not exist: integer - date");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kDate, kBigInt),
            "ERROR: operator does not exist: date + bigint");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kDate, kDate),
            "ERROR: operator does not exist: date + date");
  EXPECT_EQ(ResultType(ScalarOp::kAdd, kBoolean, kBoolean),
            "ERROR: operator does not exist: boolean + boolean");
  EXPECT_EQ(ArithmeticResultType(ScalarOp::kAdd, kText, kInt).status().code(),
            ErrorCode::kUndefinedFunction);
  EXPECT_EQ(*ArithmeticResultType(ScalarOp::kSubtract, kTimestamp, kTimestamp),
            DataType::kInterval);
  EXPECT_EQ(*ArithmeticResultType(ScalarOp::kSubtract, kDate, kTimestampTz), DataType::kInterval);
  EXPECT_EQ(*ArithmeticResultType(ScalarOp::kAdd, kDate, DataType::kInterval), kTimestamp);
  EXPECT_EQ(*ArithmeticResultType(ScalarOp::kMultiply, kInt, DataType::kInterval),
            DataType::kInterval);
  EXPECT_EQ(
      ArithmeticResultType(ScalarOp::kSubtract, DataType::kInterval, kTimestamp).status().code(),
      ErrorCode::kUndefinedFunction);
  Result<ArithmeticSignature> sig = BindArithmetic(ScalarOp::kAdd, kSmallInt, kDate);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->left, kInt);
  EXPECT_EQ(sig->right, kDate);
}

TEST(ScalarArithmetic, IntegerOverflowAtExactBoundaries) {
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::SmallInt(kMax16 - 1), Value::SmallInt(1)), "32767");
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::SmallInt(kMax16), Value::SmallInt(1)),
            "ERROR 22003: smallint out of range");
  EXPECT_EQ(Eval(ScalarOp::kSubtract, Value::SmallInt(kMin16), Value::SmallInt(1)),
            "ERROR 22003: smallint out of range");
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::Int(kMax32), Value::Int(0)), "2147483647");
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::Int(kMax32), Value::Int(1)),
            "ERROR 22003: integer out of range");
  EXPECT_EQ(Eval(ScalarOp::kSubtract, Value::Int(kMin32), Value::Int(1)),
            "ERROR 22003: integer out of range");
  EXPECT_EQ(Eval(ScalarOp::kSubtract, Value::Int(kMin32 + 1), Value::Int(1)), "-2147483648");
  EXPECT_EQ(Eval(ScalarOp::kMultiply, Value::Int(46341), Value::Int(46341)),
            "ERROR 22003: integer out of range");
  EXPECT_EQ(Eval(ScalarOp::kMultiply, Value::Int(46340), Value::Int(46340)), "2147395600");
  EXPECT_EQ(Eval(ScalarOp::kMultiply, Value::Int(kMin32), Value::Int(-1)),
            "ERROR 22003: integer out of range");
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::BigInt(kMax64), Value::BigInt(1)),
            "ERROR 22003: bigint out of range");
  EXPECT_EQ(Eval(ScalarOp::kMultiply, Value::BigInt(kMin64), Value::BigInt(-1)),
            "ERROR 22003: bigint out of range");
  EXPECT_EQ(Eval(ScalarOp::kSubtract, Value::BigInt(kMin64), Value::BigInt(1)),
            "ERROR 22003: bigint out of range");
}

TEST(ScalarArithmetic, DivisionAndModulo) {
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Int(7), Value::Int(-2)), "-3");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Int(-7), Value::Int(2)), "-3");
  EXPECT_EQ(Eval(ScalarOp::kModulo, Value::Int(-7), Value::Int(3)), "-1");
  EXPECT_EQ(Eval(ScalarOp::kModulo, Value::Int(7), Value::Int(-3)), "1");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Int(kMin32), Value::Int(-1)),
            "ERROR 22003: integer out of range");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::SmallInt(kMin16), Value::SmallInt(-1)),
            "ERROR 22003: smallint out of range");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::BigInt(kMin64), Value::BigInt(-1)),
            "ERROR 22003: bigint out of range");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Int(kMax32), Value::Int(-1)), "-2147483647");
  EXPECT_EQ(Eval(ScalarOp::kModulo, Value::Int(kMin32), Value::Int(-1)), "0");
  EXPECT_EQ(Eval(ScalarOp::kModulo, Value::BigInt(kMin64), Value::BigInt(-1)), "0");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Int(1), Value::Int(0)), "ERROR 22012: division by zero");
  EXPECT_EQ(Eval(ScalarOp::kModulo, Value::BigInt(1), Value::BigInt(0)),
            "ERROR 22012: division by zero");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Double(1), Value::Double(0)),
            "ERROR 22012: division by zero");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Double(0), Value::Double(0)),
            "ERROR 22012: division by zero");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Double(NAN), Value::Double(0)), "NaN");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Real(1), Value::Real(0)),
            "ERROR 22012: division by zero");
  EXPECT_EQ(Eval(ScalarOp::kModulo, Value::Double(5.5), Value::Double(2)), "1.5");
  EXPECT_EQ(Eval(ScalarOp::kModulo, Value::Double(-5.5), Value::Double(2)), "-1.5");
  EXPECT_EQ(Eval(ScalarOp::kModulo, Value::Double(1), Value::Double(0)),
            "ERROR 22012: division by zero");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Double(7), Value::Double(2)), "3.5");
}

TEST(ScalarArithmetic, FloatsAndPower) {
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::Double(0.1), Value::Double(0.2)), "0.30000000000000004");
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::Real(0.1f), Value::Real(0.2f)), "0.3");
  EXPECT_EQ(Eval(ScalarOp::kMultiply, Value::Double(1e308), Value::Double(10)),
            "ERROR 22003: value out of range: overflow");
  EXPECT_EQ(Eval(ScalarOp::kMultiply, Value::Double(1e-308), Value::Double(1e-308)),
            "ERROR 22003: value out of range: underflow");
  EXPECT_EQ(Eval(ScalarOp::kMultiply, Value::Real(1e30f), Value::Real(1e30f)),
            "ERROR 22003: value out of range: overflow");
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::Double(INFINITY), Value::Double(1)), "Infinity");
  EXPECT_EQ(Eval(ScalarOp::kSubtract, Value::Double(INFINITY), Value::Double(INFINITY)), "NaN");
  EXPECT_EQ(Eval(ScalarOp::kPower, Value::Double(2), Value::Double(10)), "1024");
  EXPECT_EQ(Eval(ScalarOp::kPower, Value::Double(-2), Value::Double(0.5)),
            "ERROR 22023: a negative number raised to a non-integer power yields a complex result");
  EXPECT_EQ(Eval(ScalarOp::kPower, Value::Double(0), Value::Double(-1)),
            "ERROR 22023: zero raised to a negative power is undefined");
  EXPECT_EQ(Eval(ScalarOp::kPower, Value::Double(-2), Value::Double(3)), "-8");
  EXPECT_EQ(Eval(ScalarOp::kPower, Value::Double(10), Value::Double(400)),
            "ERROR 22003: value out of range: overflow");
  EXPECT_EQ(Eval(ScalarOp::kPower, Value::Double(0.5), Value::Double(10000)),
            "ERROR 22003: value out of range: underflow");
  EXPECT_EQ(Eval(ScalarOp::kPower, Value::Double(NAN), Value::Double(0)), "1");
  EXPECT_EQ(Eval(ScalarOp::kPower, Value::Double(1), Value::Double(NAN)), "1");
}

TEST(ScalarArithmetic, DatesAndConcat) {
  const Value jan31 = Value::Date(19753);  // 2024-01-31
  EXPECT_EQ(Eval(ScalarOp::kAdd, jan31, Value::Int(1)), "2024-02-01");
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::Int(1), jan31), "2024-02-01");
  EXPECT_EQ(Eval(ScalarOp::kSubtract, Value::Date(19783), Value::Int(1)), "2024-02-29");
  EXPECT_EQ(Eval(ScalarOp::kSubtract, Value::Date(19783), Value::Date(19754)), "29");
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::Date(2145042905), Value::Int(1)),
            "ERROR 22008: date out of range");
  EXPECT_EQ(Eval(ScalarOp::kSubtract, Value::Date(-2440588), Value::Int(1)),
            "ERROR 22008: date out of range");
  EXPECT_EQ(Eval(ScalarOp::kSubtract, Value::Date(2145042905), Value::Date(-2440588)),
            "2147483493");
  EXPECT_EQ(Eval(ScalarOp::kConcat, Value::Text("ab"), Value::Text("cd")), "abcd");
  EXPECT_EQ(Eval(ScalarOp::kConcat, Value::Bytea("\x01"), Value::Bytea("\x02")), "\\x0102");
  // || takes TEXT operands: the binder casts, which renders true as 'true' (PostgreSQL gives
  // 'truea' for true || 'a').
  Result<Value> t = CastValue(Value::Boolean(true), DataType::kText);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Eval(ScalarOp::kConcat, *t, Value::Text("a")), "truea");
  // Operands that were not cast as BindArithmetic asks are a caller bug, reported as such.
  EXPECT_EQ(EvalArithmetic(ScalarOp::kAdd, Value::Int(1), Value::BigInt(1)).status().code(),
            ErrorCode::kInternal);
}

TEST(ScalarArithmetic, NullsPropagate) {
  EXPECT_EQ(Eval(ScalarOp::kAdd, Value::Null(DataType::kInt), Value::Int(1)), "NULL");
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Int(1), Value::Null(DataType::kInt)), "NULL");
  // NULL wins over what would be an error.
  EXPECT_EQ(Eval(ScalarOp::kDivide, Value::Null(DataType::kInt), Value::Int(0)), "NULL");
  Result<Value> v =
      EvalArithmetic(ScalarOp::kSubtract, Value::Date(1), Value::Null(DataType::kDate));
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->is_null());
  EXPECT_EQ(v->type(), DataType::kInt);
  EXPECT_EQ(Eval(ScalarOp::kConcat, Value::Text("a"), Value::Null(DataType::kText)), "NULL");
}

TEST(ScalarArithmetic, Negate) {
  EXPECT_EQ(EvalNegate(Value::Int(5))->ToString(), "-5");
  EXPECT_EQ(EvalNegate(Value::Int(kMin32)).status().message(), "integer out of range");
  EXPECT_EQ(EvalNegate(Value::SmallInt(kMin16)).status().message(), "smallint out of range");
  EXPECT_EQ(EvalNegate(Value::BigInt(kMin64)).status().message(), "bigint out of range");
  EXPECT_EQ(EvalNegate(Value::Double(0.5))->ToString(), "-0.5");
  EXPECT_TRUE(EvalNegate(Value::Null(DataType::kInt))->is_null());
  EXPECT_EQ(EvalNegate(Value::Text("a")).status().code(), ErrorCode::kUndefinedFunction);
}

// Random values of `type` with edge cases mixed in, ~10% NULL.
Value RandomValue(DataType type, std::mt19937_64& rng) {
  if (rng() % 10 == 0) return Value::Null(type);
  const int64_t r = static_cast<int64_t>(rng());
  const int pick = static_cast<int>(rng() % 8);
  switch (type) {
    case DataType::kSmallInt: {
      const int16_t edges[] = {0, -1, 1, kMin16, kMax16, 2, 181, -182};
      return Value::SmallInt(pick < 4 ? edges[rng() % 8] : static_cast<int16_t>(r));
    }
    case DataType::kInt: {
      const int32_t edges[] = {0, -1, 1, kMin32, kMax32, 2, 46341, -46341};
      return Value::Int(pick < 4 ? edges[rng() % 8] : static_cast<int32_t>(r % 100000));
    }
    case DataType::kBigInt: {
      const int64_t edges[] = {0, -1, 1, kMin64, kMax64, 2, 3037000500, -3037000500};
      return Value::BigInt(pick < 4 ? edges[rng() % 8] : r >> (rng() % 64));
    }
    case DataType::kReal:
      return Value::Real(pick == 0 ? 0.0f : static_cast<float>(r % 1000) / 7.0f);
    case DataType::kDouble: {
      const double edges[] = {0, -1, 1e308, -1e308, 1e-308, NAN, INFINITY, 2.5};
      return Value::Double(pick < 3 ? edges[rng() % 8] : static_cast<double>(r % 100000) / 3.0);
    }
    case DataType::kDate:
      return Value::Date(pick == 0 ? 2145042905 : static_cast<int32_t>(r % 100000));
    default:
      return Value::Text(std::to_string(r % 1000));
  }
}

struct Case {
  ScalarOp op;
  DataType left, right;
};

// The vector kernel and EvalArithmetic agree row by row, including which error is raised.
TEST(ScalarArithmetic, VectorKernelsAgreeWithValuesOnRandomData) {
  std::mt19937_64 rng(42);
  const ScalarOp numeric_ops[] = {ScalarOp::kAdd, ScalarOp::kSubtract, ScalarOp::kMultiply,
                                  ScalarOp::kDivide, ScalarOp::kModulo};
  std::vector<Case> cases;
  for (ScalarOp op : numeric_ops) {
    for (DataType t : {DataType::kSmallInt, DataType::kInt, DataType::kBigInt, DataType::kReal,
                       DataType::kDouble}) {
      cases.push_back({op, t, t});
    }
  }
  cases.push_back({ScalarOp::kPower, DataType::kDouble, DataType::kDouble});
  cases.push_back({ScalarOp::kAdd, DataType::kDate, DataType::kInt});
  cases.push_back({ScalarOp::kAdd, DataType::kInt, DataType::kDate});
  cases.push_back({ScalarOp::kSubtract, DataType::kDate, DataType::kInt});
  cases.push_back({ScalarOp::kSubtract, DataType::kDate, DataType::kDate});
  cases.push_back({ScalarOp::kConcat, DataType::kText, DataType::kText});
  int errors_seen = 0, successes_seen = 0;
  for (const Case& c : cases) {
    for (int round = 0; round < 40; ++round) {
      const size_t n = 1 + rng() % 40;
      ColumnVector l(c.left), r(c.right);
      std::vector<Value> lv, rv;
      for (size_t i = 0; i < n; ++i) {
        lv.push_back(RandomValue(c.left, rng));
        rv.push_back(RandomValue(c.right, rng));
        l.Append(lv.back());
        r.Append(rv.back());
      }
      Result<DataType> result_type = ArithmeticResultType(c.op, c.left, c.right);
      ASSERT_TRUE(result_type.ok());
      ColumnVector out(*result_type);
      Status vector_status = EvalArithmeticVector(c.op, l, r, &out);
      // Row-at-a-time: the first failing row decides the statement's error.
      Status row_status;
      std::vector<Value> expected;
      for (size_t i = 0; i < n && row_status.ok(); ++i) {
        Result<Value> v = EvalArithmetic(c.op, lv[i], rv[i]);
        if (v.ok()) {
          expected.push_back(*v);
        } else {
          row_status = v.status();
        }
      }
      ASSERT_EQ(vector_status.ok(), row_status.ok())
          << ScalarOpName(c.op) << " " << DataTypeName(c.left) << ": " << vector_status.ToString()
          << " vs " << row_status.ToString();
      if (!row_status.ok()) {
        EXPECT_EQ(vector_status.code(), row_status.code());
        EXPECT_EQ(vector_status.message(), row_status.message());
        ++errors_seen;
        continue;
      }
      ++successes_seen;
      ASSERT_EQ(out.size(), n);
      for (size_t i = 0; i < n; ++i) {
        const Value got = out.GetValue(i);
        if (got.type() == DataType::kDouble && !got.is_null() && std::isnan(got.as_double())) {
          EXPECT_TRUE(std::isnan(expected[i].as_double()));
        } else {
          EXPECT_EQ(got, expected[i]) << "row " << i << ": " << lv[i].ToString() << " "
                                      << ScalarOpName(c.op) << " " << rv[i].ToString();
        }
      }
    }
  }
  EXPECT_GT(errors_seen, 20);
  EXPECT_GT(successes_seen, 200);
}

TEST(ScalarArithmetic, NegateVectorAgreesWithNegate) {
  std::mt19937_64 rng(5);
  for (DataType t : {DataType::kSmallInt, DataType::kInt, DataType::kBigInt, DataType::kReal,
                     DataType::kDouble}) {
    for (int round = 0; round < 30; ++round) {
      ColumnVector in(t), out(t);
      std::vector<Value> values;
      for (size_t i = 0, n = 1 + rng() % 20; i < n; ++i) {
        values.push_back(RandomValue(t, rng));
        in.Append(values.back());
      }
      const Status status = EvalNegateVector(in, &out);
      Status expected_status;
      for (size_t i = 0; i < values.size() && expected_status.ok(); ++i) {
        Result<Value> v = EvalNegate(values[i]);
        if (!v.ok()) {
          expected_status = v.status();
        } else if (status.ok()) {
          const Value got = out.GetValue(i);
          if (!(IsFloatingPoint(t) && !got.is_null() && std::isnan(got.as_double()))) {
            EXPECT_EQ(got, *v) << values[i].ToString();
          }
        }
      }
      ASSERT_EQ(status.ok(), expected_status.ok()) << status.ToString();
      EXPECT_EQ(status.message(), expected_status.message());
    }
  }
  ColumnVector text(DataType::kText), out(DataType::kText);
  EXPECT_EQ(EvalNegateVector(text, &out).code(), ErrorCode::kUndefinedFunction);
}

TEST(ScalarArithmetic, VectorNullRowsDoNotRaise) {
  ColumnVector l(DataType::kInt), r(DataType::kInt);
  l.Append(Value::Int(1));
  r.Append(Value::Null(DataType::kInt));  // the placeholder is 0, but the row is NULL
  l.Append(Value::Null(DataType::kInt));
  r.Append(Value::Int(0));
  l.Append(Value::Int(kMax32));
  r.Append(Value::Int(-1));
  ColumnVector out(DataType::kInt);
  ASSERT_TRUE(EvalArithmeticVector(ScalarOp::kDivide, l, r, &out).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out.IsNull(0));
  EXPECT_TRUE(out.IsNull(1));
  EXPECT_EQ(out.GetValue(2), Value::Int(-kMax32));
  EXPECT_EQ(out.null_count(), 2u);
}

TEST(ScalarArithmetic, VectorRejectsMisuse) {
  ColumnVector l(DataType::kInt), r(DataType::kBigInt), out(DataType::kBigInt);
  l.Append(Value::Int(1));
  r.Append(Value::BigInt(1));
  EXPECT_EQ(EvalArithmeticVector(ScalarOp::kAdd, l, r, &out).code(), ErrorCode::kInternal);
  ColumnVector t(DataType::kText), out_text(DataType::kText);
  t.Append(Value::Text("x"));
  EXPECT_EQ(EvalArithmeticVector(ScalarOp::kAdd, t, t, &out_text).code(),
            ErrorCode::kUndefinedFunction);
}

}  // namespace
}  // namespace tenantdb::sql
