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

}  // namespace
}  // namespace tenantdb
