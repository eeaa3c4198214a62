// ChooseIndexJoins (passes.h): a join whose right input is a plain table scan and whose
// equi keys fix a leading part of the table's primary key (else of a secondary index)
// probes the table by key per batch of left rows (JoinNode::index_probe) instead of
// reading it whole into a hash table — when the left input is known to be small
// (OuterIsSmall). Runs after the other passes, so the scan's filter is final.
#include <algorithm>

#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

// Left rows up to which probing by key beats reading the right table whole: a probe
// costs about one hash-table build of a few rows per left row, a read of the table its
// whole size; without row counts any known bound this low is small.
inline constexpr size_t kSmallOuterRows = 1000;

namespace {

// At most how many rows `plan` yields, from what the plan itself bounds (nullopt: no
// bound known).
std::optional<size_t> RowsAtMost(const PlanNode& plan) {
  switch (plan.kind) {
    case PlanKind::kValues:
      return plan.As<ValuesNode>().rows.size();
    case PlanKind::kLimit: {
      std::optional<int64_t> n = ConstantLimitRows(plan.As<LimitNode>());
      std::optional<size_t> below = RowsAtMost(*plan.children[0]);
      if (!n) return below;
      return below ? std::min(*below, static_cast<size_t>(*n)) : static_cast<size_t>(*n);
    }
    case PlanKind::kScan: {
      const auto& scan = plan.As<ScanNode>();
      if (scan.scan_limit > 0) return scan.scan_limit;
      const size_t key_width = scan.table->schema()->PrimaryKeyIndices().size();
      if (scan.lower && scan.upper && scan.lower->inclusive && scan.upper->inclusive &&
          scan.lower->key.size() == key_width && scan.upper->key.size() == key_width) {
        bool equal = true;
        for (size_t i = 0; i < key_width; ++i)
          equal = equal && scan.lower->key[i]->Equals(*scan.upper->key[i]);
        if (equal) return 1;  // a point read
      }
      return std::nullopt;
    }
    case PlanKind::kFilter:
    case PlanKind::kProject:
    case PlanKind::kSort:
    case PlanKind::kDistinct:
      return RowsAtMost(*plan.children[0]);
    case PlanKind::kAggregate:
      if (plan.As<AggregateNode>().group_keys.empty()) return 1;
      return RowsAtMost(*plan.children[0]);
    case PlanKind::kJoin: {
      const auto& join = plan.As<JoinNode>();
      // At most one right row per left row: a probe of the whole primary key.
      const bool one_per_left =
          join.LeftOnly() ||
          (join.index_probe && join.index_probe->whole_key && join.join_type != JoinType::kFull);
      if (!one_per_left) return std::nullopt;
      return RowsAtMost(*plan.children[0]);
    }
    default:
      return std::nullopt;
  }
}

// Which key pair of `join` gives each leading column of `columns` (table positions),
// as long as one does.
std::vector<size_t> LeadingPairs(const JoinNode& join, const std::vector<size_t>& columns) {
  std::vector<size_t> pairs;
  for (size_t column : columns) {
    std::optional<size_t> found;
    for (size_t i = 0; i < join.right_keys.size() && !found; ++i) {
      const BoundExpr& r = *join.right_keys[i];
      if (r.kind == BoundExprKind::kColumn && r.outer_level == 0 && r.column == column &&
          join.left_keys[i]->type == r.type) {
        found = i;
      }
    }
    if (!found) break;
    pairs.push_back(*found);
  }
  return pairs;
}

bool Probeable(const JoinNode& join) {
  if (join.lateral || join.left_keys.empty() || join.null_aware_left || join.index_probe) {
    return false;
  }
  if (join.join_type != JoinType::kInner && join.join_type != JoinType::kLeft &&
      join.join_type != JoinType::kSemi && join.join_type != JoinType::kAnti) {
    return false;
  }
  if (join.children[1]->kind != PlanKind::kScan) return false;
  const auto& scan = join.children[1]->As<ScanNode>();
  return scan.table->type() != TableType::kSystem && !scan.lower && !scan.upper && !scan.index &&
         scan.scan_limit == 0 && scan.scan_top_n == 0 && scan.scan_order.empty();
}

void ChooseProbe(JoinNode* join) {
  if (!Probeable(*join) || !OuterIsSmall(*join->children[0])) return;
  const auto& scan = join->children[1]->As<ScanNode>();
  const std::vector<size_t> key = scan.table->schema()->PrimaryKeyIndices();
  IndexProbe probe;
  probe.key_pairs = LeadingPairs(*join, key);
  probe.whole_key = !key.empty() && probe.key_pairs.size() == key.size();
  if (probe.key_pairs.empty() && scan.indexes != nullptr) {
    for (const HotIndex& index : *scan.indexes) {
      if (!index.ready) continue;
      auto positions = IndexColumnPositions(index, *scan.table->schema());
      if (!positions.ok()) continue;
      std::vector<size_t> pairs = LeadingPairs(*join, *positions);
      if (pairs.size() > probe.key_pairs.size()) {
        probe.key_pairs = std::move(pairs);
        probe.index = index;
      }
    }
  }
  if (probe.key_pairs.empty()) return;
  join->index_probe = std::move(probe);
}

}  // namespace

bool OuterIsSmall(const PlanNode& left) {
  std::optional<size_t> rows = RowsAtMost(left);
  return rows.has_value() && *rows <= kSmallOuterRows;
}

void ChooseIndexJoins(PlanNode* plan) {
  ForEachPlanNode(plan, [](PlanNode* node) {
    if (node->kind == PlanKind::kJoin) ChooseProbe(&node->As<JoinNode>());
  });
}

}  // namespace tenantdb::sql
