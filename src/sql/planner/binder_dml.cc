// INSERT, UPDATE and DELETE binding: the target table and columns, the rows (VALUES with
// DEFAULT, a query, DEFAULT VALUES), assignments, ON CONFLICT, WHERE and RETURNING, into
// InsertNode / UpdateNode / DeleteNode. The table's DEFAULTs come bound from the
// ColumnDefaultCache (column_defaults.h), once per table version.
#include <algorithm>

#include "sql/function/scalar_functions.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"
#include "sql/planner/name_suggestion.h"

namespace tenantdb::sql {

namespace {

std::string TableText(const TableEntry& table) {
  return table.id().ToString();
}

Status UndefinedTargetColumn(const std::string& column, const TableEntry& table) {
  std::vector<std::string> candidates;
  for (const Field& f : table.schema()->fields())
    if (f.name != kRowIdColumn) candidates.push_back(f.name);
  return Status(ErrorCode::kUndefinedColumn,
                WithSuggestion("column \"" + column + "\" of relation \"" + TableText(table) +
                                   "\" does not exist",
                               column, candidates));
}

// `SET a = x, b = DEFAULT`: each assignment bound over `columns` as the column's type.
Result<std::vector<std::pair<size_t, BoundExprPtr>>> BindAssignments(
    Binder& binder, const std::vector<Assignment>& assignments, const TableEntry& table,
    const std::vector<OutputColumn>& columns, const ColumnDefaults& defaults, bool reject_repeats) {
  const Schema& schema = *table.schema();
  std::vector<std::pair<size_t, BoundExprPtr>> sets;
  for (const Assignment& a : assignments) {
    std::optional<size_t> index = schema.FieldIndex(a.column);
    if (!index.has_value()) return UndefinedTargetColumn(a.column, table);
    if (reject_repeats) {
      for (const auto& s : sets) {
        if (s.first == *index) {
          return Status(ErrorCode::kSyntaxError,
                        "multiple assignments to same column \"" + a.column + "\"");
        }
      }
    }
    BoundExprPtr e;
    if (a.value->kind == ExprKind::kDefault) {
      e = defaults.exprs[*index]->Clone();
    } else {
      TDB_ASSIGN_OR_RETURN(e, binder.BindAssigned(*a.value, columns, schema.field(*index)));
    }
    sets.emplace_back(*index, std::move(e));
  }
  return sets;
}

}  // namespace

Result<TableProviderRef> Binder::WritableTable(const TableName& name, bool reads) {
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, ResolveTable(name));
  if (context_.request != nullptr) {
    TDB_RETURN_IF_ERROR(table->CheckWrite(*context_.request));
    if (reads) TDB_RETURN_IF_ERROR(table->CheckRead(*context_.request));
  }
  return table;
}

Result<ColumnDefaultsRef> Binder::DefaultsOf(const TableEntry& table) {
  if (context_.defaults != nullptr) return context_.defaults->Get(table, *this);
  return BindColumnDefaults(table, *this);
}

Result<std::vector<BoundExprPtr>> Binder::BindReturning(const std::vector<SelectItem>& items,
                                                        const std::vector<OutputColumn>& columns,
                                                        PlanNode* node) {
  std::vector<BoundExprPtr> exprs;
  for (const SelectItem& item : items) {
    if (item.expr->kind == ExprKind::kStar) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].hidden) continue;
        exprs.push_back(MakeColumn(i, columns[i].type, columns[i].name));
        node->columns.push_back(OutputColumn{columns[i].name, columns[i].type, "", false});
      }
      continue;
    }
    TDB_ASSIGN_OR_RETURN(BoundExprPtr e, BindRowExpr(*item.expr, columns));
    if (e->unknown_type) {
      TDB_ASSIGN_OR_RETURN(e, CoerceForAssignment(std::move(e), DataType::kText, "RETURNING"));
    }
    node->columns.push_back(
        OutputColumn{item.alias.empty() ? OutputName(*item.expr) : item.alias, e->type, "", false});
    exprs.push_back(std::move(e));
  }
  node->Finish();
  return exprs;
}

// The rows of `table` matching `where` (all when null), in table layout: a Filter over a
// Scan, which the optimizer folds into the scan (key bounds, residual filter).
Result<PlanPtr> Binder::ScanForWrite(const TableProviderRef& table, const std::string& alias,
                                     const Expr* where) {
  auto scan = std::make_unique<ScanNode>();
  scan->columns = TableColumns(*table, alias);
  scan->table = table;
  if (context_.indexes != nullptr) {
    scan->indexes = context_.indexes->Get(scan->table->table_number());
  }
  scan->Finish();
  PlanPtr plan = std::move(scan);
  if (where == nullptr) return plan;
  TDB_ASSIGN_OR_RETURN(BoundExprPtr predicate, BindRowExpr(*where, plan->columns));
  if (predicate->unknown_type || predicate->type != DataType::kBoolean) {
    TDB_ASSIGN_OR_RETURN(predicate,
                         CoerceForAssignment(std::move(predicate), DataType::kBoolean, "WHERE"));
  }
  return MakeFilter(std::move(plan), std::move(predicate));
}

Result<PlanPtr> Binder::BindInsert(const InsertStmt& stmt) {
  if (stmt.with == nullptr) return BindInsertNoWith(stmt);
  return BindWith(*stmt.with, nullptr, [&] { return BindInsertNoWith(stmt); });
}

Result<PlanPtr> Binder::BindUpdate(const UpdateStmt& stmt) {
  if (stmt.with == nullptr) return BindUpdateNoWith(stmt);
  return BindWith(*stmt.with, nullptr, [&] { return BindUpdateNoWith(stmt); });
}

Result<PlanPtr> Binder::BindDelete(const DeleteStmt& stmt) {
  if (stmt.with == nullptr) return BindDeleteNoWith(stmt);
  return BindWith(*stmt.with, nullptr, [&] { return BindDeleteNoWith(stmt); });
}

Result<PlanPtr> Binder::BindInsertNoWith(const InsertStmt& stmt) {
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, WritableTable(stmt.table, /*reads=*/false));
  const Schema& schema = *table->schema();
  const std::string alias = stmt.alias.empty() ? stmt.table.name : stmt.alias;
  auto node = std::make_unique<InsertNode>();
  node->table = table;

  // Target columns.
  std::vector<size_t>& targets = node->targets;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < schema.num_fields(); ++i)
      if (schema.field(i).name != kRowIdColumn) targets.push_back(i);
  } else {
    for (const std::string& name : stmt.columns) {
      std::optional<size_t> index = schema.FieldIndex(name);
      if (!index.has_value()) return UndefinedTargetColumn(name, *table);
      if (std::find(targets.begin(), targets.end(), *index) != targets.end()) {
        return Status(ErrorCode::kSyntaxError, "column \"" + name + "\" specified more than once");
      }
      targets.push_back(*index);
    }
  }
  TDB_ASSIGN_OR_RETURN(node->defaults, DefaultsOf(*table));

  // The rows.
  const SelectStmt* source = stmt.source.get();
  const bool plain_values = source != nullptr && !source->values.empty() &&
                            source->order_by.empty() && !source->limit && !source->offset;
  // Without a column list, PostgreSQL's INSERT fills the first columns and leaves the
  // rest to their defaults: the targets are as many as the rows are wide.
  const bool implicit_targets = stmt.columns.empty();
  if (plain_values) {
    const size_t width = source->values[0].size();
    if (implicit_targets && width < targets.size()) targets.resize(width);
    node->values.reserve(source->values.size());
    for (const auto& exprs : source->values) {
      if (exprs.size() != width) {
        return Status(ErrorCode::kSyntaxError, "VALUES lists must all be the same length");
      }
      if (exprs.size() > targets.size()) {
        return Status(ErrorCode::kSyntaxError, "INSERT has more expressions than target columns");
      }
      if (exprs.size() < targets.size()) {
        return Status(ErrorCode::kSyntaxError, "INSERT has more target columns than expressions");
      }
      std::vector<BoundExprPtr> row;
      row.reserve(exprs.size());
      for (size_t i = 0; i < exprs.size(); ++i) {
        if (exprs[i]->kind == ExprKind::kDefault) {
          row.push_back(nullptr);
          continue;
        }
        const Field& field = schema.field(targets[i]);
        TDB_ASSIGN_OR_RETURN(BoundExprPtr e, BindAssigned(*exprs[i], {}, field));
        row.push_back(std::move(e));
      }
      node->values.push_back(std::move(row));
    }
  } else if (source != nullptr) {
    // Untyped literals and NULLs of the query take the target columns' types, as
    // PostgreSQL resolves `INSERT INTO t (ts) SELECT '2024-01-31'`.
    insert_types_.clear();
    for (size_t t : targets)
      insert_types_.push_back(schema.field(t).type);
    Result<PlanPtr> bound = BindSelect(*source, nullptr);
    insert_types_.clear();
    TDB_ASSIGN_OR_RETURN(PlanPtr plan, std::move(bound));
    if (implicit_targets && plan->columns.size() < targets.size()) {
      targets.resize(plan->columns.size());
    }
    if (plan->columns.size() != targets.size()) {
      return Status(ErrorCode::kSyntaxError,
                    plan->columns.size() > targets.size()
                        ? "INSERT has more expressions than target columns"
                        : "INSERT has more target columns than expressions");
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      const Field& field = schema.field(targets[i]);
      TDB_ASSIGN_OR_RETURN(
          BoundExprPtr c,
          CoerceToColumn(MakeColumn(i, plan->columns[i].type, plan->columns[i].name), field));
      node->source_casts.push_back(std::move(c));
    }
    node->children.push_back(std::move(plan));
  }

  // ON CONFLICT ... DO UPDATE: assignments see the table's columns and EXCLUDED.*.
  if (stmt.on_conflict.has_value()) {
    const OnConflict& oc = *stmt.on_conflict;
    if (!oc.columns.empty()) {
      std::vector<std::string> key_names;
      for (size_t k : schema.PrimaryKeyIndices())
        key_names.push_back(schema.field(k).name);
      std::vector<std::string> given = oc.columns;
      std::sort(given.begin(), given.end());
      std::sort(key_names.begin(), key_names.end());
      if (given != key_names || schema.field(0).name == kRowIdColumn) {
        return Status(ErrorCode::kInvalidArgument,
                      "there is no unique or exclusion constraint matching the ON CONFLICT "
                      "specification; tenantdb checks conflicts on the primary key");
      }
    }
    node->on_conflict = oc.action == OnConflictAction::kDoUpdate ? ConflictAction::kDoUpdate
                                                                 : ConflictAction::kDoNothing;
    if (oc.action == OnConflictAction::kDoUpdate) {
      std::vector<OutputColumn> columns = TableColumns(*table, alias);
      for (OutputColumn c : TableColumns(*table, "excluded"))
        columns.push_back(std::move(c));
      TDB_ASSIGN_OR_RETURN(node->conflict_sets,
                           BindAssignments(*this, oc.assignments, *table, columns, *node->defaults,
                                           /*reject_repeats=*/false));
      if (oc.where) {
        TDB_ASSIGN_OR_RETURN(node->conflict_where, BindRowExpr(*oc.where, columns));
      }
      std::vector<Field> fields;
      for (const OutputColumn& c : columns)
        fields.push_back(Field{c.name, c.type, true, false, ""});
      node->conflict_schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
    }
  }
  TDB_ASSIGN_OR_RETURN(node->returning,
                       BindReturning(stmt.returning, TableColumns(*table, alias), node.get()));
  FinishParameters();
  return PlanPtr(std::move(node));
}

Result<PlanPtr> Binder::BindUpdateNoWith(const UpdateStmt& stmt) {
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, WritableTable(stmt.table, /*reads=*/true));
  const std::string alias = stmt.alias.empty() ? stmt.table.name : stmt.alias;
  const std::vector<OutputColumn> columns = TableColumns(*table, alias);
  auto node = std::make_unique<UpdateNode>();
  node->table = table;
  // Defaults only when an assignment asks for one or the table has CHECK constraints
  // (bound with them): most UPDATEs need neither.
  ColumnDefaultsRef defaults;
  bool needs_defaults =
      context_.checks != nullptr && context_.checks->Get(table->table_number()) != nullptr;
  for (const Assignment& a : stmt.assignments)
    needs_defaults |= a.value->kind == ExprKind::kDefault;
  if (needs_defaults) {
    TDB_ASSIGN_OR_RETURN(defaults, DefaultsOf(*table));
    if (!defaults->checks.empty()) node->checks = defaults;
  }
  const ColumnDefaults none;
  TDB_ASSIGN_OR_RETURN(node->sets,
                       BindAssignments(*this, stmt.assignments, *table, columns,
                                       defaults ? *defaults : none, /*reject_repeats=*/true));
  TDB_ASSIGN_OR_RETURN(PlanPtr rows, ScanForWrite(table, alias, stmt.where.get()));
  node->children.push_back(std::move(rows));
  TDB_ASSIGN_OR_RETURN(node->returning, BindReturning(stmt.returning, columns, node.get()));
  FinishParameters();
  return PlanPtr(std::move(node));
}

Result<PlanPtr> Binder::BindDeleteNoWith(const DeleteStmt& stmt) {
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, WritableTable(stmt.table, /*reads=*/true));
  const std::string alias = stmt.alias.empty() ? stmt.table.name : stmt.alias;
  auto node = std::make_unique<DeleteNode>();
  node->table = table;
  TDB_ASSIGN_OR_RETURN(PlanPtr rows, ScanForWrite(table, alias, stmt.where.get()));
  node->children.push_back(std::move(rows));
  TDB_ASSIGN_OR_RETURN(node->returning,
                       BindReturning(stmt.returning, TableColumns(*table, alias), node.get()));
  FinishParameters();
  return PlanPtr(std::move(node));
}

// Row expressions: DML's WHERE, SET and RETURNING, and DEFAULT expressions.
Result<BoundExprPtr> Binder::BindRowExpr(const Expr& expr,
                                         const std::vector<OutputColumn>& columns) {
  Scope scope;
  scope.columns = &columns;
  scope.clause = "this context";
  return BindExpr(expr, scope);
}

namespace {

// The first subquery or volatile function call in `e`, as an error (CHECK refuses both).
Status RefuseInCheck(const BoundExpr& e) {
  if (e.kind == BoundExprKind::kSubquery) {
    return Status(ErrorCode::kFeatureNotSupported, "cannot use subquery in check constraint");
  }
  if (e.kind == BoundExprKind::kFunction && e.function != nullptr && e.function->is_volatile) {
    return Status(
        ErrorCode::kFeatureNotSupported,
        "cannot use volatile function " + std::string(e.function->name) + "() in check constraint");
  }
  for (const auto& c : e.children)
    TDB_RETURN_IF_ERROR(RefuseInCheck(*c));
  return Status::Ok();
}

}  // namespace

Result<BoundExprPtr> Binder::BindCheck(const Expr& expr, const std::vector<OutputColumn>& columns) {
  Scope scope;
  scope.columns = &columns;
  scope.clause = "check constraints";  // "aggregate functions are not allowed in ..."
  TDB_ASSIGN_OR_RETURN(BoundExprPtr bound, BindExpr(expr, scope));
  if (Status refused = RefuseInCheck(*bound); !refused.ok()) {
    return AtPosition(refused, expr.location);
  }
  if (bound->unknown_type) {
    return Coerce(std::move(bound), DataType::kBoolean, CoercionKind::kImplicit,
                  context_.parameter_types, "argument of CHECK");
  }
  if (bound->type != DataType::kBoolean) {
    return AtPosition(
        Status(ErrorCode::kTypeMismatch,
               "argument of CHECK must be type boolean, not type " + TypeText(*bound)),
        expr.location);
  }
  return bound;
}

Result<BoundExprPtr> Binder::BindAssigned(const Expr& expr,
                                          const std::vector<OutputColumn>& columns,
                                          const Field& field) {
  TDB_ASSIGN_OR_RETURN(BoundExprPtr bound, BindRowExpr(expr, columns));
  Result<BoundExprPtr> assigned = CoerceToColumn(std::move(bound), field);
  if (!assigned.ok()) return AtPosition(assigned.status(), expr.location);
  return assigned;
}

Result<BoundExprPtr> Binder::CoerceForAssignment(BoundExprPtr expr, DataType type,
                                                 const std::string& column_name) {
  return Coerce(std::move(expr), type, CoercionKind::kAssignment, context_.parameter_types,
                "column \"" + column_name + "\"");
}

Result<BoundExprPtr> Binder::CoerceToColumn(BoundExprPtr expr, const Field& field) {
  TDB_ASSIGN_OR_RETURN(expr, CoerceForAssignment(std::move(expr), field.type, field.name));
  return ApplyNumericTypmod(std::move(expr), field.numeric_precision, field.numeric_scale);
}

}  // namespace tenantdb::sql
