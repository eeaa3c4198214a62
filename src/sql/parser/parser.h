// The SQL parser's entry point: text in, tenantdb AST out (namespace tenantdb::sql).
//
// The dialect is PostgreSQL's, parsed by libpg_query, plus tenantdb's own statements
// (CREATE/DROP NAMESPACE, USE, CREATE USER|SHARED|STREAM TABLE, CREATE USER ... ROLE,
// STORAGE FLUSH TABLE, STORAGE COMPACT TABLE, CREATE STORAGE, SHOW NAMESPACES, SHOW TABLES,
// DESCRIBE TABLE, EXECUTE AS USER), recognized by a small tokenizer before libpg_query sees the
// text. A script may hold several statements separated by ';'.
//
// Errors: syntax_error (SQLSTATE 42601) with a message such as
//   syntax error at or near "FRM" at position 10
// where the position is the 1-based character in the whole script; feature_not_supported
// (0A000) naming the statement or construct tenantdb does not implement. Input with a NUL
// byte is a syntax error. The parser never resolves names: `public`, `default` and
// unqualified names are kept as written for the binder.
//
// Thread safety: safe to call from any number of threads at once. The caller owns the
// returned statements. libpg_query keeps a small memory context per calling thread, which
// it frees when the thread ends.
//
// Limits: expression trees deeper than 1000 levels, EXECUTE AS USER nested more than 16
// deep, and statements of more than 1,000,000 tokens are refused with an error. Statements
// over 2,000 tokens are parsed on a helper thread with a stack sized for them
// (large_stack.h), because libpg_query and protobuf-c recurse once per nesting level.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/parser/ast/all.h"

namespace tenantdb::sql {

// Parses every statement in `sql`. An empty script (only blanks, comments or ';') gives
// an empty vector.
Result<std::vector<StatementPtr>> Parse(std::string_view sql);

// Parses a script that must hold exactly one statement.
Result<StatementPtr> ParseStatement(std::string_view sql);

}  // namespace tenantdb::sql
