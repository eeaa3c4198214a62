#include "cli/shell_input.h"

#include "sql/parser/lexer.h"

namespace tenantdb::cli {

std::vector<std::string> SplitScript(std::string_view script) {
  const std::vector<sql::Token> tokens = sql::Tokenize(script);
  std::vector<std::string> statements;
  for (const sql::StatementSpan& span : sql::SplitStatements(tokens, 0, tokens.size())) {
    statements.emplace_back(script.substr(span.begin, span.end - span.begin));
  }
  return statements;
}

void StatementBuffer::AddLine(std::string_view line) {
  if (!text_.empty()) text_.push_back('\n');
  text_.append(line);
}

std::vector<std::string> StatementBuffer::TakeComplete() {
  const std::vector<sql::Token> tokens = sql::Tokenize(text_);
  // The end of the last ';' outside parentheses. Strings, quoted identifiers and comments
  // are whole tokens (or skipped), so a ';' inside them is never seen here.
  size_t cut = 0;
  int depth = 0;
  for (const sql::Token& token : tokens) {
    if (token.IsSymbol('(')) {
      ++depth;
    } else if (token.IsSymbol(')')) {
      if (depth > 0) --depth;
    } else if (token.IsSymbol(';') && depth == 0) {
      cut = token.end;
    }
  }
  if (cut == 0) return {};
  std::vector<std::string> statements = SplitScript(std::string_view(text_).substr(0, cut));
  text_.erase(0, cut);
  if (sql::Tokenize(text_).empty()) text_.clear();  // only blanks or a comment remain
  return statements;
}

bool StatementBuffer::empty() const {
  return sql::Tokenize(text_).empty();
}

std::string StatementBuffer::TakeRest() {
  std::string rest = std::move(text_);
  text_.clear();
  return rest;
}

}  // namespace tenantdb::cli
