#include <gtest/gtest.h>

#include "parser_test_util.h"

namespace tenantdb::sql {
namespace {

using testing::ExprString;
using testing::ParseSelect;

template <typename T>
const T* Target(const std::unique_ptr<SelectStmt>& s, ExprKind kind, size_t i = 0) {
  EXPECT_TRUE(s);
  if (!s || s->targets.size() <= i) return nullptr;
  EXPECT_EQ(s->targets[i].expr->kind, kind);
  if (s->targets[i].expr->kind != kind) return nullptr;
  return static_cast<const T*>(s->targets[i].expr.get());
}

TEST(ParserExpr, IntegerLiteral) {
  auto s = ParseSelect("SELECT 42");
  auto* lit = Target<Literal>(s, ExprKind::kLiteral);
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->literal_kind, LiteralKind::kInteger);
  EXPECT_EQ(lit->integer, 42);
  EXPECT_EQ(lit->location, 8);
}

TEST(ParserExpr, BigIntegerLiteralStaysInteger) {
  auto s = ParseSelect("SELECT 9223372036854775807");
  auto* lit = Target<Literal>(s, ExprKind::kLiteral);
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->literal_kind, LiteralKind::kInteger);
  EXPECT_EQ(lit->integer, INT64_MAX);
}

TEST(ParserExpr, IntegerBeyondInt64IsNumeric) {
  auto s = ParseSelect("SELECT 99999999999999999999");
  auto* lit = Target<Literal>(s, ExprKind::kLiteral);
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->literal_kind, LiteralKind::kNumeric);
  EXPECT_EQ(lit->text, "99999999999999999999");
}

TEST(ParserExpr, NegativeLiteralsFold) {
  auto s = ParseSelect("SELECT -7, -1.25");
  auto* a = Target<Literal>(s, ExprKind::kLiteral, 0);
  auto* b = Target<Literal>(s, ExprKind::kLiteral, 1);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->integer, -7);
  EXPECT_EQ(b->literal_kind, LiteralKind::kNumeric);
  EXPECT_EQ(b->text, "-1.25");
}

TEST(ParserExpr, StringBooleanNullLiterals) {
  auto s = ParseSelect("SELECT 'it''s', TRUE, false, NULL, E'a\\nb'");
  auto* str = Target<Literal>(s, ExprKind::kLiteral, 0);
  ASSERT_TRUE(str);
  EXPECT_EQ(str->literal_kind, LiteralKind::kString);
  EXPECT_EQ(str->text, "it's");
  auto* t = Target<Literal>(s, ExprKind::kLiteral, 1);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->literal_kind, LiteralKind::kBoolean);
  EXPECT_TRUE(t->boolean);
  auto* f = Target<Literal>(s, ExprKind::kLiteral, 2);
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->boolean);
  auto* n = Target<Literal>(s, ExprKind::kLiteral, 3);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->literal_kind, LiteralKind::kNull);
  auto* e = Target<Literal>(s, ExprKind::kLiteral, 4);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->text, "a\nb");
}

TEST(ParserExpr, Parameter) {
  auto s = ParseSelect("SELECT $3");
  auto* p = Target<Parameter>(s, ExprKind::kParameter);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->index, 3);
}

TEST(ParserExpr, ArithmeticPrecedence) {
  EXPECT_EQ(ExprString("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(ExprString("(1 + 2) * 3"), "((1 + 2) * 3)");
  EXPECT_EQ(ExprString("a - b - c"), "((a - b) - c)");
  EXPECT_EQ(ExprString("a / b % c"), "((a / b) % c)");
  EXPECT_EQ(ExprString("-a"), "(- a)");
}

TEST(ParserExpr, Comparisons) {
  EXPECT_EQ(ExprString("a = 1"), "(a = 1)");
  EXPECT_EQ(ExprString("a != 1"), "(a <> 1)");
  EXPECT_EQ(ExprString("a <> 1"), "(a <> 1)");
  EXPECT_EQ(ExprString("a < 1"), "(a < 1)");
  EXPECT_EQ(ExprString("a <= 1"), "(a <= 1)");
  EXPECT_EQ(ExprString("a > 1"), "(a > 1)");
  EXPECT_EQ(ExprString("a >= 1"), "(a >= 1)");
}

TEST(ParserExpr, BooleanOperatorsFoldLeft) {
  EXPECT_EQ(ExprString("a AND b AND c"), "((a AND b) AND c)");
  EXPECT_EQ(ExprString("a OR b AND c"), "(a OR (b AND c))");
  EXPECT_EQ(ExprString("NOT a OR b"), "((NOT a) OR b)");
}

TEST(ParserExpr, BinaryNodeShape) {
  auto s = ParseSelect("SELECT x || 'y'");
  auto* b = Target<BinaryExpr>(s, ExprKind::kBinary);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->op, BinaryOp::kConcat);
  EXPECT_EQ(b->left->kind, ExprKind::kColumnRef);
  EXPECT_EQ(b->right->kind, ExprKind::kLiteral);
  EXPECT_EQ(b->location, 10);
}

TEST(ParserExpr, LikeFamily) {
  EXPECT_EQ(ExprString("a LIKE 'x%'"), "(a LIKE 'x%')");
  EXPECT_EQ(ExprString("a NOT LIKE 'x%'"), "(a NOT LIKE 'x%')");
  EXPECT_EQ(ExprString("a ILIKE 'x%'"), "(a ILIKE 'x%')");
  EXPECT_EQ(ExprString("a NOT ILIKE 'x%'"), "(a NOT ILIKE 'x%')");
}

TEST(ParserExpr, IsNullAndDistinct) {
  EXPECT_EQ(ExprString("a IS NULL"), "(a IS NULL)");
  EXPECT_EQ(ExprString("a IS NOT NULL"), "(a IS NOT NULL)");
  EXPECT_EQ(ExprString("a IS DISTINCT FROM b"), "(a IS DISTINCT FROM b)");
  EXPECT_EQ(ExprString("a IS NOT DISTINCT FROM b"), "(a IS NOT DISTINCT FROM b)");
  EXPECT_EQ(ExprString("a IS TRUE"), "(a IS NOT DISTINCT FROM TRUE)");
  EXPECT_EQ(ExprString("a IS NOT FALSE"), "(a IS DISTINCT FROM FALSE)");
  EXPECT_EQ(ExprString("a IS UNKNOWN"), "(a IS NULL)");
}

TEST(ParserExpr, Between) {
  auto s = ParseSelect("SELECT a NOT BETWEEN 1 AND 5");
  auto* b = Target<BetweenExpr>(s, ExprKind::kBetween);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->negated);
  EXPECT_EQ(b->low->ToString(), "1");
  EXPECT_EQ(b->high->ToString(), "5");
}

TEST(ParserExpr, InList) {
  auto s = ParseSelect("SELECT a IN (1, 2, 3), b NOT IN ('x')");
  auto* in = Target<InListExpr>(s, ExprKind::kInList, 0);
  ASSERT_TRUE(in);
  EXPECT_FALSE(in->negated);
  EXPECT_EQ(in->list.size(), 3u);
  auto* not_in = Target<InListExpr>(s, ExprKind::kInList, 1);
  ASSERT_TRUE(not_in);
  EXPECT_TRUE(not_in->negated);
}

TEST(ParserExpr, InSubqueryExistsScalarSubquery) {
  auto s = ParseSelect(
      "SELECT a IN (SELECT b FROM u), EXISTS (SELECT 1 FROM u), (SELECT max(b) FROM u)");
  auto* in = Target<InSubqueryExpr>(s, ExprKind::kInSubquery, 0);
  ASSERT_TRUE(in);
  EXPECT_EQ(in->subquery->ToString(), "SELECT b FROM u");
  auto* ex = Target<ExistsExpr>(s, ExprKind::kExists, 1);
  ASSERT_TRUE(ex);
  auto* sub = Target<SubqueryExpr>(s, ExprKind::kSubquery, 2);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->subquery->ToString(), "SELECT max(b) FROM u");
}

TEST(ParserExpr, EqualsAnySubqueryIsIn) {
  EXPECT_EQ(ExprString("a = ANY (SELECT b FROM u)"), "(a IN (SELECT b FROM u))");
}

TEST(ParserExpr, SearchedAndSimpleCase) {
  auto s = ParseSelect("SELECT CASE WHEN a THEN 1 ELSE 2 END, CASE x WHEN 1 THEN 'a' END");
  auto* searched = Target<CaseExpr>(s, ExprKind::kCase, 0);
  ASSERT_TRUE(searched);
  EXPECT_FALSE(searched->operand);
  EXPECT_EQ(searched->whens.size(), 1u);
  EXPECT_TRUE(searched->else_result);
  auto* simple = Target<CaseExpr>(s, ExprKind::kCase, 1);
  ASSERT_TRUE(simple);
  ASSERT_TRUE(simple->operand);
  EXPECT_EQ(simple->operand->ToString(), "x");
  EXPECT_FALSE(simple->else_result);
}

TEST(ParserExpr, CoalesceNullifAreCalls) {
  auto s = ParseSelect("SELECT coalesce(a, 0), NULLIF(a, b)");
  auto* c = Target<FunctionCall>(s, ExprKind::kFunction, 0);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, std::vector<std::string>{"coalesce"});
  EXPECT_EQ(c->args.size(), 2u);
  auto* n = Target<FunctionCall>(s, ExprKind::kFunction, 1);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->name, std::vector<std::string>{"nullif"});
}

TEST(ParserExpr, CastForms) {
  auto s = ParseSelect(
      "SELECT CAST(a AS integer), b::timestamptz, c::varchar(20), d::money, e::numeric(15, 2)");
  auto* a = Target<CastExpr>(s, ExprKind::kCast, 0);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type.name, "int4");
  EXPECT_EQ(a->type.data_type, DataType::kInt);
  auto* b = Target<CastExpr>(s, ExprKind::kCast, 1);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->type.data_type, DataType::kTimestampTz);
  auto* c = Target<CastExpr>(s, ExprKind::kCast, 2);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->type.data_type, DataType::kText);
  EXPECT_EQ(c->type.modifiers, std::vector<int64_t>{20});
  auto* d = Target<CastExpr>(s, ExprKind::kCast, 3);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->type.data_type.has_value());
  auto* e = Target<CastExpr>(s, ExprKind::kCast, 4);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type.data_type, DataType::kNumeric);
  EXPECT_EQ(e->type.modifiers, (std::vector<int64_t>{15, 2}));
}

TEST(ParserExpr, FunctionCalls) {
  auto s = ParseSelect("SELECT count(*), count(DISTINCT a), lower(b), myschema.f(1, 2)");
  auto* star = Target<FunctionCall>(s, ExprKind::kFunction, 0);
  ASSERT_TRUE(star);
  EXPECT_TRUE(star->star);
  auto* distinct = Target<FunctionCall>(s, ExprKind::kFunction, 1);
  ASSERT_TRUE(distinct);
  EXPECT_TRUE(distinct->distinct);
  auto* q = Target<FunctionCall>(s, ExprKind::kFunction, 3);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->name, (std::vector<std::string>{"myschema", "f"}));
  EXPECT_EQ(q->args.size(), 2u);
}

TEST(ParserExpr, SqlValueFunctions) {
  auto s = ParseSelect("SELECT CURRENT_USER, current_timestamp");
  auto* u = Target<FunctionCall>(s, ExprKind::kFunction, 0);
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->no_parens);
  EXPECT_EQ(u->name, std::vector<std::string>{"current_user"});
  EXPECT_EQ(u->ToString(), "CURRENT_USER");
}

TEST(ParserExpr, StarAndQualifiedStar) {
  auto s = ParseSelect("SELECT *, t.*, s.t.* FROM t");
  auto* a = Target<StarExpr>(s, ExprKind::kStar, 0);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->qualifier.empty());
  auto* b = Target<StarExpr>(s, ExprKind::kStar, 1);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->qualifier, std::vector<std::string>{"t"});
  auto* c = Target<StarExpr>(s, ExprKind::kStar, 2);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->qualifier, (std::vector<std::string>{"s", "t"}));
}

TEST(ParserExpr, IdentifierFoldingAndQuoting) {
  auto s = ParseSelect("SELECT Abc, \"Abc\", \"a b\"");
  auto* a = Target<ColumnRef>(s, ExprKind::kColumnRef, 0);
  auto* b = Target<ColumnRef>(s, ExprKind::kColumnRef, 1);
  auto* c = Target<ColumnRef>(s, ExprKind::kColumnRef, 2);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->names[0], "abc");
  EXPECT_EQ(b->names[0], "Abc");
  EXPECT_EQ(b->ToString(), "\"Abc\"");
  EXPECT_EQ(c->ToString(), "\"a b\"");
}

TEST(ParserExpr, LocationsAreByteOffsets) {
  auto s = ParseSelect("SELECT a,   b + 1, f(x)");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->targets[0].expr->location, 8);
  EXPECT_EQ(s->targets[1].expr->location, 15);  // the operator
  EXPECT_EQ(s->targets[2].expr->location, 20);
}

}  // namespace
}  // namespace tenantdb::sql
