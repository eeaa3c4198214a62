#include "sql/exec/dml_executor.h"

#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/function/cast.h"
#include "sql/optimizer/optimizer.h"
#include "sql/parser/parser.h"

namespace tenantdb::sql {

namespace {

std::string TableText(const TableEntry& table) {
  return table.id().ToString();
}

Status CheckNotNull(const TableEntry& table, const std::vector<Value>& row) {
  const Schema& schema = *table.schema();
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i].is_null() && !schema.field(i).nullable) {
      return Status(ErrorCode::kNotNullViolation, "null value in column \"" + schema.field(i).name +
                                                      "\" of relation \"" + TableText(table) +
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

// Evaluates RETURNING over `rows` (full rows in table layout).
Result<QueryResult> Returning(const std::vector<SelectItem>& items, const TableEntry& table,
                              const std::string& alias, const Batch& rows, Binder& binder,
                              ExecContext& ctx, std::string tag, uint64_t affected) {
  QueryResult result;
  result.command_tag = std::move(tag);
  result.rows_affected = affected;
  if (items.empty()) return result;
  const std::vector<OutputColumn> columns = Binder::TableColumns(table, alias);
  std::vector<BoundExprPtr> exprs;
  std::vector<Field> fields;
  for (const SelectItem& item : items) {
    if (item.expr->kind == ExprKind::kStar) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].hidden) continue;
        exprs.push_back(MakeColumn(i, columns[i].type, columns[i].name));
        fields.push_back(Field{columns[i].name, columns[i].type, true, false, ""});
      }
      continue;
    }
    TDB_ASSIGN_OR_RETURN(BoundExprPtr e, binder.BindRowExpr(*item.expr, columns));
    if (e->unknown_type) {
      TDB_ASSIGN_OR_RETURN(e,
                           binder.CoerceForAssignment(std::move(e), DataType::kText, "RETURNING"));
    }
    fields.push_back(
        Field{item.alias.empty() ? OutputName(*item.expr) : item.alias, e->type, true, false, ""});
    exprs.push_back(std::move(e));
  }
  result.schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
  Batch out(result.schema);
  for (size_t i = 0; i < exprs.size(); ++i) {
    TDB_ASSIGN_OR_RETURN(out.mutable_column(i), Evaluate(*exprs[i], rows, ctx));
  }
  if (out.num_rows() > 0) result.batches.push_back(std::move(out));
  return result;
}

Batch RowsBatch(const TableEntry& table, const std::vector<std::vector<Value>>& rows) {
  Batch b(table.schema());
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c)
      b.mutable_column(c).Append(row[c]);
  }
  return b;
}

// The live rows of `table` matching `where` (all rows when null), in table layout,
// charged to `charge` while the statement holds them.
Result<Batch> MatchingRows(const TableProviderRef& table, const std::string& alias,
                           const Expr* where, Binder& binder, ExecContext& ctx,
                           MemoryReservation* charge) {
  auto scan = std::make_unique<ScanNode>();
  scan->columns = Binder::TableColumns(*table, alias);
  scan->table = table;
  scan->Finish();
  PlanPtr plan = std::move(scan);
  if (where != nullptr) {
    TDB_ASSIGN_OR_RETURN(BoundExprPtr predicate, binder.BindRowExpr(*where, plan->columns));
    if (predicate->unknown_type || predicate->type != DataType::kBoolean) {
      TDB_ASSIGN_OR_RETURN(
          predicate, binder.CoerceForAssignment(std::move(predicate), DataType::kBoolean, "WHERE"));
    }
    plan = MakeFilter(std::move(plan), std::move(predicate));
    Optimize(&plan);
  }
  TDB_ASSIGN_OR_RETURN(OperatorPtr op, BuildOperator(*plan, ctx));
  return Drain(*op, table->schema(), ctx, charge);
}

// The writable table a DML statement names.
Result<TableProviderRef> WritableTable(const TableName& name, Binder& binder, ExecContext& ctx) {
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, binder.ResolveTable(name));
  TDB_RETURN_IF_ERROR(table->CheckWrite(ctx.request));
  return table;
}

Result<std::vector<BoundExprPtr>> BindDefaults(const TableEntry& table, Binder& binder) {
  std::vector<BoundExprPtr> defaults;
  for (const Field& f : table.schema()->fields()) {
    TDB_ASSIGN_OR_RETURN(BoundExprPtr d, BindColumnDefault(f, binder));
    defaults.push_back(std::move(d));
  }
  return defaults;
}

}  // namespace

Result<BoundExprPtr> BindColumnDefault(const Field& field, Binder& binder) {
  if (field.default_expr.empty()) return MakeConstant(Value::Null(field.type));
  TDB_ASSIGN_OR_RETURN(StatementPtr stmt, ParseStatement("SELECT " + field.default_expr));
  const auto& select = static_cast<const SelectStmt&>(*stmt);
  if (select.targets.size() != 1) {
    return Status(ErrorCode::kCorruption, "column \"" + field.name + "\" has a malformed DEFAULT");
  }
  return binder.BindAssigned(*select.targets[0].expr, {}, field.type, field.name);
}

Result<QueryResult> ExecuteInsert(const InsertStmt& stmt, Binder& binder, ExecContext& ctx,
                                  const DmlOptions& options) {
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, WritableTable(stmt.table, binder, ctx));
  const Schema& schema = *table->schema();
  const std::string alias = stmt.alias.empty() ? stmt.table.name : stmt.alias;

  // Target columns.
  std::vector<size_t> targets;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < schema.num_fields(); ++i)
      if (schema.field(i).name != kRowIdColumn) targets.push_back(i);
  } else {
    for (const std::string& name : stmt.columns) {
      std::optional<size_t> index = schema.FieldIndex(name);
      if (!index.has_value()) {
        return Status(ErrorCode::kUndefinedColumn, "column \"" + name + "\" of relation \"" +
                                                       TableText(*table) + "\" does not exist");
      }
      for (size_t t : targets) {
        if (t == *index) {
          return Status(ErrorCode::kSyntaxError,
                        "column \"" + name + "\" specified more than once");
        }
      }
      targets.push_back(*index);
    }
  }
  TDB_ASSIGN_OR_RETURN(std::vector<BoundExprPtr> defaults, BindDefaults(*table, binder));

  // The proposed rows, full width.
  std::vector<std::vector<Value>> rows;
  auto start_row = [&]() -> Result<std::vector<Value>> {
    std::vector<Value> row;
    row.reserve(schema.num_fields());
    for (size_t i = 0; i < schema.num_fields(); ++i) {
      bool targeted = false;
      for (size_t t : targets)
        targeted |= t == i;
      if (targeted) {
        row.push_back(Value::Null(schema.field(i).type));
      } else {
        TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*defaults[i], ctx));
        row.push_back(std::move(v));
      }
    }
    return row;
  };
  const SelectStmt* source = stmt.source.get();
  const bool plain_values = source != nullptr && !source->values.empty() &&
                            source->order_by.empty() && !source->limit && !source->offset;
  if (source == nullptr) {
    TDB_ASSIGN_OR_RETURN(std::vector<Value> row, start_row());
    for (size_t t : targets) {
      TDB_ASSIGN_OR_RETURN(row[t], EvaluateConstant(*defaults[t], ctx));
    }
    rows.push_back(std::move(row));
  } else if (plain_values) {
    for (const auto& exprs : source->values) {
      if (rows.size() % kCheckEveryRows == kCheckEveryRows - 1) {
        TDB_RETURN_IF_ERROR(ctx.cancel->Check());
      }
      if (exprs.size() > targets.size()) {
        return Status(ErrorCode::kSyntaxError, "INSERT has more expressions than target columns");
      }
      if (exprs.size() < targets.size()) {
        return Status(ErrorCode::kSyntaxError, "INSERT has more target columns than expressions");
      }
      TDB_ASSIGN_OR_RETURN(std::vector<Value> row, start_row());
      for (size_t i = 0; i < exprs.size(); ++i) {
        const size_t col = targets[i];
        const Field& field = schema.field(col);
        if (exprs[i]->kind == ExprKind::kDefault) {
          TDB_ASSIGN_OR_RETURN(row[col], EvaluateConstant(*defaults[col], ctx));
          continue;
        }
        TDB_ASSIGN_OR_RETURN(BoundExprPtr e,
                             binder.BindAssigned(*exprs[i], {}, field.type, field.name));
        TDB_ASSIGN_OR_RETURN(row[col], EvaluateConstant(*e, ctx));
      }
      rows.push_back(std::move(row));
    }
  } else {
    TDB_ASSIGN_OR_RETURN(PlanPtr plan, PlanSelect(binder, *source));
    if (plan->columns.size() != targets.size()) {
      return Status(ErrorCode::kSyntaxError,
                    plan->columns.size() > targets.size()
                        ? "INSERT has more expressions than target columns"
                        : "INSERT has more target columns than expressions");
    }
    std::vector<BoundExprPtr> casts;
    for (size_t i = 0; i < targets.size(); ++i) {
      const Field& field = schema.field(targets[i]);
      TDB_ASSIGN_OR_RETURN(
          BoundExprPtr c,
          binder.CoerceForAssignment(MakeColumn(i, plan->columns[i].type, plan->columns[i].name),
                                     field.type, field.name));
      casts.push_back(std::move(c));
    }
    // The source rows are held until the writes are built: they stay charged.
    MemoryReservation source_memory(ctx.memory);
    TDB_ASSIGN_OR_RETURN(std::vector<Batch> batches, RunPlan(*plan, ctx, &source_memory));
    for (const Batch& b : batches) {
      TDB_RETURN_IF_ERROR(ctx.cancel->Check());
      std::vector<ColumnVector> cast_columns;
      for (const auto& c : casts) {
        TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*c, b, ctx));
        cast_columns.push_back(std::move(v));
      }
      for (size_t r = 0; r < b.num_rows(); ++r) {
        TDB_ASSIGN_OR_RETURN(std::vector<Value> row, start_row());
        for (size_t i = 0; i < targets.size(); ++i)
          row[targets[i]] = cast_columns[i].GetValue(r);
        rows.push_back(std::move(row));
      }
    }
  }

  // ON CONFLICT ... DO UPDATE: assignments see the table's columns and EXCLUDED.*.
  std::vector<OutputColumn> conflict_columns;
  std::vector<std::pair<size_t, BoundExprPtr>> conflict_sets;
  BoundExprPtr conflict_where;
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
    if (oc.action == OnConflictAction::kDoUpdate) {
      conflict_columns = Binder::TableColumns(*table, alias);
      for (OutputColumn c : Binder::TableColumns(*table, "excluded"))
        conflict_columns.push_back(std::move(c));
      for (const Assignment& a : oc.assignments) {
        std::optional<size_t> index = schema.FieldIndex(a.column);
        if (!index.has_value()) {
          return Status(ErrorCode::kUndefinedColumn, "column \"" + a.column + "\" of relation \"" +
                                                         TableText(*table) + "\" does not exist");
        }
        BoundExprPtr e;
        if (a.value->kind == ExprKind::kDefault) {
          e = defaults[*index]->Clone();
        } else {
          TDB_ASSIGN_OR_RETURN(e, binder.BindAssigned(*a.value, conflict_columns,
                                                      schema.field(*index).type, a.column));
        }
        conflict_sets.emplace_back(*index, std::move(e));
      }
      if (oc.where) {
        TDB_ASSIGN_OR_RETURN(conflict_where, binder.BindRowExpr(*oc.where, conflict_columns));
      }
    }
  }

  std::vector<HotWrite> writes;
  std::vector<std::vector<Value>> written;
  size_t row_number = 0;
  for (auto& row : rows) {
    if (++row_number % kCheckEveryRows == 0) TDB_RETURN_IF_ERROR(ctx.cancel->Check());
    TDB_RETURN_IF_ERROR(CheckNotNull(*table, row));
    if (!stmt.on_conflict.has_value()) {
      written.push_back(row);
      writes.push_back(HotWrite::Insert(std::move(row)));
      continue;
    }
    // Conflicts are decided row by row against the rows so far, this statement's included.
    if (!writes.empty()) {
      TDB_RETURN_IF_ERROR(table->Write(ctx.request, std::move(writes), options.check_now));
      writes.clear();
    }
    TDB_ASSIGN_OR_RETURN(auto existing, table->Get(ctx.request, KeyOf(*table, row)));
    if (!existing.has_value()) {
      written.push_back(row);
      writes.push_back(HotWrite::Insert(std::move(row)));
      continue;
    }
    if (stmt.on_conflict->action == OnConflictAction::kDoNothing) continue;
    std::vector<Value> pair = *existing;
    pair.insert(pair.end(), row.begin(), row.end());
    Batch one(std::make_shared<const Schema>(
        [&] {
          std::vector<Field> fields;
          for (const OutputColumn& c : conflict_columns)
            fields.push_back(Field{c.name, c.type, true, false, ""});
          return fields;
        }(),
        SchemaMetadata{}));
    TDB_RETURN_IF_ERROR(one.AppendRow(pair));
    if (conflict_where) {
      TDB_ASSIGN_OR_RETURN(Value keep, EvaluateRow(*conflict_where, one, 0, ctx));
      if (keep.is_null() || !keep.as_bool()) continue;
    }
    std::vector<Value> updated = *existing;
    for (const auto& [index, expr] : conflict_sets) {
      TDB_ASSIGN_OR_RETURN(updated[index], EvaluateRow(*expr, one, 0, ctx));
    }
    TDB_RETURN_IF_ERROR(CheckNotNull(*table, updated));
    if (KeyOf(*table, updated) != KeyOf(*table, *existing)) {
      return Status(ErrorCode::kFeatureNotSupported,
                    "ON CONFLICT DO UPDATE cannot change the primary key");
    }
    written.push_back(updated);
    writes.push_back(HotWrite::Update(std::move(updated)));
  }
  const uint64_t count = written.size();
  if (!writes.empty()) {
    TDB_RETURN_IF_ERROR(table->Write(ctx.request, std::move(writes), options.check_now));
  }
  return Returning(stmt.returning, *table, alias, RowsBatch(*table, written), binder, ctx,
                   "INSERT 0 " + std::to_string(count), count);
}

Result<QueryResult> ExecuteUpdate(const UpdateStmt& stmt, Binder& binder, ExecContext& ctx,
                                  const DmlOptions&) {
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, WritableTable(stmt.table, binder, ctx));
  TDB_RETURN_IF_ERROR(table->CheckRead(ctx.request));
  const Schema& schema = *table->schema();
  const std::string alias = stmt.alias.empty() ? stmt.table.name : stmt.alias;
  const std::vector<OutputColumn> columns = Binder::TableColumns(*table, alias);
  std::vector<std::pair<size_t, BoundExprPtr>> sets;
  for (const Assignment& a : stmt.assignments) {
    std::optional<size_t> index = schema.FieldIndex(a.column);
    if (!index.has_value()) {
      return Status(ErrorCode::kUndefinedColumn, "column \"" + a.column + "\" of relation \"" +
                                                     TableText(*table) + "\" does not exist");
    }
    for (const auto& s : sets) {
      if (s.first == *index) {
        return Status(ErrorCode::kSyntaxError,
                      "multiple assignments to same column \"" + a.column + "\"");
      }
    }
    BoundExprPtr e;
    if (a.value->kind == ExprKind::kDefault) {
      TDB_ASSIGN_OR_RETURN(e, BindColumnDefault(schema.field(*index), binder));
    } else {
      TDB_ASSIGN_OR_RETURN(
          e, binder.BindAssigned(*a.value, columns, schema.field(*index).type, a.column));
    }
    sets.emplace_back(*index, std::move(e));
  }
  MemoryReservation matched_memory(ctx.memory);
  TDB_ASSIGN_OR_RETURN(Batch matched,
                       MatchingRows(table, alias, stmt.where.get(), binder, ctx, &matched_memory));
  std::vector<ColumnVector> new_values;
  for (const auto& [index, expr] : sets) {
    TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*expr, matched, ctx));
    new_values.push_back(std::move(v));
  }
  std::vector<HotWrite> writes;
  Batch updated(table->schema());
  for (size_t r = 0; r < matched.num_rows(); ++r) {
    if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx.cancel->Check());
    std::vector<Value> old_row = matched.GetRow(r);
    std::vector<Value> row = old_row;
    for (size_t s = 0; s < sets.size(); ++s)
      row[sets[s].first] = new_values[s].GetValue(r);
    TDB_RETURN_IF_ERROR(CheckNotNull(*table, row));
    std::vector<Value> old_key = KeyOf(*table, old_row);
    if (KeyOf(*table, row) != old_key) {
      writes.push_back(HotWrite::Delete(std::move(old_key)));
      writes.push_back(HotWrite::Insert(row));
    } else {
      writes.push_back(HotWrite::Update(row));
    }
    TDB_RETURN_IF_ERROR(updated.AppendRow(row));
  }
  const uint64_t count = matched.num_rows();
  if (!writes.empty()) {
    // Moved keys must not collide with rows that exist: check inserts at once.
    TDB_RETURN_IF_ERROR(table->Write(ctx.request, std::move(writes), /*check_now=*/true));
  }
  return Returning(stmt.returning, *table, alias, updated, binder, ctx,
                   "UPDATE " + std::to_string(count), count);
}

Result<QueryResult> ExecuteDelete(const DeleteStmt& stmt, Binder& binder, ExecContext& ctx,
                                  const DmlOptions& options) {
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, WritableTable(stmt.table, binder, ctx));
  TDB_RETURN_IF_ERROR(table->CheckRead(ctx.request));
  const std::string alias = stmt.alias.empty() ? stmt.table.name : stmt.alias;
  MemoryReservation matched_memory(ctx.memory);
  TDB_ASSIGN_OR_RETURN(Batch matched,
                       MatchingRows(table, alias, stmt.where.get(), binder, ctx, &matched_memory));
  std::vector<HotWrite> writes;
  for (size_t r = 0; r < matched.num_rows(); ++r) {
    if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx.cancel->Check());
    writes.push_back(HotWrite::Delete(KeyOf(*table, matched.GetRow(r))));
  }
  const uint64_t count = matched.num_rows();
  if (!writes.empty()) {
    TDB_RETURN_IF_ERROR(table->Write(ctx.request, std::move(writes), options.check_now));
  }
  return Returning(stmt.returning, *table, alias, matched, binder, ctx,
                   "DELETE " + std::to_string(count), count);
}

}  // namespace tenantdb::sql
