// Converts libpg_query's parse tree (protobuf-c structs) into tenantdb's AST.
//
// Only the constructs tenantdb supports are converted; anything else gives a
// feature_not_supported Status naming it ("statement CREATE FUNCTION is not supported").
// Node locations in the tree are byte offsets within the piece of SQL that was parsed;
// the converter adds `base_offset` (the piece's byte offset in the whole script) and
// turns the sum into the AST's unit: the 1-based character position in the script, which
// is what an error names (PostgreSQL's "position").
//
// Thread safety: a converter is used by one thread for one tree; it keeps no other state.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "sql/parser/ast/all.h"
#include "sql/parser/lexer.h"

struct PgQuery__Node;
struct PgQuery__SelectStmt;
struct PgQuery__RangeVar;
struct PgQuery__TypeName;
struct PgQuery__ColumnDef;
struct PgQuery__Constraint;

namespace tenantdb::sql {

class PgConverter {
 public:
  // `positions` indexes the whole script and must outlive the converter.
  PgConverter(int base_offset, const CharPositions& positions)
      : base_(base_offset), positions_(positions) {}

  // One top-level statement (a RawStmt's `stmt`).
  Result<StatementPtr> ConvertStatement(const PgQuery__Node* node);

 private:
  int Loc(int pg_location) const {
    return pg_location >= 0 ? positions_.At(int64_t{pg_location} + base_) : -1;
  }

  // Expressions (pg_convert_expr.cc).
  Result<ExprPtr> ConvertExpr(const PgQuery__Node* node);
  Result<std::vector<ExprPtr>> ConvertExprList(PgQuery__Node* const* nodes, size_t n);
  Result<ExprPtr> ConvertAExpr(const PgQuery__Node* node);
  Result<ExprPtr> ConvertSubLink(const PgQuery__Node* node);
  Result<ExprPtr> ConvertConst(const PgQuery__Node* node);
  Result<ExprPtr> ConvertFuncCall(const PgQuery__Node* node);
  Result<TypeName> ConvertTypeName(const PgQuery__TypeName* type);

  // Statements (pg_convert_stmt.cc, pg_convert_ddl.cc).
  Result<std::unique_ptr<SelectStmt>> ConvertSelect(const PgQuery__SelectStmt* select, int loc);
  Result<std::vector<OrderByItem>> ConvertSortClause(PgQuery__Node* const* nodes, size_t n);
  // GROUP BY into select->group_by and, with GROUPING SETS / ROLLUP / CUBE, its expanded
  // select->grouping_sets (pg_convert_grouping.cc).
  // `distinct`: GROUP BY DISTINCT (duplicate grouping sets dropped).
  Status ConvertGroupClause(PgQuery__Node* const* nodes, size_t n, bool distinct,
                            SelectStmt* select);
  // One GROUP BY item's grouping sets, as positions in select->group_by (added as found).
  Result<std::vector<std::vector<size_t>>> ConvertGroupingItem(const PgQuery__Node* node,
                                                               SelectStmt* select);
  Result<std::unique_ptr<WindowSpec>> ConvertWindowDef(const PgQuery__WindowDef* window);
  Result<TableRefPtr> ConvertFromItem(const PgQuery__Node* node);
  // WITH [RECURSIVE] ...: null when `with` is null.
  Result<std::unique_ptr<WithClause>> ConvertWith(const PgQuery__WithClause* with);
  Result<std::vector<SelectItem>> ConvertTargets(PgQuery__Node* const* nodes, size_t n);
  Result<std::vector<Assignment>> ConvertAssignments(PgQuery__Node* const* nodes, size_t n);
  TableName ConvertRangeVar(const PgQuery__RangeVar* range_var);
  Result<StatementPtr> ConvertInsert(const PgQuery__Node* node);
  Result<StatementPtr> ConvertUpdate(const PgQuery__Node* node);
  Result<StatementPtr> ConvertDelete(const PgQuery__Node* node);
  Result<StatementPtr> ConvertCreateTable(const PgQuery__Node* node);
  Result<ColumnDef> ConvertColumnDef(const PgQuery__ColumnDef* def);
  // A UNIQUE or CHECK constraint; `column`: the column it is written on (null for a
  // table constraint).
  Result<ConstraintDef> ConvertConstraint(const PgQuery__Constraint* c, const std::string* column);
  Result<StatementPtr> ConvertDrop(const PgQuery__Node* node);
  Result<StatementPtr> ConvertCreateView(const PgQuery__Node* node);
  Result<StatementPtr> ConvertCreateIndex(const PgQuery__Node* node);
  Result<StatementPtr> ConvertAlterTable(const PgQuery__Node* node);
  Result<StatementPtr> ConvertRename(const PgQuery__Node* node);
  Result<StatementPtr> ConvertUtility(const PgQuery__Node* node);
  Result<StatementPtr> ConvertCopy(const PgQuery__Node* node);  // pg_convert_copy.cc

  // Counts nesting of ConvertExpr / ConvertSelect; trees deeper than kMaxDepth, or deep
  // enough to leave less than common/stack_depth.h's reserve of this thread's stack, are
  // refused so neither the conversion nor the AST's destructors can exhaust the stack.
  struct DepthGuard {
    explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthGuard() { --*depth_; }
    int* depth_;
  };
  static constexpr int kMaxDepth = 1000;
  // The largest $n a statement may use (the wire protocol's 16-bit parameter count).
  static constexpr int kMaxParameterNumber = 65535;
  // syntax_error: deeper than kMaxDepth, or (stack_exhausted) than the stack allows.
  Status TooDeep(bool stack_exhausted = false) const;

  int base_;
  const CharPositions& positions_;
  int depth_ = 0;
};

// "CREATE FUNCTION" for a create_function_stmt node, "a_array_expr" for others.
std::string PgNodeName(const PgQuery__Node* node, bool statement);

// feature_not_supported: "<what> is not supported".
Status NotSupported(const std::string& what);

// The text of a String node (or "" if `node` is not one).
std::string PgString(const PgQuery__Node* node);

}  // namespace tenantdb::sql
