// SELECT and its FROM clause: table references, joins, subqueries, set operations.
//
// A SelectStmt is either a simple SELECT (targets, from, where, ...), a VALUES list, or a
// set operation (`set_op` != kNone) combining `left` and `right`; ORDER BY / LIMIT /
// OFFSET on a set operation apply to its result. Subqueries in expressions and FROM hold
// their own SelectStmt.
//
// Thread safety: immutable after parsing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/parser/ast/expr.h"
#include "sql/parser/ast/statement.h"

namespace tenantdb::sql {

// One output column: `expr [AS alias]`; also a RETURNING item.
struct SelectItem {
  ExprPtr expr;
  std::string alias;  // empty when none

  std::string ToString() const;
};

enum class TableRefKind : uint8_t { kTable, kJoin, kSubquery, kFunction };

struct TableRef {
  explicit TableRef(TableRefKind k) : kind(k) {}
  virtual ~TableRef() = default;
  TableRef(const TableRef&) = delete;
  TableRef& operator=(const TableRef&) = delete;
  virtual std::string ToString() const = 0;

  const TableRefKind kind;
  std::string alias;                        // empty when none
  std::vector<std::string> column_aliases;  // AS t(a, b): renames the columns in order
  // LATERAL (a subquery; a function is lateral anyway): it may refer to the FROM items
  // before it (in a JOIN, to the join's left side).
  bool lateral = false;
};

using TableRefPtr = std::unique_ptr<TableRef>;

// `(a, b), (a), ()`: grouping sets as positions, each position written by `name`.
template <class Name>
std::string GroupingSetsText(const std::vector<std::vector<size_t>>& sets, const Name& name) {
  std::string out;
  for (size_t i = 0; i < sets.size(); ++i) {
    out += i > 0 ? ", (" : "(";
    for (size_t k = 0; k < sets[i].size(); ++k)
      out += (k > 0 ? ", " : "") + name(sets[i][k]);
    out += ")";
  }
  return out;
}

struct BaseTableRef final : TableRef {
  BaseTableRef() : TableRef(TableRefKind::kTable) {}
  std::string ToString() const override;
  TableName table;
};

// kSemi, kAnti and kAntiNullAware are never parsed: the optimizer's decorrelation
// (sql/optimizer/decorrelate.cc) makes them for EXISTS / IN / NOT EXISTS / NOT IN, and
// such a join outputs its left input's columns only (sql/planner/plan/join_node.h).
enum class JoinType : uint8_t {
  kInner,
  kLeft,
  kRight,
  kFull,
  kCross,
  kSemi,
  kAnti,
  kAntiNullAware
};

struct JoinRef final : TableRef {
  JoinRef() : TableRef(TableRefKind::kJoin) {}
  std::string ToString() const override;
  JoinType join_type = JoinType::kInner;
  TableRefPtr left;
  TableRefPtr right;
  ExprPtr on;  // null for CROSS JOIN (and for `FROM a, b`, which is a list, not a join)
  std::vector<std::string> using_columns;  // JOIN ... USING (a, b)
};

struct SubqueryRef final : TableRef {
  SubqueryRef();
  ~SubqueryRef() override;
  std::string ToString() const override;
  std::unique_ptr<SelectStmt> subquery;
};

// A table function in FROM: `generate_series(1, 10) [AS] g(n)`.
struct FunctionRef final : TableRef {
  FunctionRef() : TableRef(TableRefKind::kFunction) {}
  std::string ToString() const override;
  ExprPtr call;  // a FunctionCall
};

enum class SetOp : uint8_t { kNone, kUnion, kIntersect, kExcept };

// `[NOT] MATERIALIZED` of a common table expression.
enum class CteMaterialize : uint8_t { kDefault, kAlways, kNever };

// One `name [(columns)] AS [NOT] MATERIALIZED (query)` of a WITH clause.
struct CommonTableExpr {
  CommonTableExpr();
  ~CommonTableExpr();
  CommonTableExpr(CommonTableExpr&&) noexcept;
  CommonTableExpr& operator=(CommonTableExpr&&) noexcept;

  std::string name;
  std::vector<std::string> column_names;  // empty: the query's own column names
  CteMaterialize materialize = CteMaterialize::kDefault;
  std::unique_ptr<SelectStmt> query;
  int location = -1;

  std::string ToString() const;
};

// `WITH [RECURSIVE] cte, ...`: names visible to the statement it is attached to, its
// subqueries, and later CTEs of the same clause (all of them when RECURSIVE).
struct WithClause {
  bool recursive = false;
  std::vector<CommonTableExpr> ctes;

  std::string ToString() const;  // "WITH [RECURSIVE] ... " with a trailing space
};

struct SelectStmt final : Statement {
  explicit SelectStmt(int loc = -1) : Statement(StatementKind::kSelect, loc) {}
  std::string ToString() const override;

  // WITH ...: null when absent.
  std::unique_ptr<WithClause> with;

  // Set operation (set_op != kNone): left/right hold the operands.
  SetOp set_op = SetOp::kNone;
  bool set_all = false;  // UNION ALL
  std::unique_ptr<SelectStmt> left;
  std::unique_ptr<SelectStmt> right;

  // Simple SELECT.
  bool distinct = false;
  std::vector<ExprPtr> distinct_on;  // DISTINCT ON (...): non-empty implies `distinct`
  std::vector<SelectItem> targets;
  std::vector<TableRefPtr> from;  // several entries: an implicit cross join
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  // GROUPING SETS / ROLLUP / CUBE, expanded: each grouping set as positions in group_by
  // (which then holds every grouping expression once). Empty: a plain GROUP BY, one set
  // of all of group_by.
  std::vector<std::vector<size_t>> grouping_sets;
  ExprPtr having;
  // WINDOW name AS (...): the named windows OVER name refers to.
  std::vector<std::unique_ptr<WindowSpec>> windows;

  // VALUES (...), (...): when non-empty, the statement is a VALUES list.
  std::vector<std::vector<ExprPtr>> values;

  // Apply to the simple SELECT or to the set operation's result.
  std::vector<OrderByItem> order_by;
  ExprPtr limit;   // null when absent
  ExprPtr offset;  // null when absent
};

}  // namespace tenantdb::sql
