// InsertOperator: runs an InsertNode. The proposed rows are built full width (defaults
// for the columns the statement leaves out, evaluated per row), checked, and written; ON
// CONFLICT decides row by row against the rows so far, this statement's included.
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/operators/write_support.h"

namespace tenantdb::sql {

namespace {

class InsertOperator final : public WriteOperatorBase {
 public:
  InsertOperator(const InsertNode& plan, ExecContext& ctx, const DmlOptions& options)
      : plan_(plan), ctx_(ctx), options_(options) {}

  std::string command_tag() const override { return "INSERT 0 " + std::to_string(count_); }

 protected:
  Result<std::optional<Batch>> Run() override {
    TDB_RETURN_IF_ERROR(plan_.table->CheckWrite(ctx_.request));
    TDB_ASSIGN_OR_RETURN(std::vector<std::vector<Value>> rows, ProposedRows());
    std::vector<std::vector<Value>> written;
    TDB_RETURN_IF_ERROR(WriteRows(std::move(rows), &written));
    count_ = written.size();
    return Returning(plan_.returning, plan_.schema, RowsBatch(*plan_.table, written), ctx_);
  }

 private:
  // A row with every column the statement does not target at its default; targeted ones
  // are NULL until filled.
  Result<std::vector<Value>> StartRow() {
    const Schema& schema = *plan_.table->schema();
    std::vector<Value> row;
    row.reserve(schema.num_fields());
    size_t next_target = 0;
    for (size_t i = 0; i < schema.num_fields(); ++i) {
      bool targeted = false;
      if (next_target < plan_.targets.size() && plan_.targets[next_target] == i) {
        targeted = true;  // fast path: targets in table order (the usual case)
        ++next_target;
      } else {
        for (size_t t : plan_.targets)
          targeted |= t == i;
      }
      if (targeted) {
        row.push_back(Value::Null(schema.field(i).type));
      } else {
        TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*plan_.defaults->exprs[i], ctx_));
        row.push_back(std::move(v));
      }
    }
    return row;
  }

  Result<std::vector<std::vector<Value>>> ProposedRows() {
    std::vector<std::vector<Value>> rows;
    const std::vector<size_t>& targets = plan_.targets;
    if (!plan_.values.empty()) {
      rows.reserve(plan_.values.size());
      for (const auto& exprs : plan_.values) {
        if (rows.size() % kCheckEveryRows == kCheckEveryRows - 1) {
          TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
        }
        TDB_ASSIGN_OR_RETURN(std::vector<Value> row, StartRow());
        for (size_t i = 0; i < exprs.size(); ++i) {
          const size_t col = targets[i];
          const BoundExpr& e = exprs[i] ? *exprs[i] : *plan_.defaults->exprs[col];
          TDB_ASSIGN_OR_RETURN(row[col], EvaluateConstant(e, ctx_));
        }
        rows.push_back(std::move(row));
      }
      return rows;
    }
    if (plan_.children.empty()) {  // DEFAULT VALUES
      TDB_ASSIGN_OR_RETURN(std::vector<Value> row, StartRow());
      for (size_t t : targets) {
        TDB_ASSIGN_OR_RETURN(row[t], EvaluateConstant(*plan_.defaults->exprs[t], ctx_));
      }
      rows.push_back(std::move(row));
      return rows;
    }
    // INSERT ... SELECT: the source rows are held until the writes are built, charged.
    MemoryReservation source_memory(ctx_.memory);
    TDB_ASSIGN_OR_RETURN(std::vector<Batch> batches,
                         RunPlan(*plan_.children[0], ctx_, &source_memory));
    for (const Batch& b : batches) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      std::vector<ColumnVector> cast_columns;
      for (const auto& c : plan_.source_casts) {
        TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*c, b, ctx_));
        cast_columns.push_back(std::move(v));
      }
      for (size_t r = 0; r < b.num_rows(); ++r) {
        TDB_ASSIGN_OR_RETURN(std::vector<Value> row, StartRow());
        for (size_t i = 0; i < targets.size(); ++i)
          row[targets[i]] = cast_columns[i].GetValue(r);
        rows.push_back(std::move(row));
      }
    }
    return rows;
  }

  Status WriteRows(std::vector<std::vector<Value>> rows, std::vector<std::vector<Value>>* written) {
    const TableProvider& table = *plan_.table;
    std::vector<HotWrite> writes;
    size_t row_number = 0;
    for (auto& row : rows) {
      if (++row_number % kCheckEveryRows == 0) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_RETURN_IF_ERROR(CheckNotNull(table, row));
      TDB_RETURN_IF_ERROR(CheckConstraints(plan_.defaults.get(), table, row, ctx_));
      if (plan_.on_conflict == ConflictAction::kNone) {
        written->push_back(row);
        writes.push_back(HotWrite::Insert(std::move(row)));
        continue;
      }
      // Conflicts are decided row by row against the rows so far, this statement's
      // included: what is pending is written first.
      if (!writes.empty()) {
        TDB_RETURN_IF_ERROR(table.Write(ctx_.request, std::move(writes), options_.check_now));
        writes.clear();
      }
      TDB_ASSIGN_OR_RETURN(auto existing, table.Get(ctx_.request, KeyOf(table, row)));
      if (!existing.has_value()) {
        written->push_back(row);
        writes.push_back(HotWrite::Insert(std::move(row)));
        continue;
      }
      if (plan_.on_conflict == ConflictAction::kDoNothing) continue;
      TDB_ASSIGN_OR_RETURN(std::optional<std::vector<Value>> updated, Resolve(*existing, row));
      if (!updated.has_value()) continue;
      written->push_back(*updated);
      writes.push_back(HotWrite::Update(std::move(*updated)));
    }
    if (!writes.empty()) {
      TDB_RETURN_IF_ERROR(table.Write(ctx_.request, std::move(writes), options_.check_now));
    }
    return Status::Ok();
  }

  // ON CONFLICT DO UPDATE for one conflicting row: the updated row, or nullopt when its
  // WHERE rejects it.
  Result<std::optional<std::vector<Value>>> Resolve(const std::vector<Value>& existing,
                                                    const std::vector<Value>& proposed) {
    const TableProvider& table = *plan_.table;
    std::vector<Value> pair = existing;
    pair.insert(pair.end(), proposed.begin(), proposed.end());
    Batch one(plan_.conflict_schema);
    TDB_RETURN_IF_ERROR(one.AppendRow(pair));
    if (plan_.conflict_where) {
      TDB_ASSIGN_OR_RETURN(Value keep, EvaluateRow(*plan_.conflict_where, one, 0, ctx_));
      if (keep.is_null() || !keep.as_bool()) return std::optional<std::vector<Value>>();
    }
    std::vector<Value> updated = existing;
    for (const auto& [index, expr] : plan_.conflict_sets) {
      TDB_ASSIGN_OR_RETURN(updated[index], EvaluateRow(*expr, one, 0, ctx_));
    }
    TDB_RETURN_IF_ERROR(CheckNotNull(table, updated));
    TDB_RETURN_IF_ERROR(CheckConstraints(plan_.defaults.get(), table, updated, ctx_));
    if (KeyOf(table, updated) != KeyOf(table, existing)) {
      return Status(ErrorCode::kFeatureNotSupported,
                    "ON CONFLICT DO UPDATE cannot change the primary key");
    }
    return std::optional<std::vector<Value>>(std::move(updated));
  }

  const InsertNode& plan_;
  ExecContext& ctx_;
  const DmlOptions options_;
};

}  // namespace

Result<std::unique_ptr<DmlOperator>> MakeInsert(const InsertNode& plan, ExecContext& ctx,
                                                const DmlOptions& options) {
  return std::unique_ptr<DmlOperator>(std::make_unique<InsertOperator>(plan, ctx, options));
}

}  // namespace tenantdb::sql
