// Binary COPY (sql/copy/copy_binary.h and CopyDecoder's binary path): the bytes
// PostgreSQL 15 writes for `COPY allt TO STDOUT (FORMAT binary)` (one row of every type
// and one of NULLs) decode to the values it held, in chunks of any size, and tenantdb
// writes exactly those bytes for the same rows; bad data fails with a clear error.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sql/copy/copy_binary.h"
#include "sql/copy/copy_decoder.h"
#include "sql/copy/copy_format.h"
#include "sql/function/text_input.h"

namespace tenantdb::sql {
namespace {

// psql: CREATE TABLE allt (b bool, s int2, i int4, l int8, r float4, d float8, t text,
// y bytea, dt date, ts timestamp, tz timestamptz, j json, u uuid, iv interval); one row of
// (true, -2, 70000, -5000000000, 1.5, -0.25, 'héllo', '\x00ff', '2024-02-29',
// '1999-12-31 23:59:59.5', '2030-01-01 00:00:00+00', '{"a":1}',
// 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 year 2 mons -3 days 04:05:06.5') and one of
// NULLs; \copy allt TO 'f' WITH (FORMAT binary); xxd -p f.
constexpr std::string_view kPostgresHex =
    "5047434f50590aff0d0a000000000000000000000e000000010100000002fffe000000040001117000000008"
    "fffffffed5fa0e00000000043fc0000000000008bfd00000000000000000000668c3a96c6c6f0000000200ff"
    "000000040000227900000008fffffffffff85ee00000000800035d15590f4000000000077b2261223a317d00"
    "000010a0eebc999c0b4ef8bb6d6bb9bd380a1100000010000000036c9361a0fffffffd0000000e000effffff"
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffff";

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

const std::vector<DataType> kTypes = {
    DataType::kBoolean, DataType::kSmallInt,  DataType::kInt,         DataType::kBigInt,
    DataType::kReal,    DataType::kDouble,    DataType::kText,        DataType::kBytea,
    DataType::kDate,    DataType::kTimestamp, DataType::kTimestampTz, DataType::kJson,
    DataType::kUuid,    DataType::kInterval};

std::vector<Value> ExpectedRow() {
  std::vector<Value> row;
  const char* texts[] = {"true",
                         "-2",
                         "70000",
                         "-5000000000",
                         "1.5",
                         "-0.25",
                         "héllo",
                         "\\x00ff",
                         "2024-02-29",
                         "1999-12-31 23:59:59.5",
                         "2030-01-01 00:00:00+00",
                         "{\"a\":1}",
                         "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                         "1 year 2 mons -3 days 04:05:06.5"};
  for (size_t i = 0; i < kTypes.size(); ++i)
    row.push_back(*ParseTextAs(texts[i], kTypes[i]));
  return row;
}

Batch ExpectedBatch() {
  std::vector<Field> fields;
  for (size_t i = 0; i < kTypes.size(); ++i)
    fields.push_back(Field{"c" + std::to_string(i), kTypes[i], true, false, ""});
  Batch batch(std::make_shared<const Schema>(std::move(fields), SchemaMetadata{}));
  EXPECT_TRUE(batch.AppendRow(ExpectedRow()).ok());
  std::vector<Value> nulls;
  for (DataType t : kTypes)
    nulls.push_back(Value::Null(t));
  EXPECT_TRUE(batch.AppendRow(nulls).ok());
  return batch;
}

CopyFormat Binary() {
  CopyOption o;
  o.name = "format";
  o.value = "binary";
  return *ParseCopyFormat({o}, true);
}

// Decodes `data` in pieces of `chunk` bytes into rows of kTypes values.
Result<std::vector<std::vector<Value>>> Decode(std::string_view data, size_t chunk) {
  TDB_ASSIGN_OR_RETURN(CopyDecoder decoder, CopyDecoder::Make(Binary(), {}));
  std::vector<std::vector<Value>> rows;
  auto on_record = [&](uint64_t, const std::vector<CopyField>& fields) -> Status {
    if (fields.size() != kTypes.size()) {
      return Status(ErrorCode::kInvalidArgument, std::to_string(fields.size()) + " fields");
    }
    std::vector<Value> row;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].null) {
        row.push_back(Value::Null(kTypes[i]));
      } else {
        TDB_ASSIGN_OR_RETURN(Value v, ParseBinaryField(fields[i].text, kTypes[i]));
        row.push_back(std::move(v));
      }
    }
    rows.push_back(std::move(row));
    return Status::Ok();
  };
  for (size_t at = 0; at < data.size(); at += chunk)
    TDB_RETURN_IF_ERROR(decoder.Feed(data.substr(at, chunk), on_record));
  TDB_RETURN_IF_ERROR(decoder.Finish(on_record));
  return rows;
}

TEST(CopyBinary, ReadsWhatPostgresWritesInAnyChunkSize) {
  const std::string data = FromHex(kPostgresHex);
  ASSERT_EQ(data.size(), 231u);
  const std::vector<Value> expected = ExpectedRow();
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{19}, data.size()}) {
    Result<std::vector<std::vector<Value>>> rows = Decode(data, chunk);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(rows->size(), 2u);
    for (size_t i = 0; i < kTypes.size(); ++i) {
      EXPECT_EQ((*rows)[0][i], expected[i]) << i << ": " << (*rows)[0][i].ToString();
      EXPECT_TRUE((*rows)[1][i].is_null());
    }
  }
}

TEST(CopyBinary, WritesWhatPostgresWrites) {
  const Batch batch = ExpectedBatch();
  std::string out;
  AppendBinaryCopyHeader(&out);
  for (size_t r = 0; r < batch.num_rows(); ++r)
    AppendBinaryCopyTuple(batch, r, &out);
  AppendBinaryCopyTrailer(&out);
  EXPECT_EQ(out, FromHex(kPostgresHex));
}

TEST(CopyBinary, DataMayEndWithoutTheTrailerButNotInsideATuple) {
  const std::string data = FromHex(kPostgresHex);
  EXPECT_TRUE(Decode(data.substr(0, data.size() - 2), 5).ok());
  Result<std::vector<std::vector<Value>>> cut = Decode(data.substr(0, data.size() - 10), 5);
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("unexpected EOF in COPY data"), std::string::npos);
}

TEST(CopyBinary, BadDataFailsClearly) {
  auto error = [](std::string_view data) {
    Result<std::vector<std::vector<Value>>> r = Decode(data, 4);
    return r.ok() ? std::string("ok") : std::string(r.status().message());
  };
  EXPECT_NE(error("PGCOPX\n\377\r\n\0abcdefgh").find("signature not recognized"),
            std::string::npos);
  EXPECT_NE(error("").find("signature not recognized"), std::string::npos);
  const std::string header = FromHex(kPostgresHex).substr(0, 19);
  std::string oids = header;
  oids[12] = 1;  // flags bit 16
  EXPECT_NE(error(oids).find("OIDs"), std::string::npos);
  // A field count of -2 and a field length of -5.
  EXPECT_NE(error(header + std::string("\xff\xfe", 2)).find("invalid field count"),
            std::string::npos);
  EXPECT_NE(error(header + std::string("\x00\x01\xff\xff\xff\xfb", 6)).find("invalid field size"),
            std::string::npos);
  // Wrong value lengths, bad UTF-8 and bad JSON in a field; a bool is true when not 0 (as
  // PostgreSQL's boolrecv reads it).
  EXPECT_FALSE(ParseBinaryField("abc", DataType::kInt).ok());
  EXPECT_EQ(*ParseBinaryField(std::string("\x02", 1), DataType::kBoolean), Value::Boolean(true));
  EXPECT_FALSE(ParseBinaryField("\xff", DataType::kText).ok());
  EXPECT_FALSE(ParseBinaryField("{", DataType::kJson).ok());
  EXPECT_EQ(*ParseBinaryField("\x01{}", DataType::kJson), Value::Json("{}"));  // jsonb
  EXPECT_FALSE(ParseBinaryField("0123456789abcdef0", DataType::kInterval).ok());
}

}  // namespace
}  // namespace tenantdb::sql
