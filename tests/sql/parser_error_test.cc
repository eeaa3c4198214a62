// Error codes and positions: syntax_error with libpg_query's message and the 1-based
// character position in the whole script; feature_not_supported naming the construct.
#include <gtest/gtest.h>

#include "parser_test_util.h"

namespace tenantdb::sql {
namespace {

using testing::ParseError;

TEST(ParserError, SyntaxErrorMessageAndPosition) {
  Status st = ParseError("SELECT * FRM t");
  EXPECT_EQ(st.code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(st.code_name(), "syntax_error");
  EXPECT_EQ(st.sqlstate(), "42601");
  EXPECT_EQ(st.message(), "syntax error at or near \"FRM\" at position 10");
}

TEST(ParserError, PositionCountsEarlierStatements) {
  Status st = ParseError("SELECT 1;\nSELECT * FRM t");
  EXPECT_EQ(st.message(), "syntax error at or near \"FRM\" at position 20");
}

TEST(ParserError, PositionCountsCharactersNotBytes) {
  // 'é' is two bytes in UTF-8 but one character.
  Status st = ParseError("SELECT 'é' FROM FROM");
  EXPECT_EQ(st.message(), "syntax error at or near \"FROM\" at position 17");
}

TEST(ParserError, EndOfInput) {
  Status st = ParseError("SELECT * FROM");
  EXPECT_EQ(st.code(), ErrorCode::kSyntaxError);
  EXPECT_NE(st.message().find("syntax error at end of input"), std::string_view::npos);
  EXPECT_NE(st.message().find("at position 14"), std::string_view::npos) << st.message();
}

TEST(ParserError, UnterminatedString) {
  Status st = ParseError("SELECT 'abc");
  EXPECT_EQ(st.code(), ErrorCode::kSyntaxError);
  EXPECT_NE(st.message().find("unterminated quoted string"), std::string_view::npos)
      << st.message();
}

TEST(ParserError, TypedTableKeepsErrorPosition) {
  Status st = ParseError("CREATE USER TABLE t (id bigint PRIMARY KEY,)");
  EXPECT_EQ(st.code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(st.message(), "syntax error at or near \")\" at position 44");
}

TEST(ParserError, NulByte) {
  std::string sql("SELECT 1\0", 9);
  Status st = ParseError(sql);
  EXPECT_EQ(st.code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(st.message(), "invalid NUL byte at position 9");
}

TEST(ParserError, UnsupportedStatementsNamed) {
  Status st = ParseError("CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql");
  EXPECT_EQ(st.code(), ErrorCode::kFeatureNotSupported);
  EXPECT_EQ(st.sqlstate(), "0A000");
  EXPECT_EQ(st.message(), "statement CREATE FUNCTION is not supported");
  // CREATE INDEX is supported; the forms tenantdb's indexes do not have are named.
  EXPECT_EQ(ParseError("CREATE INDEX i ON t ((a + 1))").message(),
            "an index on an expression is not supported");
  EXPECT_EQ(ParseError("CREATE INDEX i ON t (a) WHERE a > 0").code(),
            ErrorCode::kFeatureNotSupported);
  EXPECT_EQ(ParseError("CREATE INDEX i ON t USING hash (a)").code(),
            ErrorCode::kFeatureNotSupported);
  EXPECT_EQ(ParseError("REINDEX TABLE t").code(), ErrorCode::kFeatureNotSupported);
  EXPECT_EQ(ParseError("TRUNCATE t CASCADE").code(), ErrorCode::kFeatureNotSupported);
  EXPECT_EQ(ParseError("CREATE MATERIALIZED VIEW v AS SELECT 1").code(),
            ErrorCode::kFeatureNotSupported);
  EXPECT_EQ(ParseError("GRANT SELECT ON t TO u").code(), ErrorCode::kFeatureNotSupported);
}

TEST(ParserError, UnsupportedConstructsNamed) {
  struct Case {
    const char* sql;
    const char* fragment;
  } cases[] = {
      {"WITH x AS (DELETE FROM t RETURNING a) SELECT * FROM x", "DELETE in WITH"},
      {"WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n FROM x) SEARCH DEPTH FIRST BY n SET o "
       "SELECT * FROM x",
       "SEARCH"},
      {"SELECT * FROM a NATURAL JOIN b", "NATURAL JOIN"},
      {"SELECT ARRAY[[1, 2], [3, 4]]", "multidimensional arrays"},
      {"SELECT a ~~~ 'x' FROM t", "operator ~~~"},
      {"SELECT * FROM t FOR UPDATE", "FOR UPDATE"},
      {"SELECT a ~~ ANY ('{1}') FROM t", "~~ ANY"},
      {"SELECT a::int[][] FROM t", "multidimensional arrays"},
      {"SELECT a SIMILAR TO 'x' FROM t", "SIMILAR TO"},
      {"UPDATE t SET a = 1 FROM u", "UPDATE ... FROM"},
      {"DELETE FROM t USING u", "DELETE ... USING"},
      {"SELECT * FROM generate_series(1, 3) WITH ORDINALITY", "WITH ORDINALITY"},
      {"CREATE TEMP TABLE t (a int)", "temporary"},
      {"SELECT a COLLATE \"de_DE\" FROM t", "collation \"de_DE\""},
  };
  for (const Case& c : cases) {
    Status st = ParseError(c.sql);
    EXPECT_EQ(st.code(), ErrorCode::kFeatureNotSupported) << c.sql << ": " << st.ToString();
    EXPECT_NE(st.message().find(c.fragment), std::string_view::npos)
        << c.sql << ": " << st.message();
  }
}

TEST(ParserError, EmptyScriptIsNoStatements) {
  for (const char* sql : {"", "   ", ";", " ; ;", "-- only a comment", "/* c */"}) {
    auto r = Parse(sql);
    ASSERT_TRUE(r.ok()) << sql;
    EXPECT_TRUE(r->empty()) << sql;
  }
  EXPECT_EQ(ParseStatement("").status().code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(ParseStatement("SELECT 1; SELECT 2").status().code(), ErrorCode::kSyntaxError);
}

TEST(ParserError, FirstFailingStatementWins) {
  Status st = ParseError("SELECT 1; SELEC 2; SELECT * FRM t");
  EXPECT_EQ(st.message(), "syntax error at or near \"SELEC\" at position 11");
}

}  // namespace
}  // namespace tenantdb::sql
