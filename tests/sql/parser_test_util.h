// Helpers shared by the parser tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "sql/parser/parser.h"

namespace tenantdb::sql::testing {

// Parses one statement and downcasts it to T; fails the test (and returns null) when the
// parse fails or the statement is of another kind.
template <typename T>
std::unique_ptr<T> ParseAs(std::string_view sql, StatementKind kind) {
  auto r = ParseStatement(sql);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  if (!r.ok()) return nullptr;
  StatementPtr stmt = std::move(r).value();
  EXPECT_EQ(stmt->kind, kind) << sql;
  if (stmt->kind != kind) return nullptr;
  return std::unique_ptr<T>(static_cast<T*>(stmt.release()));
}

// The first target expression of `SELECT <expr>`.
inline std::unique_ptr<SelectStmt> ParseSelect(std::string_view sql) {
  return ParseAs<SelectStmt>(sql, StatementKind::kSelect);
}

// ToString of the single expression in `SELECT <expr>`.
inline std::string ExprString(std::string_view expr) {
  std::string sql = "SELECT " + std::string(expr);
  auto s = ParseSelect(sql);
  if (!s || s->targets.size() != 1) return "<parse failed>";
  return s->targets[0].expr->ToString();
}

// The status of parsing `sql`, which the caller expects to fail.
inline Status ParseError(std::string_view sql) {
  auto r = Parse(sql);
  EXPECT_FALSE(r.ok()) << sql;
  return r.ok() ? Status() : r.status();
}

}  // namespace tenantdb::sql::testing
