// The query generator's statements: WITH, set operations, SELECT (plain, aggregating or
// with window functions), FROM with joins and derived tables, ORDER BY / LIMIT.
#include <string>

#include "query_gen.h"

namespace tenantdb::differential {

namespace {

std::string ItemList(const std::vector<std::string>& items) {
  std::string sql;
  for (size_t i = 0; i < items.size(); ++i)
    sql += (i > 0 ? ", " : "") + items[i] + " AS x" + std::to_string(i);
  return sql;
}

std::vector<ColumnSpec> OutputColumns(const std::vector<SqlType>& types) {
  std::vector<ColumnSpec> columns;
  for (size_t i = 0; i < types.size(); ++i)
    columns.push_back({"x" + std::to_string(i), types[i]});
  return columns;
}

}  // namespace

GeneratedQuery QueryGenerator::Next() {
  next_alias_ = 0;
  ctes_.clear();
  if (rng_->Chance(0.08)) return GenerateProbe();
  std::string with;
  if (rng_->Chance(0.15)) {
    const size_t n = 1 + rng_->Below(2);
    bool recursive = false;
    for (size_t i = 0; i < n; ++i) {
      const std::string name = "c" + std::to_string(i);
      with += with.empty() ? "" : ", ";
      if (rng_->Chance(0.15)) {
        // A counter: WITH RECURSIVE reaching a small fixed point.
        recursive = true;
        with += name + "(x0) AS (SELECT 1 UNION ALL SELECT x0 + 1 FROM " + name + " WHERE x0 < " +
                std::to_string(rng_->Between(1, 6)) + ")";
        ctes_.push_back({name, {{"x0", SqlType::kInt}}});
        continue;
      }
      const Select select = rng_->Chance(0.3) ? GenerateSetOperation(nullptr, 1)
                                              : GenerateSelect(nullptr, 1, nullptr, true);
      with += name + " AS (" + select.sql + ")";
      ctes_.push_back({name, OutputColumns(select.types)});
    }
    with = (recursive ? "WITH RECURSIVE " : "WITH ") + with + " ";
  }
  Select body;
  if (rng_->Chance(0.15)) {
    body = GenerateSetOperation(nullptr, 1);
    if (rng_->Chance(0.5)) {
      body.sql += " " + GenerateOrderBy(body.types.size());
      body.ordered = true;
    }
  } else if (rng_->Chance(0.03)) {
    // No FROM: one row of constant expressions.
    body.types = RandomTypes(3);
    std::vector<std::string> items;
    for (SqlType type : body.types)
      items.push_back(Expr(type, ExprContext{}, 2));
    body.sql = "SELECT " + ItemList(items);
  } else {
    body = GenerateSelect(nullptr, 2, nullptr, true);
  }
  return GeneratedQuery{with + body.sql, body.ordered};
}

std::vector<SqlType> QueryGenerator::RandomTypes(size_t max) {
  std::vector<SqlType> types(1 + rng_->Below(max));
  for (SqlType& type : types)
    type = RandomType();
  return types;
}

// ORDER BY every output column (by position), so the order is total over what the
// statement returns; then, sometimes, LIMIT / OFFSET.
std::string QueryGenerator::GenerateOrderBy(size_t columns) {
  std::string sql = "ORDER BY ";
  for (size_t i = 0; i < columns; ++i) {
    sql += (i > 0 ? ", " : "") + std::to_string(i + 1);
    if (rng_->Chance(0.3)) sql += " DESC";
    if (rng_->Chance(0.2)) sql += rng_->Chance(0.5) ? " NULLS FIRST" : " NULLS LAST";
  }
  if (rng_->Chance(0.05)) {
    sql += " OFFSET " + std::to_string(rng_->Between(0, 2)) + " ROWS FETCH FIRST " +
           std::to_string(rng_->Between(1, 3)) + " ROWS ONLY";
  } else if (rng_->Chance(0.4)) {
    sql += " LIMIT " + std::to_string(rng_->Chance(0.1) ? 0 : rng_->Between(1, 5));
    if (rng_->Chance(0.4)) sql += " OFFSET " + std::to_string(rng_->Between(0, 3));
  } else if (rng_->Chance(0.1)) {
    sql += " OFFSET " + std::to_string(rng_->Between(1, 3));
  }
  return sql;
}

QueryGenerator::Select QueryGenerator::GenerateSetOperation(const std::vector<SqlType>* types,
                                                            int depth) {
  static const char* kOps[] = {"UNION",         "UNION ALL", "INTERSECT",
                               "INTERSECT ALL", "EXCEPT",    "EXCEPT ALL"};
  const std::vector<SqlType> wanted = types != nullptr ? *types : RandomTypes(3);
  Select result;
  result.types = wanted;
  const size_t arms = rng_->Chance(0.2) ? 3 : 2;
  std::string first;
  for (size_t i = 0; i < arms; ++i) {
    // Sometimes an arm has other numeric types: the result takes the widest (INTEGER <
    // BIGINT < DOUBLE PRECISION), unless the caller needs exactly `types`.
    std::vector<SqlType> arm_types = wanted;
    if (types == nullptr && i > 0 && rng_->Chance(0.25)) {
      for (size_t c = 0; c < arm_types.size(); ++c) {
        arm_types[c] = ComparableType(arm_types[c]);
        if (IsNumeric(arm_types[c]) && int(arm_types[c]) > int(result.types[c])) {
          result.types[c] = arm_types[c];
        }
      }
    }
    std::string arm;
    if (i > 0 && arm_types == wanted && rng_->Chance(0.4)) {
      // Some of the first arm's rows, so that INTERSECT and EXCEPT have rows in common.
      const std::string alias = NewAlias();
      Scope scope;
      for (size_t c = 0; c < wanted.size(); ++c)
        scope.columns.push_back({alias + ".x" + std::to_string(c), wanted[c]});
      arm = "SELECT * FROM (" + first + ") AS " + alias + " WHERE " +
            BoolExpr(ExprContext{&scope, nullptr, 0}, 1);
    } else {
      arm = GenerateSelect(&arm_types, depth, nullptr, false).sql;
    }
    if (i == 0) first = arm;
    if (i > 0) result.sql += std::string(" ") + kOps[rng_->Below(6)] + " ";
    result.sql += "(" + arm + ")";
  }
  return result;
}

std::string QueryGenerator::AddSource(int depth, Scope* scope) {
  const std::string alias = NewAlias();
  std::vector<ColumnSpec> columns;
  std::string sql;
  bool keyed = false;
  if (!ctes_.empty() && rng_->Chance(0.4)) {
    const NamedSource& cte = ctes_[rng_->Below(ctes_.size())];
    sql = cte.name + " AS " + alias;
    columns = cte.columns;
  } else if (depth > 0 && rng_->Chance(0.12)) {
    const Select select = GenerateSelect(nullptr, depth - 1, nullptr, true);
    sql = "(" + select.sql + ") AS " + alias;
    columns = OutputColumns(select.types);
  } else if (rng_->Chance(0.04)) {
    // A VALUES list, every column typed by its literals (or a cast NULL).
    const std::vector<SqlType> types = RandomTypes(3);
    columns = OutputColumns(types);
    const size_t rows = 1 + rng_->Below(4);
    sql = "(VALUES ";
    for (size_t r = 0; r < rows; ++r) {
      sql += r > 0 ? ", (" : "(";
      for (size_t c = 0; c < types.size(); ++c)
        sql += (c > 0 ? ", " : "") + Leaf(types[c], ExprContext{});
      sql += ")";
    }
    sql += ") AS " + alias + "(";
    for (size_t c = 0; c < types.size(); ++c)
      sql += (c > 0 ? ", x" : "x") + std::to_string(c);
    sql += ")";
  } else if (rng_->Chance(0.03)) {
    sql = "generate_series(" + std::to_string(rng_->Between(-1, 2)) + ", " +
          std::to_string(rng_->Between(0, 4)) + ") AS " + alias + "(x0)";
    columns = {{"x0", SqlType::kInt}};
  } else {
    const TableSpec& table = (*tables_)[rng_->Below(tables_->size())];
    sql = table.name + " AS " + alias;
    columns = table.columns;
    keyed = true;
  }
  for (const ColumnSpec& column : columns)
    scope->columns.push_back({alias + "." + column.name, column.type});
  if (keyed) scope->keys.push_back(alias + ".id");
  scope->keyed = keyed;
  scope->sources = 1;
  return sql;
}

std::string QueryGenerator::GenerateFrom(int depth, Scope* scope) {
  std::string sql = AddSource(depth, scope);
  // Three sources only at the top: a subquery runs once per outer row, and an engine
  // under AddressSanitizer is slow enough without a three-way join in there.
  const size_t sources = rng_->Chance(depth < 2 ? 0.75 : 0.6) ? 1
                         : (depth < 2 || rng_->Chance(0.8))   ? 2
                                                              : 3;
  for (size_t i = 1; i < sources; ++i) {
    Scope right;
    if (depth > 0 && rng_->Chance(0.06)) {
      // LATERAL: a derived table that reads the columns before it, once per their row.
      const std::string alias = NewAlias();
      const Select select = GenerateSelect(nullptr, depth - 1, scope, true);
      for (size_t c = 0; c < select.types.size(); ++c)
        scope->columns.push_back({alias + ".x" + std::to_string(c), select.types[c]});
      scope->keys.clear();
      scope->keyed = false;
      ++scope->sources;
      const bool left = rng_->Chance(0.5);
      sql += std::string(left ? " LEFT JOIN LATERAL (" : " CROSS JOIN LATERAL (") + select.sql +
             ") AS " + alias + (left ? " ON TRUE" : "");
      continue;
    }
    const std::string source = AddSource(depth, &right);
    // An equality between columns of one type family, one from each side.
    std::string equality;
    std::string using_column;
    for (int attempt = 0; attempt < 4 && equality.empty(); ++attempt) {
      const ScopeColumn& r = rng_->Pick(right.columns);
      // Not on BOOLEANs: two values make a join of ten-row tables nearly a cross join.
      const std::string l = r.type == SqlType::kBool ? "" : ColumnOf(r.type, *scope);
      if (l.empty()) continue;
      equality = l + " = " + r.sql;
      // USING (c) when both columns are called c and the left side has one column c.
      const std::string name = r.sql.substr(r.sql.find('.') + 1);
      size_t same = 0;
      for (const ScopeColumn& column : scope->columns)
        same += column.sql.size() > name.size() &&
                column.sql.compare(column.sql.size() - name.size() - 1, name.size() + 1,
                                   "." + name) == 0;
      if (same == 1 && l.substr(l.find('.') + 1) == name) using_column = name;
    }
    static const char* kJoins[] = {" JOIN ",      " LEFT JOIN ",  " RIGHT JOIN ",
                                   " FULL JOIN ", " CROSS JOIN ", " INNER JOIN "};
    const char* join = kJoins[rng_->Below(6)];
    const bool full = join == kJoins[3];
    const bool cross = join == kJoins[4];
    Scope merged = *scope;
    merged.columns.insert(merged.columns.end(), right.columns.begin(), right.columns.end());
    merged.keys.insert(merged.keys.end(), right.keys.begin(), right.keys.end());
    merged.keyed = scope->keyed && right.keyed;
    merged.sources = scope->sources + 1;
    if (cross || (full && equality.empty())) {
      sql += " CROSS JOIN " + source;
    } else {
      // PostgreSQL runs FULL JOIN only on merge- or hash-joinable conditions: equalities.
      std::string on = equality;
      if (!using_column.empty() && rng_->Chance(0.3)) {
        sql += join + source + " USING (" + using_column + ")";
        *scope = std::move(merged);
        continue;
      }
      if (!full && (on.empty() || rng_->Chance(0.3))) {
        ExprContext context{&merged, nullptr, 0};
        const std::string extra = BoolExpr(context, 1);
        on = on.empty() ? extra : on + " AND " + extra;
      }
      sql += join + source + " ON " + on;
    }
    *scope = std::move(merged);
  }
  return sql;
}

// A window function over the groups of an aggregating query: its ORDER BY and arguments
// are aggregates or GROUP BY keys. Deterministic: ranks keep ties, row_number orders by
// every key of a plain GROUP BY (unique per group), aggregates use peers' frames.
std::string QueryGenerator::GroupWindowItem(const ExprContext& context,
                                            const std::vector<std::string>& keys, bool plain,
                                            SqlType* type) {
  std::string partition;
  // Not over grouping sets: PostgreSQL 15 may put groups of different sets with equal
  // keys in different partitions (docs/deviations.md).
  if (plain && !keys.empty() && rng_->Chance(0.4)) {
    partition = "PARTITION BY " + rng_->Pick(keys) + " ";
  }
  const std::string order =
      Aggregate(SqlType::kBigInt, context, 1) + (rng_->Chance(0.4) ? " DESC" : "");
  switch (rng_->Below(4)) {
    case 0: {
      static const char* kRanks[] = {"rank()", "dense_rank()", "percent_rank()", "cume_dist()"};
      const size_t k = rng_->Below(4);
      *type = k < 2 ? SqlType::kBigInt : SqlType::kDouble;
      return std::string(kRanks[k]) + " OVER (" + partition + "ORDER BY " + order + ")";
    }
    case 1:
      if (plain && !keys.empty()) {
        std::string all;
        for (const std::string& key : keys)
          all += (all.empty() ? "" : ", ") + key;
        *type = SqlType::kBigInt;
        return "row_number() OVER (" + partition + "ORDER BY " + all + ")";
      }
      *type = SqlType::kBigInt;
      return "dense_rank() OVER (" + partition + "ORDER BY " + order + ")";
    case 2:
      // sum of a BIGINT is NUMERIC in PostgreSQL and BIGINT in tenantdb (docs/deviations.md):
      // the same digits, but not the same division (1 / 4 is 0.25 in one, 0 in the other),
      // so the sum is made the DOUBLE PRECISION it is typed as here on both sides.
      *type = SqlType::kDouble;
      return "CAST(sum(" + Aggregate(SqlType::kBigInt, context, 1) + ") OVER (" + partition +
             ") AS DOUBLE PRECISION)";
    default:
      *type = SqlType::kInt;
      return std::string(rng_->Chance(0.5) ? "max(" : "min(") +
             Aggregate(SqlType::kInt, context, 1) + ") OVER (" + partition + "ORDER BY " + order +
             ")";
  }
}

// The value argument of lag, lead, first_value, ...: PostgreSQL cannot type a bare string
// literal there (polymorphic argument), which tenantdb types as TEXT: always cast.
std::string QueryGenerator::WindowArgument(SqlType type, const ExprContext& context) {
  const std::string sql = Expr(type, context, 1);
  return sql[0] == '\'' ? std::string("CAST(") + sql + " AS TEXT)" : sql;
}

std::string QueryGenerator::GenerateWindowItem(const Scope& scope, SqlType* type) {
  ExprContext context{&scope, nullptr, 0};
  std::string over;
  if (rng_->Chance(0.5)) over += "PARTITION BY " + rng_->Pick(scope.columns).sql;
  std::string order;
  const size_t order_columns = rng_->Below(3);
  for (size_t i = 0; i < order_columns; ++i) {
    order += (i > 0 ? ", " : "") + rng_->Pick(scope.columns).sql;
    if (rng_->Chance(0.3)) order += " DESC";
    if (rng_->Chance(0.2)) order += rng_->Chance(0.5) ? " NULLS FIRST" : " NULLS LAST";
  }
  // Functions that see rows one by one need an order without ties: the sources' ids.
  auto total_order = [&]() {
    std::string sql = order;
    for (const std::string& key : scope.keys)
      sql += (sql.empty() ? "" : ", ") + key;
    return sql;
  };
  std::string function;
  std::string frame;
  std::string window_order = order;
  switch (rng_->Below(6)) {
    case 0: {
      static const char* kRanks[] = {"rank()", "dense_rank()", "percent_rank()", "cume_dist()"};
      const size_t k = rng_->Below(4);
      function = kRanks[k];
      *type = k < 2 ? SqlType::kBigInt : SqlType::kDouble;
      break;
    }
    case 1:
      if (rng_->Chance(0.5)) {
        function = "row_number()";
        *type = SqlType::kBigInt;
      } else {
        function = "ntile(" + std::to_string(rng_->Between(1, 4)) + ")";
        *type = SqlType::kInt;
      }
      window_order = total_order();
      break;
    case 2: {
      *type = RandomType();
      function = std::string(rng_->Chance(0.5) ? "lag(" : "lead(") + WindowArgument(*type, context);
      if (rng_->Chance(0.5)) {
        function += ", " + std::to_string(rng_->Between(0, 3));
        if (rng_->Chance(0.5)) function += ", " + RandomLiteral(rng_, *type);
      }
      function += ")";
      window_order = total_order();
      break;
    }
    case 3: {
      *type = RandomType();
      static const char* kValues[] = {"first_value(", "last_value(", "nth_value("};
      const size_t k = rng_->Below(3);
      function = kValues[k] + WindowArgument(*type, context);
      if (k == 2) function += ", " + std::to_string(rng_->Between(1, 3));
      function += ")";
      window_order = total_order();
      if (rng_->Chance(0.5)) frame = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING";
      break;
    }
    default: {
      switch (rng_->Below(7)) {
        case 0:
          function = "sum(" + Expr(SqlType::kInt, context, 1) + ")";
          *type = SqlType::kBigInt;
          break;
        case 1:
          function =
              rng_->Chance(0.5) ? "count(*)" : "count(" + Expr(RandomType(), context, 1) + ")";
          *type = SqlType::kBigInt;
          break;
        case 2:
          function = std::string(rng_->Chance(0.5) ? "avg(" : "sum(") +
                     Expr(SqlType::kDouble, context, 1) + ")";
          *type = SqlType::kDouble;
          break;
        case 3:
          *type = SqlType::kBool;
          function = std::string(rng_->Chance(0.5) ? "bool_and(" : "bool_or(") +
                     Expr(SqlType::kBool, context, 1) + ")";
          break;
        case 4:
          // Exact on both: NUMERIC sums and averages (PostgreSQL's scales), INTERVAL ones.
          *type = rng_->Chance(0.6) ? SqlType::kNumeric : SqlType::kInterval;
          function =
              std::string(rng_->Chance(0.5) ? "avg(" : "sum(") + Expr(*type, context, 1) + ")";
          break;
        default:
          *type = RandomType();
          if (*type == SqlType::kBool) *type = SqlType::kInt;  // no min(boolean) in PostgreSQL
          function =
              std::string(rng_->Chance(0.5) ? "min(" : "max(") + Expr(*type, context, 1) + ")";
          break;
      }
      if (rng_->Chance(0.1)) function += " FILTER (WHERE " + BoolExpr(context, 1) + ")";
      // RANGE with offsets: one ORDER BY column of a type with distances (numbers take
      // a number, TIMESTAMP and DATE an INTERVAL); peers make it deterministic.
      static const SqlType kRangeTypes[] = {SqlType::kInt, SqlType::kDouble, SqlType::kNumeric,
                                            SqlType::kTimestamp, SqlType::kDate};
      const SqlType range_type = kRangeTypes[rng_->Below(5)];
      const std::string range_column = ColumnOf(range_type, scope);
      if (!range_column.empty() && rng_->Chance(0.12)) {
        window_order = range_column + (rng_->Chance(0.3) ? " DESC" : "");
        static const char* kNumberOffsets[] = {"1", "2", "0.5"};
        static const char* kTimeOffsets[] = {"INTERVAL '1 day'", "INTERVAL '2 mons'",
                                             "INTERVAL '12:00:00'"};
        const bool temporal = range_type == SqlType::kTimestamp || range_type == SqlType::kDate;
        // 0.5 is NUMERIC: PostgreSQL has no in_range for an integer column and a NUMERIC
        // offset.
        const std::string before =
            temporal ? kTimeOffsets[rng_->Below(3)]
                     : kNumberOffsets[rng_->Below(range_type == SqlType::kInt ? 2 : 3)];
        const std::string after =
            temporal ? kTimeOffsets[rng_->Below(3)]
                     : kNumberOffsets[rng_->Below(range_type == SqlType::kInt ? 2 : 3)];
        frame = "RANGE BETWEEN " + before + " PRECEDING AND " + after + " FOLLOWING";
      } else if (!order.empty() && rng_->Chance(0.5)) {
        static const char* kFrames[] = {
            "ROWS BETWEEN 1 PRECEDING AND CURRENT ROW",
            "ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING",
            "ROWS UNBOUNDED PRECEDING",
            "GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING",
            "RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING",
            "RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING",
        };
        const size_t k = rng_->Below(6);
        frame = kFrames[k];
        if (k < 3) window_order = total_order();
        if (rng_->Chance(0.2)) {
          static const char* kExcludes[] = {" EXCLUDE CURRENT ROW", " EXCLUDE GROUP",
                                            " EXCLUDE TIES"};
          frame += kExcludes[rng_->Below(3)];
          window_order = total_order();  // which row is "current" must not depend on order
        }
      }
      break;
    }
  }
  if (!window_order.empty())
    over += (over.empty() ? "" : " ") + std::string("ORDER BY ") + window_order;
  if (!frame.empty()) over += " " + frame;
  return function + " OVER (" + over + ")";
}

QueryGenerator::Select QueryGenerator::GenerateSelect(const std::vector<SqlType>* types, int depth,
                                                      const Scope* outer, bool allow_order) {
  Select result;
  Scope scope;
  const std::string from = GenerateFrom(depth, &scope);
  // Expressions also see the enclosing query's columns (correlated subqueries).
  Scope visible = scope;
  if (outer != nullptr) {
    visible.columns.insert(visible.columns.end(), outer->columns.begin(), outer->columns.end());
  }
  // A subquery in a subquery runs once per row of a per-row run, and one over a join once
  // per row of the join: mostly avoided, as too slow under AddressSanitizer.
  const bool subqueries = outer == nullptr && (scope.sources == 1 || rng_->Chance(0.3));
  ExprContext context{&visible, nullptr, subqueries ? depth : 0};
  // Shallow expressions mostly: each level multiplies the work of every row, and 10,000
  // statements must run in a few minutes under AddressSanitizer.
  const int expr_depth = int(rng_->Below(depth >= 2 ? 3 : 2)) + (rng_->Chance(0.1) ? 1 : 0);
  std::string where;
  // Not too often: a random predicate keeps few rows of ten-row tables.
  if (rng_->Chance(0.45)) where = " WHERE " + BoolExpr(context, expr_depth);

  result.types = types != nullptr ? *types : RandomTypes(3);
  std::vector<std::string> items;
  std::string tail;
  const double mode = rng_->Chance(0.5) ? 0 : 1 + double(rng_->Below(100)) / 100.0;
  if (mode > 0 && mode < 1.35) {
    // Aggregation: bare columns only from the GROUP BY, anything inside aggregates.
    Scope group;
    std::vector<std::string> keys;
    const size_t n = rng_->Below(3);
    for (size_t i = 0; i < n; ++i) {
      const ScopeColumn& column = rng_->Pick(scope.columns);
      group.columns.push_back(column);
      keys.push_back(column.sql);
    }
    if (outer != nullptr) {
      group.columns.insert(group.columns.end(), outer->columns.begin(), outer->columns.end());
    }
    // Aggregates read this query's own columns: one over only outer columns would belong
    // to the outer query in PostgreSQL, which tenantdb does not do (docs/deviations.md).
    ExprContext aggregating{&group, &scope, context.subquery_depth};
    for (SqlType type : result.types)
      items.push_back(Expr(type, aggregating, expr_depth));
    if (!keys.empty()) {
      std::string list;
      for (size_t i = 0; i < keys.size(); ++i)
        list += (i > 0 ? ", " : "") + keys[i];
      switch (rng_->Below(12)) {
        case 0:
          tail += " GROUP BY ROLLUP(" + list + ")";
          break;
        case 1:
          tail += " GROUP BY CUBE(" + list + ")";
          break;
        case 2:
          tail += " GROUP BY GROUPING SETS ((" + keys[0] + "), ())";
          break;
        default:
          tail += " GROUP BY " + list;
          break;
      }
    }
    if (rng_->Chance(0.3)) tail += " HAVING " + BoolExpr(aggregating, 1);
    if (types == nullptr && rng_->Chance(0.2)) {
      // A window over the groups (computed after GROUP BY and HAVING).
      const bool plain = tail.find("ROLLUP") == std::string::npos &&
                         tail.find("CUBE") == std::string::npos &&
                         tail.find("GROUPING SETS") == std::string::npos;
      SqlType type;
      items.push_back(GroupWindowItem(aggregating, keys, plain, &type));
      result.types.push_back(type);
    }
  } else {
    for (SqlType type : result.types)
      items.push_back(Expr(type, context, expr_depth));
    if (types == nullptr && scope.keyed && mode >= 1.35 && mode < 1.7) {
      const size_t windows = rng_->Chance(0.7) ? 1 : 2;
      for (size_t i = 0; i < windows; ++i) {
        SqlType type;
        items.push_back(GenerateWindowItem(scope, &type));
        result.types.push_back(type);
      }
    }
  }
  // Grouping sets under a WHERE: PostgreSQL 15 drops a DISTINCT or ORDER BY key that
  // the WHERE equates to a constant, although grouping sets make it NULL in some groups
  // (docs/deviations.md).
  const bool grouping_sets = tail.find("ROLLUP") != std::string::npos ||
                             tail.find("CUBE") != std::string::npos ||
                             tail.find("GROUPING SETS") != std::string::npos;
  const bool keys_may_drop = grouping_sets && !where.empty();
  result.ordered = allow_order && !keys_may_drop && rng_->Chance(0.5);
  // DISTINCT ON keeps each value's first row in the ORDER BY order, total here.
  const char* distinct = result.ordered && rng_->Chance(0.08)   ? "SELECT DISTINCT ON (1) "
                         : !keys_may_drop && rng_->Chance(0.15) ? "SELECT DISTINCT "
                                                                : "SELECT ";
  result.sql = distinct + ItemList(items) + " FROM " + from + where + tail;
  if (result.ordered) {
    result.sql += " " + GenerateOrderBy(result.types.size());
  } else if (allow_order && mode == 0 && distinct[7] != 'D' && rng_->Chance(0.1)) {
    // A sort on a column the select list does not show (rows still compared as a
    // multiset: the order is not total).
    result.sql += " ORDER BY " + rng_->Pick(scope.columns).sql + (rng_->Chance(0.5) ? " DESC" : "");
  }
  return result;
}

}  // namespace tenantdb::differential
