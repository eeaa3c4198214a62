// The query generator's expressions: one generator per type, aggregates, and predicates
// over subqueries. Operands that would divide by zero are usually wrapped in NULLIF so
// that most statements produce rows; the rest check that both engines fail.
#include <string>

#include "query_gen.h"

namespace tenantdb::differential {

SqlType QueryGenerator::RandomType() {
  static const SqlType kWeighted[] = {
      SqlType::kInt,      SqlType::kInt,       SqlType::kInt,  SqlType::kBigInt,  SqlType::kDouble,
      SqlType::kText,     SqlType::kText,      SqlType::kBool, SqlType::kNumeric, SqlType::kNumeric,
      SqlType::kInterval, SqlType::kTimestamp, SqlType::kDate};
  return kWeighted[rng_->Below(sizeof(kWeighted) / sizeof(kWeighted[0]))];
}

// A type `type` compares with: itself, another numeric type, or DATE with TIMESTAMP.
SqlType QueryGenerator::ComparableType(SqlType type) {
  if (IsNumeric(type) && rng_->Chance(0.3)) {
    static const SqlType kNumbers[] = {SqlType::kInt, SqlType::kBigInt, SqlType::kNumeric,
                                       SqlType::kDouble};
    return kNumbers[rng_->Below(4)];
  }
  if ((type == SqlType::kDate || type == SqlType::kTimestamp) && rng_->Chance(0.3)) {
    return rng_->Chance(0.5) ? SqlType::kDate : SqlType::kTimestamp;
  }
  return type;
}

std::string QueryGenerator::ColumnOf(SqlType type, const Scope& scope) {
  size_t matches = 0;
  for (const ScopeColumn& column : scope.columns)
    matches += column.type == type;
  if (matches == 0) return "";
  size_t pick = rng_->Below(matches);
  for (const ScopeColumn& column : scope.columns) {
    if (column.type == type && pick-- == 0) return column.sql;
  }
  return "";
}

std::string QueryGenerator::Leaf(SqlType type, const ExprContext& context) {
  if (context.scope != nullptr && !rng_->Chance(0.2)) {
    std::string column = ColumnOf(type, *context.scope);
    if (!column.empty()) return column;
  }
  if (rng_->Chance(0.05)) return std::string("CAST(NULL AS ") + SqlTypeName(type) + ")";
  return RandomLiteral(rng_, type);
}

std::string QueryGenerator::Expr(SqlType type, const ExprContext& context, int depth) {
  if (context.agg_scope != nullptr && rng_->Chance(0.35)) {
    return Aggregate(type, context, depth);
  }
  if (depth <= 0 || rng_->Chance(0.25)) return Leaf(type, context);
  if (context.subquery_depth > 0 && type != SqlType::kBool && rng_->Chance(0.025)) {
    return ScalarSubquery(type, context);
  }
  switch (type) {
    case SqlType::kInt:
      return IntExpr(context, depth);
    case SqlType::kBigInt:
      return BigIntExpr(context, depth);
    case SqlType::kDouble:
      return DoubleExpr(context, depth);
    case SqlType::kText:
      return TextExpr(context, depth);
    case SqlType::kBool:
      return BoolExpr(context, depth);
    case SqlType::kNumeric:
      return NumericExpr(context, depth);
    case SqlType::kInterval:
      return IntervalExpr(context, depth);
    case SqlType::kTimestamp:
      return TimestampExpr(context, depth);
    case SqlType::kDate:
      return DateExpr(context, depth);
  }
  return Leaf(type, context);
}

// A divisor: NULLIF(x, 0), so a zero divides into NULL instead of failing. Whether an
// error is raised depends on which rows an engine evaluates an expression for, which SQL
// leaves open (PostgreSQL folds constants, stops at a LIMIT, skips a join's inner side);
// so errors are checked by the probes (query_gen_probe.cc), whose rows are all evaluated.
std::string QueryGenerator::Divisor(SqlType type, const ExprContext& context, int depth) {
  return "NULLIF(" + Expr(type, context, depth) + ", 0)";
}

std::string QueryGenerator::Conditional(SqlType type, const ExprContext& context, int depth) {
  switch (rng_->Below(5)) {
    case 0: {
      std::string sql = "CASE";
      const size_t arms = 1 + rng_->Below(2);
      for (size_t i = 0; i < arms; ++i) {
        sql += " WHEN " + BoolExpr(context, depth - 1) + " THEN " + Expr(type, context, depth - 1);
      }
      if (rng_->Chance(0.7)) sql += " ELSE " + Expr(type, context, depth - 1);
      return sql + " END";
    }
    case 1: {
      const SqlType subject = RandomType();
      std::string sql = "CASE " + Expr(subject, context, depth - 1);
      const size_t arms = 1 + rng_->Below(2);
      for (size_t i = 0; i < arms; ++i)
        sql += " WHEN " + RandomLiteral(rng_, subject) + " THEN " + Expr(type, context, depth - 1);
      if (rng_->Chance(0.7)) sql += " ELSE " + Expr(type, context, depth - 1);
      return sql + " END";
    }
    case 2:
      return "COALESCE(" + Expr(type, context, depth - 1) + ", " + Expr(type, context, depth - 1) +
             (rng_->Chance(0.3) ? ", " + Leaf(type, context) : "") + ")";
    case 3:
      return Call("NULLIF", Expr(type, context, depth - 1), Expr(type, context, depth - 1));
    default:
      if (type == SqlType::kBool) return Call("COALESCE", Expr(type, context, depth - 1), "FALSE");
      return Call(rng_->Chance(0.5) ? "greatest" : "least", Expr(type, context, depth - 1),
                  Expr(type, context, depth - 1));
  }
}

std::string QueryGenerator::IntExpr(const ExprContext& context, int depth) {
  const int d = depth - 1;
  switch (rng_->Below(13)) {
    case 0:
      return Paren(IntExpr(context, d), "+", Expr(SqlType::kInt, context, d));
    case 1:
      return Paren(Expr(SqlType::kInt, context, d), "-", Expr(SqlType::kInt, context, d));
    case 2:
      return Paren(Expr(SqlType::kInt, context, d), "*", Expr(SqlType::kInt, context, d));
    case 3:
      return Paren(Expr(SqlType::kInt, context, d), rng_->Chance(0.5) ? "/" : "%",
                   Divisor(SqlType::kInt, context, d));
    case 4:
      return rng_->Chance(0.5) ? "(- " + Expr(SqlType::kInt, context, d) + ")"
                               : Call("abs", Expr(SqlType::kInt, context, d));
    case 5: {
      static const char* kFunctions[] = {"length", "char_length", "ascii", "octet_length"};
      return Call(kFunctions[rng_->Below(4)], Expr(SqlType::kText, context, d));
    }
    case 6:
      return rng_->Chance(0.5)
                 ? Call("strpos", Expr(SqlType::kText, context, d), Leaf(SqlType::kText, context))
                 : "position(" + Leaf(SqlType::kText, context) + " IN " +
                       Expr(SqlType::kText, context, d) + ")";
    case 7:
      // Not from a double: NaN and Infinity (in the tables) do not fit an INTEGER, and an
      // error depends on which rows are evaluated (the probes cast doubles). Halves would
      // round differently anyway (docs/deviations.md).
      return "CAST(" + Expr(SqlType::kBigInt, context, d) + " AS INTEGER)";
    case 8:
      return Call("mod", Expr(SqlType::kInt, context, d), Divisor(SqlType::kInt, context, d));
    case 9:
      return TemporalIntExpr(context, depth);
    default:
      return Conditional(SqlType::kInt, context, depth);
  }
}

std::string QueryGenerator::BigIntExpr(const ExprContext& context, int depth) {
  const int d = depth - 1;
  static const char* kOps[] = {"+", "-", "*"};
  switch (rng_->Below(6)) {
    case 0:
    case 1:
      return Paren(Expr(SqlType::kBigInt, context, d), kOps[rng_->Below(3)],
                   Expr(rng_->Chance(0.5) ? SqlType::kInt : SqlType::kBigInt, context, d));
    case 2:
      return Paren(Expr(SqlType::kBigInt, context, d), rng_->Chance(0.5) ? "/" : "%",
                   Divisor(SqlType::kBigInt, context, d));
    case 3:
      return "CAST(" + Expr(SqlType::kInt, context, d) + " AS BIGINT)";
    case 4:
      return Call("abs", Expr(SqlType::kBigInt, context, d));
    default:
      return Conditional(SqlType::kBigInt, context, depth);
  }
}

std::string QueryGenerator::DoubleExpr(const ExprContext& context, int depth) {
  const int d = depth - 1;
  static const char* kOps[] = {"+", "-", "*"};
  switch (rng_->Below(9)) {
    case 0:
    case 1:
      return Paren(Expr(SqlType::kDouble, context, d), kOps[rng_->Below(3)],
                   Expr(rng_->Chance(0.5) ? SqlType::kInt : SqlType::kDouble, context, d));
    case 2:
      return Paren(Expr(SqlType::kDouble, context, d), "/", Divisor(SqlType::kDouble, context, d));
    case 3: {
      static const SqlType kFrom[] = {SqlType::kInt, SqlType::kBigInt, SqlType::kNumeric};
      return "CAST(" + Expr(kFrom[rng_->Below(3)], context, d) + " AS DOUBLE PRECISION)";
    }
    case 4: {
      // No round(): it rounds halves as CAST does (above).
      static const char* kFunctions[] = {"abs", "ceil", "floor", "trunc", "sign"};
      return Call(kFunctions[rng_->Below(5)], Expr(SqlType::kDouble, context, d));
    }
    case 5:
      return Call("sqrt", Call("abs", Expr(SqlType::kDouble, context, d)));
    case 6:
      // NUMERIC in PostgreSQL (months of 30 days, years of 365.25), DOUBLE in tenantdb.
      return "CAST(extract(epoch FROM " + Expr(SqlType::kInterval, context, d) +
             ") AS DOUBLE PRECISION)";
    default:
      return Conditional(SqlType::kDouble, context, depth);
  }
}

std::string QueryGenerator::TextExpr(const ExprContext& context, int depth) {
  const int d = depth - 1;
  auto text = [&]() { return Expr(SqlType::kText, context, d); };
  auto small = [&]() { return std::to_string(rng_->Between(0, 4)); };
  switch (rng_->Below(17)) {
    case 0:
      return Paren(text(), "||", text());
    case 1:
      return Paren(text(), "||",
                   Expr(rng_->Chance(0.5) ? SqlType::kInt : SqlType::kBool, context, d));
    case 2: {
      static const char* kFunctions[] = {"upper", "lower",   "trim",    "ltrim",
                                         "rtrim", "reverse", "initcap", "md5"};
      return Call(kFunctions[rng_->Below(8)], text());
    }
    case 3:
      return rng_->Chance(0.5) ? "substr(" + text() + ", " + small() + ")"
                               : "substr(" + text() + ", " + small() + ", " + small() + ")";
    case 4:
      return Call(rng_->Chance(0.5) ? "left" : "right", text(), small());
    case 5:
      return "replace(" + text() + ", " + Leaf(SqlType::kText, context) + ", " +
             Leaf(SqlType::kText, context) + ")";
    case 6:
      return "concat(" + text() + ", " + Expr(RandomType(), context, d) + ")";
    case 7:
      return "concat_ws(" + RandomLiteral(rng_, SqlType::kText) + ", " + text() + ", " + text() +
             ")";
    case 8:
      return std::string(rng_->Chance(0.5) ? "lpad(" : "rpad(") + text() + ", " + small() +
             (rng_->Chance(0.5) ? ", " + RandomLiteral(rng_, SqlType::kText) : "") + ")";
    case 9:
      return Call("repeat", text(), small());
    case 10:
      return "split_part(" + text() + ", " + RandomLiteral(rng_, SqlType::kText) + ", " +
             std::to_string(rng_->Between(1, 3)) + ")";
    case 11:
      return "CAST(" + Expr(rng_->Chance(0.5) ? SqlType::kInt : SqlType::kBool, context, d) +
             " AS TEXT)";
    case 12:
      return rng_->Chance(0.7) ? "CAST(" + Expr(SqlType::kDouble, context, d) + " AS TEXT)"
                               : Call("btrim", text(), RandomLiteral(rng_, SqlType::kText));
    case 13:
      return Call("to_hex", Expr(SqlType::kInt, context, d));
    case 14: {
      static const SqlType kFrom[] = {SqlType::kNumeric, SqlType::kInterval, SqlType::kTimestamp,
                                      SqlType::kDate};
      return "CAST(" + Expr(kFrom[rng_->Below(4)], context, d) + " AS TEXT)";
    }
    default:
      return Conditional(SqlType::kText, context, depth);
  }
}

std::string QueryGenerator::Comparison(const ExprContext& context, int depth) {
  static const char* kOps[] = {"=", "<>", "<", "<=", ">", ">="};
  const SqlType type = RandomType();
  const std::string left = Expr(type, context, depth);
  std::string right = Expr(ComparableType(type), context, depth);
  // x < x holds for no row (x = x for all): compare with a constant instead.
  if (right == left) right = RandomLiteral(rng_, type);
  return Paren(left, kOps[rng_->Below(6)], right);
}

std::string QueryGenerator::BoolExpr(const ExprContext& context, int depth) {
  if (depth <= 0) {
    if (context.scope != nullptr && rng_->Chance(0.3)) {
      std::string column = ColumnOf(SqlType::kBool, *context.scope);
      if (!column.empty()) return column;
    }
    return Comparison(context, 0);
  }
  const int d = depth - 1;
  switch (rng_->Below(16)) {
    case 0:
    case 1:
    case 2:
      return Comparison(context, d);
    case 3:
      return Paren(BoolExpr(context, d), "AND", BoolExpr(context, d));
    case 4:
      return Paren(BoolExpr(context, d), "OR", BoolExpr(context, d));
    case 5:
      return "(NOT " + BoolExpr(context, d) + ")";
    case 6:
      return "(" + Expr(RandomType(), context, d) +
             (rng_->Chance(0.5) ? " IS NULL)" : " IS NOT NULL)");
    case 7: {
      const SqlType type = RandomType();
      return "(" + Expr(type, context, d) +
             (rng_->Chance(0.5) ? " IS DISTINCT FROM " : " IS NOT DISTINCT FROM ") +
             Expr(ComparableType(type), context, d) + ")";
    }
    case 8: {
      const SqlType type = rng_->Chance(0.7) ? SqlType::kInt : SqlType::kText;
      return "(" + Expr(type, context, d) + (rng_->Chance(0.3) ? " NOT" : "") + " BETWEEN " +
             Leaf(type, context) + " AND " + Leaf(type, context) + ")";
    }
    case 9: {
      const SqlType type = RandomType();
      std::string sql = "(" + Expr(type, context, d) + (rng_->Chance(0.3) ? " NOT IN (" : " IN (");
      const size_t n = 1 + rng_->Below(3);
      for (size_t i = 0; i < n; ++i)
        sql += (i > 0 ? ", " : "") + Leaf(type, context);
      return sql + "))";
    }
    case 10: {
      static const std::vector<std::string> kPatterns = {"'a%'",  "'%b'", "'_'", "'%'",
                                                         "'%a%'", "'a_'", "''",  "'x\\_y'"};
      static const char* kOps[] = {" LIKE ", " NOT LIKE ", " ILIKE "};
      return "(" + Expr(SqlType::kText, context, d) + kOps[rng_->Below(3)] + rng_->Pick(kPatterns) +
             ")";
    }
    case 11: {
      static const char* kTests[] = {" IS TRUE)", " IS NOT TRUE)", " IS FALSE)", " IS UNKNOWN)"};
      return "(" + BoolExpr(context, d) + kTests[rng_->Below(4)];
    }
    case 12:
      return Call("starts_with", Expr(SqlType::kText, context, d), Leaf(SqlType::kText, context));
    case 13:
      if (context.subquery_depth > 0) return SubqueryPredicate(context, d);
      return Comparison(context, d);
    default:
      return Conditional(SqlType::kBool, context, depth);
  }
}

std::string QueryGenerator::Aggregate(SqlType type, const ExprContext& context, int depth) {
  ExprContext inner;
  inner.scope = context.agg_scope;
  const int d = depth > 0 ? depth - 1 : 0;
  auto filter = [&]() {
    return rng_->Chance(0.15) ? " FILTER (WHERE " + BoolExpr(inner, d) + ")" : std::string();
  };
  auto min_or_max = [&](SqlType of) {
    return Call(rng_->Chance(0.5) ? "min" : "max", Expr(of, inner, d)) + filter();
  };
  switch (type) {
    case SqlType::kInt:
      if (rng_->Chance(0.3)) {
        // string_agg's order is unspecified without ORDER BY in the call: only its
        // length is the same on both (the ordered form is a TEXT aggregate below).
        return "length(string_agg(" + Expr(SqlType::kText, inner, d) + ", " +
               RandomLiteral(rng_, SqlType::kText) + ")" + filter() + ")";
      }
      return min_or_max(SqlType::kInt);
    case SqlType::kBigInt:
      switch (rng_->Below(4)) {
        case 0:
          return "count(*)" + filter();
        case 1:
          return Call("count", Expr(RandomType(), inner, d)) + filter();
        case 2:
          return Call("count", "DISTINCT " + Expr(RandomType(), inner, d)) + filter();
        default:
          return Call("sum", std::string(rng_->Chance(0.15) ? "DISTINCT " : "") +
                                 Expr(SqlType::kInt, inner, d)) +
                 filter();
      }
    case SqlType::kDouble:
      switch (rng_->Below(4)) {
        case 0:
          // Over doubles only: avg of integers is NUMERIC in PostgreSQL (a deviation).
          return Call("avg", std::string(rng_->Chance(0.15) ? "DISTINCT " : "") +
                                 Expr(SqlType::kDouble, inner, d)) +
                 filter();
        case 1:
          return Call("sum", Expr(SqlType::kDouble, inner, d)) + filter();
        default:
          return min_or_max(SqlType::kDouble);
      }
    case SqlType::kText: {
      if (!rng_->Chance(0.3)) return min_or_max(SqlType::kText);
      // string_agg ordered by its own argument: equal values are equal text, so the
      // result is the same on both whatever order ties take.
      const std::string e = Expr(SqlType::kText, inner, d);
      static const char* kOrders[] = {"", " DESC", " NULLS FIRST", " DESC NULLS LAST"};
      return "string_agg(" + std::string(rng_->Chance(0.2) ? "DISTINCT " : "") + e + ", " +
             RandomLiteral(rng_, SqlType::kText) + " ORDER BY " + e + kOrders[rng_->Below(4)] +
             ")" + filter();
    }
    case SqlType::kNumeric:
    case SqlType::kInterval:
      switch (rng_->Below(4)) {
        case 0:
          return Call("sum",
                      std::string(rng_->Chance(0.15) ? "DISTINCT " : "") + Expr(type, inner, d)) +
                 filter();
        case 1:
          return Call("avg", Expr(type, inner, d)) + filter();
        default:
          return min_or_max(type);
      }
    case SqlType::kTimestamp:
    case SqlType::kDate:
      return min_or_max(type);
    case SqlType::kBool: {
      if (rng_->Chance(0.5)) {
        return Comparison(ExprContext{context.scope, context.agg_scope, 0}, d);
      }
      static const char* kFunctions[] = {"bool_and", "bool_or", "every"};
      return Call(kFunctions[rng_->Below(3)], Expr(SqlType::kBool, inner, d)) + filter();
    }
  }
  return "count(*)";
}

std::string QueryGenerator::ScalarSubquery(SqlType type, const ExprContext& context) {
  const std::vector<SqlType> types = {type};
  const Select select = GenerateSelect(&types, context.subquery_depth - 1, context.scope, false);
  // Any select may return several rows: an aggregate over it returns one.
  static const char* kFunctions[] = {"min", "max"};
  const char* function = type == SqlType::kBool ? "bool_or" : kFunctions[rng_->Below(2)];
  return std::string("(SELECT ") + function + "(x0) FROM (" + select.sql + ") AS " + NewAlias() +
         ")";
}

std::string QueryGenerator::SubqueryPredicate(const ExprContext& context, int depth) {
  const SqlType type = RandomType();
  const std::vector<SqlType> types = {type};
  // Sometimes a set operation (uncorrelated: its arms do not see the outer query).
  const Select select =
      rng_->Chance(0.1) ? GenerateSetOperation(&types, context.subquery_depth - 1)
                        : GenerateSelect(&types, context.subquery_depth - 1, context.scope, false);
  switch (rng_->Below(5)) {
    case 0:
      return "(" + Expr(type, context, depth) + " IN (" + select.sql + "))";
    case 1:
      return "(" + Expr(type, context, depth) + " NOT IN (" + select.sql + "))";
    case 2:
      return "EXISTS (" + select.sql + ")";
    case 3:
      return "(NOT EXISTS (" + select.sql + "))";
    default:
      // Only = ANY: tenantdb has no other operator with ANY / ALL over a subquery.
      return "(" + Expr(type, context, depth) + " = ANY (" + select.sql + "))";
  }
}

}  // namespace tenantdb::differential
