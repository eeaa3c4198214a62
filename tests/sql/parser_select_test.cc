#include <gtest/gtest.h>

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
  EXPECT_EQ(ref->location, 20);
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
