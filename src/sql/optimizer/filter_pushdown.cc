// PushFiltersIntoScans (passes.h): Filter(Scan) -> Scan with key bounds and a residual
// filter. System tables are left alone: their providers compute rows and take no bounds.
// Filter(read_parquet) keeps its filter and gives the scan row-group bounds.
#include "sql/function/comparison.h"
#include "sql/function/scalar_functions.h"
#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"

namespace tenantdb::sql {

namespace {

// An expression over literals and parameters only (`3 * 1000 + 1`, `$1 - 1`, `lower('X')`,
// `now() - 60`): no column of any row, no subquery, no volatile function. The scan
// evaluates it once per execution, as PostgreSQL folds constants before planning (an
// error in it, such as a division by zero, is then raised even over an empty table, as
// there).
bool IsRuntimeConstant(const BoundExpr& e) {
  switch (e.kind) {
    case BoundExprKind::kColumn:
    case BoundExprKind::kSubquery:
      return false;
    case BoundExprKind::kFunction:
      if (e.function == nullptr || e.function->is_volatile) return false;
      break;
    default:
      break;
  }
  for (const auto& child : e.children)
    if (child == nullptr || !IsRuntimeConstant(*child)) return false;
  return true;
}

bool IsColumn(const BoundExpr& e, size_t column) {
  return e.kind == BoundExprKind::kColumn && e.outer_level == 0 && e.column == column;
}

// `column op constant` (either way round): the constant and the operator as if the
// column were on the left.
const BoundExpr* MatchColumnConstant(const BoundExpr& e, size_t column, ScalarOp* op) {
  if (e.kind != BoundExprKind::kBinary) return nullptr;
  const ScalarOp o = e.binary_op;
  if (o != ScalarOp::kEqual && o != ScalarOp::kLess && o != ScalarOp::kLessEqual &&
      o != ScalarOp::kGreater && o != ScalarOp::kGreaterEqual) {
    return nullptr;
  }
  const BoundExpr& l = *e.children[0];
  const BoundExpr& r = *e.children[1];
  if (IsColumn(l, column) && IsRuntimeConstant(r) && r.type == l.type) {
    *op = o;
    return &r;
  }
  if (IsColumn(r, column) && IsRuntimeConstant(l) && r.type == l.type) {
    *op = MirrorComparison(o);
    return &l;
  }
  return nullptr;
}

BoundKeyBound ExtendBound(const BoundKeyBound& prefix, const BoundExpr& value, bool inclusive) {
  BoundKeyBound b;
  for (const auto& k : prefix.key)
    b.key.push_back(k->Clone());
  b.key.push_back(value.Clone());
  b.inclusive = inclusive;
  return b;
}

// Sets the scan's key bounds from the conjuncts: equalities on a prefix of the primary
// key, then at most one range on the next key column. Marks in `*implied` the conjuncts
// the bounds enforce exactly (the range holds exactly the rows they accept), so the
// residual filter can drop them.
void FindKeyBounds(ScanNode* scan, const std::vector<BoundExprPtr>& conjuncts,
                   std::vector<bool>* implied) {
  implied->assign(conjuncts.size(), false);
  const std::vector<size_t> keys = scan->table->schema()->PrimaryKeyIndices();
  BoundKeyBound lower, upper;
  bool lower_set = false, upper_set = false;
  for (size_t key : keys) {
    const BoundExpr* equal = nullptr;
    for (size_t i = 0; i < conjuncts.size(); ++i) {
      ScalarOp op;
      const BoundExpr* value = MatchColumnConstant(*conjuncts[i], key, &op);
      if (value != nullptr && op == ScalarOp::kEqual) {
        equal = value;
        (*implied)[i] = true;
        break;
      }
    }
    if (equal != nullptr) {
      lower.key.push_back(equal->Clone());
      upper.key.push_back(equal->Clone());
      lower_set = upper_set = true;
      continue;
    }
    // A range on this column ends the usable prefix.
    const BoundExpr* low = nullptr;
    const BoundExpr* high = nullptr;
    bool low_inclusive = true, high_inclusive = true;
    for (size_t i = 0; i < conjuncts.size(); ++i) {
      ScalarOp op;
      const BoundExpr* value = MatchColumnConstant(*conjuncts[i], key, &op);
      if (value == nullptr) continue;
      if ((op == ScalarOp::kGreater || op == ScalarOp::kGreaterEqual) && low == nullptr) {
        low = value;
        low_inclusive = op == ScalarOp::kGreaterEqual;
        (*implied)[i] = true;
      } else if ((op == ScalarOp::kLess || op == ScalarOp::kLessEqual) && high == nullptr) {
        high = value;
        high_inclusive = op == ScalarOp::kLessEqual;
        (*implied)[i] = true;
      }
    }
    if (low != nullptr) {
      lower = ExtendBound(lower, *low, low_inclusive);
      lower_set = true;
    }
    if (high != nullptr) {
      upper = ExtendBound(upper, *high, high_inclusive);
      upper_set = true;
    }
    break;
  }
  if (lower_set) scan->lower = std::move(lower);
  if (upper_set) scan->upper = std::move(upper);
}

// `column IN (constants)`: the constants.
std::vector<const BoundExpr*> MatchInList(const BoundExpr& e, size_t column) {
  std::vector<const BoundExpr*> values;
  if (e.kind != BoundExprKind::kInList || e.negated || !IsColumn(*e.children[0], column)) {
    return values;
  }
  for (size_t i = 1; i < e.children.size(); ++i) {
    const BoundExpr& v = *e.children[i];
    if (!IsRuntimeConstant(v) || v.type != e.children[0]->type) return {};
    values.push_back(&v);
  }
  return values;
}

// A read through a secondary index when the key bounds found nothing: equalities on a
// prefix of a built index's columns first, else an IN list on its first column, else a
// range on it. The filter stays whole (the index narrows the rows; it proves nothing).
std::optional<IndexChoice> ChooseIndex(const ScanNode& scan,
                                       const std::vector<BoundExprPtr>& conjuncts) {
  if (scan.indexes == nullptr) return std::nullopt;
  std::optional<IndexChoice> best;
  size_t best_rank = 0;  // 3 + equal columns: equalities, 2: IN, 1: range
  for (const HotIndex& index : *scan.indexes) {
    if (!index.ready) continue;
    auto positions = IndexColumnPositions(index, *scan.table->schema());
    if (!positions.ok()) continue;
    IndexChoice choice;
    choice.index = index;
    std::vector<BoundExprPtr> equal;
    for (size_t column : *positions) {
      const BoundExpr* value = nullptr;
      for (const BoundExprPtr& c : conjuncts) {
        ScalarOp op;
        const BoundExpr* v = MatchColumnConstant(*c, column, &op);
        if (v != nullptr && op == ScalarOp::kEqual) {
          value = v;
          break;
        }
      }
      if (value == nullptr) break;
      equal.push_back(value->Clone());
    }
    size_t rank = 0;
    if (!equal.empty()) {
      rank = 3 + equal.size();
      choice.points.push_back(std::move(equal));
    } else {
      const size_t first = positions->front();
      for (const BoundExprPtr& c : conjuncts) {
        std::vector<const BoundExpr*> values = MatchInList(*c, first);
        if (values.empty()) continue;
        for (const BoundExpr* v : values) {
          std::vector<BoundExprPtr> point;
          point.push_back(v->Clone());
          choice.points.push_back(std::move(point));
        }
        rank = 2;
        break;
      }
      if (rank == 0) {
        for (const BoundExprPtr& c : conjuncts) {
          ScalarOp op;
          const BoundExpr* v = MatchColumnConstant(*c, first, &op);
          if (v == nullptr) continue;
          BoundKeyBound b;
          b.key.push_back(v->Clone());
          if ((op == ScalarOp::kGreater || op == ScalarOp::kGreaterEqual) && !choice.lower) {
            b.inclusive = op == ScalarOp::kGreaterEqual;
            choice.lower = std::move(b);
            rank = 1;
          } else if ((op == ScalarOp::kLess || op == ScalarOp::kLessEqual) && !choice.upper) {
            b.inclusive = op == ScalarOp::kLessEqual;
            choice.upper = std::move(b);
            rank = 1;
          }
        }
      }
    }
    if (rank > best_rank) {
      best_rank = rank;
      best = std::move(choice);
    }
  }
  return best;
}

bool Foldable(const PlanNode& node) {
  if (node.kind != PlanKind::kFilter || node.children[0]->kind != PlanKind::kScan) return false;
  const ScanNode& input = node.children[0]->As<ScanNode>();
  return !input.filter && input.table->type() != TableType::kSystem;
}

// The scan under `filter` (Foldable), reading only the key range the predicate allows
// and filtering by what the range does not enforce.
PlanPtr Fold(PlanPtr filter) {
  PlanPtr input = std::move(filter->children[0]);
  ScanNode* scan = &input->As<ScanNode>();
  std::vector<BoundExprPtr> parts;
  Conjuncts(std::move(filter->As<FilterNode>().predicate), &parts);
  std::vector<bool> implied;
  FindKeyBounds(scan, parts, &implied);
  if (!scan->lower && !scan->upper) scan->index = ChooseIndex(*scan, parts);
  // What the key range enforces exactly needs no re-check per row; dropping it also
  // leaves `WHERE key = $1 ORDER BY ... LIMIT n` an unfiltered scan, so the LIMIT or
  // top-N reaches the read.
  std::vector<BoundExprPtr> residual;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!implied[i]) residual.push_back(std::move(parts[i]));
  }
  scan->filter = AndAll(std::move(residual));
  return input;
}

// Filter(read_parquet): copies the `column op constant` conjuncts into the function scan,
// which skips row groups their statistics exclude; the filter stays as it is.
void CopyRowGroupBounds(PlanNode* node) {
  if (node->kind != PlanKind::kFilter || node->children[0]->kind != PlanKind::kFunctionScan) {
    return;
  }
  auto& scan = node->children[0]->As<FunctionScanNode>();
  if (scan.files.empty() || scan.csv.has_value() || !scan.row_group_bounds.empty()) return;
  std::vector<BoundExprPtr> parts;
  Conjuncts(node->As<FilterNode>().predicate->Clone(), &parts);
  for (const BoundExprPtr& part : parts) {
    for (size_t column = 0; column < scan.columns.size(); ++column) {
      ScalarOp op;
      if (const BoundExpr* value = MatchColumnConstant(*part, column, &op)) {
        scan.row_group_bounds.push_back({column, op, value->Clone()});
        break;
      }
    }
  }
}

}  // namespace

void PushFiltersIntoScans(PlanPtr* plan) {
  ForEachPlanNode(plan->get(), [](PlanNode* node) {
    for (PlanPtr& child : node->children)
      if (Foldable(*child)) child = Fold(std::move(child));
    CopyRowGroupBounds(node);
  });
  if (Foldable(**plan)) *plan = Fold(std::move(*plan));
}

}  // namespace tenantdb::sql
