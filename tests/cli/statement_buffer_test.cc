// The shell's statement input: lines collect until a top-level ';' ends a statement.
#include <gtest/gtest.h>

#include "cli/shell_input.h"

namespace tenantdb::cli {
namespace {

using Statements = std::vector<std::string>;

TEST(StatementBuffer, WaitsForTheSemicolon) {
  StatementBuffer b;
  EXPECT_TRUE(b.empty());
  b.AddLine("SELECT 1,");
  EXPECT_EQ(b.TakeComplete(), Statements{});
  EXPECT_FALSE(b.empty());
  b.AddLine("  2;");
  EXPECT_EQ(b.TakeComplete(), Statements{"SELECT 1,\n  2"});
  EXPECT_TRUE(b.empty());
}

TEST(StatementBuffer, SeveralStatementsOnOneLineAndARest) {
  StatementBuffer b;
  b.AddLine("SELECT 1; SELECT 2; SELECT");
  EXPECT_EQ(b.TakeComplete(), (Statements{"SELECT 1", "SELECT 2"}));
  EXPECT_FALSE(b.empty());
  b.AddLine("3;");
  EXPECT_EQ(b.TakeComplete(), Statements{"SELECT\n3"});
}

TEST(StatementBuffer, SemicolonsInStringsCommentsAndParenthesesDoNotEnd) {
  StatementBuffer b;
  b.AddLine("INSERT INTO t VALUES ('a;b', $$x;y$$) -- c;");
  EXPECT_EQ(b.TakeComplete(), Statements{});
  b.AddLine("/* ; */ ;");
  // A statement runs from its first token to its last: comments around it are dropped.
  EXPECT_EQ(b.TakeComplete(), Statements{"INSERT INTO t VALUES ('a;b', $$x;y$$)"});
  b.AddLine("SELECT 'open;");
  EXPECT_EQ(b.TakeComplete(), Statements{});
  b.AddLine("still open';");
  EXPECT_EQ(b.TakeComplete(), Statements{"SELECT 'open;\nstill open'"});
  b.AddLine("EXECUTE AS USER 'bob' (SELECT 1;");
  EXPECT_EQ(b.TakeComplete(), Statements{});
  b.AddLine(");");
  EXPECT_EQ(b.TakeComplete(), Statements{"EXECUTE AS USER 'bob' (SELECT 1;\n)"});
}

TEST(StatementBuffer, TrailingCommentIsDropped) {
  StatementBuffer b;
  b.AddLine("SELECT 1; -- done");
  EXPECT_EQ(b.TakeComplete(), Statements{"SELECT 1"});
  EXPECT_TRUE(b.empty());
}

TEST(StatementBuffer, EmptyStatementsAreSkipped) {
  StatementBuffer b;
  b.AddLine(";;  ;");
  EXPECT_EQ(b.TakeComplete(), Statements{});
  EXPECT_TRUE(b.empty());
}

TEST(StatementBuffer, TakeRestAndClear) {
  StatementBuffer b;
  b.AddLine("SELECT 1");
  EXPECT_EQ(b.TakeRest(), "SELECT 1");
  EXPECT_TRUE(b.empty());
  b.AddLine("SELECT 2");
  b.Clear();
  EXPECT_TRUE(b.empty());
}

TEST(SplitScript, SplitsAtTopLevelSemicolons) {
  EXPECT_EQ(SplitScript("CREATE TABLE t (a INT); INSERT INTO t VALUES (1);SELECT ';'"),
            (Statements{"CREATE TABLE t (a INT)", "INSERT INTO t VALUES (1)", "SELECT ';'"}));
  EXPECT_EQ(SplitScript("  ; -- nothing\n"), Statements{});
}

}  // namespace
}  // namespace tenantdb::cli
