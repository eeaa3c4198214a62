// The write operators' shared steps; see write_support.h.
#include "sql/exec/operators/write_support.h"

#include "sql/exec/expression_evaluator.h"
#include "sql/planner/plan/scan_node.h"
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

// The Scan under a write's Filter chain, or null.
const ScanNode* ScanOfWrite(const PlanNode& input) {
  const PlanNode* node = &input;
  while (node->kind == PlanKind::kFilter && node->children.size() == 1)
    node = node->children[0].get();
  return node->kind == PlanKind::kScan ? static_cast<const ScanNode*>(node) : nullptr;
}

}  // namespace

Result<PointLock> LockPointFirst(const TableProvider& table, const PlanNode& input,
                                 ExecContext& ctx) {
  Transaction* txn = ctx.request.transaction;
  const ScanNode* scan = ScanOfWrite(input);
  if (ctx.request.row_locks == nullptr || txn == nullptr || scan == nullptr) return PointLock{};
  const std::vector<size_t> key_columns = table.schema()->PrimaryKeyIndices();
  if (!scan->lower || !scan->upper || !scan->lower->inclusive || !scan->upper->inclusive ||
      scan->lower->key.size() != key_columns.size() ||
      scan->upper->key.size() != key_columns.size()) {
    return PointLock{};
  }
  PointLock point;
  for (size_t i = 0; i < key_columns.size(); ++i) {
    TDB_ASSIGN_OR_RETURN(Value lower, EvaluateConstant(*scan->lower->key[i], ctx));
    TDB_ASSIGN_OR_RETURN(Value upper, EvaluateConstant(*scan->upper->key[i], ctx));
    // Only a key of the columns' own types names the row exactly as the read will.
    if (lower.is_null() || lower != upper ||
        lower.type() != table.schema()->field(key_columns[i]).type) {
      return PointLock{};
    }
    point.key.push_back(std::move(lower));
  }
  const UserId* owner = IsPerUser(table.type()) ? ctx.request.user : nullptr;
  TDB_ASSIGN_OR_RETURN(point.newly_taken,
                       txn->LockRow(ctx.request.row_locks, table, owner, point.key, ctx.cancel,
                                    ctx.request.lock_timeout));
  return point;
}

Result<Batch> LockMatchedRows(const TableProvider& table, const PlanNode& input, Batch matched,
                              ExecContext& ctx, const PointLock& point) {
  Transaction* txn = ctx.request.transaction;
  if (ctx.request.row_locks == nullptr || txn == nullptr) return matched;
  const UserId* owner = IsPerUser(table.type()) ? ctx.request.user : nullptr;
  bool point_used = false;
  // A point lock whose row was not read locks nothing (PostgreSQL locks only rows found).
  auto release_unused_point = [&]() -> Status {
    if (point.key.empty() || !point.newly_taken || point_used) return Status::Ok();
    return txn->UnlockRow(table, owner, point.key);
  };
  if (matched.num_rows() == 0) {
    TDB_RETURN_IF_ERROR(release_unused_point());
    return matched;
  }
  std::vector<const BoundExpr*> predicates;
  const bool known_shape = CollectPredicates(input, &predicates);
  Batch out(matched.schema());
  for (size_t r = 0; r < matched.num_rows(); ++r) {
    std::vector<Value> row = matched.GetRow(r);
    std::vector<Value> key = KeyOf(table, row);
    if (!point.key.empty() && key == point.key) {
      point_used = true;  // read under its lock: the newest version already
      TDB_RETURN_IF_ERROR(out.AppendRow(row));
      continue;
    }
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
  TDB_RETURN_IF_ERROR(release_unused_point());
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

Status CheckConstraints(const ColumnDefaults* checks, const TableEntry& table,
                        const std::vector<Value>& row, ExecContext& ctx) {
  if (checks == nullptr || checks->checks.empty()) return Status::Ok();
  Batch one(table.schema());
  TDB_RETURN_IF_ERROR(one.AppendRow(row));
  for (const BoundCheck& check : checks->checks) {
    TDB_ASSIGN_OR_RETURN(Value ok, EvaluateRow(*check.condition, one, 0, ctx));
    if (ok.is_null() || ok.as_bool()) continue;
    std::string values;
    bool first = true;
    for (size_t i = 0; i < row.size(); ++i) {
      if (table.schema()->field(i).name == kRowIdColumn) continue;  // hidden, as from `*`
      values += (first ? "" : ", ") + (row[i].is_null() ? "null" : row[i].ToString());
      first = false;
    }
    return Status(ErrorCode::kCheckViolation,
                  "new row for relation \"" + std::string(table.id().table().str()) +
                      "\" violates check constraint \"" + check.name + "\"")
        .WithDetail("Failing row contains (" + values + ").");
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
