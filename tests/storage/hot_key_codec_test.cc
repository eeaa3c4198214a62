#include "storage/hot/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace tenantdb {
namespace {

// -1, 0, 1 comparing two values of one type in SQL order (NaN last, -0.0 == 0.0).
int CompareValues(const Value& a, const Value& b) {
  switch (a.type()) {
    case DataType::kReal:
    case DataType::kDouble: {
      double x = a.as_double(), y = b.as_double();
      if (a.type() == DataType::kReal) {
        x = static_cast<float>(x);
        y = static_cast<float>(y);
      }
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) - std::isnan(y);
      return (x > y) - (x < y);
    }
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
    case DataType::kUuid: {
      const int c = a.as_bytes().compare(b.as_bytes());
      return (c > 0) - (c < 0);
    }
    default:
      return (a.as_int64() > b.as_int64()) - (a.as_int64() < b.as_int64());
  }
}

int Sign(int c) {
  return (c > 0) - (c < 0);
}

std::string RandomBytes(std::mt19937_64& rng, size_t max_len) {
  // A small alphabet with 0x00, 0x01 and 0xFF makes escapes and prefixes common.
  static constexpr char kAlphabet[] = {'\x00', '\x01', '\xFF', 'a', 'b', '\x7F', '\x80'};
  std::string s(rng() % (max_len + 1), '\0');
  for (char& c : s)
    c = kAlphabet[rng() % sizeof(kAlphabet)];
  return s;
}

Value RandomValue(DataType type, std::mt19937_64& rng) {
  const uint64_t r = rng();
  // Half the integers near zero (sign boundaries), half anywhere.
  const int64_t i = (r & 1) ? static_cast<int64_t>(rng() % 7) - 3 : static_cast<int64_t>(rng());
  switch (type) {
    case DataType::kBoolean:
      return Value::Boolean(r & 2);
    case DataType::kSmallInt:
      return Value::SmallInt(static_cast<int16_t>(i));
    case DataType::kInt:
      return Value::Int(static_cast<int32_t>(i));
    case DataType::kBigInt:
      return Value::BigInt(i);
    case DataType::kDate:
      return Value::Date(static_cast<int32_t>(i));
    case DataType::kTimestamp:
      return Value::Timestamp(i);
    case DataType::kTimestampTz:
      return Value::TimestampTz(i);
    case DataType::kReal:
    case DataType::kDouble: {
      static const double kSpecial[] = {0.0,
                                        -0.0,
                                        1.0,
                                        -1.0,
                                        std::numeric_limits<double>::infinity(),
                                        -std::numeric_limits<double>::infinity(),
                                        std::numeric_limits<double>::quiet_NaN(),
                                        -std::numeric_limits<double>::quiet_NaN(),
                                        std::numeric_limits<double>::denorm_min(),
                                        -std::numeric_limits<double>::denorm_min(),
                                        std::numeric_limits<double>::max(),
                                        std::numeric_limits<double>::lowest()};
      double d = (r % 3 == 0) ? kSpecial[rng() % std::size(kSpecial)]
                              : std::ldexp(static_cast<double>(static_cast<int64_t>(rng())),
                                           static_cast<int>(rng() % 200) - 100);
      return type == DataType::kReal ? Value::Real(static_cast<float>(d)) : Value::Double(d);
    }
    case DataType::kText:
      return Value::Text(RandomBytes(rng, 6));
    case DataType::kBytea:
      return Value::Bytea(RandomBytes(rng, 6));
    case DataType::kJson:
      return Value::Json(RandomBytes(rng, 6));
    case DataType::kUuid: {
      Uuid u;
      for (auto& b : u)
        b = static_cast<uint8_t>((r & 4) ? rng() % 3 : rng());
      return Value::FromUuid(u);
    }
    case DataType::kInterval:
    case DataType::kNumeric:
      break;
  }
  return Value::Null(type);
}

std::string Encode(DataType type, const Value& v) {
  std::string out;
  EXPECT_TRUE(AppendKeyColumn(type, v, &out).ok());
  return out;
}

TEST(HotKeyCodec, EncodedOrderIsValueOrderForEveryType) {
  std::mt19937_64 rng(42);
  for (DataType type : kAllDataTypes) {
    // Not key types: CREATE TABLE refuses them.
    if (type == DataType::kInterval || type == DataType::kNumeric) continue;
    std::vector<Value> values;
    for (int i = 0; i < 300; ++i)
      values.push_back(RandomValue(type, rng));
    for (size_t a = 0; a < values.size(); ++a) {
      const std::string ea = Encode(type, values[a]);
      for (size_t b = 0; b < values.size(); ++b) {
        const std::string eb = Encode(type, values[b]);
        ASSERT_EQ(Sign(ea.compare(eb)), CompareValues(values[a], values[b]))
            << DataTypeName(type) << ": " << values[a].ToString() << " vs " << values[b].ToString();
      }
    }
  }
}

TEST(HotKeyCodec, DecodesWhatItEncodes) {
  std::mt19937_64 rng(7);
  for (DataType type : kAllDataTypes) {
    // Not key types: CREATE TABLE refuses them.
    if (type == DataType::kInterval || type == DataType::kNumeric) continue;
    for (int i = 0; i < 200; ++i) {
      const Value v = RandomValue(type, rng);
      const std::vector<DataType> types{type, DataType::kBigInt};
      std::string key;
      ASSERT_TRUE(AppendKeyColumns(types, std::vector<Value>{v, Value::BigInt(-5)}, &key).ok());
      auto decoded = DecodeKeyColumns(types, key);
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      ASSERT_EQ(decoded->size(), 2u);
      EXPECT_EQ(CompareValues((*decoded)[0], v), 0) << v.ToString();
      EXPECT_EQ((*decoded)[0].type(), type);
      EXPECT_EQ((*decoded)[1], Value::BigInt(-5));
    }
  }
}

TEST(HotKeyCodec, CompositeKeysSortColumnByColumn) {
  std::mt19937_64 rng(11);
  const std::vector<DataType> types{DataType::kText, DataType::kInt, DataType::kBytea};
  std::vector<std::vector<Value>> keys;
  for (int i = 0; i < 400; ++i) {
    keys.push_back(
        {RandomValue(types[0], rng), RandomValue(types[1], rng), RandomValue(types[2], rng)});
  }
  for (const auto& a : keys) {
    std::string ea;
    ASSERT_TRUE(AppendKeyColumns(types, a, &ea).ok());
    for (const auto& b : keys) {
      std::string eb;
      ASSERT_TRUE(AppendKeyColumns(types, b, &eb).ok());
      int expected = 0;
      for (size_t c = 0; c < 3 && expected == 0; ++c)
        expected = CompareValues(a[c], b[c]);
      ASSERT_EQ(Sign(ea.compare(eb)), expected);
    }
  }
}

TEST(HotKeyCodec, NegativeZeroAndNanAreNormalized) {
  EXPECT_EQ(Encode(DataType::kDouble, Value::Double(-0.0)),
            Encode(DataType::kDouble, Value::Double(0.0)));
  EXPECT_EQ(Encode(DataType::kDouble, Value::Double(std::nan("1"))),
            Encode(DataType::kDouble, Value::Double(-std::nan("2"))));
  EXPECT_GT(Encode(DataType::kReal, Value::Real(std::nanf(""))),
            Encode(DataType::kReal, Value::Real(std::numeric_limits<float>::infinity())));
}

TEST(HotKeyCodec, UserRangesNeverOverlap) {
  const std::vector<std::string> users = {"",
                                          "a",
                                          "ab",
                                          std::string("a\0b", 3),
                                          "a0",
                                          "a\x01",
                                          "b",
                                          std::string("a\0", 2),
                                          "\xFF",
                                          "\xFF\xFF",
                                          std::string("\0", 1)};
  for (const auto& u : users) {
    const std::string pu = EncodeUserPrefix(7, u);
    const std::string end_u = PrefixSuccessor(pu);
    for (const auto& v : users) {
      if (u == v) continue;
      const std::string pv = EncodeUserPrefix(7, v);
      // No key of v starts with u's prefix, and v's whole range lies outside u's.
      EXPECT_FALSE(pv.starts_with(pu)) << "'" << u << "' vs '" << v << "'";
      EXPECT_TRUE(pv >= end_u || PrefixSuccessor(pv) <= pu) << "'" << u << "' vs '" << v << "'";
      // And user order is byte order.
      EXPECT_EQ(Sign(pu.compare(pv)), Sign(u.compare(v)));
    }
    std::string_view rest;
    const std::string key = pu + "tail";
    auto decoded = DecodeUserId(key, &rest);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, u);
    EXPECT_EQ(rest, "tail");
  }
}

TEST(HotKeyCodec, TablePrefixesOrderByNumber) {
  EXPECT_LT(EncodeTablePrefix(1), EncodeTablePrefix(2));
  EXPECT_LT(EncodeTablePrefix(255), EncodeTablePrefix(256));
  EXPECT_LT(EncodeUserPrefix(1, "\xFF\xFF"), EncodeTablePrefix(2));
  EXPECT_EQ(PrefixSuccessor(EncodeTablePrefix(0xFFFFFFFFu)), "");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xFF", 2)), "b");
}

TEST(HotKeyCodec, RejectsNullsAndWrongTypes) {
  std::string out;
  EXPECT_EQ(AppendKeyColumn(DataType::kInt, Value::Null(DataType::kInt), &out).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(AppendKeyColumn(DataType::kInt, Value::BigInt(1), &out).code(),
            ErrorCode::kTypeMismatch);
}

TEST(HotKeyCodec, RandomBytesDecodeOrFailCleanly) {
  std::mt19937_64 rng(3);
  const std::vector<DataType> types{DataType::kText, DataType::kBoolean, DataType::kUuid,
                                    DataType::kReal};
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(rng() % 40, '\0');
    for (char& c : bytes)
      c = static_cast<char>(rng() % 4 == 0 ? 0 : rng());
    auto decoded = DecodeKeyColumns(types, bytes);
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), ErrorCode::kCorruption);
    }
    std::string_view rest;
    auto user = DecodeUserId(bytes, &rest);
    if (!user.ok()) {
      EXPECT_EQ(user.status().code(), ErrorCode::kCorruption);
    }
  }
}

}  // namespace
}  // namespace tenantdb
