// The logical plan: a tree of PlanNodes the binder builds from a statement and the
// executor (sql/exec/executor.h) runs, one vectorized operator per node.
//
//   kScan       table, scan (key bounds and limit pushed into the provider), filter
//               (the predicate left after pushdown, evaluated on the scanned batches)
//   kValues     rows of constant-ish expressions (VALUES, SELECT without FROM)
//   kFilter     exprs[0] over children[0]
//   kProject    exprs over children[0]
//   kAggregate  exprs = group keys; aggregates; output = keys then aggregate values
//   kSort       sort_keys over children[0]; limit (> 0: keep the top N only)
//   kLimit      limit / offset (expressions, evaluated once) over children[0]
//   kDistinct   children[0]'s rows, duplicates removed
//   kJoin       join_type, children[0] (left), children[1] (right); equi keys
//               (left_keys[i] = right_keys[i]) use a hash join; `condition` is the rest
//   kSetOp      set_op, set_all over children[0..1]
//
// Every node's `columns` names and types its output; expressions of a node refer to
// its input by position (for kJoin: left columns, then right columns).
//
// Thread safety: immutable after planning; shared by every execution of a prepared
// statement.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/parser/ast/select.h"
#include "sql/planner/bound_expr.h"
#include "tables/table_provider.h"
#include "types/schema.h"

namespace tenantdb::sql {

enum class PlanKind : uint8_t {
  kScan,
  kValues,
  kFilter,
  kProject,
  kAggregate,
  kSort,
  kLimit,
  kDistinct,
  kJoin,
  kSetOp,
};

struct OutputColumn {
  std::string name;
  DataType type;
  std::string table;    // alias of the table it came from, for `t.col` ("" when none)
  bool hidden = false;  // not part of `*` (a SHARED table's generated row id)
};

enum class AggregateFunction : uint8_t { kCount, kCountStar, kSum, kAvg, kMin, kMax };

struct AggregateCall {
  AggregateFunction function;
  bool distinct = false;
  BoundExprPtr argument;  // null for count(*)
  BoundExprPtr filter;    // FILTER (WHERE ...); null when absent
  DataType type;          // result type
  std::string ToString() const;
  // Whether both compute the same value, so one can stand for the other: the same
  // function over equal arguments with the same DISTINCT and an equal FILTER (or none).
  bool Equals(const AggregateCall& other) const;
};

struct SortKey {
  BoundExprPtr expr;
  bool descending = false;
  bool nulls_first = false;
};

// A bound on the primary key found in a WHERE clause: for each key column in order,
// an expression giving its value (evaluated once per execution: constants and
// parameters), as in HotKeyBound.
struct BoundKeyBound {
  std::vector<BoundExprPtr> key;
  bool inclusive = true;
};

struct PlanNode {
  explicit PlanNode(PlanKind k) : kind(k) {}
  PlanKind kind;
  std::vector<OutputColumn> columns;
  std::vector<std::unique_ptr<PlanNode>> children;

  // kScan
  TableProviderRef table;
  std::optional<BoundKeyBound> lower;
  std::optional<BoundKeyBound> upper;
  size_t scan_limit = 0;
  // ORDER BY these scan columns LIMIT scan_top_n sits above (0: none); the provider may
  // return just those rows (ScanRequest::order). The Sort and Limit above stay.
  std::vector<HotSortKey> scan_order;
  size_t scan_top_n = 0;
  std::vector<bool> wanted_columns;  // kScan: columns read above (empty: all)
  BoundExprPtr filter;               // kScan residual predicate; null when none

  // kFilter (exprs[0]), kProject, kAggregate (group keys), kValues (row-major rows)
  std::vector<BoundExprPtr> exprs;
  std::vector<std::vector<BoundExprPtr>> rows;  // kValues
  std::vector<AggregateCall> aggregates;
  std::vector<SortKey> sort_keys;
  BoundExprPtr limit;   // kLimit, kSort (top-N)
  BoundExprPtr offset;  // kLimit

  // kJoin
  JoinType join_type = JoinType::kInner;
  std::vector<BoundExprPtr> left_keys;
  std::vector<BoundExprPtr> right_keys;
  BoundExprPtr condition;

  // kSetOp
  SetOp set_op = SetOp::kUnion;
  bool set_all = false;

  // The schema of this node's batches (built from `columns` by Finish()).
  std::shared_ptr<const Schema> schema;
  void Finish();

  // EXPLAIN text, one node per line, children indented.
  std::string Explain(int indent = 0) const;
};

using PlanPtr = std::unique_ptr<PlanNode>;

// A Filter node keeping the rows of `input` for which `predicate` is true (the optimizer
// folds it into a scan below it).
PlanPtr MakeFilter(PlanPtr input, BoundExprPtr predicate);

}  // namespace tenantdb::sql
