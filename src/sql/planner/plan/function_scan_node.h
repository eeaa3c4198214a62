// FunctionScanNode: a table function in FROM: generate_series(start, stop [, step]) over
// INT or BIGINT (the arguments, already cast to the column's type), or a JSON table
// function (`json` set: one JSON argument; columns key and/or value), or read_parquet
// (`files` set: the Parquet files a path or glob named at bind time, read with
// `file_schema`, the first file's columns), or read_csv (`files` and `csv` set: CSV files
// in that format, every one with `file_schema`'s columns). The arguments are evaluated once per
// execution (per outer row under a LATERAL join); a leaf.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/copy/copy_format.h"
#include "sql/function/json_text.h"
#include "sql/function/scalar_op.h"
#include "sql/planner/bound_expr.h"
#include "sql/planner/plan/plan_node.h"

namespace tenantdb::sql {

struct FunctionScanNode final : PlanNode {
  static constexpr PlanKind kKind = PlanKind::kFunctionScan;
  FunctionScanNode() : PlanNode(kKind) {}
  std::string function;  // "generate_series", "jsonb_each", ...
  std::vector<BoundExprPtr> args;
  std::optional<JsonExpansion> json;  // a JSON table function's expansion
  bool jsonb = false;                 // the jsonb_ form (object members in jsonb's order)
  std::vector<std::string> files;     // read_parquet / read_csv: the files, in name order
  std::shared_ptr<const Schema> file_schema;
  std::vector<bool> wanted_columns;  // read_parquet / read_csv: the columns read (empty: all)
  std::optional<CopyFormat> csv;     // read_csv: the files' format
  // read_parquet: conjuncts of the WHERE above of the form `column op constant`, copied
  // here by filter_pushdown.cc so row groups whose min/max statistics exclude them are not
  // read. The Filter above still checks every row: these only skip.
  struct RowGroupBound {
    size_t column;       // output column compared
    ScalarOp op;         // as if the column were on the left: = < <= > >=
    BoundExprPtr value;  // a runtime constant (literals, parameters)
  };
  std::vector<RowGroupBound> row_group_bounds;

  void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const override;

 protected:
  std::string Describe() const override;
};

}  // namespace tenantdb::sql
