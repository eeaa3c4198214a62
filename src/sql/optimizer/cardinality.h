// CardinalityEstimator: how many rows each plan node returns, and how many distinct values
// a column of it holds — what the join planner orders joins and picks build sides by,
// and what EXPLAIN shows as "(rows=N)".
//
// Base figures come from TableProvider::EstimateStatistics (tables/table_statistics.h).
// Plans are cached and shared by every user (engine/plan_cache.h), so a per-user table
// counts the average user's slice (table_rows / users) where known, else the requesting
// user's `rows`; unknown tables count kDefaultTableRows. Filters multiply by a
// selectivity: from the column's distinct count and min/max when known, else
// PostgreSQL-like defaults (equality 0.005, ranges 1/3, LIKE 0.05, ...). Joins use
// 1 / max(distinct left, distinct right) per key. A single-column primary key without
// statistics has as many distinct values as rows; any other column without them counts
// min(rows, kDefaultDistinct) in joins, as PostgreSQL's DEFAULT_NUM_DISTINCT does — a
// foreign key is not unique, and taking it for one underestimates every join through it.
// Estimates are never below one row: they guide choices, nothing depends on them for
// correctness.
//
// Thread safety: none; one optimizer run uses it. Cost: one EstimateStatistics call per
// table, memoized; the rest is arithmetic over the plan.
#pragma once

#include <optional>
#include <unordered_map>

#include "sql/planner/logical_plan.h"
#include "tables/request_context.h"
#include "tables/table_statistics.h"

namespace tenantdb::sql {

class CardinalityEstimator {
 public:
  static constexpr double kDefaultTableRows = 1000;
  static constexpr double kDefaultDistinct = 200;

  // `request` (may be null: every table then counts as unknown) is what
  // EstimateStatistics is asked for; it must outlive the estimator.
  explicit CardinalityEstimator(const RequestContext* request) : request_(request) {}

  // The rows `node` returns per execution (at least 1).
  double Rows(const PlanNode& node);
  // The distinct values of `node`'s output column `column`, when something below knows
  // them (a table column with statistics, through filters, projections and joins);
  // at most Rows(node). nullopt: unknown.
  std::optional<double> Distinct(const PlanNode& node, size_t column);
  // Distinct, or where unknown min(Rows(node), kDefaultDistinct): what a join key counts.
  double JoinDistinct(const PlanNode& node, size_t column);
  // The fraction of `input`'s rows for which `predicate` (over input's columns) is true.
  double Selectivity(const BoundExpr& predicate, const PlanNode& input);
  // The fraction of pairs of `left` and `right` rows for which left_key = right_key.
  double JoinKeySelectivity(const BoundExpr& left_key, const PlanNode& left,
                            const BoundExpr& right_key, const PlanNode& right);

  // The rows a scan of `table` reads before any filter (at least 1).
  double TableRows(const TableProvider& table);

  // Sets estimated_rows on every node of `plan` (subquery plans and WITH items
  // included), for EXPLAIN.
  void Annotate(PlanNode* plan);

 private:
  const TableStatistics& StatisticsOf(const TableProvider& table);
  double ScanRows(const ScanNode& scan);
  double JoinRows(const JoinNode& join);
  double GroupRows(const PlanNode& input, const std::vector<const BoundExpr*>& keys);
  // The distinct values of a table's column: its statistics, else the row count for a
  // sole primary-key column, else unknown.
  std::optional<double> TableDistinct(const TableProvider& table, size_t column);
  // Distinct for judging a predicate over `input`: a scan's filter against its table's
  // figure, a join's condition against its inputs' (Distinct caps by the node's own
  // estimate, which would ask the predicate back).
  std::optional<double> FilterInputDistinct(const PlanNode& input, size_t column);
  // The distinct values `e` (over `input`'s columns) takes, when known.
  std::optional<double> ExprDistinct(const BoundExpr& e, const PlanNode& input);
  double CompareSelectivity(const BoundExpr& e, const PlanNode& input);

  const RequestContext* request_;
  // While Annotate runs: children are estimated before their parents, so Rows() takes a
  // child's estimated_rows instead of estimating its subtree again.
  bool annotating_ = false;
  std::unordered_map<const TableProvider*, TableStatistics> statistics_;
};

}  // namespace tenantdb::sql
