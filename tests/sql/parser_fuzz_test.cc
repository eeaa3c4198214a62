// Robustness: random bytes, random token soup and every truncation of valid statements
// must come back as a Status (never a crash, leak or sanitizer report).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "common/stack_depth.h"
#include "parser_test_util.h"
#include "sql/parser/large_stack.h"

namespace tenantdb::sql {
namespace {

const char* const kSeeds[] = {
    "SELECT a, count(DISTINCT b) FROM s.t AS x LEFT JOIN u ON x.id = u.id WHERE a IN (1, 2) "
    "AND b BETWEEN 1 AND 2 GROUP BY a HAVING count(*) > 1 ORDER BY a DESC NULLS LAST LIMIT 5",
    "INSERT INTO t (a, b) VALUES (1, 'x'), (2, DEFAULT) ON CONFLICT (a) DO UPDATE SET b = "
    "excluded.b WHERE t.b IS NULL RETURNING a",
    "UPDATE t SET a = CASE WHEN b THEN 1 ELSE 2 END WHERE EXISTS (SELECT 1 FROM u) RETURNING *",
    "CREATE USER TABLE IF NOT EXISTS ns.t (id BIGINT PRIMARY KEY DEFAULT snowflake_id(), v TEXT "
    "NOT NULL) WITH (FLUSH_POLICY = 'rows:10')",
    "ALTER TABLE t ADD COLUMN c int DEFAULT 1, ALTER COLUMN d SET NOT NULL",
    "EXECUTE AS USER 'alice' (DELETE FROM t WHERE id = $1 RETURNING id)",
    "CREATE STORAGE s BASE_DIRECTORY '/d' USER_TABLES_TEMPLATE '{namespace}'",
    "CREATE USER bob WITH PASSWORD 'p' ROLE service; SHOW TABLES IN ns; DESCRIBE TABLE t",
    "SELECT coalesce(a, nullif(b, 0))::bigint, CAST(c AS text) FROM (SELECT 1 AS a) q UNION ALL "
    "SELECT 1, 2",
};

TEST(ParserFuzz, EveryPrefixOfValidStatements) {
  size_t failures = 0;
  for (const char* seed : kSeeds) {
    std::string_view sql(seed);
    for (size_t n = 0; n <= sql.size(); ++n) {
      auto r = Parse(sql.substr(0, n));
      if (!r.ok()) {
        ++failures;
        EXPECT_TRUE(r.status().code() == ErrorCode::kSyntaxError ||
                    r.status().code() == ErrorCode::kFeatureNotSupported)
            << sql.substr(0, n) << ": " << r.status().ToString();
      }
    }
    // The whole seed parses.
    EXPECT_TRUE(Parse(sql).ok()) << sql;
  }
  EXPECT_GT(failures, 100u);
}

TEST(ParserFuzz, RandomBytes) {
  std::mt19937 rng(12345);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 64, '\0');
    for (char& c : s)
      c = static_cast<char>(rng() % 256);
    auto r = Parse(s);
    if (!r.ok()) {
      EXPECT_NE(r.status().code(), ErrorCode::kOk);
    }
  }
}

TEST(ParserFuzz, RandomTokenSoup) {
  const char* const kWords[] = {
      "SELECT",  "FROM",      "WHERE",    "(",    ")",      ",",      ";",      "'x'",
      "\"q\"",   "1",         "$1",       "*",    "=",      "AND",    "CREATE", "USER",
      "TABLE",   "NAMESPACE", "EXECUTE",  "AS",   "SHOW",   "TABLES", "USE",    "IN",
      "STORAGE", "FLUSH",     "DESCRIBE", "DROP", "IF",     "EXISTS", "INSERT", "INTO",
      "VALUES",  "ON",        "CONFLICT", "DO",   "UPDATE", "SET",    "JOIN",   "CASE",
      "WHEN",    "END",       "::",       "int",  "t",      "a",      "--",     "/*",
      "*/",      "'",         "\"",       "$$",   "E'\\",   "NULL",   "NOT",    "BETWEEN",
      "ORDER",   "BY"};
  std::mt19937 rng(777);
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 20);
    for (int k = 0; k < n; ++k) {
      s += kWords[rng() % std::size(kWords)];
      s += ' ';
    }
    auto r = Parse(s);
    if (r.ok()) {
      // Whatever parses prints SQL that parses again.
      for (const StatementPtr& stmt : *r) {
        auto again = Parse(stmt->ToString());
        EXPECT_TRUE(again.ok()) << s << " -> " << stmt->ToString() << ": "
                                << again.status().ToString();
      }
    }
  }
}

TEST(ParserFuzz, DeepNesting) {
  std::string sql = "SELECT ";
  for (int i = 0; i < 200; ++i)
    sql += "(";
  sql += "1";
  for (int i = 0; i < 200; ++i)
    sql += ")";
  auto r = Parse(sql);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::string unbalanced = "SELECT " + std::string(500, '(');
  EXPECT_FALSE(Parse(unbalanced).ok());
}

}  // namespace
}  // namespace tenantdb::sql

namespace tenantdb::sql {
namespace {

TEST(ParserFuzz, LongOperatorChains) {
  // Long enough to take the large-stack path; libpg_query's own parse time grows with the
  // square of the chain length, so the test stays at a few thousand terms.
  for (int n : {1000, 5000}) {
    std::string sql = "SELECT 1";
    for (int i = 0; i < n; ++i)
      sql += " + 1";
    auto r = Parse(sql);
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::kSyntaxError) << n;
    }
  }
}

}  // namespace
}  // namespace tenantdb::sql

namespace tenantdb::sql {
namespace {

// SELECT <open x levels>1<close x levels>.
std::string NestedSelect(int levels, const std::string& open, const std::string& close) {
  std::string sql = "SELECT ";
  for (int i = 0; i < levels; ++i)
    sql += open;
  sql += "1";
  for (int i = 0; i < levels; ++i)
    sql += close;
  return sql;
}

TEST(ParserFuzz, DeepTreesAreRefusedNotCrashed) {
  std::string ands = "SELECT * FROM t WHERE a";
  for (int i = 0; i < 5000; ++i)
    ands += " AND a";
  EXPECT_EQ(testing::ParseError(ands).code(), ErrorCode::kSyntaxError);

  const std::string nested = NestedSelect(3000, "(SELECT ", ")");
  auto r = Parse(nested);
  if (!r.ok()) {
    EXPECT_EQ(r.status().code(), ErrorCode::kSyntaxError);
  }

  std::string as_user;
  for (int i = 0; i < 40; ++i)
    as_user += "EXECUTE AS USER 'u' (";
  as_user += "SELECT 1";
  for (int i = 0; i < 40; ++i)
    as_user += ")";
  Status st = testing::ParseError(as_user);
  EXPECT_EQ(st.code(), ErrorCode::kSyntaxError);
  EXPECT_NE(st.message().find("nested"), std::string_view::npos) << st.message();
}

// A thread with a 2 MB stack: the converter's depth guard stops at what is left of it
// (common/stack_depth.h) instead of overflowing, whatever a frame costs in this build.
TEST(ParserFuzz, NestingIsBoundedByTheThreadsStackNotOnlyByADepthCount) {
  const std::string nested = NestedSelect(450, "(", " + 1)");
  bool ran = false;
  size_t left = 0;
  ASSERT_TRUE(RunWithStack(size_t{2} << 20, [&] {
                left = StackBytesLeft();
                auto r = Parse(nested);
                if (!r.ok()) {
                  EXPECT_EQ(r.status().code(), ErrorCode::kSyntaxError);
                  EXPECT_NE(r.status().message().find("too deeply"), std::string::npos)
                      << r.status().ToString();
                }
                ran = true;
              }).ok());
  EXPECT_TRUE(ran);
  EXPECT_GT(left, 0u);
  EXPECT_LE(left, size_t{2} << 20);
}

}  // namespace
}  // namespace tenantdb::sql
