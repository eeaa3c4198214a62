// GROUP BY, with GROUPING SETS / ROLLUP / CUBE expanded as PostgreSQL does (its manual,
// "GROUPING SETS, CUBE, and ROLLUP"): the items of a GROUP BY combine as a cross product
// of their sets; a plain expression is the one set (e); ROLLUP (e1, ..., en) is the sets
// (e1, ..., en), (e1, ..., en-1), ..., (); CUBE (e1, ..., en) every subset; GROUPING SETS
// (...) the sets its items give, nested ROLLUP and CUBE included; () the empty set. An
// element of ROLLUP or CUBE written (a, b) counts as one unit. Duplicate sets are kept
// (they give duplicate rows, as in PostgreSQL), unless the clause says GROUP BY DISTINCT:
// then of sets holding the same expressions (in any order) only the first stays.
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <set>

#include "common/stack_depth.h"
#include "sql/parser/pg_converter.h"

namespace tenantdb::sql {

namespace {

constexpr size_t kMaxGroupingSets = 4096;  // PostgreSQL's limit
constexpr size_t kMaxCubeElements = 12;    // PostgreSQL's limit

Status TooManySets() {
  return Status(ErrorCode::kFeatureNotSupported, "too many grouping sets present (maximum " +
                                                     std::to_string(kMaxGroupingSets) + ")");
}

// Each set of `a` joined with each of `b` (positions deduplicated, first occurrence kept).
Result<std::vector<std::vector<size_t>>> CrossProduct(const std::vector<std::vector<size_t>>& a,
                                                      const std::vector<std::vector<size_t>>& b) {
  if (a.size() * b.size() > kMaxGroupingSets) return TooManySets();
  std::vector<std::vector<size_t>> out;
  out.reserve(a.size() * b.size());
  for (const auto& x : a) {
    for (const auto& y : b) {
      std::vector<size_t> set = x;
      for (size_t k : y)
        if (std::find(set.begin(), set.end(), k) == set.end()) set.push_back(k);
      out.push_back(std::move(set));
    }
  }
  return out;
}

}  // namespace

Status PgConverter::ConvertGroupClause(PgQuery__Node* const* nodes, size_t n, bool distinct,
                                       SelectStmt* select) {
  bool sets = false;
  for (size_t i = 0; i < n; ++i)
    sets |= nodes[i]->node_case == PG_QUERY__NODE__NODE_GROUPING_SET;
  if (!sets) {
    TDB_ASSIGN_OR_RETURN(select->group_by, ConvertExprList(nodes, n));
    return Status::Ok();
  }
  std::vector<std::vector<size_t>> product{{}};
  for (size_t i = 0; i < n; ++i) {
    TDB_ASSIGN_OR_RETURN(auto item, ConvertGroupingItem(nodes[i], select));
    TDB_ASSIGN_OR_RETURN(product, CrossProduct(product, item));
  }
  if (distinct) {
    std::set<std::vector<size_t>> seen;
    std::vector<std::vector<size_t>> unique;
    for (std::vector<size_t>& set : product) {
      std::vector<size_t> key = set;
      std::sort(key.begin(), key.end());
      if (seen.insert(std::move(key)).second) unique.push_back(std::move(set));
    }
    product = std::move(unique);
  }
  select->grouping_sets = std::move(product);
  return Status::Ok();
}

Result<std::vector<std::vector<size_t>>> PgConverter::ConvertGroupingItem(const PgQuery__Node* node,
                                                                          SelectStmt* select) {
  DepthGuard guard(&depth_);  // GROUPING SETS nest
  if (depth_ > kMaxDepth) return TooDeep();
  if (StackNearlyExhausted()) return TooDeep(/*stack_exhausted=*/true);
  // One expression's position in group_by (an equal expression already there is reused).
  auto position = [&](const PgQuery__Node* e) -> Result<size_t> {
    TDB_ASSIGN_OR_RETURN(ExprPtr expr, ConvertExpr(e));
    const std::string text = expr->ToString();
    for (size_t k = 0; k < select->group_by.size(); ++k)
      if (select->group_by[k]->ToString() == text) return k;
    select->group_by.push_back(std::move(expr));
    return select->group_by.size() - 1;
  };
  // A ROLLUP / CUBE element: an expression, or a parenthesized list counted as one unit.
  auto unit = [&](const PgQuery__Node* e) -> Result<std::vector<size_t>> {
    std::vector<size_t> out;
    if (e->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) {
      for (size_t k = 0; k < e->row_expr->n_args; ++k) {
        TDB_ASSIGN_OR_RETURN(size_t p, position(e->row_expr->args[k]));
        out.push_back(p);
      }
      return out;
    }
    if (e->node_case == PG_QUERY__NODE__NODE_GROUPING_SET) {
      return NotSupported("a grouping set nested inside ROLLUP or CUBE");
    }
    TDB_ASSIGN_OR_RETURN(size_t p, position(e));
    out.push_back(p);
    return out;
  };

  if (node->node_case != PG_QUERY__NODE__NODE_GROUPING_SET) {
    TDB_ASSIGN_OR_RETURN(std::vector<size_t> one, unit(node));
    return std::vector<std::vector<size_t>>{std::move(one)};
  }
  const PgQuery__GroupingSet* g = node->grouping_set;
  switch (g->kind) {
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_EMPTY:
      return std::vector<std::vector<size_t>>{{}};
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_SIMPLE: {
      std::vector<size_t> set;
      for (size_t i = 0; i < g->n_content; ++i) {
        TDB_ASSIGN_OR_RETURN(std::vector<size_t> u, unit(g->content[i]));
        set.insert(set.end(), u.begin(), u.end());
      }
      return std::vector<std::vector<size_t>>{std::move(set)};
    }
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_ROLLUP: {
      std::vector<std::vector<size_t>> units;
      for (size_t i = 0; i < g->n_content; ++i) {
        TDB_ASSIGN_OR_RETURN(std::vector<size_t> u, unit(g->content[i]));
        units.push_back(std::move(u));
      }
      std::vector<std::vector<size_t>> out;
      for (size_t len = units.size() + 1; len-- > 0;) {
        std::vector<size_t> set;
        for (size_t i = 0; i < len; ++i)
          for (size_t k : units[i])
            if (std::find(set.begin(), set.end(), k) == set.end()) set.push_back(k);
        out.push_back(std::move(set));
      }
      return out;
    }
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_CUBE: {
      if (g->n_content > kMaxCubeElements) {
        return Status(ErrorCode::kFeatureNotSupported,
                      "CUBE is limited to " + std::to_string(kMaxCubeElements) + " elements");
      }
      std::vector<std::vector<size_t>> units;
      for (size_t i = 0; i < g->n_content; ++i) {
        TDB_ASSIGN_OR_RETURN(std::vector<size_t> u, unit(g->content[i]));
        units.push_back(std::move(u));
      }
      // Every subset, the largest first (bit i of `omit` leaves unit i out).
      std::vector<std::vector<size_t>> out;
      const size_t count = size_t{1} << units.size();
      for (size_t omit = 0; omit < count; ++omit) {
        std::vector<size_t> set;
        for (size_t i = 0; i < units.size(); ++i) {
          if ((omit >> i) & 1) continue;
          for (size_t k : units[i])
            if (std::find(set.begin(), set.end(), k) == set.end()) set.push_back(k);
        }
        out.push_back(std::move(set));
      }
      return out;
    }
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_SETS: {
      std::vector<std::vector<size_t>> out;
      for (size_t i = 0; i < g->n_content; ++i) {
        TDB_ASSIGN_OR_RETURN(auto sets, ConvertGroupingItem(g->content[i], select));
        if (out.size() + sets.size() > kMaxGroupingSets) return TooManySets();
        for (auto& s : sets)
          out.push_back(std::move(s));
      }
      return out;
    }
    default:
      return NotSupported("this kind of grouping set");
  }
}

}  // namespace tenantdb::sql
