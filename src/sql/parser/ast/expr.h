// Expression nodes of tenantdb's SQL AST (namespace tenantdb::sql).
//
// The parser builds these from libpg_query's parse tree; the binder reads them. Each node
// owns its children through std::unique_ptr and carries `location`, the 1-based character
// position of the node in the SQL text the parser was given (-1 when unknown): what an
// error about the node names ("at position N", PostgreSQL's error position). Names are kept as
// written after PostgreSQL's case folding (unquoted identifiers lower-cased); nothing is
// resolved here. ToString() prints canonical SQL that parses back to an equal tree
// (binary operators fully parenthesized), for tests and debugging.
//
// Thread safety: immutable after parsing; share const trees freely between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "types/data_type.h"

namespace tenantdb::sql {

struct SelectStmt;

enum class ExprKind : uint8_t {
  kColumnRef,   // a, t.a, s.t.a
  kStar,        // * or t.*
  kLiteral,     // 1, 1.5, 'x', TRUE, NULL
  kParameter,   // $1
  kUnary,       // NOT a, -a
  kBinary,      // a + b, a AND b, a LIKE b, a IS DISTINCT FROM b, ...
  kIsNull,      // a IS [NOT] NULL
  kBetween,     // a [NOT] BETWEEN b AND c
  kInList,      // a [NOT] IN (1, 2)
  kInSubquery,  // a IN (SELECT ...)
  kExists,      // EXISTS (SELECT ...)
  kSubquery,    // (SELECT ...) as a scalar
  kCase,        // CASE [x] WHEN ... THEN ... [ELSE ...] END
  kCast,        // CAST(a AS t), a::t
  kFunction,    // f(a, b), count(*), count(DISTINCT a), COALESCE, NULLIF, CURRENT_USER
  kDefault,     // DEFAULT in INSERT VALUES or UPDATE SET
};

struct Expr {
  explicit Expr(ExprKind k, int loc) : kind(k), location(loc) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  virtual std::string ToString() const = 0;

  const ExprKind kind;
  int location;  // 1-based character position in the SQL text; -1 if unknown
};

using ExprPtr = std::unique_ptr<Expr>;

// A type as written in CAST or a column definition, after PostgreSQL's normalization
// (`integer` arrives as `int4`, `double precision` as `float8`).
struct TypeName {
  std::string name;                // last part of the name, e.g. "int4", "varchar"
  std::vector<int64_t> modifiers;  // varchar(10) -> {10}
  bool is_array = false;
  int location = -1;
  // The tenantdb type, or nullopt for names ParseDataType does not know (e.g. money).
  std::optional<DataType> data_type;

  std::string ToString() const;
};

struct ColumnRef final : Expr {
  explicit ColumnRef(int loc) : Expr(ExprKind::kColumnRef, loc) {}
  std::string ToString() const override;
  std::vector<std::string> names;  // qualifiers then the column: {"t", "a"}
};

struct StarExpr final : Expr {
  explicit StarExpr(int loc) : Expr(ExprKind::kStar, loc) {}
  std::string ToString() const override;
  std::vector<std::string> qualifier;  // empty for a bare *
};

enum class LiteralKind : uint8_t { kNull, kInteger, kNumeric, kString, kBoolean };

struct Literal final : Expr {
  explicit Literal(int loc) : Expr(ExprKind::kLiteral, loc) {}
  std::string ToString() const override;
  LiteralKind literal_kind = LiteralKind::kNull;
  int64_t integer = 0;   // kInteger
  bool boolean = false;  // kBoolean
  std::string text;      // kNumeric digits as written; kString contents (unescaped)
};

struct Parameter final : Expr {
  explicit Parameter(int loc) : Expr(ExprKind::kParameter, loc) {}
  std::string ToString() const override;
  int index = 0;  // 1-based: $1 -> 1
};

enum class UnaryOp : uint8_t { kNot, kNegate, kPlus };

struct UnaryExpr final : Expr {
  explicit UnaryExpr(int loc) : Expr(ExprKind::kUnary, loc) {}
  std::string ToString() const override;
  UnaryOp op = UnaryOp::kNot;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
  kPower,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAnd,
  kOr,
  kConcat,
  kLike,
  kNotLike,
  kILike,
  kNotILike,
  kIsDistinctFrom,
  kIsNotDistinctFrom,
};

// The SQL spelling: "+", "<>", "AND", "NOT ILIKE", "IS DISTINCT FROM", ...
std::string_view BinaryOpName(BinaryOp op);

struct BinaryExpr final : Expr {
  explicit BinaryExpr(int loc) : Expr(ExprKind::kBinary, loc) {}
  std::string ToString() const override;
  BinaryOp op = BinaryOp::kEqual;
  ExprPtr left;
  ExprPtr right;
};

struct IsNullExpr final : Expr {
  explicit IsNullExpr(int loc) : Expr(ExprKind::kIsNull, loc) {}
  std::string ToString() const override;
  ExprPtr operand;
  bool negated = false;  // IS NOT NULL
};

struct BetweenExpr final : Expr {
  explicit BetweenExpr(int loc) : Expr(ExprKind::kBetween, loc) {}
  std::string ToString() const override;
  ExprPtr operand;
  ExprPtr low;
  ExprPtr high;
  bool negated = false;
};

struct InListExpr final : Expr {
  explicit InListExpr(int loc) : Expr(ExprKind::kInList, loc) {}
  std::string ToString() const override;
  ExprPtr operand;
  std::vector<ExprPtr> list;
  bool negated = false;
};

// `a IN (SELECT ...)`. `a NOT IN (SELECT ...)` arrives as NOT over this node.
struct InSubqueryExpr final : Expr {
  explicit InSubqueryExpr(int loc);
  ~InSubqueryExpr() override;
  std::string ToString() const override;
  ExprPtr operand;
  std::unique_ptr<SelectStmt> subquery;
};

struct ExistsExpr final : Expr {
  explicit ExistsExpr(int loc);
  ~ExistsExpr() override;
  std::string ToString() const override;
  std::unique_ptr<SelectStmt> subquery;
};

struct SubqueryExpr final : Expr {
  explicit SubqueryExpr(int loc);
  ~SubqueryExpr() override;
  std::string ToString() const override;
  std::unique_ptr<SelectStmt> subquery;
  bool array = false;  // ARRAY(SELECT ...): the rows as an array (text_array.h)
};

struct CaseWhen {
  ExprPtr condition;  // the searched condition, or the value compared with `operand`
  ExprPtr result;
};

struct CaseExpr final : Expr {
  explicit CaseExpr(int loc) : Expr(ExprKind::kCase, loc) {}
  std::string ToString() const override;
  ExprPtr operand;  // null for a searched CASE
  std::vector<CaseWhen> whens;
  ExprPtr else_result;  // null when absent
};

struct CastExpr final : Expr {
  explicit CastExpr(int loc) : Expr(ExprKind::kCast, loc) {}
  std::string ToString() const override;
  ExprPtr operand;
  TypeName type;
};

// Function calls, including the special forms PostgreSQL gives their own grammar:
// COALESCE(...) and NULLIF(a, b) and GREATEST/LEAST(...) arrive as calls of those
// lower-case names; CURRENT_USER, CURRENT_TIMESTAMP, ... as calls with `no_parens` set.
enum class SortDirection : uint8_t { kDefault, kAscending, kDescending };
enum class NullsOrder : uint8_t { kDefault, kFirst, kLast };

struct OrderByItem {
  ExprPtr expr;
  SortDirection direction = SortDirection::kDefault;
  NullsOrder nulls = NullsOrder::kDefault;

  std::string ToString() const;
};

// A window frame's unit and bounds: ROWS | RANGE | GROUPS BETWEEN start AND end.
enum class FrameUnit : uint8_t { kRows, kRange, kGroups };
enum class FrameBoundKind : uint8_t {
  kUnboundedPreceding,
  kPreceding,  // offset PRECEDING
  kCurrentRow,
  kFollowing,  // offset FOLLOWING
  kUnboundedFollowing,
};
enum class FrameExclusion : uint8_t { kNoOthers, kCurrentRow, kGroup, kTies };

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kUnboundedPreceding;
  ExprPtr offset;  // for kPreceding / kFollowing
  std::string ToString() const;
};

// OVER (...) of a window function call, or WINDOW name AS (...) of a SELECT.
struct WindowSpec {
  std::string name;      // WINDOW name AS (...); empty in an OVER clause
  std::string ref_name;  // OVER name / OVER (name ...): the named window it extends
  std::vector<ExprPtr> partition_by;
  std::vector<OrderByItem> order_by;
  // The frame; without one (has_frame false): RANGE BETWEEN UNBOUNDED PRECEDING AND
  // CURRENT ROW, which is the whole partition when there is no ORDER BY.
  bool has_frame = false;
  FrameUnit unit = FrameUnit::kRange;
  FrameBound start;
  FrameBound end;
  FrameExclusion exclusion = FrameExclusion::kNoOthers;
  int location = -1;
  // "(PARTITION BY ... ORDER BY ... frame)", or "name" for a bare OVER name.
  std::string ToString() const;
};

struct FunctionCall final : Expr {
  explicit FunctionCall(int loc) : Expr(ExprKind::kFunction, loc) {}
  std::string ToString() const override;
  std::vector<std::string> name;  // {"count"} or {"schema", "f"}
  std::vector<ExprPtr> args;
  // Named notation, f(x, name => value): the name of each argument, empty for a
  // positional one (empty when every argument is positional). Only read_csv takes names;
  // the parser refuses them for any other function.
  std::vector<std::string> arg_names;
  bool distinct = false;             // count(DISTINCT a)
  bool star = false;                 // count(*)
  bool no_parens = false;            // CURRENT_USER, CURRENT_DATE, ...
  ExprPtr filter;                    // aggregate FILTER (WHERE ...); null when absent
  std::unique_ptr<WindowSpec> over;  // a window function call's OVER; null when absent
  // An ordered-set aggregate, f(direct args) WITHIN GROUP (ORDER BY x [ASC|DESC]): its
  // ORDER BY expression is the LAST of `args` (so every walker of args sees it).
  bool within_group = false;
  SortDirection within_group_direction = SortDirection::kDefault;
  // ORDER BY inside a plain aggregate's arguments: string_agg(x, ',' ORDER BY y DESC).
  std::vector<OrderByItem> agg_order;
};

struct DefaultExpr final : Expr {
  explicit DefaultExpr(int loc) : Expr(ExprKind::kDefault, loc) {}
  std::string ToString() const override;
};

// Quotes `name` with "" when it is not a plain lower-case identifier.
std::string QuoteIdentifier(const std::string& name);
// 'text' with embedded quotes doubled.
std::string QuoteString(const std::string& text);
// "a.b.c" with each part quoted as needed.
std::string JoinQualified(const std::vector<std::string>& parts);
// "a, b, c" with each name quoted as needed.
std::string JoinList(const std::vector<std::string>& names);

}  // namespace tenantdb::sql
