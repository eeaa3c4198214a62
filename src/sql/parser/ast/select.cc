#include "sql/parser/ast/select.h"

namespace tenantdb::sql {

namespace {

std::string AliasSuffix(const std::string& alias) {
  return alias.empty() ? "" : " AS " + QuoteIdentifier(alias);
}

std::string ExprList(const std::vector<ExprPtr>& list) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += list[i] ? list[i]->ToString() : "<null>";
  }
  return out;
}

}  // namespace

std::string TableName::ToString() const {
  return schema.empty() ? QuoteIdentifier(name)
                        : QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
}

std::string SelectItem::ToString() const {
  return (expr ? expr->ToString() : "<null>") + AliasSuffix(alias);
}

std::string ColumnAliasSuffix(const std::vector<std::string>& names) {
  return names.empty() ? "" : "(" + JoinList(names) + ")";
}

std::string BaseTableRef::ToString() const {
  return table.ToString() + AliasSuffix(alias) + ColumnAliasSuffix(column_aliases);
}

std::string JoinRef::ToString() const {
  std::string kw;
  switch (join_type) {
    case JoinType::kInner:
      kw = " JOIN ";
      break;
    case JoinType::kLeft:
      kw = " LEFT JOIN ";
      break;
    case JoinType::kRight:
      kw = " RIGHT JOIN ";
      break;
    case JoinType::kFull:
      kw = " FULL JOIN ";
      break;
    case JoinType::kCross:
      kw = " CROSS JOIN ";
      break;
    case JoinType::kSemi:
    case JoinType::kAnti:
    case JoinType::kAntiNullAware:
      // Plan-only types have no SQL spelling; a parsed tree never holds one.
      kw = " JOIN ";
      break;
  }
  std::string out = "(" + left->ToString() + kw + right->ToString();
  if (on) out += " ON " + on->ToString();
  if (!using_columns.empty()) out += " USING (" + JoinList(using_columns) + ")";
  return out + ")" + AliasSuffix(alias);
}

SubqueryRef::SubqueryRef() : TableRef(TableRefKind::kSubquery) {}
SubqueryRef::~SubqueryRef() = default;
std::string SubqueryRef::ToString() const {
  return std::string(lateral ? "LATERAL " : "") + "(" + subquery->ToString() + ")" +
         AliasSuffix(alias) + ColumnAliasSuffix(column_aliases);
}

std::string FunctionRef::ToString() const {
  return call->ToString() + AliasSuffix(alias) + ColumnAliasSuffix(column_aliases);
}

CommonTableExpr::CommonTableExpr() = default;
CommonTableExpr::~CommonTableExpr() = default;
CommonTableExpr::CommonTableExpr(CommonTableExpr&&) noexcept = default;
CommonTableExpr& CommonTableExpr::operator=(CommonTableExpr&&) noexcept = default;

std::string CommonTableExpr::ToString() const {
  std::string out = QuoteIdentifier(name) + ColumnAliasSuffix(column_names) + " AS ";
  if (materialize == CteMaterialize::kAlways) out += "MATERIALIZED ";
  if (materialize == CteMaterialize::kNever) out += "NOT MATERIALIZED ";
  return out + "(" + (query ? query->ToString() : "<null>") + ")";
}

std::string WithClause::ToString() const {
  std::string out = recursive ? "WITH RECURSIVE " : "WITH ";
  for (size_t i = 0; i < ctes.size(); ++i) {
    if (i > 0) out += ", ";
    out += ctes[i].ToString();
  }
  return out + " ";
}

std::string SelectStmt::ToString() const {
  std::string out = with ? with->ToString() : "";
  if (set_op != SetOp::kNone) {
    std::string op = set_op == SetOp::kUnion       ? " UNION "
                     : set_op == SetOp::kIntersect ? " INTERSECT "
                                                   : " EXCEPT ";
    if (set_all) op += "ALL ";
    out += "(" + left->ToString() + ")" + op + "(" + right->ToString() + ")";
  } else if (!values.empty()) {
    out += "VALUES ";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += ", ";
      out += "(" + ExprList(values[i]) + ")";
    }
  } else {
    out += !distinct_on.empty() ? "SELECT DISTINCT ON (" + ExprList(distinct_on) + ") "
           : distinct           ? "SELECT DISTINCT "
                                : "SELECT ";
    for (size_t i = 0; i < targets.size(); ++i) {
      if (i > 0) out += ", ";
      out += targets[i].ToString();
    }
    if (!from.empty()) {
      out += " FROM ";
      for (size_t i = 0; i < from.size(); ++i) {
        if (i > 0) out += ", ";
        out += from[i]->ToString();
      }
    }
    if (where) out += " WHERE " + where->ToString();
    if (!grouping_sets.empty()) {
      out += " GROUP BY GROUPING SETS (" +
             GroupingSetsText(grouping_sets, [&](size_t k) { return group_by[k]->ToString(); }) +
             ")";
    } else if (!group_by.empty()) {
      out += " GROUP BY " + ExprList(group_by);
    }
    if (having) out += " HAVING " + having->ToString();
    for (size_t i = 0; i < windows.size(); ++i) {
      out += (i == 0 ? " WINDOW " : ", ") + QuoteIdentifier(windows[i]->name) + " AS " +
             windows[i]->ToString();
    }
  }
  if (!order_by.empty()) {
    out += " ORDER BY ";
    for (size_t i = 0; i < order_by.size(); ++i) {
      if (i > 0) out += ", ";
      out += order_by[i].ToString();
    }
  }
  if (limit) out += " LIMIT " + limit->ToString();
  if (offset) out += " OFFSET " + offset->ToString();
  return out;
}

}  // namespace tenantdb::sql
