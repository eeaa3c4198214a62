#include "sql/parser/tenant_statements.h"

#include "sql/parser/ast/ddl.h"
#include "sql/parser/ast/tenant.h"

namespace tenantdb::sql {

Status SyntaxErrorAt(std::string_view sql, const Token* token, size_t end_byte) {
  if (token == nullptr) {
    return Status(ErrorCode::kSyntaxError, "syntax error at end of input at position " +
                                               std::to_string(CharPosition(sql, end_byte)));
  }
  std::string near(sql.substr(token->begin, token->end - token->begin));
  return Status(ErrorCode::kSyntaxError, "syntax error at or near \"" + near + "\" at position " +
                                             std::to_string(CharPosition(sql, token->begin)));
}

namespace {

// A cursor over the tokens of one statement.
class Cursor {
 public:
  Cursor(std::string_view sql, const std::vector<Token>& tokens, const StatementSpan& span,
         const CharPositions& positions)
      : sql_(sql),
        positions_(positions),
        tokens_(tokens),
        pos_(span.first_token),
        end_(span.last_token),
        end_byte_(span.end) {}

  const Token* Peek(size_t ahead = 0) const {
    return pos_ + ahead < end_ ? &tokens_[pos_ + ahead] : nullptr;
  }
  bool PeekKeyword(std::string_view kw, size_t ahead = 0) const {
    const Token* t = Peek(ahead);
    return t != nullptr && t->IsKeyword(kw);
  }
  bool AtEnd() const { return pos_ >= end_; }
  size_t position() const { return pos_; }
  const Token* Next() { return pos_ < end_ ? &tokens_[pos_++] : nullptr; }

  bool AcceptKeyword(std::string_view kw) {
    if (!PeekKeyword(kw)) return false;
    ++pos_;
    return true;
  }
  bool AcceptSymbol(char c) {
    const Token* t = Peek();
    if (t == nullptr || !t->IsSymbol(c)) return false;
    ++pos_;
    return true;
  }
  Status Error() const {
    const Token* t = Peek();
    // User statements carry passwords: their errors name the position, never a literal
    // (an unterminated or misplaced password would otherwise be echoed back, and logged).
    if (redact_literals_ && t != nullptr && t->kind != TokenKind::kIdentifier &&
        t->kind != TokenKind::kSymbol) {
      return Status(ErrorCode::kSyntaxError, "syntax error at or near a literal at position " +
                                                 std::to_string(CharPosition(sql_, t->begin)));
    }
    return SyntaxErrorAt(sql_, t, end_byte_);
  }
  // From here on, errors do not quote string literals or quoted identifiers.
  void RedactLiterals() { redact_literals_ = true; }

  Status ExpectKeyword(std::string_view kw) { return AcceptKeyword(kw) ? Status() : Error(); }
  Status ExpectEnd() const { return AtEnd() ? Status() : Error(); }

  // An identifier (folded when unquoted) or a quoted one.
  Result<std::string> Identifier() {
    const Token* t = Peek();
    if (t == nullptr || !t->terminated ||
        (t->kind != TokenKind::kIdentifier && t->kind != TokenKind::kQuotedIdentifier)) {
      return Error();
    }
    ++pos_;
    return t->text;
  }
  Result<std::string> StringLiteral() {
    const Token* t = Peek();
    if (t == nullptr || t->kind != TokenKind::kString || !t->terminated) return Error();
    ++pos_;
    return t->text;
  }
  // An identifier or a string: user ids, role names, storage ids.
  Result<std::string> Name() {
    const Token* t = Peek();
    if (t != nullptr && t->kind == TokenKind::kString) return StringLiteral();
    return Identifier();
  }
  Result<TableName> QualifiedName() {
    TableName name;
    name.location = Peek() != nullptr ? positions_.At(static_cast<int64_t>(Peek()->begin)) : -1;
    TDB_ASSIGN_OR_RETURN(name.name, Identifier());
    if (AcceptSymbol('.')) {
      name.schema = std::move(name.name);
      TDB_ASSIGN_OR_RETURN(name.name, Identifier());
    }
    return name;
  }

 private:
  std::string_view sql_;
  const CharPositions& positions_;
  const std::vector<Token>& tokens_;
  size_t pos_;
  size_t end_;
  size_t end_byte_;
  bool redact_literals_ = false;
};

// The caller (parser.cc) sets the statement's location: Done knows only its byte offset.
Result<TenantParse> Done(StatementPtr stmt, const StatementSpan& /*span*/) {
  TenantParse out;
  out.statement = std::move(stmt);
  return out;
}

Result<TenantParse> ParseCreateNamespace(Cursor& c, const StatementSpan& span) {
  auto stmt = std::make_unique<CreateSchemaStmt>();
  if (c.AcceptKeyword("if")) {
    TDB_RETURN_IF_ERROR(c.ExpectKeyword("not"));
    TDB_RETURN_IF_ERROR(c.ExpectKeyword("exists"));
    stmt->if_not_exists = true;
  }
  TDB_ASSIGN_OR_RETURN(stmt->name, c.Identifier());
  TDB_RETURN_IF_ERROR(c.ExpectEnd());
  return Done(std::move(stmt), span);
}

Result<TenantParse> ParseDropNamespace(Cursor& c, const StatementSpan& span) {
  auto stmt = std::make_unique<DropSchemaStmt>();
  if (c.AcceptKeyword("if")) {
    TDB_RETURN_IF_ERROR(c.ExpectKeyword("exists"));
    stmt->if_exists = true;
  }
  do {
    TDB_ASSIGN_OR_RETURN(std::string name, c.Identifier());
    stmt->names.push_back(std::move(name));
  } while (c.AcceptSymbol(','));
  if (c.AcceptKeyword("cascade")) {
    stmt->cascade = true;
  } else {
    c.AcceptKeyword("restrict");
  }
  TDB_RETURN_IF_ERROR(c.ExpectEnd());
  return Done(std::move(stmt), span);
}

// The options of CREATE USER and ALTER USER: PASSWORD 'p' and ROLE r, each at most once.
Status ParseUserOptions(Cursor& c, std::optional<std::string>* password, std::string* role) {
  while (!c.AtEnd()) {
    if (c.AcceptKeyword("password")) {
      if (password->has_value()) return c.Error();
      TDB_ASSIGN_OR_RETURN(std::string value, c.StringLiteral());
      *password = std::move(value);
    } else if (c.AcceptKeyword("role")) {
      if (!role->empty()) return c.Error();
      TDB_ASSIGN_OR_RETURN(*role, c.Name());
    } else {
      return c.Error();
    }
  }
  return Status::Ok();
}

Result<TenantParse> ParseCreateUser(Cursor& c, const StatementSpan& span) {
  auto stmt = std::make_unique<CreateUserStmt>();
  TDB_ASSIGN_OR_RETURN(stmt->name, c.Name());
  c.AcceptKeyword("with");
  TDB_RETURN_IF_ERROR(ParseUserOptions(c, &stmt->password, &stmt->role));
  return Done(std::move(stmt), span);
}

// ALTER USER name {SET | WITH} {PASSWORD 'p' | ROLE r} ...
Result<TenantParse> ParseAlterUser(Cursor& c, const StatementSpan& span) {
  auto stmt = std::make_unique<AlterUserStmt>();
  TDB_ASSIGN_OR_RETURN(stmt->name, c.Name());
  if (!c.AcceptKeyword("set")) c.AcceptKeyword("with");
  TDB_RETURN_IF_ERROR(ParseUserOptions(c, &stmt->password, &stmt->role));
  if (!stmt->password && stmt->role.empty()) return c.Error();  // nothing to change
  return Done(std::move(stmt), span);
}

// DROP USER [IF EXISTS] name
Result<TenantParse> ParseDropUser(Cursor& c, const StatementSpan& span) {
  auto stmt = std::make_unique<DropUserStmt>();
  if (c.AcceptKeyword("if")) {
    TDB_RETURN_IF_ERROR(c.ExpectKeyword("exists"));
    stmt->if_exists = true;
  }
  TDB_ASSIGN_OR_RETURN(stmt->name, c.Name());
  TDB_RETURN_IF_ERROR(c.ExpectEnd());
  return Done(std::move(stmt), span);
}

Result<TenantParse> ParseCreateStorage(Cursor& c, const StatementSpan& span) {
  auto stmt = std::make_unique<CreateStorageStmt>();
  TDB_ASSIGN_OR_RETURN(stmt->storage_id, c.Name());
  bool have_base = false;
  while (!c.AtEnd()) {
    const Token* key = c.Peek();
    std::optional<std::string>* target = nullptr;
    if (c.AcceptKeyword("base_directory")) {
      if (have_base) return Status(ErrorCode::kSyntaxError, "option base_directory given twice");
    } else if (c.AcceptKeyword("user_tables_template")) {
      target = &stmt->user_tables_template;
    } else if (c.AcceptKeyword("shared_tables_template")) {
      target = &stmt->shared_tables_template;
    } else {
      return c.Error();
    }
    c.AcceptSymbol('=');
    TDB_ASSIGN_OR_RETURN(std::string value, c.StringLiteral());
    if (target == nullptr) {
      stmt->base_directory = std::move(value);
      have_base = true;
    } else {
      if (target->has_value()) {
        return Status(ErrorCode::kSyntaxError, "option " + key->text + " given twice");
      }
      *target = std::move(value);
    }
  }
  if (!have_base) {
    return Status(ErrorCode::kSyntaxError,
                  "CREATE STORAGE " + stmt->storage_id + " needs BASE_DIRECTORY '...'");
  }
  return Done(std::move(stmt), span);
}

Result<TenantParse> ParseExecuteAsUser(std::string_view sql, const std::vector<Token>& tokens,
                                       Cursor& c, const StatementSpan& span,
                                       const ParseSpanFn& parse_span) {
  auto stmt = std::make_unique<ExecuteAsUserStmt>();
  TDB_ASSIGN_OR_RETURN(stmt->user_id, c.StringLiteral());
  const Token* open = c.Peek();
  if (!c.AcceptSymbol('(')) return c.Error();
  const size_t inner_first = c.position();
  // The statement runs to the ')' matching `open`, which must end the statement.
  int depth = 1;
  size_t close = span.last_token;
  for (size_t i = inner_first; i < span.last_token; ++i) {
    if (tokens[i].IsSymbol('(')) ++depth;
    if (tokens[i].IsSymbol(')') && --depth == 0) {
      close = i;
      break;
    }
  }
  if (close == span.last_token) {
    return Status(ErrorCode::kSyntaxError, "EXECUTE AS USER: '(' at position " +
                                               std::to_string(CharPosition(sql, open->begin)) +
                                               " is never closed");
  }
  if (close + 1 != span.last_token) return SyntaxErrorAt(sql, &tokens[close + 1], span.end);
  std::vector<StatementSpan> inner = SplitStatements(tokens, inner_first, close);
  if (inner.size() != 1) {
    return Status(ErrorCode::kSyntaxError,
                  "EXECUTE AS USER takes exactly one statement at position " +
                      std::to_string(CharPosition(sql, open->begin)));
  }
  TDB_ASSIGN_OR_RETURN(stmt->statement, parse_span(inner[0]));
  return Done(std::move(stmt), span);
}

}  // namespace

Result<TenantParse> ParseTenantStatement(std::string_view sql, const std::vector<Token>& tokens,
                                         const StatementSpan& span, const CharPositions& positions,
                                         const ParseSpanFn& parse_span) {
  Cursor c(sql, tokens, span, positions);
  if (c.PeekKeyword("create")) {
    if (c.PeekKeyword("namespace", 1)) {
      c.Next();
      c.Next();
      return ParseCreateNamespace(c, span);
    }
    const Token* word = c.Peek(1);
    if (word != nullptr && c.PeekKeyword("table", 2) &&
        (word->IsKeyword("user") || word->IsKeyword("shared") || word->IsKeyword("stream"))) {
      TenantParse out;
      out.table_type = word->IsKeyword("user")     ? TableType::kUser
                       : word->IsKeyword("shared") ? TableType::kShared
                                                   : TableType::kStream;
      out.keyword_begin = word->begin;
      out.keyword_end = word->end;
      return out;
    }
    if (c.PeekKeyword("user", 1)) {
      c.Next();
      c.Next();
      c.RedactLiterals();
      return ParseCreateUser(c, span);
    }
    if (c.PeekKeyword("storage", 1)) {
      c.Next();
      c.Next();
      return ParseCreateStorage(c, span);
    }
    return TenantParse();
  }
  // ALTER / DROP USER are tenantdb's (PostgreSQL's ALTER ROLE grammar differs, and its
  // syntax errors would quote the password).
  if ((c.PeekKeyword("alter") || c.PeekKeyword("drop")) && c.PeekKeyword("user", 1)) {
    const bool alter = c.PeekKeyword("alter");
    c.Next();
    c.Next();
    c.RedactLiterals();
    return alter ? ParseAlterUser(c, span) : ParseDropUser(c, span);
  }
  if (c.PeekKeyword("drop") && c.PeekKeyword("namespace", 1)) {
    c.Next();
    c.Next();
    return ParseDropNamespace(c, span);
  }
  if (c.AcceptKeyword("use")) {
    auto stmt = std::make_unique<UseStmt>();
    TDB_ASSIGN_OR_RETURN(stmt->namespace_name, c.Identifier());
    TDB_RETURN_IF_ERROR(c.ExpectEnd());
    return Done(std::move(stmt), span);
  }
  if (c.AcceptKeyword("storage")) {
    if (c.AcceptKeyword("compact")) {
      TDB_RETURN_IF_ERROR(c.ExpectKeyword("table"));
      auto stmt = std::make_unique<StorageCompactStmt>();
      TDB_ASSIGN_OR_RETURN(stmt->table, c.QualifiedName());
      TDB_RETURN_IF_ERROR(c.ExpectEnd());
      return Done(std::move(stmt), span);
    }
    TDB_RETURN_IF_ERROR(c.ExpectKeyword("flush"));
    TDB_RETURN_IF_ERROR(c.ExpectKeyword("table"));
    auto stmt = std::make_unique<StorageFlushStmt>();
    TDB_ASSIGN_OR_RETURN(stmt->table, c.QualifiedName());
    TDB_RETURN_IF_ERROR(c.ExpectEnd());
    return Done(std::move(stmt), span);
  }
  if (c.PeekKeyword("show") && c.PeekKeyword("namespaces", 1)) {
    c.Next();
    c.Next();
    TDB_RETURN_IF_ERROR(c.ExpectEnd());
    return Done(std::make_unique<ShowNamespacesStmt>(), span);
  }
  if (c.PeekKeyword("show") && c.PeekKeyword("create", 1) && c.PeekKeyword("table", 2)) {
    c.Next();
    c.Next();
    c.Next();
    auto stmt = std::make_unique<ShowCreateTableStmt>();
    TDB_ASSIGN_OR_RETURN(stmt->table, c.QualifiedName());
    TDB_RETURN_IF_ERROR(c.ExpectEnd());
    return Done(std::move(stmt), span);
  }
  if (c.PeekKeyword("show") && c.PeekKeyword("tables", 1)) {
    c.Next();
    c.Next();
    auto stmt = std::make_unique<ShowTablesStmt>();
    if (c.AcceptKeyword("in") || c.AcceptKeyword("from")) {
      TDB_ASSIGN_OR_RETURN(std::string ns, c.Identifier());
      stmt->namespace_name = std::move(ns);
    }
    TDB_RETURN_IF_ERROR(c.ExpectEnd());
    return Done(std::move(stmt), span);
  }
  if (c.AcceptKeyword("describe")) {
    c.AcceptKeyword("table");
    auto stmt = std::make_unique<DescribeTableStmt>();
    TDB_ASSIGN_OR_RETURN(stmt->table, c.QualifiedName());
    TDB_RETURN_IF_ERROR(c.ExpectEnd());
    return Done(std::move(stmt), span);
  }
  if (c.PeekKeyword("execute") && c.PeekKeyword("as", 1)) {
    c.Next();
    c.Next();
    TDB_RETURN_IF_ERROR(c.ExpectKeyword("user"));
    return ParseExecuteAsUser(sql, tokens, c, span, parse_span);
  }
  return TenantParse();
}

}  // namespace tenantdb::sql
