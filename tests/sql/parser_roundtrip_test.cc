// Every query in the corpus parses, prints, and the printed form parses back to the same
// printed form (ToString is a fixed point after one round).
#include <gtest/gtest.h>

#include "sql/parser/parser.h"

namespace tenantdb::sql {
namespace {

const char* const kCorpus[] = {
    "SELECT 1",
    "SELECT a, b AS x FROM t",
    "SELECT * FROM s.t AS u WHERE u.a > 10",
    "SELECT t.* FROM t",
    "SELECT DISTINCT a FROM t ORDER BY a DESC NULLS LAST LIMIT 10 OFFSET 5",
    "SELECT a FROM t ORDER BY a ASC NULLS FIRST, b",
    "SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 1",
    "SELECT count(DISTINCT a), sum(b), avg(c), min(d), max(e) FROM t",
    "SELECT * FROM a JOIN b ON a.id = b.id LEFT JOIN c ON c.id = b.cid",
    "SELECT * FROM a CROSS JOIN b",
    "SELECT * FROM a, b WHERE a.x = b.y",
    "SELECT * FROM (SELECT a FROM t) AS sub WHERE sub.a = 1",
    "SELECT a FROM t UNION SELECT b FROM u",
    "SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 3",
    "SELECT a FROM t INTERSECT SELECT b FROM u",
    "SELECT a FROM t EXCEPT SELECT b FROM u",
    "SELECT -a, +b, NOT c, a % 2, a ^ 2, a / b - c FROM t",
    "SELECT 'x' || name FROM t WHERE name LIKE 'a%' OR name ILIKE 'B%'",
    "SELECT * FROM t WHERE name NOT LIKE 'a%' AND name NOT ILIKE 'b%'",
    "SELECT * FROM t WHERE a IS NULL OR b IS NOT NULL",
    "SELECT * FROM t WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM d",
    "SELECT * FROM t WHERE a BETWEEN 1 AND 10 AND b NOT BETWEEN 2 AND 3",
    "SELECT * FROM t WHERE a IN (1, 2, 3) AND b NOT IN ('x', 'y')",
    "SELECT * FROM t WHERE a IN (SELECT b FROM u)",
    "SELECT * FROM t WHERE a NOT IN (SELECT b FROM u)",
    "SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)",
    "SELECT (SELECT max(b) FROM u) AS m FROM t",
    "SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END FROM t",
    "SELECT CASE a WHEN 1 THEN 'one' ELSE 'other' END FROM t",
    "SELECT coalesce(a, b, 0), nullif(a, 0), greatest(a, b), least(a, b) FROM t",
    "SELECT CAST(a AS bigint), b::text, c::varchar(10), d::double precision FROM t",
    "SELECT now(), CURRENT_USER, CURRENT_TIMESTAMP, snowflake_id(), uuid_v7()",
    "SELECT * FROM t WHERE id = $1 AND name = $2",
    "SELECT 12345678901234, 1.5, 1e10, 'str', TRUE, FALSE, NULL",
    "SELECT -5, -2.5",
    "SELECT lower(name), upper(name), length(name), substring(name, 1, 2) FROM t",
    "SELECT \"Mixed Case\", \"select\" FROM \"My Table\"",
    "SELECT * FROM public.t",
    "SELECT a IS TRUE, b IS NOT FALSE, c IS UNKNOWN FROM t",
    "VALUES (1, 'a'), (2, 'b')",
    "INSERT INTO t (a, b) VALUES (1, 'x'), (2, DEFAULT)",
    "INSERT INTO s.t VALUES (1)",
    "INSERT INTO t DEFAULT VALUES",
    "INSERT INTO t (a) SELECT b FROM u WHERE b > 1",
    "INSERT INTO t (id, v) VALUES (1, 2) ON CONFLICT (id) DO NOTHING",
    "INSERT INTO t (id, v) VALUES (1, 2) ON CONFLICT DO NOTHING",
    "INSERT INTO t (id, v) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET v = excluded.v "
    "WHERE t.v < excluded.v RETURNING id, v AS value",
    "UPDATE t SET a = 1, b = DEFAULT WHERE id = 3 RETURNING *",
    "UPDATE t AS x SET a = x.a + 1",
    "DELETE FROM t WHERE id = $1 RETURNING id",
    "DELETE FROM s.t",
    "CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL, n int DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS chat.messages (id BIGINT PRIMARY KEY DEFAULT SNOWFLAKE_ID(), "
    "thread_id TEXT NOT NULL, created_at TIMESTAMP DEFAULT NOW()) "
    "WITH (TYPE = 'USER', FLUSH_POLICY = 'rows:1000')",
    "CREATE TABLE t (a int, b text, PRIMARY KEY (a, b))",
    "CREATE TABLE t (a int) WITH (ttl_seconds = 3600, type = 'STREAM')",
    "CREATE USER TABLE ns.t (id bigint PRIMARY KEY)",
    "CREATE SHARED TABLE t (id bigint PRIMARY KEY)",
    "CREATE STREAM TABLE t (id bigint PRIMARY KEY) WITH (TTL_SECONDS = 60)",
    "DROP TABLE t",
    "DROP TABLE IF EXISTS s.t, u CASCADE",
    "ALTER TABLE t ADD COLUMN c text NOT NULL DEFAULT 'x'",
    "ALTER TABLE t DROP COLUMN c",
    "ALTER TABLE IF EXISTS t DROP COLUMN IF EXISTS c",
    "ALTER TABLE t RENAME COLUMN a TO b",
    "ALTER TABLE t RENAME TO u",
    "ALTER TABLE t ALTER COLUMN a SET DEFAULT 5, ALTER COLUMN b DROP DEFAULT",
    "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
    "ALTER TABLE t ALTER COLUMN a DROP NOT NULL",
    "CREATE SCHEMA s",
    "CREATE SCHEMA IF NOT EXISTS s",
    "DROP SCHEMA IF EXISTS s CASCADE",
    "CREATE NAMESPACE chat",
    "DROP NAMESPACE IF EXISTS chat CASCADE",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "EXPLAIN SELECT * FROM t WHERE a = 1",
    "PREPARE p (bigint, text) AS SELECT * FROM t WHERE a = $1 AND b = $2",
    "EXECUTE p (1, 'x')",
    "USE chat",
    "CREATE USER alice WITH PASSWORD 'secret' ROLE service",
    "ALTER USER alice SET PASSWORD 'secret'",
    "ALTER USER alice WITH PASSWORD 'secret' ROLE dba",
    "ALTER USER 'bob' SET ROLE service",
    "DROP USER alice",
    "DROP USER IF EXISTS 'bob'",
    "STORAGE FLUSH TABLE chat.messages",
    "CREATE STORAGE s3 BASE_DIRECTORY '/data' USER_TABLES_TEMPLATE "
    "'{namespace}/{tableName}/{userId}'",
    "SHOW NAMESPACES",
    "SHOW TABLES",
    "SHOW TABLES IN chat",
    "DESCRIBE TABLE chat.messages",
    "EXECUTE AS USER 'alice' (SELECT * FROM chat.messages)",
    "EXECUTE AS USER 'bob' (INSERT INTO t VALUES (1))",
    "SET extra_float_digits = 3",
    "SET LOCAL search_path TO chat, 'public'",
    "RESET ALL",
    "RESET application_name",
    "SHOW search_path",
    "SHOW ALL",
};

TEST(ParserRoundTrip, CorpusIsAFixedPoint) {
  for (const char* sql : kCorpus) {
    SCOPED_TRACE(sql);
    auto first = ParseStatement(sql);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    const std::string printed = (*first)->ToString();
    auto second = ParseStatement(printed);
    ASSERT_TRUE(second.ok()) << printed << " -> " << second.status().ToString();
    EXPECT_EQ((*second)->kind, (*first)->kind);
    EXPECT_EQ((*second)->ToString(), printed);
  }
}

TEST(ParserRoundTrip, WholeCorpusAsOneScript) {
  std::string script;
  for (const char* sql : kCorpus) {
    script += sql;
    script += ";\n";
  }
  auto all = Parse(script);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), std::size(kCorpus));
  for (size_t i = 0; i < all->size(); ++i) {
    auto one = ParseStatement(kCorpus[i]);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ((*all)[i]->ToString(), (*one)->ToString());
  }
}

}  // namespace
}  // namespace tenantdb::sql
