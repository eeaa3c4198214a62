// tenantdb::SplitScript (tenantdb/script.h): statements cut at top-level ';' only.
#include "tenantdb/script.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tenantdb {
namespace {

std::vector<std::string> Split(std::string_view script) {
  std::vector<std::string> out;
  for (const StatementRange& r : SplitScript(script)) {
    EXPECT_LE(r.begin, r.end);
    EXPECT_LE(r.end, script.size());
    out.emplace_back(script.substr(r.begin, r.end - r.begin));
  }
  return out;
}

TEST(SplitScript, CutsOnlyAtTopLevelSemicolons) {
  EXPECT_EQ(Split("SELECT ';'; SELECT $$a;b$$ ; SELECT \"x;y\" FROM (SELECT 1; ) t"),
            (std::vector<std::string>{"SELECT ';'", "SELECT $$a;b$$",
                                      "SELECT \"x;y\" FROM (SELECT 1; ) t"}));
  EXPECT_EQ(Split("-- only ; a comment\n/* ; */ SELECT 1;;  ;"),
            (std::vector<std::string>{"SELECT 1"}));
  EXPECT_TRUE(Split("   ").empty());
  EXPECT_EQ(Split("SELECT 'unterminated; still one"),
            (std::vector<std::string>{"SELECT 'unterminated; still one"}));
}

TEST(SplitScript, MarksTheStatementsThatOnlyRead) {
  const std::string script =
      "select 1; WITH t AS (SELECT 1) SELECT * FROM t; VALUES (1); TABLE t; SHOW search_path; "
      "EXPLAIN SELECT 1; (SELECT 1); INSERT INTO t VALUES (1); UPDATE t SET a = 1; DELETE FROM t; "
      "BEGIN; COMMIT; CREATE TABLE u (a INT); SET x = 1; COPY t FROM STDIN; \"select\" 1";
  std::vector<bool> reads_only;
  for (const StatementRange& r : SplitScript(script))
    reads_only.push_back(r.reads_only);
  EXPECT_EQ(reads_only, (std::vector<bool>{true, true, true, true, true, true, true, false, false,
                                           false, false, false, false, false, false, false}));
}

// A script with no ';' and no comment is read without the lexer: it must come out as the
// lexer reads it (a trailing ';' sends the same text through the lexer).
TEST(SplitScript, OneStatementWithoutTheLexerAgreesWithTheLexer) {
  const std::vector<std::string> scripts = {
      "SELECT 1",
      "  \n\tselect id, body FROM t WHERE id = $1 \n ",
      "INSERT INTO t (a) VALUES ($1, 'x (y)', E'\\n')",
      "WITH a AS (SELECT 1) SELECT * FROM a",
      "(SELECT 1) UNION (SELECT 2)",
      "Values (1), (2)",
      "TABLE t",
      "SHOW search_path",
      "EXPLAIN SELECT 1",
      "select*from t",
      "select(1)",
      "UPDATE t SET a = 1",
      "DELETE FROM t",
      "CREATE TABLE u (a INT)",
      "\"select\" 1",
      "select1",
      "E'select'",
      "SELECT 'a'",
      "x",
      "selectä FROM t",
  };
  for (const std::string& script : scripts) {
    const std::vector<StatementRange> fast = SplitScript(script);
    const std::vector<StatementRange> lexed = SplitScript(script + ";");
    ASSERT_EQ(fast.size(), lexed.size()) << script;
    for (size_t i = 0; i < fast.size(); ++i) {
      EXPECT_EQ(fast[i].begin, lexed[i].begin) << script;
      EXPECT_EQ(fast[i].end, lexed[i].end) << script;
      EXPECT_EQ(fast[i].reads_only, lexed[i].reads_only) << script;
    }
  }
  EXPECT_TRUE(SplitScript(" \n ").empty());
}

}  // namespace
}  // namespace tenantdb
