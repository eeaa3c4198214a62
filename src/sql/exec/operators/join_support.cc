#include "sql/exec/operators/join_support.h"

#include "sql/exec/expression_evaluator.h"
#include "sql/exec/row_key.h"

namespace tenantdb::sql {

Result<std::vector<const ColumnVector*>> EvaluateViews(
    const std::vector<BoundExprPtr>& exprs, const Batch& batch, ExecContext& ctx,
    std::vector<std::optional<ColumnVector>>* storage) {
  storage->clear();
  storage->resize(exprs.size());
  std::vector<const ColumnVector*> out(exprs.size());
  for (size_t i = 0; i < exprs.size(); ++i) {
    TDB_ASSIGN_OR_RETURN(out[i], EvaluateView(*exprs[i], batch, ctx, &(*storage)[i]));
  }
  return out;
}

bool JoinKeyBytes(const std::vector<const ColumnVector*>& keys, size_t row, std::string* out) {
  out->clear();
  for (const ColumnVector* c : keys) {
    if (c->IsNull(row)) return false;
    AppendKeyValue(*c, row, out);
  }
  return true;
}

std::shared_ptr<const Schema> PairSchema(const JoinNode& join) {
  std::vector<Field> fields;
  for (const PlanNode* side : {join.children[0].get(), join.children[1].get()}) {
    for (const OutputColumn& c : side->columns)
      fields.push_back(Field{c.name, c.type, true, false, ""});
  }
  return std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
}

Batch PairRows(const std::shared_ptr<const Schema>& schema, const Batch& left,
               const std::vector<uint32_t>& lrows, const Batch& right,
               const std::vector<uint32_t>& rrows) {
  Batch out(schema);
  const size_t lw = left.num_columns();
  for (size_t c = 0; c < out.num_columns(); ++c) {
    ColumnVector& dst = out.mutable_column(c);
    if (c < lw) {
      dst.AppendRows(left.column(c), lrows);
    } else {
      dst.AppendRows(right.column(c - lw), rrows);
    }
  }
  return out;
}

Result<std::vector<uint32_t>> PassingPairs(const BoundExpr* condition, const Batch& pairs,
                                           ExecContext& ctx) {
  if (condition != nullptr && pairs.num_rows() > 0) {
    TDB_ASSIGN_OR_RETURN(ColumnVector keep, Evaluate(*condition, pairs, ctx));
    return SelectedRows(keep);
  }
  std::vector<uint32_t> all(pairs.num_rows());
  for (size_t i = 0; i < all.size(); ++i)
    all[i] = static_cast<uint32_t>(i);
  return all;
}

}  // namespace tenantdb::sql
