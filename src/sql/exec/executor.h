// The executor: runs a logical plan (sql/planner/logical_plan.h) as a tree of vectorized
// pull operators, one per plan node, each handing columnar Batches to its parent.
//
//   Operator::Next() returns the next batch, or nullopt at the end. Scans, filters,
//   projections, limits and UNION ALL stream; hash aggregation, sort, DISTINCT and the
//   build side of a hash join consume their input first.
//
// Every operator polls ctx.cancel between batches (and inside long loops), so a cancelled
// or timed-out statement unwinds with query_canceled from whichever Next() runs; the
// blocking ones charge the rows and hash tables they hold to ctx.memory and fail with
// out_of_memory past the statement's limit. Destroying the tree releases every charge.
//
// Thread safety: an operator tree belongs to one execution (one thread); plans are
// shared and immutable.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "sql/exec/exec_context.h"
#include "sql/planner/logical_plan.h"
#include "types/batch.h"

namespace tenantdb::sql {

class Operator {
 public:
  virtual ~Operator() = default;
  virtual Result<std::optional<Batch>> Next() = 0;
};

using OperatorPtr = std::unique_ptr<Operator>;

// Builds the operator tree for `plan`; `ctx` must outlive it.
Result<OperatorPtr> BuildOperator(const PlanNode& plan, ExecContext& ctx);

// Runs `plan` to completion and returns its batches (none empty). The batches are
// charged to ctx.memory while they accumulate; with `charge` the charge stays in it for
// the caller to hold (or release), otherwise it is released on return.
Result<std::vector<Batch>> RunPlan(const PlanNode& plan, ExecContext& ctx,
                                   MemoryReservation* charge = nullptr);

// Every row of `op`'s output in one batch with `schema`, charged to `charge` (which must
// be a reservation on ctx.memory, or null for a transient charge released on return).
Result<Batch> Drain(Operator& op, const std::shared_ptr<const Schema>& schema, ExecContext& ctx,
                    MemoryReservation* charge);

// The operators (sql/exec/operators/*.cc), made by BuildOperator.
Result<OperatorPtr> MakeScan(const ScanNode& plan, ExecContext& ctx);
Result<OperatorPtr> MakeValues(const ValuesNode& plan, ExecContext& ctx);
Result<OperatorPtr> MakeFilter(const FilterNode& plan, OperatorPtr child, ExecContext& ctx);
Result<OperatorPtr> MakeProject(const ProjectNode& plan, OperatorPtr child, ExecContext& ctx);
Result<OperatorPtr> MakeAggregate(const AggregateNode& plan, OperatorPtr child, ExecContext& ctx);
Result<OperatorPtr> MakeWindow(const WindowNode& plan, OperatorPtr child, ExecContext& ctx);
// `top_n` > 0: only the first top_n rows of the order are needed (LIMIT above).
Result<OperatorPtr> MakeSort(const SortNode& plan, OperatorPtr child, size_t top_n,
                             ExecContext& ctx);
Result<OperatorPtr> MakeLimit(const LimitNode& plan, OperatorPtr child, ExecContext& ctx);
Result<OperatorPtr> MakeDistinct(const DistinctNode& plan, OperatorPtr child, ExecContext& ctx);
// lateral_join.cc: the right input run once per left row (JoinNode::lateral).
Result<OperatorPtr> MakeLateralJoin(const JoinNode& plan, OperatorPtr left, ExecContext& ctx);
// join.cc: INNER, LEFT and FULL; hands SEMI / ANTI joins (JoinNode::LeftOnly) to
// MakeSemiJoin (semi_join.cc).
Result<OperatorPtr> MakeJoin(const JoinNode& plan, OperatorPtr left, OperatorPtr right,
                             ExecContext& ctx);
Result<OperatorPtr> MakeSemiJoin(const JoinNode& plan, OperatorPtr left, OperatorPtr right,
                                 ExecContext& ctx);
// left_hashed_semi_join.cc: a SEMI / ANTI join with hash_left (MakeSemiJoin hands it on).
Result<OperatorPtr> MakeLeftHashedSemiJoin(const JoinNode& plan, OperatorPtr left,
                                           OperatorPtr right, ExecContext& ctx);
// index_join.cc: a join with an index_probe, reading its right table (a ScanNode) by key
// per batch of left rows. Only when IndexJoinProbes: otherwise (a secondary index the
// transaction's pending writes hide) BuildOperator runs the join as a hash join.
Result<OperatorPtr> MakeIndexJoin(const JoinNode& plan, OperatorPtr left, ExecContext& ctx);
bool IndexJoinProbes(const JoinNode& plan, const ExecContext& ctx);
Result<OperatorPtr> MakeUnion(const SetOpNode& plan, OperatorPtr left, OperatorPtr right,
                              ExecContext& ctx);
Result<OperatorPtr> MakeIntersectExcept(const SetOpNode& plan, OperatorPtr left, OperatorPtr right,
                                        ExecContext& ctx);
Result<OperatorPtr> MakeFunctionScan(const FunctionScanNode& plan, ExecContext& ctx);
Result<OperatorPtr> MakeCteScan(const CteScanNode& plan, ExecContext& ctx);
Result<OperatorPtr> MakeWorkTableScan(const WorkTableScanNode& plan, ExecContext& ctx);
// Builds its terms' operators itself (the recursive term's once per iteration).
Result<OperatorPtr> MakeRecursiveUnion(const RecursiveUnionNode& plan, ExecContext& ctx);

}  // namespace tenantdb::sql
