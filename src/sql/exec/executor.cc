#include "sql/exec/executor.h"

#include <chrono>
#include <optional>

#include "sql/exec/expression_evaluator.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/operator_stats.h"

namespace tenantdb::sql {

namespace {

// LIMIT n [OFFSET m] with constant n, m over a sort: the sort keeps only n + m rows.
size_t TopN(const LimitNode& limit, ExecContext& ctx) {
  if (!limit.limit) return 0;
  auto n = EvaluateConstant(*limit.limit, ctx);
  if (!n.ok() || n->is_null() || n->as_int64() < 0) return 0;
  int64_t total = n->as_int64();
  if (limit.offset) {
    auto m = EvaluateConstant(*limit.offset, ctx);
    if (!m.ok() || m->is_null() || m->as_int64() < 0) return 0;
    total += m->as_int64();
  }
  return total == 0 ? 0 : static_cast<size_t>(total);
}

// EXPLAIN ANALYZE's shell around an operator: counts what it returns and times its Next().
class InstrumentedOperator final : public Operator {
 public:
  InstrumentedOperator(OperatorPtr inner, NodeStats* stats)
      : inner_(std::move(inner)), stats_(stats) {
    ++stats_->loops;
  }

  Result<std::optional<Batch>> Next() override {
    const auto start = std::chrono::steady_clock::now();
    Result<std::optional<Batch>> batch = inner_->Next();
    stats_->nanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    if (batch.ok() && batch->has_value()) stats_->rows += (*batch)->num_rows();
    return batch;
  }

 private:
  OperatorPtr inner_;
  NodeStats* stats_;
};

Result<OperatorPtr> Instrument(Result<OperatorPtr> op, const PlanNode& plan, ExecContext& ctx) {
  if (ctx.stats == nullptr || !op.ok()) return op;
  return OperatorPtr(std::make_unique<InstrumentedOperator>(std::move(*op), &ctx.stats->For(plan)));
}

Result<OperatorPtr> BuildUninstrumented(const PlanNode& plan, ExecContext& ctx);

}  // namespace

Result<OperatorPtr> BuildOperator(const PlanNode& plan, ExecContext& ctx) {
  return Instrument(BuildUninstrumented(plan, ctx), plan, ctx);
}

namespace {

Result<OperatorPtr> BuildUninstrumented(const PlanNode& plan, ExecContext& ctx) {
  switch (plan.kind) {
    case PlanKind::kScan:
      return MakeScan(plan.As<ScanNode>(), ctx);
    case PlanKind::kValues:
      return MakeValues(plan.As<ValuesNode>(), ctx);
    case PlanKind::kFunctionScan:
      return MakeFunctionScan(plan.As<FunctionScanNode>(), ctx);
    case PlanKind::kCteScan:
      return MakeCteScan(plan.As<CteScanNode>(), ctx);
    case PlanKind::kWorkTableScan:
      return MakeWorkTableScan(plan.As<WorkTableScanNode>(), ctx);
    case PlanKind::kRecursiveUnion:
      return MakeRecursiveUnion(plan.As<RecursiveUnionNode>(), ctx);
    case PlanKind::kCte:
      // Read through its CteScanNodes, never run as a node of the tree.
      return Status(ErrorCode::kInternal, "a WITH item runs through its scans");
    case PlanKind::kInsert:
    case PlanKind::kUpdate:
    case PlanKind::kDelete:
      // Writes need the statement's DmlOptions: they run through ExecuteWrite.
      return Status(ErrorCode::kInternal, "a write plan runs through ExecuteWrite");
    case PlanKind::kJoin:
    case PlanKind::kSetOp: {
      TDB_ASSIGN_OR_RETURN(OperatorPtr left, BuildOperator(*plan.children[0], ctx));
      if (plan.kind == PlanKind::kJoin && plan.As<JoinNode>().lateral) {
        return MakeLateralJoin(plan.As<JoinNode>(), std::move(left), ctx);
      }
      if (plan.kind == PlanKind::kJoin && plan.As<JoinNode>().index_probe &&
          IndexJoinProbes(plan.As<JoinNode>(), ctx)) {
        return MakeIndexJoin(plan.As<JoinNode>(), std::move(left), ctx);
      }
      TDB_ASSIGN_OR_RETURN(OperatorPtr right, BuildOperator(*plan.children[1], ctx));
      if (plan.kind == PlanKind::kJoin) {
        return MakeJoin(plan.As<JoinNode>(), std::move(left), std::move(right), ctx);
      }
      const SetOpNode& set_op = plan.As<SetOpNode>();
      if (set_op.set_op == SetOp::kUnion) {
        return MakeUnion(set_op, std::move(left), std::move(right), ctx);
      }
      return MakeIntersectExcept(set_op, std::move(left), std::move(right), ctx);
    }
    case PlanKind::kLimit: {
      const LimitNode& limit = plan.As<LimitNode>();
      const PlanNode& child_plan = *plan.children[0];
      OperatorPtr child;
      if (child_plan.kind == PlanKind::kSort) {
        TDB_ASSIGN_OR_RETURN(OperatorPtr input, BuildOperator(*child_plan.children[0], ctx));
        TDB_ASSIGN_OR_RETURN(child, Instrument(MakeSort(child_plan.As<SortNode>(), std::move(input),
                                                        TopN(limit, ctx), ctx),
                                               child_plan, ctx));
      } else {
        TDB_ASSIGN_OR_RETURN(child, BuildOperator(child_plan, ctx));
      }
      return MakeLimit(limit, std::move(child), ctx);
    }
    default:
      break;
  }
  TDB_ASSIGN_OR_RETURN(OperatorPtr child, BuildOperator(*plan.children[0], ctx));
  switch (plan.kind) {
    case PlanKind::kFilter:
      return MakeFilter(plan.As<FilterNode>(), std::move(child), ctx);
    case PlanKind::kProject:
      return MakeProject(plan.As<ProjectNode>(), std::move(child), ctx);
    case PlanKind::kAggregate:
      return MakeAggregate(plan.As<AggregateNode>(), std::move(child), ctx);
    case PlanKind::kWindow:
      return MakeWindow(plan.As<WindowNode>(), std::move(child), ctx);
    case PlanKind::kSort:
      return MakeSort(plan.As<SortNode>(), std::move(child), 0, ctx);
    case PlanKind::kDistinct:
      return MakeDistinct(plan.As<DistinctNode>(), std::move(child), ctx);
    default:
      return Status(ErrorCode::kInternal, "unknown plan node");
  }
}

}  // namespace

Result<std::vector<Batch>> RunPlan(const PlanNode& plan, ExecContext& ctx,
                                   MemoryReservation* charge) {
  MemoryReservation local(ctx.memory);
  if (charge == nullptr) charge = &local;
  TDB_RETURN_IF_ERROR(ctx.cancel->Check());
  TDB_ASSIGN_OR_RETURN(OperatorPtr op, BuildOperator(plan, ctx));
  std::vector<Batch> out;
  size_t held = charge->bytes();
  while (true) {
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, op->Next());
    if (!batch.has_value()) break;
    TDB_RETURN_IF_ERROR(ctx.cancel->Check());
    if (batch->num_rows() == 0) continue;
    // The whole result is held until the caller takes it: charge it as it grows.
    held += BatchBytes(*batch);
    TDB_RETURN_IF_ERROR(charge->Resize(held));
    out.push_back(std::move(*batch));
  }
  return out;
}

Result<Batch> Drain(Operator& op, const std::shared_ptr<const Schema>& schema, ExecContext& ctx,
                    MemoryReservation* charge) {
  MemoryReservation local(ctx.memory);
  if (charge == nullptr) charge = &local;
  const size_t base = charge->bytes();
  std::optional<Batch> all;  // the first batch, then every later one appended to it
  while (true) {
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, op.Next());
    if (!batch.has_value()) break;
    TDB_RETURN_IF_ERROR(ctx.cancel->Check());
    if (batch->num_rows() == 0) continue;
    if (!all.has_value()) {
      all = std::move(batch);
    } else {
      for (size_t c = 0; c < all->num_columns(); ++c) {
        const ColumnVector& src = batch->column(c);
        std::vector<uint32_t> rows(src.size());
        for (size_t r = 0; r < rows.size(); ++r)
          rows[r] = static_cast<uint32_t>(r);
        all->mutable_column(c).AppendRows(src, rows);
      }
    }
    TDB_RETURN_IF_ERROR(charge->Resize(base + BatchBytes(*all)));
  }
  if (!all.has_value()) return Batch(schema);
  return std::move(*all);
}

}  // namespace tenantdb::sql
