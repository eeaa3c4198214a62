#include "sql/planner/column_defaults.h"

#include "sql/parser/parser.h"
#include "sql/planner/binder.h"
#include "sql/planner/error_position.h"

namespace tenantdb::sql {

namespace {

// Whether `e` binds the same for every statement (see column_defaults.h).
bool StatementIndependent(const BoundExpr& e) {
  if (e.kind == BoundExprKind::kSubquery || e.kind == BoundExprKind::kParameter) return false;
  if (e.kind == BoundExprKind::kConstant &&
      (e.name == "current_user" || e.name == "user" || e.name == "session_user" ||
       e.name == "current_role")) {
    return false;
  }
  for (const auto& c : e.children)
    if (!StatementIndependent(*c)) return false;
  return true;
}

uint64_t SlotKey(const TableEntry& table) {
  return (uint64_t{table.table_number()} << 32) | table.schema_version();
}

}  // namespace

Result<BoundExprPtr> BindColumnDefault(const Field& field, Binder& binder) {
  if (field.default_expr.empty()) return MakeConstant(Value::Null(field.type));
  TDB_ASSIGN_OR_RETURN(StatementPtr stmt, ParseStatement("SELECT " + field.default_expr));
  if (stmt->kind != StatementKind::kSelect ||
      static_cast<const SelectStmt&>(*stmt).targets.size() != 1) {
    return Status(ErrorCode::kCorruption, "column \"" + field.name + "\" has a malformed DEFAULT");
  }
  const auto& select = static_cast<const SelectStmt&>(*stmt);
  auto bound = binder.BindAssigned(*select.targets[0].expr, {}, field);
  if (!bound.ok()) return WithoutPosition(bound.status());
  return bound;
}

Result<BoundExprPtr> BindWrittenDefault(const Expr& expr, const Field& field, Binder& binder) {
  return binder.BindAssigned(expr, {}, field);
}

Result<BoundExprPtr> BindStoredCheck(const TableEntry& table, const CheckConstraint& check,
                                     Binder& binder) {
  TDB_ASSIGN_OR_RETURN(StatementPtr stmt, ParseStatement("SELECT " + check.expr));
  if (stmt->kind != StatementKind::kSelect ||
      static_cast<const SelectStmt&>(*stmt).targets.size() != 1) {
    return Status(ErrorCode::kCorruption, "check constraint \"" + check.name + "\" is malformed");
  }
  const auto& select = static_cast<const SelectStmt&>(*stmt);
  auto bound = binder.BindCheck(*select.targets[0].expr,
                                Binder::TableColumns(table, std::string(table.id().table().str())));
  if (!bound.ok()) return WithoutPosition(bound.status());
  return bound;
}

Result<ColumnDefaultsRef> BindColumnDefaults(const TableEntry& table, Binder& binder) {
  auto defaults = std::make_shared<ColumnDefaults>();
  defaults->exprs.reserve(table.schema()->num_fields());
  for (const Field& f : table.schema()->fields()) {
    TDB_ASSIGN_OR_RETURN(BoundExprPtr d, BindColumnDefault(f, binder));
    defaults->exprs.push_back(std::move(d));
  }
  const CheckRegistry* registry = binder.context().checks;
  if (CheckList checks = registry != nullptr ? registry->Get(table.table_number()) : nullptr) {
    for (const CheckConstraint& check : *checks) {
      TDB_ASSIGN_OR_RETURN(BoundExprPtr condition, BindStoredCheck(table, check, binder));
      defaults->checks.push_back(BoundCheck{check.name, std::move(condition)});
    }
  }
  return ColumnDefaultsRef(std::move(defaults));
}

Result<ColumnDefaultsRef> ColumnDefaultCache::Get(const TableEntry& table, Binder& binder) {
  const uint64_t key = SlotKey(table);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = slots_.find(key);
    if (it != slots_.end() && it->second.schema == table.schema()) return it->second.defaults;
  }
  // Bound outside the lock: binding parses text. Two statements missing at once both
  // bind; the second store wins, and both results are equal.
  binds_.fetch_add(1, std::memory_order_relaxed);
  TDB_ASSIGN_OR_RETURN(ColumnDefaultsRef defaults, BindColumnDefaults(table, binder));
  for (const auto& e : defaults->exprs)
    if (!StatementIndependent(*e)) return defaults;
  for (const BoundCheck& c : defaults->checks)
    if (!StatementIndependent(*c.condition)) return defaults;
  std::lock_guard<std::mutex> lock(mu_);
  if (slots_.size() >= capacity_ && !slots_.contains(key)) slots_.erase(slots_.begin());
  slots_[key] = Slot{table.schema(), defaults};
  return defaults;
}

size_t ColumnDefaultCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return slots_.size();
}

}  // namespace tenantdb::sql
