#include "sql/planner/pushdown.h"

#include <algorithm>
#include <functional>

#include "sql/function/comparison.h"

namespace tenantdb::sql {

namespace {

void Conjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out) {
  if (e->kind == BoundExprKind::kBinary && e->binary_op == ScalarOp::kAnd) {
    Conjuncts(std::move(e->children[0]), out);
    Conjuncts(std::move(e->children[1]), out);
    return;
  }
  out->push_back(std::move(e));
}

BoundExprPtr AndAll(std::vector<BoundExprPtr> parts) {
  BoundExprPtr result;
  for (auto& p : parts) {
    if (!result) {
      result = std::move(p);
      continue;
    }
    auto both = std::make_unique<BoundExpr>();
    both->kind = BoundExprKind::kBinary;
    both->binary_op = ScalarOp::kAnd;
    both->type = DataType::kBoolean;
    both->children.push_back(std::move(result));
    both->children.push_back(std::move(p));
    result = std::move(both);
  }
  return result;
}

// Calls fn on every column reference of the current query level.
void ForEachColumn(const BoundExpr& e, const std::function<void(const BoundExpr&)>& fn) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0) fn(e);
  for (const auto& c : e.children)
    ForEachColumn(*c, fn);
}

bool UsesSubquery(const BoundExpr& e) {
  if (e.kind == BoundExprKind::kSubquery) return true;
  for (const auto& c : e.children)
    if (UsesSubquery(*c)) return true;
  return false;
}

// Literals, parameters and casts / stable functions of them.
bool IsRuntimeConstant(const BoundExpr& e) {
  switch (e.kind) {
    case BoundExprKind::kConstant:
    case BoundExprKind::kParameter:
      return true;
    case BoundExprKind::kCast:
    case BoundExprKind::kNegate:
      return IsRuntimeConstant(*e.children[0]);
    default:
      return false;
  }
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

// Sets the scan's key bounds from the conjuncts and marks in `*implied` those the bounds
// enforce exactly (the range holds exactly the rows they accept), so the residual filter
// can drop them.
void FindKeyBounds(PlanNode* scan, const std::vector<BoundExprPtr>& conjuncts,
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
      // Bounds on a prefix plus this column: the prefix's keys with this value.
      BoundKeyBound b;
      for (const auto& k : lower.key)
        b.key.push_back(k->Clone());
      b.key.push_back(low->Clone());
      b.inclusive = low_inclusive;
      lower = std::move(b);
      lower_set = true;
    }
    if (high != nullptr) {
      BoundKeyBound b;
      for (const auto& k : upper.key)
        b.key.push_back(k->Clone());
      b.key.push_back(high->Clone());
      b.inclusive = high_inclusive;
      upper = std::move(b);
      upper_set = true;
    }
    break;
  }
  if (lower_set) scan->lower = std::move(lower);
  if (upper_set) scan->upper = std::move(upper);
}

}  // namespace

PlanPtr ApplyFilter(PlanPtr input, BoundExprPtr predicate) {
  if (input->kind == PlanKind::kScan && !input->filter &&
      input->table->type() != TableType::kSystem) {
    std::vector<BoundExprPtr> parts;
    Conjuncts(std::move(predicate), &parts);
    std::vector<bool> implied;
    FindKeyBounds(input.get(), parts, &implied);
    // What the key range enforces exactly needs no re-check per row; dropping it also
    // leaves `WHERE key = $1 ORDER BY ... LIMIT n` an unfiltered scan, so the LIMIT or
    // top-N reaches the read.
    std::vector<BoundExprPtr> residual;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (!implied[i]) residual.push_back(std::move(parts[i]));
    }
    input->filter = AndAll(std::move(residual));
    return input;
  }
  auto filter = std::make_unique<PlanNode>(PlanKind::kFilter);
  filter->columns = input->columns;
  filter->exprs.push_back(std::move(predicate));
  filter->children.push_back(std::move(input));
  filter->Finish();
  return filter;
}

void SplitJoinCondition(BoundExprPtr condition, size_t left_width, PlanNode* join) {
  std::vector<BoundExprPtr> parts;
  Conjuncts(std::move(condition), &parts);
  std::vector<BoundExprPtr> rest;
  for (auto& p : parts) {
    if (p->kind == BoundExprKind::kBinary && p->binary_op == ScalarOp::kEqual &&
        !UsesSubquery(*p)) {
      auto side = [&](const BoundExpr& e) {
        int s = 0;  // 1: left only, 2: right only, 3: both, 0: none
        ForEachColumn(e, [&](const BoundExpr& c) { s |= c.column < left_width ? 1 : 2; });
        return s;
      };
      const int l = side(*p->children[0]);
      const int r = side(*p->children[1]);
      if ((l == 1 && r == 2) || (l == 2 && r == 1)) {
        BoundExprPtr left = std::move(p->children[l == 1 ? 0 : 1]);
        BoundExprPtr right = std::move(p->children[l == 1 ? 1 : 0]);
        std::function<void(BoundExpr&)> rebase = [&](BoundExpr& e) {
          if (e.kind == BoundExprKind::kColumn && e.outer_level == 0) e.column -= left_width;
          for (auto& c : e.children)
            rebase(*c);
        };
        rebase(*right);
        join->left_keys.push_back(std::move(left));
        join->right_keys.push_back(std::move(right));
        continue;
      }
    }
    rest.push_back(std::move(p));
  }
  join->condition = AndAll(std::move(rest));
}

namespace {

void MarkColumns(const BoundExpr& e, std::vector<bool>* wanted) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0 && e.column < wanted->size()) {
    (*wanted)[e.column] = true;
  }
  for (const auto& c : e.children)
    MarkColumns(*c, wanted);
}

}  // namespace

void PushProjectionIntoScans(PlanNode* plan) {
  for (auto& child : plan->children)
    PushProjectionIntoScans(child.get());
  if (plan->kind != PlanKind::kProject && plan->kind != PlanKind::kAggregate) return;
  if (plan->children.empty() || plan->children[0]->kind != PlanKind::kScan) return;
  PlanNode& scan = *plan->children[0];
  if (scan.table->type() == TableType::kSystem) return;
  std::vector<const BoundExpr*> used;
  for (const auto& e : plan->exprs)
    used.push_back(e.get());
  for (const AggregateCall& a : plan->aggregates) {
    if (a.argument) used.push_back(a.argument.get());
    if (a.filter) used.push_back(a.filter.get());
  }
  if (scan.filter) used.push_back(scan.filter.get());
  std::vector<bool> wanted(scan.columns.size(), false);
  for (const BoundExpr* e : used) {
    if (UsesSubquery(*e)) return;  // a correlated subquery may read any column
    MarkColumns(*e, &wanted);
  }
  for (size_t k : scan.table->schema()->PrimaryKeyIndices())
    wanted[k] = true;
  if (std::find(wanted.begin(), wanted.end(), false) == wanted.end()) return;
  scan.wanted_columns = std::move(wanted);
}

void PushLimitIntoScan(PlanNode* limit) {
  if (!limit->limit || limit->limit->kind != BoundExprKind::kConstant ||
      limit->limit->value.is_null()) {
    return;
  }
  int64_t n = limit->limit->value.as_int64();
  if (limit->offset) {
    if (limit->offset->kind != BoundExprKind::kConstant || limit->offset->value.is_null()) return;
    n += limit->offset->value.as_int64();
  }
  if (n <= 0) return;
  PlanNode* child = limit->children[0].get();
  const PlanNode* sort = nullptr;
  if (child->kind == PlanKind::kSort) {
    sort = child;
    child = child->children[0].get();
  }
  const PlanNode* project = nullptr;
  if (child->kind == PlanKind::kProject) {
    project = child;
    child = child->children[0].get();
  }
  if (child->kind != PlanKind::kScan || child->filter) return;
  if (sort == nullptr) {
    child->scan_limit = static_cast<size_t>(n);
    return;
  }
  // Top-N: every sort key must be a plain column of the scan (through the projection).
  std::vector<HotSortKey> order;
  for (const SortKey& k : sort->sort_keys) {
    const BoundExpr* e = k.expr.get();
    if (e->kind != BoundExprKind::kColumn || e->outer_level != 0) return;
    if (project != nullptr) {
      e = project->exprs[e->column].get();
      if (e->kind != BoundExprKind::kColumn || e->outer_level != 0) return;
    }
    order.push_back(HotSortKey{e->column, k.descending, k.nulls_first});
  }
  child->scan_order = std::move(order);
  child->scan_top_n = static_cast<size_t>(n);
}

}  // namespace tenantdb::sql
