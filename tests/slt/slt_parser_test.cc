#include "slt_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace tenantdb::slt {
namespace {

Script ParseOk(const std::string& text) {
  Result<Script> script = ParseScript(text);
  EXPECT_TRUE(script.ok()) << script.status().ToString();
  return script.ok() ? std::move(script).value() : Script();
}

TEST(SltParser, StatementOkWithMultilineSql) {
  Script s = ParseOk(
      "statement ok\n"
      "CREATE TABLE t (\n"
      "  a INT)\n"
      "\n"
      "statement ok\n"
      "INSERT INTO t VALUES (1)\n");
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.records[0].kind, RecordKind::kStatement);
  EXPECT_FALSE(s.records[0].expect_error);
  EXPECT_EQ(s.records[0].sql, "CREATE TABLE t (\n  a INT)");
  EXPECT_EQ(s.records[0].line, 1);
  EXPECT_EQ(s.records[1].sql, "INSERT INTO t VALUES (1)");
  EXPECT_EQ(s.records[1].line, 5);
}

TEST(SltParser, StatementErrorForms) {
  Script s = ParseOk(
      "statement error\n"
      "SELECT 1/0\n"
      "\n"
      "statement error division_by_zero\n"
      "SELECT 1/0\n"
      "\n"
      "statement error\n"
      "SELECT 1/0\n"
      "----\n"
      "division_by_zero: division by zero\n");
  ASSERT_EQ(s.records.size(), 3u);
  for (const Record& r : s.records) {
    EXPECT_TRUE(r.expect_error);
    EXPECT_EQ(r.sql, "SELECT 1/0");
  }
  EXPECT_EQ(s.records[0].expected_error, "");
  EXPECT_EQ(s.records[1].expected_error, "division_by_zero");
  EXPECT_EQ(s.records[2].expected_error, "division_by_zero: division by zero");
}

TEST(SltParser, StatementCount) {
  Script s = ParseOk("statement count 3\nDELETE FROM t\n");
  ASSERT_EQ(s.records.size(), 1u);
  ASSERT_TRUE(s.records[0].expected_count.has_value());
  EXPECT_EQ(*s.records[0].expected_count, 3u);
}

TEST(SltParser, QueryWithSortModeLabelAndResults) {
  Script s = ParseOk(
      "query IT rowsort mylabel\n"
      "SELECT a, b\n"
      "FROM t\n"
      "----\n"
      "1\tx\n"
      "2\ty\n");
  ASSERT_EQ(s.records.size(), 1u);
  const Record& r = s.records[0];
  EXPECT_EQ(r.kind, RecordKind::kQuery);
  EXPECT_EQ(r.types, "IT");
  EXPECT_EQ(r.sort, SortMode::kRowSort);
  EXPECT_EQ(r.label, "mylabel");
  EXPECT_EQ(r.sql, "SELECT a, b\nFROM t");
  ASSERT_EQ(r.expected.size(), 2u);
  EXPECT_EQ(r.expected[0], "1\tx");
  EXPECT_FALSE(r.hash_count.has_value());
}

TEST(SltParser, QuerySortModes) {
  Script s = ParseOk(
      "query I nosort\nSELECT 1\n----\n1\n\n"
      "query I valuesort\nSELECT 1\n----\n1\n\n"
      "query I\nSELECT 1\n----\n1\n");
  ASSERT_EQ(s.records.size(), 3u);
  EXPECT_EQ(s.records[0].sort, SortMode::kNoSort);
  EXPECT_EQ(s.records[1].sort, SortMode::kValueSort);
  EXPECT_EQ(s.records[2].sort, SortMode::kNoSort);
  EXPECT_EQ(s.records[2].label, "");
}

TEST(SltParser, QueryWithEmptyResult) {
  Script s = ParseOk("query I\nSELECT 1 WHERE false\n----\n\nquery I\nSELECT 2 WHERE false\n");
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_TRUE(s.records[0].expected.empty());
  EXPECT_TRUE(s.records[1].expected.empty());
  EXPECT_EQ(s.records[1].sql, "SELECT 2 WHERE false");
}

TEST(SltParser, HashedResult) {
  Script s = ParseOk(
      "hash-threshold 8\n\n"
      "query I\nSELECT 1\n----\n30 values hashing to 3C59DC048E8850243BE8079A5C74D079\n");
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.records[0].kind, RecordKind::kHashThreshold);
  EXPECT_EQ(s.records[0].threshold, 8u);
  ASSERT_TRUE(s.records[1].hash_count.has_value());
  EXPECT_EQ(*s.records[1].hash_count, 30u);
  EXPECT_EQ(s.records[1].hash, "3c59dc048e8850243be8079a5c74d079");
}

TEST(SltParser, ParseHashLineRejectsOtherText) {
  uint64_t count = 0;
  std::string md5;
  EXPECT_FALSE(ParseHashLine("3 values hashing to abc", &count, &md5));
  EXPECT_FALSE(ParseHashLine("x values hashing to 3c59dc048e8850243be8079a5c74d079", &count, &md5));
  EXPECT_FALSE(ParseHashLine("hello", &count, &md5));
  EXPECT_TRUE(ParseHashLine("3 values hashing to 3c59dc048e8850243be8079a5c74d079", &count, &md5));
  EXPECT_EQ(count, 3u);
}

TEST(SltParser, SkipifAndOnlyif) {
  Script s = ParseOk(
      "onlyif mysql\n"
      "statement ok\nSELECT 1\n\n"
      "skipif tenantdb\n"
      "statement ok\nSELECT 2\n\n"
      "onlyif tenantdb\n"
      "statement ok\nSELECT 3\n\n"
      "skipif sqlite\n"
      "skipif mysql\n"
      "query I\nSELECT 4\n----\n4\n");
  EXPECT_EQ(s.skipped, 2);
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.records[0].sql, "SELECT 3");
  EXPECT_EQ(s.records[0].line, 10);
  EXPECT_EQ(s.records[1].sql, "SELECT 4");
}

// The corpus marks what PostgreSQL does not support with `skipif postgresql` and what only
// PostgreSQL does with `onlyif postgresql`; tenantdb follows PostgreSQL, so it answers to
// that name as well as to its own.
TEST(SltParser, PostgresqlConditionsApplyToTenantdb) {
  Script s = ParseOk(
      "skipif postgresql\n"
      "statement ok\nSELECT 1\n\n"
      "onlyif postgresql\n"
      "statement ok\nSELECT 2\n\n"
      "onlyif mysql\n"
      "statement ok\nSELECT 3\n\n"
      "skipif mssql\n"
      "statement ok\nSELECT 4\n");
  EXPECT_EQ(s.skipped, 2);
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.records[0].sql, "SELECT 2");
  EXPECT_EQ(s.records[1].sql, "SELECT 4");
}

TEST(SltParser, HaltStopsUnlessSkipped) {
  Script s = ParseOk(
      "onlyif mysql\nhalt\n\n"
      "statement ok\nSELECT 1\n\n"
      "halt\n\n"
      "this is not a record\n");
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.records[1].kind, RecordKind::kHalt);
  EXPECT_EQ(s.skipped, 1);
}

TEST(SltParser, CommentsAreIgnored) {
  Script s = ParseOk(
      "# a comment\n"
      "statement ok\n"
      "# inside a record\n"
      "SELECT 1\n"
      "\n"
      "# another\n"
      "\n"
      "query T\n"
      "SELECT '#x'\n"
      "----\n"
      "#x\n");
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.records[0].sql, "SELECT 1");
  ASSERT_EQ(s.records[1].expected.size(), 1u);
  EXPECT_EQ(s.records[1].expected[0], "#x");
}

TEST(SltParser, ConnectionExtension) {
  Script s = ParseOk("connection alice\n\nconnection admin dba\n\nconnection root\n");
  ASSERT_EQ(s.records.size(), 3u);
  EXPECT_EQ(s.records[0].kind, RecordKind::kConnection);
  EXPECT_EQ(s.records[0].user, "alice");
  EXPECT_EQ(s.records[0].role, "");
  EXPECT_EQ(s.records[1].user, "admin");
  EXPECT_EQ(s.records[1].role, "dba");
}

TEST(SltParser, CrlfLineEndings) {
  Script s = ParseOk("query I\r\nSELECT 1\r\n----\r\n1\r\n\r\nstatement ok\r\nSELECT 2\r\n");
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.records[0].sql, "SELECT 1");
  EXPECT_EQ(s.records[0].expected[0], "1");
}

TEST(SltParser, QueryErrorIsAnExpectedError) {
  Script s = ParseOk("query error undefined_table\nSELECT * FROM nope\n");
  ASSERT_EQ(s.records.size(), 1u);
  EXPECT_EQ(s.records[0].kind, RecordKind::kStatement);
  EXPECT_TRUE(s.records[0].expect_error);
  EXPECT_EQ(s.records[0].expected_error, "undefined_table");
}

TEST(SltParser, MalformedRecordsAreErrorsWithLineNumbers) {
  Result<Script> unknown = ParseScript("statement ok\nSELECT 1\n\nfrobnicate\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("line 4"), std::string_view::npos)
      << unknown.status().ToString();

  EXPECT_FALSE(ParseScript("query\nSELECT 1\n").ok());
  EXPECT_FALSE(ParseScript("query I\n----\n1\n").ok());
  EXPECT_FALSE(ParseScript("statement maybe\nSELECT 1\n").ok());
  EXPECT_FALSE(ParseScript("statement ok\n").ok());
  EXPECT_FALSE(ParseScript("statement ok\nSELECT 1\n----\n1\n").ok());
  EXPECT_FALSE(ParseScript("hash-threshold many\n").ok());
  EXPECT_FALSE(ParseScript("skipif\nstatement ok\nSELECT 1\n").ok());
  EXPECT_FALSE(ParseScript("onlyif tenantdb\n").ok());
  EXPECT_FALSE(ParseScript("connection\n").ok());
  EXPECT_FALSE(ParseScript("query I? \nSELECT 1\n").ok());
}

}  // namespace
}  // namespace tenantdb::slt
