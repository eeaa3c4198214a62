// Binder: turns parsed statements (sql/parser/ast) into logical plans (logical_plan.h)
// with every name resolved and every type fixed, following PostgreSQL's rules:
//
//   names    unqualified tables resolve in the session's namespace; `public` means
//            `default`; columns resolve innermost scope first, then enclosing queries
//            (correlated subqueries); an ambiguous name is ambiguous_column.
//   types    operands of a comparison, CASE, COALESCE, IN or UNION meet at their common
//            type (implicit casts only widen: smallint -> int -> bigint -> real -> double,
//            date -> timestamp -> timestamptz); an untyped literal ('2024-01-31', NULL)
//            takes the type the context asks for; $n parameters too.
//   grouping with GROUP BY or aggregates, every other column must be grouped
//            (grouping_error).
//
// Tables come from the SchemaCache (TableId -> the table's provider); the binder checks
// the session may read them (CheckRead). Errors: undefined_table, undefined_column,
// ambiguous_column, undefined_function, type_mismatch, grouping_error, syntax_error,
// feature_not_supported, insufficient_privilege, invalid_text_representation.
//
// Thread safety: a Binder is used for one statement by one thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/check_registry.h"
#include "catalog/schema_cache.h"
#include "sql/function/json_text.h"
#include "sql/parser/ast/all.h"
#include "sql/planner/column_defaults.h"
#include "sql/planner/logical_plan.h"
#include "sql/planner/relation_names.h"
#include "sql/planner/view_source.h"
#include "storage/hot/hot_index.h"
#include "tables/request_context.h"

namespace tenantdb::sql {

struct BindContext {
  SchemaCache* cache = nullptr;
  std::string current_namespace = "default";
  std::string current_user;
  const RequestContext* request = nullptr;  // for CheckRead
  // Types of $1, $2, ...: known ones are used; unknown ones are inferred from context
  // (and filled in here; TEXT when the context says nothing).
  std::vector<std::optional<DataType>>* parameter_types = nullptr;
  // Where INSERT / UPDATE take tables' bound DEFAULTs (column_defaults.h); null: bound
  // for each statement.
  ColumnDefaultCache* defaults = nullptr;
  // Views (view_source.h); null: the statement sees none.
  const ViewSource* views = nullptr;
  // Where undefined_table errors look for what was meant (relation_names.h); null: no
  // hints.
  const RelationNames* names = nullptr;
  // When set, receives "namespace.name" of every table and view the statement names
  // (CREATE VIEW records what its query depends on).
  std::vector<std::string>* referenced = nullptr;
  // The secondary indexes scans may read (storage/hot/hot_index.h); null: none.
  const HotIndexRegistry* indexes = nullptr;
  // Tables' CHECK constraints, which INSERT / UPDATE / COPY enforce (bound with the
  // DEFAULTs, column_defaults.h); null: none are enforced (only for tools that never
  // write).
  const CheckRegistry* checks = nullptr;
};

// The output name PostgreSQL gives a select item: the column, the function, ?column?.
std::string OutputName(const Expr& expr);

// The type a type name denotes, PostgreSQL's aliases included (decimal is NUMERIC,
// `int[]` an array of INTEGER). Used by CAST, column definitions and PREPARE's
// parameter types.
Result<DataType> ResolveTypeName(const TypeName& type);

class Binder {
 public:
  explicit Binder(BindContext context);
  ~Binder();

  Result<PlanPtr> BindQuery(const SelectStmt& select);

  // INSERT, UPDATE and DELETE (binder_dml.cc): a write node over its table, checked
  // writable (and readable for UPDATE and DELETE, which read it), not yet optimized.
  // Errors, besides the expressions': undefined_table, undefined_column (a target or SET
  // column), syntax_error (a column given twice, VALUES rows of the wrong width),
  // invalid_argument (an ON CONFLICT target other than the primary key),
  // insufficient_privilege.
  Result<PlanPtr> BindInsert(const InsertStmt& insert);
  Result<PlanPtr> BindUpdate(const UpdateStmt& update);
  Result<PlanPtr> BindDelete(const DeleteStmt& del);

  // The table `name` names (read access not checked). A view is wrong_object_type.
  Result<TableProviderRef> ResolveTable(const TableName& name);
  // What `name` names: a table (`table` set) or a view (`view` set); binder_view.cc.
  // Unqualified names look in the session's namespace, then pg_catalog.
  // Errors: undefined_table, io_error.
  struct Relation {
    TableProviderRef table;
    std::shared_ptr<const ViewQuery> view;
  };
  Result<Relation> ResolveRelation(const TableName& name);

  // Binds `expr` over the columns `columns` (one row of them): DML's WHERE, SET and
  // RETURNING, and DEFAULT expressions (with no columns).
  Result<BoundExprPtr> BindRowExpr(const Expr& expr, const std::vector<OutputColumn>& columns);
  // A CHECK constraint's condition over a row of `columns` (binder_dml.cc): boolean (an
  // untyped literal taken as one). Errors as PostgreSQL's: grouping_error (aggregates),
  // windowing_error, feature_not_supported (a subquery; a volatile function, which
  // PostgreSQL accepts but a condition evaluated once per write cannot honour),
  // type_mismatch (not boolean), and those of binding.
  Result<BoundExprPtr> BindCheck(const Expr& expr, const std::vector<OutputColumn>& columns);
  // Binds `expr` and casts it to `field`'s type as an assignment would (INSERT / UPDATE),
  // NUMERIC(p,s) rounding and range check included.
  Result<BoundExprPtr> BindAssigned(const Expr& expr, const std::vector<OutputColumn>& columns,
                                    const Field& field);
  // Casts a bound expression to `type` as an assignment would.
  Result<BoundExprPtr> CoerceForAssignment(BoundExprPtr expr, DataType type,
                                           const std::string& column_name);
  // CoerceForAssignment to `field`'s type, then its NUMERIC(p,s) typmod if it has one.
  Result<BoundExprPtr> CoerceToColumn(BoundExprPtr expr, const Field& field);

  // Columns of a table as a scan of it produces them, aliased `alias`.
  static std::vector<OutputColumn> TableColumns(const TableEntry& table, const std::string& alias);

  const BindContext& context() const { return context_; }

 private:
  struct Scope;
  struct AggregateState;
  struct WindowState;
  // A window call's column before its WindowNode is placed: this + the call's index
  // (large enough that no plan has that many columns).
  static constexpr size_t kWindowPlaceholderColumn = size_t{1} << 40;
  class ExprBinder;
  struct CteDef;
  struct CteFrame;

  // A FROM column named ungrouped under GROUP BY (binder_group_dependency.cc): read as
  // any_value(column) when the grouped primary key of its table determines it, else
  // grouping_error naming it `name`.
  static Result<BoundExprPtr> UngroupedColumn(AggregateState& agg, BoundExprPtr column,
                                              const std::string& name);
  // undefined_column for `names` (a column reference, possibly qualified) not found from
  // `scope`, suggesting the nearest visible column (binder_names.cc).
  static Status UndefinedColumn(const Scope& scope, const std::vector<std::string>& names,
                                const std::string& qualifier);
  // `relation "x" does not exist`, with a hint from context_.names when one applies.
  std::string UndefinedRelationMessage(const TableName& name, const std::string& ns) const;

  Result<PlanPtr> BindSelect(const SelectStmt& select, const Scope* outer);
  Result<PlanPtr> BindSelectNoWith(const SelectStmt& select, const Scope* outer);
  // WITH (binder_cte.cc): binds every item of `with`, then `body` (the statement the
  // clause belongs to) with the items' names visible; a reference becomes a CteScanNode
  // (a self-reference in WITH RECURSIVE, a WorkTableScanNode).
  Result<PlanPtr> BindWith(const WithClause& with, const Scope* outer,
                           const std::function<Result<PlanPtr>()>& body);
  // The WITH item `name` names where it is referenced (innermost WITH first), or null.
  CteDef* FindCte(const std::string& name) const;
  Result<PlanPtr> BindCteReference(CteDef& def, const std::string& alias, const Scope* outer);
  Status BindCte(CteDef& def);
  Result<PlanPtr> BindRecursiveCte(CteDef& def);
  // A view read in FROM (binder_view.cc): its query bound as a subquery, in the view's
  // namespace, seeing none of the statement's WITH items or outer columns.
  Result<PlanPtr> BindViewReference(const ViewQuery& view, const std::string& alias);
  // generate_series(...) in FROM (binder_table_function.cc).
  Result<PlanPtr> BindTableFunction(const FunctionCall& call, const std::string& alias,
                                    const Scope* outer);
  // read_parquet('path or glob') (binder_read_parquet.cc).
  Result<PlanPtr> BindReadParquet(const FunctionCall& call, const std::string& alias);
  // read_csv('path or glob' [, name => value ...]) (binder_read_csv.cc).
  Result<PlanPtr> BindReadCsv(const FunctionCall& call, const std::string& alias);
  Result<PlanPtr> BindUnnest(const FunctionCall& call, const std::string& alias,
                             const Scope* outer);
  Result<PlanPtr> BindJsonTableFunction(const FunctionCall& call, const std::string& name,
                                        JsonExpansion kind, bool jsonb, const std::string& alias,
                                        const Scope* outer);
  Result<PlanPtr> BindInsertNoWith(const InsertStmt& insert);
  Result<PlanPtr> BindUpdateNoWith(const UpdateStmt& update);
  Result<PlanPtr> BindDeleteNoWith(const DeleteStmt& del);
  // `output_types`: the types untyped output columns take (an INSERT's target columns);
  // TEXT past its end, as PostgreSQL resolves unknown.
  Result<PlanPtr> BindSimpleSelect(const SelectStmt& select, const Scope* outer,
                                   const std::vector<DataType>& output_types);
  Result<PlanPtr> BindSetOp(const SelectStmt& select, const Scope* outer);
  Result<PlanPtr> BindValues(const SelectStmt& select, const Scope* outer,
                             const std::vector<DataType>& output_types);
  Result<PlanPtr> BindFrom(const TableRef& ref, const Scope* outer);
  Result<PlanPtr> BindFromItem(const TableRef& ref, const Scope* outer);
  // A FROM item after `left` (the items before it, or a JOIN's left side): a LATERAL
  // subquery or a function sees left's columns as an outer level; `*lateral` says whether
  // it refers to anything outside itself (it then runs per left row).
  Result<PlanPtr> BindFromAfter(const TableRef& ref, const PlanNode& left, const Scope* outer,
                                bool* lateral);
  // FULL JOIN ... USING's merged columns over `join` (pairs of left, right positions).
  Result<PlanPtr> MergeFullJoinUsing(PlanPtr join,
                                     const std::vector<std::pair<size_t, size_t>>& merged);
  // A window function call (binder_window.cc): its function, arguments, window (named
  // windows resolved) and frame, bound in `window`'s input scope.
  Result<WindowCall> BindWindowFunction(const FunctionCall& call, WindowState& window);
  // The ORDER BY inside aggregate `f`'s arguments, bound in `from` (the rows it reads);
  // `call` is the aggregate as bound so far (binder_aggregate_order.cc).
  Result<std::vector<SortKey>> BindAggregateOrder(const FunctionCall& f, const Scope& from,
                                                  const AggregateCall& call);
  // The WindowNode computing `window`'s calls over `plan`; moves the calls' placeholder
  // columns in `exprs` (the select list over it) past `plan`'s columns.
  PlanPtr AddWindowNode(PlanPtr plan, WindowState& window, std::vector<BoundExprPtr>* exprs);
  Result<PlanPtr> BindOrderLimit(const SelectStmt& select, PlanPtr plan, const Scope* outer);
  Result<PlanPtr> ApplyLimit(const SelectStmt& select, PlanPtr plan, const Scope* outer);
  Result<BoundExprPtr> BindExpr(const Expr& expr, const Scope& scope);
  Result<BoundExprPtr> BindOperator(ScalarOp op, BoundExprPtr l, BoundExprPtr r,
                                    const Scope& scope);
  // Parameters no context typed become TEXT, as PostgreSQL resolves unknown.
  void FinishParameters();
  // DML's shared steps (binder_dml.cc).
  // The table a write names, checked writable (and readable when the write `reads` it).
  Result<TableProviderRef> WritableTable(const TableName& name, bool reads);
  Result<ColumnDefaultsRef> DefaultsOf(const TableEntry& table);
  Result<std::vector<BoundExprPtr>> BindReturning(const std::vector<SelectItem>& items,
                                                  const std::vector<OutputColumn>& columns,
                                                  PlanNode* node);
  Result<PlanPtr> ScanForWrite(const TableProviderRef& table, const std::string& alias,
                               const Expr* where);

  BindContext context_;
  // The WITH items visible where binding is: the innermost clause's first
  // `cte_visible_` items, then its enclosing clauses' (CteFrame::parent).
  CteFrame* cte_frame_ = nullptr;
  size_t cte_visible_ = 0;
  CteDef* binding_cte_ = nullptr;  // the WITH item whose query is being bound
  int next_cte_id_ = 0;            // CteNode and work table ids, unique in the statement
  int view_depth_ = 0;             // views being bound inside one another
  // Types an INSERT's target columns give the untyped output columns of its query
  // (taken, and cleared, by the query's top level).
  std::vector<DataType> insert_types_;
};

}  // namespace tenantdb::sql
