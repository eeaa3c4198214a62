// UpdateOperator: runs an UpdateNode. Reads every matching row first (charged to the
// statement's memory), locks them (LockMatchedRows: READ COMMITTED), computes the new rows, then
// writes them; a changed primary key moves the row (a delete and an insert, checked for collisions
// at once).
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/operators/write_support.h"

namespace tenantdb::sql {

namespace {

class UpdateOperator final : public WriteOperatorBase {
 public:
  UpdateOperator(const UpdateNode& plan, ExecContext& ctx) : plan_(plan), ctx_(ctx) {}

  std::string command_tag() const override { return "UPDATE " + std::to_string(count_); }

 protected:
  Result<std::optional<Batch>> Run() override {
    const TableProvider& table = *plan_.table;
    TDB_RETURN_IF_ERROR(table.CheckWrite(ctx_.request));
    TDB_RETURN_IF_ERROR(table.CheckRead(ctx_.request));
    MemoryReservation matched_memory(ctx_.memory);
    // A write of one row by its whole key locks it before reading it (one read, not two).
    TDB_ASSIGN_OR_RETURN(PointLock point, LockPointFirst(table, *plan_.children[0], ctx_));
    TDB_ASSIGN_OR_RETURN(OperatorPtr rows, BuildOperator(*plan_.children[0], ctx_));
    TDB_ASSIGN_OR_RETURN(Batch read, Drain(*rows, table.schema(), ctx_, &matched_memory));
    // SET is evaluated over the newest version of each row, after its lock is taken.
    TDB_ASSIGN_OR_RETURN(Batch matched,
                         LockMatchedRows(table, *plan_.children[0], std::move(read), ctx_, point));
    std::vector<ColumnVector> new_values;
    for (const auto& [index, expr] : plan_.sets) {
      TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*expr, matched, ctx_));
      new_values.push_back(std::move(v));
    }
    std::vector<HotWrite> writes;
    Batch updated(table.schema());
    for (size_t r = 0; r < matched.num_rows(); ++r) {
      if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      std::vector<Value> old_row = matched.GetRow(r);
      std::vector<Value> row = old_row;
      for (size_t s = 0; s < plan_.sets.size(); ++s)
        row[plan_.sets[s].first] = new_values[s].GetValue(r);
      TDB_RETURN_IF_ERROR(CheckNotNull(table, row));
      TDB_RETURN_IF_ERROR(CheckConstraints(plan_.checks.get(), table, row, ctx_));
      std::vector<Value> old_key = KeyOf(table, old_row);
      if (KeyOf(table, row) != old_key) {
        writes.push_back(HotWrite::Delete(std::move(old_key)));
        writes.push_back(HotWrite::Insert(row));
      } else {
        writes.push_back(HotWrite::Update(row));
      }
      TDB_RETURN_IF_ERROR(updated.AppendRow(row));
    }
    count_ = matched.num_rows();
    if (!writes.empty()) {
      // Moved keys must not collide with rows that exist: check inserts at once.
      TDB_RETURN_IF_ERROR(table.Write(ctx_.request, std::move(writes), /*check_now=*/true));
    }
    return Returning(plan_.returning, plan_.schema, updated, ctx_);
  }

 private:
  const UpdateNode& plan_;
  ExecContext& ctx_;
};

}  // namespace

Result<std::unique_ptr<DmlOperator>> MakeUpdate(const UpdateNode& plan, ExecContext& ctx,
                                                const DmlOptions&) {
  return std::unique_ptr<DmlOperator>(std::make_unique<UpdateOperator>(plan, ctx));
}

}  // namespace tenantdb::sql
