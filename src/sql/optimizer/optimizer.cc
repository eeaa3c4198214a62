#include "sql/optimizer/optimizer.h"

#include "sql/optimizer/nullability.h"
#include "sql/optimizer/passes.h"

namespace tenantdb::sql {

void Optimize(PlanPtr* plan, const RequestContext* request) {
  CardinalityEstimator estimator(request);
  // Join keys and filters first: a Limit reaches a scan only once the scan's filter is
  // gone (folded into key bounds), and projection pushdown must see the scan's final
  // residual filter. An ORDER BY ... LIMIT an index's order serves reads the index in
  // order (before the limit pass, which leaves scans read through an index alone).
  // WITH items read once become subqueries first, so the other passes see into them as
  // into any FROM subquery.
  // Joins are planned before the scan passes, which then see each table's own filter.
  InlineSingleUseCtes(plan->get());
  FoldNullTests(plan->get());
  // Subqueries the WHERE tests become joins before the joins are planned, so their
  // correlation equalities become hash keys too and the WHERE's other conjuncts reach
  // the tables under a semi or anti join.
  DecorrelateSubqueries(plan);
  PlanJoinsAndPushPredicates(plan, &estimator);
  ExtractJoinKeys(plan->get());
  // Needs the semi joins' keys; before the scan passes, which then see the new inputs.
  PlaceSemiJoins(plan->get(), &estimator);
  PushFiltersIntoScans(plan);
  ReadIndexesInOrder(plan->get());
  PushLimitsIntoScans(plan->get());
  const ReadOutputs read = PushProjectionsIntoScans(plan->get());
  // Last: it needs the join keys and the right scan's final filter.
  ChooseIndexJoins(plan->get());
  estimator.Annotate(plan->get());
  // Last: every pass above reads scans in their table's layout.
  NarrowScanOutputs(plan->get(), read);
}

Result<PlanPtr> PlanSelect(Binder& binder, const SelectStmt& select) {
  TDB_ASSIGN_OR_RETURN(PlanPtr plan, binder.BindQuery(select));
  Optimize(&plan, binder.context().request);
  return plan;
}

Result<PlanPtr> PlanWrite(Binder& binder, const Statement& statement) {
  PlanPtr plan;
  switch (statement.kind) {
    case StatementKind::kInsert: {
      TDB_ASSIGN_OR_RETURN(plan, binder.BindInsert(static_cast<const InsertStmt&>(statement)));
      break;
    }
    case StatementKind::kUpdate: {
      TDB_ASSIGN_OR_RETURN(plan, binder.BindUpdate(static_cast<const UpdateStmt&>(statement)));
      break;
    }
    case StatementKind::kDelete: {
      TDB_ASSIGN_OR_RETURN(plan, binder.BindDelete(static_cast<const DeleteStmt&>(statement)));
      break;
    }
    default:
      return Status(ErrorCode::kInvalidArgument,
                    std::string(StatementKindName(statement.kind)) + " is not a write");
  }
  Optimize(&plan, binder.context().request);
  return plan;
}

}  // namespace tenantdb::sql
