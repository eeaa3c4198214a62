#include "sql/parser/ast/expr.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "sql/parser/ast/select.h"
#include "types/interval.h"

namespace tenantdb::sql {

namespace {

// PostgreSQL's reserved keywords (and the type-function ones), which must be quoted to be
// read back as identifiers.
constexpr std::array<std::string_view, 98> kReserved = {"all",
                                                        "analyse",
                                                        "analyze",
                                                        "and",
                                                        "any",
                                                        "array",
                                                        "as",
                                                        "asc",
                                                        "asymmetric",
                                                        "authorization",
                                                        "between",
                                                        "bigint",
                                                        "binary",
                                                        "bit",
                                                        "boolean",
                                                        "both",
                                                        "case",
                                                        "cast",
                                                        "char",
                                                        "character",
                                                        "check",
                                                        "coalesce",
                                                        "collate",
                                                        "collation",
                                                        "column",
                                                        "concurrently",
                                                        "constraint",
                                                        "create",
                                                        "cross",
                                                        "current_catalog",
                                                        "current_date",
                                                        "current_role",
                                                        "current_schema",
                                                        "current_time",
                                                        "current_timestamp",
                                                        "current_user",
                                                        "dec",
                                                        "decimal",
                                                        "default",
                                                        "deferrable",
                                                        "desc",
                                                        "distinct",
                                                        "do",
                                                        "else",
                                                        "end",
                                                        "except",
                                                        "exists",
                                                        "extract",
                                                        "false",
                                                        "fetch",
                                                        "float",
                                                        "for",
                                                        "foreign",
                                                        "freeze",
                                                        "from",
                                                        "full",
                                                        "grant",
                                                        "group",
                                                        "having",
                                                        "ilike",
                                                        "in",
                                                        "initially",
                                                        "inner",
                                                        "int",
                                                        "integer",
                                                        "intersect",
                                                        "interval",
                                                        "into",
                                                        "is",
                                                        "isnull",
                                                        "join",
                                                        "lateral",
                                                        "leading",
                                                        "left",
                                                        "like",
                                                        "limit",
                                                        "localtime",
                                                        "localtimestamp",
                                                        "natural",
                                                        "not",
                                                        "notnull",
                                                        "null",
                                                        "nullif",
                                                        "numeric",
                                                        "offset",
                                                        "on",
                                                        "only",
                                                        "or",
                                                        "order",
                                                        "outer",
                                                        "overlaps",
                                                        "placing",
                                                        "primary",
                                                        "real",
                                                        "references",
                                                        "returning",
                                                        "right",
                                                        "select"};
constexpr std::array<std::string_view, 22> kReserved2 = {
    "session_user", "setof",       "similar", "smallint", "some",      "symmetric",
    "table",        "tablesample", "then",    "time",     "timestamp", "to",
    "trailing",     "true",        "union",   "unique",   "user",      "using",
    "values",       "variadic",    "when",    "where"};
constexpr std::array<std::string_view, 5> kReserved3 = {"window", "with", "verbose", "greatest",
                                                        "least"};

bool IsReserved(std::string_view s) {
  auto in = [&](const auto& list) { return std::find(list.begin(), list.end(), s) != list.end(); };
  return in(kReserved) || in(kReserved2) || in(kReserved3);
}

std::string Paren(const ExprPtr& e) {
  return e ? e->ToString() : "<null>";
}

}  // namespace

std::string QuoteIdentifier(const std::string& name) {
  bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
  }
  if (plain && !IsReserved(name)) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string QuoteString(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

std::string JoinQualified(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '.';
    out += QuoteIdentifier(parts[i]);
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteIdentifier(names[i]);
  }
  return out;
}

namespace {

// PostgreSQL's words for an INTERVAL typmod: " month", " day to second(3)", "(3)".
std::string IntervalModifiersText(const std::vector<int64_t>& modifiers) {
  static constexpr std::array<std::pair<int64_t, std::string_view>, 13> kRanges = {{
      {kIntervalYear, " year"},
      {kIntervalMonth, " month"},
      {kIntervalDay, " day"},
      {kIntervalHour, " hour"},
      {kIntervalMinute, " minute"},
      {kIntervalSecond, " second"},
      {kIntervalYear | kIntervalMonth, " year to month"},
      {kIntervalDay | kIntervalHour, " day to hour"},
      {kIntervalDay | kIntervalHour | kIntervalMinute, " day to minute"},
      {kIntervalDay | kIntervalHour | kIntervalMinute | kIntervalSecond, " day to second"},
      {kIntervalHour | kIntervalMinute, " hour to minute"},
      {kIntervalHour | kIntervalMinute | kIntervalSecond, " hour to second"},
      {kIntervalMinute | kIntervalSecond, " minute to second"},
  }};
  const int64_t range = modifiers[0];
  const int64_t precision = modifiers.size() > 1 ? modifiers[1] : kIntervalFullPrecision;
  const std::string digits =
      precision == kIntervalFullPrecision ? "" : "(" + std::to_string(precision) + ")";
  if (range == kIntervalFullRange) return digits;
  for (const auto& [mask, words] : kRanges) {
    if (mask == range) return std::string(words) + ((range & kIntervalSecond) ? digits : "");
  }
  // Not a range the grammar produces: the binder refuses it (22023) either way.
  return "(" + std::to_string(range) + ")";
}

}  // namespace

std::string TypeName::ToString() const {
  // Type names are printed bare when they are plain words: `timestamp` and `interval` are
  // keywords that PostgreSQL's grammar accepts in type position.
  bool plain = !name.empty();
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
  }
  std::string out = plain ? name : QuoteIdentifier(name);
  if (name == "interval" && !modifiers.empty()) {
    // INTERVAL's typmods are a field range and a precision, which the grammar writes as
    // words (`interval month`, `interval day to second(3)`); `interval(2)` would read back
    // as a precision — a view's stored text must parse to the same type.
    out += IntervalModifiersText(modifiers);
  } else if (!modifiers.empty()) {
    out += '(';
    for (size_t i = 0; i < modifiers.size(); ++i) {
      if (i > 0) out += ", ";
      out += std::to_string(modifiers[i]);
    }
    out += ')';
  }
  if (is_array) out += "[]";
  return out;
}

std::string ColumnRef::ToString() const {
  return JoinQualified(names);
}

std::string StarExpr::ToString() const {
  return qualifier.empty() ? "*" : JoinQualified(qualifier) + ".*";
}

std::string Literal::ToString() const {
  switch (literal_kind) {
    case LiteralKind::kNull:
      return "NULL";
    case LiteralKind::kInteger:
      return std::to_string(integer);
    case LiteralKind::kNumeric:
      return text;
    case LiteralKind::kString:
      return QuoteString(text);
    case LiteralKind::kBoolean:
      return boolean ? "TRUE" : "FALSE";
  }
  return "?";
}

std::string Parameter::ToString() const {
  return "$" + std::to_string(index);
}

std::string UnaryExpr::ToString() const {
  switch (op) {
    case UnaryOp::kNot:
      return "(NOT " + Paren(operand) + ")";
    case UnaryOp::kNegate:
      return "(- " + Paren(operand) + ")";
    case UnaryOp::kPlus:
      return "(+ " + Paren(operand) + ")";
  }
  return "?";
}

std::string_view BinaryOpName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSubtract:
      return "-";
    case BinaryOp::kMultiply:
      return "*";
    case BinaryOp::kDivide:
      return "/";
    case BinaryOp::kModulo:
      return "%";
    case BinaryOp::kPower:
      return "^";
    case BinaryOp::kEqual:
      return "=";
    case BinaryOp::kNotEqual:
      return "<>";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessEqual:
      return "<=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterEqual:
      return ">=";
    case BinaryOp::kAnd:
      return "AND";
    case BinaryOp::kOr:
      return "OR";
    case BinaryOp::kConcat:
      return "||";
    case BinaryOp::kLike:
      return "LIKE";
    case BinaryOp::kNotLike:
      return "NOT LIKE";
    case BinaryOp::kILike:
      return "ILIKE";
    case BinaryOp::kNotILike:
      return "NOT ILIKE";
    case BinaryOp::kIsDistinctFrom:
      return "IS DISTINCT FROM";
    case BinaryOp::kIsNotDistinctFrom:
      return "IS NOT DISTINCT FROM";
  }
  return "?";
}

std::string BinaryExpr::ToString() const {
  return "(" + Paren(left) + " " + std::string(BinaryOpName(op)) + " " + Paren(right) + ")";
}

std::string IsNullExpr::ToString() const {
  return "(" + Paren(operand) + (negated ? " IS NOT NULL)" : " IS NULL)");
}

std::string BetweenExpr::ToString() const {
  return "(" + Paren(operand) + (negated ? " NOT BETWEEN " : " BETWEEN ") + Paren(low) + " AND " +
         Paren(high) + ")";
}

std::string InListExpr::ToString() const {
  std::string out = "(" + Paren(operand) + (negated ? " NOT IN (" : " IN (");
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += Paren(list[i]);
  }
  return out + "))";
}

InSubqueryExpr::InSubqueryExpr(int loc) : Expr(ExprKind::kInSubquery, loc) {}
InSubqueryExpr::~InSubqueryExpr() = default;
std::string InSubqueryExpr::ToString() const {
  return "(" + Paren(operand) + " IN (" + (subquery ? subquery->ToString() : "") + "))";
}

ExistsExpr::ExistsExpr(int loc) : Expr(ExprKind::kExists, loc) {}
ExistsExpr::~ExistsExpr() = default;
std::string ExistsExpr::ToString() const {
  return "EXISTS (" + (subquery ? subquery->ToString() : "") + ")";
}

SubqueryExpr::SubqueryExpr(int loc) : Expr(ExprKind::kSubquery, loc) {}
SubqueryExpr::~SubqueryExpr() = default;
std::string SubqueryExpr::ToString() const {
  return std::string(array ? "ARRAY" : "") + "(" + (subquery ? subquery->ToString() : "") + ")";
}

std::string CaseExpr::ToString() const {
  std::string out = "CASE";
  if (operand) out += " " + operand->ToString();
  for (const CaseWhen& w : whens) {
    out += " WHEN " + Paren(w.condition) + " THEN " + Paren(w.result);
  }
  if (else_result) out += " ELSE " + else_result->ToString();
  return out + " END";
}

std::string CastExpr::ToString() const {
  return "CAST(" + Paren(operand) + " AS " + type.ToString() + ")";
}

std::string FunctionCall::ToString() const {
  if (no_parens) {
    std::string out;
    for (char c : name.empty() ? std::string() : name.back()) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
  }
  std::string out = JoinQualified(name) + "(";
  if (star) {
    out += "*)";
  } else {
    if (distinct) out += "DISTINCT ";
    const size_t direct = within_group && !args.empty() ? args.size() - 1 : args.size();
    for (size_t i = 0; i < direct; ++i) {
      if (i > 0) out += ", ";
      if (i < arg_names.size() && !arg_names[i].empty()) out += arg_names[i] + " => ";
      out += Paren(args[i]);
    }
    for (size_t i = 0; i < agg_order.size(); ++i)
      out += (i == 0 ? " ORDER BY " : ", ") + agg_order[i].ToString();
    out += ")";
    if (direct < args.size()) {
      out += " WITHIN GROUP (ORDER BY " + args.back()->ToString() +
             (within_group_direction == SortDirection::kDescending ? " DESC)" : ")");
    }
  }
  if (filter) out += " FILTER (WHERE " + filter->ToString() + ")";
  if (over) out += " OVER " + over->ToString();
  return out;
}

std::string OrderByItem::ToString() const {
  std::string out = expr->ToString();
  if (direction == SortDirection::kAscending) out += " ASC";
  if (direction == SortDirection::kDescending) out += " DESC";
  if (nulls == NullsOrder::kFirst) out += " NULLS FIRST";
  if (nulls == NullsOrder::kLast) out += " NULLS LAST";
  return out;
}

std::string FrameBound::ToString() const {
  switch (kind) {
    case FrameBoundKind::kUnboundedPreceding:
      return "UNBOUNDED PRECEDING";
    case FrameBoundKind::kPreceding:
      return offset->ToString() + " PRECEDING";
    case FrameBoundKind::kCurrentRow:
      return "CURRENT ROW";
    case FrameBoundKind::kFollowing:
      return offset->ToString() + " FOLLOWING";
    case FrameBoundKind::kUnboundedFollowing:
      return "UNBOUNDED FOLLOWING";
  }
  return "";
}

std::string WindowSpec::ToString() const {
  const bool bare = partition_by.empty() && order_by.empty() && !has_frame;
  if (bare && !ref_name.empty()) return QuoteIdentifier(ref_name);
  std::string out = "(";
  auto sep = [&] {
    if (out.size() > 1) out += " ";
  };
  if (!ref_name.empty()) out += QuoteIdentifier(ref_name);
  if (!partition_by.empty()) {
    sep();
    out += "PARTITION BY ";
    for (size_t i = 0; i < partition_by.size(); ++i)
      out += (i > 0 ? ", " : "") + partition_by[i]->ToString();
  }
  if (!order_by.empty()) {
    sep();
    out += "ORDER BY ";
    for (size_t i = 0; i < order_by.size(); ++i)
      out += (i > 0 ? ", " : "") + order_by[i].ToString();
  }
  if (has_frame) {
    sep();
    out += unit == FrameUnit::kRows ? "ROWS" : unit == FrameUnit::kRange ? "RANGE" : "GROUPS";
    out += " BETWEEN " + start.ToString() + " AND " + end.ToString();
    if (exclusion == FrameExclusion::kCurrentRow) out += " EXCLUDE CURRENT ROW";
    if (exclusion == FrameExclusion::kGroup) out += " EXCLUDE GROUP";
    if (exclusion == FrameExclusion::kTies) out += " EXCLUDE TIES";
  }
  return out + ")";
}

std::string DefaultExpr::ToString() const {
  return "DEFAULT";
}

}  // namespace tenantdb::sql
