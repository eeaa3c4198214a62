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

}  // namespace
}  // namespace tenantdb
