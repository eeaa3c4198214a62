// AtPosition: how the binder says where in the SQL text an error is. The message ends with
// " at position N", N the 1-based character position the AST carries (ast/expr.h), the
// form the parser's syntax errors already take: clients read N from there (the HTTP API's
// "position", the shell's caret), as PostgreSQL's position field for
// `SELECT nosuch FROM t` -> column "nosuch" does not exist, position 8.
//
// Only errors about a name or a type the statement wrote get a position (undefined_column,
// undefined_table, undefined_function, type_mismatch, ambiguous_column, grouping_error,
// syntax_error, feature_not_supported,
// wrong_object_type); an error that already names one keeps it, so the
// innermost node, the first to add one, wins. Cost: a string append on the error path.
#pragma once

#include <string>

#include "common/status.h"

namespace tenantdb::sql {

inline Status AtPosition(Status status, int location) {
  if (location <= 0) return status;
  switch (status.code()) {
    case ErrorCode::kUndefinedColumn:
    case ErrorCode::kUndefinedTable:
    case ErrorCode::kUndefinedFunction:
    case ErrorCode::kTypeMismatch:
    case ErrorCode::kAmbiguousColumn:
    case ErrorCode::kGroupingError:
    case ErrorCode::kSyntaxError:
    case ErrorCode::kFeatureNotSupported:
    case ErrorCode::kWrongObjectType:
      break;
    default:
      return status;
  }
  if (status.message().find("at position ") != std::string::npos) return status;
  return Status(status.code(),
                std::string(status.message()) + " at position " + std::to_string(location));
}

// `status` without the " at position N" AtPosition added: for an error about text the
// user did not write (a stored DEFAULT), where a position would point at the wrong place.
inline Status WithoutPosition(Status status) {
  const std::string_view message = status.message();
  const size_t at = message.rfind(" at position ");
  if (at == std::string_view::npos) return status;
  return Status(status.code(), std::string(message.substr(0, at)));
}

}  // namespace tenantdb::sql
