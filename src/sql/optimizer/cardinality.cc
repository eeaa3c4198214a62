#include "sql/optimizer/cardinality.h"

#include <algorithm>
#include <cmath>

#include "sql/optimizer/plan_walk.h"
#include "sql/optimizer/predicate_match.h"

namespace tenantdb::sql {

namespace {

// PostgreSQL's defaults where nothing is known (selfuncs.h): DEFAULT_EQ_SEL,
// DEFAULT_INEQ_SEL, DEFAULT_MATCH_SEL; a generic predicate counts like PostgreSQL's
// boolean default.
constexpr double kEqualSelectivity = 0.005;
constexpr double kRangeSelectivity = 1.0 / 3;
constexpr double kLikeSelectivity = 0.05;
constexpr double kNullSelectivity = 0.005;
constexpr double kDefaultSelectivity = 0.25;
// Rows of a function scan nothing is known about (PostgreSQL assumes 1000 too).
constexpr double kDefaultFunctionRows = 1000;
// Groups of a GROUP BY key whose distinct values are unknown: a tenth of the rows.
constexpr double kUnknownGroupFraction = 0.1;

double AtLeastOne(double rows) {
  return std::isfinite(rows) ? std::max(1.0, rows) : 1e18;
}
double Clamp01(double s) {
  return std::isfinite(s) ? std::min(1.0, std::max(0.0, s)) : 1.0;
}

std::optional<double> AsNumber(const Value& v) {
  if (v.is_null()) return std::nullopt;
  switch (v.type()) {
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kBigInt:
    case DataType::kDate:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return static_cast<double>(v.as_int64());
    case DataType::kReal:
    case DataType::kDouble:
      return v.as_double();
    default:
      return std::nullopt;
  }
}

const BoundExpr* PlainColumn(const BoundExpr& e) {
  if (e.kind == BoundExprKind::kColumn && e.outer_level == 0) return &e;
  if (e.kind == BoundExprKind::kCast) return PlainColumn(*e.children[0]);
  return nullptr;
}

bool IsComparison(ScalarOp op) {
  return op == ScalarOp::kEqual || op == ScalarOp::kNotEqual || op == ScalarOp::kLess ||
         op == ScalarOp::kLessEqual || op == ScalarOp::kGreater || op == ScalarOp::kGreaterEqual;
}

// Whether `column` is the whole primary key of `table` (so unique).
bool IsSoleKeyColumn(const TableProvider& table, size_t column) {
  const auto& key = table.schema()->PrimaryKeyIndices();
  return key.size() == 1 && key[0] == column;
}

// Whether `keys` (over `side`'s columns) include every column of the primary key, of two
// or more columns, of the table `side` scans.
bool CoversCompositeKey(const std::vector<BoundExprPtr>& keys, const PlanNode& side) {
  const ScanNode* scan = ScanUnderFilters(side);
  if (scan == nullptr) return false;
  const std::vector<size_t> pk = scan->table->schema()->PrimaryKeyIndices();
  if (pk.size() < 2) return false;
  for (size_t column : pk) {
    bool found = false;
    for (const BoundExprPtr& k : keys) {
      found = found ||
              (k->kind == BoundExprKind::kColumn && k->outer_level == 0 && k->column == column);
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

const TableStatistics& CardinalityEstimator::StatisticsOf(const TableProvider& table) {
  auto it = statistics_.find(&table);
  if (it != statistics_.end()) return it->second;
  TableStatistics stats;
  if (request_ != nullptr) stats = table.EstimateStatistics(*request_);
  return statistics_.emplace(&table, std::move(stats)).first->second;
}

double CardinalityEstimator::TableRows(const TableProvider& table) {
  const TableStatistics& stats = StatisticsOf(table);
  const bool per_user = table.type() == TableType::kUser || table.type() == TableType::kStream;
  // The average slice: the plan is reused by users whose slices differ.
  if (per_user && stats.table_rows >= 0 && stats.users > 0) {
    return AtLeastOne(stats.table_rows / stats.users);
  }
  if (stats.rows >= 0) return AtLeastOne(stats.rows);
  if (!per_user && stats.table_rows >= 0) return AtLeastOne(stats.table_rows);
  return kDefaultTableRows;
}

double CardinalityEstimator::ScanRows(const ScanNode& scan) {
  double rows = TableRows(*scan.table);
  const size_t key_columns = scan.table->schema()->PrimaryKeyIndices().size();
  // Bounds on a key prefix: the leading columns both bounds fix to one value are
  // equalities; what follows on either side is a range.
  auto bound_selectivity = [&](const std::optional<BoundKeyBound>& lower,
                               const std::optional<BoundKeyBound>& upper) {
    const size_t lower_size = lower ? lower->key.size() : 0;
    const size_t upper_size = upper ? upper->key.size() : 0;
    size_t equal = 0;
    while (equal < lower_size && equal < upper_size &&
           lower->key[equal]->Equals(*upper->key[equal])) {
      ++equal;
    }
    const bool exact =
        equal == lower_size && equal == upper_size && lower->inclusive && upper->inclusive;
    if (!exact && equal > 0 && equal == lower_size && equal == upper_size) --equal;
    double s = std::pow(kEqualSelectivity, static_cast<double>(equal));
    if (lower_size > equal) s *= kRangeSelectivity;
    if (upper_size > equal) s *= kRangeSelectivity;
    return s;
  };
  if (scan.lower || scan.upper) {
    const bool point = scan.lower && scan.upper && scan.lower->key.size() == key_columns &&
                       scan.upper->key.size() == key_columns && scan.lower->inclusive &&
                       scan.upper->inclusive;
    // A whole primary key read by equality: at most one row (unless the bounds differ,
    // which the estimate ignores).
    rows = point ? 1 : rows * bound_selectivity(scan.lower, scan.upper);
  }
  if (scan.index) {
    if (!scan.index->points.empty()) {
      rows *= Clamp01(
          static_cast<double>(scan.index->points.size()) *
          std::pow(kEqualSelectivity, static_cast<double>(scan.index->points.front().size())));
    } else if (scan.index->lower || scan.index->upper) {
      rows *= bound_selectivity(scan.index->lower, scan.index->upper);
    }
  }
  // The filter re-checks what an index read found; count only what it adds to bounds.
  if (scan.filter && !scan.index) rows *= Selectivity(*scan.filter, scan);
  if (scan.scan_limit > 0) rows = std::min(rows, static_cast<double>(scan.scan_limit));
  if (scan.scan_top_n > 0) rows = std::min(rows, static_cast<double>(scan.scan_top_n));
  return AtLeastOne(rows);
}

double CardinalityEstimator::JoinRows(const JoinNode& join) {
  const PlanNode& left = *join.children[0];
  const PlanNode& right = *join.children[1];
  const double l = Rows(left);
  const double r = Rows(right);
  double inner = l * r;
  for (size_t i = 0; i < join.left_keys.size(); ++i)
    inner *= JoinKeySelectivity(*join.left_keys[i], left, *join.right_keys[i], right);
  // Keys covering one side's composite primary key: a foreign-key join (each row of the
  // other side meets one of that table's rows), not independent keys whose selectivities
  // multiply (JoinGraph::UniqueKey says the same to the join order).
  if (CoversCompositeKey(join.right_keys, right)) {
    inner = std::max(inner, l * r / TableRows(*ScanUnderFilters(right)->table));
  }
  if (CoversCompositeKey(join.left_keys, left)) {
    inner = std::max(inner, l * r / TableRows(*ScanUnderFilters(left)->table));
  }
  // The residual condition reads both sides; its selectivity is judged as a filter over
  // the join's own row.
  if (join.condition) inner *= Selectivity(*join.condition, join);
  switch (join.join_type) {
    case JoinType::kInner:
    case JoinType::kCross:
      return AtLeastOne(inner);
    case JoinType::kLeft:
      return AtLeastOne(std::max(inner, l));
    case JoinType::kFull:
      return AtLeastOne(std::max(inner, std::max(l, r)));
    default:
      // Joins returning left rows only once (semi, anti): at most the left side.
      return AtLeastOne(std::min(l, std::max(inner, 1.0)));
  }
}

double CardinalityEstimator::GroupRows(const PlanNode& input,
                                       const std::vector<const BoundExpr*>& keys) {
  const double rows = Rows(input);
  if (keys.empty()) return 1;
  double groups = 1;
  for (const BoundExpr* key : keys) {
    std::optional<double> d = ExprDistinct(*key, input);
    groups *= d.has_value() ? *d : std::max(1.0, rows * kUnknownGroupFraction);
    if (groups >= rows) return rows;
  }
  return AtLeastOne(std::min(groups, rows));
}

double CardinalityEstimator::Rows(const PlanNode& node) {
  if (annotating_ && node.estimated_rows >= 0) return node.estimated_rows;
  switch (node.kind) {
    case PlanKind::kScan:
      return ScanRows(node.As<ScanNode>());
    case PlanKind::kValues:
      return AtLeastOne(static_cast<double>(node.As<ValuesNode>().rows.size()));
    case PlanKind::kFilter:
      return AtLeastOne(Rows(*node.children[0]) *
                        Selectivity(*node.As<FilterNode>().predicate, *node.children[0]));
    case PlanKind::kProject:
    case PlanKind::kWindow:
    case PlanKind::kCte:
      return Rows(*node.children[0]);
    case PlanKind::kSort: {
      const auto& sort = node.As<SortNode>();
      double rows = Rows(*node.children[0]);
      if (sort.limit && sort.limit->kind == BoundExprKind::kConstant &&
          !sort.limit->value.is_null()) {
        rows = std::min(rows, static_cast<double>(sort.limit->value.as_int64()));
      }
      return AtLeastOne(rows);
    }
    case PlanKind::kLimit: {
      const double rows = Rows(*node.children[0]);
      const std::optional<int64_t> n = ConstantLimitRows(node.As<LimitNode>());
      return AtLeastOne(n.has_value() ? std::min(rows, static_cast<double>(*n)) : rows);
    }
    case PlanKind::kAggregate: {
      const auto& agg = node.As<AggregateNode>();
      std::vector<const BoundExpr*> keys;
      for (const auto& k : agg.group_keys)
        keys.push_back(k.get());
      const double sets = agg.grouping_sets.empty() ? 1.0 : agg.grouping_sets.size();
      return AtLeastOne(GroupRows(*node.children[0], keys) * sets);
    }
    case PlanKind::kDistinct: {
      const auto& distinct = node.As<DistinctNode>();
      const PlanNode& input = *node.children[0];
      std::vector<BoundExprPtr> columns;
      if (distinct.key_columns.empty()) {
        for (size_t i = 0; i < input.columns.size(); ++i)
          columns.push_back(MakeColumn(i, input.columns[i].type, input.columns[i].name));
      } else {
        for (size_t i : distinct.key_columns)
          columns.push_back(MakeColumn(i, input.columns[i].type, input.columns[i].name));
      }
      std::vector<const BoundExpr*> keys;
      for (const auto& c : columns)
        keys.push_back(c.get());
      return GroupRows(input, keys);
    }
    case PlanKind::kJoin:
      return JoinRows(node.As<JoinNode>());
    case PlanKind::kSetOp: {
      const auto& op = node.As<SetOpNode>();
      const double l = Rows(*node.children[0]);
      const double r = Rows(*node.children[1]);
      switch (op.set_op) {
        case SetOp::kUnion:
          return AtLeastOne(l + r);
        case SetOp::kIntersect:
          return AtLeastOne(std::min(l, r));
        default:
          return AtLeastOne(l);
      }
    }
    case PlanKind::kCteScan: {
      const PlanNode* cte = node.shared_input();
      return cte != nullptr ? Rows(*cte) : kDefaultTableRows;
    }
    case PlanKind::kRecursiveUnion:
      // The non-recursive term, grown by the iterations (PostgreSQL assumes ten).
      return AtLeastOne(Rows(*node.children[0]) * 10);
    case PlanKind::kFunctionScan: {
      const auto& f = node.As<FunctionScanNode>();
      if (f.function == "generate_series" && (f.args.size() == 2 || f.args.size() == 3)) {
        auto constant = [](const BoundExpr& e) -> std::optional<double> {
          if (e.kind != BoundExprKind::kConstant) return std::nullopt;
          return AsNumber(e.value);
        };
        const auto start = constant(*f.args[0]);
        const auto stop = constant(*f.args[1]);
        const auto step = f.args.size() == 3 ? constant(*f.args[2]) : std::optional<double>(1);
        if (start && stop && step && *step != 0) {
          return AtLeastOne(std::floor((*stop - *start) / *step) + 1);
        }
      }
      return kDefaultFunctionRows;
    }
    case PlanKind::kInsert:
      // A VALUES list (one row for DEFAULT VALUES), else the query's rows.
      if (node.children.empty()) {
        return AtLeastOne(static_cast<double>(node.As<InsertNode>().values.size()));
      }
      return Rows(*node.children[0]);
    default:
      // Updates, deletes and work tables: their input's rows, or the default.
      return node.children.empty() ? kDefaultTableRows : Rows(*node.children[0]);
  }
}

std::optional<double> CardinalityEstimator::Distinct(const PlanNode& node, size_t column) {
  std::optional<double> d;
  switch (node.kind) {
    case PlanKind::kScan: {
      d = TableDistinct(*node.As<ScanNode>().table, column);
      break;
    }
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kLimit:
    case PlanKind::kDistinct:
    case PlanKind::kWindow:
      if (column < node.children[0]->columns.size()) d = Distinct(*node.children[0], column);
      break;
    case PlanKind::kProject:
      d = ExprDistinct(*node.As<ProjectNode>().exprs[column], *node.children[0]);
      break;
    case PlanKind::kAggregate: {
      const auto& agg = node.As<AggregateNode>();
      if (column < agg.group_keys.size())
        d = ExprDistinct(*agg.group_keys[column], *node.children[0]);
      break;
    }
    case PlanKind::kJoin: {
      const size_t left_width = node.children[0]->columns.size();
      d = column < left_width ? Distinct(*node.children[0], column)
                              : Distinct(*node.children[1], column - left_width);
      break;
    }
    default:
      break;
  }
  if (!d.has_value()) return std::nullopt;
  return std::max(1.0, std::min(*d, Rows(node)));
}

std::optional<double> CardinalityEstimator::TableDistinct(const TableProvider& table,
                                                          size_t column) {
  const TableStatistics& stats = StatisticsOf(table);
  const double rows = TableRows(table);
  if (column < stats.columns.size() && stats.columns[column].distinct >= 0) {
    return std::max(1.0, std::min(stats.columns[column].distinct, rows));
  }
  if (IsSoleKeyColumn(table, column)) return rows;
  return std::nullopt;
}

std::optional<double> CardinalityEstimator::FilterInputDistinct(const PlanNode& input,
                                                                size_t column) {
  // A scan's filter and a join's residual condition are judged over the node itself:
  // its figure comes from below it, never capped by its own estimate (which asks back).
  if (input.kind == PlanKind::kScan) return TableDistinct(*input.As<ScanNode>().table, column);
  if (input.kind == PlanKind::kJoin) {
    const size_t left_width = input.children[0]->columns.size();
    return column < left_width ? Distinct(*input.children[0], column)
                               : Distinct(*input.children[1], column - left_width);
  }
  return Distinct(input, column);
}

double CardinalityEstimator::JoinDistinct(const PlanNode& node, size_t column) {
  return Distinct(node, column).value_or(std::min(Rows(node), kDefaultDistinct));
}

std::optional<double> CardinalityEstimator::ExprDistinct(const BoundExpr& e,
                                                         const PlanNode& input) {
  const BoundExpr* column = PlainColumn(e);
  if (column == nullptr) return std::nullopt;
  return Distinct(input, column->column);
}

double CardinalityEstimator::JoinKeySelectivity(const BoundExpr& left_key, const PlanNode& left,
                                                const BoundExpr& right_key, const PlanNode& right) {
  const double l = ExprDistinct(left_key, left).value_or(std::min(Rows(left), kDefaultDistinct));
  const double r = ExprDistinct(right_key, right).value_or(std::min(Rows(right), kDefaultDistinct));
  return 1.0 / std::max(1.0, std::max(l, r));
}

double CardinalityEstimator::CompareSelectivity(const BoundExpr& e, const PlanNode& input) {
  const ScalarOp op = e.binary_op;
  const BoundExpr* column = PlainColumn(*e.children[0]);
  const BoundExpr* value = e.children[1].get();
  bool flipped = false;
  if (column == nullptr || !IsRuntimeConstant(*value)) {
    column = PlainColumn(*e.children[1]);
    value = e.children[0].get();
    flipped = true;
  }
  if (column == nullptr || !IsRuntimeConstant(*value)) {
    // column op column of one input, or expressions: the defaults.
    if (op == ScalarOp::kEqual) return kEqualSelectivity;
    if (op == ScalarOp::kNotEqual) return 1 - kEqualSelectivity;
    return kRangeSelectivity;
  }
  const std::optional<double> distinct = FilterInputDistinct(input, column->column);
  const double equal = distinct.has_value() ? 1.0 / *distinct : kEqualSelectivity;
  if (op == ScalarOp::kEqual) return equal;
  if (op == ScalarOp::kNotEqual) return 1 - equal;
  // A range: interpolate within [min, max] when the statistics and the constant allow.
  double s = kRangeSelectivity;
  if (input.kind == PlanKind::kScan && value->kind == BoundExprKind::kConstant &&
      column == e.children[flipped ? 1 : 0].get()) {
    const TableStatistics& stats = StatisticsOf(*input.As<ScanNode>().table);
    if (column->column < stats.columns.size()) {
      const ColumnStatistics& c = stats.columns[column->column];
      // Plain doubles rather than optionals: GCC's -O3 flow analysis misreads the
      // optionals' guarded reads as uninitialized (-Wmaybe-uninitialized).
      const std::optional<double> lo_opt = c.min ? AsNumber(*c.min) : std::nullopt;
      const std::optional<double> hi_opt = c.max ? AsNumber(*c.max) : std::nullopt;
      const std::optional<double> v_opt = AsNumber(value->value);
      const double lo = lo_opt.value_or(0), hi = hi_opt.value_or(0), v = v_opt.value_or(0);
      if (lo_opt.has_value() && hi_opt.has_value() && v_opt.has_value() && hi > lo) {
        const double below = Clamp01((v - lo) / (hi - lo));
        const bool less = (op == ScalarOp::kLess || op == ScalarOp::kLessEqual) != flipped;
        s = less ? below : 1 - below;
      }
    }
  }
  return s;
}

double CardinalityEstimator::Selectivity(const BoundExpr& e, const PlanNode& input) {
  switch (e.kind) {
    case BoundExprKind::kConstant:
      if (e.value.is_null()) return 0;
      return e.value.type() == DataType::kBoolean && !e.value.as_bool() ? 0 : 1;
    case BoundExprKind::kNot:
      return Clamp01(1 - Selectivity(*e.children[0], input));
    case BoundExprKind::kIsNull: {
      double s = kNullSelectivity;
      const BoundExpr* column = PlainColumn(*e.children[0]);
      if (column != nullptr && input.kind == PlanKind::kScan) {
        const TableStatistics& stats = StatisticsOf(*input.As<ScanNode>().table);
        if (column->column < stats.columns.size() &&
            stats.columns[column->column].null_fraction >= 0) {
          s = stats.columns[column->column].null_fraction;
        }
      }
      return e.negated ? 1 - s : s;
    }
    case BoundExprKind::kInList: {
      const BoundExpr* column = PlainColumn(*e.children[0]);
      std::optional<double> distinct;
      if (column != nullptr) distinct = FilterInputDistinct(input, column->column);
      const double one = distinct.has_value() ? 1.0 / *distinct : kEqualSelectivity;
      const double s = Clamp01(one * static_cast<double>(e.children.size() - 1));
      return e.negated ? 1 - s : s;
    }
    case BoundExprKind::kBinary: {
      const ScalarOp op = e.binary_op;
      if (op == ScalarOp::kAnd) {
        return Selectivity(*e.children[0], input) * Selectivity(*e.children[1], input);
      }
      if (op == ScalarOp::kOr) {
        const double a = Selectivity(*e.children[0], input);
        const double b = Selectivity(*e.children[1], input);
        return Clamp01(a + b - a * b);
      }
      if (op == ScalarOp::kLike || op == ScalarOp::kILike) return kLikeSelectivity;
      if (op == ScalarOp::kNotLike || op == ScalarOp::kNotILike) return 1 - kLikeSelectivity;
      if (IsComparison(op)) return Clamp01(CompareSelectivity(e, input));
      if (op == ScalarOp::kIsNotDistinctFrom) return kEqualSelectivity;
      if (op == ScalarOp::kIsDistinctFrom) return 1 - kEqualSelectivity;
      return kDefaultSelectivity;
    }
    default:
      return kDefaultSelectivity;
  }
}

void CardinalityEstimator::Annotate(PlanNode* plan) {
  annotating_ = true;
  // Children before parents (ForEachPlanNode's order), so each node reads its children's
  // figures; a WITH item is visited before the first scan of it.
  ForEachPlanNode(plan, [&](PlanNode* node) {
    node->estimated_rows = -1;
    node->estimated_rows = Rows(*node);
  });
  annotating_ = false;
}

}  // namespace tenantdb::sql
