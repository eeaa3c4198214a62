#include "sql/exec/expression_evaluator.h"

#include <algorithm>
#include <span>

#include "sql/exec/executor.h"
#include "sql/exec/memory_estimate.h"
#include "sql/function/arithmetic.h"
#include "sql/function/cast.h"
#include "sql/function/comparison.h"
#include "sql/function/like.h"
#include "sql/function/text_array.h"

namespace tenantdb::sql {

namespace {

bool IsArithmetic(ScalarOp op) {
  switch (op) {
    case ScalarOp::kAdd:
    case ScalarOp::kSubtract:
    case ScalarOp::kMultiply:
    case ScalarOp::kDivide:
    case ScalarOp::kModulo:
    case ScalarOp::kPower:
    case ScalarOp::kConcat:
      return true;
    default:
      return false;
  }
}

// Three-valued logic on optional booleans (nullopt = NULL).
std::optional<bool> ToBool(const Value& v) {
  if (v.is_null()) return std::nullopt;
  return v.as_bool();
}

// Whether `e` has one value for every row of a batch: it reads no column of the batch (outer
// references are fixed while a batch is evaluated), no subquery and no volatile function
// (random() differs per row). Such an expression is evaluated once per batch.
bool IsRowInvariant(const BoundExpr& e) {
  switch (e.kind) {
    case BoundExprKind::kColumn:
      return e.outer_level > 0;
    case BoundExprKind::kSubquery:
      return false;
    case BoundExprKind::kFunction:
      if (e.function != nullptr && e.function->is_volatile) return false;
      break;
    default:
      break;
  }
  for (const auto& c : e.children)
    if (!IsRowInvariant(*c)) return false;
  return true;
}

Result<std::vector<Value>> SubqueryRows(const BoundExpr& expr, ExecContext& ctx, const Batch* input,
                                        size_t row) {
  if (!expr.correlated) {
    if (auto it = ctx.subquery_results.find(&expr); it != ctx.subquery_results.end()) {
      return it->second;
    }
  }
  if (expr.correlated) ctx.outer_rows.push_back(input->GetRow(row));
  // An uncorrelated result is kept for the whole execution: its charge stays with ctx.
  MemoryReservation charge(ctx.memory);
  auto batches = RunPlan(*expr.subquery, ctx, &charge);
  if (expr.correlated) ctx.outer_rows.pop_back();
  if (!batches.ok()) return batches.status();
  std::vector<Value> values;
  for (const Batch& b : *batches) {
    for (size_t r = 0; r < b.num_rows(); ++r) {
      values.push_back(b.num_columns() > 0 ? b.column(0).GetValue(r) : Value::Boolean(true));
    }
  }
  if (!expr.correlated) {
    if (ctx.subquery_memory.bytes() == 0) ctx.subquery_memory = MemoryReservation(ctx.memory);
    TDB_RETURN_IF_ERROR(
        ctx.subquery_memory.Resize(ctx.subquery_memory.bytes() + BatchesBytes(*batches)));
    ctx.subquery_results[&expr] = values;
  }
  return values;
}

}  // namespace

std::vector<uint32_t> SelectedRows(const ColumnVector& predicate) {
  std::vector<uint32_t> rows;
  const auto values = predicate.values<uint8_t>();
  rows.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != 0 && !predicate.IsNull(i)) rows.push_back(static_cast<uint32_t>(i));
  }
  return rows;
}

Batch TakeRows(const Batch& input, const std::vector<uint32_t>& rows) {
  Batch out(input.schema());
  for (size_t c = 0; c < input.num_columns(); ++c) {
    out.mutable_column(c).AppendRows(input.column(c), rows);
  }
  return out;
}

Result<Value> EvaluateConstant(const BoundExpr& expr, ExecContext& ctx) {
  static const auto* empty_schema = new std::shared_ptr<const Schema>(
      std::make_shared<const Schema>(std::vector<Field>{}, SchemaMetadata{}));
  const Batch none(*empty_schema);
  return EvaluateRow(expr, none, 0, ctx);
}

Result<Value> EvaluateRow(const BoundExpr& expr, const Batch& input, size_t row, ExecContext& ctx) {
  auto child = [&](size_t i) { return EvaluateRow(*expr.children[i], input, row, ctx); };
  switch (expr.kind) {
    case BoundExprKind::kColumn: {
      if (expr.outer_level == 0) return input.column(expr.column).GetValue(row);
      const size_t depth = ctx.outer_rows.size();
      if (static_cast<size_t>(expr.outer_level) > depth) {
        return Status(ErrorCode::kInternal, "outer reference without an outer row");
      }
      return ctx.outer_rows[depth - expr.outer_level][expr.column];
    }
    case BoundExprKind::kConstant:
      return expr.value;
    case BoundExprKind::kParameter:
      if (static_cast<size_t>(expr.parameter) >= ctx.parameters.size()) {
        // PostgreSQL's 42P02: a statement run without parameters that names $n.
        return Status(ErrorCode::kUndefinedParameter, "there is no parameter $" +
                                                          std::to_string(expr.parameter + 1) +
                                                          " (no value was given for it)");
      }
      {
        const Value& v = ctx.parameters[expr.parameter];
        if (v.is_null()) return Value::Null(expr.type);
        if (v.type() != expr.type) return CastValue(v, expr.type);
        return v;
      }
    case BoundExprKind::kNot: {
      TDB_ASSIGN_OR_RETURN(Value v, child(0));
      if (v.is_null()) return v;
      return Value::Boolean(!v.as_bool());
    }
    case BoundExprKind::kNegate: {
      TDB_ASSIGN_OR_RETURN(Value v, child(0));
      return EvalNegate(v);
    }
    case BoundExprKind::kBinary: {
      const ScalarOp op = expr.binary_op;
      if (op == ScalarOp::kAnd || op == ScalarOp::kOr) {
        TDB_ASSIGN_OR_RETURN(Value l, child(0));
        const std::optional<bool> lb = ToBool(l);
        const bool is_and = op == ScalarOp::kAnd;
        if (lb.has_value() && *lb != is_and) return Value::Boolean(*lb);  // short-circuit
        TDB_ASSIGN_OR_RETURN(Value r, child(1));
        const std::optional<bool> rb = ToBool(r);
        if (rb.has_value() && *rb != is_and) return Value::Boolean(*rb);
        if (!lb.has_value() || !rb.has_value()) return Value::Null(DataType::kBoolean);
        return Value::Boolean(is_and);
      }
      TDB_ASSIGN_OR_RETURN(Value l, child(0));
      TDB_ASSIGN_OR_RETURN(Value r, child(1));
      if (IsComparisonOp(op)) return EvalComparison(op, l, r);
      if (IsArithmetic(op)) return EvalArithmetic(op, l, r);
      // LIKE family
      if (l.is_null() || r.is_null()) return Value::Null(DataType::kBoolean);
      TDB_RETURN_IF_ERROR(CheckLikePattern(r.as_bytes()));
      const bool ci = op == ScalarOp::kILike || op == ScalarOp::kNotILike;
      const bool match = LikeMatch(l.as_bytes(), r.as_bytes(), ci);
      const bool negate = op == ScalarOp::kNotLike || op == ScalarOp::kNotILike;
      return Value::Boolean(match != negate);
    }
    case BoundExprKind::kIsNull: {
      TDB_ASSIGN_OR_RETURN(Value v, child(0));
      return Value::Boolean(v.is_null() != expr.negated);
    }
    case BoundExprKind::kInList: {
      TDB_ASSIGN_OR_RETURN(Value v, child(0));
      if (v.is_null()) return Value::Null(DataType::kBoolean);
      bool saw_null = false;
      for (size_t i = 1; i < expr.children.size(); ++i) {
        TDB_ASSIGN_OR_RETURN(Value item, child(i));
        if (item.is_null()) {
          saw_null = true;
          continue;
        }
        if (CompareValues(v, item) == 0) return Value::Boolean(!expr.negated);
      }
      if (saw_null) return Value::Null(DataType::kBoolean);
      return Value::Boolean(expr.negated);
    }
    case BoundExprKind::kCase: {
      const size_t pairs = (expr.children.size() - (expr.has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; ++i) {
        TDB_ASSIGN_OR_RETURN(Value cond, child(2 * i));
        if (!cond.is_null() && cond.as_bool()) return child(2 * i + 1);
      }
      if (expr.has_else) return child(expr.children.size() - 1);
      return Value::Null(expr.type);
    }
    case BoundExprKind::kCast: {
      TDB_ASSIGN_OR_RETURN(Value v, child(0));
      return CastValue(v, expr.type);
    }
    case BoundExprKind::kFunction: {
      std::vector<Value> args;
      args.reserve(expr.children.size());
      for (size_t i = 0; i < expr.children.size(); ++i) {
        TDB_ASSIGN_OR_RETURN(Value v, child(i));
        if (v.is_null() && expr.function->strict) return Value::Null(expr.type);
        args.push_back(std::move(v));
      }
      return expr.function->eval(args, ctx.function);
    }
    case BoundExprKind::kCoalesce: {
      for (size_t i = 0; i < expr.children.size(); ++i) {
        TDB_ASSIGN_OR_RETURN(Value v, child(i));
        if (!v.is_null()) return v;
      }
      return Value::Null(expr.type);
    }
    case BoundExprKind::kNullIf: {
      TDB_ASSIGN_OR_RETURN(Value a, child(0));
      TDB_ASSIGN_OR_RETURN(Value b, child(1));
      if (!a.is_null() && !b.is_null() && CompareValues(a, b) == 0) return Value::Null(expr.type);
      return a;
    }
    case BoundExprKind::kSubquery: {
      TDB_ASSIGN_OR_RETURN(std::vector<Value> rows, SubqueryRows(expr, ctx, &input, row));
      switch (expr.subquery_kind) {
        case SubqueryKind::kExists:
          return Value::Boolean(!rows.empty());
        case SubqueryKind::kScalar:
          if (rows.size() > 1) {
            return Status(ErrorCode::kCardinalityViolation,
                          "more than one row returned by a subquery used as an expression");
          }
          return rows.empty() ? Value::Null(expr.type) : rows[0];
        case SubqueryKind::kArray: {
          TextArray elements;
          for (const Value& item : rows) {
            if (item.is_null()) {
              elements.push_back(std::nullopt);
              continue;
            }
            TDB_ASSIGN_OR_RETURN(Value text, CastValue(item, DataType::kText));
            elements.push_back(std::string(text.as_bytes()));
          }
          return Value::Text(FormatTextArray(elements));
        }
        case SubqueryKind::kIn: {
          TDB_ASSIGN_OR_RETURN(Value v, child(0));
          if (rows.empty()) return Value::Boolean(false);
          if (v.is_null()) return Value::Null(DataType::kBoolean);
          bool saw_null = false;
          for (const Value& item : rows) {
            if (item.is_null()) {
              saw_null = true;
            } else if (CompareValues(v, item) == 0) {
              return Value::Boolean(true);
            }
          }
          return saw_null ? Value::Null(DataType::kBoolean) : Value::Boolean(false);
        }
      }
      break;
    }
  }
  return Status(ErrorCode::kInternal, "unknown bound expression");
}

namespace {

Result<ColumnVector> EvaluateRowWise(const BoundExpr& expr, const Batch& input, ExecContext& ctx) {
  ColumnVector out(expr.type);
  const size_t n = input.num_rows();
  out.Reserve(n);
  for (size_t r = 0; r < n; ++r) {
    TDB_ASSIGN_OR_RETURN(Value v, EvaluateRow(expr, input, r, ctx));
    if (v.is_null()) {
      out.AppendNull();
    } else if (v.type() != expr.type) {
      TDB_ASSIGN_OR_RETURN(Value cast, CastValue(v, expr.type));
      out.Append(cast);
    } else {
      out.Append(v);
    }
  }
  return out;
}

template <typename T>
void Fill(ColumnVector* out, size_t n, const T& value) {
  std::span<T> values = out->AppendValid<T>(n);
  std::fill(values.begin(), values.end(), value);
}

// `v` (of type `type`, or NULL) for `n` rows.
ColumnVector Broadcast(const Value& v, DataType type, size_t n) {
  ColumnVector out(type);
  if (v.is_null()) {
    out.AppendNulls(n);
    return out;
  }
  if (IsArray(type)) {
    for (size_t i = 0; i < n; ++i)
      out.Append(v);
    return out;
  }
  switch (type) {
    case DataType::kBoolean:
      Fill<uint8_t>(&out, n, v.as_bool() ? 1 : 0);
      break;
    case DataType::kSmallInt:
      Fill<int16_t>(&out, n, static_cast<int16_t>(v.as_int64()));
      break;
    case DataType::kInt:
    case DataType::kDate:
      Fill<int32_t>(&out, n, static_cast<int32_t>(v.as_int64()));
      break;
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      Fill<int64_t>(&out, n, v.as_int64());
      break;
    case DataType::kReal:
      Fill<float>(&out, n, static_cast<float>(v.as_double()));
      break;
    case DataType::kDouble:
      Fill<double>(&out, n, v.as_double());
      break;
    case DataType::kNumeric:
      Fill<Numeric>(&out, n, v.as_numeric());
      break;
    case DataType::kInterval:
      Fill<Interval>(&out, n, v.as_interval());
      break;
    case DataType::kUuid:
      Fill<Uuid>(&out, n, v.as_uuid());
      break;
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
      for (size_t i = 0; i < n; ++i)
        out.AppendBytes(v.as_bytes());
      break;
  }
  return out;
}

// Whether `e` holds a volatile function or a subquery: work PostgreSQL does only for the
// rows that reach it, so it is never evaluated for a whole batch on speculation.
bool HasSideWork(const BoundExpr& e) {
  if (e.kind == BoundExprKind::kSubquery) return true;
  if (e.kind == BoundExprKind::kFunction && e.function != nullptr && e.function->is_volatile) {
    return true;
  }
  for (const auto& c : e.children)
    if (HasSideWork(*c)) return true;
  return false;
}

// `x [NOT] IN (items)` with row-invariant items, vectorized: one comparison of the column
// per item and IN's three-valued result (true when one equals; else NULL when x or an item
// is NULL; else false). nullopt: not this shape (an item reads the row, fails, or has
// another type), for the row-by-row path.
Result<std::optional<ColumnVector>> EvaluateInConstants(const BoundExpr& expr, const Batch& input,
                                                        ExecContext& ctx) {
  const auto row_wise = std::optional<ColumnVector>();
  std::vector<Value> items;
  for (size_t i = 1; i < expr.children.size(); ++i) {
    if (!IsRowInvariant(*expr.children[i])) return row_wise;
    Result<Value> item = EvaluateRow(*expr.children[i], input, 0, ctx);
    if (!item.ok()) return row_wise;  // reported row by row, where PostgreSQL reaches it
    items.push_back(std::move(*item));
  }
  std::optional<ColumnVector> storage;
  TDB_ASSIGN_OR_RETURN(const ColumnVector* x,
                       EvaluateView(*expr.children[0], input, ctx, &storage));
  for (const Value& item : items)
    if (!item.is_null() && item.type() != x->type()) return row_wise;
  const size_t n = x->size();
  std::vector<uint8_t> found(n, 0), unknown(n, 0);
  for (const Value& item : items) {
    if (item.is_null()) {
      std::fill(unknown.begin(), unknown.end(), 1);
      continue;
    }
    ColumnVector equal(DataType::kBoolean);
    TDB_RETURN_IF_ERROR(CompareVectorConstant(ScalarOp::kEqual, *x, item, &equal));
    const auto eq = equal.values<uint8_t>();
    for (size_t r = 0; r < n; ++r) {
      if (equal.IsNull(r)) {
        unknown[r] = 1;
      } else {
        found[r] |= eq[r];
      }
    }
  }
  ColumnVector out(DataType::kBoolean);
  std::span<uint8_t> result = out.AppendValid<uint8_t>(n);
  for (size_t r = 0; r < n; ++r) {
    if (found[r]) {
      result[r] = expr.negated ? 0 : 1;
    } else if (unknown[r]) {
      out.SetNull<uint8_t>(r);
    } else {
      result[r] = expr.negated ? 1 : 0;
    }
  }
  return std::optional<ColumnVector>(std::move(out));
}

// CASE, vectorized: every WHEN and every branch over the whole batch, then each row takes
// the branch of its first true WHEN. PostgreSQL evaluates a WHEN or a branch only for the
// rows that reach it, so any failure (1 / x where an earlier WHEN excluded x = 0) sends
// the CASE row by row, where it fails only as PostgreSQL would; CASEs with volatile
// functions or subqueries go row by row from the start. nullopt: row by row.
Result<std::optional<ColumnVector>> EvaluateCaseVectorized(const BoundExpr& expr,
                                                           const Batch& input, ExecContext& ctx) {
  const auto row_wise = std::optional<ColumnVector>();
  if (HasSideWork(expr)) return row_wise;
  const size_t pairs = (expr.children.size() - (expr.has_else ? 1 : 0)) / 2;
  std::vector<std::optional<ColumnVector>> storage(expr.children.size());
  std::vector<const ColumnVector*> parts(expr.children.size());
  for (size_t i = 0; i < expr.children.size(); ++i) {
    Result<const ColumnVector*> part = EvaluateView(*expr.children[i], input, ctx, &storage[i]);
    if (!part.ok()) return row_wise;
    parts[i] = *part;
    const bool condition = i < 2 * pairs && i % 2 == 0;
    if (condition || parts[i]->type() == expr.type) continue;
    ColumnVector cast(expr.type);
    if (!CastVector(*parts[i], expr.type, &cast).ok()) return row_wise;
    storage[i] = std::move(cast);
    parts[i] = &*storage[i];
  }
  const size_t n = input.num_rows();
  ColumnVector out(expr.type);
  out.Reserve(n);
  for (size_t r = 0; r < n; ++r) {
    const ColumnVector* taken = expr.has_else ? parts.back() : nullptr;
    for (size_t i = 0; i < pairs; ++i) {
      const ColumnVector& when = *parts[2 * i];
      if (!when.IsNull(r) && when.values<uint8_t>()[r] != 0) {
        taken = parts[2 * i + 1];
        break;
      }
    }
    if (taken == nullptr) {
      out.AppendNull();
    } else {
      out.AppendFrom(*taken, r);
    }
  }
  return std::optional<ColumnVector>(std::move(out));
}

Result<ColumnVector> EvaluateLogic(const BoundExpr& expr, const Batch& input, ExecContext& ctx) {
  std::optional<ColumnVector> l_storage, r_storage;
  TDB_ASSIGN_OR_RETURN(const ColumnVector* lp,
                       EvaluateView(*expr.children[0], input, ctx, &l_storage));
  const ColumnVector& l = *lp;
  auto r = EvaluateView(*expr.children[1], input, ctx, &r_storage);
  if (!r.ok()) return EvaluateRowWise(expr, input, ctx);  // PostgreSQL's short-circuit
  const bool is_and = expr.binary_op == ScalarOp::kAnd;
  const size_t n = input.num_rows();
  ColumnVector out(DataType::kBoolean);
  const auto lv = l.values<uint8_t>();
  const auto rv = (*r)->values<uint8_t>();
  std::span<uint8_t> result = out.AppendValid<uint8_t>(n);
  if (l.null_count() == 0 && (*r)->null_count() == 0) {
    for (size_t i = 0; i < n; ++i)
      result[i] = is_and ? (lv[i] & rv[i]) : (lv[i] | rv[i]);
    return out;
  }
  for (size_t i = 0; i < n; ++i) {
    const bool ln = l.IsNull(i), rn = (*r)->IsNull(i);
    const bool lb = lv[i] != 0, rb = rv[i] != 0;
    // AND: false wins over NULL; OR: true wins over NULL.
    const bool decided = is_and ? ((!ln && !lb) || (!rn && !rb)) : ((!ln && lb) || (!rn && rb));
    if (decided) {
      result[i] = is_and ? 0 : 1;
    } else if (ln || rn) {
      out.SetNull<uint8_t>(i);
    } else {
      result[i] = is_and ? 1 : 0;
    }
  }
  return out;
}

}  // namespace

Result<const ColumnVector*> EvaluateView(const BoundExpr& expr, const Batch& input,
                                         ExecContext& ctx, std::optional<ColumnVector>* storage) {
  if (expr.kind == BoundExprKind::kColumn && expr.outer_level == 0) {
    return &input.column(expr.column);
  }
  TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(expr, input, ctx));
  storage->emplace(std::move(v));
  return &**storage;
}

Result<ColumnVector> Evaluate(const BoundExpr& expr, const Batch& input, ExecContext& ctx) {
  const size_t n = input.num_rows();
  if (expr.kind == BoundExprKind::kColumn && expr.outer_level == 0) {
    return input.column(expr.column);
  }
  // No rows: nothing is evaluated (a constant that fails, like 1 / 0, does not fail).
  if (n == 0) return ColumnVector(expr.type);
  if (IsRowInvariant(expr)) {
    TDB_ASSIGN_OR_RETURN(Value v, EvaluateRow(expr, input, 0, ctx));
    if (!v.is_null() && v.type() != expr.type) {
      TDB_ASSIGN_OR_RETURN(v, CastValue(v, expr.type));
    }
    return Broadcast(v, expr.type, n);
  }
  switch (expr.kind) {
    case BoundExprKind::kCast: {
      std::optional<ColumnVector> storage;
      TDB_ASSIGN_OR_RETURN(const ColumnVector* in,
                           EvaluateView(*expr.children[0], input, ctx, &storage));
      if (in->type() == expr.type) return storage ? std::move(*storage) : *in;
      ColumnVector out(expr.type);
      TDB_RETURN_IF_ERROR(CastVector(*in, expr.type, &out));
      return out;
    }
    case BoundExprKind::kBinary: {
      const ScalarOp op = expr.binary_op;
      if (op == ScalarOp::kAnd || op == ScalarOp::kOr) return EvaluateLogic(expr, input, ctx);
      const BoundExpr& le = *expr.children[0];
      const BoundExpr& re = *expr.children[1];
      // Plain column operands are read in place (EvaluateView), not copied.
      std::optional<ColumnVector> l_storage, r_storage;
      if (IsComparisonOp(op)) {
        ColumnVector out(DataType::kBoolean);
        if (IsRowInvariant(re) && !IsRowInvariant(le)) {
          TDB_ASSIGN_OR_RETURN(const ColumnVector* l, EvaluateView(le, input, ctx, &l_storage));
          TDB_ASSIGN_OR_RETURN(Value c, EvaluateRow(re, input, 0, ctx));
          TDB_RETURN_IF_ERROR(CompareVectorConstant(op, *l, c, &out));
          return out;
        }
        if (IsRowInvariant(le) && !IsRowInvariant(re)) {
          TDB_ASSIGN_OR_RETURN(const ColumnVector* r, EvaluateView(re, input, ctx, &r_storage));
          TDB_ASSIGN_OR_RETURN(Value c, EvaluateRow(le, input, 0, ctx));
          TDB_RETURN_IF_ERROR(CompareVectorConstant(MirrorComparison(op), *r, c, &out));
          return out;
        }
        TDB_ASSIGN_OR_RETURN(const ColumnVector* l, EvaluateView(le, input, ctx, &l_storage));
        TDB_ASSIGN_OR_RETURN(const ColumnVector* r, EvaluateView(re, input, ctx, &r_storage));
        TDB_RETURN_IF_ERROR(CompareVector(op, *l, *r, &out));
        return out;
      }
      if (IsArithmetic(op)) {
        TDB_ASSIGN_OR_RETURN(const ColumnVector* l, EvaluateView(le, input, ctx, &l_storage));
        TDB_ASSIGN_OR_RETURN(const ColumnVector* r, EvaluateView(re, input, ctx, &r_storage));
        ColumnVector out(expr.type);
        TDB_RETURN_IF_ERROR(EvalArithmeticVector(op, *l, *r, &out));
        return out;
      }
      break;
    }
    case BoundExprKind::kInList: {
      TDB_ASSIGN_OR_RETURN(std::optional<ColumnVector> in, EvaluateInConstants(expr, input, ctx));
      if (in) return std::move(*in);
      break;
    }
    case BoundExprKind::kCase: {
      TDB_ASSIGN_OR_RETURN(std::optional<ColumnVector> c, EvaluateCaseVectorized(expr, input, ctx));
      if (c) return std::move(*c);
      break;
    }
    default:
      break;
  }
  return EvaluateRowWise(expr, input, ctx);
}

}  // namespace tenantdb::sql
