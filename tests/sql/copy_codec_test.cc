// The COPY text / CSV codec (sql/copy/): decoding fed in chunks, escapes, NULL versus the
// empty string, quotes, multi-line quoted fields, bad input with line numbers, and round
// trips through the encoder.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "sql/copy/copy_decoder.h"
#include "sql/copy/copy_encoder.h"
#include "sql/copy/copy_format.h"

namespace tenantdb::sql {
namespace {

using Row = std::vector<std::optional<std::string>>;

CopyFormat Format(std::vector<CopyOption> options, bool is_from = true) {
  Result<CopyFormat> f = ParseCopyFormat(options, is_from);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? *f : CopyFormat();
}

CopyOption Opt(std::string name, std::string value) {
  CopyOption o;
  o.name = std::move(name);
  o.value = std::move(value);
  return o;
}

// Decodes `data` fed in pieces of `chunk` bytes (0: at once).
Result<std::vector<Row>> Decode(const CopyFormat& format, std::string_view data, size_t chunk = 0,
                                std::vector<std::string> columns = {"a", "b", "c"}) {
  TDB_ASSIGN_OR_RETURN(CopyDecoder decoder, CopyDecoder::Make(format, columns));
  std::vector<Row> rows;
  auto on_record = [&](uint64_t, const std::vector<CopyField>& fields) {
    Row row;
    for (const CopyField& f : fields)
      row.push_back(f.null ? std::nullopt : std::optional<std::string>(std::string(f.text)));
    rows.push_back(std::move(row));
    return Status::Ok();
  };
  if (chunk == 0) chunk = data.size() + 1;
  for (size_t at = 0; at < data.size(); at += chunk)
    TDB_RETURN_IF_ERROR(decoder.Feed(data.substr(at, chunk), on_record));
  TDB_RETURN_IF_ERROR(decoder.Finish(on_record));
  return rows;
}

std::string Encode(const CopyFormat& format, const std::vector<Row>& rows,
                   std::vector<std::string> columns = {"a", "b", "c"}) {
  Result<CopyEncoder> encoder = CopyEncoder::Make(format, columns);
  EXPECT_TRUE(encoder.ok());
  std::string out;
  encoder->AppendHeader(&out);
  for (const Row& row : rows) {
    for (size_t i = 0; i < row.size(); ++i)
      encoder->AppendField(i, row[i] ? std::optional<std::string_view>(*row[i]) : std::nullopt,
                           &out);
    encoder->EndRow(&out);
  }
  return out;
}

TEST(CopyCodec, TextSplitsTabsAndReadsBackslashN) {
  auto rows = Decode(Format({}), "1\tx\t\\N\n2\t\ty\n");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0], (Row{"1", "x", std::nullopt}));
  EXPECT_EQ((*rows)[1], (Row{"2", "", "y"}));  // an empty field is the empty string
}

TEST(CopyCodec, TextDecodesEscapes) {
  auto rows = Decode(Format({}), "a\\tb\tline\\nbreak\t\\\\\\101\\x41\\q\n", 0);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0], (Row{"a\tb", "line\nbreak", "\\AAq"}));
}

TEST(CopyCodec, RowsSplitAcrossEveryChunkSize) {
  const std::string data = "1\thello\t\\N\r\n22\twor\\tld\tz\n333\t\t\n";
  for (size_t chunk = 1; chunk < data.size(); ++chunk) {
    auto rows = Decode(Format({}), data, chunk);
    ASSERT_TRUE(rows.ok()) << chunk;
    ASSERT_EQ(rows->size(), 3u) << chunk;
    EXPECT_EQ((*rows)[0], (Row{"1", "hello", std::nullopt}));
    EXPECT_EQ((*rows)[1], (Row{"22", "wor\tld", "z"}));
    EXPECT_EQ((*rows)[2], (Row{"333", "", ""}));
  }
}

TEST(CopyCodec, EndMarkerStopsTheData) {
  auto rows = Decode(Format({}), "1\ta\tb\n\\.\ngarbage\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 1u);
}

TEST(CopyCodec, LastLineWithoutNewline) {
  auto rows = Decode(Format({}), "1\ta\tb\n2\tc\td");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1], (Row{"2", "c", "d"}));
}

TEST(CopyCodec, CsvTellsNullFromEmptyString) {
  auto rows = Decode(Format({Opt("format", "csv")}), "1,,\"\"\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0], (Row{"1", std::nullopt, ""}));
}

TEST(CopyCodec, CsvQuotesDelimitersAndMultiLineFields) {
  const std::string data = "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nx,y,z\n";
  for (size_t chunk = 1; chunk <= data.size(); ++chunk) {
    auto rows = Decode(Format({Opt("format", "csv")}), data, chunk);
    ASSERT_TRUE(rows.ok()) << chunk << rows.status().ToString();
    ASSERT_EQ(rows->size(), 2u) << chunk;
    EXPECT_EQ((*rows)[0], (Row{"a,b", "say \"hi\"", "two\nlines"}));
    EXPECT_EQ((*rows)[1], (Row{"x", "y", "z"}));
  }
}

TEST(CopyCodec, CsvHeaderDelimiterEscapeAndNullOptions) {
  CopyFormat f = Format({Opt("format", "csv"), Opt("header", "true"), Opt("delimiter", ";"),
                         Opt("escape", "\\"), Opt("null", "NULL")});
  auto rows = Decode(f, "a;b;c\n1;\"q\\\"x\";NULL\n2;\"NULL\";\n");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0], (Row{"1", "q\"x", std::nullopt}));
  EXPECT_EQ((*rows)[1], (Row{"2", "NULL", ""}));  // a quoted NULL string is text
}

TEST(CopyCodec, CsvForceNotNullAndForceNull) {
  CopyOption fnn = Opt("force_not_null", "");
  fnn.list = {"b"};
  CopyOption fn = Opt("force_null", "");
  fn.list = {"c"};
  auto rows = Decode(Format({Opt("format", "csv"), fnn, fn}), "1,,\"\"\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0], (Row{"1", "", std::nullopt}));
}

TEST(CopyCodec, UnterminatedQuoteNamesTheLine) {
  auto rows = Decode(Format({Opt("format", "csv")}), "1,a,b\n2,\"open,c\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), ErrorCode::kInvalidTextRepresentation);
  EXPECT_NE(rows.status().message().find("line 2"), std::string::npos) << rows.status().message();
}

TEST(CopyCodec, InvalidUtf8IsRefusedWithItsLine) {
  auto rows = Decode(Format({}), "1\ta\tb\n2\t\xff\tc\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), ErrorCode::kCharacterNotInRepertoire);
  EXPECT_NE(rows.status().message().find("line 2"), std::string::npos);
  auto escaped = Decode(Format({}), "1\t\\377\tb\n");
  ASSERT_FALSE(escaped.ok());
  EXPECT_EQ(escaped.status().code(), ErrorCode::kCharacterNotInRepertoire);
}

TEST(CopyCodec, RecordLongerThanTheLimitFails) {
  Result<CopyDecoder> d = CopyDecoder::Make(Format({}), {"a"}, 16);
  ASSERT_TRUE(d.ok());
  Status s = d->Feed(std::string(64, 'x'),
                     [](uint64_t, const std::vector<CopyField>&) { return Status::Ok(); });
  EXPECT_EQ(s.code(), ErrorCode::kRequestTooLarge);
}

TEST(CopyCodec, BadOptionsAreRefused) {
  EXPECT_FALSE(ParseCopyFormat({Opt("format", "xml")}, true).ok());
  EXPECT_FALSE(ParseCopyFormat({Opt("quote", "'")}, true).ok());  // QUOTE needs CSV
  EXPECT_FALSE(ParseCopyFormat({Opt("format", "csv"), Opt("delimiter", "ab")}, true).ok());
  EXPECT_FALSE(ParseCopyFormat({Opt("format", "csv"), Opt("format", "text")}, true).ok());
  EXPECT_FALSE(ParseCopyFormat({Opt("bogus", "1")}, true).ok());
  CopyOption fq = Opt("force_quote", "");
  fq.star = true;
  EXPECT_FALSE(ParseCopyFormat({Opt("format", "csv"), fq}, true).ok());  // FROM
  EXPECT_TRUE(ParseCopyFormat({Opt("format", "csv"), fq}, false).ok());  // TO
}

TEST(CopyCodec, TextRoundTrip) {
  const std::vector<Row> rows = {
      {"1", "tab\there", std::nullopt}, {"", "back\\slash", "nl\nand\rcr"}, {"\\N", "x", "\b\f\v"}};
  const CopyFormat f = Format({});
  const std::string encoded = Encode(f, rows);
  EXPECT_EQ(encoded.substr(0, encoded.find('\n')), "1\ttab\\there\t\\N");
  auto back = Decode(f, encoded);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, rows);
}

TEST(CopyCodec, CsvRoundTripWithHeaderAndForceQuote) {
  CopyOption fq = Opt("force_quote", "");
  fq.list = {"a"};
  const CopyFormat out = Format({Opt("format", "csv"), Opt("header", "on"), fq}, false);
  const std::vector<Row> rows = {
      {"1", "", std::nullopt}, {"2", "a,\"b\"", "multi\nline"}, {"3", "\\.", " spaced "}};
  const std::string encoded = Encode(out, rows);
  EXPECT_EQ(encoded.substr(0, encoded.find('\n')), "a,b,c");
  EXPECT_NE(encoded.find("\"1\",\"\",\n"), std::string::npos) << encoded;
  const CopyFormat in = Format({Opt("format", "csv"), Opt("header", "on")});
  auto back = Decode(in, encoded, 3);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, rows);
}

}  // namespace
}  // namespace tenantdb::sql
