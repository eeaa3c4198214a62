// WITH binding: common table expressions, plain and RECURSIVE, following PostgreSQL 15
// (parse_cte.c):
//
//   scope     an item is visible to the statement its clause belongs to (subqueries
//             included), and to the clause's later items (to all of them with RECURSIVE);
//             an inner clause's name hides an outer one's. Every item is bound, read or
//             not, so a broken one fails the statement.
//   plan      each item's query is bound once, into a CteNode shared by the CteScanNodes
//             that read it; the optimizer inlines an item read once (cte_inlining.cc).
//   RECURSIVE an item that reads itself must be `non-recursive-term UNION [ALL]
//             recursive-term`, read itself once, in the recursive term, not from a
//             subquery; it becomes a RecursiveUnionNode whose recursive term reads the
//             last iteration's rows through a WorkTableScanNode. Its column types are the
//             non-recursive term's: the recursive term's are cast to them when the
//             implicit casts allow it (integer -> bigint), and are an error otherwise.
//
// Errors: duplicate_alias (a name twice in one clause), invalid_column_reference (more
// column names than columns), invalid_recursion (a recursive item of the wrong shape),
// feature_not_supported (mutual recursion, ORDER BY / LIMIT in a recursive item, a
// correlated item read from a subquery), type_mismatch (recursive column types).
#include "sql/function/cast.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"

namespace tenantdb::sql {

struct Binder::CteFrame {
  const WithClause* with = nullptr;
  CteFrame* parent = nullptr;  // the enclosing clause's frame, and how many of its
  size_t parent_visible = 0;   // items were visible where this clause is
  std::vector<CteDef> defs;
};

struct Binder::CteDef {
  enum class State : uint8_t { kUnbound, kBinding, kNonRecursiveTerm, kRecursiveTerm, kBound };

  const CommonTableExpr* ast = nullptr;
  CteFrame* frame = nullptr;
  size_t index = 0;              // in frame->defs
  const Scope* outer = nullptr;  // where the clause's statement is bound
  State state = State::kUnbound;
  std::vector<OutputColumn> columns;  // named as the WITH item says; known once bound
                                      // (during the recursive term: the non-recursive's)
  std::shared_ptr<CteNode> node;      // once bound
  int work_table_id = -1;             // recursive only
  int self_references = 0;
};

namespace {

Status CteError(ErrorCode code, std::string message, int location) {
  return AtPosition(Status(code, std::move(message)), location);
}

// The visible scope a binder is switched to while it binds a WITH item's query, restored
// when it goes out of scope.
template <typename Frame>
class CteViewGuard {
 public:
  CteViewGuard(Frame** frame, size_t* visible, Frame* new_frame, size_t new_visible)
      : frame_(frame), visible_(visible), saved_frame_(*frame), saved_visible_(*visible) {
    *frame_ = new_frame;
    *visible_ = new_visible;
  }
  ~CteViewGuard() {
    *frame_ = saved_frame_;
    *visible_ = saved_visible_;
  }
  CteViewGuard(const CteViewGuard&) = delete;
  CteViewGuard& operator=(const CteViewGuard&) = delete;

 private:
  Frame** frame_;
  size_t* visible_;
  Frame* saved_frame_;
  size_t saved_visible_;
};

}  // namespace

Result<PlanPtr> Binder::BindWith(const WithClause& with, const Scope* outer,
                                 const std::function<Result<PlanPtr>()>& body) {
  CteFrame frame;
  frame.with = &with;
  frame.parent = cte_frame_;
  frame.parent_visible = cte_visible_;
  frame.defs.resize(with.ctes.size());
  for (size_t i = 0; i < with.ctes.size(); ++i) {
    const CommonTableExpr& cte = with.ctes[i];
    for (size_t j = 0; j < i; ++j) {
      if (with.ctes[j].name == cte.name) {
        return CteError(ErrorCode::kDuplicateAlias,
                        "WITH query name \"" + cte.name + "\" specified more than once",
                        cte.location);
      }
    }
    CteDef& def = frame.defs[i];
    def.ast = &cte;
    def.frame = &frame;
    def.index = i;
    def.outer = outer;
  }
  for (CteDef& def : frame.defs)
    TDB_RETURN_IF_ERROR(BindCte(def));
  CteViewGuard view(&cte_frame_, &cte_visible_, &frame, frame.defs.size());
  return body();
}

Binder::CteDef* Binder::FindCte(const std::string& name) const {
  CteFrame* frame = cte_frame_;
  size_t visible = cte_visible_;
  while (frame != nullptr) {
    for (size_t i = 0; i < visible && i < frame->defs.size(); ++i) {
      if (frame->defs[i].ast->name == name) return &frame->defs[i];
    }
    visible = frame->parent_visible;
    frame = frame->parent;
  }
  return nullptr;
}

namespace {

// The columns of `plan` named by the WITH item's column list (the first ones; PostgreSQL
// allows fewer names than columns).
Result<std::vector<OutputColumn>> CteColumns(const CommonTableExpr& cte,
                                             const std::vector<OutputColumn>& plan_columns) {
  if (cte.column_names.size() > plan_columns.size()) {
    return CteError(ErrorCode::kInvalidColumnReference,
                    "WITH query \"" + cte.name + "\" has " + std::to_string(plan_columns.size()) +
                        " columns available but " + std::to_string(cte.column_names.size()) +
                        " columns specified",
                    cte.location);
  }
  std::vector<OutputColumn> columns;
  for (size_t i = 0; i < plan_columns.size(); ++i) {
    OutputColumn c = plan_columns[i];
    if (i < cte.column_names.size()) c.name = cte.column_names[i];
    c.table.clear();
    c.hidden = false;
    columns.push_back(std::move(c));
  }
  return columns;
}

}  // namespace

Status Binder::BindCte(CteDef& def) {
  if (def.state == CteDef::State::kBound) return Status::Ok();
  // Only an unbound item gets here: references to one being bound are handled by
  // BindCteReference.
  assert(def.state == CteDef::State::kUnbound);
  const bool recursive = def.frame->with->recursive;
  CteViewGuard view(&cte_frame_, &cte_visible_, def.frame,
                    recursive ? def.frame->defs.size() : def.index);
  CteDef* const saved_binding = binding_cte_;
  binding_cte_ = &def;
  def.state = CteDef::State::kBinding;
  const SelectStmt& query = *def.ast->query;
  Result<PlanPtr> bound = recursive && query.set_op == SetOp::kUnion && query.with == nullptr
                              ? BindRecursiveCte(def)
                              : BindSelect(query, def.outer);
  binding_cte_ = saved_binding;
  if (!bound.ok()) {
    def.state = CteDef::State::kUnbound;
    return bound.status();
  }
  PlanPtr plan = std::move(*bound);
  TDB_ASSIGN_OR_RETURN(def.columns, CteColumns(*def.ast, plan->columns));
  auto node = std::make_shared<CteNode>();
  node->cte_id = next_cte_id_++;
  node->name = def.ast->name;
  node->always_materialize = def.ast->materialize == CteMaterialize::kAlways;
  node->correlated = PlanReferencesOuter(*plan, 0);
  node->columns = def.columns;
  node->children.push_back(std::move(plan));
  node->Finish();
  def.node = std::move(node);
  def.state = CteDef::State::kBound;
  return Status::Ok();
}

Result<PlanPtr> Binder::BindRecursiveCte(CteDef& def) {
  const SelectStmt& query = *def.ast->query;
  const std::string& name = def.ast->name;
  def.state = CteDef::State::kNonRecursiveTerm;
  TDB_ASSIGN_OR_RETURN(PlanPtr anchor, BindSelect(*query.left, def.outer));
  TDB_ASSIGN_OR_RETURN(def.columns, CteColumns(*def.ast, anchor->columns));
  def.work_table_id = next_cte_id_++;
  def.state = CteDef::State::kRecursiveTerm;
  // Untyped literals of the recursive term take the non-recursive term's types, as
  // PostgreSQL resolves them (so 'x' for an integer column is invalid_text_representation).
  insert_types_.clear();
  for (const OutputColumn& c : anchor->columns)
    insert_types_.push_back(c.type);
  Result<PlanPtr> recursive_bound = BindSelect(*query.right, def.outer);
  insert_types_.clear();
  TDB_ASSIGN_OR_RETURN(PlanPtr recursive, std::move(recursive_bound));
  if (def.self_references == 0) {
    // A UNION that does not read itself is an ordinary query, RECURSIVE or not.
    def.state = CteDef::State::kBinding;
    return BindSelect(query, def.outer);
  }
  const SelectStmt& term = *query.right;
  bool aggregates = term.having != nullptr;
  for (const SelectItem& item : term.targets)
    aggregates |= ContainsAggregate(*item.expr);
  if (aggregates) {
    return CteError(ErrorCode::kInvalidRecursion,
                    "aggregate functions are not allowed in a recursive query's recursive term",
                    def.ast->location);
  }
  if (!query.order_by.empty()) {
    return CteError(ErrorCode::kFeatureNotSupported,
                    "ORDER BY in a recursive query is not implemented", def.ast->location);
  }
  if (query.limit || query.offset) {
    return CteError(
        ErrorCode::kFeatureNotSupported,
        std::string(query.limit ? "LIMIT" : "OFFSET") + " in a recursive query is not implemented",
        def.ast->location);
  }
  if (recursive->columns.size() != anchor->columns.size()) {
    return CteError(ErrorCode::kSyntaxError,
                    "each UNION query must have the same number of columns", def.ast->location);
  }
  // The recursive term's rows take the non-recursive term's column types.
  bool cast = false;
  for (size_t i = 0; i < anchor->columns.size(); ++i) {
    const DataType want = anchor->columns[i].type, got = recursive->columns[i].type;
    if (want == got) continue;
    const std::optional<DataType> common = CommonType(want, got);
    if (!common.has_value()) {
      return CteError(ErrorCode::kTypeMismatch,
                      "UNION types " + std::string(PgTypeName(want)) + " and " +
                          std::string(PgTypeName(got)) + " cannot be matched",
                      def.ast->location);
    }
    if (*common != want) {
      return CteError(ErrorCode::kTypeMismatch,
                      "recursive query \"" + name + "\" column " + std::to_string(i + 1) +
                          " has type " + std::string(PgTypeName(want)) +
                          " in non-recursive term but type " + std::string(PgTypeName(*common)) +
                          " overall; cast the output of the non-recursive term to the correct "
                          "type",
                      def.ast->location);
    }
    cast = true;
  }
  if (cast) {
    auto project = std::make_unique<ProjectNode>();
    for (size_t i = 0; i < anchor->columns.size(); ++i) {
      const OutputColumn& c = recursive->columns[i];
      TDB_ASSIGN_OR_RETURN(BoundExprPtr e,
                           Coerce(MakeColumn(i, c.type, c.name), anchor->columns[i].type,
                                  CoercionKind::kImplicit, nullptr, "recursive query column"));
      project->exprs.push_back(std::move(e));
      project->columns.push_back(OutputColumn{c.name, anchor->columns[i].type, "", false});
    }
    project->children.push_back(std::move(recursive));
    project->Finish();
    recursive = std::move(project);
  }
  auto node = std::make_unique<RecursiveUnionNode>();
  node->work_table_id = def.work_table_id;
  node->union_all = query.set_all;
  node->name = name;
  node->columns = def.columns;
  node->children.push_back(std::move(anchor));
  node->children.push_back(std::move(recursive));
  node->Finish();
  return PlanPtr(std::move(node));
}

Result<PlanPtr> Binder::BindCteReference(CteDef& def, const std::string& alias,
                                         const Scope* outer) {
  const std::string& name = def.ast->name;
  const int location = def.ast->location;
  if (def.state != CteDef::State::kBound && def.state != CteDef::State::kUnbound) {
    if (&def != binding_cte_) {
      return CteError(ErrorCode::kFeatureNotSupported,
                      "mutual recursion between WITH items is not implemented (\"" + name +
                          "\" is read while its own query is bound)",
                      location);
    }
    switch (def.state) {
      case CteDef::State::kNonRecursiveTerm:
        return CteError(ErrorCode::kInvalidRecursion,
                        "recursive reference to query \"" + name +
                            "\" must not appear within its non-recursive term",
                        location);
      case CteDef::State::kRecursiveTerm: {
        if (outer != def.outer) {
          return CteError(
              ErrorCode::kInvalidRecursion,
              "recursive reference to query \"" + name + "\" must not appear within a subquery",
              location);
        }
        if (++def.self_references > 1) {
          return CteError(
              ErrorCode::kInvalidRecursion,
              "recursive reference to query \"" + name + "\" must not appear more than once",
              location);
        }
        auto scan = std::make_unique<WorkTableScanNode>();
        scan->work_table_id = def.work_table_id;
        scan->name = name;
        scan->columns = def.columns;
        for (OutputColumn& c : scan->columns)
          c.table = alias;
        scan->Finish();
        return PlanPtr(std::move(scan));
      }
      default:
        return CteError(ErrorCode::kInvalidRecursion,
                        "recursive query \"" + name +
                            "\" does not have the form non-recursive-term UNION [ALL] "
                            "recursive-term",
                        location);
    }
  }
  // WITH RECURSIVE lets an item read a later one: bind it now.
  TDB_RETURN_IF_ERROR(BindCte(def));
  if (def.node->correlated && outer != def.outer) {
    return CteError(ErrorCode::kFeatureNotSupported,
                    "WITH query \"" + name +
                        "\" reads columns of an enclosing query and cannot be read from a "
                        "subquery; move it into the subquery",
                    location);
  }
  auto scan = std::make_unique<CteScanNode>();
  scan->cte = def.node;
  ++def.node->references;
  scan->columns = def.columns;
  for (OutputColumn& c : scan->columns)
    c.table = alias;
  scan->Finish();
  return PlanPtr(std::move(scan));
}

}  // namespace tenantdb::sql
