// MatchIndex and ChooseIndex (index_choice.h).
#include "sql/optimizer/index_choice.h"

#include "sql/optimizer/predicate_match.h"

namespace tenantdb::sql {

namespace {

BoundKeyBound Prefix(const std::vector<BoundExprPtr>& equal, const BoundExpr* last,
                     bool inclusive) {
  BoundKeyBound b;
  for (const auto& e : equal)
    b.key.push_back(e->Clone());
  if (last != nullptr) b.key.push_back(last->Clone());
  b.inclusive = inclusive;
  return b;
}

// A range on `column` (its first lower and first upper comparison) after the `equal`
// prefix; false when the conjuncts have none.
bool MatchRange(const std::vector<BoundExprPtr>& conjuncts, size_t column,
                const std::vector<BoundExprPtr>& equal, IndexChoice* choice) {
  const BoundExpr* low = nullptr;
  const BoundExpr* high = nullptr;
  bool low_inclusive = true, high_inclusive = true;
  for (const BoundExprPtr& c : conjuncts) {
    ScalarOp op;
    const BoundExpr* v = MatchColumnConstant(*c, column, &op);
    if (v == nullptr) continue;
    if ((op == ScalarOp::kGreater || op == ScalarOp::kGreaterEqual) && low == nullptr) {
      low = v;
      low_inclusive = op == ScalarOp::kGreaterEqual;
    } else if ((op == ScalarOp::kLess || op == ScalarOp::kLessEqual) && high == nullptr) {
      high = v;
      high_inclusive = op == ScalarOp::kLessEqual;
    }
  }
  if (low == nullptr && high == nullptr) return false;
  // The side without a comparison is bounded by the equalities alone (if any).
  if (low != nullptr) {
    choice->lower = Prefix(equal, low, low_inclusive);
  } else if (!equal.empty()) {
    choice->lower = Prefix(equal, nullptr, true);
  }
  if (high != nullptr) {
    choice->upper = Prefix(equal, high, high_inclusive);
  } else if (!equal.empty()) {
    choice->upper = Prefix(equal, nullptr, true);
  }
  return true;
}

}  // namespace

std::optional<IndexMatch> MatchIndex(const ScanNode& scan, const HotIndex& index,
                                     const std::vector<BoundExprPtr>& conjuncts) {
  if (!index.ready) return std::nullopt;
  auto positions = IndexColumnPositions(index, *scan.table->schema());
  if (!positions.ok() || positions->empty()) return std::nullopt;
  IndexMatch m;
  m.choice.index = index;
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
    m.equal_columns.push_back(column);
  }
  const size_t k = equal.size();
  if (k > 0) {
    m.rank = 3 + 2 * k;
    if (k < positions->size() && MatchRange(conjuncts, (*positions)[k], equal, &m.choice)) {
      m.rank += 1;
    } else {
      m.choice.points.push_back(std::move(equal));
    }
    return m;
  }
  const size_t first = positions->front();
  for (const BoundExprPtr& c : conjuncts) {
    std::vector<const BoundExpr*> values = MatchInList(*c, first);
    if (values.empty()) continue;
    for (const BoundExpr* v : values) {
      std::vector<BoundExprPtr> point;
      point.push_back(v->Clone());
      m.choice.points.push_back(std::move(point));
    }
    m.one_range = m.choice.points.size() == 1;
    m.rank = 2;
    return m;
  }
  if (MatchRange(conjuncts, first, equal, &m.choice)) m.rank = 1;
  return m;
}

std::optional<IndexChoice> ChooseIndex(const ScanNode& scan,
                                       const std::vector<BoundExprPtr>& conjuncts) {
  if (scan.indexes == nullptr) return std::nullopt;
  std::optional<IndexChoice> best;
  size_t best_rank = 0;
  for (const HotIndex& index : *scan.indexes) {
    std::optional<IndexMatch> m = MatchIndex(scan, index, conjuncts);
    if (!m || m->rank <= best_rank) continue;
    best_rank = m->rank;
    best = std::move(m->choice);
  }
  return best;
}

}  // namespace tenantdb::sql
