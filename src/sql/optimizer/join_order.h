// ChooseJoinOrder: the order in which to join the relations of a join graph (the leaves
// of a tree of inner joins, with the predicates between them), by estimated cost.
//
// Cost is C_out: the sum of the estimated rows of every intermediate join (what the
// executor materializes, hashes and streams). A set's rows are estimated the same way
// whatever order builds it: the product of its relations' rows, times the selectivity of
// every predicate it contains, times, for each equivalence class, 1/ndv of all but the
// smallest distinct count among its members in the set (the containment assumption).
//
// Up to kMaxDpRelations relations: dynamic programming over connected subsets (DPsub
// with a connectivity test: a pair is joined only when a predicate or a class links
// them, so no cross product is considered while a join is possible). Beyond that, or when
// the graph is disconnected or only hyperedges link it: greedy operator ordering (GOO:
// join the pair whose result is smallest, linked pairs first, cross products last).
//
// The chosen tree's joins have the larger input on the left and the smaller on the
// right, where the executor builds its hash table; ties keep the FROM order (the side
// holding the lower relation number goes left).
//
// Thread safety: pure functions. Cost: O(3^n) pairs for n <= 12, O(n^3) beyond.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tenantdb::sql {

using RelationSet = uint64_t;  // bit i: relation i
inline constexpr size_t kMaxJoinRelations = 64;
inline constexpr size_t kMaxDpRelations = 12;

struct JoinGraph {
  std::vector<double> rows;  // per relation, >= 1
  // A predicate over the relations in `relations` (two or more) that keeps this fraction
  // of their combined rows.
  struct Edge {
    RelationSet relations = 0;
    double selectivity = 1;
  };
  std::vector<Edge> edges;
  // An equivalence class: per relation, the distinct count of its member columns there
  // (< 0: no member in that relation).
  struct Class {
    std::vector<double> distinct;
  };
  std::vector<Class> classes;
  // A relation unique on the combination of some classes (a composite primary key whose
  // columns are their members). Joined on all of them, each of the other side's rows
  // meets at most one of its rows, and under the foreign-key assumption exactly one of
  // its unfiltered `rows`: the classes' divisors together count at most `rows`, where
  // independent keys (lineitem with partsupp on partkey and on suppkey) would divide by
  // the product of both key domains.
  struct UniqueKey {
    size_t relation = 0;
    std::vector<size_t> classes;  // indexes into `classes`
    double rows = 1;
  };
  std::vector<UniqueKey> unique_keys;

  // The estimated rows of joining the relations in `set`.
  double Rows(RelationSet set) const;
  // Whether a predicate or class links `a` and `b` (disjoint, non-empty): some edge
  // within a | b touching both, or a class with members in both.
  bool Linked(RelationSet a, RelationSet b) const;
};

struct JoinTree {
  struct Node {
    int relation = -1;  // a leaf: the relation; else -1
    int left = -1;      // a join: its inputs (indexes into nodes)
    int right = -1;
    RelationSet set = 0;
    double rows = 0;
    double cost = 0;
  };
  std::vector<Node> nodes;
  int root = -1;
};

// The cheapest tree joining every relation of `graph` (1 to kMaxJoinRelations).
JoinTree ChooseJoinOrder(const JoinGraph& graph);

}  // namespace tenantdb::sql
