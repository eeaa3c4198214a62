// Window functions: binding a call's OVER clause (named windows from WINDOW resolved as
// PostgreSQL does), its frame and its function, and placing the WindowNode between the
// aggregation (GROUP BY / HAVING) and the select list.
//
// Errors follow PostgreSQL: windowing_error (42P20) for a window function where none is
// allowed, nested calls, and frames that cannot be (a frame starting at the current row
// with preceding rows, RANGE with an offset and not exactly one ORDER BY column, GROUPS
// without ORDER BY); not_found (42704) for an undefined named window; undefined_function
// for a function that is neither a window function nor an aggregate.
#include "sql/function/cast.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"

namespace tenantdb::sql {

namespace {

// The window a call's OVER clause means once named windows are followed: PARTITION BY
// and ORDER BY may come from the named window, the frame only from the OVER clause or a
// bare OVER name.
struct ResolvedWindow {
  const std::vector<ExprPtr>* partition_by = nullptr;
  const std::vector<OrderByItem>* order_by = nullptr;
  const WindowSpec* frame = nullptr;  // the spec whose frame applies (has_frame may be false)
};

Status WindowError(const std::string& message) {
  return Status(ErrorCode::kWindowingError, message);
}

Result<ResolvedWindow> Resolve(const WindowSpec& spec,
                               const std::vector<std::unique_ptr<WindowSpec>>* named,
                               int depth = 0) {
  ResolvedWindow out;
  out.partition_by = &spec.partition_by;
  out.order_by = &spec.order_by;
  out.frame = &spec;
  if (spec.ref_name.empty()) return out;
  const WindowSpec* base = nullptr;
  if (named != nullptr) {
    for (const auto& w : *named)
      if (w->name == spec.ref_name) base = w.get();
  }
  if (base == nullptr || depth > 64) {
    return Status(ErrorCode::kNotFound, "window \"" + spec.ref_name + "\" does not exist");
  }
  TDB_ASSIGN_OR_RETURN(ResolvedWindow from, Resolve(*base, named, depth + 1));
  if (!spec.partition_by.empty()) {
    return WindowError("cannot override PARTITION BY clause of window \"" + spec.ref_name + "\"");
  }
  out.partition_by = from.partition_by;
  if (spec.order_by.empty()) {
    out.order_by = from.order_by;
  } else if (!from.order_by->empty()) {
    return WindowError("cannot override ORDER BY clause of window \"" + spec.ref_name + "\"");
  }
  const bool bare = spec.partition_by.empty() && spec.order_by.empty() && !spec.has_frame;
  if (bare) {
    out.frame = from.frame;
  } else if (from.frame->has_frame) {
    return WindowError("cannot copy window \"" + spec.ref_name +
                       "\" because it has a frame clause");
  }
  return out;
}

bool IsRankingName(const std::string& name) {
  return name == "row_number" || name == "rank" || name == "dense_rank" || name == "percent_rank" ||
         name == "cume_dist";
}

}  // namespace

Result<WindowCall> Binder::BindWindowFunction(const FunctionCall& f, WindowState& window) {
  WindowCall call;
  call.name = f.name.back();
  const std::string& name = call.name;
  if (f.distinct) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "DISTINCT is not implemented for window functions");
  }
  if (!f.agg_order.empty()) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "aggregate ORDER BY is not implemented for window functions");
  }
  TDB_ASSIGN_OR_RETURN(ResolvedWindow spec, Resolve(*f.over, window.named));

  Scope args_scope = *window.input;
  args_scope.window = nullptr;
  args_scope.clause = "window definitions";
  for (const auto& p : *spec.partition_by) {
    TDB_ASSIGN_OR_RETURN(BoundExprPtr key, BindExpr(*p, args_scope));
    if (key->unknown_type) {
      TDB_ASSIGN_OR_RETURN(key, Coerce(std::move(key), DataType::kText, CoercionKind::kImplicit,
                                       context_.parameter_types, "PARTITION BY"));
    }
    call.partition_by.push_back(std::move(key));
  }
  for (const OrderByItem& o : *spec.order_by) {
    SortKey key;
    TDB_ASSIGN_OR_RETURN(key.expr, BindExpr(*o.expr, args_scope));
    if (key.expr->unknown_type) {
      TDB_ASSIGN_OR_RETURN(key.expr,
                           Coerce(std::move(key.expr), DataType::kText, CoercionKind::kImplicit,
                                  context_.parameter_types, "ORDER BY"));
    }
    key.descending = o.direction == SortDirection::kDescending;
    key.nulls_first =
        o.nulls == NullsOrder::kDefault ? key.descending : o.nulls == NullsOrder::kFirst;
    call.order_by.push_back(std::move(key));
  }

  // The frame.
  const WindowSpec& frame = *spec.frame;
  WindowFrame& out = call.frame;
  if (frame.has_frame) {
    out.unit = frame.unit;
    out.start = frame.start.kind;
    out.end = frame.end.kind;
    out.exclusion = frame.exclusion;
    if (out.start == FrameBoundKind::kCurrentRow && out.end == FrameBoundKind::kPreceding) {
      return WindowError("frame starting from current row cannot have preceding rows");
    }
    if (out.start == FrameBoundKind::kFollowing &&
        (out.end == FrameBoundKind::kPreceding || out.end == FrameBoundKind::kCurrentRow)) {
      return WindowError("frame starting from following row cannot have preceding rows");
    }
    const bool offsets = frame.start.offset != nullptr || frame.end.offset != nullptr;
    if (out.unit == FrameUnit::kGroups && call.order_by.empty()) {
      return WindowError("GROUPS mode requires an ORDER BY clause");
    }
    // ROWS and GROUPS count rows or peer groups (BIGINT); a RANGE offset is a distance
    // on the ORDER BY key's axis, of the type PostgreSQL's in_range takes for the key
    // (window_range.h): integers for integer keys, double for floating keys, INTERVAL
    // for dates, timestamps and intervals.
    DataType offset_type = DataType::kBigInt;
    const bool range_offsets = out.unit == FrameUnit::kRange && offsets;
    if (range_offsets) {
      if (call.order_by.size() != 1) {
        return WindowError(
            "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
      }
      const DataType key = call.order_by[0].expr->type;
      const std::optional<DataType> type = RangeOffsetType(key);
      if (!type) {
        return Status(ErrorCode::kFeatureNotSupported,
                      "RANGE with offset PRECEDING/FOLLOWING is not supported for column type " +
                          std::string(PgTypeName(key)));
      }
      offset_type = *type;
    }
    std::vector<OutputColumn> none;
    Scope offset_scope;
    offset_scope.columns = &none;
    offset_scope.clause = "window frame offsets";
    auto bind_offset = [&](const FrameBound& b) -> Result<BoundExprPtr> {
      if (b.offset == nullptr) return BoundExprPtr();
      Result<BoundExprPtr> e = BindExpr(*b.offset, offset_scope);
      if (!e.ok()) {
        if (e.status().code() == ErrorCode::kUndefinedColumn) {
          return WindowError(std::string("argument of ") +
                             (out.unit == FrameUnit::kRows    ? "ROWS"
                              : out.unit == FrameUnit::kRange ? "RANGE"
                                                              : "GROUPS") +
                             " must not contain variables");
        }
        return e.status();
      }
      if (range_offsets && !(*e)->unknown_type && (*e)->type != offset_type &&
          !(IsInteger((*e)->type) && offset_type == DataType::kBigInt) &&
          !CanCastImplicitly((*e)->type, offset_type)) {
        return Status(ErrorCode::kFeatureNotSupported,
                      "RANGE with offset PRECEDING/FOLLOWING is not supported for column type " +
                          std::string(PgTypeName(call.order_by[0].expr->type)) +
                          " and offset type " + std::string(PgTypeName((*e)->type)) +
                          "; cast the offset value to an appropriate type");
      }
      return Coerce(std::move(*e), offset_type,
                    range_offsets ? CoercionKind::kImplicit : CoercionKind::kAssignment,
                    context_.parameter_types, "frame offset");
    };
    TDB_ASSIGN_OR_RETURN(out.start_offset, bind_offset(frame.start));
    TDB_ASSIGN_OR_RETURN(out.end_offset, bind_offset(frame.end));
  }

  // The function.
  Scope value_scope = args_scope;
  value_scope.clause = "window function arguments";
  auto bind_arg = [&](const Expr& e) -> Result<BoundExprPtr> {
    TDB_ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(e, value_scope));
    if (b->unknown_type) {
      TDB_ASSIGN_OR_RETURN(b, Coerce(std::move(b), DataType::kText, CoercionKind::kImplicit,
                                     context_.parameter_types, "argument"));
    }
    return b;
  };
  auto signature = [&]() {
    std::string text = name + "(";
    for (size_t i = 0; i < f.args.size(); ++i)
      text += i > 0 ? ", ?" : "?";
    return text + ")";
  };
  auto wrong_arguments = [&]() {
    return Status(ErrorCode::kUndefinedFunction,
                  "function " + signature() + " does not exist: wrong number of arguments");
  };
  const bool aggregate = IsAggregateName(name);
  if (f.filter && !aggregate) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "FILTER is not implemented for non-aggregate window functions");
  }
  if (f.star && name != "count") {
    return Status(ErrorCode::kSyntaxError, name + "(*) is not valid; only count(*)");
  }
  if (IsRankingName(name)) {
    if (!f.args.empty()) return wrong_arguments();
    call.function = name == "row_number"     ? WindowFunction::kRowNumber
                    : name == "rank"         ? WindowFunction::kRank
                    : name == "dense_rank"   ? WindowFunction::kDenseRank
                    : name == "percent_rank" ? WindowFunction::kPercentRank
                                             : WindowFunction::kCumeDist;
    call.type =
        (name == "percent_rank" || name == "cume_dist") ? DataType::kDouble : DataType::kBigInt;
    return call;
  }
  if (name == "ntile") {
    if (f.args.size() != 1) return wrong_arguments();
    call.function = WindowFunction::kNtile;
    TDB_ASSIGN_OR_RETURN(BoundExprPtr n, bind_arg(*f.args[0]));
    // ntile(integer) returns integer in PostgreSQL.
    TDB_ASSIGN_OR_RETURN(n, Coerce(std::move(n), DataType::kInt, CoercionKind::kImplicit,
                                   context_.parameter_types, "argument of ntile"));
    call.args.push_back(std::move(n));
    call.type = DataType::kInt;
    return call;
  }
  if (name == "lag" || name == "lead") {
    if (f.args.empty() || f.args.size() > 3) return wrong_arguments();
    call.function = name == "lag" ? WindowFunction::kLag : WindowFunction::kLead;
    TDB_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*f.args[0], value_scope));
    BoundExprPtr offset, fallback;
    if (f.args.size() >= 2) {
      TDB_ASSIGN_OR_RETURN(offset, bind_arg(*f.args[1]));
      TDB_ASSIGN_OR_RETURN(offset,
                           Coerce(std::move(offset), DataType::kBigInt, CoercionKind::kImplicit,
                                  context_.parameter_types, "offset of " + name));
    }
    DataType type = value->unknown_type ? DataType::kText : value->type;
    if (f.args.size() == 3) {
      TDB_ASSIGN_OR_RETURN(fallback, BindExpr(*f.args[2], value_scope));
      if (value->unknown_type && !fallback->unknown_type) type = fallback->type;
      if (!value->unknown_type && !fallback->unknown_type) {
        auto common = CommonType(value->type, fallback->type);
        if (!common) {
          return Status(ErrorCode::kUndefinedFunction,
                        "function " + name + "(" + std::string(PgTypeName(value->type)) +
                            ", integer, " + std::string(PgTypeName(fallback->type)) +
                            ") does not exist: the default must have the value's type");
        }
        type = *common;
      }
      TDB_ASSIGN_OR_RETURN(fallback, Coerce(std::move(fallback), type, CoercionKind::kImplicit,
                                            context_.parameter_types, "default of " + name));
    }
    TDB_ASSIGN_OR_RETURN(value, Coerce(std::move(value), type, CoercionKind::kImplicit,
                                       context_.parameter_types, "argument of " + name));
    call.args.push_back(std::move(value));
    if (offset) call.args.push_back(std::move(offset));
    if (fallback) {
      if (call.args.size() == 1) call.args.push_back(MakeConstant(Value::BigInt(1)));
      call.args.push_back(std::move(fallback));
    }
    call.type = type;
    return call;
  }
  if (name == "first_value" || name == "last_value" || name == "nth_value") {
    if (f.args.size() != (name == "nth_value" ? 2u : 1u)) return wrong_arguments();
    call.function = name == "first_value"  ? WindowFunction::kFirstValue
                    : name == "last_value" ? WindowFunction::kLastValue
                                           : WindowFunction::kNthValue;
    TDB_ASSIGN_OR_RETURN(BoundExprPtr value, bind_arg(*f.args[0]));
    call.type = value->type;
    call.args.push_back(std::move(value));
    if (name == "nth_value") {
      TDB_ASSIGN_OR_RETURN(BoundExprPtr n, bind_arg(*f.args[1]));
      TDB_ASSIGN_OR_RETURN(n, Coerce(std::move(n), DataType::kBigInt, CoercionKind::kImplicit,
                                     context_.parameter_types, "argument of nth_value"));
      call.args.push_back(std::move(n));
    }
    return call;
  }
  const bool boolean_aggregate = name == "bool_and" || name == "every" || name == "bool_or";
  if (aggregate && name != "count" && name != "sum" && name != "avg" && name != "min" &&
      name != "max" && !boolean_aggregate) {
    return Status(ErrorCode::kFeatureNotSupported,
                  name + " is not supported as a window function; use it with GROUP BY");
  }
  if (aggregate) {
    call.function = WindowFunction::kAggregate;
    if (f.star) {
      call.aggregate = AggregateFunction::kCountStar;
      call.type = DataType::kBigInt;
    } else {
      if (f.args.size() != 1) {
        return Status(ErrorCode::kUndefinedFunction,
                      "function " + name + " takes exactly one argument");
      }
      TDB_ASSIGN_OR_RETURN(BoundExprPtr arg, bind_arg(*f.args[0]));
      TDB_ASSIGN_OR_RETURN(AggregateSignature signature, ResolvePlainAggregate(name, arg->type));
      call.aggregate = signature.function;
      call.type = signature.type;
      call.args.push_back(std::move(arg));
    }
    if (f.filter) {
      Scope filter_scope = value_scope;
      filter_scope.clause = "FILTER";
      TDB_ASSIGN_OR_RETURN(call.filter, BindExpr(*f.filter, filter_scope));
      TDB_ASSIGN_OR_RETURN(
          call.filter, Coerce(std::move(call.filter), DataType::kBoolean, CoercionKind::kImplicit,
                              context_.parameter_types, "FILTER"));
    }
    return call;
  }
  return Status(ErrorCode::kUndefinedFunction,
                WithFunctionSuggestion("OVER specified, but " + name +
                                           " is not a window function nor an aggregate function",
                                       name, true));
}

PlanPtr Binder::AddWindowNode(PlanPtr plan, WindowState& window, std::vector<BoundExprPtr>* exprs) {
  assert(!window.calls.empty());
  const size_t base = plan->columns.size();
  auto move = [base](auto& self, BoundExpr* e) -> void {
    if (e->kind == BoundExprKind::kColumn && e->outer_level == 0 &&
        e->column >= kWindowPlaceholderColumn) {
      e->column = e->column - kWindowPlaceholderColumn + base;
    }
    for (auto& c : e->children)
      self(self, c.get());
  };
  for (auto& e : *exprs)
    move(move, e.get());
  auto node = std::make_unique<WindowNode>();
  node->columns = plan->columns;
  for (WindowCall& call : window.calls) {
    node->columns.push_back(OutputColumn{call.name, call.type, "", false});
    node->calls.push_back(std::move(call));
  }
  window.calls.clear();
  node->children.push_back(std::move(plan));
  node->Finish();
  return PlanPtr(std::move(node));
}

}  // namespace tenantdb::sql
