// The protocol's message codec (src/server/pgwire): frontend decoding with its bounds and
// errors, framing, backend encoding, and values in text and binary form.
#include <gtest/gtest.h>

#include <cstring>

#include "server/pgwire/backend_messages.h"
#include "server/pgwire/frontend_messages.h"
#include "server/pgwire/message_framer.h"
#include "server/pgwire/pg_types.h"
#include "server/pgwire/value_codec.h"
#include "tenantdb/pg_binary.h"

namespace tenantdb::server::pgwire {
namespace {

std::string Int16(int16_t v) {
  return {static_cast<char>(static_cast<uint16_t>(v) >> 8), static_cast<char>(v & 0xFF)};
}
std::string Int32(int32_t v) {
  const uint32_t u = static_cast<uint32_t>(v);
  return {static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8),
          static_cast<char>(u)};
}
std::string CStr(std::string_view s) {
  return std::string(s) + '\0';
}

TEST(PgFrontendMessages, DecodesStartupWithParameters) {
  const std::string body = Int32(kProtocolVersion3) + CStr("user") + CStr("alice") +
                           CStr("database") + CStr("anything") + CStr("application_name") +
                           CStr("psql") + '\0';
  Result<StartupPacket> p = DecodeStartupPacket(body);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, StartupPacket::Kind::kStartup);
  EXPECT_EQ(p->Parameter("user"), "alice");
  EXPECT_EQ(p->Parameter("application_name"), "psql");
  EXPECT_EQ(p->Parameter("missing"), "");
}

TEST(PgFrontendMessages, DecodesSslGssAndCancelRequests) {
  EXPECT_EQ(DecodeStartupPacket(Int32(kSslRequestCode))->kind, StartupPacket::Kind::kSslRequest);
  EXPECT_EQ(DecodeStartupPacket(Int32(kGssEncRequestCode))->kind,
            StartupPacket::Kind::kGssEncRequest);
  Result<StartupPacket> cancel =
      DecodeStartupPacket(Int32(kCancelRequestCode) + Int32(42) + Int32(-7));
  ASSERT_TRUE(cancel.ok());
  EXPECT_EQ(cancel->kind, StartupPacket::Kind::kCancel);
  EXPECT_EQ(cancel->process_id, 42);
  EXPECT_EQ(cancel->secret_key, -7);
}

TEST(PgFrontendMessages, MalformedStartupIsAProtocolViolation) {
  struct Case {
    std::string body;
    ErrorCode code;
  };
  const Case cases[] = {
      {"", ErrorCode::kInvalidRequest},
      {Int32(kProtocolVersion3) + CStr("user"), ErrorCode::kInvalidRequest},  // no value
      {Int32(kProtocolVersion3) + CStr("user") + CStr("a"), ErrorCode::kInvalidRequest},  // no end
      {Int32(kCancelRequestCode) + Int32(1), ErrorCode::kInvalidRequest},
      {Int32(kSslRequestCode) + "x", ErrorCode::kInvalidRequest},
      {Int32(2 << 16) + '\0', ErrorCode::kFeatureNotSupported},             // protocol 2
      {Int32(kProtocolVersion3) + '\0', ErrorCode::kInvalidAuthorization},  // no user
  };
  for (const Case& c : cases) {
    Result<StartupPacket> p = DecodeStartupPacket(c.body);
    ASSERT_FALSE(p.ok()) << c.body.size();
    EXPECT_EQ(p.status().code(), c.code) << p.status().ToString();
  }
}

TEST(PgFrontendMessages, DecodesParseBindDescribeExecuteClose) {
  Result<FrontendMessage> parse =
      DecodeFrontendMessage('P', CStr("s1") + CStr("SELECT $1") + Int16(1) + Int32(23));
  ASSERT_TRUE(parse.ok()) << parse.status().ToString();
  const auto& p = std::get<ParseMessage>(*parse);
  EXPECT_EQ(p.statement, "s1");
  EXPECT_EQ(p.sql, "SELECT $1");
  EXPECT_EQ(p.parameter_oids, std::vector<uint32_t>{23});

  Result<FrontendMessage> bind =
      DecodeFrontendMessage('B', CStr("p") + CStr("s1") + Int16(1) + Int16(1) + Int16(2) +
                                     Int32(4) + Int32(7) + Int32(-1) + Int16(1) + Int16(1));
  ASSERT_TRUE(bind.ok()) << bind.status().ToString();
  const auto& b = std::get<BindMessage>(*bind);
  EXPECT_EQ(b.portal, "p");
  ASSERT_EQ(b.parameters.size(), 2u);
  EXPECT_EQ(*b.parameters[0], Int32(7));
  EXPECT_FALSE(b.parameters[1].has_value());
  EXPECT_EQ(b.result_formats, std::vector<int16_t>{1});

  Result<FrontendMessage> describe = DecodeFrontendMessage('D', "P" + CStr("p"));
  ASSERT_TRUE(describe.ok());
  EXPECT_TRUE(std::get<DescribeMessage>(*describe).portal);
  Result<FrontendMessage> execute = DecodeFrontendMessage('E', CStr("p") + Int32(10));
  ASSERT_TRUE(execute.ok());
  EXPECT_EQ(std::get<ExecuteMessage>(*execute).max_rows, 10);
  Result<FrontendMessage> close = DecodeFrontendMessage('C', "S" + CStr("s1"));
  ASSERT_TRUE(close.ok());
  EXPECT_FALSE(std::get<CloseMessage>(*close).portal);
  EXPECT_TRUE(std::holds_alternative<SyncMessage>(*DecodeFrontendMessage('S', "")));
  EXPECT_TRUE(std::holds_alternative<FlushMessage>(*DecodeFrontendMessage('H', "")));
  EXPECT_TRUE(std::holds_alternative<TerminateMessage>(*DecodeFrontendMessage('X', "")));
}

TEST(PgFrontendMessages, DecodesCopyDataDoneAndFail) {
  Result<FrontendMessage> data = DecodeFrontendMessage('d', std::string("1\tx\n\0", 5));
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(std::get<CopyDataMessage>(*data).data, std::string("1\tx\n\0", 5));
  EXPECT_TRUE(std::holds_alternative<CopyDoneMessage>(*DecodeFrontendMessage('c', "")));
  Result<FrontendMessage> fail = DecodeFrontendMessage('f', CStr("gave up"));
  ASSERT_TRUE(fail.ok());
  EXPECT_EQ(std::get<CopyFailMessage>(*fail).message, "gave up");
  EXPECT_EQ(DecodeFrontendMessage('c', "x").status().code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(DecodeFrontendMessage('f', "no terminator").status().code(),
            ErrorCode::kInvalidRequest);
}

TEST(PgFrontendMessages, MalformedMessagesAreProtocolViolationsNamingTheMessage) {
  struct Case {
    char type;
    std::string body;
    std::string_view expect;
  };
  const Case cases[] = {
      {'Q', "no terminator", "Query"},
      {'Q', CStr("a") + "b", "Query"},
      {'P', CStr("s"), "Parse"},
      {'P', CStr("s") + CStr("q") + Int16(1000), "Parse"},  // 1000 types in 0 bytes
      {'P', CStr("s") + CStr("q") + Int16(-1), "Parse"},
      {'B', CStr("p") + CStr("s") + Int16(1) + Int16(5), "Bind"},  // format 5
      {'B', CStr("p") + CStr("s") + Int16(0) + Int16(1) + Int32(100) + "ab", "Bind"},
      {'B', CStr("p") + CStr("s") + Int16(0) + Int16(1) + Int32(-2), "Bind"},
      {'B',
       CStr("p") + CStr("s") + Int16(2) + Int16(0) + Int16(0) + Int16(1) + Int32(-1) + Int16(0),
       "Bind"},  // two formats for one parameter
      {'B', CStr("p") + CStr("s") + Int16(0) + Int16(0) + Int16(0) + "x", "Bind"},
      {'D', "X" + CStr("n"), "Describe"},
      {'D', "S", "Describe"},
      {'E', CStr("p"), "Execute"},
      {'C', "", "Close"},
      {'S', "x", "Sync"},
      {'Z', "", "invalid frontend message type 'Z'"},
      {'\x01', "", "invalid frontend message type byte 1"},
  };
  for (const Case& c : cases) {
    Result<FrontendMessage> m = DecodeFrontendMessage(c.type, c.body);
    ASSERT_FALSE(m.ok()) << c.expect;
    EXPECT_EQ(m.status().code(), ErrorCode::kInvalidRequest) << m.status().ToString();
    EXPECT_EQ(m.status().sqlstate(), "08P01");
    EXPECT_NE(m.status().message().find(c.expect), std::string_view::npos) << m.status().ToString();
  }
}

TEST(PgFrontendMessages, SaslAndPasswordMessages) {
  Result<SaslInitialResponse> initial =
      DecodeSaslInitialResponse(CStr("SCRAM-SHA-256") + Int32(3) + "abc");
  ASSERT_TRUE(initial.ok());
  EXPECT_EQ(initial->mechanism, "SCRAM-SHA-256");
  EXPECT_EQ(*initial->data, "abc");
  EXPECT_FALSE(DecodeSaslInitialResponse(CStr("SCRAM-SHA-256") + Int32(9) + "abc").ok());
  EXPECT_FALSE(DecodeSaslInitialResponse(CStr("SCRAM-SHA-256") + Int32(-1)).value().data);
  EXPECT_EQ(DecodePasswordMessage(CStr("secret"))->password, "secret");
  EXPECT_FALSE(DecodePasswordMessage("secret").ok());
}

TEST(PgMessageFramer, CutsMessagesAndBoundsTheirLength) {
  const std::string query = "Q" + Int32(4 + 9) + CStr("SELECT 1");
  const std::string two = query + query;
  Result<std::optional<Frame>> f = NextFrame(two, false, 1024);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->type, 'Q');
  EXPECT_EQ((*f)->body, CStr("SELECT 1"));
  EXPECT_EQ((*f)->size, query.size());
  // Partial: wait for more.
  EXPECT_FALSE(NextFrame(query.substr(0, 7), false, 1024)->has_value());
  EXPECT_FALSE(NextFrame("Q", false, 1024)->has_value());
  // Lengths under 4 or over the bound fail before anything is buffered.
  for (int32_t bad : {0, 3, -1, 1025}) {
    Result<std::optional<Frame>> r = NextFrame("Q" + Int32(bad), false, 1024);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().sqlstate(), "08P01");
  }
  // Startup packets have no type byte and their own bound.
  EXPECT_FALSE(NextFrame(Int32(10001), true, 1 << 20).ok());
  EXPECT_FALSE(NextFrame(Int32(7), true, 1 << 20).ok());
  const std::string ssl_request = Int32(8) + Int32(kSslRequestCode);
  Result<std::optional<Frame>> ssl = NextFrame(ssl_request, true, 1024);
  ASSERT_TRUE(ssl.ok() && ssl->has_value());
  EXPECT_EQ((*ssl)->body, Int32(kSslRequestCode));
}

TEST(PgBackendMessages, EncodesLengthsAndFields) {
  std::string out;
  BackendWriter w(&out);
  w.ReadyForQuery('I');
  EXPECT_EQ(out, "Z" + Int32(5) + "I");
  out.clear();
  w.CommandComplete("SELECT 1");
  EXPECT_EQ(out, "C" + Int32(4 + 9) + CStr("SELECT 1"));
  out.clear();
  w.BeginDataRow(2);
  w.Value("ab");
  w.Null();
  w.EndMessage();
  EXPECT_EQ(out, "D" + Int32(4 + 2 + 4 + 2 + 4) + Int16(2) + Int32(2) + "ab" + Int32(-1));
  out.clear();
  ErrorFields fields;
  fields.severity = "ERROR";
  fields.sqlstate = "42601";
  fields.message = "syntax error";
  fields.position = 8;
  w.ErrorResponse(fields);
  const std::string body = "SERROR" + std::string(1, '\0') + "VERROR" + '\0' + "C42601" + '\0' +
                           "Msyntax error" + '\0' + "P8" + '\0' + '\0';
  EXPECT_EQ(out, "E" + Int32(4 + static_cast<int32_t>(body.size())) + body);
}

TEST(PgValueCodec, TextParametersReadAsPostgresWritesThem) {
  struct Case {
    DataType type;
    std::string_view text;
    Value expect;
  };
  const Case cases[] = {
      {DataType::kBoolean, "t", Value::Boolean(true)},
      {DataType::kBoolean, " FALSE ", Value::Boolean(false)},
      {DataType::kSmallInt, "-32768", Value::SmallInt(-32768)},
      {DataType::kInt, "+42", Value::Int(42)},
      {DataType::kBigInt, "9223372036854775807", Value::BigInt(INT64_MAX)},
      {DataType::kDouble, "1.5", Value::Double(1.5)},
      {DataType::kReal, "0.25", Value::Real(0.25f)},
      {DataType::kText, " as is ", Value::Text(" as is ")},
      {DataType::kBytea, "\\x01ff", Value::Bytea(std::string("\x01\xff", 2))},
      {DataType::kBytea, "a\\\\b\\001", Value::Bytea(std::string("a\\b\x01", 4))},
      {DataType::kDate, "2024-02-29", Value::Date(DaysFromCivil(2024, 2, 29))},
      {DataType::kTimestamp, "2024-01-31 12:00:00.5",
       Value::Timestamp(int64_t{DaysFromCivil(2024, 1, 31)} * 86'400'000'000 + 43'200'500'000)},
      {DataType::kTimestampTz, "2024-01-31 14:00:00+02",
       Value::TimestampTz(int64_t{DaysFromCivil(2024, 1, 31)} * 86'400'000'000 + 43'200'000'000)},
      {DataType::kTimestampTz, "2024-01-31T12:00:00Z",
       Value::TimestampTz(int64_t{DaysFromCivil(2024, 1, 31)} * 86'400'000'000 + 43'200'000'000)},
      {DataType::kJson, "{\"a\": 1}", Value::Json("{\"a\": 1}")},
  };
  for (const Case& c : cases) {
    Result<Value> v = ParseTextValue(c.text, c.type);
    ASSERT_TRUE(v.ok()) << c.text << ": " << v.status().ToString();
    EXPECT_EQ(*v, c.expect) << c.text;
  }
  Result<Value> uuid = ParseTextValue("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", DataType::kUuid);
  ASSERT_TRUE(uuid.ok());
  EXPECT_EQ(uuid->ToString(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  for (auto [type, text] : std::initializer_list<std::pair<DataType, std::string_view>>{
           {DataType::kInt, "12x"},
           {DataType::kInt, ""},
           {DataType::kBoolean, "maybe"},
           {DataType::kDate, "2023-02-29"},
           {DataType::kTimestamp, "2024-01-01 25:00"},
           {DataType::kUuid, "a0eebc99"},
           {DataType::kDouble, "1.5.2"},
           {DataType::kBytea, "\\x0"}}) {
    Result<Value> v = ParseTextValue(text, type);
    ASSERT_FALSE(v.ok()) << text;
    EXPECT_EQ(v.status().sqlstate(), "22P02") << v.status().ToString();
  }
  EXPECT_EQ(ParseTextValue("40000", DataType::kSmallInt).status().sqlstate(), "22003");
}

TEST(PgValueCodec, BinaryParametersFollowPostgresSendFormats) {
  EXPECT_EQ(*DecodeParameter(Int32(7), true, 23, DataType::kInt), Value::Int(7));
  // A client's int8 for an INT parameter is converted (and range-checked).
  EXPECT_EQ(*DecodeParameter(Int32(0) + Int32(7), true, 20, DataType::kInt), Value::Int(7));
  EXPECT_EQ(DecodeParameter(Int32(1) + Int32(0), true, 20, DataType::kInt).status().sqlstate(),
            "22003");
  // Dates count days from 2000-01-01; timestamps microseconds.
  EXPECT_EQ(*DecodeParameter(Int32(1), true, 1082, DataType::kDate),
            Value::Date(DaysFromCivil(2000, 1, 2)));
  EXPECT_EQ(*DecodeParameter(Int32(0) + Int32(1'000'000), true, 1114, DataType::kTimestamp),
            Value::Timestamp(int64_t{DaysFromCivil(2000, 1, 1)} * 86'400'000'000 + 1'000'000));
  EXPECT_EQ(*DecodeParameter(std::string("\x01{}", 3), true, kJsonbOid, DataType::kJson),
            Value::Json("{}"));
  double d = 2.5;
  uint64_t bits = 0;
  std::memcpy(&bits, &d, 8);
  EXPECT_EQ(*DecodeParameter(Int32(static_cast<int32_t>(bits >> 32)) +
                                 Int32(static_cast<int32_t>(bits & 0xFFFFFFFF)),
                             true, 701, DataType::kDouble),
            Value::Double(2.5));
  // Wrong lengths are protocol violations, not crashes.
  EXPECT_EQ(DecodeParameter("abc", true, 23, DataType::kInt).status().sqlstate(), "08P01");
  EXPECT_EQ(DecodeParameter("", true, 0, DataType::kUuid).status().sqlstate(), "08P01");
  // Unknown binary type (money): clear error.
  EXPECT_EQ(DecodeParameter("ab", true, 790, DataType::kText).status().code(),
            ErrorCode::kFeatureNotSupported);
}

TEST(ValueCodec, IntervalInTextAndBinary) {
  // interval_send: int8 microseconds, int4 days, int4 months, big-endian.
  const std::string binary = std::string("\0\0\0\0\0\x0f\x42\x40", 8) + Int32(-3) + Int32(14);
  EXPECT_EQ(*DecodeParameter(binary, true, 1186, DataType::kInterval),
            Value::FromInterval(Interval{1'000'000, -3, 14}));
  EXPECT_EQ(*DecodeParameter("1 year 2 mons -3 days 00:00:01", false, 1186, DataType::kInterval),
            Value::FromInterval(Interval{1'000'000, -3, 14}));
  EXPECT_EQ(DecodeParameter("soon", false, 1186, DataType::kInterval).status().sqlstate(), "22P02");
  EXPECT_EQ(DecodeParameter("abc", true, 1186, DataType::kInterval).status().sqlstate(), "08P01");
}

TEST(ValueCodec, NumericInTextAndBinary) {
  // numeric_send of 1234.50: ndigits 2, weight 0, sign 0, dscale 2, digits 1234 and 5000.
  const std::string binary("\x00\x02\x00\x00\x00\x00\x00\x02\x04\xd2\x13\x88", 12);
  const Value expected = Value::FromNumeric(Numeric{123450, 2});
  EXPECT_EQ(*DecodeParameter(binary, true, 1700, DataType::kNumeric), expected);
  EXPECT_EQ(NumericToPgBinary(expected.as_numeric()), binary);
  EXPECT_EQ(*DecodeParameter(" 1234.50 ", false, 1700, DataType::kNumeric), expected);
  EXPECT_EQ(DecodeParameter("12.3.4", false, 1700, DataType::kNumeric).status().sqlstate(),
            "22P02");
  EXPECT_EQ(DecodeParameter(std::string("\x00\x00\x00\x00\xc0\x00\x00\x00", 8), true, 1700,
                            DataType::kNumeric)
                .status()
                .sqlstate(),
            "22003");  // NaN: tenantdb's NUMERIC has none
  EXPECT_EQ(TypeOid(DataType::kNumeric), 1700u);
}

TEST(PgTypes, EveryTypeHasAnOidThatMapsBack) {
  for (DataType type : kAllDataTypes) {
    const uint32_t oid = TypeOid(type);
    EXPECT_NE(oid, 0u);
    EXPECT_EQ(DataTypeForOid(oid), type) << DataTypeName(type);
  }
  EXPECT_EQ(DataTypeForOid(1043), DataType::kText);
  EXPECT_FALSE(DataTypeForOid(790).has_value());  // money
}

}  // namespace
}  // namespace tenantdb::server::pgwire
