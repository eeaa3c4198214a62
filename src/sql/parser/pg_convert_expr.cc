// Expression half of PgConverter: libpg_query expression nodes to tenantdb's Expr tree.
#include <pg_query/pg_query.pb-c.h>

#include <charconv>
#include <cstring>

#include <utility>

#include "sql/parser/pg_converter.h"

#include "common/stack_depth.h"

namespace tenantdb::sql {

namespace {

// Folds `args` left-associatively with `op` (PostgreSQL keeps AND/OR n-ary).
ExprPtr FoldBinary(BinaryOp op, std::vector<ExprPtr> args, int loc) {
  ExprPtr acc = std::move(args[0]);
  for (size_t i = 1; i < args.size(); ++i) {
    auto b = std::make_unique<BinaryExpr>(loc);
    b->op = op;
    b->left = std::move(acc);
    b->right = std::move(args[i]);
    acc = std::move(b);
  }
  return acc;
}

bool LookupBinaryOp(std::string_view name, BinaryOp* op) {
  static constexpr struct {
    std::string_view name;
    BinaryOp op;
  } kOps[] = {
      {"+", BinaryOp::kAdd},           {"-", BinaryOp::kSubtract},   {"*", BinaryOp::kMultiply},
      {"/", BinaryOp::kDivide},        {"%", BinaryOp::kModulo},     {"^", BinaryOp::kPower},
      {"=", BinaryOp::kEqual},         {"<>", BinaryOp::kNotEqual},  {"!=", BinaryOp::kNotEqual},
      {"<", BinaryOp::kLess},          {"<=", BinaryOp::kLessEqual}, {">", BinaryOp::kGreater},
      {">=", BinaryOp::kGreaterEqual}, {"||", BinaryOp::kConcat},    {"~~", BinaryOp::kLike},
      {"!~~", BinaryOp::kNotLike},     {"~~*", BinaryOp::kILike},    {"!~~*", BinaryOp::kNotILike},
  };
  for (const auto& entry : kOps) {
    if (entry.name == name) {
      *op = entry.op;
      return true;
    }
  }
  return false;
}

bool IsJsonOperator(std::string_view op) {
  return op == "->" || op == "->>" || op == "#>" || op == "#>>" || op == "@>" || op == "<@" ||
         op == "?" || op == "?|" || op == "?&" || op == "&&";
}

bool IsRegexOperator(std::string_view op) {
  return op == "~" || op == "~*" || op == "!~" || op == "!~*";
}

// l ~ r as regexp_like(l, r[, 'i']), negated for !~ and !~*.
ExprPtr RegexMatch(std::string_view op, ExprPtr l, ExprPtr r, int loc) {
  auto call = std::make_unique<FunctionCall>(loc);
  call->name = {"regexp_like"};
  call->args.push_back(std::move(l));
  call->args.push_back(std::move(r));
  if (op.ends_with('*')) {
    auto flags = std::make_unique<Literal>(loc);
    flags->literal_kind = LiteralKind::kString;
    flags->text = "i";
    call->args.push_back(std::move(flags));
  }
  if (!op.starts_with('!')) return call;
  auto negated = std::make_unique<UnaryExpr>(loc);
  negated->op = UnaryOp::kNot;
  negated->operand = std::move(call);
  return negated;
}

// The operator name of an A_Expr (last element of its name list).
std::string OperatorName(const PgQuery__AExpr* e) {
  return e->n_name > 0 ? PgString(e->name[e->n_name - 1]) : "";
}

}  // namespace

Status NotSupported(const std::string& what) {
  return Status(ErrorCode::kFeatureNotSupported, what + " is not supported");
}

std::string PgString(const PgQuery__Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_STRING ||
      node->string == nullptr || node->string->sval == nullptr) {
    return "";
  }
  return node->string->sval;
}

std::string PgNodeName(const PgQuery__Node* node, bool statement) {
  if (node == nullptr) return "empty node";
  const ProtobufCFieldDescriptor* field =
      protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, node->node_case);
  std::string name = field != nullptr ? field->name : "unknown";
  if (!statement) {
    // What a user wrote, not libpg_query's node name.
    static constexpr std::pair<std::string_view, std::string_view> kWritten[] = {
        {"a_array_expr", "ARRAY[...]"},
        {"array_expr", "ARRAY[...]"},
        {"a_indirection", "a subscript or field selection"},
        {"range_table_sample", "TABLESAMPLE"},
        {"range_table_func", "XMLTABLE"},
        {"xml_expr", "an XML function"},
        {"xml_serialize", "XMLSERIALIZE"},
        {"row_expr", "ROW(...)"},
        {"collate_clause", "COLLATE"},
        {"current_of_expr", "WHERE CURRENT OF"},
        {"multi_assign_ref", "a multiple-column assignment"},
        {"set_to_default", "DEFAULT"},
        {"param_ref", "a parameter"},
        {"type_cast", "a cast"},
        {"res_target", "a target list item"},
        {"a_star", "*"},
    };
    for (const auto& [node_name, written] : kWritten)
      if (name == node_name) return std::string(written);
    for (char& c : name)
      if (c == '_') c = ' ';
    return name;
  }
  // create_function_stmt -> CREATE FUNCTION
  if (name.size() > 5 && name.compare(name.size() - 5, 5, "_stmt") == 0) {
    name.resize(name.size() - 5);
  }
  for (char& c : name) {
    c = c == '_' ? ' ' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return name;
}

Result<std::vector<ExprPtr>> PgConverter::ConvertExprList(PgQuery__Node* const* nodes, size_t n) {
  std::vector<ExprPtr> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    TDB_ASSIGN_OR_RETURN(ExprPtr e, ConvertExpr(nodes[i]));
    out.push_back(std::move(e));
  }
  return out;
}

Result<TypeName> PgConverter::ConvertTypeName(const PgQuery__TypeName* type) {
  if (type == nullptr || type->n_names == 0) {
    return Status(ErrorCode::kSyntaxError, "missing type name");
  }
  TypeName out;
  out.location = Loc(type->location);
  out.name = PgString(type->names[type->n_names - 1]);
  if (type->setof || type->pct_type) return NotSupported("type modifier SETOF / %TYPE");
  // INTERVAL fields and the like arrive as typmods that are not plain integers.
  for (size_t i = 0; i < type->n_typmods; ++i) {
    const PgQuery__Node* m = type->typmods[i];
    if (m->node_case != PG_QUERY__NODE__NODE_A_CONST || m->a_const->isnull ||
        m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL) {
      return NotSupported("type modifier of " + out.name);
    }
    out.modifiers.push_back(m->a_const->ival->ival);
  }
  // int[], integer ARRAY, text[3]: one-dimensional arrays of a known scalar type (a size
  // is not enforced, as in PostgreSQL). Arrays of other names (oid[], regtype[]) keep no
  // data_type: the binder treats them as catalog text (BindCatalogCast).
  out.is_array = type->n_array_bounds > 0;
  std::optional<DataType> scalar = ParseDataType(out.name);
  if (!scalar && (out.name == "bpchar" || out.name == "char" || out.name == "name")) {
    scalar = DataType::kText;
  }
  if (!out.is_array) {
    out.data_type = ParseDataType(out.name);
  } else if (scalar.has_value()) {
    if (type->n_array_bounds > 1) return NotSupported("multidimensional arrays");
    out.data_type = ArrayOf(*scalar);
  }
  return out;
}

Result<ExprPtr> PgConverter::ConvertConst(const PgQuery__Node* node) {
  const PgQuery__AConst* c = node->a_const;
  auto lit = std::make_unique<Literal>(Loc(c->location));
  if (c->isnull) {
    lit->literal_kind = LiteralKind::kNull;
    return ExprPtr(std::move(lit));
  }
  switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
      lit->literal_kind = LiteralKind::kInteger;
      lit->integer = c->ival != nullptr ? c->ival->ival : 0;
      break;
    case PG_QUERY__A__CONST__VAL_FVAL: {
      // Integers too large for int32 arrive as Float; keep those that fit int64 exact.
      std::string text = c->fval != nullptr && c->fval->fval != nullptr ? c->fval->fval : "0";
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && ptr == text.data() + text.size()) {
        lit->literal_kind = LiteralKind::kInteger;
        lit->integer = v;
      } else {
        lit->literal_kind = LiteralKind::kNumeric;
        lit->text = std::move(text);
      }
      break;
    }
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
      lit->literal_kind = LiteralKind::kBoolean;
      lit->boolean = c->boolval != nullptr && c->boolval->boolval;
      break;
    case PG_QUERY__A__CONST__VAL_SVAL:
      lit->literal_kind = LiteralKind::kString;
      lit->text = c->sval != nullptr && c->sval->sval != nullptr ? c->sval->sval : "";
      break;
    default:
      return NotSupported("bit string literal");
  }
  return ExprPtr(std::move(lit));
}

Result<ExprPtr> PgConverter::ConvertAExpr(const PgQuery__Node* node) {
  const PgQuery__AExpr* e = node->a_expr;
  const int loc = Loc(e->location);
  const std::string op_name = OperatorName(e);
  switch (e->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE: {
      // OPERATOR(pg_catalog.op) is the built-in operator (psql's queries spell it so).
      if (e->n_name != 1 && (e->n_name != 2 || PgString(e->name[0]) != "pg_catalog")) {
        return NotSupported("operator " + op_name);
      }
      if (IsRegexOperator(op_name) && e->lexpr != nullptr && e->rexpr != nullptr) {
        TDB_ASSIGN_OR_RETURN(ExprPtr l, ConvertExpr(e->lexpr));
        TDB_ASSIGN_OR_RETURN(ExprPtr r, ConvertExpr(e->rexpr));
        return RegexMatch(op_name, std::move(l), std::move(r), loc);
      }
      if (e->lexpr == nullptr) {
        if (op_name != "-" && op_name != "+") return NotSupported("prefix operator " + op_name);
        TDB_ASSIGN_OR_RETURN(ExprPtr operand, ConvertExpr(e->rexpr));
        auto u = std::make_unique<UnaryExpr>(loc);
        u->op = op_name == "-" ? UnaryOp::kNegate : UnaryOp::kPlus;
        u->operand = std::move(operand);
        return ExprPtr(std::move(u));
      }
      if (IsJsonOperator(op_name) && e->rexpr != nullptr) {
        // A call of the function named after the operator (sql/function/json_functions.cc).
        auto f = std::make_unique<FunctionCall>(loc);
        f->name = {op_name};
        TDB_ASSIGN_OR_RETURN(ExprPtr l, ConvertExpr(e->lexpr));
        TDB_ASSIGN_OR_RETURN(ExprPtr r, ConvertExpr(e->rexpr));
        f->args.push_back(std::move(l));
        f->args.push_back(std::move(r));
        return ExprPtr(std::move(f));
      }
      BinaryOp op;
      if (!LookupBinaryOp(op_name, &op) || e->rexpr == nullptr) {
        return NotSupported("operator " + op_name);
      }
      auto b = std::make_unique<BinaryExpr>(loc);
      b->op = op;
      TDB_ASSIGN_OR_RETURN(b->left, ConvertExpr(e->lexpr));
      TDB_ASSIGN_OR_RETURN(b->right, ConvertExpr(e->rexpr));
      return ExprPtr(std::move(b));
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
      auto b = std::make_unique<BinaryExpr>(loc);
      b->op = e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT ? BinaryOp::kIsDistinctFrom
                                                                 : BinaryOp::kIsNotDistinctFrom;
      TDB_ASSIGN_OR_RETURN(b->left, ConvertExpr(e->lexpr));
      TDB_ASSIGN_OR_RETURN(b->right, ConvertExpr(e->rexpr));
      return ExprPtr(std::move(b));
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF: {
      auto f = std::make_unique<FunctionCall>(loc);
      f->name = {"nullif"};
      TDB_ASSIGN_OR_RETURN(ExprPtr a, ConvertExpr(e->lexpr));
      TDB_ASSIGN_OR_RETURN(ExprPtr b, ConvertExpr(e->rexpr));
      f->args.push_back(std::move(a));
      f->args.push_back(std::move(b));
      return ExprPtr(std::move(f));
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN: {
      if (e->rexpr == nullptr || e->rexpr->node_case != PG_QUERY__NODE__NODE_LIST) {
        return NotSupported("IN over a non-list");
      }
      auto in = std::make_unique<InListExpr>(loc);
      in->negated = op_name == "<>";
      TDB_ASSIGN_OR_RETURN(in->operand, ConvertExpr(e->lexpr));
      TDB_ASSIGN_OR_RETURN(in->list,
                           ConvertExprList(e->rexpr->list->items, e->rexpr->list->n_items));
      return ExprPtr(std::move(in));
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN: {
      if (e->rexpr == nullptr || e->rexpr->node_case != PG_QUERY__NODE__NODE_LIST ||
          e->rexpr->list->n_items != 2) {
        return Status(ErrorCode::kSyntaxError, "BETWEEN needs two bounds");
      }
      auto b = std::make_unique<BetweenExpr>(loc);
      b->negated = e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN;
      TDB_ASSIGN_OR_RETURN(b->operand, ConvertExpr(e->lexpr));
      TDB_ASSIGN_OR_RETURN(b->low, ConvertExpr(e->rexpr->list->items[0]));
      TDB_ASSIGN_OR_RETURN(b->high, ConvertExpr(e->rexpr->list->items[1]));
      return ExprPtr(std::move(b));
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL: {
      // x op ANY (array) / x op ALL (array): a call of "op any" / "op all"
      // (function/array_functions.h).
      const bool all = e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL;
      if ((op_name != "=" && op_name != "<>" && op_name != "<" && op_name != "<=" &&
           op_name != ">" && op_name != ">=") ||
          e->lexpr == nullptr || e->rexpr == nullptr) {
        return NotSupported("operator " + op_name + (all ? " ALL" : " ANY"));
      }
      auto call = std::make_unique<FunctionCall>(loc);
      call->name = {op_name + (all ? " all" : " any")};
      TDB_ASSIGN_OR_RETURN(ExprPtr operand, ConvertExpr(e->lexpr));
      TDB_ASSIGN_OR_RETURN(ExprPtr array, ConvertExpr(e->rexpr));
      call->args.push_back(std::move(operand));
      call->args.push_back(std::move(array));
      return ExprPtr(std::move(call));
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR:
      return NotSupported("SIMILAR TO");
    default:
      return NotSupported("BETWEEN SYMMETRIC");
  }
}

Result<ExprPtr> PgConverter::ConvertSubLink(const PgQuery__Node* node) {
  const PgQuery__SubLink* s = node->sub_link;
  const int loc = Loc(s->location);
  if (s->subselect == nullptr || s->subselect->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return NotSupported("subquery form");
  }
  TDB_ASSIGN_OR_RETURN(auto select, ConvertSelect(s->subselect->select_stmt, loc));
  switch (s->sub_link_type) {
    case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK: {
      auto e = std::make_unique<ExistsExpr>(loc);
      e->subquery = std::move(select);
      return ExprPtr(std::move(e));
    }
    case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK: {
      auto e = std::make_unique<SubqueryExpr>(loc);
      e->subquery = std::move(select);
      return ExprPtr(std::move(e));
    }
    case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK: {
      // IN (SELECT ...) has no operator name; `= ANY (SELECT ...)` means the same.
      std::string op = s->n_oper_name > 0 ? PgString(s->oper_name[s->n_oper_name - 1]) : "=";
      if (op != "=") return NotSupported("operator " + op + " ANY (subquery)");
      auto e = std::make_unique<InSubqueryExpr>(loc);
      TDB_ASSIGN_OR_RETURN(e->operand, ConvertExpr(s->testexpr));
      e->subquery = std::move(select);
      return ExprPtr(std::move(e));
    }
    case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK: {
      auto e = std::make_unique<SubqueryExpr>(loc);
      e->subquery = std::move(select);
      e->array = true;
      return ExprPtr(std::move(e));
    }
    default:
      return NotSupported("ALL / row comparison subquery");
  }
}

Result<ExprPtr> PgConverter::ConvertFuncCall(const PgQuery__Node* node) {
  const PgQuery__FuncCall* f = node->func_call;
  auto call = std::make_unique<FunctionCall>(Loc(f->location));
  for (size_t i = 0; i < f->n_funcname; ++i)
    call->name.push_back(PgString(f->funcname[i]));
  // SQL-syntax functions (EXTRACT, SUBSTRING ... FROM, TRIM, ...) arrive as pg_catalog.f.
  if (call->name.size() == 2 && call->name[0] == "pg_catalog") call->name.erase(call->name.begin());
  std::string name = JoinQualified(call->name);
  if (f->over != nullptr) {
    TDB_ASSIGN_OR_RETURN(call->over, ConvertWindowDef(f->over));
    // `OVER w` arrives as a WindowDef *named* w: in an OVER clause it refers to w.
    if (!call->over->name.empty()) call->over->ref_name = std::move(call->over->name);
    call->over->name.clear();
  }
  if (f->agg_within_group && f->n_agg_order != 1) {
    return NotSupported("WITHIN GROUP with " + std::to_string(f->n_agg_order) +
                        " ORDER BY expressions in " + name);
  }
  if (f->agg_filter != nullptr) {
    TDB_ASSIGN_OR_RETURN(call->filter, ConvertExpr(f->agg_filter));
  }
  if (f->func_variadic) return NotSupported("VARIADIC call of " + name);
  call->star = f->agg_star;
  call->distinct = f->agg_distinct;
  // Named notation (name => value) only for read_csv's options: every other function
  // binds its arguments by position and would silently ignore a name.
  for (size_t i = 0; i < f->n_args; ++i) {
    const PgQuery__Node* arg = f->args[i];
    if (arg->node_case != PG_QUERY__NODE__NODE_NAMED_ARG_EXPR) {
      if (!call->arg_names.empty()) {
        return Status(ErrorCode::kSyntaxError,
                      "positional argument cannot follow named argument in " + name);
      }
      TDB_ASSIGN_OR_RETURN(ExprPtr e, ConvertExpr(arg));
      call->args.push_back(std::move(e));
      continue;
    }
    if (name != "read_csv")
      return NotSupported("named argument notation (name => value) in " + name);
    call->arg_names.resize(call->args.size());
    TDB_ASSIGN_OR_RETURN(ExprPtr e, ConvertExpr(arg->named_arg_expr->arg));
    call->args.push_back(std::move(e));
    call->arg_names.emplace_back(arg->named_arg_expr->name);
  }
  if (f->agg_within_group) {
    TDB_ASSIGN_OR_RETURN(std::vector<OrderByItem> order, ConvertSortClause(f->agg_order, 1));
    call->within_group = true;
    call->within_group_direction = order[0].direction;
    call->args.push_back(std::move(order[0].expr));
  } else if (f->n_agg_order > 0) {
    TDB_ASSIGN_OR_RETURN(call->agg_order, ConvertSortClause(f->agg_order, f->n_agg_order));
  }
  return ExprPtr(std::move(call));
}

Status PgConverter::TooDeep(bool stack_exhausted) const {
  if (stack_exhausted) {
    return Status(ErrorCode::kSyntaxError,
                  "statement is nested too deeply for the stack of the thread parsing it (" +
                      std::to_string(depth_) + " levels); simplify it");
  }
  return Status(ErrorCode::kSyntaxError,
                "statement is nested more than " + std::to_string(kMaxDepth) + " levels deep");
}

Result<ExprPtr> PgConverter::ConvertExpr(const PgQuery__Node* node) {
  if (node == nullptr) return Status(ErrorCode::kSyntaxError, "missing expression");
  DepthGuard guard(&depth_);
  if (depth_ > kMaxDepth) return TooDeep();
  if (StackNearlyExhausted()) return TooDeep(/*stack_exhausted=*/true);
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
      const PgQuery__ColumnRef* c = node->column_ref;
      std::vector<std::string> names;
      for (size_t i = 0; i < c->n_fields; ++i) {
        const PgQuery__Node* f = c->fields[i];
        if (f->node_case == PG_QUERY__NODE__NODE_A_STAR) {
          if (i + 1 != c->n_fields) return NotSupported("'*' inside a qualified name");
          auto star = std::make_unique<StarExpr>(Loc(c->location));
          star->qualifier = std::move(names);
          return ExprPtr(std::move(star));
        }
        if (f->node_case != PG_QUERY__NODE__NODE_STRING)
          return NotSupported("column reference form");
        names.push_back(PgString(f));
      }
      auto ref = std::make_unique<ColumnRef>(Loc(c->location));
      ref->names = std::move(names);
      return ExprPtr(std::move(ref));
    }
    case PG_QUERY__NODE__NODE_A_CONST:
      return ConvertConst(node);
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: {
      // ARRAY[e1, ...]: a call of "array" (function/array_functions.h); one dimension.
      const PgQuery__AArrayExpr* a = node->a_array_expr;
      auto call = std::make_unique<FunctionCall>(Loc(a->location));
      call->name = {"array"};
      for (size_t i = 0; i < a->n_elements; ++i) {
        if (a->elements[i]->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR) {
          return NotSupported("multidimensional arrays");
        }
        TDB_ASSIGN_OR_RETURN(ExprPtr element, ConvertExpr(a->elements[i]));
        call->args.push_back(std::move(element));
      }
      return ExprPtr(std::move(call));
    }
    case PG_QUERY__NODE__NODE_PARAM_REF: {
      // $1 .. $65535: the wire protocol counts parameters in 16 bits, and the binder
      // sizes its parameter list by the largest number it sees.
      const int number = node->param_ref->number;
      if (number < 1 || number > kMaxParameterNumber) {
        return Status(ErrorCode::kUndefinedParameter,
                      "there is no parameter $" + std::to_string(number));
      }
      auto p = std::make_unique<Parameter>(Loc(node->param_ref->location));
      p->index = number;
      return ExprPtr(std::move(p));
    }
    case PG_QUERY__NODE__NODE_A_EXPR:
      return ConvertAExpr(node);
    case PG_QUERY__NODE__NODE_BOOL_EXPR: {
      const PgQuery__BoolExpr* b = node->bool_expr;
      TDB_ASSIGN_OR_RETURN(auto args, ConvertExprList(b->args, b->n_args));
      if (args.empty()) return Status(ErrorCode::kSyntaxError, "boolean operator without operands");
      // The fold below makes a tree as deep as the operand list is long.
      if (args.size() > static_cast<size_t>(kMaxDepth)) return TooDeep();
      if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR) {
        auto u = std::make_unique<UnaryExpr>(Loc(b->location));
        u->op = UnaryOp::kNot;
        u->operand = std::move(args[0]);
        return ExprPtr(std::move(u));
      }
      return FoldBinary(
          b->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR ? BinaryOp::kAnd : BinaryOp::kOr,
          std::move(args), Loc(b->location));
    }
    case PG_QUERY__NODE__NODE_NULL_TEST: {
      auto n = std::make_unique<IsNullExpr>(Loc(node->null_test->location));
      n->negated = node->null_test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL;
      TDB_ASSIGN_OR_RETURN(n->operand, ConvertExpr(node->null_test->arg));
      return ExprPtr(std::move(n));
    }
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST: {
      // x IS [NOT] TRUE/FALSE is x IS [NOT] DISTINCT FROM TRUE/FALSE; IS UNKNOWN is IS NULL.
      const PgQuery__BooleanTest* t = node->boolean_test;
      const int loc = Loc(t->location);
      TDB_ASSIGN_OR_RETURN(ExprPtr arg, ConvertExpr(t->arg));
      if (t->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_UNKNOWN ||
          t->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_UNKNOWN) {
        auto n = std::make_unique<IsNullExpr>(loc);
        n->negated = t->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_UNKNOWN;
        n->operand = std::move(arg);
        return ExprPtr(std::move(n));
      }
      auto b = std::make_unique<BinaryExpr>(loc);
      const bool negated = t->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE ||
                           t->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE;
      b->op = negated ? BinaryOp::kIsDistinctFrom : BinaryOp::kIsNotDistinctFrom;
      b->left = std::move(arg);
      auto lit = std::make_unique<Literal>(loc);
      lit->literal_kind = LiteralKind::kBoolean;
      lit->boolean = t->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_TRUE ||
                     t->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE;
      b->right = std::move(lit);
      return ExprPtr(std::move(b));
    }
    case PG_QUERY__NODE__NODE_SUB_LINK:
      return ConvertSubLink(node);
    case PG_QUERY__NODE__NODE_CASE_EXPR: {
      const PgQuery__CaseExpr* c = node->case_expr;
      auto out = std::make_unique<CaseExpr>(Loc(c->location));
      if (c->arg != nullptr) {
        TDB_ASSIGN_OR_RETURN(out->operand, ConvertExpr(c->arg));
      }
      for (size_t i = 0; i < c->n_args; ++i) {
        const PgQuery__Node* w = c->args[i];
        if (w->node_case != PG_QUERY__NODE__NODE_CASE_WHEN) return NotSupported("CASE form");
        CaseWhen when;
        TDB_ASSIGN_OR_RETURN(when.condition, ConvertExpr(w->case_when->expr));
        TDB_ASSIGN_OR_RETURN(when.result, ConvertExpr(w->case_when->result));
        out->whens.push_back(std::move(when));
      }
      if (c->defresult != nullptr) {
        TDB_ASSIGN_OR_RETURN(out->else_result, ConvertExpr(c->defresult));
      }
      return ExprPtr(std::move(out));
    }
    case PG_QUERY__NODE__NODE_COALESCE_EXPR: {
      auto f = std::make_unique<FunctionCall>(Loc(node->coalesce_expr->location));
      f->name = {"coalesce"};
      TDB_ASSIGN_OR_RETURN(f->args,
                           ConvertExprList(node->coalesce_expr->args, node->coalesce_expr->n_args));
      return ExprPtr(std::move(f));
    }
    case PG_QUERY__NODE__NODE_GROUPING_FUNC: {
      // GROUPING(a, b): a function of the grouping sets, bound against GROUP BY.
      const PgQuery__GroupingFunc* g = node->grouping_func;
      auto f = std::make_unique<FunctionCall>(Loc(g->location));
      f->name = {"grouping"};
      TDB_ASSIGN_OR_RETURN(f->args, ConvertExprList(g->args, g->n_args));
      return ExprPtr(std::move(f));
    }
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR: {
      const PgQuery__MinMaxExpr* m = node->min_max_expr;
      auto f = std::make_unique<FunctionCall>(Loc(m->location));
      f->name = {m->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least"};
      TDB_ASSIGN_OR_RETURN(f->args, ConvertExprList(m->args, m->n_args));
      return ExprPtr(std::move(f));
    }
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: {
      const PgQuery__SQLValueFunction* v = node->sqlvalue_function;
      static constexpr struct {
        PgQuery__SQLValueFunctionOp op;
        const char* name;
      } kNames[] = {
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE, "current_date"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME, "current_time"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP, "current_timestamp"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME, "localtime"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP, "localtimestamp"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE, "current_role"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER, "current_user"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER, "user"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER, "session_user"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG, "current_catalog"},
          {PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA, "current_schema"},
      };
      for (const auto& entry : kNames) {
        if (entry.op == v->op) {
          auto f = std::make_unique<FunctionCall>(Loc(v->location));
          f->name = {entry.name};
          f->no_parens = true;
          return ExprPtr(std::move(f));
        }
      }
      return NotSupported("time function with a precision");
    }
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
      const PgQuery__TypeCast* t = node->type_cast;
      auto cast = std::make_unique<CastExpr>(Loc(t->location));
      TDB_ASSIGN_OR_RETURN(cast->operand, ConvertExpr(t->arg));
      TDB_ASSIGN_OR_RETURN(cast->type, ConvertTypeName(t->type_name));
      return ExprPtr(std::move(cast));
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL:
      return ConvertFuncCall(node);
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE: {
      // tenantdb compares text byte-wise, which is the C collation; psql writes
      // `COLLATE pg_catalog.default` for that, so the default, C and POSIX are accepted.
      const PgQuery__CollateClause* c = node->collate_clause;
      const std::string name =
          c->n_collname > 0 ? PgString(c->collname[c->n_collname - 1]) : "default";
      if (name != "default" && name != "C" && name != "POSIX") {
        return NotSupported("collation \"" + name + "\"");
      }
      return ConvertExpr(c->arg);
    }
    case PG_QUERY__NODE__NODE_A_INDIRECTION: {
      // array[i] over an array's literal text (function/text_array.h); slices and field
      // selection are not supported.
      const PgQuery__AIndirection* ind = node->a_indirection;
      if (ind->n_indirection != 1 ||
          ind->indirection[0]->node_case != PG_QUERY__NODE__NODE_A_INDICES ||
          ind->indirection[0]->a_indices->is_slice ||
          ind->indirection[0]->a_indices->uidx == nullptr) {
        return NotSupported("this indirection (field selection or array slice)");
      }
      auto call = std::make_unique<FunctionCall>(-1);
      call->name = {"array_element"};
      TDB_ASSIGN_OR_RETURN(ExprPtr array, ConvertExpr(ind->arg));
      TDB_ASSIGN_OR_RETURN(ExprPtr index, ConvertExpr(ind->indirection[0]->a_indices->uidx));
      call->args.push_back(std::move(array));
      call->args.push_back(std::move(index));
      return ExprPtr(std::move(call));
    }
    case PG_QUERY__NODE__NODE_SET_TO_DEFAULT:
      return ExprPtr(std::make_unique<DefaultExpr>(Loc(node->set_to_default->location)));
    default:
      return NotSupported("expression " + PgNodeName(node, false));
  }
}

}  // namespace tenantdb::sql
