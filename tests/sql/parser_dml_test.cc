#include <gtest/gtest.h>

#include "parser_test_util.h"

namespace tenantdb::sql {
namespace {

using testing::ParseAs;

TEST(ParserInsert, ColumnsAndMultiRowValues) {
  auto s = ParseAs<InsertStmt>(
      "INSERT INTO chat.messages (thread_id, role) VALUES ('t1', 'user'), "
      "('t2', DEFAULT)",
      StatementKind::kInsert);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->table.schema, "chat");
  EXPECT_EQ(s->table.name, "messages");
  EXPECT_EQ(s->columns, (std::vector<std::string>{"thread_id", "role"}));
  ASSERT_TRUE(s->source);
  ASSERT_EQ(s->source->values.size(), 2u);
  EXPECT_EQ(s->source->values[1][1]->kind, ExprKind::kDefault);
  EXPECT_FALSE(s->on_conflict);
}

TEST(ParserInsert, WithoutColumnList) {
  auto s = ParseAs<InsertStmt>("INSERT INTO t VALUES (1, 2)", StatementKind::kInsert);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->columns.empty());
}

TEST(ParserInsert, DefaultValues) {
  auto s = ParseAs<InsertStmt>("INSERT INTO t DEFAULT VALUES", StatementKind::kInsert);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->source);
}

TEST(ParserInsert, InsertSelect) {
  auto s = ParseAs<InsertStmt>("INSERT INTO t (a) SELECT b FROM u", StatementKind::kInsert);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->source);
  EXPECT_TRUE(s->source->values.empty());
  EXPECT_EQ(s->source->ToString(), "SELECT b FROM u");
}

TEST(ParserInsert, OnConflictDoNothing) {
  auto s = ParseAs<InsertStmt>("INSERT INTO t VALUES (1) ON CONFLICT (id) DO NOTHING",
                               StatementKind::kInsert);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->on_conflict);
  EXPECT_EQ(s->on_conflict->action, OnConflictAction::kDoNothing);
  EXPECT_EQ(s->on_conflict->columns, std::vector<std::string>{"id"});
}

TEST(ParserInsert, OnConflictDoUpdateWhere) {
  auto s = ParseAs<InsertStmt>(
      "INSERT INTO t (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = t.n + excluded.n "
      "WHERE t.n < 10",
      StatementKind::kInsert);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->on_conflict);
  EXPECT_EQ(s->on_conflict->action, OnConflictAction::kDoUpdate);
  ASSERT_EQ(s->on_conflict->assignments.size(), 1u);
  EXPECT_EQ(s->on_conflict->assignments[0].column, "n");
  EXPECT_EQ(s->on_conflict->assignments[0].value->ToString(), "(t.n + excluded.n)");
  ASSERT_TRUE(s->on_conflict->where);
}

TEST(ParserInsert, Returning) {
  auto s = ParseAs<InsertStmt>("INSERT INTO t VALUES (1) RETURNING id, n AS count",
                               StatementKind::kInsert);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->returning.size(), 2u);
  EXPECT_EQ(s->returning[1].alias, "count");
}

TEST(ParserUpdate, SetWhereReturning) {
  auto s = ParseAs<UpdateStmt>("UPDATE t SET a = 1, b = b || 'x' WHERE id = $1 RETURNING *",
                               StatementKind::kUpdate);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->table.name, "t");
  ASSERT_EQ(s->assignments.size(), 2u);
  EXPECT_EQ(s->assignments[0].column, "a");
  EXPECT_EQ(s->assignments[1].value->ToString(), "(b || 'x')");
  ASSERT_TRUE(s->where);
  ASSERT_EQ(s->returning.size(), 1u);
  EXPECT_EQ(s->returning[0].expr->kind, ExprKind::kStar);
}

TEST(ParserUpdate, WithoutWhere) {
  auto s = ParseAs<UpdateStmt>("UPDATE s.t AS x SET a = DEFAULT", StatementKind::kUpdate);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->alias, "x");
  EXPECT_FALSE(s->where);
  EXPECT_EQ(s->assignments[0].value->kind, ExprKind::kDefault);
}

TEST(ParserDelete, WhereReturning) {
  auto s =
      ParseAs<DeleteStmt>("DELETE FROM t WHERE id IN (1, 2) RETURNING id", StatementKind::kDelete);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->where);
  EXPECT_EQ(s->where->kind, ExprKind::kInList);
  EXPECT_EQ(s->returning.size(), 1u);
}

TEST(ParserDelete, AllRows) {
  auto s = ParseAs<DeleteStmt>("DELETE FROM t", StatementKind::kDelete);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->where);
}

}  // namespace
}  // namespace tenantdb::sql
