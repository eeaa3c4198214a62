// DeleteOperator: runs a DeleteNode. Reads every matching row first (charged to the
// statement's memory), locks them (LockMatchedRows: READ COMMITTED), then writes a
// tombstone for each key.
#include "sql/exec/operators/write_support.h"

namespace tenantdb::sql {

namespace {

class DeleteOperator final : public WriteOperatorBase {
 public:
  DeleteOperator(const DeleteNode& plan, ExecContext& ctx, const DmlOptions& options)
      : plan_(plan), ctx_(ctx), options_(options) {}

  std::string command_tag() const override { return "DELETE " + std::to_string(count_); }

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
    TDB_ASSIGN_OR_RETURN(Batch matched,
                         LockMatchedRows(table, *plan_.children[0], std::move(read), ctx_, point));
    std::vector<HotWrite> writes;
    writes.reserve(matched.num_rows());
    for (size_t r = 0; r < matched.num_rows(); ++r) {
      if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      writes.push_back(HotWrite::Delete(KeyOf(table, matched.GetRow(r))));
    }
    count_ = matched.num_rows();
    if (!writes.empty()) {
      TDB_RETURN_IF_ERROR(table.Write(ctx_.request, std::move(writes), options_.check_now));
    }
    return Returning(plan_.returning, plan_.schema, matched, ctx_);
  }

 private:
  const DeleteNode& plan_;
  ExecContext& ctx_;
  const DmlOptions options_;
};

}  // namespace

Result<std::unique_ptr<DmlOperator>> MakeDelete(const DeleteNode& plan, ExecContext& ctx,
                                                const DmlOptions& options) {
  return std::unique_ptr<DmlOperator>(std::make_unique<DeleteOperator>(plan, ctx, options));
}

}  // namespace tenantdb::sql
