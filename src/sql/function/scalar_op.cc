#include "sql/function/scalar_op.h"

namespace tenantdb::sql {

std::string_view ScalarOpName(ScalarOp op) {
  switch (op) {
    case ScalarOp::kAdd:
      return "+";
    case ScalarOp::kSubtract:
      return "-";
    case ScalarOp::kMultiply:
      return "*";
    case ScalarOp::kDivide:
      return "/";
    case ScalarOp::kModulo:
      return "%";
    case ScalarOp::kPower:
      return "^";
    case ScalarOp::kEqual:
      return "=";
    case ScalarOp::kNotEqual:
      return "<>";
    case ScalarOp::kLess:
      return "<";
    case ScalarOp::kLessEqual:
      return "<=";
    case ScalarOp::kGreater:
      return ">";
    case ScalarOp::kGreaterEqual:
      return ">=";
    case ScalarOp::kAnd:
      return "AND";
    case ScalarOp::kOr:
      return "OR";
    case ScalarOp::kConcat:
      return "||";
    case ScalarOp::kLike:
      return "LIKE";
    case ScalarOp::kNotLike:
      return "NOT LIKE";
    case ScalarOp::kILike:
      return "ILIKE";
    case ScalarOp::kNotILike:
      return "NOT ILIKE";
    case ScalarOp::kIsDistinctFrom:
      return "IS DISTINCT FROM";
    case ScalarOp::kIsNotDistinctFrom:
      return "IS NOT DISTINCT FROM";
  }
  return "?";
}

}  // namespace tenantdb::sql
