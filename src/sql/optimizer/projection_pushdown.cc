// PushProjectionsIntoScans (passes.h): every table scan decodes only the columns some node
// above it reads (plus its key columns and its own filter's), however many joins,
// filters, sorts or windows lie between; read_parquet and read_csv read only the file
// columns used. The others come back NULL without being decoded.
//
// Walks the plan from the root down, carrying the output columns each node's parent
// reads: a node passes on to its inputs those of its own columns that are read, plus the
// ones its expressions read (a filter's predicate, a join's keys and condition, sort keys,
// window calls); a projection passes on what its read outputs read. Where an expression holds a
// subquery, the subquery may read any column of the row it runs on (as an outer reference), so that
// node's inputs are read whole; nodes whose output is their rows compared whole (DISTINCT, set
// operations, recursive WITH) and writes read their inputs whole too. System tables compute whole
// rows.
#include <algorithm>
#include <cassert>
#include <unordered_set>

#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

using Columns = std::vector<bool>;

// Marks the columns `e` reads at offset `begin` of `columns` (columns of the node's
// input numbered from `begin`); references outside [begin, begin + size) are left alone.
void Mark(const BoundExpr& e, Columns* columns, size_t begin = 0) {
  ForEachColumn(e, [&](const BoundExpr& c) {
    if (c.column >= begin && c.column - begin < columns->size())
      (*columns)[c.column - begin] = true;
  });
}

bool AllOf(const Columns& columns) {
  return std::find(columns.begin(), columns.end(), false) == columns.end();
}

class ColumnPruner {
 public:
  void Prune(PlanNode* node, Columns needed) {
    assert(needed.size() == node->columns.size());
    bool subquery = false;
    node->ForEachExpression([&](const BoundExpr& e) {
      if (!UsesSubquery(e)) return;
      subquery = true;
      PruneSubqueries(e);
    });
    if (PlanNode* shared = node->shared_input();
        shared != nullptr && visited_.insert(shared).second) {
      PruneWhole(shared);
    }
    if (subquery) {
      for (auto& child : node->children)
        PruneWhole(child.get());
      return;
    }
    switch (node->kind) {
      case PlanKind::kScan:
        return ScanColumns(&node->As<ScanNode>(), std::move(needed));
      case PlanKind::kFunctionScan:
        return FileColumns(&node->As<FunctionScanNode>(), std::move(needed));
      case PlanKind::kFilter:
      case PlanKind::kSort:
      case PlanKind::kLimit:
        // Output: the input's columns; plus what the predicate / keys read.
        node->ForEachExpression([&](const BoundExpr& e) { Mark(e, &needed); });
        return Prune(node->children[0].get(), std::move(needed));
      case PlanKind::kProject:
        return ProjectColumns(&node->As<ProjectNode>(), std::move(needed));
      case PlanKind::kAggregate: {
        // Output: computed; the input's columns read are the expressions'.
        Columns input(node->children[0]->columns.size(), false);
        node->ForEachExpression([&](const BoundExpr& e) { Mark(e, &input); });
        return Prune(node->children[0].get(), std::move(input));
      }
      case PlanKind::kWindow: {
        // Output: the input's columns, then one per call.
        Columns input(needed.begin(), needed.begin() + node->children[0]->columns.size());
        node->ForEachExpression([&](const BoundExpr& e) { Mark(e, &input); });
        return Prune(node->children[0].get(), std::move(input));
      }
      case PlanKind::kDistinct: {
        const auto& distinct = node->As<DistinctNode>();
        if (distinct.key_columns.empty()) return PruneWhole(node->children[0].get());
        for (size_t k : distinct.key_columns)
          needed[k] = true;
        return Prune(node->children[0].get(), std::move(needed));
      }
      case PlanKind::kJoin:
        return JoinColumns(&node->As<JoinNode>(), needed);
      default:
        for (auto& child : node->children)
          PruneWhole(child.get());
        return;
    }
  }

  void PruneWhole(PlanNode* node) { Prune(node, Columns(node->columns.size(), true)); }

  ReadOutputs TakeReadOutputs() { return std::move(read_); }

 private:
  void PruneSubqueries(const BoundExpr& e) {
    if (e.kind == BoundExprKind::kSubquery && e.subquery != nullptr &&
        visited_.insert(e.subquery.get()).second) {
      PruneWhole(e.subquery.get());
    }
    for (const auto& c : e.children)
      PruneSubqueries(*c);
  }

  // A projection reads the columns its read outputs read (at least one output is kept,
  // for the rows to be counted); NarrowScanOutputs drops the others.
  void ProjectColumns(ProjectNode* project, Columns needed) {
    if (!needed.empty() && std::find(needed.begin(), needed.end(), true) == needed.end()) {
      needed[0] = true;
    }
    Columns input(project->children[0]->columns.size(), false);
    for (size_t i = 0; i < project->exprs.size(); ++i)
      if (needed[i]) Mark(*project->exprs[i], &input);
    if (!AllOf(needed)) read_[project] = std::move(needed);
    Prune(project->children[0].get(), std::move(input));
  }

  void JoinColumns(JoinNode* join, const Columns& needed) {
    PlanNode* left = join->children[0].get();
    PlanNode* right = join->children[1].get();
    const size_t left_width = left->columns.size();
    Columns left_needed(left_width, false);
    Columns right_needed(right->columns.size(), false);
    for (size_t c = 0; c < needed.size(); ++c) {
      if (!needed[c]) continue;
      if (c < left_width) {
        left_needed[c] = true;
      } else {
        right_needed[c - left_width] = true;
      }
    }
    for (const auto& k : join->left_keys)
      Mark(*k, &left_needed);
    for (const auto& k : join->right_keys)
      Mark(*k, &right_needed);
    if (join->null_aware_left) Mark(*join->null_aware_left, &left_needed);
    if (join->null_aware_right) Mark(*join->null_aware_right, &right_needed);
    if (join->condition) {
      Mark(*join->condition, &left_needed);
      Mark(*join->condition, &right_needed, left_width);
    }
    // A LATERAL right input reads the left row as outer references.
    if (join->lateral) left_needed.assign(left_width, true);
    Prune(left, std::move(left_needed));
    Prune(right, std::move(right_needed));
  }

  static void ScanColumns(ScanNode* scan, Columns wanted) {
    if (scan->table->type() == TableType::kSystem) return;
    // What the nodes above read is what the scan returns (scan_narrowing.cc); at least
    // one column, for the rows to be counted.
    std::vector<size_t> output;
    for (size_t c = 0; c < wanted.size(); ++c)
      if (wanted[c]) output.push_back(c);
    const std::vector<size_t> key = scan->table->schema()->PrimaryKeyIndices();
    if (output.empty()) output.push_back(key.empty() ? 0 : key[0]);
    if (output.size() < wanted.size()) scan->output_columns = std::move(output);
    if (scan->filter) Mark(*scan->filter, &wanted);
    for (size_t k : key)
      wanted[k] = true;
    for (const HotSortKey& key : scan->scan_order)
      wanted[key.column] = true;
    if (AllOf(wanted)) return;
    scan->wanted_columns = std::move(wanted);
  }

  static void FileColumns(FunctionScanNode* scan, Columns wanted) {
    if (scan->files.empty()) return;  // generate_series, JSON functions: nothing to skip
    for (const auto& bound : scan->row_group_bounds)
      wanted[bound.column] = true;
    if (AllOf(wanted)) return;
    // count(*) reads no column, but the rows are counted from one.
    if (std::find(wanted.begin(), wanted.end(), true) == wanted.end()) wanted[0] = true;
    scan->wanted_columns = std::move(wanted);
  }

  std::unordered_set<const PlanNode*> visited_;
  ReadOutputs read_;
};

}  // namespace

ReadOutputs PushProjectionsIntoScans(PlanNode* plan) {
  ColumnPruner pruner;
  pruner.PruneWhole(plan);
  return pruner.TakeReadOutputs();
}

}  // namespace tenantdb::sql
