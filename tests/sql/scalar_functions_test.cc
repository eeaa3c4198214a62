// The scalar function registry of sql/function/scalar_functions.h. Expected values were
// taken from PostgreSQL 15 where PostgreSQL has the function.
#include "sql/function/scalar_functions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sql/function/cast.h"

namespace tenantdb::sql {
namespace {

constexpr int64_t kNow = 1706704496789012;  // 2024-01-31 12:34:56.789012+00

FunctionContext Context() {
  FunctionContext ctx;
  ctx.now_micros = kNow;
  ctx.current_user = "alice";
  return ctx;
}

// name(args...) printed, or "ERROR <sqlstate>: <message>".
std::string Call(std::string_view name, std::vector<Value> args) {
  Result<Value> v = EvalScalarFunction(name, args, Context());
  if (!v.ok()) {
    return "ERROR " + std::string(v.status().sqlstate()) + ": " + std::string(v.status().message());
  }
  return v->ToString();
}

Value T(std::string s) {
  return Value::Text(std::move(s));
}
Value I(int32_t v) {
  return Value::Int(v);
}
Value D(double v) {
  return Value::Double(v);
}
Value Ts(std::string_view text) {
  return *CastValue(T(std::string(text)), DataType::kTimestamp);
}
Value TsTz(std::string_view text) {
  return *CastValue(T(std::string(text)), DataType::kTimestampTz);
}
Value Dt(std::string_view text) {
  return *CastValue(T(std::string(text)), DataType::kDate);
}
const Value kNullText = Value::Null(DataType::kText);
const Value kNullInt = Value::Null(DataType::kInt);

TEST(ScalarFunctions, LookupAndBinding) {
  EXPECT_EQ(FindScalarFunction("no_such_function"), nullptr);
  const ScalarFunction* lower = FindScalarFunction("lower");
  ASSERT_NE(lower, nullptr);
  EXPECT_TRUE(lower->strict);
  EXPECT_FALSE(lower->is_volatile);
  std::vector<DataType> cast_to;
  std::vector<std::optional<DataType>> args = {DataType::kInt};
  Result<DataType> bad = lower->Bind(args, &cast_to);
  EXPECT_EQ(bad.status().code(), ErrorCode::kUndefinedFunction);
  EXPECT_EQ(bad.status().message(), "function lower(integer) does not exist");
  args = {DataType::kText, DataType::kText};
  EXPECT_EQ(lower->Bind(args, &cast_to).status().message(),
            "function lower(text, text) does not exist");
  // Unknown (NULL literal) arguments take the overload's parameter type.
  args = {std::nullopt};
  ASSERT_TRUE(lower->Bind(args, &cast_to).ok());
  EXPECT_EQ(cast_to, std::vector<DataType>{DataType::kText});
  // Implicit widening picks the closest overload and reports the casts.
  const ScalarFunction* mod = FindScalarFunction("mod");
  args = {DataType::kSmallInt, DataType::kInt};
  Result<DataType> t = mod->Bind(args, &cast_to);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, DataType::kInt);
  EXPECT_EQ(cast_to, (std::vector<DataType>{DataType::kInt, DataType::kInt}));
  args = {DataType::kInt, DataType::kBigInt};
  EXPECT_EQ(*mod->Bind(args, &cast_to), DataType::kBigInt);
  args = {DataType::kInt, DataType::kDouble};
  EXPECT_EQ(*mod->Bind(args, &cast_to), DataType::kDouble);
  // An exact match beats a cast: date_trunc(text, timestamp) stays TIMESTAMP, a DATE goes
  // to TIMESTAMPTZ as in PostgreSQL.
  const ScalarFunction* trunc = FindScalarFunction("date_trunc");
  args = {DataType::kText, DataType::kTimestamp};
  EXPECT_EQ(*trunc->Bind(args, &cast_to), DataType::kTimestamp);
  args = {DataType::kText, DataType::kDate};
  EXPECT_EQ(*trunc->Bind(args, &cast_to), DataType::kTimestampTz);
  EXPECT_EQ(cast_to[1], DataType::kTimestampTz);
  // TEXT never casts implicitly to a number.
  EXPECT_EQ(Call("abs", {T("1")}), "ERROR 42883: function abs(text) does not exist");
  EXPECT_EQ(Call("pi", {I(1)}), "ERROR 42883: function pi(integer) does not exist");
  EXPECT_EQ(Call("nope", {I(1)}), "ERROR 42883: function nope(integer) does not exist");
  for (std::string_view name : {"now", "random", "snowflake_id", "uuid_v7", "gen_random_uuid",
                                "current_date", "current_timestamp"}) {
    ASSERT_NE(FindScalarFunction(name), nullptr) << name;
    EXPECT_TRUE(FindScalarFunction(name)->is_volatile) << name;
  }
}

TEST(ScalarFunctions, StrictFunctionsReturnNullForNullArguments) {
  EXPECT_EQ(Call("lower", {kNullText}), "NULL");
  EXPECT_EQ(Call("substr", {T("abc"), kNullInt}), "NULL");
  EXPECT_EQ(Call("replace", {T("abc"), kNullText, T("x")}), "NULL");
  EXPECT_EQ(Call("split_part", {T("a,b"), T(","), kNullInt}), "NULL");
  EXPECT_EQ(Call("power", {D(2), Value::Null(DataType::kDouble)}), "NULL");
  Result<Value> v = EvalScalarFunction("length", std::vector<Value>{kNullText}, Context());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->type(), DataType::kInt);
}

TEST(ScalarFunctions, LengthCaseAndTrim) {
  EXPECT_EQ(Call("length", {T("héllo")}), "5");
  EXPECT_EQ(Call("char_length", {T("")}), "0");
  EXPECT_EQ(Call("character_length", {T("日本")}), "2");
  EXPECT_EQ(Call("octet_length", {T("héllo")}), "6");
  EXPECT_EQ(Call("length", {Value::Bytea("\x01\x02\x03")}), "3");
  EXPECT_EQ(Call("octet_length", {Value::Bytea("\x01\x02")}), "2");
  EXPECT_EQ(Call("upper", {T("héllo wörld")}), "HÉLLO WÖRLD");
  EXPECT_EQ(Call("lower", {T("HÉLLO ΑΒΓ ДЖ")}), "héllo αβγ дж");
  EXPECT_EQ(Call("upper", {T("ÿς")}), "ŸΣ");
  EXPECT_EQ(Call("lower", {T("ŸŹĹĽ")}), "ÿźĺľ");
  EXPECT_EQ(Call("upper", {T("źĺľ")}), "ŹĹĽ");
  EXPECT_EQ(Call("initcap", {T("hello wORLD foo-bar 3rd x_y")}), "Hello World Foo-Bar 3rd X_Y");
  EXPECT_EQ(Call("btrim", {T("xxhixx"), T("x")}), "hi");
  EXPECT_EQ(Call("trim", {T("  hi  ")}), "hi");
  EXPECT_EQ(Call("ltrim", {T("  hi  ")}), "hi  ");
  EXPECT_EQ(Call("rtrim", {T("  hi  ")}), "  hi");
  EXPECT_EQ(Call("btrim", {T("abcba"), T("ab")}), "c");
  EXPECT_EQ(Call("btrim", {T("aaa"), T("a")}), "");
  EXPECT_EQ(Call("ltrim", {T("ééxé"), T("é")}), "xé");
  EXPECT_EQ(Call("rtrim", {T("abc"), T("")}), "abc");
}

TEST(ScalarFunctions, Substrings) {
  EXPECT_EQ(Call("substr", {T("hello"), I(0), I(3)}), "he");
  EXPECT_EQ(Call("substr", {T("hello"), I(-1)}), "hello");
  EXPECT_EQ(Call("substr", {T("hello"), I(-5), I(7)}), "h");
  EXPECT_EQ(Call("substr", {T("hello"), I(10)}), "");
  EXPECT_EQ(Call("substring", {T("hello"), I(2), I(100)}), "ello");
  EXPECT_EQ(Call("substring", {T("héllo"), I(2), I(2)}), "él");
  EXPECT_EQ(Call("substr", {T("hello"), I(2), I(std::numeric_limits<int32_t>::max())}), "ello");
  EXPECT_EQ(Call("substr", {T("hello"), I(1), I(-1)}),
            "ERROR 22023: negative substring length not allowed");
  EXPECT_EQ(Call("substr", {Value::Bytea("\x01\x02\x03"), I(2)}), "\\x0203");
  EXPECT_EQ(Call("left", {T("hello"), I(-2)}), "hel");
  EXPECT_EQ(Call("right", {T("hello"), I(-2)}), "llo");
  EXPECT_EQ(Call("left", {T("hello"), I(10)}), "hello");
  EXPECT_EQ(Call("right", {T("héllo"), I(3)}), "llo");
  EXPECT_EQ(Call("right", {T("héllo"), I(4)}), "éllo");
  EXPECT_EQ(Call("right", {T("abc"), I(-10)}), "");
  EXPECT_EQ(Call("position", {T("hello"), T("lo")}), "4");
  EXPECT_EQ(Call("strpos", {T("hello"), T("")}), "1");
  EXPECT_EQ(Call("strpos", {T("héllo"), T("l")}), "3");
  EXPECT_EQ(Call("strpos", {T("hello"), T("z")}), "0");
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(-1)}), "c");
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(2)}), "b");
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(5)}), "");
  EXPECT_EQ(Call("split_part", {T("a,,c"), T(","), I(2)}), "");
  EXPECT_EQ(Call("split_part", {T("a::b"), T("::"), I(2)}), "b");
  EXPECT_EQ(Call("split_part", {T("abc"), T(""), I(1)}), "abc");
  EXPECT_EQ(Call("split_part", {T("abc"), T(""), I(2)}), "");
  EXPECT_EQ(Call("split_part", {T("a,b"), T(","), I(0)}),
            "ERROR 22023: field position must not be zero");
  EXPECT_EQ(Call("starts_with", {T("hello"), T("he")}), "t");
  EXPECT_EQ(Call("starts_with", {T("hello"), T("lo")}), "f");
}

TEST(ScalarFunctions, BuildingStrings) {
  EXPECT_EQ(Call("replace", {T("aaa"), T(""), T("b")}), "aaa");
  EXPECT_EQ(Call("replace", {T("aaa"), T("a"), T("bb")}), "bbbbbb");
  EXPECT_EQ(Call("replace", {T("abcabc"), T("bc"), T("")}), "aa");
  EXPECT_EQ(Call("lpad", {T("hi"), I(5), T("xy")}), "xyxhi");
  EXPECT_EQ(Call("rpad", {T("hi"), I(5), T("xy")}), "hixyx");
  EXPECT_EQ(Call("lpad", {T("hello"), I(3)}), "hel");
  EXPECT_EQ(Call("rpad", {T("hello"), I(3)}), "hel");
  EXPECT_EQ(Call("lpad", {T("hi"), I(5), T("")}), "hi");
  EXPECT_EQ(Call("lpad", {T("hi"), I(-1)}), "");
  EXPECT_EQ(Call("lpad", {T("hi"), I(4)}), "  hi");
  EXPECT_EQ(Call("rpad", {T("é"), I(3), T("ñ")}), "éññ");
  EXPECT_EQ(Call("repeat", {T("ab"), I(3)}), "ababab");
  EXPECT_EQ(Call("repeat", {T("ab"), I(-1)}), "");
  EXPECT_EQ(Call("repeat", {T("ab"), I(std::numeric_limits<int32_t>::max())}),
            "ERROR 22023: requested length too large");
  EXPECT_EQ(Call("reverse", {T("héllo")}), "olléh");
  EXPECT_EQ(Call("concat", {T("a"), kNullText, I(1), Value::Boolean(true), D(1.5)}), "a1t1.5");
  EXPECT_EQ(Call("concat", {kNullText}), "");
  EXPECT_EQ(Call("concat_ws", {T(","), T("a"), kNullText, T("b")}), "a,b");
  EXPECT_EQ(Call("concat_ws", {kNullText, T("a")}), "NULL");
  EXPECT_EQ(Call("concat_ws", {T("-"), I(1), Value::Date(0)}), "1-1970-01-01");
  EXPECT_EQ(Call("concat", {}), "ERROR 42883: function concat() does not exist");
  EXPECT_EQ(Call("concat_ws", {I(1), T("a")}),
            "ERROR 42883: function concat_ws(integer, text) does not exist");
}

TEST(ScalarFunctions, CodesAndHashes) {
  EXPECT_EQ(Call("md5", {T("")}), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Call("md5", {T("abc")}), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Call("md5", {T("The quick brown fox jumps over the lazy dog")}),
            "9e107d9d372bb6826bd81d3542a419d6");
  // Inputs around the 55/56/64-byte padding boundaries (checked with PostgreSQL).
  EXPECT_EQ(Call("md5", {T(std::string(55, 'a'))}), "ef1772b6dff9a122358552954ad0df65");
  EXPECT_EQ(Call("md5", {T(std::string(56, 'a'))}), "3b0c8ac703f828b04c6c197006d17218");
  EXPECT_EQ(Call("md5", {T(std::string(64, 'a'))}), "014842d480b571495a4a0363793f7367");
  EXPECT_EQ(Call("md5", {Value::Bytea("abc")}), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Call("chr", {I(65)}), "A");
  EXPECT_EQ(Call("chr", {I(233)}), "é");
  EXPECT_EQ(Call("chr", {I(0x1F600)}), "\xF0\x9F\x98\x80");
  // PostgreSQL 15's SQLSTATEs: 54000 for what UTF-8 text cannot hold, 22023 for a negative.
  EXPECT_EQ(Call("chr", {I(0)}), "ERROR 54000: null character not permitted");
  EXPECT_EQ(Call("chr", {I(1114112)}),
            "ERROR 54000: requested character too large for encoding: 1114112");
  EXPECT_EQ(Call("chr", {I(55296)}),
            "ERROR 54000: requested character not valid for encoding: 55296");
  EXPECT_EQ(Call("chr", {I(-1)}), "ERROR 22023: character number must be positive");
  EXPECT_EQ(Call("ascii", {T("")}), "0");
  EXPECT_EQ(Call("ascii", {T("é")}), "233");
  EXPECT_EQ(Call("ascii", {T("Ab")}), "65");
  EXPECT_EQ(Call("to_hex", {I(-1)}), "ffffffff");
  EXPECT_EQ(Call("to_hex", {Value::BigInt(-1)}), "ffffffffffffffff");
  EXPECT_EQ(Call("to_hex", {I(255)}), "ff");
  EXPECT_EQ(Call("to_hex", {Value::SmallInt(16)}), "10");
}

TEST(ScalarFunctions, Math) {
  EXPECT_EQ(Call("abs", {Value::SmallInt(-5)}), "5");
  EXPECT_EQ(Call("abs", {Value::Real(-1.5f)}), "1.5");
  EXPECT_EQ(Call("abs", {I(std::numeric_limits<int32_t>::min())}),
            "ERROR 22003: integer out of range");
  EXPECT_EQ(Call("abs", {Value::SmallInt(-32768)}), "ERROR 22003: smallint out of range");
  EXPECT_EQ(Call("abs", {Value::BigInt(std::numeric_limits<int64_t>::min())}),
            "ERROR 22003: bigint out of range");
  EXPECT_EQ(Call("ceil", {D(-0.5)}), "-0");
  EXPECT_EQ(Call("ceiling", {D(1.2)}), "2");
  EXPECT_EQ(Call("floor", {D(-0.5)}), "-1");
  EXPECT_EQ(Call("floor", {I(3)}), "3");
  // round/trunc: NUMERIC semantics (PostgreSQL's round(2.5) is 3; 2.345 rounds to 2.35).
  EXPECT_EQ(Call("round", {D(2.5)}), "3");
  EXPECT_EQ(Call("round", {D(-2.5)}), "-3");
  EXPECT_EQ(Call("round", {D(1.5)}), "2");
  EXPECT_EQ(Call("round", {D(0.5)}), "1");
  EXPECT_EQ(Call("round", {D(999.9)}), "1000");
  EXPECT_EQ(Call("round", {D(2.345), I(2)}), "2.35");
  EXPECT_EQ(Call("round", {D(-2.345), I(2)}), "-2.35");
  EXPECT_EQ(Call("round", {D(2.675), I(2)}), "2.68");
  EXPECT_EQ(Call("round", {D(1234.5), I(-2)}), "1200");
  EXPECT_EQ(Call("round", {D(0.0001), I(2)}), "0");
  EXPECT_EQ(Call("trunc", {D(-0.5)}), "-0");  // float8's signed zero
  EXPECT_EQ(Call("sign", {D(NAN)}), "0");
  EXPECT_EQ(Call("power", {D(INFINITY), D(-0.5)}), "0");
  EXPECT_EQ(Call("round", {D(1e20), I(2)}), "1e+20");
  EXPECT_EQ(Call("round", {D(NAN)}), "NaN");
  EXPECT_EQ(Call("trunc", {D(-2.7)}), "-2");
  EXPECT_EQ(Call("trunc", {D(2.789), I(1)}), "2.7");
  EXPECT_EQ(Call("trunc", {D(-2.789), I(2)}), "-2.78");
  EXPECT_EQ(Call("sign", {D(-3)}), "-1");
  EXPECT_EQ(Call("sign", {I(0)}), "0");
  EXPECT_EQ(Call("sqrt", {D(2)}), "1.4142135623730951");
  EXPECT_EQ(Call("sqrt", {D(-1)}), "ERROR 22023: cannot take square root of a negative number");
  EXPECT_EQ(Call("exp", {D(1000)}), "ERROR 22003: value out of range: overflow");
  EXPECT_EQ(Call("exp", {D(-1000)}), "ERROR 22003: value out of range: underflow");
  EXPECT_EQ(Call("exp", {D(0)}), "1");
  EXPECT_EQ(Call("ln", {D(0)}), "ERROR 22023: cannot take logarithm of zero");
  EXPECT_EQ(Call("ln", {D(-1)}), "ERROR 22023: cannot take logarithm of a negative number");
  EXPECT_EQ(Call("ln", {D(1)}), "0");
  EXPECT_EQ(Call("log", {D(100)}), "2");
  EXPECT_EQ(Call("log10", {D(1000)}), "3");
  EXPECT_NEAR(EvalScalarFunction("log", std::vector<Value>{D(2), D(8)}, Context())->as_double(),
              3.0, 1e-15);
  EXPECT_EQ(Call("log", {D(1), D(8)}), "ERROR 22012: division by zero");
  EXPECT_EQ(Call("log", {D(0), D(8)}), "ERROR 22023: cannot take logarithm of zero");
  EXPECT_EQ(Call("power", {D(2), D(10)}), "1024");
  EXPECT_EQ(Call("pow", {I(2), D(0.5)}), "1.4142135623730951");
  EXPECT_EQ(Call("power", {D(0), D(-1)}),
            "ERROR 22023: zero raised to a negative power is undefined");
  EXPECT_EQ(Call("mod", {I(-7), I(3)}), "-1");
  EXPECT_EQ(Call("mod", {D(7.5), D(2)}), "1.5");
  EXPECT_EQ(Call("mod", {I(7), I(0)}), "ERROR 22012: division by zero");
  EXPECT_EQ(Call("mod", {Value::BigInt(std::numeric_limits<int64_t>::min()), Value::BigInt(-1)}),
            "0");
  EXPECT_EQ(Call("pi", {}), "3.141592653589793");
  EXPECT_EQ(Call("degrees", {D(M_PI)}), "180");
  EXPECT_EQ(Call("gcd", {I(12), I(-18)}), "6");
  EXPECT_EQ(Call("lcm", {I(4), I(6)}), "12");
  EXPECT_EQ(Call("lcm", {I(-4), I(6)}), "12");
  EXPECT_EQ(Call("lcm", {I(0), I(5)}), "0");
  EXPECT_EQ(Call("gcd", {I(0), I(0)}), "0");
  EXPECT_EQ(Call("gcd", {I(std::numeric_limits<int32_t>::min()), I(2)}), "2");
  EXPECT_EQ(Call("gcd", {I(std::numeric_limits<int32_t>::min()), I(0)}),
            "ERROR 22003: integer out of range");
  EXPECT_EQ(Call("lcm", {I(2147483647), I(2147483646)}), "ERROR 22003: integer out of range");
  EXPECT_EQ(Call("gcd", {Value::BigInt(std::numeric_limits<int64_t>::min()), Value::BigInt(6)}),
            "2");
  EXPECT_EQ(Call("gcd", {Value::BigInt(std::numeric_limits<int64_t>::min()), Value::BigInt(0)}),
            "ERROR 22003: bigint out of range");
  for (int i = 0; i < 1000; ++i) {
    const double r = EvalScalarFunction("random", {}, Context())->as_double();
    ASSERT_GE(r, 0.0);
    ASSERT_LT(r, 1.0);
  }
}

TEST(ScalarFunctions, GreatestAndLeast) {
  EXPECT_EQ(Call("greatest", {I(3), I(1), I(2)}), "3");
  EXPECT_EQ(Call("least", {I(3), kNullInt, I(2)}), "2");
  EXPECT_EQ(Call("greatest", {T("apple"), T("banana")}), "banana");
  EXPECT_EQ(Call("greatest", {I(1), D(2.5), kNullInt}), "2.5");
  EXPECT_EQ(Call("least", {Dt("2024-01-01"), Ts("2023-06-01 10:00")}), "2023-06-01 10:00:00");
  EXPECT_EQ(Call("greatest", {kNullInt, kNullInt}), "NULL");
  EXPECT_EQ(Call("greatest", {I(1), T("a")}),
            "ERROR 42883: function greatest(integer, text) does not exist");
  const ScalarFunction* g = FindScalarFunction("greatest");
  std::vector<DataType> cast_to;
  std::vector<std::optional<DataType>> args = {DataType::kSmallInt, std::nullopt, DataType::kInt};
  EXPECT_EQ(*g->Bind(args, &cast_to), DataType::kInt);
  EXPECT_EQ(cast_to, std::vector<DataType>(3, DataType::kInt));
  args = {std::nullopt};
  EXPECT_EQ(*g->Bind(args, &cast_to), DataType::kText);
  EXPECT_FALSE(g->strict);
}

TEST(ScalarFunctions, NowAndCurrentDateAreTheStatementTimestamp) {
  EXPECT_EQ(Call("now", {}), "2024-01-31 12:34:56.789012+00");
  EXPECT_EQ(Call("current_timestamp", {}), "2024-01-31 12:34:56.789012+00");
  EXPECT_EQ(Call("current_date", {}), "2024-01-31");
  EXPECT_EQ(Call("localtimestamp", {}), "2024-01-31 12:34:56.789012");
}

TEST(ScalarFunctions, DateTrunc) {
  EXPECT_EQ(Call("date_trunc", {T("week"), Ts("2024-01-31 12:34:56.789")}), "2024-01-29 00:00:00");
  EXPECT_EQ(Call("date_trunc", {T("quarter"), Ts("2024-05-31 12:34")}), "2024-04-01 00:00:00");
  EXPECT_EQ(Call("date_trunc", {T("hour"), TsTz("2024-01-31 12:34:56+00")}),
            "2024-01-31 12:00:00+00");
  EXPECT_EQ(Call("date_trunc", {T("year"), Dt("2024-05-05")}), "2024-01-01 00:00:00+00");
  EXPECT_EQ(Call("date_trunc", {T("month"), Ts("2024-02-29 23:59:59.999999")}),
            "2024-02-01 00:00:00");
  EXPECT_EQ(Call("date_trunc", {T("decade"), Ts("2024-05-31")}), "2020-01-01 00:00:00");
  EXPECT_EQ(Call("date_trunc", {T("century"), Ts("2000-05-31")}), "1901-01-01 00:00:00");
  EXPECT_EQ(Call("date_trunc", {T("millennium"), Ts("2024-05-31")}), "2001-01-01 00:00:00");
  EXPECT_EQ(Call("date_trunc", {T("MiNuTe"), Ts("2024-05-31 10:11:12")}), "2024-05-31 10:11:00");
  EXPECT_EQ(Call("date_trunc", {T("milliseconds"), Ts("2024-05-31 10:11:12.345678")}),
            "2024-05-31 10:11:12.345");
  EXPECT_EQ(Call("date_trunc", {T("second"), Ts("2024-05-31 10:11:12.345678")}),
            "2024-05-31 10:11:12");
  EXPECT_EQ(Call("date_trunc", {T("day"), Ts("1969-12-31 23:00")}), "1969-12-31 00:00:00");
  EXPECT_EQ(Call("date_trunc", {T("week"), Ts("1970-01-01")}), "1969-12-29 00:00:00");
  EXPECT_EQ(Call("date_trunc", {T("foo"), TsTz("2024-01-01")}),
            "ERROR 22023: unit \"foo\" not recognized for type timestamp with time zone");
}

TEST(ScalarFunctions, ExtractAndDatePart) {
  EXPECT_EQ(Call("extract", {T("year"), Ts("2024-01-31 12:34:56.789")}), "2024");
  EXPECT_EQ(Call("date_part", {T("second"), Ts("2024-01-31 12:34:56.789")}), "56.789");
  EXPECT_EQ(Call("date_part", {T("dow"), Dt("2024-01-28")}), "0");
  EXPECT_EQ(Call("date_part", {T("isodow"), Dt("2024-01-28")}), "7");
  EXPECT_EQ(Call("date_part", {T("doy"), Dt("2024-12-31")}), "366");
  EXPECT_EQ(Call("date_part", {T("epoch"), TsTz("2024-01-31 12:00:00.5+00")}), "1706702400.5");
  EXPECT_EQ(Call("date_part", {T("week"), Dt("2021-01-03")}), "53");
  EXPECT_EQ(Call("date_part", {T("week"), Dt("2024-12-30")}), "1");
  EXPECT_EQ(Call("date_part", {T("quarter"), Dt("2024-08-01")}), "3");
  EXPECT_EQ(Call("date_part", {T("year"), Dt("0001-06-01 BC")}), "-1");
  EXPECT_EQ(Call("date_part", {T("century"), Dt("2000-01-01")}), "20");
  EXPECT_EQ(Call("date_part", {T("century"), Dt("2001-01-01")}), "21");
  EXPECT_EQ(Call("date_part", {T("millennium"), Dt("2000-12-31")}), "2");
  EXPECT_EQ(Call("date_part", {T("decade"), Dt("2024-01-01")}), "202");
  EXPECT_EQ(Call("date_part", {T("milliseconds"), Ts("2024-01-01 00:00:12.345")}), "12345");
  EXPECT_EQ(Call("date_part", {T("microseconds"), Ts("2024-01-01 00:00:12.345")}), "12345000");
  EXPECT_EQ(Call("date_part", {T("isoyear"), Dt("2021-01-03")}), "2020");
  EXPECT_EQ(Call("date_part", {T("epoch"), Dt("2024-01-01")}), "1704067200");
  EXPECT_EQ(Call("date_part", {T("hour"), Ts("2024-01-01 23:15")}), "23");
  EXPECT_EQ(Call("date_part", {T("minute"), Ts("2024-01-01 23:15")}), "15");
  EXPECT_EQ(Call("date_part", {T("century"), Dt("0001-06-01 BC")}), "-1");
  EXPECT_EQ(Call("date_part", {T("century"), Dt("0100-06-01 BC")}), "-1");
  EXPECT_EQ(Call("date_part", {T("century"), Dt("0101-06-01 BC")}), "-2");
  EXPECT_EQ(Call("date_part", {T("decade"), Dt("0001-06-01 BC")}), "0");
  EXPECT_EQ(Call("date_part", {T("millennium"), Dt("1001-06-01 BC")}), "-2");
  EXPECT_EQ(Call("date_part", {T("hour"), Dt("2024-01-01")}), "0");
  EXPECT_EQ(Call("date_part", {T("hours"), Ts("2024-01-01 23:15")}), "23");
  EXPECT_EQ(Call("extract", {T("hour"), Dt("2024-01-01")}),
            "ERROR 22023: unit \"hour\" not supported for type date");
  EXPECT_EQ(Call("extract", {T("foo"), Ts("2024-01-01")}),
            "ERROR 22023: unit \"foo\" not recognized for type timestamp without time zone");
}

TEST(ScalarFunctions, ToTimestampAndMakeDate) {
  EXPECT_EQ(Call("to_timestamp", {D(1706702400.5)}), "2024-01-31 12:00:00.5+00");
  EXPECT_EQ(Call("to_timestamp", {D(0)}), "1970-01-01 00:00:00+00");
  EXPECT_EQ(Call("to_timestamp", {D(-1.5)}), "1969-12-31 23:59:58.5+00");
  EXPECT_EQ(Call("to_timestamp", {I(86400)}), "1970-01-02 00:00:00+00");
  EXPECT_EQ(Call("to_timestamp", {D(NAN)}), "ERROR 22008: timestamp cannot be NaN");
  EXPECT_EQ(Call("to_timestamp", {D(1e20)}), "ERROR 22008: timestamp out of range: \"1e+20\"");
  EXPECT_EQ(Call("make_date", {I(2024), I(2), I(29)}), "2024-02-29");
  EXPECT_EQ(Call("make_date", {I(-44), I(3), I(15)}), "0044-03-15 BC");
  EXPECT_EQ(Call("make_date", {I(2023), I(2), I(29)}),
            "ERROR 22008: date field value out of range: 2023-02-29");
  EXPECT_EQ(Call("make_date", {I(-44), I(2), I(30)}),
            "ERROR 22008: date field value out of range: -43-02-30");  // PostgreSQL shows -43
  EXPECT_EQ(Call("make_date", {I(0), I(1), I(1)}),
            "ERROR 22008: date field value out of range: 0-01-01");
}

TEST(ScalarFunctions, VectorEvaluationHonoursStrictness) {
  ColumnVector s(DataType::kText), n(DataType::kInt);
  s.Append(T("hello"));
  n.Append(I(2));
  s.Append(kNullText);
  n.Append(I(1));
  s.Append(T("héllo"));
  n.Append(kNullInt);
  const ColumnVector* args[] = {&s, &n};
  ColumnVector out(DataType::kText);
  ASSERT_TRUE(EvalScalarFunctionVector(*FindScalarFunction("left"), args, 3, Context(), &out).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out.GetValue(0).ToString(), "he");
  EXPECT_TRUE(out.IsNull(1));
  EXPECT_TRUE(out.IsNull(2));
  // concat is not strict: NULLs are skipped instead of nulling the row.
  const ColumnVector* concat_args[] = {&s, &s};
  ColumnVector joined(DataType::kText);
  ASSERT_TRUE(
      EvalScalarFunctionVector(*FindScalarFunction("concat"), concat_args, 3, Context(), &joined)
          .ok());
  EXPECT_EQ(joined.GetValue(1).ToString(), "");
  EXPECT_EQ(joined.GetValue(2).ToString(), "héllohéllo");
  // Functions without arguments run once per row.
  ColumnVector ids(DataType::kBigInt);
  ASSERT_TRUE(
      EvalScalarFunctionVector(*FindScalarFunction("snowflake_id"), {}, 4, Context(), &ids).ok());
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_LT(ids.GetValue(0).as_int64(), ids.GetValue(3).as_int64());
  // Errors stop the evaluation with the row's message.
  ColumnVector zero(DataType::kInt);
  zero.Append(I(0));
  const ColumnVector* chr_args[] = {&zero};
  ColumnVector chars(DataType::kText);
  EXPECT_EQ(EvalScalarFunctionVector(*FindScalarFunction("chr"), chr_args, 1, Context(), &chars)
                .message(),
            "null character not permitted");
}

TEST(ScalarFunctions, SnowflakeIdsIncreaseStrictlyAcrossThreads) {
  constexpr int kPerThread = 20000;
  std::vector<int64_t> ids[2];
  auto worker = [](std::vector<int64_t>* out) {
    out->reserve(kPerThread);
    for (int i = 0; i < kPerThread; ++i) {
      out->push_back(EvalScalarFunction("snowflake_id", {}, Context())->as_int64());
    }
  };
  std::thread a(worker, &ids[0]), b(worker, &ids[1]);
  a.join();
  b.join();
  std::set<int64_t> all;
  for (const auto& v : ids) {
    for (size_t i = 1; i < v.size(); ++i)
      ASSERT_LT(v[i - 1], v[i]);  // per-thread order
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), 2u * kPerThread);  // no duplicates across threads
  // Layout: node id 0 in bits 12..21, a timestamp close to now in the top 41 bits.
  const int64_t id = *all.rbegin();
  EXPECT_EQ((id >> 12) & 0x3FF, 0);
  const int64_t ms = (id >> 22) + 1'704'067'200'000;
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  EXPECT_LE(std::abs(now_ms - ms), 60'000);
  EXPECT_GT(id, 0);
}

TEST(ScalarFunctions, UuidV7AndV4) {
  std::vector<std::string> v7;
  for (int i = 0; i < 5000; ++i) {
    Result<Value> v = EvalScalarFunction("uuid_v7", {}, Context());
    ASSERT_TRUE(v.ok());
    ASSERT_EQ(v->type(), DataType::kUuid);
    const Uuid u = v->as_uuid();
    EXPECT_EQ(u[6] >> 4, 7);       // version
    EXPECT_EQ(u[8] & 0xC0, 0x80);  // variant 10
    v7.push_back(std::string(v->as_bytes()));
  }
  for (size_t i = 1; i < v7.size(); ++i)
    ASSERT_LT(v7[i - 1], v7[i]);  // monotonic
  const Uuid first = EvalScalarFunction("uuid_v7", {}, Context())->as_uuid();
  int64_t ms = 0;
  for (int i = 0; i < 6; ++i)
    ms = ms << 8 | first[i];
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  EXPECT_LE(std::abs(now_ms - ms), 60'000);
  std::set<std::string> v4;
  for (int i = 0; i < 1000; ++i) {
    const Value v = *EvalScalarFunction("gen_random_uuid", {}, Context());
    const Uuid u = v.as_uuid();
    EXPECT_EQ(u[6] >> 4, 4);
    EXPECT_EQ(u[8] & 0xC0, 0x80);
    v4.insert(v.ToString());
  }
  EXPECT_EQ(v4.size(), 1000u);
  EXPECT_EQ(v4.begin()->size(), 36u);
}

}  // namespace
}  // namespace tenantdb::sql
