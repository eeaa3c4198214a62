// PushFiltersIntoScans (passes.h): Filter(Scan) -> Scan with key bounds and a residual
// filter. System tables are left alone: their providers compute rows and take no bounds.
// Filter(read_parquet) keeps its filter and gives the scan row-group bounds.
#include "sql/function/scalar_functions.h"
#include "sql/optimizer/index_choice.h"
#include "sql/optimizer/passes.h"
#include "sql/optimizer/plan_walk.h"
#include "sql/optimizer/predicate_match.h"

namespace tenantdb::sql {

namespace {

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
