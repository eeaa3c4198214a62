// The one place the parser's operator (ast BinaryOp) becomes the function layer's
// (ScalarOp): the binder calls it when it binds a BinaryExpr; nothing after binding sees
// the AST's enum.
#pragma once

#include "sql/function/scalar_op.h"
#include "sql/parser/ast/expr.h"

namespace tenantdb::sql {

inline ScalarOp ToScalarOp(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return ScalarOp::kAdd;
    case BinaryOp::kSubtract:
      return ScalarOp::kSubtract;
    case BinaryOp::kMultiply:
      return ScalarOp::kMultiply;
    case BinaryOp::kDivide:
      return ScalarOp::kDivide;
    case BinaryOp::kModulo:
      return ScalarOp::kModulo;
    case BinaryOp::kPower:
      return ScalarOp::kPower;
    case BinaryOp::kEqual:
      return ScalarOp::kEqual;
    case BinaryOp::kNotEqual:
      return ScalarOp::kNotEqual;
    case BinaryOp::kLess:
      return ScalarOp::kLess;
    case BinaryOp::kLessEqual:
      return ScalarOp::kLessEqual;
    case BinaryOp::kGreater:
      return ScalarOp::kGreater;
    case BinaryOp::kGreaterEqual:
      return ScalarOp::kGreaterEqual;
    case BinaryOp::kAnd:
      return ScalarOp::kAnd;
    case BinaryOp::kOr:
      return ScalarOp::kOr;
    case BinaryOp::kConcat:
      return ScalarOp::kConcat;
    case BinaryOp::kLike:
      return ScalarOp::kLike;
    case BinaryOp::kNotLike:
      return ScalarOp::kNotLike;
    case BinaryOp::kILike:
      return ScalarOp::kILike;
    case BinaryOp::kNotILike:
      return ScalarOp::kNotILike;
    case BinaryOp::kIsDistinctFrom:
      return ScalarOp::kIsDistinctFrom;
    case BinaryOp::kIsNotDistinctFrom:
      return ScalarOp::kIsNotDistinctFrom;
  }
  return ScalarOp::kEqual;  // unreachable: every BinaryOp is mapped above
}

}  // namespace tenantdb::sql
