#include <gtest/gtest.h>

#include "parser_test_util.h"
#include "sql/parser/parser.h"

namespace tenantdb::sql {
namespace {

std::unique_ptr<SelectStmt> ParseSelect(std::string_view sql) {
  auto r = ParseStatement(sql);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  if (!r.ok()) return nullptr;
  StatementPtr stmt = std::move(r).value();
  EXPECT_EQ(stmt->kind, StatementKind::kSelect);
  return std::unique_ptr<SelectStmt>(static_cast<SelectStmt*>(stmt.release()));
}

std::string Canon(std::string_view sql) {
  auto r = ParseStatement(sql);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  return r.ok() ? (*r)->ToString() : "";
}

TEST(ParserSelect, TargetsWithAliases) {
  auto s = ParseSelect("SELECT a, b AS bee, t.c cee FROM t");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->targets.size(), 3u);
  EXPECT_EQ(s->targets[1].alias, "bee");
  EXPECT_EQ(s->targets[2].alias, "cee");
  ASSERT_EQ(s->targets[2].expr->kind, ExprKind::kColumnRef);
  auto* ref = static_cast<ColumnRef*>(s->targets[2].expr.get());
  EXPECT_EQ(ref->names, (std::vector<std::string>{"t", "c"}));
  EXPECT_EQ(ref->location, 21);
}

TEST(ParserSelect, QualifiedTableAndAlias) {
  auto s = ParseSelect("select * from chat.messages m");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->from.size(), 1u);
  ASSERT_EQ(s->from[0]->kind, TableRefKind::kTable);
  auto* t = static_cast<BaseTableRef*>(s->from[0].get());
  EXPECT_EQ(t->table.schema, "chat");
  EXPECT_EQ(t->table.name, "messages");
  EXPECT_EQ(t->alias, "m");
  EXPECT_EQ(s->targets[0].expr->kind, ExprKind::kStar);
}

TEST(ParserSelect, CanonicalForm) {
  EXPECT_EQ(Canon("select a+b*2 from t where x = 1 and y <> 'it''s'"),
            "SELECT (a + (b * 2)) FROM t WHERE ((x = 1) AND (y <> 'it''s'))");
}

}  // namespace
}  // namespace tenantdb::sql

namespace tenantdb::sql {
namespace {

TEST(ParserSelect, Joins) {
  auto s = ParseSelect("SELECT * FROM a JOIN b ON a.id = b.id LEFT JOIN c ON true CROSS JOIN d");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->from.size(), 1u);
  ASSERT_EQ(s->from[0]->kind, TableRefKind::kJoin);
  auto* cross = static_cast<JoinRef*>(s->from[0].get());
  EXPECT_EQ(cross->join_type, JoinType::kCross);
  EXPECT_FALSE(cross->on);
  ASSERT_EQ(cross->left->kind, TableRefKind::kJoin);
  auto* left = static_cast<JoinRef*>(cross->left.get());
  EXPECT_EQ(left->join_type, JoinType::kLeft);
  auto* inner = static_cast<JoinRef*>(left->left.get());
  EXPECT_EQ(inner->join_type, JoinType::kInner);
  ASSERT_TRUE(inner->on);
  EXPECT_EQ(inner->on->ToString(), "(a.id = b.id)");
}

TEST(ParserSelect, InnerKeywordIsOptional) {
  auto s = ParseSelect("SELECT * FROM a INNER JOIN b ON a.x = b.x");
  ASSERT_TRUE(s);
  EXPECT_EQ(static_cast<JoinRef*>(s->from[0].get())->join_type, JoinType::kInner);
}

TEST(ParserSelect, CommaListIsSeveralFromItems) {
  auto s = ParseSelect("SELECT * FROM a, b AS bb");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->from.size(), 2u);
  EXPECT_EQ(s->from[1]->alias, "bb");
}

TEST(ParserSelect, SubqueryInFrom) {
  auto s = ParseSelect("SELECT x.a FROM (SELECT a FROM t WHERE a > 1) AS x");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->from[0]->kind, TableRefKind::kSubquery);
  auto* sub = static_cast<SubqueryRef*>(s->from[0].get());
  EXPECT_EQ(sub->alias, "x");
  EXPECT_EQ(sub->subquery->ToString(), "SELECT a FROM t WHERE (a > 1)");
}

TEST(ParserSelect, WhereGroupHaving) {
  auto s = ParseSelect("SELECT a, sum(b) FROM t WHERE c = 1 GROUP BY a, d HAVING sum(b) > 2");
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->where);
  EXPECT_EQ(s->group_by.size(), 2u);
  ASSERT_TRUE(s->having);
  EXPECT_EQ(s->having->ToString(), "(sum(b) > 2)");
}

TEST(ParserSelect, OrderByDirectionsAndNulls) {
  auto s = ParseSelect("SELECT a FROM t ORDER BY a, b DESC, c ASC NULLS FIRST, d DESC NULLS LAST");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->order_by.size(), 4u);
  EXPECT_EQ(s->order_by[0].direction, SortDirection::kDefault);
  EXPECT_EQ(s->order_by[1].direction, SortDirection::kDescending);
  EXPECT_EQ(s->order_by[2].direction, SortDirection::kAscending);
  EXPECT_EQ(s->order_by[2].nulls, NullsOrder::kFirst);
  EXPECT_EQ(s->order_by[3].nulls, NullsOrder::kLast);
}

TEST(ParserSelect, LimitOffset) {
  auto s = ParseSelect("SELECT a FROM t LIMIT 20 OFFSET $1");
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->limit && s->offset);
  EXPECT_EQ(s->limit->ToString(), "20");
  EXPECT_EQ(s->offset->kind, ExprKind::kParameter);
}

TEST(ParserSelect, FetchFirstIsLimit) {
  auto s = ParseSelect("SELECT a FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY");
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->limit);
  EXPECT_EQ(s->limit->ToString(), "3");
}

TEST(ParserSelect, Distinct) {
  auto s = ParseSelect("SELECT DISTINCT a, b FROM t");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->distinct);
}

TEST(ParserSelect, UnionAndUnionAll) {
  auto s = ParseSelect("SELECT a FROM t UNION SELECT a FROM u UNION ALL SELECT a FROM v LIMIT 1");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->set_op, SetOp::kUnion);
  EXPECT_TRUE(s->set_all);
  ASSERT_TRUE(s->left && s->right);
  EXPECT_EQ(s->left->set_op, SetOp::kUnion);
  EXPECT_FALSE(s->left->set_all);
  ASSERT_TRUE(s->limit);
}

TEST(ParserSelect, ValuesList) {
  auto s = ParseSelect("VALUES (1, 'a'), (2, 'b')");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->values.size(), 2u);
  EXPECT_EQ(s->values[1][1]->ToString(), "'b'");
}

TEST(ParserSelect, PublicSchemaIsKeptAsWritten) {
  auto s = ParseSelect("SELECT * FROM public.t");
  ASSERT_TRUE(s);
  EXPECT_EQ(static_cast<BaseTableRef*>(s->from[0].get())->table.schema, "public");
}

TEST(ParserSelect, StatementLocationInScript) {
  auto r = Parse("SELECT 1;  SELECT 2");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0]->location, 1);
  EXPECT_EQ((*r)[1]->location, 12);
  auto* second = static_cast<SelectStmt*>((*r)[1].get());
  EXPECT_EQ(second->targets[0].expr->location, 19);
}

}  // namespace
}  // namespace tenantdb::sql
