// PredicateRewriter::PlanInnerJoins (predicate_pushdown.h): a tree of inner joins planned
// as one join graph, in six steps:
//   1. Flatten: the maximal tree of INNER (non-LATERAL) joins and the Filters between
//      them becomes a list of leaves (every other node: scans, subqueries, outer and
//      LATERAL joins) and a list of conjuncts over the tree's output row (the "region"
//      row: the leaves' columns side by side, as the joins produced them).
//   2. Outer joins among the leaves whose NULL-extended rows a conjunct rejects become
//      inner joins and are flattened too.
//   3. Normalize: equalities between columns form equivalence classes (with the constant
//      a class equals); what remains is split by the leaves it reads: one leaf (or none)
//      -> pushed into that leaf; two or more -> a join predicate.
//   4. Each leaf is rewritten with its conjuncts (recursively: subqueries, outer joins);
//      its rows are then estimated.
//   5. The join order is chosen on the join graph (join_order.h).
//   6. The joins are built bottom-up: each predicate at the lowest join that has its
//      leaves, equalities across the two inputs as hash keys (one per equivalence class
//      spanning both), a Project on top restoring the original column order.
#include <algorithm>
#include <bit>
#include <cassert>
#include <limits>

#include "sql/optimizer/equivalence_classes.h"
#include "sql/optimizer/expr_columns.h"
#include "sql/optimizer/join_order.h"
#include "sql/optimizer/plan_walk.h"
#include "sql/optimizer/predicate_pushdown.h"

namespace tenantdb::sql {

namespace {

// PostgreSQL's DEFAULT_INEQ_SEL, for join predicates other than key equalities.
constexpr double kJoinPredicateSelectivity = 1.0 / 3;
constexpr size_t kAbsent = std::numeric_limits<size_t>::max();

struct Leaf {
  PlanPtr plan;
  size_t offset = 0;  // its first column in the region row
  size_t width = 0;
  std::vector<BoundExprPtr> conjuncts;  // over its own columns
};

struct Region {
  std::vector<Leaf> leaves;
  std::vector<BoundExprPtr> conjuncts;  // Movable, over the region row
  std::vector<BoundExprPtr> kept;       // not Movable: checked over the region row on top
};

struct JoinPredicate {
  BoundExprPtr expr;  // over the region row
  RelationSet leaves = 0;
  bool placed = false;
};

bool AllMovable(const BoundExpr* e) {
  if (e == nullptr) return true;
  std::vector<BoundExprPtr> parts;
  Conjuncts(e->Clone(), &parts);
  for (const auto& p : parts)
    if (!Movable(*p)) return false;
  return true;
}

bool IsFlattenableJoin(const PlanNode& node) {
  return node.kind == PlanKind::kJoin && node.As<JoinNode>().join_type == JoinType::kInner &&
         !node.As<JoinNode>().lateral;
}

// The leaves Flatten would find under `node` (stopping early past kMaxJoinRelations).
size_t CountLeaves(const PlanNode& node, bool root) {
  if (IsFlattenableJoin(node) && (root || AllMovable(node.As<JoinNode>().condition.get()))) {
    const size_t left = CountLeaves(*node.children[0], false);
    return left > kMaxJoinRelations ? left : left + CountLeaves(*node.children[1], false);
  }
  if (!root && node.kind == PlanKind::kFilter &&
      AllMovable(node.As<FilterNode>().predicate.get())) {
    return CountLeaves(*node.children[0], false);
  }
  return 1;
}

BoundExprPtr Column(size_t column, const std::vector<OutputColumn>& columns) {
  return MakeColumn(column, columns[column].type, columns[column].name);
}

// Step 1 for `node`, whose columns start at `offset` in the region row. At the root,
// predicates that may not move are kept (they are checked over the same row on top);
// below it a node holding one is a leaf, planned on its own.
void Flatten(PlanPtr node, size_t offset, bool root, Region* region) {
  if (IsFlattenableJoin(*node) && (root || AllMovable(node->As<JoinNode>().condition.get()))) {
    auto& join = node->As<JoinNode>();
    const size_t left_width = join.children[0]->columns.size();
    // Keys a previous run extracted are equalities again.
    for (size_t i = 0; i < join.left_keys.size(); ++i) {
      BoundExprPtr l = std::move(join.left_keys[i]);
      BoundExprPtr r = std::move(join.right_keys[i]);
      ShiftColumns(*l, static_cast<std::ptrdiff_t>(offset));
      ShiftColumns(*r, static_cast<std::ptrdiff_t>(offset + left_width));
      region->conjuncts.push_back(MakeEquality(std::move(l), std::move(r)));
    }
    if (join.condition) {
      std::vector<BoundExprPtr> parts;
      Conjuncts(std::move(join.condition), &parts);
      for (auto& p : parts) {
        ShiftColumns(*p, static_cast<std::ptrdiff_t>(offset));
        (Movable(*p) ? region->conjuncts : region->kept).push_back(std::move(p));
      }
    }
    Flatten(std::move(join.children[0]), offset, false, region);
    Flatten(std::move(join.children[1]), offset + left_width, false, region);
    return;
  }
  if (!root && node->kind == PlanKind::kFilter &&
      AllMovable(node->As<FilterNode>().predicate.get())) {
    std::vector<BoundExprPtr> parts;
    Conjuncts(std::move(node->As<FilterNode>().predicate), &parts);
    for (auto& p : parts) {
      ShiftColumns(*p, static_cast<std::ptrdiff_t>(offset));
      region->conjuncts.push_back(std::move(p));
    }
    Flatten(std::move(node->children[0]), offset, false, region);
    return;
  }
  Leaf leaf;
  leaf.offset = offset;
  leaf.width = node->columns.size();
  leaf.plan = std::move(node);
  region->leaves.push_back(std::move(leaf));
}

// Step 2: outer-join leaves the region's conjuncts make inner. Returns whether one
// changed (the leaves must then be looked at again).
bool ReduceOuterJoin(Region* region) {
  for (size_t i = 0; i < region->leaves.size(); ++i) {
    Leaf& leaf = region->leaves[i];
    if (leaf.plan->kind != PlanKind::kJoin) continue;
    auto& join = leaf.plan->As<JoinNode>();
    if (join.join_type != JoinType::kLeft && join.join_type != JoinType::kFull) continue;
    const size_t split = leaf.offset + join.children[0]->columns.size();
    const size_t end = leaf.offset + leaf.width;
    bool rejects_left = false, rejects_right = false;
    for (const auto& c : region->conjuncts) {
      rejects_left = rejects_left || RejectsNulls(*c, leaf.offset, split);
      rejects_right = rejects_right || RejectsNulls(*c, split, end);
    }
    const JoinType before = join.join_type;
    if (join.join_type == JoinType::kLeft && rejects_right) join.join_type = JoinType::kInner;
    if (join.join_type == JoinType::kFull && rejects_left) {
      join.join_type = rejects_right ? JoinType::kInner : JoinType::kLeft;
    }
    if (join.join_type == before) continue;
    if (IsFlattenableJoin(*leaf.plan) &&
        region->leaves.size() - 1 + CountLeaves(*leaf.plan, false) <= kMaxJoinRelations) {
      PlanPtr plan = std::move(leaf.plan);
      const size_t offset = leaf.offset;
      region->leaves.erase(region->leaves.begin() + static_cast<std::ptrdiff_t>(i));
      Flatten(std::move(plan), offset, false, region);
    }
    return true;
  }
  return false;
}

// The leaf holding region column `column`.
size_t LeafOf(const Region& region, size_t column) {
  for (size_t i = 0; i < region.leaves.size(); ++i) {
    const Leaf& leaf = region.leaves[i];
    if (column >= leaf.offset && column < leaf.offset + leaf.width) return i;
  }
  return 0;  // unreachable: every region column belongs to a leaf
}

RelationSet LeavesRead(const Region& region, const BoundExpr& e) {
  RelationSet set = 0;
  ForEachColumn(e, [&](const BoundExpr& c) { set |= RelationSet{1} << LeafOf(region, c.column); });
  return set;
}

bool IsTrue(const BoundExpr& e) {
  return e.kind == BoundExprKind::kConstant && !e.value.is_null() &&
         e.value.type() == DataType::kBoolean && e.value.as_bool();
}

// A plan of some leaves joined: `map` gives each region column's position in its output
// (kAbsent for columns of other leaves).
struct Built {
  PlanPtr plan;
  RelationSet leaves = 0;
  std::vector<size_t> map;
};

class JoinBuilder {
 public:
  JoinBuilder(Region* region, std::vector<JoinPredicate>* predicates,
              const EquivalenceClasses& classes, const std::vector<OutputColumn>& columns)
      : region_(*region), predicates_(*predicates), classes_(classes), columns_(columns) {}

  Built Build(const JoinTree& tree, int index) {
    const JoinTree::Node& node = tree.nodes[static_cast<size_t>(index)];
    if (node.relation >= 0) return BuildLeaf(static_cast<size_t>(node.relation));
    Built left = Build(tree, node.left);
    Built right = Build(tree, node.right);
    return Join(std::move(left), std::move(right));
  }

 private:
  Built BuildLeaf(size_t i) {
    Leaf& leaf = region_.leaves[i];
    Built b;
    b.leaves = RelationSet{1} << i;
    b.map.assign(columns_.size(), kAbsent);
    for (size_t c = 0; c < leaf.width; ++c)
      b.map[leaf.offset + c] = c;
    b.plan = std::move(leaf.plan);
    return b;
  }

  BoundExprPtr Column(size_t region_column, size_t position) const {
    return MakeColumn(position, columns_[region_column].type, columns_[region_column].name);
  }

  bool Within(const BoundExpr& e, RelationSet set) const {
    const RelationSet read = LeavesRead(region_, e);
    return read != 0 && (read & set) == read;
  }

  Built Join(Built left, Built right) {
    auto join = std::make_unique<JoinNode>();
    join->join_type = JoinType::kInner;
    const size_t left_width = left.plan->columns.size();
    Built out;
    out.leaves = left.leaves | right.leaves;
    out.map = left.map;
    for (size_t c = 0; c < right.map.size(); ++c)
      if (right.map[c] != kAbsent) out.map[c] = right.map[c] + left_width;
    // One key per equivalence class with members on both sides: the inputs already hold
    // their own members equal.
    for (const EquivalenceClasses::Class& c : classes_.classes()) {
      if (c.constant) continue;
      size_t l = kAbsent, r = kAbsent;
      for (size_t m : c.members) {
        if (l == kAbsent && left.map[m] != kAbsent) l = m;
        if (r == kAbsent && right.map[m] != kAbsent) r = m;
      }
      if (l == kAbsent || r == kAbsent) continue;
      join->left_keys.push_back(Column(l, left.map[l]));
      join->right_keys.push_back(Column(r, right.map[r]));
    }
    std::vector<BoundExprPtr> residual;
    for (JoinPredicate& p : predicates_) {
      if (p.placed || (p.leaves & out.leaves) != p.leaves) continue;
      p.placed = true;
      const BoundExpr& e = *p.expr;
      if (e.kind == BoundExprKind::kBinary && e.binary_op == ScalarOp::kEqual) {
        for (int side = 0; side < 2; ++side) {
          if (Within(*e.children[side], left.leaves) &&
              Within(*e.children[1 - side], right.leaves)) {
            BoundExprPtr l = e.children[side]->Clone();
            BoundExprPtr r = e.children[1 - side]->Clone();
            RemapColumns(*l, left.map);
            RemapColumns(*r, right.map);
            join->left_keys.push_back(std::move(l));
            join->right_keys.push_back(std::move(r));
            p.expr = nullptr;
            break;
          }
        }
        if (p.expr == nullptr) continue;
      }
      BoundExprPtr cond = std::move(p.expr);
      RemapColumns(*cond, out.map);
      residual.push_back(std::move(cond));
    }
    join->condition = AndAll(std::move(residual));
    join->columns = left.plan->columns;
    join->columns.insert(join->columns.end(), right.plan->columns.begin(),
                         right.plan->columns.end());
    join->children.push_back(std::move(left.plan));
    join->children.push_back(std::move(right.plan));
    join->Finish();
    out.plan = std::move(join);
    return out;
  }

  Region& region_;
  std::vector<JoinPredicate>& predicates_;
  const EquivalenceClasses& classes_;
  const std::vector<OutputColumn>& columns_;
};

// A leaf scanning a table whose primary key has two or more columns, each a member of a
// different equivalence class: the join graph learns that the leaf is unique on those
// classes (JoinGraph::UniqueKey), so joining it on all of them counts as a foreign-key
// join rather than as independent keys.
void AddCompositeUniqueKeys(const Region& region, const EquivalenceClasses& classes,
                            CardinalityEstimator& estimator, JoinGraph* graph) {
  // Region column -> index among the graph's classes (those without a constant).
  std::vector<size_t> class_of;
  size_t graph_class = 0;
  for (const EquivalenceClasses::Class& c : classes.classes()) {
    if (c.constant) continue;
    for (size_t m : c.members) {
      if (class_of.size() <= m) class_of.resize(m + 1, kAbsent);
      class_of[m] = graph_class;
    }
    ++graph_class;
  }
  for (size_t i = 0; i < region.leaves.size(); ++i) {
    const Leaf& leaf = region.leaves[i];
    const ScanNode* scan = ScanUnderFilters(*leaf.plan);
    if (scan == nullptr) continue;
    const std::vector<size_t> key = scan->table->schema()->PrimaryKeyIndices();
    if (key.size() < 2) continue;
    JoinGraph::UniqueKey unique;
    unique.relation = i;
    unique.rows = estimator.TableRows(*scan->table);
    for (size_t k : key) {
      const size_t m = leaf.offset + k;
      const size_t c = m < class_of.size() ? class_of[m] : kAbsent;
      if (c == kAbsent ||
          std::find(unique.classes.begin(), unique.classes.end(), c) != unique.classes.end()) {
        unique.classes.clear();
        break;
      }
      unique.classes.push_back(c);
    }
    if (!unique.classes.empty()) graph->unique_keys.push_back(std::move(unique));
  }
}

}  // namespace

PlanPtr PredicateRewriter::PlanInnerJoins(PlanPtr join, std::vector<BoundExprPtr> conjuncts) {
  if (CountLeaves(*join, true) > kMaxJoinRelations) {
    return PushIntoWideJoin(std::move(join), std::move(conjuncts));
  }
  const std::vector<OutputColumn> columns = join->columns;
  // 1-2. Flatten, then make inner what the conjuncts allow.
  Region region;
  Flatten(std::move(join), 0, true, &region);
  // After the joins' own predicates, as in the Filter case (predicate_pushdown.cc).
  for (auto& c : conjuncts)
    region.conjuncts.push_back(std::move(c));
  while (ReduceOuterJoin(&region)) {
  }
  std::sort(region.leaves.begin(), region.leaves.end(),
            [](const Leaf& a, const Leaf& b) { return a.offset < b.offset; });
  const size_t n = region.leaves.size();

  // 3. Normalize and distribute.
  EquivalenceClasses classes;
  std::vector<BoundExprPtr> rest = classes.Absorb(std::move(region.conjuncts));
  auto to_leaf = [&](BoundExprPtr e, size_t leaf) {
    ShiftColumns(*e, -static_cast<std::ptrdiff_t>(region.leaves[leaf].offset));
    region.leaves[leaf].conjuncts.push_back(std::move(e));
  };
  for (const EquivalenceClasses::Class& c : classes.classes()) {
    // With a constant, every member equals it: each leaf checks its own members, and no
    // join key is needed. Without, a leaf holding several members checks them equal.
    std::vector<size_t> first_of_leaf(n, kAbsent);
    for (size_t m : c.members) {
      const size_t leaf = LeafOf(region, m);
      if (c.constant) {
        to_leaf(MakeEquality(Column(m, columns), c.constant->Clone()), leaf);
      } else if (first_of_leaf[leaf] == kAbsent) {
        first_of_leaf[leaf] = m;
      } else {
        to_leaf(MakeEquality(Column(first_of_leaf[leaf], columns), Column(m, columns)), leaf);
      }
    }
  }
  std::vector<JoinPredicate> predicates;
  for (auto& e : rest) {
    if (IsTrue(*e)) continue;
    const RelationSet read = LeavesRead(region, *e);
    if (std::popcount(read) <= 1) {
      to_leaf(std::move(e), read == 0 ? 0 : static_cast<size_t>(std::countr_zero(read)));
      continue;
    }
    predicates.push_back(JoinPredicate{std::move(e), read, false});
  }

  // 4. The leaves, planned with their conjuncts, and their estimates.
  JoinGraph join_graph;
  for (Leaf& leaf : region.leaves) {
    leaf.plan = Push(std::move(leaf.plan), std::move(leaf.conjuncts));
    leaf.conjuncts.clear();
    join_graph.rows.push_back(estimator_->Rows(*leaf.plan));
  }

  // 5. The order.
  for (const JoinPredicate& p : predicates) {
    double selectivity = kJoinPredicateSelectivity;
    const BoundExpr& e = *p.expr;
    if (e.kind == BoundExprKind::kBinary && e.binary_op == ScalarOp::kEqual) {
      const RelationSet l = LeavesRead(region, *e.children[0]);
      const RelationSet r = LeavesRead(region, *e.children[1]);
      if (std::popcount(l) == 1 && std::popcount(r) == 1 && l != r) {
        const Leaf& ll = region.leaves[static_cast<size_t>(std::countr_zero(l))];
        const Leaf& rl = region.leaves[static_cast<size_t>(std::countr_zero(r))];
        BoundExprPtr lk = e.children[0]->Clone();
        BoundExprPtr rk = e.children[1]->Clone();
        ShiftColumns(*lk, -static_cast<std::ptrdiff_t>(ll.offset));
        ShiftColumns(*rk, -static_cast<std::ptrdiff_t>(rl.offset));
        selectivity = estimator_->JoinKeySelectivity(*lk, *ll.plan, *rk, *rl.plan);
      }
    }
    join_graph.edges.push_back(JoinGraph::Edge{p.leaves, selectivity});
  }
  for (const EquivalenceClasses::Class& c : classes.classes()) {
    if (c.constant) continue;
    JoinGraph::Class gc;
    gc.distinct.assign(n, -1);
    for (size_t m : c.members) {
      const size_t i = LeafOf(region, m);
      const Leaf& leaf = region.leaves[i];
      const double d = estimator_->JoinDistinct(*leaf.plan, m - leaf.offset);
      gc.distinct[i] = gc.distinct[i] < 0 ? d : std::min(gc.distinct[i], d);
    }
    join_graph.classes.push_back(std::move(gc));
  }
  AddCompositeUniqueKeys(region, classes, *estimator_, &join_graph);
  const JoinTree tree = ChooseJoinOrder(join_graph);

  // 6. The joins, then the original column order, then what could not move.
  JoinBuilder builder(&region, &predicates, classes, columns);
  Built top = builder.Build(tree, tree.root);
  for ([[maybe_unused]] const JoinPredicate& p : predicates)
    assert(p.placed);  // the root covers every predicate's leaves
  PlanPtr plan = std::move(top.plan);
  assert(top.leaves == (n == kMaxJoinRelations ? ~RelationSet{0} : (RelationSet{1} << n) - 1));
  bool identity = true;
  for (size_t i = 0; i < top.map.size(); ++i) {
    assert(top.map[i] != kAbsent);  // every leaf joined, every column placed
    identity = identity && top.map[i] == i;
  }
  if (!identity) {
    auto project = std::make_unique<ProjectNode>();
    for (size_t i = 0; i < columns.size(); ++i)
      project->exprs.push_back(MakeColumn(top.map[i], columns[i].type, columns[i].name));
    project->columns = columns;
    project->children.push_back(std::move(plan));
    project->Finish();
    plan = std::move(project);
  }
  return WrapInFilter(std::move(plan), std::move(region.kept));
}

}  // namespace tenantdb::sql

namespace tenantdb::sql {

PlanPtr PredicateRewriter::PushIntoWideJoin(PlanPtr node, std::vector<BoundExprPtr> conjuncts) {
  // More leaves than a join graph holds: the joins stay as written, each predicate goes
  // into the side that has all its columns.
  auto& join = node->As<JoinNode>();
  const size_t left_width = join.children[0]->columns.size();
  if (join.condition) Conjuncts(std::move(join.condition), &conjuncts);
  std::vector<BoundExprPtr> left, right, rest;
  for (auto& c : conjuncts) {
    if (!Movable(*c)) {
      rest.push_back(std::move(c));
    } else if (ColumnsWithin(*c, 0, left_width)) {
      left.push_back(std::move(c));
    } else if (ColumnsWithin(*c, left_width, join.columns.size())) {
      ShiftColumns(*c, -static_cast<std::ptrdiff_t>(left_width));
      right.push_back(std::move(c));
    } else {
      rest.push_back(std::move(c));
    }
  }
  join.condition = AndAll(std::move(rest));
  join.children[0] = Push(std::move(join.children[0]), std::move(left));
  join.children[1] = Push(std::move(join.children[1]), std::move(right));
  return node;
}

}  // namespace tenantdb::sql
