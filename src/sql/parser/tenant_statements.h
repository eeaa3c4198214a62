// Recognizes and parses tenantdb's own statements (see ast/tenant.h for the grammar), which
// PostgreSQL's grammar does not have, from the tokens of one statement. Called by the
// parser before it hands the statement to libpg_query.
//
// Thread safety: pure function.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "catalog/table_options.h"
#include "common/status.h"
#include "sql/parser/ast/statement.h"
#include "sql/parser/lexer.h"

namespace tenantdb::sql {

struct TenantParse {
  // Set when the statement was one of tenantdb's and is fully parsed.
  StatementPtr statement;
  // Set for CREATE USER|SHARED|STREAM TABLE: the caller blanks the byte range
  // [keyword_begin, keyword_end) (the type word) and lets libpg_query parse the rest.
  std::optional<TableType> table_type;
  size_t keyword_begin = 0;
  size_t keyword_end = 0;
};

// Parses one statement (tokens[span.first_token, span.last_token)) given the tokens of the
// whole script. Used for the statement inside EXECUTE AS USER '...' ( ... ).
using ParseSpanFn = std::function<Result<StatementPtr>(const StatementSpan& span)>;

// An empty TenantParse when the span is not a tenantdb statement (PostgreSQL parses it);
// a syntax_error Status with the position when it starts like one but is malformed.
// `positions` (of `sql`) gives the AST's locations; the statement's own is left -1.
Result<TenantParse> ParseTenantStatement(std::string_view sql, const std::vector<Token>& tokens,
                                         const StatementSpan& span, const CharPositions& positions,
                                         const ParseSpanFn& parse_span);

// `syntax error at or near "X" at position N` for `token` (or "at end of input" when
// `token` is null, with N the character after `end_byte`).
Status SyntaxErrorAt(std::string_view sql, const Token* token, size_t end_byte);

}  // namespace tenantdb::sql
