// RecursiveUnion and WorkTableScan: WITH RECURSIVE, iterated as PostgreSQL does
// (nodeRecursiveunion.c). The non-recursive term's rows are output and become the work
// table; then, until an iteration adds nothing, the recursive term is built anew over the
// work table (ExecContext::work_tables, read by its WorkTableScan) and its rows are output
// and become the next work table. UNION (not ALL) drops rows already output, so a cycle
// in the data ends the recursion.
//
// Rows stream: each batch goes to the parent as soon as it is made, so a LIMIT above an
// unbounded recursion stops it. The guard against runaway recursion is the statement's
// memory budget: besides the work tables and UNION's set of seen rows, every row the
// recursion outputs is charged as if it were held (a deviation from PostgreSQL, which
// would run until statement_timeout), so `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL
// SELECT n + 1 FROM t) SELECT count(*) FROM t` fails with out_of_memory (53200) at
// statement_mem instead of running forever. Cancellation and statement_timeout are
// polled between batches and iterations.
#include "absl/container/flat_hash_set.h"
#include "sql/exec/executor.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/row_key.h"

namespace tenantdb::sql {

namespace {

class RecursiveUnionOperator final : public Operator {
 public:
  RecursiveUnionOperator(const RecursiveUnionNode& plan, OperatorPtr non_recursive,
                         ExecContext& ctx)
      : plan_(plan), ctx_(ctx), current_(std::move(non_recursive)), held_(ctx.memory) {}

  Result<std::optional<Batch>> Next() override {
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      if (!current_) {
        if (next_work_.empty()) {
          ctx_.work_tables.erase(plan_.work_table_id);
          return std::optional<Batch>();
        }
        TDB_RETURN_IF_ERROR(StartIteration());
      }
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, current_->Next());
      if (!batch.has_value()) {
        current_.reset();
        continue;
      }
      Batch out = plan_.union_all ? Relabel(std::move(*batch)) : NewRows(*batch);
      if (out.num_rows() == 0) continue;
      const size_t bytes = BatchBytes(out);
      next_bytes_ += bytes;
      output_bytes_ += bytes;
      next_work_.push_back(out);
      TDB_RETURN_IF_ERROR(Charge());
      return std::optional<Batch>(std::move(out));
    }
  }

 private:
  // The last iteration's rows become the work table the recursive term reads.
  Status StartIteration() {
    auto work = std::make_shared<const std::vector<Batch>>(std::move(next_work_));
    next_work_.clear();
    work_bytes_ = next_bytes_;
    next_bytes_ = 0;
    ctx_.work_tables[plan_.work_table_id] = std::move(work);
    TDB_ASSIGN_OR_RETURN(current_, BuildOperator(*plan_.children[1], ctx_));
    return Charge();
  }

  Status Charge() {
    return held_.Resize(work_bytes_ + next_bytes_ + output_bytes_ + key_bytes_ +
                        HashSlotsBytes(seen_.capacity(), sizeof(std::string)));
  }

  Batch Relabel(Batch batch) const {
    Batch out(plan_.schema);
    for (size_t c = 0; c < out.num_columns(); ++c)
      out.mutable_column(c) = std::move(batch.mutable_column(c));
    return out;
  }

  // UNION: the rows of `batch` not output before (nor earlier in the batch).
  Batch NewRows(const Batch& batch) {
    std::vector<uint32_t> rows;
    std::string key;
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      key.clear();
      for (size_t c = 0; c < batch.num_columns(); ++c)
        AppendKeyValue(batch.column(c), r, &key);
      auto [it, inserted] = seen_.insert(key);
      if (!inserted) continue;
      key_bytes_ += StringHeapBytes(*it);
      rows.push_back(static_cast<uint32_t>(r));
    }
    Batch out(plan_.schema);
    for (size_t c = 0; c < out.num_columns(); ++c) {
      ColumnVector& dst = out.mutable_column(c);
      const ColumnVector& src = batch.column(c);
      dst.Reserve(rows.size());
      for (uint32_t r : rows)
        dst.AppendFrom(src, r);
    }
    return out;
  }

  const RecursiveUnionNode& plan_;
  ExecContext& ctx_;
  OperatorPtr current_;  // the term being read; null between iterations
  std::vector<Batch> next_work_;
  size_t work_bytes_ = 0;                  // the work table the current iteration reads
  size_t next_bytes_ = 0;                  // next_work_
  size_t output_bytes_ = 0;                // every row output so far: the runaway guard
  absl::flat_hash_set<std::string> seen_;  // UNION only
  size_t key_bytes_ = 0;
  MemoryReservation held_;  // declared last: released before what it charges is freed
};

class WorkTableScanOperator final : public Operator {
 public:
  WorkTableScanOperator(const WorkTableScanNode& plan,
                        std::shared_ptr<const std::vector<Batch>> rows)
      : plan_(plan), rows_(std::move(rows)) {}

  Result<std::optional<Batch>> Next() override {
    if (!rows_ || next_ == rows_->size()) return std::optional<Batch>();
    const Batch& held = (*rows_)[next_++];
    Batch out(plan_.schema);
    for (size_t c = 0; c < out.num_columns(); ++c)
      out.mutable_column(c) = held.column(c);
    return std::optional<Batch>(std::move(out));
  }

 private:
  const WorkTableScanNode& plan_;
  std::shared_ptr<const std::vector<Batch>> rows_;
  size_t next_ = 0;
};

}  // namespace

Result<OperatorPtr> MakeRecursiveUnion(const RecursiveUnionNode& plan, ExecContext& ctx) {
  TDB_ASSIGN_OR_RETURN(OperatorPtr non_recursive, BuildOperator(*plan.children[0], ctx));
  return OperatorPtr(std::make_unique<RecursiveUnionOperator>(plan, std::move(non_recursive), ctx));
}

Result<OperatorPtr> MakeWorkTableScan(const WorkTableScanNode& plan, ExecContext& ctx) {
  auto it = ctx.work_tables.find(plan.work_table_id);
  if (it == ctx.work_tables.end()) {
    return Status(ErrorCode::kInternal,
                  "work table of " + plan.name + " read outside its recursion");
  }
  return OperatorPtr(std::make_unique<WorkTableScanOperator>(plan, it->second));
}

}  // namespace tenantdb::sql
