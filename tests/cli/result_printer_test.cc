// The shell's and `tenantdb sql`'s output: aligned tables, CSV, JSON, errors with a caret.
#include "cli/result_printer.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace tenantdb::cli {
namespace {

sql::QueryResult MakeResult(std::vector<Field> fields, const std::vector<std::vector<Value>>& rows,
                            std::string tag = "SELECT") {
  sql::QueryResult result;
  result.schema = std::make_shared<Schema>(std::move(fields), SchemaMetadata{});
  Batch batch(result.schema);
  for (const auto& row : rows) {
    EXPECT_TRUE(batch.AppendRow(row).ok());
  }
  result.batches.push_back(std::move(batch));
  result.command_tag = tag + " " + std::to_string(rows.size());
  result.rows_affected = rows.size();
  return result;
}

sql::QueryResult People() {
  return MakeResult({{"id", DataType::kBigInt, false, true, ""},
                     {"name", DataType::kText, true, false, ""},
                     {"score", DataType::kDouble, true, false, ""}},
                    {{Value::BigInt(1), Value::Text("alice"), Value::Double(1.5)},
                     {Value::BigInt(1234), Value::Null(DataType::kText), Value::Double(-20)}});
}

TEST(ResultPrinter, TableAlignsNumbersRightAndTextLeft) {
  EXPECT_EQ(FormatTable(People()),
            "  id  | name  | score\n"
            "------+-------+-------\n"
            "    1 | alice |   1.5\n"
            " 1234 |       |   -20\n"
            "(2 rows)\n");
}

TEST(ResultPrinter, TableCentersHeadersAndSaysOneRow) {
  sql::QueryResult r =
      MakeResult({{"a_long_name", DataType::kText, true, false, ""}}, {{Value::Text("x")}});
  EXPECT_EQ(FormatTable(r),
            " a_long_name\n"
            "-------------\n"
            " x\n"
            "(1 row)\n");
}

TEST(ResultPrinter, TableWithNoRows) {
  sql::QueryResult r = MakeResult({{"n", DataType::kInt, true, false, ""}}, {});
  EXPECT_EQ(FormatTable(r), " n\n---\n(0 rows)\n");
}

TEST(ResultPrinter, TableCountsUtf8CharactersNotBytes) {
  sql::QueryResult r =
      MakeResult({{"w", DataType::kText, true, false, ""}, {"n", DataType::kInt, true, false, ""}},
                 {{Value::Text("héllo"), Value::Int(1)}, {Value::Text("ab"), Value::Int(22)}});
  EXPECT_EQ(FormatTable(r),
            "   w   | n\n"
            "-------+----\n"
            " héllo |  1\n"
            " ab    | 22\n"
            "(2 rows)\n");
}

TEST(ResultPrinter, TableAlignsWideCharactersByTheirColumns) {
  sql::QueryResult r =
      MakeResult({{"w", DataType::kText, true, false, ""}, {"n", DataType::kInt, true, false, ""}},
                 {{Value::Text("漢字"), Value::Int(1)}, {Value::Text("ab😀"), Value::Int(22)}});
  EXPECT_EQ(FormatTable(r),
            "  w   | n\n"
            "------+----\n"
            " 漢字 |  1\n"
            " ab😀 | 22\n"
            "(2 rows)\n");
}

TEST(ResultPrinter, NullDisplayText) {
  TableOptions options;
  options.null_text = "(null)";
  EXPECT_EQ(FormatTable(People(), options),
            "  id  |  name  | score\n"
            "------+--------+-------\n"
            "    1 | alice  |   1.5\n"
            " 1234 | (null) |   -20\n"
            "(2 rows)\n");
}

TEST(ResultPrinter, ExpandedPrintsARecordPerRow) {
  TableOptions options;
  options.null_text = "∅";
  EXPECT_EQ(FormatExpanded(People(), options),
            "-[ RECORD 1 ]\n"
            "id    | 1\n"
            "name  | alice\n"
            "score | 1.5\n"
            "-[ RECORD 2 ]\n"
            "id    | 1234\n"
            "name  | ∅\n"
            "score | -20\n");
  sql::QueryResult wide = MakeResult({{"t", DataType::kText, true, false, ""}},
                                     {{Value::Text("a fairly long value\nand more")}});
  EXPECT_EQ(FormatExpanded(wide),
            "-[ RECORD 1 ]----------\n"
            "t | a fairly long value+\n"
            "  | and more\n");
  EXPECT_EQ(FormatExpanded(MakeResult({{"t", DataType::kText, true, false, ""}}, {})),
            "(0 rows)\n");
  options.expanded = true;
  EXPECT_EQ(FormatResult(People(), OutputFormat::kTable, options),
            FormatExpanded(People(), options));
}

TEST(ResultPrinter, TableSpreadsLineBreaksWithPlusMarks) {
  sql::QueryResult r =
      MakeResult({{"t", DataType::kText, true, false, ""}, {"n", DataType::kInt, true, false, ""}},
                 {{Value::Text("one\ntwo"), Value::Int(7)}});
  EXPECT_EQ(FormatTable(r),
            "  t  | n\n"
            "-----+---\n"
            " one+| 7\n"
            " two |\n"
            "(1 row)\n");
}

TEST(ResultPrinter, StatementsWithoutRowsPrintTheirTag) {
  sql::QueryResult r;
  r.command_tag = "INSERT 0 3";
  r.rows_affected = 3;
  EXPECT_EQ(FormatTable(r), "INSERT 0 3\n");
  EXPECT_EQ(FormatCsv(r), "INSERT 0 3\n");
  EXPECT_EQ(FormatJson(r), "{\"columns\":[],\"rows\":[],\"row_count\":3,\"tag\":\"INSERT 0 3\"}\n");
}

TEST(ResultPrinter, CsvQuotesOnlyWhatNeedsIt) {
  sql::QueryResult r = MakeResult(
      {{"a", DataType::kText, true, false, ""}, {"b", DataType::kBoolean, true, false, ""}},
      {{Value::Text("x,y"), Value::Boolean(true)},
       {Value::Text("say \"hi\""), Value::Null(DataType::kBoolean)},
       {Value::Text("plain"), Value::Boolean(false)}});
  EXPECT_EQ(FormatCsv(r), "a,b\n\"x,y\",t\n\"say \"\"hi\"\"\",\nplain,f\n");
}

TEST(ResultPrinter, CsvTellsTheEmptyStringFromNull) {
  sql::QueryResult r = MakeResult({{"a", DataType::kText, true, false, ""}},
                                  {{Value::Text("")}, {Value::Null(DataType::kText)}});
  EXPECT_EQ(FormatCsv(r), "a\n\"\"\n\n");
}

TEST(ResultPrinter, JsonEncodesValuesAsTheHttpApiDoes) {
  sql::QueryResult r = MakeResult(
      {{"big", DataType::kBigInt, true, false, ""}, {"j", DataType::kJson, true, false, ""}},
      {{Value::BigInt(9007199254740993), Value::Json("{\"a\": [1, 2]}")},
       {Value::BigInt(9007199254740991), Value::Json("not json")}});
  const std::string json = FormatJson(r);
  // Beyond 2^53-1 a string; JSON columns as JSON values.
  EXPECT_NE(json.find("[\"9007199254740993\",{\"a\": [1, 2]}]"), std::string::npos) << json;
  EXPECT_NE(json.find("[9007199254740991,\"not json\"]"), std::string::npos) << json;
}

TEST(ResultPrinter, JsonTypesValues) {
  sql::QueryResult r = MakeResult(
      {{"i", DataType::kBigInt, true, false, ""},
       {"t", DataType::kText, true, false, ""},
       {"b", DataType::kBoolean, true, false, ""},
       {"d", DataType::kDouble, true, false, ""},
       {"day", DataType::kDate, true, false, ""}},
      {{Value::BigInt(-5), Value::Text("a\"b\n"), Value::Boolean(true), Value::Double(0.25),
        Value::Date(0)},
       {Value::Null(DataType::kBigInt), Value::Null(DataType::kText), Value::Boolean(false),
        Value::Null(DataType::kDouble), Value::Null(DataType::kDate)}});
  EXPECT_EQ(FormatJson(r),
            "{\"columns\":[{\"name\":\"i\",\"type\":\"BIGINT\"},{\"name\":\"t\",\"type\":"
            "\"TEXT\"},{\"name\":\"b\",\"type\":\"BOOLEAN\"},{\"name\":\"d\",\"type\":"
            "\"DOUBLE\"},{\"name\":\"day\",\"type\":\"DATE\"}],\"rows\":[[-5,\"a\\\"b\\n\",true,"
            "0.25,\"1970-01-01\"],[null,null,false,null,null]],\"row_count\":2,\"tag\":"
            "\"SELECT 2\"}\n");
}

TEST(ResultPrinter, ParsesFormats) {
  EXPECT_EQ(ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_EQ(ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_FALSE(ParseOutputFormat("xml").has_value());
}

TEST(ResultPrinter, ErrorWithoutPositionIsOneLine) {
  Status s(ErrorCode::kUndefinedTable, "table 'default.nope' does not exist");
  EXPECT_EQ(FormatError(s, "SELECT * FROM nope"),
            "ERROR:  undefined_table (42P01): table 'default.nope' does not exist\n");
}

TEST(ResultPrinter, ErrorWithPositionDrawsACaret) {
  Status s(ErrorCode::kSyntaxError, "syntax error at or near \"FRM\" at position 10");
  EXPECT_EQ(FormatError(s, "SELECT * FRM t"),
            "ERROR:  syntax_error (42601): syntax error at or near \"FRM\" at position 10\n"
            "LINE 1: SELECT * FRM t\n"
            "                 ^\n");
}

TEST(ResultPrinter, CaretFindsTheLineOfAMultiLineStatement) {
  // Character 18 is the 'F' of FRM on the second line ("SELECT é,\n" is 10 characters).
  Status s(ErrorCode::kSyntaxError, "syntax error at or near \"FRM\" at position 18");
  EXPECT_EQ(FormatError(s, "SELECT é,\n  b, c FRM t"),
            "ERROR:  syntax_error (42601): syntax error at or near \"FRM\" at position 18\n"
            "LINE 2:   b, c FRM t\n"
            "               ^\n");
}

TEST(ResultPrinter, CaretAtEndOfInput) {
  Status s(ErrorCode::kSyntaxError, "syntax error at end of input at position 14");
  EXPECT_EQ(FormatError(s, "SELECT * FROM"),
            "ERROR:  syntax_error (42601): syntax error at end of input at position 14\n"
            "LINE 1: SELECT * FROM\n"
            "                     ^\n");
}

TEST(ResultPrinter, ErrorPosition) {
  EXPECT_EQ(ErrorPosition("x at position 12"), 12u);
  EXPECT_EQ(ErrorPosition("at position 3, then at position 40"), 40u);
  EXPECT_FALSE(ErrorPosition("no position here").has_value());
  EXPECT_FALSE(ErrorPosition("at position x").has_value());
}

TEST(ResultPrinter, Timing) {
  EXPECT_EQ(FormatTiming(1.2345), "Time: 1.234 ms\n");
}

}  // namespace
}  // namespace tenantdb::cli
