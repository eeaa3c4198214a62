// Statement half of PgConverter: SELECT, INSERT, UPDATE, DELETE and utility statements.
// DDL lives in pg_convert_ddl.cc.
#include <pg_query/pg_query.pb-c.h>

#include "common/stack_depth.h"
#include "sql/parser/pg_converter.h"

namespace tenantdb::sql {

TableName PgConverter::ConvertRangeVar(const PgQuery__RangeVar* rv) {
  TableName name;
  if (rv == nullptr) return name;
  if (rv->schemaname != nullptr) name.schema = rv->schemaname;
  if (rv->relname != nullptr) name.name = rv->relname;
  name.location = Loc(rv->location);
  return name;
}

Result<std::vector<SelectItem>> PgConverter::ConvertTargets(PgQuery__Node* const* nodes, size_t n) {
  std::vector<SelectItem> items;
  for (size_t i = 0; i < n; ++i) {
    if (nodes[i]->node_case != PG_QUERY__NODE__NODE_RES_TARGET) return NotSupported("target form");
    const PgQuery__ResTarget* t = nodes[i]->res_target;
    if (t->n_indirection > 0) return NotSupported("subscripted target");
    SelectItem item;
    TDB_ASSIGN_OR_RETURN(item.expr, ConvertExpr(t->val));
    if (t->name != nullptr) item.alias = t->name;
    items.push_back(std::move(item));
  }
  return items;
}

Result<std::vector<Assignment>> PgConverter::ConvertAssignments(PgQuery__Node* const* nodes,
                                                                size_t n) {
  std::vector<Assignment> out;
  for (size_t i = 0; i < n; ++i) {
    if (nodes[i]->node_case != PG_QUERY__NODE__NODE_RES_TARGET) return NotSupported("SET form");
    const PgQuery__ResTarget* t = nodes[i]->res_target;
    if (t->n_indirection > 0) return NotSupported("SET of a subscripted column");
    if (t->val != nullptr && t->val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF) {
      return NotSupported("SET (a, b) = (...)");
    }
    Assignment a;
    a.column = t->name != nullptr ? t->name : "";
    a.location = Loc(t->location);
    TDB_ASSIGN_OR_RETURN(a.value, ConvertExpr(t->val));
    out.push_back(std::move(a));
  }
  return out;
}

Result<TableRefPtr> PgConverter::ConvertFromItem(const PgQuery__Node* node) {
  DepthGuard guard(&depth_);
  if (depth_ > kMaxDepth) return TooDeep();
  if (StackNearlyExhausted()) return TooDeep(/*stack_exhausted=*/true);
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR: {
      const PgQuery__RangeVar* rv = node->range_var;
      if (rv->catalogname != nullptr && *rv->catalogname != '\0')
        return NotSupported("database-qualified table name");
      auto ref = std::make_unique<BaseTableRef>();
      ref->table = ConvertRangeVar(rv);
      if (rv->alias != nullptr) {
        for (size_t i = 0; i < rv->alias->n_colnames; ++i)
          ref->column_aliases.push_back(PgString(rv->alias->colnames[i]));
        ref->alias = rv->alias->aliasname;
      }
      return TableRefPtr(std::move(ref));
    }
    case PG_QUERY__NODE__NODE_JOIN_EXPR: {
      const PgQuery__JoinExpr* j = node->join_expr;
      if (j->is_natural) return NotSupported("NATURAL JOIN");
      auto join = std::make_unique<JoinRef>();
      for (size_t i = 0; i < j->n_using_clause; ++i)
        join->using_columns.push_back(PgString(j->using_clause[i]));
      switch (j->jointype) {
        case PG_QUERY__JOIN_TYPE__JOIN_INNER:
          join->join_type =
              j->quals == nullptr && j->n_using_clause == 0 ? JoinType::kCross : JoinType::kInner;
          break;
        case PG_QUERY__JOIN_TYPE__JOIN_LEFT:
          join->join_type = JoinType::kLeft;
          break;
        case PG_QUERY__JOIN_TYPE__JOIN_RIGHT:
          join->join_type = JoinType::kRight;
          break;
        case PG_QUERY__JOIN_TYPE__JOIN_FULL:
          join->join_type = JoinType::kFull;
          break;
        default:
          return NotSupported("join type");
      }
      TDB_ASSIGN_OR_RETURN(join->left, ConvertFromItem(j->larg));
      TDB_ASSIGN_OR_RETURN(join->right, ConvertFromItem(j->rarg));
      if (j->quals != nullptr) {
        TDB_ASSIGN_OR_RETURN(join->on, ConvertExpr(j->quals));
      }
      if (j->alias != nullptr) join->alias = j->alias->aliasname;
      return TableRefPtr(std::move(join));
    }
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT: {
      const PgQuery__RangeSubselect* r = node->range_subselect;
      if (r->subquery == nullptr || r->subquery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
        return NotSupported("subquery form in FROM");
      }
      auto ref = std::make_unique<SubqueryRef>();
      ref->lateral = r->lateral;
      TDB_ASSIGN_OR_RETURN(ref->subquery, ConvertSelect(r->subquery->select_stmt, -1));
      if (r->alias != nullptr) {
        for (size_t i = 0; i < r->alias->n_colnames; ++i)
          ref->column_aliases.push_back(PgString(r->alias->colnames[i]));
        ref->alias = r->alias->aliasname;
      }
      return TableRefPtr(std::move(ref));
    }
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION: {
      const PgQuery__RangeFunction* r = node->range_function;
      if (r->ordinality) return NotSupported("WITH ORDINALITY");
      if (r->is_rowsfrom || r->n_functions != 1) return NotSupported("ROWS FROM (...)");
      if (r->n_coldeflist > 0) return NotSupported("a column definition list");
      // Each entry of `functions` is a two-item list: the call and its column definitions.
      const PgQuery__Node* entry = r->functions[0];
      if (entry->node_case != PG_QUERY__NODE__NODE_LIST || entry->list->n_items < 1 ||
          entry->list->items[0]->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) {
        return NotSupported("function form in FROM");
      }
      auto ref = std::make_unique<FunctionRef>();
      TDB_ASSIGN_OR_RETURN(ref->call, ConvertFuncCall(entry->list->items[0]));
      if (r->alias != nullptr) {
        for (size_t i = 0; i < r->alias->n_colnames; ++i)
          ref->column_aliases.push_back(PgString(r->alias->colnames[i]));
        ref->alias = r->alias->aliasname;
      }
      return TableRefPtr(std::move(ref));
    }
    default:
      return NotSupported("FROM item " + PgNodeName(node, false));
  }
}

Result<std::unique_ptr<WithClause>> PgConverter::ConvertWith(const PgQuery__WithClause* with) {
  if (with == nullptr) return std::unique_ptr<WithClause>();
  auto out = std::make_unique<WithClause>();
  out->recursive = with->recursive;
  for (size_t i = 0; i < with->n_ctes; ++i) {
    const PgQuery__Node* node = with->ctes[i];
    if (node->node_case != PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR) return NotSupported("WITH item");
    const PgQuery__CommonTableExpr* c = node->common_table_expr;
    if (c->search_clause != nullptr) return NotSupported("SEARCH in WITH RECURSIVE");
    if (c->cycle_clause != nullptr) return NotSupported("CYCLE in WITH RECURSIVE");
    if (c->ctequery == nullptr || c->ctequery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
      return NotSupported("INSERT, UPDATE or DELETE in WITH");
    }
    CommonTableExpr cte;
    cte.name = c->ctename != nullptr ? c->ctename : "";
    for (size_t k = 0; k < c->n_aliascolnames; ++k)
      cte.column_names.push_back(PgString(c->aliascolnames[k]));
    cte.materialize = c->ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeAlways
                          ? CteMaterialize::kAlways
                      : c->ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeNever
                          ? CteMaterialize::kNever
                          : CteMaterialize::kDefault;
    cte.location = Loc(c->location);
    TDB_ASSIGN_OR_RETURN(cte.query, ConvertSelect(c->ctequery->select_stmt, Loc(c->location)));
    out->ctes.push_back(std::move(cte));
  }
  return out;
}

Result<std::vector<OrderByItem>> PgConverter::ConvertSortClause(PgQuery__Node* const* nodes,
                                                                size_t n) {
  std::vector<OrderByItem> items;
  for (size_t i = 0; i < n; ++i) {
    const PgQuery__Node* node = nodes[i];
    if (node->node_case != PG_QUERY__NODE__NODE_SORT_BY) return NotSupported("ORDER BY form");
    const PgQuery__SortBy* sb = node->sort_by;
    if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
      return NotSupported("ORDER BY USING");
    OrderByItem item;
    TDB_ASSIGN_OR_RETURN(item.expr, ConvertExpr(sb->node));
    item.direction = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_ASC ? SortDirection::kAscending
                     : sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC
                         ? SortDirection::kDescending
                         : SortDirection::kDefault;
    item.nulls =
        sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST  ? NullsOrder::kFirst
        : sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST ? NullsOrder::kLast
                                                                         : NullsOrder::kDefault;
    items.push_back(std::move(item));
  }
  return items;
}

namespace {

// PostgreSQL's FRAMEOPTION_* bits (nodes/parsenodes.h), as libpg_query reports a
// WindowDef's frame_options.
constexpr int32_t kFrameNonDefault = 0x00001;
constexpr int32_t kFrameRows = 0x00004;
constexpr int32_t kFrameGroups = 0x00008;
constexpr int32_t kFrameStartUnboundedPreceding = 0x00020;
constexpr int32_t kFrameEndUnboundedPreceding = 0x00040;
constexpr int32_t kFrameStartUnboundedFollowing = 0x00080;
constexpr int32_t kFrameEndUnboundedFollowing = 0x00100;
constexpr int32_t kFrameStartCurrentRow = 0x00200;
constexpr int32_t kFrameEndCurrentRow = 0x00400;
constexpr int32_t kFrameStartOffsetPreceding = 0x00800;
constexpr int32_t kFrameEndOffsetPreceding = 0x01000;
constexpr int32_t kFrameStartOffsetFollowing = 0x02000;
constexpr int32_t kFrameEndOffsetFollowing = 0x04000;
constexpr int32_t kFrameExcludeCurrentRow = 0x08000;
constexpr int32_t kFrameExcludeGroup = 0x10000;
constexpr int32_t kFrameExcludeTies = 0x20000;

}  // namespace

Result<std::unique_ptr<WindowSpec>> PgConverter::ConvertWindowDef(const PgQuery__WindowDef* w) {
  auto spec = std::make_unique<WindowSpec>();
  spec->location = Loc(w->location);
  if (w->name != nullptr) spec->name = w->name;
  if (w->refname != nullptr) spec->ref_name = w->refname;
  TDB_ASSIGN_OR_RETURN(spec->partition_by,
                       ConvertExprList(w->partition_clause, w->n_partition_clause));
  TDB_ASSIGN_OR_RETURN(spec->order_by, ConvertSortClause(w->order_clause, w->n_order_clause));
  const int32_t o = w->frame_options;
  if ((o & kFrameNonDefault) == 0) return spec;
  spec->has_frame = true;
  spec->unit = (o & kFrameRows)     ? FrameUnit::kRows
               : (o & kFrameGroups) ? FrameUnit::kGroups
                                    : FrameUnit::kRange;
  if (o & (kFrameEndUnboundedPreceding | kFrameStartUnboundedFollowing)) {
    return Status(ErrorCode::kWindowingError,
                  "frame start cannot be UNBOUNDED FOLLOWING and frame end cannot be "
                  "UNBOUNDED PRECEDING");
  }
  auto bound = [&](bool is_start) -> Result<FrameBound> {
    FrameBound b;
    const int32_t unbounded =
        is_start ? kFrameStartUnboundedPreceding : kFrameEndUnboundedFollowing;
    const int32_t current = is_start ? kFrameStartCurrentRow : kFrameEndCurrentRow;
    const int32_t preceding = is_start ? kFrameStartOffsetPreceding : kFrameEndOffsetPreceding;
    const int32_t following = is_start ? kFrameStartOffsetFollowing : kFrameEndOffsetFollowing;
    if (o & unbounded) {
      b.kind = is_start ? FrameBoundKind::kUnboundedPreceding : FrameBoundKind::kUnboundedFollowing;
    } else if (o & current) {
      b.kind = FrameBoundKind::kCurrentRow;
    } else if (o & (preceding | following)) {
      b.kind = (o & preceding) ? FrameBoundKind::kPreceding : FrameBoundKind::kFollowing;
      TDB_ASSIGN_OR_RETURN(b.offset, ConvertExpr(is_start ? w->start_offset : w->end_offset));
    } else {
      // ROWS n PRECEDING without BETWEEN: the end is the current row.
      b.kind = is_start ? FrameBoundKind::kUnboundedPreceding : FrameBoundKind::kCurrentRow;
    }
    return b;
  };
  TDB_ASSIGN_OR_RETURN(spec->start, bound(true));
  TDB_ASSIGN_OR_RETURN(spec->end, bound(false));
  spec->exclusion = (o & kFrameExcludeCurrentRow) ? FrameExclusion::kCurrentRow
                    : (o & kFrameExcludeGroup)    ? FrameExclusion::kGroup
                    : (o & kFrameExcludeTies)     ? FrameExclusion::kTies
                                                  : FrameExclusion::kNoOthers;
  return spec;
}

Result<std::unique_ptr<SelectStmt>> PgConverter::ConvertSelect(const PgQuery__SelectStmt* s,
                                                               int loc) {
  if (s == nullptr) return Status(ErrorCode::kSyntaxError, "missing SELECT");
  DepthGuard guard(&depth_);
  if (depth_ > kMaxDepth) return TooDeep();
  if (StackNearlyExhausted()) return TooDeep(/*stack_exhausted=*/true);
  if (s->into_clause != nullptr) return NotSupported("SELECT INTO");
  if (s->n_locking_clause > 0) return NotSupported("FOR UPDATE / FOR SHARE");
  if (s->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES) {
    return NotSupported("FETCH ... WITH TIES");
  }
  auto out = std::make_unique<SelectStmt>(loc);
  TDB_ASSIGN_OR_RETURN(out->with, ConvertWith(s->with_clause));
  if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
      s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED) {
    out->set_op = s->op == PG_QUERY__SET_OPERATION__SETOP_UNION       ? SetOp::kUnion
                  : s->op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ? SetOp::kIntersect
                                                                      : SetOp::kExcept;
    out->set_all = s->all;
    TDB_ASSIGN_OR_RETURN(out->left, ConvertSelect(s->larg, -1));
    TDB_ASSIGN_OR_RETURN(out->right, ConvertSelect(s->rarg, -1));
  } else if (s->n_values_lists > 0) {
    for (size_t i = 0; i < s->n_values_lists; ++i) {
      const PgQuery__Node* row = s->values_lists[i];
      if (row->node_case != PG_QUERY__NODE__NODE_LIST) return NotSupported("VALUES row form");
      TDB_ASSIGN_OR_RETURN(auto exprs, ConvertExprList(row->list->items, row->list->n_items));
      out->values.push_back(std::move(exprs));
    }
  } else {
    // Plain DISTINCT is a one-element list holding an empty node; DISTINCT ON has exprs.
    for (size_t i = 0; i < s->n_distinct_clause; ++i) {
      if (s->distinct_clause[i] != nullptr &&
          s->distinct_clause[i]->node_case != PG_QUERY__NODE__NODE__NOT_SET) {
        TDB_ASSIGN_OR_RETURN(ExprPtr on, ConvertExpr(s->distinct_clause[i]));
        out->distinct_on.push_back(std::move(on));
      }
      out->distinct = true;
    }
    TDB_ASSIGN_OR_RETURN(out->targets, ConvertTargets(s->target_list, s->n_target_list));
    for (size_t i = 0; i < s->n_from_clause; ++i) {
      TDB_ASSIGN_OR_RETURN(TableRefPtr ref, ConvertFromItem(s->from_clause[i]));
      out->from.push_back(std::move(ref));
    }
    if (s->where_clause != nullptr) {
      TDB_ASSIGN_OR_RETURN(out->where, ConvertExpr(s->where_clause));
    }
    TDB_RETURN_IF_ERROR(
        ConvertGroupClause(s->group_clause, s->n_group_clause, s->group_distinct, out.get()));
    if (s->having_clause != nullptr) {
      TDB_ASSIGN_OR_RETURN(out->having, ConvertExpr(s->having_clause));
    }
    for (size_t i = 0; i < s->n_window_clause; ++i) {
      const PgQuery__Node* w = s->window_clause[i];
      if (w->node_case != PG_QUERY__NODE__NODE_WINDOW_DEF) return NotSupported("WINDOW form");
      TDB_ASSIGN_OR_RETURN(auto spec, ConvertWindowDef(w->window_def));
      out->windows.push_back(std::move(spec));
    }
  }
  TDB_ASSIGN_OR_RETURN(out->order_by, ConvertSortClause(s->sort_clause, s->n_sort_clause));
  if (s->limit_count != nullptr) {
    TDB_ASSIGN_OR_RETURN(out->limit, ConvertExpr(s->limit_count));
  }
  if (s->limit_offset != nullptr) {
    TDB_ASSIGN_OR_RETURN(out->offset, ConvertExpr(s->limit_offset));
  }
  return out;
}

Result<StatementPtr> PgConverter::ConvertInsert(const PgQuery__Node* node) {
  const PgQuery__InsertStmt* s = node->insert_stmt;
  auto out = std::make_unique<InsertStmt>();
  TDB_ASSIGN_OR_RETURN(out->with, ConvertWith(s->with_clause));
  out->table = ConvertRangeVar(s->relation);
  if (s->relation != nullptr && s->relation->alias != nullptr) {
    out->alias = s->relation->alias->aliasname;
  }
  for (size_t i = 0; i < s->n_cols; ++i) {
    const PgQuery__ResTarget* t = s->cols[i]->res_target;
    if (t == nullptr || t->n_indirection > 0) return NotSupported("subscripted insert column");
    out->columns.push_back(t->name != nullptr ? t->name : "");
  }
  if (s->select_stmt != nullptr) {
    if (s->select_stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
      return NotSupported("INSERT source");
    }
    TDB_ASSIGN_OR_RETURN(out->source, ConvertSelect(s->select_stmt->select_stmt, -1));
  }
  if (const PgQuery__OnConflictClause* oc = s->on_conflict_clause; oc != nullptr) {
    OnConflict conflict;
    if (oc->infer != nullptr) {
      if (oc->infer->conname != nullptr && *oc->infer->conname != '\0')
        return NotSupported("ON CONFLICT ON CONSTRAINT");
      if (oc->infer->where_clause != nullptr) return NotSupported("ON CONFLICT (...) WHERE");
      for (size_t i = 0; i < oc->infer->n_index_elems; ++i) {
        const PgQuery__Node* e = oc->infer->index_elems[i];
        if (e->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM || e->index_elem->name == nullptr) {
          return NotSupported("ON CONFLICT over an expression");
        }
        conflict.columns.push_back(e->index_elem->name);
      }
    }
    if (oc->action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE) {
      conflict.action = OnConflictAction::kDoUpdate;
      TDB_ASSIGN_OR_RETURN(conflict.assignments,
                           ConvertAssignments(oc->target_list, oc->n_target_list));
      if (oc->where_clause != nullptr) {
        TDB_ASSIGN_OR_RETURN(conflict.where, ConvertExpr(oc->where_clause));
      }
    }
    out->on_conflict = std::move(conflict);
  }
  TDB_ASSIGN_OR_RETURN(out->returning, ConvertTargets(s->returning_list, s->n_returning_list));
  return StatementPtr(std::move(out));
}

Result<StatementPtr> PgConverter::ConvertUpdate(const PgQuery__Node* node) {
  const PgQuery__UpdateStmt* s = node->update_stmt;
  if (s->n_from_clause > 0) return NotSupported("UPDATE ... FROM");
  auto out = std::make_unique<UpdateStmt>();
  TDB_ASSIGN_OR_RETURN(out->with, ConvertWith(s->with_clause));
  out->table = ConvertRangeVar(s->relation);
  if (s->relation != nullptr && s->relation->alias != nullptr) {
    out->alias = s->relation->alias->aliasname;
  }
  TDB_ASSIGN_OR_RETURN(out->assignments, ConvertAssignments(s->target_list, s->n_target_list));
  if (s->where_clause != nullptr) {
    TDB_ASSIGN_OR_RETURN(out->where, ConvertExpr(s->where_clause));
  }
  TDB_ASSIGN_OR_RETURN(out->returning, ConvertTargets(s->returning_list, s->n_returning_list));
  return StatementPtr(std::move(out));
}

Result<StatementPtr> PgConverter::ConvertDelete(const PgQuery__Node* node) {
  const PgQuery__DeleteStmt* s = node->delete_stmt;
  if (s->n_using_clause > 0) return NotSupported("DELETE ... USING");
  auto out = std::make_unique<DeleteStmt>();
  TDB_ASSIGN_OR_RETURN(out->with, ConvertWith(s->with_clause));
  out->table = ConvertRangeVar(s->relation);
  if (s->relation != nullptr && s->relation->alias != nullptr) {
    out->alias = s->relation->alias->aliasname;
  }
  if (s->where_clause != nullptr) {
    TDB_ASSIGN_OR_RETURN(out->where, ConvertExpr(s->where_clause));
  }
  TDB_ASSIGN_OR_RETURN(out->returning, ConvertTargets(s->returning_list, s->n_returning_list));
  return StatementPtr(std::move(out));
}

namespace {

// BEGIN / SET TRANSACTION's modes: DefElems transaction_isolation (a string),
// transaction_read_only and transaction_deferrable (0 or 1). DEFERRABLE matters only to
// SERIALIZABLE READ ONLY transactions, which tenantdb refuses anyway: it is accepted and
// has no effect, as in PostgreSQL under READ COMMITTED.
Result<TransactionModes> ConvertTransactionModes(PgQuery__Node** options, size_t n) {
  TransactionModes modes;
  for (size_t i = 0; i < n; ++i) {
    const PgQuery__Node* o = options[i];
    if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM || o->def_elem->defname == nullptr ||
        o->def_elem->arg == nullptr ||
        o->def_elem->arg->node_case != PG_QUERY__NODE__NODE_A_CONST) {
      return NotSupported("transaction mode of this form");
    }
    const std::string_view name = o->def_elem->defname;
    const PgQuery__AConst* value = o->def_elem->arg->a_const;
    if (name == "transaction_isolation" && value->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
      modes.isolation = value->sval->sval;
    } else if (name == "transaction_read_only" && value->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
      modes.read_only = value->ival->ival != 0;
    } else if (name != "transaction_deferrable") {
      return NotSupported("transaction mode " + std::string(name));
    }
  }
  return modes;
}

}  // namespace

Result<StatementPtr> PgConverter::ConvertUtility(const PgQuery__Node* node) {
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT: {
      auto out = std::make_unique<TransactionStmt>();
      switch (node->transaction_stmt->kind) {
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
          out->action = TransactionAction::kBegin;
          break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
          out->action = TransactionAction::kCommit;
          break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
          out->action = TransactionAction::kRollback;
          break;
        default:
          return NotSupported("statement SAVEPOINT / RELEASE / two-phase commit");
      }
      if (out->action == TransactionAction::kBegin) {
        const PgQuery__TransactionStmt* t = node->transaction_stmt;
        TDB_ASSIGN_OR_RETURN(out->modes, ConvertTransactionModes(t->options, t->n_options));
      }
      return StatementPtr(std::move(out));
    }
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT: {
      const PgQuery__ExplainStmt* e = node->explain_stmt;
      auto out = std::make_unique<ExplainStmt>();
      for (size_t i = 0; i < e->n_options; ++i) {
        const PgQuery__Node* o = e->options[i];
        if (o->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && o->def_elem->defname != nullptr &&
            std::string_view(o->def_elem->defname) == "analyze") {
          out->analyze = true;
        }
      }
      TDB_ASSIGN_OR_RETURN(out->statement, ConvertStatement(e->query));
      return StatementPtr(std::move(out));
    }
    case PG_QUERY__NODE__NODE_PREPARE_STMT: {
      const PgQuery__PrepareStmt* p = node->prepare_stmt;
      auto out = std::make_unique<PrepareStmt>();
      out->name = p->name != nullptr ? p->name : "";
      for (size_t i = 0; i < p->n_argtypes; ++i) {
        if (p->argtypes[i]->node_case != PG_QUERY__NODE__NODE_TYPE_NAME) {
          return NotSupported("PREPARE parameter type form");
        }
        TDB_ASSIGN_OR_RETURN(TypeName t, ConvertTypeName(p->argtypes[i]->type_name));
        out->parameter_types.push_back(std::move(t));
      }
      TDB_ASSIGN_OR_RETURN(out->statement, ConvertStatement(p->query));
      return StatementPtr(std::move(out));
    }
    case PG_QUERY__NODE__NODE_DEALLOCATE_STMT: {
      auto out = std::make_unique<DeallocateStmt>();
      const char* name = node->deallocate_stmt->name;
      out->name = name != nullptr ? name : "";
      return StatementPtr(std::move(out));
    }
    case PG_QUERY__NODE__NODE_EXECUTE_STMT: {
      const PgQuery__ExecuteStmt* e = node->execute_stmt;
      auto out = std::make_unique<ExecuteStmt>();
      out->name = e->name != nullptr ? e->name : "";
      TDB_ASSIGN_OR_RETURN(out->parameters, ConvertExprList(e->params, e->n_params));
      return StatementPtr(std::move(out));
    }
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: {
      const PgQuery__VariableSetStmt* v = node->variable_set_stmt;
      if (v->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI && v->name != nullptr &&
          (std::string_view(v->name) == "TRANSACTION" ||
           std::string_view(v->name) == "SESSION CHARACTERISTICS")) {
        auto out = std::make_unique<TransactionStmt>();
        out->action = std::string_view(v->name) == "TRANSACTION"
                          ? TransactionAction::kSetTransaction
                          : TransactionAction::kSetSession;
        TDB_ASSIGN_OR_RETURN(out->modes, ConvertTransactionModes(v->args, v->n_args));
        return StatementPtr(std::move(out));
      }
      auto out = std::make_unique<SetVariableStmt>();
      out->name = v->name != nullptr && *v->name != '\0' ? v->name : "all";
      out->is_local = v->is_local;
      switch (v->kind) {
        case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
          for (size_t i = 0; i < v->n_args; ++i) {
            const PgQuery__Node* a = v->args[i];
            if (a->node_case != PG_QUERY__NODE__NODE_A_CONST) {
              return NotSupported("SET " + out->name + " to this kind of value");
            }
            TDB_ASSIGN_OR_RETURN(ExprPtr value, ConvertExpr(a));
            const auto* lit = static_cast<const Literal*>(value.get());
            out->values.push_back(lit->literal_kind == LiteralKind::kString ? lit->text
                                  : lit->literal_kind == LiteralKind::kNull ? "null"
                                                                            : lit->ToString());
          }
          break;
        case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
        case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
        case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
          out->reset = true;
          break;
        default:
          return NotSupported("SET " + out->name + " in this form");
      }
      return StatementPtr(std::move(out));
    }
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT: {
      auto out = std::make_unique<ShowVariableStmt>();
      const char* name = node->variable_show_stmt->name;
      out->name = name != nullptr && *name != '\0' ? name : "all";
      return StatementPtr(std::move(out));
    }
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT: {
      const PgQuery__TruncateStmt* t = node->truncate_stmt;
      if (t->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
        return NotSupported("TRUNCATE ... CASCADE");
      auto out = std::make_unique<TruncateStmt>();
      for (size_t i = 0; i < t->n_relations; ++i) {
        const PgQuery__Node* r = t->relations[i];
        if (r->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
          return NotSupported("TRUNCATE of this form");
        auto del = std::make_unique<DeleteStmt>(Loc(r->range_var->location));
        del->table = ConvertRangeVar(r->range_var);
        out->deletes.push_back(std::move(del));
      }
      return StatementPtr(std::move(out));
    }
    case PG_QUERY__NODE__NODE_VACUUM_STMT: {
      const PgQuery__VacuumStmt* v = node->vacuum_stmt;
      auto out = std::make_unique<VacuumStmt>();
      out->is_vacuum = v->is_vacuumcmd;
      for (size_t i = 0; i < v->n_rels; ++i) {
        const PgQuery__Node* r = v->rels[i];
        if (r->node_case == PG_QUERY__NODE__NODE_VACUUM_RELATION &&
            r->vacuum_relation->relation != nullptr) {
          out->tables.push_back(ConvertRangeVar(r->vacuum_relation->relation));
        }
      }
      return StatementPtr(std::move(out));
    }
    default:
      return NotSupported("statement " + PgNodeName(node, true));
  }
}

Result<StatementPtr> PgConverter::ConvertStatement(const PgQuery__Node* node) {
  if (node == nullptr) return Status(ErrorCode::kSyntaxError, "empty statement");
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT: {
      TDB_ASSIGN_OR_RETURN(auto select, ConvertSelect(node->select_stmt, -1));
      return StatementPtr(std::move(select));
    }
    case PG_QUERY__NODE__NODE_INSERT_STMT:
      return ConvertInsert(node);
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
      return ConvertUpdate(node);
    case PG_QUERY__NODE__NODE_DELETE_STMT:
      return ConvertDelete(node);
    case PG_QUERY__NODE__NODE_CREATE_STMT:
      return ConvertCreateTable(node);
    case PG_QUERY__NODE__NODE_DROP_STMT:
      return ConvertDrop(node);
    case PG_QUERY__NODE__NODE_VIEW_STMT:
      return ConvertCreateView(node);
    case PG_QUERY__NODE__NODE_INDEX_STMT:
      return ConvertCreateIndex(node);
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
      return ConvertAlterTable(node);
    case PG_QUERY__NODE__NODE_RENAME_STMT:
      return ConvertRename(node);
    case PG_QUERY__NODE__NODE_COPY_STMT:
      return ConvertCopy(node);
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT: {
      const PgQuery__CreateSchemaStmt* s = node->create_schema_stmt;
      if (s->authrole != nullptr) return NotSupported("CREATE SCHEMA AUTHORIZATION");
      if (s->n_schema_elts > 0) return NotSupported("CREATE SCHEMA with elements");
      auto out = std::make_unique<CreateSchemaStmt>();
      out->name = s->schemaname != nullptr ? s->schemaname : "";
      out->if_not_exists = s->if_not_exists;
      return StatementPtr(std::move(out));
    }
    default:
      return ConvertUtility(node);
  }
}

}  // namespace tenantdb::sql
