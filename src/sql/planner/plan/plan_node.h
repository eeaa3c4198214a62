// PlanNode: the base of the logical plan's nodes, one kind per file in this folder
// (ScanNode, ValuesNode, FilterNode, ProjectNode, AggregateNode, WindowNode, SortNode, LimitNode,
// DistinctNode, JoinNode, SetOpNode, the WITH nodes CteNode, CteScanNode,
// RecursiveUnionNode, WorkTableScanNode, the table function FunctionScanNode, and the writes
// InsertNode, UpdateNode, DeleteNode), each named like the operator that runs it
// (sql/exec/operators/).
//
// Every node's `columns` names and types its output; expressions of a node refer to its
// input by position (for a join: left columns, then right columns). The binder builds the
// tree, the optimizer (sql/optimizer/) rewrites it once, and it is immutable from then on:
// shared by every execution of a prepared statement.
#pragma once

#include <cassert>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "types/data_type.h"
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
  kInsert,
  kUpdate,
  kDelete,
  kCte,
  kCteScan,
  kRecursiveUnion,
  kWorkTableScan,
  kFunctionScan,
  kWindow,
};

struct OutputColumn {
  std::string name;
  DataType type;
  std::string table;    // alias of the table it came from, for `t.col` ("" when none)
  bool hidden = false;  // not part of `*` (a SHARED table's generated row id)
};

struct BoundExpr;
struct PlanNode;
using PlanPtr = std::unique_ptr<PlanNode>;

struct PlanNode {
  explicit PlanNode(PlanKind k) : kind(k) {}
  virtual ~PlanNode() = default;
  PlanNode(const PlanNode&) = delete;
  PlanNode& operator=(const PlanNode&) = delete;

  const PlanKind kind;
  std::vector<OutputColumn> columns;
  std::vector<PlanPtr> children;
  // The schema of this node's batches (built from `columns` by Finish()).
  std::shared_ptr<const Schema> schema;
  void Finish();
  // The optimizer's estimate of the rows this node returns per execution
  // (sql/optimizer/cardinality.h), shown by EXPLAIN as "(rows=N)"; < 0: not estimated.
  double estimated_rows = -1;

  // The node as its kind (T::kKind must be this node's kind).
  template <typename T>
  const T& As() const {
    assert(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    assert(kind == T::kKind);
    return static_cast<T&>(*this);
  }

  // EXPLAIN text, one node per line, children indented; at the root (indent 0), followed
  // by the materialized WITH items the plan reads (shared_input()), each once. A node's
  // line ends with its estimated rows when it has one; `annotate` (EXPLAIN ANALYZE)
  // returns what to append after that.
  using Annotate = std::function<std::string(const PlanNode&)>;
  std::string Explain(int indent = 0, const Annotate& annotate = nullptr) const;

  // A plan this node reads without owning it as a child: a CteScanNode's CteNode, shared
  // by every scan of it. Walks that must see every node (the optimizer's, EXPLAIN's)
  // visit it once; null for other nodes.
  virtual PlanNode* shared_input() const { return nullptr; }

  // Calls `fn` on each expression this node holds (not its children's), the key bounds
  // and aggregate arguments and filters included: for walks that must see every
  // expression (outer references, subquery plans).
  virtual void ForEachExpression(const std::function<void(const BoundExpr&)>& fn) const = 0;

 protected:
  // This node's EXPLAIN line, without indentation or newline.
  virtual std::string Describe() const = 0;

 private:
  std::string ExplainTree(int indent, const Annotate& annotate) const;
};

// The expressions' EXPLAIN text, comma-separated.
std::string ExplainList(const std::vector<std::unique_ptr<BoundExpr>>& exprs);

}  // namespace tenantdb::sql
