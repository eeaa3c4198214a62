// NarrowScanOutputs (passes.h): scans and projections return only the columns the nodes
// above read (ScanNode::output_columns and the ReadOutputs, chosen by
// projection_pushdown.cc), not whole rows with the unread columns NULL, and every node
// between them and the next projection or aggregation drops them too. A hash join then holds, a
// filter copies and a sort orders only the columns in use: with TPC-H's lineitem (16 columns, 3 or
// 4 read) the NULL placeholders were most of a join's memory.
//
// Runs last, once every other pass has planned over the table layout: it renumbers the
// column references of the nodes above each narrowed scan, bottom-up. A node's map sends
// each of its old output columns to its new position (or drops it); projections and
// aggregations compute their own outputs, so the renumbering stops at them. Nodes whose
// inputs are read whole (set operations, writes, WITH items, nodes holding subqueries,
// whose outer references may name any input column) have identity maps below them, as
// projection_pushdown.cc read them whole.
#include <cassert>
#include <unordered_set>

#include "sql/optimizer/passes.h"

namespace tenantdb::sql {

namespace {

// Old output column -> new position (kDropped: not returned). Empty: the identity.
using ColumnMap = std::vector<size_t>;
constexpr size_t kDropped = static_cast<size_t>(-1);

size_t Lookup(const ColumnMap& map, size_t column) {
  return map.empty() ? column : map[column];
}

// Renumbers the references of `e` to the current query level's input.
void Renumber(BoundExpr* e, const ColumnMap& map) {
  if (map.empty()) return;
  if (e->kind == BoundExprKind::kColumn && e->outer_level == 0) {
    assert(e->column < map.size() && map[e->column] != kDropped);
    e->column = map[e->column];
  }
  for (auto& c : e->children)
    Renumber(c.get(), map);
}

void Renumber(BoundExprPtr& e, const ColumnMap& map) {
  if (e) Renumber(e.get(), map);
}

class ScanNarrower {
 public:
  explicit ScanNarrower(const ReadOutputs& projections) : projections_(projections) {}

  // Narrows the scans of `node`'s subtree; returns `node`'s map.
  ColumnMap Narrow(PlanNode* node) {
    node->ForEachExpression([&](const BoundExpr& e) { NarrowSubqueries(e); });
    if (PlanNode* shared = node->shared_input();
        shared != nullptr && visited_.insert(shared).second) {
      NarrowWhole(shared);
    }
    std::vector<ColumnMap> maps;
    for (auto& child : node->children)
      maps.push_back(Narrow(child.get()));
    switch (node->kind) {
      case PlanKind::kScan:
        return NarrowScan(&node->As<ScanNode>());
      case PlanKind::kFilter:
        Renumber(node->As<FilterNode>().predicate, maps[0]);
        return Keep(node, std::move(maps[0]));
      case PlanKind::kSort:
        for (SortKey& key : node->As<SortNode>().sort_keys)
          Renumber(key.expr, maps[0]);
        return Keep(node, std::move(maps[0]));
      case PlanKind::kLimit:
        return Keep(node, std::move(maps[0]));
      case PlanKind::kDistinct:
        for (size_t& k : node->As<DistinctNode>().key_columns)
          k = Lookup(maps[0], k);
        return Keep(node, std::move(maps[0]));
      case PlanKind::kProject:
        return NarrowProject(&node->As<ProjectNode>(), maps[0]);
      case PlanKind::kAggregate:
        RenumberAggregate(&node->As<AggregateNode>(), maps[0]);
        return {};
      case PlanKind::kWindow:
        return RenumberWindow(&node->As<WindowNode>(), std::move(maps[0]));
      case PlanKind::kJoin:
        return RenumberJoin(&node->As<JoinNode>(), maps[0], maps[1]);
      default:
        for ([[maybe_unused]] const ColumnMap& map : maps)
          assert(map.empty());  // read whole by projection_pushdown.cc
        return {};
    }
  }

  void NarrowWhole(PlanNode* node) {
    [[maybe_unused]] ColumnMap map = Narrow(node);
    assert(map.empty());  // a plan's result, a subquery's or a WITH item's, is read whole
  }

 private:
  void NarrowSubqueries(const BoundExpr& e) {
    if (e.kind == BoundExprKind::kSubquery && e.subquery != nullptr &&
        visited_.insert(e.subquery.get()).second) {
      NarrowWhole(e.subquery.get());
    }
    for (const auto& c : e.children)
      NarrowSubqueries(*c);
  }

  static ColumnMap NarrowScan(ScanNode* scan) {
    // Already narrowed (the pass ran before): nothing more to drop.
    if (scan->output_columns.empty() ||
        scan->columns.size() != scan->table->schema()->num_fields()) {
      return {};
    }
    ColumnMap map(scan->columns.size(), kDropped);
    std::vector<OutputColumn> columns;
    for (size_t c : scan->output_columns) {
      map[c] = columns.size();
      columns.push_back(scan->columns[c]);
    }
    scan->columns = std::move(columns);
    scan->Finish();
    return map;
  }

  // A projection computes only its outputs read above (projection_pushdown.cc found
  // them); those read only the columns its input kept.
  ColumnMap NarrowProject(ProjectNode* project, const ColumnMap& input) {
    ColumnMap map;
    if (auto read = projections_.find(project); read != projections_.end()) {
      const std::vector<bool>& kept = read->second;
      assert(kept.size() == project->exprs.size());
      map.assign(kept.size(), kDropped);
      std::vector<BoundExprPtr> exprs;
      std::vector<OutputColumn> columns;
      for (size_t i = 0; i < kept.size(); ++i) {
        if (!kept[i]) continue;
        map[i] = exprs.size();
        exprs.push_back(std::move(project->exprs[i]));
        columns.push_back(project->columns[i]);
      }
      project->exprs = std::move(exprs);
      project->columns = std::move(columns);
      project->Finish();
    }
    for (BoundExprPtr& e : project->exprs)
      Renumber(e, input);
    return map;
  }

  // A node whose output is its input's columns: it keeps the ones its input kept.
  static ColumnMap Keep(PlanNode* node, ColumnMap map) {
    if (map.empty()) return map;
    std::vector<OutputColumn> columns;
    for (size_t c = 0; c < map.size(); ++c)
      if (map[c] != kDropped) columns.push_back(node->columns[c]);
    node->columns = std::move(columns);
    node->Finish();
    return map;
  }

  static void RenumberAggregate(AggregateNode* aggregate, const ColumnMap& map) {
    for (BoundExprPtr& key : aggregate->group_keys)
      Renumber(key, map);
    for (AggregateCall& call : aggregate->aggregates) {
      Renumber(call.argument, map);
      Renumber(call.filter, map);
      for (SortKey& key : call.order_by)
        Renumber(key.expr, map);
    }
  }

  // Output: the input's columns, then one per call.
  static ColumnMap RenumberWindow(WindowNode* window, ColumnMap map) {
    for (WindowCall& call : window->calls) {
      for (BoundExprPtr& arg : call.args)
        Renumber(arg, map);
      Renumber(call.filter, map);
      for (BoundExprPtr& e : call.partition_by)
        Renumber(e, map);
      for (SortKey& key : call.order_by)
        Renumber(key.expr, map);
    }
    if (map.empty()) return map;
    size_t kept = 0;
    for (size_t c : map)
      kept += c != kDropped;
    for (size_t i = 0; i < window->calls.size(); ++i)
      map.push_back(kept + i);
    assert(map.size() == window->columns.size());
    return Keep(window, std::move(map));
  }

  // Output: the left input's columns, then the right one's (the left only for SEMI and
  // ANTI joins); the condition reads both.
  static ColumnMap RenumberJoin(JoinNode* join, const ColumnMap& left, const ColumnMap& right) {
    for (BoundExprPtr& key : join->left_keys)
      Renumber(key, left);
    for (BoundExprPtr& key : join->right_keys)
      Renumber(key, right);
    Renumber(join->null_aware_left, left);
    Renumber(join->null_aware_right, right);
    if (left.empty() && right.empty()) return {};
    const size_t left_width = left.empty() ? join->children[0]->columns.size() : left.size();
    const size_t right_width = right.empty() ? join->children[1]->columns.size() : right.size();
    // The left input's new width: its right columns start there.
    const size_t left_kept = join->children[0]->columns.size();
    ColumnMap both;
    both.reserve(left_width + right_width);
    for (size_t c = 0; c < left_width; ++c)
      both.push_back(Lookup(left, c));
    for (size_t c = 0; c < right_width; ++c) {
      const size_t to = Lookup(right, c);
      both.push_back(to == kDropped ? kDropped : left_kept + to);
    }
    Renumber(join->condition, both);
    if (join->LeftOnly()) both.resize(left_width);
    return Keep(join, std::move(both));
  }

  const ReadOutputs& projections_;
  std::unordered_set<const PlanNode*> visited_;
};

}  // namespace

void NarrowScanOutputs(PlanNode* plan, const ReadOutputs& projections) {
  ScanNarrower(projections).NarrowWhole(plan);
}

}  // namespace tenantdb::sql
