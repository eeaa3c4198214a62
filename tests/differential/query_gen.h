// Random SELECT statements over a round's tables (schema_gen.h), in the SQL tenantdb and
// PostgreSQL 15 share: typed expressions (arithmetic, comparisons, NULL handling, CASE,
// string functions), WHERE, inner / left / right / full / cross joins (ON or USING),
// derived tables, LATERAL, VALUES, generate_series, GROUP BY (plain, ROLLUP, CUBE,
// GROUPING SETS) + aggregates with DISTINCT, FILTER and HAVING, window functions with
// frames (also over groups), CTEs (WITH RECURSIVE too), UNION / INTERSECT / EXCEPT [ALL],
// IN / EXISTS / = ANY / scalar subqueries (correlated too), DISTINCT [ON], ORDER BY,
// LIMIT, OFFSET and FETCH FIRST.
//
// Every expression is generated for a type, so most statements are valid on both
// engines; one that fails on both still counts as a match. The generator keeps away from
// what would make the two results legitimately differ: results that depend on row order
// (window functions that need a total order get one: the tables' `id`s; LIMIT only under
// an ORDER BY of every output column; string_agg only measured by length()), and the
// documented deviations (docs/deviations.md), e.g. halves of doubles rounding: doubles are
// written as CASTs and not rounded. And it keeps
// the statements cheap (shallow expressions, few subqueries per row of a join), since
// ctest runs 10,000 of them under AddressSanitizer.
//
// The implementation is split in four files: query_gen_select.cc (statements, FROM,
// windows), query_gen_expr.cc (expressions, aggregates, subquery predicates),
// query_gen_temporal.cc (NUMERIC and date/time expressions) and query_gen_probe.cc (the statements
// that check errors: overflow, division by zero, ...).
//
// Thread safety: a generator is used by one thread.
#pragma once

#include <string>
#include <vector>

#include "random.h"
#include "schema_gen.h"

namespace tenantdb::differential {

// "(a op b)" and "f(arg)" / "f(a, b)": the generator's building blocks.
inline std::string Paren(const std::string& a, const char* op, const std::string& b) {
  return "(" + a + " " + op + " " + b + ")";
}
inline std::string Call(const char* function, const std::string& arg) {
  return std::string(function) + "(" + arg + ")";
}
inline std::string Call(const char* function, const std::string& a, const std::string& b) {
  return std::string(function) + "(" + a + ", " + b + ")";
}

struct GeneratedQuery {
  std::string sql;
  // The statement orders its rows by every output column: compare them in order.
  bool ordered = false;
};

class QueryGenerator {
 public:
  QueryGenerator(Random* rng, const std::vector<TableSpec>* tables) : rng_(rng), tables_(tables) {}

  GeneratedQuery Next();

 private:
  // query_gen_probe.cc: a statement that checks both engines fail alike on bad values.
  GeneratedQuery GenerateProbe();
  // A column an expression may name, as written ("a3.i1").
  struct ScopeColumn {
    std::string sql;
    SqlType type;
  };
  // The columns of a FROM clause, and the columns that identify its rows when every
  // source is a base table (their ids; ordering by them makes an order total).
  struct Scope {
    std::vector<ScopeColumn> columns;
    std::vector<std::string> keys;
    bool keyed = false;
    size_t sources = 0;  // FROM items
  };
  // What an expression may use: bare columns, aggregates over `agg_scope` (when set),
  // subqueries (when subquery_depth > 0).
  struct ExprContext {
    const Scope* scope = nullptr;
    const Scope* agg_scope = nullptr;
    int subquery_depth = 0;
  };
  struct Select {
    std::string sql;
    std::vector<SqlType> types;
    bool ordered = false;
  };
  // A derived table or CTE the FROM clause may read.
  struct NamedSource {
    std::string name;
    std::vector<ColumnSpec> columns;
  };

  // query_gen_select.cc
  Select GenerateSelect(const std::vector<SqlType>* types, int depth, const Scope* outer,
                        bool allow_order);
  Select GenerateSetOperation(const std::vector<SqlType>* types, int depth);
  std::string GenerateFrom(int depth, Scope* scope);
  std::string AddSource(int depth, Scope* scope);
  std::string GenerateWindowItem(const Scope& scope, SqlType* type);
  std::string WindowArgument(SqlType type, const ExprContext& context);
  std::string GroupWindowItem(const ExprContext& context, const std::vector<std::string>& keys,
                              bool plain, SqlType* type);
  std::string GenerateOrderBy(size_t columns);
  std::string NewAlias() { return "a" + std::to_string(next_alias_++); }
  std::vector<SqlType> RandomTypes(size_t max);

  // query_gen_expr.cc
  std::string Expr(SqlType type, const ExprContext& context, int depth);
  std::string Leaf(SqlType type, const ExprContext& context);
  std::string IntExpr(const ExprContext& context, int depth);
  std::string BigIntExpr(const ExprContext& context, int depth);
  std::string DoubleExpr(const ExprContext& context, int depth);
  std::string TextExpr(const ExprContext& context, int depth);
  std::string BoolExpr(const ExprContext& context, int depth);
  // query_gen_temporal.cc
  std::string NumericExpr(const ExprContext& context, int depth);
  std::string IntervalExpr(const ExprContext& context, int depth);
  std::string TimestampExpr(const ExprContext& context, int depth);
  std::string DateExpr(const ExprContext& context, int depth);
  std::string TemporalIntExpr(const ExprContext& context, int depth);
  std::string Comparison(const ExprContext& context, int depth);
  std::string SubqueryPredicate(const ExprContext& context, int depth);
  std::string ScalarSubquery(SqlType type, const ExprContext& context);
  std::string Aggregate(SqlType type, const ExprContext& context, int depth);
  std::string Conditional(SqlType type, const ExprContext& context, int depth);
  std::string Divisor(SqlType type, const ExprContext& context, int depth);
  // A column of `type` in `scope`, or "" when there is none.
  std::string ColumnOf(SqlType type, const Scope& scope);
  SqlType RandomType();
  SqlType ComparableType(SqlType type);

  Random* rng_;
  const std::vector<TableSpec>* tables_;
  std::vector<NamedSource> ctes_;  // the statement's WITH items
  int next_alias_ = 0;
};

}  // namespace tenantdb::differential
