#include "sql/optimizer/join_order.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace tenantdb::sql {

namespace {

RelationSet Bit(size_t i) {
  return RelationSet{1} << i;
}
RelationSet LowestBit(RelationSet s) {
  return s & (~s + 1);
}

// Adds a join of nodes `a` and `b` to `tree`, the larger estimate on the left (ties: the
// side with the lower relation number), and returns its index.
int AddJoin(JoinTree* tree, int a, int b, double rows) {
  const JoinTree::Node& na = tree->nodes[a];
  const JoinTree::Node& nb = tree->nodes[b];
  bool a_left = true;
  if (na.rows != nb.rows) {
    a_left = na.rows > nb.rows;
  } else {
    a_left = LowestBit(na.set) < LowestBit(nb.set);
  }
  JoinTree::Node join;
  join.left = a_left ? a : b;
  join.right = a_left ? b : a;
  join.set = na.set | nb.set;
  join.rows = rows;
  join.cost = na.cost + nb.cost + rows;
  tree->nodes.push_back(join);
  return static_cast<int>(tree->nodes.size() - 1);
}

// DPsub: the best plan of every connected subset, smaller subsets first (a subset's
// subsets are numerically smaller). Returns false when the whole set has no plan
// (disconnected, or linked only through a hyperedge no split satisfies).
bool DynamicProgramming(const JoinGraph& graph, JoinTree* tree) {
  const size_t n = graph.rows.size();
  const RelationSet all = Bit(n) - 1;
  struct Best {
    double cost = std::numeric_limits<double>::infinity();
    double rows = 0;
    RelationSet left = 0;  // the split (0 for a leaf)
    bool found = false;
  };
  std::vector<Best> best(static_cast<size_t>(all) + 1);
  for (size_t i = 0; i < n; ++i) {
    best[Bit(i)].found = true;
    best[Bit(i)].cost = 0;
    best[Bit(i)].rows = graph.rows[i];
  }
  for (RelationSet set = 1; set <= all; ++set) {
    if (std::popcount(set) < 2) continue;
    const RelationSet low = LowestBit(set);
    Best& b = best[set];
    double rows = -1;
    // Each unordered split once: the left part holds the lowest relation. Among equal
    // costs the split whose right part is the set's last relation wins, so that with
    // nothing to choose between them the joins stay left-deep in FROM order.
    const RelationSet last = RelationSet{1} << (63 - std::countl_zero(set));
    for (RelationSet left = (set - 1) & set; left != 0; left = (left - 1) & set) {
      if ((left & low) == 0) continue;
      const RelationSet right = set ^ left;
      if (!best[left].found || !best[right].found) continue;
      if (!graph.Linked(left, right)) continue;
      if (rows < 0) rows = graph.Rows(set);
      const double cost = best[left].cost + best[right].cost + rows;
      if (cost < b.cost || (cost == b.cost && right == last)) {
        b.cost = cost;
        b.rows = rows;
        b.left = left;
        b.found = true;
      }
    }
  }
  if (!best[all].found) return false;
  // Rebuild the tree from the splits.
  std::unordered_map<RelationSet, int> built;
  auto build = [&](auto&& self, RelationSet set) -> int {
    if (std::popcount(set) == 1) {
      JoinTree::Node leaf;
      leaf.relation = std::countr_zero(set);
      leaf.set = set;
      leaf.rows = best[set].rows;
      tree->nodes.push_back(leaf);
      return static_cast<int>(tree->nodes.size() - 1);
    }
    const int l = self(self, best[set].left);
    const int r = self(self, set ^ best[set].left);
    return AddJoin(tree, l, r, best[set].rows);
  };
  tree->root = build(build, all);
  return true;
}

// GOO: repeatedly joins the two trees whose join is smallest, preferring linked pairs.
void Greedy(const JoinGraph& graph, JoinTree* tree) {
  std::vector<int> forest;
  for (size_t i = 0; i < graph.rows.size(); ++i) {
    JoinTree::Node leaf;
    leaf.relation = static_cast<int>(i);
    leaf.set = Bit(i);
    leaf.rows = graph.rows[i];
    tree->nodes.push_back(leaf);
    forest.push_back(static_cast<int>(tree->nodes.size() - 1));
  }
  while (forest.size() > 1) {
    size_t best_a = 0, best_b = 1;
    bool best_linked = false;
    double best_rows = std::numeric_limits<double>::infinity();
    for (size_t a = 0; a < forest.size(); ++a) {
      for (size_t b = a + 1; b < forest.size(); ++b) {
        const RelationSet sa = tree->nodes[forest[a]].set;
        const RelationSet sb = tree->nodes[forest[b]].set;
        const bool linked = graph.Linked(sa, sb);
        if (best_linked && !linked) continue;
        const double rows = graph.Rows(sa | sb);
        if ((linked && !best_linked) || rows < best_rows) {
          best_a = a;
          best_b = b;
          best_rows = rows;
          best_linked = linked;
        }
      }
    }
    const int joined = AddJoin(tree, forest[best_a], forest[best_b], best_rows);
    forest[best_a] = joined;
    forest.erase(forest.begin() + static_cast<std::ptrdiff_t>(best_b));
  }
  tree->root = forest.front();
}

}  // namespace

namespace {

// What class `c` divides the rows of `set` by: every distinct count of its members in
// the set but the smallest (the containment assumption).
double ClassDivisor(const JoinGraph::Class& c, RelationSet set) {
  double smallest = std::numeric_limits<double>::infinity();
  double product = 1;
  int members = 0;
  for (size_t i = 0; i < c.distinct.size(); ++i) {
    if ((set & Bit(i)) == 0 || c.distinct[i] < 0) continue;
    const double d = std::max(1.0, c.distinct[i]);
    product *= d;
    smallest = std::min(smallest, d);
    ++members;
  }
  return members < 2 ? 1 : product / smallest;
}

}  // namespace

double JoinGraph::Rows(RelationSet set) const {
  double rows = 1;
  for (size_t i = 0; i < this->rows.size(); ++i)
    if (set & Bit(i)) rows *= this->rows[i];
  for (const Edge& e : edges)
    if ((e.relations & set) == e.relations) rows *= e.selectivity;
  for (const Class& c : classes)
    rows /= ClassDivisor(c, set);
  for (const UniqueKey& u : unique_keys) {
    const RelationSet self = Bit(u.relation);
    if ((set & self) == 0) continue;
    // What the key's classes divide by because u's relation is in the set, when every
    // one of them also reaches another relation of the set.
    double extra = 1;
    bool covered = true;
    for (size_t c : u.classes) {
      const double without = ClassDivisor(classes[c], set & ~self);
      const double with = ClassDivisor(classes[c], set);
      covered = covered && with > without;
      extra *= with / without;
    }
    if (covered && extra > u.rows) rows *= extra / u.rows;
  }
  return std::isfinite(rows) ? std::max(1.0, rows) : std::numeric_limits<double>::max();
}

bool JoinGraph::Linked(RelationSet a, RelationSet b) const {
  const RelationSet both = a | b;
  for (const Edge& e : edges) {
    if ((e.relations & both) == e.relations && (e.relations & a) != 0 && (e.relations & b) != 0) {
      return true;
    }
  }
  for (const Class& c : classes) {
    bool in_a = false, in_b = false;
    for (size_t i = 0; i < c.distinct.size(); ++i) {
      if (c.distinct[i] < 0) continue;
      in_a = in_a || (a & Bit(i)) != 0;
      in_b = in_b || (b & Bit(i)) != 0;
    }
    if (in_a && in_b) return true;
  }
  return false;
}

JoinTree ChooseJoinOrder(const JoinGraph& graph) {
  assert(!graph.rows.empty() && graph.rows.size() <= kMaxJoinRelations);
  JoinTree tree;
  if (graph.rows.size() == 1) {
    JoinTree::Node leaf;
    leaf.relation = 0;
    leaf.set = 1;
    leaf.rows = graph.rows[0];
    tree.nodes.push_back(leaf);
    tree.root = 0;
    return tree;
  }
  if (graph.rows.size() <= kMaxDpRelations && DynamicProgramming(graph, &tree)) return tree;
  tree = JoinTree();
  Greedy(graph, &tree);
  return tree;
}

}  // namespace tenantdb::sql
