// ReadIndexesInOrder (passes.h): LIMIT n OFFSET m (constants) over ORDER BY plain scan
// columns, through at most one projection, over a scan whose order some built index
// gives — equalities on the index's leading columns (or nothing, or a range on the next
// column), the ORDER BY naming the following index columns in order, then possibly the
// primary key's, all ASC NULLS LAST or all DESC NULLS FIRST (PostgreSQL's defaults; the
// index keeps NULLs last, so reading it backwards puts them first) — makes the scan read
// that index in order and stop after the first n + m rows its filter accepts.
//
// ORDER BY columns the equalities fix may appear anywhere in the ORDER BY: they are
// constant over the read. Anything else (mixed directions, NULLS FIRST on ASC, an
// expression, an IN list of several values) keeps the plain read and its sort.
//
// The Sort and Limit above stay: they order and cut the n + m rows again (cheap), and
// do the whole work when the provider cannot read the index in order after all (a
// transaction with pending writes to the table, an index dropped meanwhile).
//
// Which index: the best-ranked ordered match (index_choice.h), taken when it ranks at
// least as high as the index the WHERE clause chose (ties go to the ordered read, which
// also saves the sort): an equality on another index's columns stays the better read.
// Runs after PushFiltersIntoScans and before PushLimitsIntoScans (which leaves a scan
// read through an index alone).
#include "sql/optimizer/index_choice.h"
#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

// Whether reading `m`'s range of an index with columns `positions` in order (reversed
// when `*descending`) yields `order` (scan columns), with the primary key `pk` ending
// every entry.
bool GivesOrder(const IndexMatch& m, const std::vector<size_t>& positions,
                const std::vector<size_t>& pk, const std::vector<HotSortKey>& order,
                bool* descending) {
  if (!m.one_range) return false;
  auto fixed = [&](size_t column) {
    for (size_t c : m.equal_columns)
      if (c == column) return true;
    return false;
  };
  size_t next = m.equal_columns.size();  // the next index column the order must name
  size_t next_pk = 0;
  bool direction_set = false;
  for (const HotSortKey& k : order) {
    if (fixed(k.column)) continue;
    const bool index_column = next < positions.size() && positions[next] == k.column;
    const bool pk_column =
        !index_column && next == positions.size() && next_pk < pk.size() && pk[next_pk] == k.column;
    if (!index_column && !pk_column) return false;
    // Index columns hold NULLs last; key columns hold none.
    if (index_column && k.nulls_first != k.descending) return false;
    if (direction_set && k.descending != *descending) return false;
    *descending = k.descending;
    direction_set = true;
    if (index_column) {
      ++next;
    } else {
      ++next_pk;
    }
  }
  if (!direction_set) *descending = false;
  return true;
}

void ReadInOrder(const LimitNode& limit) {
  const std::optional<int64_t> rows = ConstantLimitRows(limit);
  if (!rows.has_value()) return;
  const int64_t n = *rows;
  PlanNode* child = limit.children[0].get();
  if (child->kind != PlanKind::kSort) return;
  const SortNode& sort = child->As<SortNode>();
  child = child->children[0].get();
  const ProjectNode* project = nullptr;
  if (child->kind == PlanKind::kProject) {
    project = &child->As<ProjectNode>();
    child = child->children[0].get();
  }
  if (child->kind != PlanKind::kScan) return;
  ScanNode& scan = child->As<ScanNode>();
  if (scan.indexes == nullptr || scan.lower || scan.upper) return;
  if (scan.table->type() == TableType::kSystem) return;
  std::vector<HotSortKey> order;
  for (const SortKey& k : sort.sort_keys) {
    const BoundExpr* e = k.expr.get();
    if (e->kind != BoundExprKind::kColumn || e->outer_level != 0) return;
    if (project != nullptr) {
      e = project->exprs[e->column].get();
      if (e->kind != BoundExprKind::kColumn || e->outer_level != 0) return;
    }
    order.push_back(HotSortKey{e->column, k.descending, k.nulls_first});
  }
  std::vector<BoundExprPtr> conjuncts;
  if (scan.filter) Conjuncts(scan.filter->Clone(), &conjuncts);
  size_t chosen_rank = 0;  // the WHERE clause's choice, if any
  if (scan.index) {
    if (auto m = MatchIndex(scan, scan.index->index, conjuncts)) chosen_rank = m->rank;
  }
  const std::vector<size_t> pk = scan.table->schema()->PrimaryKeyIndices();
  std::optional<IndexMatch> best;
  bool best_descending = false;
  for (const HotIndex& index : *scan.indexes) {
    std::optional<IndexMatch> m = MatchIndex(scan, index, conjuncts);
    if (!m || m->rank < chosen_rank || (best && m->rank <= best->rank)) continue;
    auto positions = IndexColumnPositions(index, *scan.table->schema());
    bool descending = false;
    if (!positions.ok() || !GivesOrder(*m, *positions, pk, order, &descending)) continue;
    best = std::move(m);
    best_descending = descending;
  }
  if (!best) return;
  scan.index = std::move(best->choice);
  scan.index->ordered = true;
  scan.index->descending = best_descending;
  scan.index->top_n = static_cast<size_t>(n);
}

}  // namespace

void ReadIndexesInOrder(PlanNode* plan) {
  ForEachPlanNode(plan, [](PlanNode* node) {
    if (node->kind == PlanKind::kLimit) ReadInOrder(node->As<LimitNode>());
  });
}

}  // namespace tenantdb::sql
