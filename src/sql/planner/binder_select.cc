// SELECT binding: FROM (tables, joins, subqueries), WHERE with key-range pushdown,
// GROUP BY / HAVING / aggregates, the select list, DISTINCT, ORDER BY, LIMIT / OFFSET,
// VALUES and set operations.
#include <algorithm>

#include "catalog/namespace_alias.h"
#include "sql/function/cast.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"
#include "tables/pg_catalog/pg_oids.h"
#include "tables/system_table_provider.h"

namespace tenantdb::sql {

namespace {

// A projection of `input` keeping `keep` of its columns.
PlanPtr ProjectColumns(PlanPtr input, size_t keep) {
  auto project = std::make_unique<ProjectNode>();
  for (size_t i = 0; i < keep; ++i) {
    project->exprs.push_back(MakeColumn(i, input->columns[i].type, input->columns[i].name));
    project->columns.push_back(input->columns[i]);
  }
  project->children.push_back(std::move(input));
  project->Finish();
  return project;
}

}  // namespace

Binder::Binder(BindContext context) : context_(std::move(context)) {}
Binder::~Binder() = default;

std::vector<OutputColumn> Binder::TableColumns(const TableEntry& table, const std::string& alias) {
  std::vector<OutputColumn> columns;
  for (const Field& f : table.schema()->fields()) {
    columns.push_back(OutputColumn{f.name, f.type, alias, f.name == kRowIdColumn});
  }
  return columns;
}

Result<TableProviderRef> Binder::ResolveTable(const TableName& name) {
  TDB_ASSIGN_OR_RETURN(Relation relation, ResolveRelation(name));
  if (relation.view != nullptr) {
    return AtPosition(Status(ErrorCode::kWrongObjectType,
                             "\"" + relation.view->name +
                                 "\" is a view, not a table; tenantdb's views are read-only"),
                      name.location);
  }
  return std::move(relation.table);
}

Result<PlanPtr> Binder::BindQuery(const SelectStmt& select) {
  TDB_ASSIGN_OR_RETURN(PlanPtr plan, BindSelect(select, nullptr));
  FinishParameters();
  return plan;
}

void Binder::FinishParameters() {
  if (context_.parameter_types != nullptr) {
    for (auto& t : *context_.parameter_types)
      if (!t.has_value()) t = DataType::kText;
  }
}

Result<PlanPtr> Binder::BindSelect(const SelectStmt& select, const Scope* outer) {
  if (select.with != nullptr) {
    // The WITH items' queries are not the INSERT's rows: only the body takes its types.
    std::vector<DataType> output_types;
    output_types.swap(insert_types_);
    return BindWith(*select.with, outer, [&] {
      insert_types_ = std::move(output_types);
      return BindSelectNoWith(select, outer);
    });
  }
  return BindSelectNoWith(select, outer);
}

Result<PlanPtr> Binder::BindSelectNoWith(const SelectStmt& select, const Scope* outer) {
  std::vector<DataType> output_types;
  output_types.swap(insert_types_);
  if (select.set_op != SetOp::kNone) {
    insert_types_ = std::move(output_types);  // each operand's untyped columns take them
    return BindSetOp(select, outer);
  }
  if (!select.values.empty()) {
    TDB_ASSIGN_OR_RETURN(PlanPtr values, BindValues(select, outer, output_types));
    return BindOrderLimit(select, std::move(values), outer);
  }
  return BindSimpleSelect(select, outer, output_types);
}

Result<PlanPtr> Binder::BindValues(const SelectStmt& select, const Scope* outer,
                                   const std::vector<DataType>& output_types) {
  auto node = std::make_unique<ValuesNode>();
  const size_t width = select.values[0].size();
  std::vector<OutputColumn> none;
  Scope scope;
  scope.columns = &none;
  scope.outer = outer;
  scope.clause = "VALUES";
  for (const auto& row : select.values) {
    if (row.size() != width) {
      return Status(ErrorCode::kSyntaxError, "VALUES lists must all be the same length");
    }
    std::vector<BoundExprPtr> bound;
    for (const auto& e : row) {
      if (e->kind == ExprKind::kDefault) {
        return Status(ErrorCode::kSyntaxError, "DEFAULT is not allowed in this context");
      }
      TDB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*e, scope));
      bound.push_back(std::move(b));
    }
    node->rows.push_back(std::move(bound));
  }
  for (size_t c = 0; c < width; ++c) {
    std::optional<DataType> type;
    for (const auto& row : node->rows) {
      if (row[c]->unknown_type) continue;
      if (!type) {
        type = row[c]->type;
        continue;
      }
      auto common = CommonType(*type, row[c]->type);
      if (!common) {
        return Status(ErrorCode::kTypeMismatch,
                      "VALUES types " + std::string(PgTypeName(*type)) + " and " +
                          std::string(PgTypeName(row[c]->type)) + " cannot be matched");
      }
      type = common;
    }
    const DataType t = type.value_or(c < output_types.size() ? output_types[c] : DataType::kText);
    for (auto& row : node->rows) {
      TDB_ASSIGN_OR_RETURN(row[c], Coerce(std::move(row[c]), t, CoercionKind::kImplicit,
                                          context_.parameter_types, "VALUES"));
    }
    node->columns.push_back(OutputColumn{"column" + std::to_string(c + 1), t, "", false});
  }
  node->Finish();
  return PlanPtr(std::move(node));
}

Result<PlanPtr> Binder::BindSetOp(const SelectStmt& select, const Scope* outer) {
  const char* op_name = select.set_op == SetOp::kUnion       ? "UNION"
                        : select.set_op == SetOp::kIntersect ? "INTERSECT"
                                                             : "EXCEPT";
  std::vector<DataType> output_types;
  output_types.swap(insert_types_);
  insert_types_ = output_types;
  TDB_ASSIGN_OR_RETURN(PlanPtr left, BindSelect(*select.left, outer));
  insert_types_ = std::move(output_types);
  TDB_ASSIGN_OR_RETURN(PlanPtr right, BindSelect(*select.right, outer));
  if (left->columns.size() != right->columns.size()) {
    return Status(ErrorCode::kSyntaxError,
                  std::string("each ") + op_name + " query must have the same number of columns");
  }
  std::vector<DataType> types;
  bool cast_left = false, cast_right = false;
  for (size_t i = 0; i < left->columns.size(); ++i) {
    const DataType l = left->columns[i].type, r = right->columns[i].type;
    auto common = CommonType(l, r);
    if (!common) {
      return Status(ErrorCode::kTypeMismatch,
                    std::string(op_name) + " types " + std::string(PgTypeName(l)) + " and " +
                        std::string(PgTypeName(r)) + " cannot be matched");
    }
    types.push_back(*common);
    cast_left |= *common != l;
    cast_right |= *common != r;
  }
  auto cast_all = [&](PlanPtr plan) -> Result<PlanPtr> {
    auto project = std::make_unique<ProjectNode>();
    for (size_t i = 0; i < types.size(); ++i) {
      BoundExprPtr col = MakeColumn(i, plan->columns[i].type, plan->columns[i].name);
      TDB_ASSIGN_OR_RETURN(col, Coerce(std::move(col), types[i], CoercionKind::kImplicit, nullptr,
                                       std::string(op_name) + " column"));
      project->exprs.push_back(std::move(col));
      project->columns.push_back(OutputColumn{plan->columns[i].name, types[i], "", false});
    }
    project->children.push_back(std::move(plan));
    project->Finish();
    return PlanPtr(std::move(project));
  };
  if (cast_left) {
    TDB_ASSIGN_OR_RETURN(left, cast_all(std::move(left)));
  }
  if (cast_right) {
    TDB_ASSIGN_OR_RETURN(right, cast_all(std::move(right)));
  }
  auto node = std::make_unique<SetOpNode>();
  node->set_op = select.set_op;
  node->set_all = select.set_all;
  for (const OutputColumn& c : left->columns)
    node->columns.push_back(OutputColumn{c.name, c.type, "", false});
  node->children.push_back(std::move(left));
  node->children.push_back(std::move(right));
  node->Finish();
  return BindOrderLimit(select, std::move(node), outer);
}

Result<PlanPtr> Binder::BindFrom(const TableRef& ref, const Scope* outer) {
  TDB_ASSIGN_OR_RETURN(PlanPtr plan, BindFromItem(ref, outer));
  if (ref.column_aliases.empty()) return plan;
  size_t next = 0;
  for (OutputColumn& c : plan->columns) {
    if (c.hidden) continue;
    if (next == ref.column_aliases.size()) break;
    c.name = ref.column_aliases[next++];
  }
  if (next < ref.column_aliases.size()) {
    return Status(ErrorCode::kInvalidArgument,
                  "table \"" + ref.alias + "\" has " + std::to_string(next) +
                      " columns available but " + std::to_string(ref.column_aliases.size()) +
                      " columns specified");
  }
  plan->Finish();
  return plan;
}

Result<PlanPtr> Binder::BindFromAfter(const TableRef& ref, const PlanNode& left, const Scope* outer,
                                      bool* lateral) {
  *lateral = false;
  if (!ref.lateral && ref.kind != TableRefKind::kFunction) return BindFrom(ref, outer);
  Scope scope;
  scope.columns = &left.columns;
  scope.outer = outer;
  scope.clause = "FROM";
  TDB_ASSIGN_OR_RETURN(PlanPtr plan, BindFrom(ref, &scope));
  *lateral = PlanReferencesOuter(*plan, 0);
  return plan;
}

Result<PlanPtr> Binder::BindFromItem(const TableRef& ref, const Scope* outer) {
  switch (ref.kind) {
    case TableRefKind::kTable: {
      const auto& t = static_cast<const BaseTableRef&>(ref);
      if (t.table.schema.empty()) {
        if (CteDef* cte = FindCte(t.table.name); cte != nullptr) {
          return BindCteReference(*cte, ref.alias.empty() ? t.table.name : ref.alias, outer);
        }
      }
      TDB_ASSIGN_OR_RETURN(Relation relation, ResolveRelation(t.table));
      if (relation.view != nullptr) {
        return BindViewReference(*relation.view, ref.alias.empty() ? t.table.name : ref.alias);
      }
      TableProviderRef table = std::move(relation.table);
      if (context_.request != nullptr) TDB_RETURN_IF_ERROR(table->CheckRead(*context_.request));
      auto scan = std::make_unique<ScanNode>();
      scan->columns = TableColumns(*table, ref.alias.empty() ? t.table.name : ref.alias);
      scan->table = std::move(table);
      if (context_.indexes != nullptr) {
        scan->indexes = context_.indexes->Get(scan->table->table_number());
      }
      scan->Finish();
      return PlanPtr(std::move(scan));
    }
    case TableRefKind::kSubquery: {
      const auto& s = static_cast<const SubqueryRef&>(ref);
      TDB_ASSIGN_OR_RETURN(PlanPtr plan, BindSelect(*s.subquery, outer));
      for (OutputColumn& c : plan->columns) {
        c.table = ref.alias;
      }
      plan->Finish();
      return plan;
    }
    case TableRefKind::kFunction: {
      const auto& f = static_cast<const FunctionRef&>(ref);
      return BindTableFunction(static_cast<const FunctionCall&>(*f.call), ref.alias, outer);
    }
    case TableRefKind::kJoin: {
      const auto& j = static_cast<const JoinRef&>(ref);
      const bool swap = j.join_type == JoinType::kRight;
      TDB_ASSIGN_OR_RETURN(PlanPtr left, BindFrom(swap ? *j.right : *j.left, outer));
      bool lateral = false;
      PlanPtr right;
      if (swap || j.join_type == JoinType::kFull) {
        if (j.right->lateral) {
          return Status(ErrorCode::kFeatureNotSupported,
                        "a LATERAL item may only be joined with INNER, CROSS or LEFT JOIN");
        }
        TDB_ASSIGN_OR_RETURN(right, BindFrom(swap ? *j.left : *j.right, outer));
      } else {
        TDB_ASSIGN_OR_RETURN(right, BindFromAfter(*j.right, *left, outer, &lateral));
      }
      auto join = std::make_unique<JoinNode>();
      join->lateral = lateral;
      join->join_type = j.join_type == JoinType::kCross ? JoinType::kInner
                        : swap                          ? JoinType::kLeft
                                                        : j.join_type;
      join->columns = left->columns;
      join->columns.insert(join->columns.end(), right->columns.begin(), right->columns.end());
      const size_t left_width = left->columns.size();
      const size_t right_width = right->columns.size();
      join->children.push_back(std::move(left));
      join->children.push_back(std::move(right));
      // FULL JOIN ... USING: (left, right) positions of each merged column.
      std::vector<std::pair<size_t, size_t>> merged;
      if (!j.using_columns.empty()) {
        BoundExprPtr all;
        for (const std::string& name : j.using_columns) {
          auto find = [&](size_t from, size_t to, const char* side) -> Result<size_t> {
            std::optional<size_t> hit;
            for (size_t i = from; i < to; ++i) {
              const OutputColumn& c = join->columns[i];
              if (c.name != name || c.hidden) continue;
              if (hit.has_value()) {
                return Status(ErrorCode::kAmbiguousColumn, "common column name \"" + name +
                                                               "\" appears more than once in " +
                                                               side + " table");
              }
              hit = i;
            }
            if (!hit.has_value()) {
              return Status(ErrorCode::kUndefinedColumn, "column \"" + name +
                                                             "\" specified in USING clause does "
                                                             "not exist in " +
                                                             side + " table");
            }
            return *hit;
          };
          TDB_ASSIGN_OR_RETURN(size_t l, find(0, left_width, swap ? "right" : "left"));
          TDB_ASSIGN_OR_RETURN(size_t r,
                               find(left_width, join->columns.size(), swap ? "left" : "right"));
          Scope scope;
          scope.columns = &join->columns;
          TDB_ASSIGN_OR_RETURN(
              BoundExprPtr eq,
              BindOperator(ScalarOp::kEqual, MakeColumn(l, join->columns[l].type, name),
                           MakeColumn(r, join->columns[r].type, name), scope));
          if (all) {
            TDB_ASSIGN_OR_RETURN(
                all, BindOperator(ScalarOp::kAnd, std::move(all), std::move(eq), scope));
          } else {
            all = std::move(eq);
          }
          // The merged column shows once: the preserved side's copy (for FULL JOIN, a
          // COALESCE of both, added below).
          join->columns[r].hidden = true;
          merged.emplace_back(l, r);
        }
        join->condition = std::move(all);  // the optimizer takes hash-join keys from it
      } else if (j.on) {
        Scope scope;
        scope.columns = &join->columns;
        scope.outer = outer;
        scope.clause = "JOIN conditions";
        TDB_ASSIGN_OR_RETURN(BoundExprPtr on, BindExpr(*j.on, scope));
        if (on->unknown_type || on->type != DataType::kBoolean) {
          TDB_ASSIGN_OR_RETURN(on,
                               Coerce(std::move(on), DataType::kBoolean, CoercionKind::kImplicit,
                                      context_.parameter_types, "argument of JOIN/ON"));
        }
        join->condition = std::move(on);
      }
      join->Finish();
      if (j.join_type == JoinType::kFull && !merged.empty()) {
        return MergeFullJoinUsing(std::move(join), merged);
      }
      if (!swap) return PlanPtr(std::move(join));
      // Restore the written column order: the written left table first.
      auto project = std::make_unique<ProjectNode>();
      for (size_t i = 0; i < right_width; ++i) {
        const OutputColumn& c = join->columns[left_width + i];
        project->exprs.push_back(MakeColumn(left_width + i, c.type, c.name));
        project->columns.push_back(c);
      }
      for (size_t i = 0; i < left_width; ++i) {
        const OutputColumn& c = join->columns[i];
        project->exprs.push_back(MakeColumn(i, c.type, c.name));
        project->columns.push_back(c);
      }
      project->children.push_back(std::move(join));
      project->Finish();
      return PlanPtr(std::move(project));
    }
  }
  return Status(ErrorCode::kInternal, "unknown FROM item");
}

Result<PlanPtr> Binder::MergeFullJoinUsing(PlanPtr join,
                                           const std::vector<std::pair<size_t, size_t>>& merged) {
  // Either side may be the NULL-extended one, so a merged column is COALESCE(left, right)
  // in the left column's place (what `k` and `*` see); the sides' own copies stay
  // reachable as `l.k` and `r.k` through hidden columns.
  auto project = std::make_unique<ProjectNode>();
  std::vector<size_t> left_copies;
  for (size_t i = 0; i < join->columns.size(); ++i) {
    const OutputColumn& c = join->columns[i];
    auto pair =
        std::find_if(merged.begin(), merged.end(), [&](const auto& m) { return m.first == i; });
    if (pair == merged.end()) {
      project->exprs.push_back(MakeColumn(i, c.type, c.name));
      project->columns.push_back(c);
      continue;
    }
    const OutputColumn& right = join->columns[pair->second];
    auto common = CommonType(c.type, right.type);
    if (!common) {
      return Status(ErrorCode::kTypeMismatch,
                    "JOIN/USING types " + std::string(PgTypeName(c.type)) + " and " +
                        std::string(PgTypeName(right.type)) + " cannot be matched");
    }
    auto coalesce = std::make_unique<BoundExpr>();
    coalesce->kind = BoundExprKind::kCoalesce;
    coalesce->type = *common;
    coalesce->name = "coalesce";
    for (size_t side : {i, pair->second}) {
      TDB_ASSIGN_OR_RETURN(BoundExprPtr col,
                           Coerce(MakeColumn(side, join->columns[side].type, c.name), *common,
                                  CoercionKind::kImplicit, nullptr, "JOIN/USING"));
      coalesce->children.push_back(std::move(col));
    }
    project->exprs.push_back(std::move(coalesce));
    project->columns.push_back(OutputColumn{c.name, *common, "", false});
    left_copies.push_back(i);
  }
  for (size_t i : left_copies) {
    OutputColumn c = join->columns[i];
    c.hidden = true;
    project->exprs.push_back(MakeColumn(i, c.type, c.name));
    project->columns.push_back(std::move(c));
  }
  project->children.push_back(std::move(join));
  project->Finish();
  return PlanPtr(std::move(project));
}

Result<PlanPtr> Binder::BindSimpleSelect(const SelectStmt& select, const Scope* outer,
                                         const std::vector<DataType>& output_types) {
  // FROM
  PlanPtr plan;
  if (select.from.empty()) {
    auto values = std::make_unique<ValuesNode>();
    values->rows.emplace_back();  // one row, no columns
    plan = std::move(values);
    plan->Finish();
  } else {
    for (const auto& ref : select.from) {
      if (!plan) {
        TDB_ASSIGN_OR_RETURN(plan, BindFrom(*ref, outer));
        continue;
      }
      bool lateral = false;
      TDB_ASSIGN_OR_RETURN(PlanPtr item, BindFromAfter(*ref, *plan, outer, &lateral));
      auto join = std::make_unique<JoinNode>();
      join->join_type = JoinType::kInner;
      join->lateral = lateral;
      join->columns = plan->columns;
      join->columns.insert(join->columns.end(), item->columns.begin(), item->columns.end());
      join->children.push_back(std::move(plan));
      join->children.push_back(std::move(item));
      join->Finish();
      plan = std::move(join);
    }
  }
  const std::vector<OutputColumn> from_columns = plan->columns;
  Scope from_scope;
  from_scope.columns = &from_columns;
  from_scope.outer = outer;

  // WHERE
  if (select.where) {
    from_scope.clause = "WHERE";
    TDB_ASSIGN_OR_RETURN(BoundExprPtr where, BindExpr(*select.where, from_scope));
    TDB_ASSIGN_OR_RETURN(where,
                         Coerce(std::move(where), DataType::kBoolean, CoercionKind::kImplicit,
                                context_.parameter_types, "argument of WHERE"));
    plan = MakeFilter(std::move(plan), std::move(where));
  }

  // GROUP BY and aggregates
  bool aggregate =
      !select.group_by.empty() || !select.grouping_sets.empty() || (select.having && true);
  for (const SelectItem& item : select.targets)
    aggregate |= ContainsAggregate(*item.expr);
  AggregateState agg;
  agg.from = &from_scope;
  Scope select_scope = from_scope;
  AggregateNode* agg_node = nullptr;
  if (aggregate) {
    auto node = std::make_unique<AggregateNode>();
    from_scope.clause = "GROUP BY";
    for (const auto& g : select.group_by) {
      const Expr* item = g.get();
      // GROUP BY 2 or GROUP BY alias name the select list's items.
      if (g->kind == ExprKind::kLiteral &&
          static_cast<const Literal&>(*g).literal_kind == LiteralKind::kInteger) {
        const int64_t pos = static_cast<const Literal&>(*g).integer;
        if (pos < 1 || pos > static_cast<int64_t>(select.targets.size())) {
          return Status(ErrorCode::kUndefinedColumn,
                        "GROUP BY position " + std::to_string(pos) + " is not in select list");
        }
        item = select.targets[pos - 1].expr.get();
      } else if (g->kind == ExprKind::kColumnRef &&
                 static_cast<const ColumnRef&>(*g).names.size() == 1) {
        const std::string& name = static_cast<const ColumnRef&>(*g).names[0];
        bool in_from = false;
        for (const OutputColumn& c : from_columns)
          in_from |= c.name == name;
        if (!in_from) {
          for (const SelectItem& t : select.targets)
            if (t.alias == name) item = t.expr.get();
        }
      }
      if (ContainsAggregate(*item)) {
        return Status(ErrorCode::kGroupingError, "aggregate functions are not allowed in GROUP BY");
      }
      TDB_ASSIGN_OR_RETURN(BoundExprPtr key, BindExpr(*item, from_scope));
      if (key->unknown_type) {
        TDB_ASSIGN_OR_RETURN(key, Coerce(std::move(key), DataType::kText, CoercionKind::kImplicit,
                                         context_.parameter_types, "GROUP BY"));
      }
      agg.group_texts.push_back(item->ToString());
      agg.group_bound.push_back(key->ToString());
      agg.group_types.push_back(key->type);
      node->columns.push_back(OutputColumn{OutputName(*item), key->type, "", false});
      node->group_keys.push_back(std::move(key));
    }
    // PostgreSQL's functional dependency: a grouped primary key groups its table's
    // other columns too (not with GROUPING SETS, where a set may leave the key out).
    if (select.grouping_sets.empty()) agg.dependent = DependentColumns(*plan, node->group_keys);
    if (!select.grouping_sets.empty()) {
      // The hidden column of a row's grouping set, placed like one more key so that the
      // aggregates' columns follow it; its text matches no expression.
      node->grouping_sets = select.grouping_sets;
      agg.grouping_sets = &node->grouping_sets;
      agg.grouping_set_column = node->group_keys.size();
      agg.group_texts.emplace_back(1, '\0');
      agg.group_bound.emplace_back(1, '\0');
      agg.group_types.push_back(DataType::kInt);
      node->columns.push_back(OutputColumn{"?grouping set?", DataType::kInt, "", true});
    }
    node->children.push_back(std::move(plan));
    agg_node = node.get();
    plan = std::move(node);
    select_scope.aggregate = &agg;
  }

  // Window functions: in the select list and ORDER BY, over the rows after GROUP BY and
  // HAVING (binder_window.cc).
  WindowState window;
  const Scope window_input = select_scope;
  window.input = &window_input;
  window.named = &select.windows;
  select_scope.window = &window;

  // The select list.
  auto project = std::make_unique<ProjectNode>();
  select_scope.clause = "the select list";
  for (const SelectItem& item : select.targets) {
    if (item.expr->kind == ExprKind::kStar) {
      const auto& star = static_cast<const StarExpr&>(*item.expr);
      const std::string qualifier = star.qualifier.empty() ? "" : star.qualifier.back();
      bool any = false;
      for (size_t i = 0; i < from_columns.size(); ++i) {
        const OutputColumn& c = from_columns[i];
        if (!qualifier.empty() && c.table != qualifier) continue;
        any = true;
        if (c.hidden) continue;
        if (aggregate) {
          // Under GROUP BY each column must be grouped or determined by a grouped
          // primary key, as if written out (`t.c`, the name PostgreSQL's error gives).
          ColumnRef ref(item.expr->location);
          if (!c.table.empty()) ref.names.push_back(c.table);
          ref.names.push_back(c.name);
          Result<BoundExprPtr> e = BindExpr(ref, select_scope);
          if (!e.ok()) return AtPosition(e.status(), item.expr->location);
          project->exprs.push_back(std::move(*e));
        } else {
          project->exprs.push_back(MakeColumn(i, c.type, c.name));
        }
        project->columns.push_back(OutputColumn{c.name, c.type, "", false});
      }
      if (!any && !qualifier.empty()) {
        return AtPosition(Status(ErrorCode::kUndefinedTable,
                                 "missing FROM-clause entry for table \"" + qualifier + "\""),
                          item.expr->location);
      }
      continue;
    }
    TDB_ASSIGN_OR_RETURN(BoundExprPtr e, BindExpr(*item.expr, select_scope));
    if (e->unknown_type) {
      const size_t position = project->columns.size();
      const DataType type =
          position < output_types.size() ? output_types[position] : DataType::kText;
      Result<BoundExprPtr> typed = Coerce(std::move(e), type, CoercionKind::kImplicit,
                                          context_.parameter_types, "select item");
      if (!typed.ok()) return AtPosition(typed.status(), item.expr->location);
      e = std::move(*typed);
    }
    const std::string name = item.alias.empty() ? OutputName(*item.expr) : item.alias;
    project->columns.push_back(OutputColumn{name, e->type, "", false});
    project->exprs.push_back(std::move(e));
  }
  // HAVING
  BoundExprPtr having;
  if (select.having) {
    select_scope.clause = "HAVING";
    select_scope.window = nullptr;
    TDB_ASSIGN_OR_RETURN(having, BindExpr(*select.having, select_scope));
    select_scope.window = &window;
    TDB_ASSIGN_OR_RETURN(having,
                         Coerce(std::move(having), DataType::kBoolean, CoercionKind::kImplicit,
                                context_.parameter_types, "argument of HAVING"));
  }

  // ORDER BY (and DISTINCT ON): output columns by position or name, else expressions over
  // the input, carried as hidden extra columns of the projection.
  const size_t visible = project->columns.size();
  const bool distinct_on = !select.distinct_on.empty();
  auto item_column = [&](const Expr& item, const char* clause) -> Result<size_t> {
    std::optional<size_t> column;
    if (item.kind == ExprKind::kLiteral &&
        static_cast<const Literal&>(item).literal_kind == LiteralKind::kInteger) {
      const int64_t pos = static_cast<const Literal&>(item).integer;
      if (pos < 1 || pos > static_cast<int64_t>(visible)) {
        return Status(
            ErrorCode::kUndefinedColumn,
            std::string(clause) + " position " + std::to_string(pos) + " is not in select list");
      }
      return static_cast<size_t>(pos - 1);
    }
    if (item.kind == ExprKind::kColumnRef &&
        static_cast<const ColumnRef&>(item).names.size() == 1) {
      const std::string& name = static_cast<const ColumnRef&>(item).names[0];
      for (size_t i = 0; i < visible; ++i) {
        if (project->columns[i].name == name && (!column.has_value())) column = i;
      }
      if (column.has_value()) return *column;
    }
    select_scope.clause = clause;
    TDB_ASSIGN_OR_RETURN(BoundExprPtr e, BindExpr(item, select_scope));
    const std::string text = e->ToString();
    for (size_t i = 0; i < project->exprs.size(); ++i) {
      if (project->exprs[i]->ToString() == text) return i;
    }
    if (select.distinct && !distinct_on) {
      return Status(ErrorCode::kSyntaxError,
                    "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
    }
    project->columns.push_back(OutputColumn{"?sort?", e->type, "", true});
    project->exprs.push_back(std::move(e));
    return project->exprs.size() - 1;
  };
  auto sort_key = [&](size_t column, bool descending, bool nulls_first) {
    SortKey key;
    key.descending = descending;
    key.nulls_first = nulls_first;
    key.expr = MakeColumn(column, project->columns[column].type, project->columns[column].name);
    return key;
  };
  std::vector<SortKey> keys;
  for (const OrderByItem& o : select.order_by) {
    const bool descending = o.direction == SortDirection::kDescending;
    TDB_ASSIGN_OR_RETURN(size_t column, item_column(*o.expr, "ORDER BY"));
    keys.push_back(
        sort_key(column, descending,
                 o.nulls == NullsOrder::kDefault ? descending : o.nulls == NullsOrder::kFirst));
  }
  // DISTINCT ON keeps the first row of each value in the ORDER BY order, so ORDER BY
  // must start with the DISTINCT ON expressions (PostgreSQL's rule); those ORDER BY does
  // not name are sorted on after it.
  std::vector<size_t> on_columns;
  for (const auto& e : select.distinct_on) {
    TDB_ASSIGN_OR_RETURN(size_t column, item_column(*e, "DISTINCT ON"));
    if (std::find(on_columns.begin(), on_columns.end(), column) == on_columns.end()) {
      on_columns.push_back(column);
    }
  }
  if (distinct_on) {
    const Status mismatch(ErrorCode::kInvalidColumnReference,
                          "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
    bool skipped = false;
    std::vector<size_t> sorted;
    for (const SortKey& k : keys) {
      const size_t c = k.expr->column;
      if (std::find(on_columns.begin(), on_columns.end(), c) == on_columns.end()) {
        skipped = true;
        continue;
      }
      if (skipped) return mismatch;
      sorted.push_back(c);
    }
    for (size_t c : on_columns) {
      if (std::find(sorted.begin(), sorted.end(), c) != sorted.end()) continue;
      if (skipped) return mismatch;
      keys.push_back(sort_key(c, false, false));
    }
  }

  if (agg_node != nullptr) {
    // HAVING alone (no GROUP BY, no aggregate) still makes one group of all rows, which
    // PostgreSQL returns as one row (SELECT 1 FROM t HAVING true; even for no rows). A
    // batch without columns has no rows: a hidden count(*) gives the group its column.
    if (agg.calls.empty() && agg_node->group_keys.empty() && agg_node->grouping_sets.empty()) {
      AggregateCall count;
      count.function = AggregateFunction::kCountStar;
      count.type = DataType::kBigInt;
      agg_node->columns.push_back(OutputColumn{"?agg?", count.type, "", true});
      agg_node->aggregates.push_back(std::move(count));
    }
    for (AggregateCall& call : agg.calls) {
      agg_node->columns.push_back(OutputColumn{"?agg?", call.type, "", false});
      agg_node->aggregates.push_back(std::move(call));
    }
    agg_node->Finish();
    if (having) {
      auto filter = std::make_unique<FilterNode>();
      filter->columns = plan->columns;
      filter->predicate = std::move(having);
      filter->children.push_back(std::move(plan));
      filter->Finish();
      plan = std::move(filter);
    }
  }
  if (!window.calls.empty()) plan = AddWindowNode(std::move(plan), window, &project->exprs);
  project->children.push_back(std::move(plan));
  project->Finish();
  plan = std::move(project);

  auto add_distinct = [&](std::vector<size_t> key_columns) {
    auto distinct = std::make_unique<DistinctNode>();
    distinct->columns = plan->columns;
    distinct->key_columns = std::move(key_columns);
    distinct->children.push_back(std::move(plan));
    distinct->Finish();
    plan = std::move(distinct);
  };
  if (select.distinct && !distinct_on) add_distinct({});
  // Sort, limit, then drop the hidden sort columns. DISTINCT ON picks from sorted rows.
  if (!keys.empty()) {
    auto sort = std::make_unique<SortNode>();
    sort->columns = plan->columns;
    sort->sort_keys = std::move(keys);
    sort->children.push_back(std::move(plan));
    sort->Finish();
    plan = std::move(sort);
  }
  if (distinct_on) add_distinct(std::move(on_columns));
  TDB_ASSIGN_OR_RETURN(plan, ApplyLimit(select, std::move(plan), outer));
  if (plan->columns.size() > visible) plan = ProjectColumns(std::move(plan), visible);
  return plan;
}

Result<PlanPtr> Binder::BindOrderLimit(const SelectStmt& select, PlanPtr plan, const Scope* outer) {
  if (!select.order_by.empty()) {
    auto sort = std::make_unique<SortNode>();
    sort->columns = plan->columns;
    for (const OrderByItem& o : select.order_by) {
      SortKey key;
      key.descending = o.direction == SortDirection::kDescending;
      key.nulls_first =
          o.nulls == NullsOrder::kDefault ? key.descending : o.nulls == NullsOrder::kFirst;
      std::optional<size_t> column;
      if (o.expr->kind == ExprKind::kLiteral &&
          static_cast<const Literal&>(*o.expr).literal_kind == LiteralKind::kInteger) {
        const int64_t pos = static_cast<const Literal&>(*o.expr).integer;
        if (pos >= 1 && pos <= static_cast<int64_t>(plan->columns.size())) column = pos - 1;
      } else if (o.expr->kind == ExprKind::kColumnRef &&
                 static_cast<const ColumnRef&>(*o.expr).names.size() == 1) {
        const std::string& name = static_cast<const ColumnRef&>(*o.expr).names[0];
        for (size_t i = 0; i < plan->columns.size() && !column; ++i)
          if (plan->columns[i].name == name) column = i;
      }
      if (!column.has_value()) {
        return Status(ErrorCode::kFeatureNotSupported,
                      "ORDER BY on a UNION or VALUES must name an output column or position: " +
                          o.expr->ToString());
      }
      key.expr = MakeColumn(*column, plan->columns[*column].type, plan->columns[*column].name);
      sort->sort_keys.push_back(std::move(key));
    }
    sort->children.push_back(std::move(plan));
    sort->Finish();
    plan = std::move(sort);
  }
  return ApplyLimit(select, std::move(plan), outer);
}

Result<PlanPtr> Binder::ApplyLimit(const SelectStmt& select, PlanPtr plan, const Scope* outer) {
  if (!select.limit && !select.offset) return plan;
  std::vector<OutputColumn> none;
  Scope scope;
  scope.columns = &none;
  scope.outer = outer;
  scope.clause = "LIMIT";
  auto limit = std::make_unique<LimitNode>();
  limit->columns = plan->columns;
  if (select.limit) {
    TDB_ASSIGN_OR_RETURN(limit->limit, BindExpr(*select.limit, scope));
    TDB_ASSIGN_OR_RETURN(
        limit->limit, Coerce(std::move(limit->limit), DataType::kBigInt, CoercionKind::kAssignment,
                             context_.parameter_types, "argument of LIMIT"));
  }
  if (select.offset) {
    TDB_ASSIGN_OR_RETURN(limit->offset, BindExpr(*select.offset, scope));
    TDB_ASSIGN_OR_RETURN(limit->offset, Coerce(std::move(limit->offset), DataType::kBigInt,
                                               CoercionKind::kAssignment, context_.parameter_types,
                                               "argument of OFFSET"));
  }
  limit->children.push_back(std::move(plan));
  limit->Finish();
  return PlanPtr(std::move(limit));
}

}  // namespace tenantdb::sql
