// The write operators' shared steps; see write_support.h.
#include "sql/exec/operators/write_support.h"

#include "sql/exec/expression_evaluator.h"
#include "tables/transaction.h"

namespace tenantdb::sql {

namespace {

// The predicates of a write's input (binder_dml.cc's ScanForWrite, optimized: a Filter
// over a Scan, or a Scan with key bounds and a residual filter). False for another shape.
// Key bounds need no re-check: a locked row keeps its key.
bool CollectPredicates(const PlanNode& input, std::vector<const BoundExpr*>* out) {
  const PlanNode* node = &input;
  while (node->kind == PlanKind::kFilter) {
    out->push_back(static_cast<const FilterNode*>(node)->predicate.get());
    if (node->children.size() != 1) return false;
    node = node->children[0].get();
  }
  if (node->kind != PlanKind::kScan) return false;
  if (const auto* scan = static_cast<const ScanNode*>(node); scan->filter != nullptr) {
    out->push_back(scan->filter.get());
  }
  return true;
}

}  // namespace

Result<Batch> LockMatchedRows(const TableProvider& table, const PlanNode& input, Batch matched,
                              ExecContext& ctx) {
  Transaction* txn = ctx.request.transaction;
  if (ctx.request.row_locks == nullptr || txn == nullptr || matched.num_rows() == 0) {
    return matched;
  }
  const UserId* owner = IsPerUser(table.type()) ? ctx.request.user : nullptr;
  std::vector<const BoundExpr*> predicates;
  const bool known_shape = CollectPredicates(input, &predicates);
  Batch out(matched.schema());
  for (size_t r = 0; r < matched.num_rows(); ++r) {
    std::vector<Value> row = matched.GetRow(r);
    std::vector<Value> key = KeyOf(table, row);
    TDB_ASSIGN_OR_RETURN(bool taken, txn->LockRow(ctx.request.row_locks, table, owner, key,
                                                  ctx.cancel, ctx.request.lock_timeout));
    if (taken) {
      TDB_ASSIGN_OR_RETURN(std::optional<std::vector<Value>> current, table.Get(ctx.request, key));
      if (!current.has_value()) continue;  // deleted by the transaction we waited for
      if (*current != row) {
        if (!known_shape) {
          return Status(ErrorCode::kSerializationFailure,
                        "could not serialize access due to concurrent update of a row of " +
                            table.id().ToString());
        }
        Batch one(matched.schema());
        TDB_RETURN_IF_ERROR(one.AppendRow(*current));
        bool matches = true;
        for (const BoundExpr* predicate : predicates) {
          TDB_ASSIGN_OR_RETURN(ColumnVector keep, Evaluate(*predicate, one, ctx));
          if (SelectedRows(keep).empty()) {
            matches = false;
            break;
          }
        }
        if (!matches) continue;
        row = std::move(*current);
      }
    }
    TDB_RETURN_IF_ERROR(out.AppendRow(row));
  }
  return out;
}

Status CheckNotNull(const TableEntry& table, const std::vector<Value>& row) {
  const Schema& schema = *table.schema();
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i].is_null() && !schema.field(i).nullable) {
      return Status(ErrorCode::kNotNullViolation, "null value in column \"" + schema.field(i).name +
                                                      "\" of relation \"" + table.id().ToString() +
                                                      "\" violates not-null constraint");
    }
  }
  return Status::Ok();
}

std::vector<Value> KeyOf(const TableEntry& table, const std::vector<Value>& row) {
  std::vector<Value> key;
  for (size_t k : table.schema()->PrimaryKeyIndices())
    key.push_back(row[k]);
  return key;
}

Batch RowsBatch(const TableEntry& table, const std::vector<std::vector<Value>>& rows) {
  Batch b(table.schema());
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c)
      b.mutable_column(c).Append(row[c]);
  }
  return b;
}

Result<std::optional<Batch>> Returning(const std::vector<BoundExprPtr>& returning,
                                       const std::shared_ptr<const Schema>& schema,
                                       const Batch& rows, ExecContext& ctx) {
  if (returning.empty() || rows.num_rows() == 0) return std::optional<Batch>();
  Batch out(schema);
  for (size_t i = 0; i < returning.size(); ++i) {
    TDB_ASSIGN_OR_RETURN(out.mutable_column(i), Evaluate(*returning[i], rows, ctx));
  }
  return std::optional<Batch>(std::move(out));
}

}  // namespace tenantdb::sql
