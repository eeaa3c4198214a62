#include "sql/parser/parser.h"

#include <pg_query/pg_query.pb-c.h>

#include <optional>
#include <string>

#include "common/utf8.h"
#include "sql/parser/large_stack.h"
#include "sql/parser/lexer.h"
#include "sql/parser/pg_converter.h"
#include "sql/parser/pg_query_tree.h"
#include "sql/parser/tenant_statements.h"

namespace tenantdb::sql {

namespace {

class ScriptParser {
 public:
  explicit ScriptParser(std::string_view sql)
      : sql_(sql), tokens_(Tokenize(sql)), positions_(sql) {}

  const std::vector<Token>& tokens() const { return tokens_; }

  Result<StatementPtr> ParseSpan(const StatementSpan& span) {
    // EXECUTE AS USER nests statements; a handful of levels is plenty.
    if (nesting_ > kMaxNesting) {
      return Status(ErrorCode::kSyntaxError, "EXECUTE AS USER nested more than " +
                                                 std::to_string(kMaxNesting) +
                                                 " levels deep at position " +
                                                 std::to_string(CharPosition(sql_, span.begin)));
    }
    ++nesting_;
    Result<StatementPtr> result = ParseSpanImpl(span);
    --nesting_;
    return result;
  }

 private:
  static constexpr int kMaxNesting = 16;
  // Statements up to this many tokens parse on the caller's stack.
  static constexpr size_t kSmallStatementTokens = 2000;
  static constexpr size_t kMaxTokens = 1000000;
  static constexpr size_t kBaseStack = size_t{8} << 20;
  static constexpr size_t kStackPerToken = 1024;

  Result<StatementPtr> ParseSpanImpl(const StatementSpan& span) {
    ParseSpanFn recurse = [this](const StatementSpan& inner) { return ParseSpan(inner); };
    TDB_ASSIGN_OR_RETURN(TenantParse tenant,
                         ParseTenantStatement(sql_, tokens_, span, positions_, recurse));
    if (tenant.statement) {
      tenant.statement->location = positions_.At(static_cast<int64_t>(span.begin));
      return std::move(tenant.statement);
    }

    std::string text(sql_.substr(span.begin, span.end - span.begin));
    if (tenant.table_type) {
      // Blank the USER/SHARED/STREAM word so PostgreSQL sees CREATE TABLE and every byte
      // offset stays where it was.
      for (size_t i = tenant.keyword_begin; i < tenant.keyword_end; ++i)
        text[i - span.begin] = ' ';
    }
    const size_t token_count = span.last_token - span.first_token;
    if (token_count > kMaxTokens) {
      return Status(ErrorCode::kFeatureNotSupported,
                    "statements of more than " + std::to_string(kMaxTokens) +
                        " tokens are not supported (the statement at position " +
                        std::to_string(CharPosition(sql_, span.begin)) + " has " +
                        std::to_string(token_count) + "); split it");
    }
    if (token_count <= kSmallStatementTokens) return ParsePg(span, text, tenant.table_type);
    // libpg_query and protobuf-c recurse once per nesting level, and a statement's nesting
    // is bounded by its token count: give long statements a stack to match.
    std::optional<Result<StatementPtr>> result;
    TDB_RETURN_IF_ERROR(RunWithStack(kBaseStack + token_count * kStackPerToken, [&] {
      result.emplace(ParsePg(span, text, tenant.table_type));
    }));
    return std::move(*result);
  }

  Result<StatementPtr> ParsePg(const StatementSpan& span, const std::string& text,
                               std::optional<TableType> table_type) {
    TDB_ASSIGN_OR_RETURN(PgParseTree tree, ParsePostgres(text, CharPosition(sql_, span.begin) - 1));
    if (tree->n_stmts != 1 || tree->stmts[0] == nullptr) {
      return Status(ErrorCode::kSyntaxError, "expected one statement at position " +
                                                 std::to_string(CharPosition(sql_, span.begin)));
    }
    const PgQuery__RawStmt* raw = tree->stmts[0];
    PgConverter converter(static_cast<int>(span.begin), positions_);
    TDB_ASSIGN_OR_RETURN(StatementPtr stmt, converter.ConvertStatement(raw->stmt));
    stmt->location = positions_.At(static_cast<int64_t>(span.begin) + raw->stmt_location);
    if (table_type) {
      if (stmt->kind != StatementKind::kCreateTable) {
        return Status(ErrorCode::kFeatureNotSupported,
                      "CREATE USER|SHARED|STREAM TABLE needs a column list");
      }
      static_cast<CreateTableStmt*>(stmt.get())->table_type = table_type;
    }
    return stmt;
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  CharPositions positions_;  // of sql_: the AST's locations
  int nesting_ = 0;
};

// PostgreSQL's NAMEDATALEN - 1: the longest identifier in bytes.
constexpr size_t kMaxIdentifierBytes = 63;

// PostgreSQL (and so libpg_query) silently cuts identifiers to 63 bytes, so that two long
// names differing only past byte 63 would name one table. Every over-long name is refused
// instead, here, before any part of tenantdb sees a truncated one: namespaces, tables,
// columns, aliases, user ids and storage ids written as identifiers alike.
Status CheckIdentifierLengths(std::string_view sql, const std::vector<Token>& tokens) {
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::kIdentifier && t.kind != TokenKind::kQuotedIdentifier) continue;
    if (t.text.size() <= kMaxIdentifierBytes) continue;
    std::string shown = t.text.substr(0, 80);
    if (t.text.size() > shown.size()) shown += "...";
    return Status(ErrorCode::kNameTooLong, "identifier \"" + shown + "\" at position " +
                                               std::to_string(CharPosition(sql, t.begin)) + " is " +
                                               std::to_string(t.text.size()) +
                                               " bytes long; the limit is " +
                                               std::to_string(kMaxIdentifierBytes) + " bytes");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<StatementPtr>> Parse(std::string_view sql) {
  if (size_t nul = sql.find('\0'); nul != std::string_view::npos) {
    return Status(ErrorCode::kSyntaxError,
                  "invalid NUL byte at position " + std::to_string(CharPosition(sql, nul)));
  }
  // Raw bytes in literals, identifiers and comments alike: SQL text is UTF-8, and a
  // literal holding anything else would be stored as TEXT.
  TDB_RETURN_IF_ERROR(CheckUtf8(sql, "the SQL text"));
  ScriptParser parser(sql);
  TDB_RETURN_IF_ERROR(CheckIdentifierLengths(sql, parser.tokens()));
  std::vector<StatementPtr> out;
  for (const StatementSpan& span : SplitStatements(parser.tokens(), 0, parser.tokens().size())) {
    TDB_ASSIGN_OR_RETURN(StatementPtr stmt, parser.ParseSpan(span));
    out.push_back(std::move(stmt));
  }
  return out;
}

Result<StatementPtr> ParseStatement(std::string_view sql) {
  TDB_ASSIGN_OR_RETURN(auto statements, Parse(sql));
  if (statements.size() != 1) {
    return Status(ErrorCode::kSyntaxError,
                  "expected one statement, found " + std::to_string(statements.size()));
  }
  return std::move(statements[0]);
}

}  // namespace tenantdb::sql
